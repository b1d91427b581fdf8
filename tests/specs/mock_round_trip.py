"""A resource's round trip through the generated async client against the generated mock (in
process): create -> get -> list -> update -> delete -> get answers 404.

Request bodies are the smallest the spec allows (``sample_value``: required fields only; for an update
of a tagged union, the variant of the created item's tag); path, query and header parameters the
operations require get sample values too. Each step is checked against what the mock answered before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

from vapi_codegen.diagnostics import Diagnostics
from vapi_codegen.loading.document import validate_document
from vapi_codegen.loading.overlay import load_with_overlays
from vapi_codegen.model import ir
from vapi_codegen.model.build import build_api
from vapi_codegen.model.sample_values import sample_value

from ..conftest import generate_into, import_fresh
from ..server_support import submodule

STEPS = ("create", "get", "list", "update", "delete")


@dataclass
class Trip:
    """What a round trip did: the steps completed, in order, and the item created."""

    collection: str
    steps: list[str] = field(default_factory=list)
    item: dict[str, Any] = field(default_factory=dict)


def load(spec: Path, root: Path) -> tuple[ir.Api, ModuleType]:
    """The spec's model and its generated package (generated under ``root`` and imported)."""
    document, _, _ = load_with_overlays(spec, [])
    diagnostics = Diagnostics(document.name)
    validate_document(document, diagnostics)
    api = build_api(document, diagnostics)
    package = "trip_" + spec.name.removeprefix("vapi-").removesuffix("-api-openapi.yml").replace("-", "_")
    generate_into(spec, root / package, package)
    return api, import_fresh(root / package, package)


async def round_trip(api: ir.Api, package: ModuleType, resource: ir.Resource) -> Trip:
    """Run ``resource``'s round trip (the steps the spec has operations for); fails on the first wrong answer."""
    server, mock = submodule(package, "server"), submodule(package, "mock")
    app = server.create_app(mock.MockService(), authenticate=lambda token: token == "t")
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    trip = Trip(resource.collection_path)
    async with httpx.AsyncClient(transport=transport) as http, package.AsyncClient(base_url="http://mock", token="t", httpx_client=http) as client:
        caller = _Caller(api, client, resource)
        created = _json(await caller.call(resource.create, binary=True))
        item_id = created[_id_field(resource, created)]
        trip.item = created
        trip.steps.append("create")
        assert _json(await caller.call(resource.get, item_id)) == created
        trip.steps.append("get")
        for listing in resource.lists + resource.pages:
            listed = await caller.call(listing)
            items = listed.items if listing in resource.pages else listed  # a page: its items
            assert item_id in [_json(item).get(_id_field(resource, created)) for item in items], listing.path
            trip.steps.append("list")
        if resource.update is not None:
            updated = _json(await caller.call(resource.update, item_id, body=_update_body(api, resource, created)))
            assert updated[_id_field(resource, created)] == item_id
            assert _json(await caller.call(resource.get, item_id)) == updated
            trip.steps.append("update")
        if resource.delete is not None:
            await caller.call(resource.delete, item_id)
            try:
                await caller.call(resource.get, item_id)
            except package.NotFoundError:
                trip.steps.append("delete")
            else:
                raise AssertionError("the deleted item is still there")
    return trip


class _Caller:
    """Calls an operation's client method with sample values for what it requires."""

    def __init__(self, api: ir.Api, client: Any, resource: ir.Resource) -> None:
        self.api = api
        self.client = client
        self.resource = resource
        self.scope = {p.json_name: sample_value(api.declarations, p.type) for p in resource.create.parameters if p.location is ir.ParameterLocation.PATH}

    async def call(self, operation: ir.Operation, item_id: Any = None, *, body: Any = None, binary: bool = False) -> Any:
        path = sorted((p for p in operation.parameters if p.location is ir.ParameterLocation.PATH), key=lambda p: operation.path.find("{" + p.json_name + "}"))
        arguments = [self.scope.get(p.json_name, item_id) for p in path]
        keywords = {
            p.name: sample_value(self.api.declarations, p.type)
            for p in operation.parameters
            if p.required and p.location is not ir.ParameterLocation.PATH
        }
        if operation.body is not None and operation.body.kind is ir.MediaKind.MULTIPART:
            # a multipart body is one keyword argument per part: a file as (name, bytes, type)
            for part in operation.body.form_fields:
                if part.required or part.is_file:
                    sample = ("sample.txt", b"sample", "text/plain") if part.is_file else sample_value(self.api.declarations, part.type)
                    keywords[part.name] = sample
        elif operation.body is not None:
            arguments.append(body if body is not None else sample_value(self.api.declarations, operation.body.type, binary=binary))
        method = getattr(getattr(self.client, operation.names.group), operation.names.method)
        return await method(*arguments, **keywords)


def _json(value: Any) -> dict[str, Any]:
    dumped = value.model_dump(mode="json", by_alias=True, exclude_unset=True) if hasattr(value, "model_dump") else value
    assert isinstance(dumped, dict), value
    return dumped


def _id_field(resource: ir.Resource, item: dict[str, Any]) -> str:
    return resource.id_parameter.json_name if resource.id_parameter.json_name in item else "id"


def _update_body(api: ir.Api, resource: ir.Resource, item: dict[str, Any]) -> Any:
    """The smallest update body; for a tagged union, the variant of the item's own tag."""
    assert resource.update is not None
    if resource.update.body is None:
        return None
    body_type = ir.resolve_alias(api.declarations, resource.update.body.type)
    if isinstance(body_type, ir.UnionType) and body_type.discriminator:
        tag = item.get(body_type.discriminator)
        variants = [name for value, name in body_type.tags if value == tag]
        if variants:
            value = sample_value(api.declarations, ir.Ref(variants[0]))
            return {**value, body_type.discriminator: tag}
    return sample_value(api.declarations, body_type)
