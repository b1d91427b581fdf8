"""Names that collide, in every scope the package has: each gets the one collision suffix (``_2``)
from the naming pass, and the generated client, server, mock and webhook receiver all work with them.

The spec below holds one clash per scope: operations named alike in two tags (the one ``Service``),
an operation named like a variable of ``create_router``, a paginated operation beside an operation
named like its page constant, a tag named like a client attribute, two parameters
named alike, two mock collections named alike, two webhooks with the same route slug.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from ..conftest import generate_into, import_fresh
from ..server_support import asgi_client, submodule


def _answer(schema: dict[str, Any], status: str = "200") -> dict[str, Any]:
    return {status: {"description": "ok", "content": {"application/json": {"schema": schema}}}}


TEXT = {"type": "string"}
ITEM = {"$ref": "#/components/schemas/Item"}
ID = [{"name": "id", "in": "path", "required": True, "schema": TEXT}]


def _get(operation_id: str, tag: str, schema: dict[str, Any] = TEXT, **extra: Any) -> dict[str, Any]:
    return {"get": {"operationId": operation_id, "tags": [tag], "responses": _answer(schema), **extra}}


def _resource(prefix: str) -> dict[str, Any]:
    """A collection the mock serves: create at ``prefix``, get at ``prefix/{id}``."""
    body = {"required": True, "content": {"application/json": {"schema": ITEM}}}
    return {
        prefix: {"post": {"operationId": f"create{prefix}", "tags": ["ab"], "requestBody": body, "responses": _answer(ITEM, "201")}},
        prefix + "/{id}": {"get": {"operationId": f"get{prefix}", "tags": ["ab"], "parameters": ID, "responses": _answer(ITEM)}},
    }


def _webhook(operation_id: str) -> dict[str, Any]:
    body = {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}}
    return {"post": {"operationId": operation_id, "requestBody": body, "responses": {"204": {"description": "received"}}}}


SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Naming edges", "version": "1.0"},
    "paths": {
        "/cats": _get("CatsController_findAll", "cats"),
        "/dogs": _get("DogsController_findAll", "dogs"),
        "/service": _get("service", "misc"),
        "/lookup": _get(
            "lookup",
            "misc",
            parameters=[{"name": "x-id", "in": "query", "schema": TEXT}, {"name": "x_id", "in": "query", "schema": TEXT}],
        ),
        "/items": _get(
            "browse",
            "items",
            {"$ref": "#/components/schemas/ItemPage"},
            parameters=[{"name": "page", "in": "query", "schema": {"type": "integer"}}],
        ),
        "/items/pages": _get("browsePages", "items"),
        "/ping": _get("ping", "max retries"),
        **_resource("/a-b"),
        **_resource("/a_b"),
    },
    "webhooks": {"status-update": _webhook("onStatusUpdate"), "status update": _webhook("OnStatusUpdate")},
    "components": {
        "schemas": {
            "Item": {
                "type": "object",
                "required": ["name"],
                "properties": {"id": {"type": "string", "readOnly": True}, "name": TEXT},
            },
            "ItemPage": {
                "type": "object",
                "required": ["results", "metadata"],
                "properties": {"results": {"type": "array", "items": ITEM}, "metadata": {"$ref": "#/components/schemas/PageMeta"}},
            },
            "PageMeta": {"type": "object", "properties": {"currentPage": {"type": "integer"}, "totalPages": {"type": "integer"}}},
        }
    },
}


@pytest.fixture(scope="module")
def edges(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("naming")
    spec = out / "naming-edges.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    generate_into(spec, out, "naming_edges")
    return import_fresh(out, "naming_edges")


def answering(path_answers: dict[str, Any], sent: list[httpx.Request]) -> httpx.MockTransport:
    """A transport answering each path with its JSON answer (``page=N`` picks the N-th of a list)."""

    def handle(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        answer = path_answers[request.url.path]
        if "page" in request.url.params:
            answer = answer[int(request.url.params["page"]) - 1]
        return httpx.Response(200, json=answer)

    return httpx.MockTransport(handle)


def client_of(edges: Any, path_answers: dict[str, Any]) -> tuple[Any, list[httpx.Request]]:
    sent: list[httpx.Request] = []
    http = httpx.Client(transport=answering(path_answers, sent))
    return edges.Client(base_url="http://test", httpx_client=http), sent


def test_operations_named_alike_in_two_tags_keep_their_client_names(edges: Any) -> None:
    client, sent = client_of(edges, {"/cats": "meow", "/dogs": "woof"})
    assert (client.cats.find_all(), client.dogs.find_all()) == ("meow", "woof")
    assert [r.url.path for r in sent] == ["/cats", "/dogs"]


class Service:
    """The API's service: each method answers with its own name."""

    def __getattr__(self, name: str) -> Any:
        async def answer(*args: Any, **kwargs: Any) -> str:
            return name

        return answer


def get_all(app: Any, *paths: str) -> list[httpx.Response]:
    async def scenario() -> list[httpx.Response]:
        async with asgi_client(app) as client:
            return [await client.get(path) for path in paths]

    return asyncio.run(scenario())


def test_each_operation_has_its_own_service_method_even_named_like_a_router_variable(edges: Any) -> None:
    server = submodule(edges, "server")
    responses = get_all(server.create_app(Service()), "/cats", "/dogs", "/service", "/ping")
    assert [r.status_code for r in responses] == [200] * 4
    assert [r.json() for r in responses] == ["find_all", "find_all_2", "service", "ping"]


def test_paging_constants_stay_clear_of_operations_named_like_them(edges: Any) -> None:
    pages = [{"results": [{"id": "a", "name": "A"}], "metadata": {"currentPage": n, "totalPages": 2}} for n in (1, 2)]
    client, sent = client_of(edges, {"/items": pages, "/items/pages": "pages"})
    assert client.items.browse_pages() == "pages"  # its constant is _BROWSE_PAGES; browse's paging takes _BROWSE_PAGES_2
    assert [item.name for item in client.items.browse()] == ["A", "A"]
    assert [r.url.path for r in sent] == ["/items/pages", "/items", "/items"]
    resource = submodule(edges, "resources.items")
    assert resource._BROWSE_PAGES.path == "/items/pages" and resource._BROWSE_PAGES_2.items == "results"


def test_a_tag_named_like_a_client_attribute_leaves_the_attribute_alone(edges: Any) -> None:
    client, _ = client_of(edges, {"/ping": "pong"})
    assert client.max_retries == 2
    assert client.max_retries_.ping() == "pong"


def test_parameters_named_alike_get_the_collision_suffix(edges: Any) -> None:
    client, sent = client_of(edges, {"/lookup": "found"})
    assert client.misc.lookup(x_id="dash", x_id_2="underscore") == "found"
    assert sent[0].url.params.multi_items() == [("x-id", "dash"), ("x_id", "underscore")]


def test_mock_collections_named_alike_keep_their_items_apart(edges: Any) -> None:
    server, mock = submodule(edges, "server"), submodule(edges, "mock")

    async def scenario() -> list[int]:
        async with asgi_client(server.create_app(mock.MockService())) as client:
            created = (await client.post("/a-b", json={"name": "dash"})).json()
            return [(await client.get(f"{prefix}/{created['id']}")).status_code for prefix in ("/a-b", "/a_b")]

    assert asyncio.run(scenario()) == [200, 404]


def test_webhooks_with_the_same_route_slug_get_distinct_routes(edges: Any) -> None:
    server = submodule(edges, "server")
    received: list[str] = []

    class Receiver:
        async def on_status_update(self, body: Any) -> None:
            received.append("first")

        async def on_status_update_2(self, body: Any) -> None:
            received.append("second")

    async def scenario() -> list[int]:
        async with asgi_client(server.create_webhook_app(Receiver())) as client:
            return [(await client.post(path, json={})).status_code for path in ("/webhooks/status-update", "/webhooks/status-update_2")]

    assert asyncio.run(scenario()) == [204, 204]
    assert received == ["first", "second"]


def test_a_response_typed_by_a_recursive_alias_generates_and_parses(tmp_path: Path) -> None:
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Trees", "version": "1"},
        "paths": {"/tree": _get("tree", "trees", {"$ref": "#/components/schemas/Tree"})},
        "components": {"schemas": {"Tree": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}}},
    }
    path = tmp_path / "trees.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    generate_into(path, tmp_path / "out", "trees")
    trees = import_fresh(tmp_path / "out", "trees")
    client, _ = client_of(trees, {"/tree": [[], [[]]]})
    assert client.trees.tree() == [[], [[]]]
