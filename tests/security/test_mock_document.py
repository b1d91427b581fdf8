"""The mock app answers what its own OpenAPI document says: a literal path segment is routed before a
template at the same place (``/runs/report`` is not run ``report``), and the statuses only the mock
answers (501 for an operation it does not serve, 507 for a create or update when full) are declared
on those operations alone."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from ..conftest import package_from_spec_text
from ..server_support import AUTH, TOKEN, asgi_client, submodule

# the templated path comes first, as in the eval spec (``/eval/{id}`` before ``/eval/run``), and
# every route is guarded (all in one router of the guard)
RUNS = """\
openapi: 3.0.3
info: {title: runs, version: "1"}
security: [{bearer: []}]
paths:
  /runs:
    post:
      operationId: createRun
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/CreateRun"}}}
      responses:
        "201": {description: created, content: {application/json: {schema: {$ref: "#/components/schemas/Run"}}}}
    get:
      operationId: listRuns
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Run"}}}}}
  /runs/{id}:
    get:
      operationId: getRun
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Run"}}}}
  /runs/report:
    get:
      operationId: reportRuns
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object, properties: {total: {type: integer}}}}}}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
  schemas:
    CreateRun:
      type: object
      properties: {name: {type: string}}
    Run:
      type: object
      required: [id]
      properties: {id: {type: string}, name: {type: string}}
"""


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return package_from_spec_text(tmp_path_factory.mktemp("runs"), RUNS, "runs")


def _app(package: Any, service: Any) -> Any:
    return submodule(package, "server").create_app(service, authenticate=lambda token: token == TOKEN)


def test_a_literal_segment_is_routed_before_a_template(runs: Any) -> None:
    async def requests() -> tuple[Any, Any, Any]:
        async with asgi_client(_app(runs, submodule(runs, "mock").MockService()), headers=AUTH) as client:
            report = await client.get("/runs/report")
            created = (await client.post("/runs", json={"name": "first"})).json()
            return report, created, await client.get(f"/runs/{created['id']}")

    report, created, again = asyncio.run(requests())
    assert report.status_code == 501 and "GET /runs/report" in report.json()["message"]
    assert again.status_code == 200 and again.json() == created


def test_the_document_declares_the_mock_statuses_where_it_answers_them(runs: Any) -> None:
    paths = _app(runs, submodule(runs, "mock").MockService()).openapi()["paths"]
    extra = {
        (method, path): sorted({"501", "507"} & set(operation["responses"]))
        for path, item in paths.items()
        for method, operation in item.items()
    }
    assert extra == {
        ("post", "/runs"): ["507"],
        ("get", "/runs"): [],
        ("get", "/runs/report"): ["501"],
        ("get", "/runs/{id}"): [],
    }


def test_a_service_declaring_nothing_adds_nothing(runs: Any) -> None:
    paths = _app(runs, object()).openapi()["paths"]
    statuses = {status for item in paths.values() for operation in item.values() for status in operation["responses"]}
    assert not statuses & {"501", "507"}
