"""The generated server refuses what the spec does not allow although pydantic's lax mode would take
it: ``null`` in a field that is not nullable (at any depth) and a JSON value of another scalar type
(``"5"`` or ``false`` for a number, ``0`` for a boolean). The client keeps accepting both in answers:
real APIs send them, and a client must not fail on them."""

from __future__ import annotations

import asyncio
import importlib
from pathlib import Path
from typing import Any

import httpx
import pytest

from ..conftest import package_from_spec_text
from ..server_support import AUTH, CREATE_BODIES, asgi_client, mock_app, submodule

SPEC = """
openapi: 3.0.3
info: {title: conformance, version: "1"}
paths:
  /echo:
    post:
      operationId: echo
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}
components:
  schemas:
    Thing:
      type: object
      properties:
        note: {type: string, nullable: true}
        label: {type: string}
        count: {type: integer}
        ratio: {type: number}
        flag: {type: boolean}
        sizes: {type: array, items: {type: integer}}
        anything: {}
        inner: {$ref: "#/components/schemas/Inner"}
        inners: {type: array, items: {$ref: "#/components/schemas/Inner"}}
    Inner:
      type: object
      properties:
        size: {type: integer}
        maybe: {$ref: "#/components/schemas/MaybeText"}
    MaybeText: {type: string, nullable: true}
"""


@pytest.fixture(scope="module")
def echo_app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    package = package_from_spec_text(tmp_path_factory.mktemp("conformance"), SPEC, "conformance")
    server = importlib.import_module(f"{package.__name__}.server")

    class Echo:
        async def echo(self, body: Any) -> Any:
            return body

    return server.create_app(Echo())


def post(app: Any, body: Any) -> httpx.Response:
    async def scenario() -> httpx.Response:
        async with asgi_client(app) as client:
            return await client.post("/echo", json=body)

    return asyncio.run(scenario())


def test_what_the_spec_allows_is_accepted(echo_app: Any) -> None:
    body = {
        "note": None,  # nullable
        "anything": None,  # untyped: null is one of its values
        "count": 1.0,  # JSON Schema: an integer
        "ratio": 2,
        "flag": True,
        "sizes": [1, 2.0],
        "inner": {"size": 3, "maybe": None},  # nullable through a named schema
        "inners": [{"size": 1}, {}],
    }
    answer = post(echo_app, body)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {**body, "count": 1, "sizes": [1, 2]}


@pytest.mark.parametrize(
    ("body", "loc", "kind"),
    [
        ({"label": None}, ["body", "label"], "null_forbidden"),
        ({"inner": {"size": None}}, ["body", "inner", "size"], "null_forbidden"),
        ({"inners": [{"size": 1}, {"size": None}]}, ["body", "inners", 1, "size"], "null_forbidden"),
        ({"inner": None}, ["body", "inner"], "null_forbidden"),
        ({"count": "5"}, ["body", "count"], "json_type"),
        ({"count": True}, ["body", "count"], "json_type"),
        ({"ratio": False}, ["body", "ratio"], "json_type"),
        ({"ratio": "2.5"}, ["body", "ratio"], "json_type"),
        ({"flag": 0}, ["body", "flag"], "json_type"),
        ({"flag": "true"}, ["body", "flag"], "json_type"),
        ({"inners": [{"size": "1"}]}, ["body", "inners", 0, "size"], "json_type"),
        ({"sizes": [1, "2"]}, ["body", "sizes", 1], "json_type"),
        ({"sizes": [True]}, ["body", "sizes", 0], "json_type"),
    ],
)
def test_what_lax_validation_would_take_is_refused(echo_app: Any, body: Any, loc: list[Any], kind: str) -> None:
    answer = post(echo_app, body)
    assert answer.status_code == 422, answer.text
    [error] = answer.json()["detail"]
    assert (error["loc"], error["type"]) == (loc, kind)


def test_the_mock_stores_nothing_a_refused_request_held(phone: Any) -> None:
    nested_null = {**CREATE_BODIES["vapi"], "server": {"url": "https://x.example", "timeoutSeconds": None}}

    async def scenario() -> None:
        async with asgi_client(mock_app(phone)) as client:
            for body in (nested_null, {**CREATE_BODIES["vapi"], "name": None}):
                answer = await client.post("/phone-number", json=body, headers=AUTH)
                assert answer.status_code == 422, answer.text
            assert (await client.get("/phone-number", headers=AUTH)).json() == []

    asyncio.run(scenario())


def test_the_client_still_takes_null_and_lax_values_in_answers(phone: Any, tmp_path: Path) -> None:
    record = {
        "provider": "vapi",
        "id": "pn-1",
        "orgId": "org-1",
        "createdAt": "2024-01-01T00:00:00Z",
        "updatedAt": "2024-01-01T00:00:00Z",
        "name": None,
        "server": {"url": "https://x.example", "timeoutSeconds": None},
    }
    http = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(200, json=record)))
    client = submodule(phone, "client").Client(token="t", httpx_client=http)
    found = client.phone_numbers.find_one("pn-1")
    assert found.name is None
    assert found.server is not None and found.server.timeout_seconds is None
