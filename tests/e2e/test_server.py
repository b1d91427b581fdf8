"""The generated FastAPI server: validation, security, error mapping and the published OpenAPI."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi import FastAPI

from vapi_codegen.output.writer import write
from vapi_codegen.pipeline import generate_files

from ..conftest import SHARED_SPECS, SPEC, import_fresh, needs_shared_specs
from ..server_support import AUTH, CREATE_BODIES, TOKEN, asgi_client, mock_app, submodule


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def test_models_do_not_import_fastapi(phone: Any) -> None:
    code = "import sys, {0}, {0}.models; assert 'fastapi' not in sys.modules, sorted(sys.modules)".format(phone.__name__)
    env = {**os.environ, "PYTHONPATH": str(Path(phone.__file__).parent.parent)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=60)


def test_every_secured_route_needs_an_accepted_bearer_token(phone: Any) -> None:
    app = mock_app(phone)
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    calls = [(method, path.replace("{id}", str(uuid.uuid4()))) for path, item in spec["paths"].items() for method in item]
    assert len(calls) == 6

    async def scenario() -> None:
        async with asgi_client(app) as client:
            for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}, {"Authorization": "Bearer "}):
                for (method, path), content in zip(calls * 2, [b'{"provider": "vapi"}'] * 6 + [b"{not json"] * 6):
                    sent = {**headers, "Content-Type": "application/json"}
                    response = await client.request(method, path + "?unknown=1", headers=sent, content=content)
                    assert response.status_code == 401, (method, path, headers, content)
                    assert response.json()["statusCode"] == 401
                    assert response.headers["www-authenticate"] == "Bearer"

    run(scenario())


def test_no_unauthenticated_docs_routes_unless_asked_for(phone: Any) -> None:
    mock = submodule(phone, "mock")
    server = submodule(phone, "server")
    closed = server.create_app(mock.MockService(), authenticate=lambda token: token == TOKEN)
    with_docs = server.create_app(mock.MockService(), authenticate=lambda token: token == TOKEN, docs=True)

    async def scenario() -> None:
        async with asgi_client(closed) as client:
            for path in ("/docs", "/redoc", "/openapi.json"):
                assert (await client.get(path)).status_code == 404, path
        async with asgi_client(with_docs) as client:
            assert (await client.get("/docs")).status_code == 200
            assert (await client.get("/openapi.json")).json()["paths"].keys() == closed.openapi()["paths"].keys()

    run(scenario())


def test_async_authenticate_is_awaited(phone: Any) -> None:
    server, mock = submodule(phone, "server"), submodule(phone, "mock")

    async def authenticate(token: str) -> bool:
        return token == "async-token"

    app = server.create_app(mock.MockService(), authenticate=authenticate)

    async def scenario() -> None:
        async with asgi_client(app) as client:
            assert (await client.get("/phone-number", headers={"Authorization": "Bearer async-token"})).status_code == 200
            assert (await client.get("/phone-number", headers=AUTH)).status_code == 401

    run(scenario())


def test_bad_provider_gives_one_error_naming_the_tags(phone: Any) -> None:
    async def scenario() -> None:
        async with asgi_client(mock_app(phone), headers=AUTH) as client:
            for method, path in (("POST", "/phone-number"), ("PATCH", f"/phone-number/{uuid.uuid4()}")):
                response = await client.request(method, path, json={"provider": "sip-trunk", "number": "+1"})
                assert response.status_code == 422
                errors = response.json()["detail"]
                assert len(errors) == 1 and errors[0]["type"] == "union_tag_invalid"
                for tag in CREATE_BODIES:
                    assert f"'{tag}'" in errors[0]["msg"]

    run(scenario())


def test_body_and_query_validation(phone: Any) -> None:
    async def scenario() -> None:
        async with asgi_client(mock_app(phone), headers=AUTH) as client:
            missing = await client.post("/phone-number", json={"provider": "twilio", "number": "+14155550100"})
            assert missing.status_code == 422
            assert [e["loc"][-1] for e in missing.json()["detail"]] == ["twilioAccountSid"]
            assert (await client.get("/phone-number", params={"limit": "-1"})).status_code == 422
            assert (await client.get("/v2/phone-number", params={"sortOrder": "UP"})).status_code == 422
            assert (await client.get("/v2/phone-number", params={"search": "x" * 101})).status_code == 422
            unknown = await client.get("/phone-number", params={"limit": 1, "colour": "red"})
            assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"] == ["query", "colour"]

    run(scenario())


def test_unknown_ids_give_404_with_a_json_body(phone: Any) -> None:
    async def scenario() -> None:
        async with asgi_client(mock_app(phone), headers=AUTH) as client:
            unknown = uuid.uuid4()
            for method, body in (("GET", None), ("DELETE", None), ("PATCH", {"provider": "vapi", "name": "x"})):
                response = await client.request(method, f"/phone-number/{unknown}", json=body)
                assert response.status_code == 404
                assert response.json() == {"statusCode": 404, "error": "Not Found", "message": f"no resource with id '{unknown}'"}

    run(scenario())


def test_service_errors_map_to_json_and_never_leak_a_traceback(phone: Any, capsys: Any) -> None:
    server = submodule(phone, "server")

    class Service:
        async def find_one(self, id: str) -> Any:
            if id == "boom":
                raise RuntimeError("database password is hunter2")
            raise server.ServiceError("try again later", status_code=409)

    app = server.create_app(Service(), authenticate=lambda token: True)

    async def scenario() -> None:
        async with asgi_client(app, headers=AUTH) as client:
            crashed = await client.get("/phone-number/boom")
            assert crashed.status_code == 500
            assert crashed.json() == {"statusCode": 500, "error": "Internal Server Error", "message": "internal server error"}
            assert "hunter2" not in crashed.text and "Traceback" not in crashed.text
            refused = await client.get("/phone-number/other")
            assert refused.status_code == 409 and refused.json()["message"] == "try again later"

    run(scenario())


def test_a_user_service_is_served_by_alias_without_unset_fields(phone: Any) -> None:
    server = submodule(phone, "server")
    models = phone

    class Service:
        async def find_one(self, id: str) -> Any:
            return models.VapiPhoneNumber(
                provider="vapi", id=id, orgId="org", createdAt="2024-01-01T00:00:00Z", updatedAt="2024-01-01T00:00:00Z"
            )

    async def scenario() -> None:
        async with asgi_client(server.create_app(Service(), authenticate=lambda token: True), headers=AUTH) as client:
            response = await client.get("/phone-number/abc")
            assert response.status_code == 200
            assert response.json() == {
                "provider": "vapi", "id": "abc", "orgId": "org",
                "createdAt": "2024-01-01T00:00:00Z", "updatedAt": "2024-01-01T00:00:00Z",
            }

    run(scenario())


def test_router_mounts_into_an_existing_app(phone: Any) -> None:
    server, mock = submodule(phone, "server"), submodule(phone, "mock")
    app = FastAPI()
    app.include_router(server.create_router(mock.MockService(), authenticate=lambda token: token == TOKEN), prefix="/api")

    async def scenario() -> None:
        async with asgi_client(app, headers=AUTH) as client:
            created = await client.post("/api/phone-number", json=CREATE_BODIES["telnyx"])
            assert created.status_code == 201
            assert (await client.get(f"/api/phone-number/{created.json()['id']}")).status_code == 200

    run(scenario())


def test_published_openapi_keeps_the_tagged_unions(phone: Any) -> None:
    document = mock_app(phone).openapi()
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    schemas = document["components"]["schemas"]

    create = document["paths"]["/phone-number"]["post"]
    body = schemas[create["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]]
    assert body["discriminator"]["propertyName"] == "provider"
    assert body["discriminator"]["mapping"]["twilio"] == "#/components/schemas/CreateTwilioPhoneNumberDTO"
    assert [v["$ref"].rsplit("/", 1)[1] for v in body["oneOf"]] == [
        s["$ref"].rsplit("/", 1)[1] for s in spec["paths"]["/phone-number"]["post"]["requestBody"]["content"]["application/json"]["schema"]["oneOf"]
    ]
    answer = create["responses"]["201"]["content"]["application/json"]["schema"]
    assert answer["discriminator"]["propertyName"] == "provider" and len(answer["oneOf"]) == 5
    assert document["paths"]["/phone-number/{id}"]["patch"]["operationId"] == "PhoneNumberController_update"
    assert document["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}
    assert all(op["security"] == [{"bearer": []}] for item in document["paths"].values() for op in item.values())
    # property names are the spec's JSON names, never Python attribute names (update DTOs gain the tag)
    for name in ("CreateTwilioPhoneNumberDTO", "TwilioPhoneNumber", "UpdateByoPhoneNumberDTO", "PaginationMeta"):
        declared = set(spec["components"]["schemas"][name]["properties"])
        assert declared <= set(schemas[name]["properties"]) <= declared | {"provider"}, name
    v2 = {p["name"] for p in document["paths"]["/v2/phone-number"]["get"]["parameters"]}
    assert {"sortOrder", "sortBy", "createdAtGt", "updatedAtLe"} <= v2


# The two small shared specs: multipart create (no mock), pagination, a required query parameter and an
# operation the mock does not serve. (tools/assistants take 15-25 s to generate: too slow for here.)
@needs_shared_specs
@pytest.mark.parametrize("spec", [SHARED_SPECS / "vapi-files-api-openapi.yml", SHARED_SPECS / "vapi-structured-outputs-api-openapi.yml"], ids=["files", "structured-outputs"])
def test_every_shared_spec_gets_a_working_server(spec: Path, tmp_path: Path) -> None:
    package = "srv_" + spec.name.split("-api")[0].replace("-", "_")
    files = generate_files(spec, package).files
    for relative, text in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
    imported = import_fresh(tmp_path, package)
    server = submodule(imported, "server")
    # the files API creates with multipart uploads: not a resource the mock serves
    service = submodule(imported, "mock").MockService() if f"{package}/mock.py" in files else object()
    app = server.create_app(service, authenticate=lambda token: token == TOKEN)
    document = app.openapi()
    assert len([m for item in document["paths"].values() for m in item]) == len(
        [m for item in yaml.safe_load(spec.read_text(encoding="utf-8"))["paths"].values() for m in item if m != "parameters"]
    )

    async def scenario() -> None:
        async with asgi_client(app) as client:
            path = next(iter(document["paths"]))
            assert (await client.get(path.split("{")[0])).status_code in (401, 405)

    run(scenario())


def test_a_big_api_adds_its_routes_in_chunks_in_the_same_order(phone: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past ROUTES_PER_FUNCTION routes, ``create_router`` calls one function per chunk (CPython
    compiles one long function in superlinear time); the app routes the same paths in the same order."""
    from vapi_codegen.rendering.views import server as server_view

    monkeypatch.setattr(server_view, "ROUTES_PER_FUNCTION", 4)
    out = tmp_path / "out"
    write(out, generate_files(SPEC, "chunked_phone").files, stale=[])
    source = (out / "chunked_phone" / "server.py").read_text(encoding="utf-8")
    assert "def _add_routes_2(" in source and "def _add_routes_3(" not in source
    chunked = import_fresh(out, "chunked_phone")
    chunked_app, whole_app = mock_app(chunked), mock_app(phone)
    # the published document lists the routes in the order they were added
    assert json.dumps(chunked_app.openapi()["paths"]) == json.dumps(whole_app.openapi()["paths"])

    async def scenario() -> None:
        async with asgi_client(chunked_app) as client:
            created = await client.post("/phone-number", json=CREATE_BODIES["vapi"], headers=AUTH)
            assert created.status_code == 201, created.text
            found = await client.get(f"/phone-number/{created.json()['id']}", headers=AUTH)  # a route of the second chunk
            assert found.json() == created.json()  # find_one: a route of the second function
            assert (await client.get("/phone-number/x")).status_code == 401

    run(scenario())
