"""Detection of resource-shaped APIs (what the mock serves) from the intermediate model."""

from __future__ import annotations

from pathlib import Path

from vapi_codegen.model import ir
from vapi_codegen.diagnostics import Diagnostics
from vapi_codegen.loading.document import load_document
from vapi_codegen.model.build import build_api
from vapi_codegen.model.resource_detection import find_resources

from ..conftest import SPEC


def _api(path: Path) -> ir.Api:
    document = load_document(path)
    return build_api(document, Diagnostics(document.name))


def test_phone_numbers_are_one_resource_with_every_role() -> None:
    api = _api(SPEC)
    (resource,) = find_resources(api)
    roles = {op.operation_id.split("_")[-1]: resource.role_of(op) for op in api.operations}
    assert roles == {
        "create": "create", "findAll": "list", "findAllPaginated": "page",
        "findOne": "get", "update": "update", "remove": "delete",
    }
    assert resource.collection_path == "/phone-number" and resource.id_parameter.json_name == "id"


def test_the_phone_pagination_is_detected_as_data() -> None:
    (paginated,) = [op for op in _api(SPEC).operations if op.pagination is not None]
    paging = paginated.pagination
    assert paging is not None and paging.strategy is ir.PaginationStrategy.PAGE_NUMBER
    assert paging.page_parameter.json_name == "page" and paging.page_parameter.location is ir.ParameterLocation.QUERY
    assert (paging.items_field.json_name, paging.metadata_field.json_name) == ("results", "metadata")
    found = (paging.has_next_field, paging.current_page_field, paging.total_pages_field)
    assert [f.json_name if f else None for f in found] == ["hasNextPage", "currentPage", "totalPages"]
    names = paginated.names
    assert (names.group, names.method) == ("phone_numbers", "find_all_paginated")
    assert (names.endpoint, names.paging) == ("_FIND_ALL_PAGINATED", "_FIND_ALL_PAGINATED_PAGES")


_ITEM = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}
_NEW_ITEM = {"type": "object", "properties": {"name": {"type": "string"}}}


def _spec(tmp_path: Path, paths: str) -> Path:
    spec = tmp_path / "small.yml"
    spec.write_text(
        "openapi: 3.0.0\ninfo: {title: small, version: '1'}\n"
        f"components:\n  schemas:\n    Item: {_ITEM}\n    NewItem: {_NEW_ITEM}\n"
        f"paths:\n{paths}",
        encoding="utf-8",
    )
    return spec


_CREATE = """  /items:
    post:
      operationId: createItem
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/NewItem'}}}}
      responses: {'201': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}}}
"""
_GET = """  /items/{itemId}:
    get:
      operationId: getItem
      parameters: [{name: itemId, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}}}
"""


def test_a_collection_post_with_an_item_get_is_a_resource(tmp_path: Path) -> None:
    (resource,) = find_resources(_api(_spec(tmp_path, _CREATE + _GET)))
    assert resource.id_parameter.json_name == "itemId"
    assert resource.lists == [] and resource.pages == [] and resource.update is None and resource.delete is None


def test_without_an_item_get_there_is_no_resource(tmp_path: Path) -> None:
    assert find_resources(_api(_spec(tmp_path, _CREATE))) == []


def test_the_mock_of_a_small_api_assigns_ids_named_unlike_the_path_parameter(tmp_path: Path) -> None:
    import asyncio

    from ..conftest import generate_into, import_fresh
    from ..server_support import asgi_client, submodule

    spec = _spec(tmp_path, _CREATE + _GET)
    generate_into(spec, tmp_path / "out", "small_api")
    package = import_fresh(tmp_path / "out", "small_api")
    app = submodule(package, "server").create_app(submodule(package, "mock").MockService())

    async def scenario() -> None:
        async with asgi_client(app) as client:
            first = (await client.post("/items", json={"name": "a"})).json()
            second = (await client.post("/items")).json()  # the body is optional
            assert first["id"] != second["id"] and first["name"] == "a"
            assert (await client.get(f"/items/{first['id']}")).json() == first

    asyncio.run(scenario())
