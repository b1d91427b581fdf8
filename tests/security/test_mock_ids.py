"""The mock assigns server-owned ids itself and never replaces an existing resource.

A small spec whose item schemas are also the create bodies: a ``readOnly`` text id the schema does
not require, a ``readOnly`` integer id, and a tag named by the client (its id is writable).
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest

from ..conftest import package_from_spec_text
from ..server_support import asgi_client, submodule

SPEC = """\
openapi: 3.0.3
info: {title: Ids, version: "1.0"}
paths:
  /notes:
    post:
      operationId: createNote
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Note"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Note"}
    get:
      operationId: listNotes
      responses:
        "200":
          description: all
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Note"}}
  /notes/{id}:
    get:
      operationId: getNote
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: one
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Note"}
    patch:
      operationId: updateNote
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Note"}
      responses:
        "200":
          description: updated
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Note"}
  /counters:
    post:
      operationId: createCounter
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Counter"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Counter"}
  /counters/{id}:
    get:
      operationId: getCounter
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        "200":
          description: one
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Counter"}
  /tags:
    post:
      operationId: createTag
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Tag"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Tag"}
  /tags/{name}:
    get:
      operationId: getTag
      parameters: [{name: name, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: one
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Tag"}
components:
  schemas:
    Note:
      type: object
      properties:
        id: {type: string, readOnly: true}
        text: {type: string}
    Counter:
      type: object
      properties:
        id: {type: integer, readOnly: true}
        label: {type: string}
    Tag:
      type: object
      properties:
        name: {type: string}
        colour: {type: string}
"""


@pytest.fixture(scope="module")
def ids(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return package_from_spec_text(tmp_path_factory.mktemp("ids"), SPEC, "mock_ids")


def run(package: Any, scenario: Any) -> None:
    app = submodule(package, "server").create_app(submodule(package, "mock").MockService())

    async def main() -> None:
        async with asgi_client(app) as client:
            await scenario(client)

    asyncio.run(main())


def test_a_create_without_the_optional_id_gets_a_fresh_one(ids: Any) -> None:
    async def scenario(client: httpx.AsyncClient) -> None:
        created = [await client.post("/notes", json={"text": text}) for text in ("a", "b")]
        assert [r.status_code for r in created] == [201, 201], [r.text for r in created]
        first, second = (r.json()["id"] for r in created)
        uuid.UUID(first, version=4)
        assert first != second
        assert (await client.get(f"/notes/{first}")).json() == {"id": first, "text": "a"}

    run(ids, scenario)


def test_an_id_the_client_sends_never_replaces_a_resource(ids: Any) -> None:
    async def scenario(client: httpx.AsyncClient) -> None:
        kept = (await client.post("/notes", json={"text": "kept"})).json()
        other = await client.post("/notes", json={"id": kept["id"], "text": "intruder"})
        assert other.status_code == 201 and other.json()["id"] != kept["id"]
        renamed = await client.patch(f"/notes/{other.json()['id']}", json={"id": kept["id"], "text": "moved"})
        assert renamed.status_code == 200 and renamed.json()["id"] == other.json()["id"]
        assert (await client.get(f"/notes/{kept['id']}")).json() == kept
        assert len((await client.get("/notes")).json()) == 2

    run(ids, scenario)


def test_an_integer_id_is_numbered_by_the_mock(ids: Any) -> None:
    async def scenario(client: httpx.AsyncClient) -> None:
        first = await client.post("/counters", json={"label": "a"})
        second = await client.post("/counters", json={"id": 1, "label": "b"})
        assert (first.status_code, second.status_code) == (201, 201), second.text
        assert (first.json()["id"], second.json()["id"]) == (1, 2)
        assert (await client.get("/counters/1")).json() == {"id": 1, "label": "a"}

    run(ids, scenario)


def test_an_id_the_client_picks_must_be_sent_and_new(ids: Any) -> None:
    async def scenario(client: httpx.AsyncClient) -> None:
        created = await client.post("/tags", json={"name": "red", "colour": "#f00"})
        assert created.status_code == 201 and created.json() == {"name": "red", "colour": "#f00"}
        again = await client.post("/tags", json={"name": "red", "colour": "#000"})
        assert again.status_code == 409 and again.json()["error"] == "Conflict"
        unnamed = await client.post("/tags", json={"colour": "#000"})
        assert unnamed.status_code == 422, unnamed.text
        assert (await client.get("/tags/red")).json() == {"name": "red", "colour": "#f00"}

    run(ids, scenario)
