"""Routing of the emitted server: a method a path does not have gets 405 naming every method it has
(before any token is checked, like a 404), and path parameters whose names are not identifiers
(``{tree-id}``) are reachable."""

from __future__ import annotations

import asyncio
import importlib
from typing import Any

import httpx
import pytest

from ..conftest import package_from_spec_text
from ..server_support import AUTH, CREATE_BODIES, asgi_client, mock_app

TREES = """\
openapi: 3.0.3
info: {title: trees, version: "1"}
paths:
  /trees/{tree-id}/leaves/{leaf.id}:
    parameters:
      - {name: tree-id, in: path, required: true, schema: {type: string}}
      - {name: leaf.id, in: path, required: true, schema: {type: integer}}
    get:
      operationId: getLeaf
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Leaf"}}}}
    delete:
      operationId: dropLeaf
      responses:
        "204": {description: gone}
components:
  schemas:
    Leaf:
      type: object
      properties:
        tree: {type: string}
        leaf: {type: integer}
"""


@pytest.fixture(scope="module")
def trees(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return package_from_spec_text(tmp_path_factory.mktemp("trees"), TREES, "trees")


class Leaves:
    def __init__(self) -> None:
        self.dropped: list[tuple[str, int]] = []

    async def get_leaf(self, tree_id: str, leaf_id: int) -> Any:
        return {"tree": tree_id, "leaf": leaf_id}

    async def drop_leaf(self, tree_id: str, leaf_id: int) -> None:
        self.dropped.append((tree_id, leaf_id))


@pytest.mark.parametrize(
    ("path", "allowed"),
    [("/phone-number", "GET, POST"), ("/phone-number/some-id", "GET, PATCH, DELETE"), ("/v2/phone-number", "GET")],
)
@pytest.mark.parametrize("method", ["OPTIONS", "HEAD", "PUT", "BREW"])
def test_405_names_every_method_of_the_path_without_a_token(phone: Any, path: str, allowed: str, method: str) -> None:
    async def scenario() -> None:
        async with asgi_client(mock_app(phone)) as client:
            answer = await client.request(method, path)
            assert answer.status_code == 405
            assert answer.headers["allow"] == allowed
            if method != "HEAD":
                assert answer.json() == {
                    "statusCode": 405,
                    "error": "Method Not Allowed",
                    "message": f"{method} is not allowed on this path; allowed: {allowed}",
                }

    asyncio.run(scenario())


def test_the_methods_of_a_path_still_need_the_token(phone: Any) -> None:
    async def scenario() -> None:
        async with asgi_client(mock_app(phone)) as client:
            assert (await client.patch("/phone-number/x", json={})).status_code == 401
            assert (await client.post("/phone-number", json=CREATE_BODIES["vapi"])).status_code == 401
            assert (await client.post("/phone-number", json=CREATE_BODIES["vapi"], headers=AUTH)).status_code == 201

    asyncio.run(scenario())


def test_path_parameters_named_like_tree_id_are_reachable_through_the_client(trees: Any) -> None:
    server = importlib.import_module("trees.server")
    leaves = Leaves()
    app = server.create_app(leaves)

    async def scenario() -> None:
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app))
        async with trees.AsyncClient(base_url="http://trees", httpx_client=http) as client:
            leaf = await client.default.get_leaf("old oak", 7)
            assert (leaf.tree, leaf.leaf) == ("old oak", 7)
            await client.default.drop_leaf("elm", 3)
        async with asgi_client(app) as raw:
            assert (await raw.get("/trees/elm/leaves/three")).status_code == 422  # leaf.id is an integer
            refused = await raw.put("/trees/elm/leaves/3")
            assert (refused.status_code, refused.headers["allow"]) == (405, "GET, DELETE")

    asyncio.run(scenario())
    assert leaves.dropped == [("elm", 3)]


def test_the_docs_still_describe_the_renamed_path_parameters(trees: Any) -> None:
    app = importlib.import_module("trees.server").create_app(Leaves())
    [(path, item)] = app.openapi()["paths"].items()
    assert path == "/trees/{tree_id}/leaves/{leaf_id}"
    assert sorted(p["name"] for p in item["get"]["parameters"]) == ["leaf_id", "tree_id"]


def test_the_client_still_sends_the_spec_path(trees: Any) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.raw_path.decode())
        return httpx.Response(200, json={"tree": "a", "leaf": 1})

    with trees.Client(base_url="http://trees", httpx_client=httpx.Client(transport=httpx.MockTransport(handler))) as client:
        client.default.get_leaf("a/b", 1)
    assert seen == ["/trees/a%2Fb/leaves/1"]
