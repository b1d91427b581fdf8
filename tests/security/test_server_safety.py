"""The generated server: a 500 leaves the connection usable; bearer tokens are read strictly and
`serve` compares them in constant time."""

from __future__ import annotations

import asyncio
import hmac
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import JSONResponse

from vapi_codegen.commands.serve import token_authenticator

from ..server_support import AUTH, CREATE_BODIES, TOKEN, asgi_client, mock_app, submodule, uvicorn_server


def local_address(response: httpx.Response) -> Any:
    """The client side address of the connection ``response`` came over."""
    return response.extensions["network_stream"].get_extra_info("client_addr")


def test_a_500_keeps_the_connection_open_for_the_next_request(phone: Any, caplog: Any) -> None:
    server = submodule(phone, "server")

    class Service:
        async def find_one(self, id: str) -> Any:
            raise RuntimeError("boom")

        async def find_all(self, **filters: Any) -> list[Any]:
            return []

    app = server.create_app(Service(), authenticate=lambda token: True)
    with uvicorn_server(app) as base_url:
        with httpx.Client(base_url=base_url, headers=AUTH, timeout=10, limits=httpx.Limits(max_connections=1)) as client:
            crashed = client.get("/phone-number/1")
            assert crashed.status_code == 500
            assert crashed.json() == {"statusCode": 500, "error": "Internal Server Error", "message": "internal server error"}
            assert crashed.headers.get("connection") != "close"
            where = local_address(crashed)
            after = client.get("/phone-number")
            assert (after.status_code, after.json()) == (200, [])
            assert local_address(after) == where  # the same connection, kept alive
    assert "RuntimeError: boom" in caplog.text  # the traceback is in the server log


def test_an_exception_the_app_handles_reaches_its_handler(phone: Any) -> None:
    server = submodule(phone, "server")

    class Teapot(Exception):
        pass

    class Service:
        async def find_one(self, id: str) -> Any:
            raise Teapot()

    app = FastAPI()
    app.add_exception_handler(Teapot, lambda request, exc: JSONResponse({"teapot": True}, status_code=418))
    app.include_router(server.create_router(Service(), authenticate=lambda token: True))

    async def scenario() -> None:
        async with asgi_client(app, headers=AUTH) as client:
            answer = await client.get("/phone-number/1")
            assert (answer.status_code, answer.json()) == (418, {"teapot": True})

    asyncio.run(scenario())


def test_a_router_mounted_without_the_error_handlers_still_answers_service_errors(phone: Any) -> None:
    server, mock = submodule(phone, "server"), submodule(phone, "mock")
    app = FastAPI()
    app.include_router(server.create_router(mock.MockService(), authenticate=lambda token: token == TOKEN))

    async def scenario() -> None:
        async with asgi_client(app) as client:
            refused = await client.get("/phone-number")
            assert (refused.status_code, refused.json()["error"]) == (401, "Unauthorized")
            assert refused.headers["www-authenticate"] == "Bearer"
            missing = await client.get("/phone-number/nope", headers=AUTH)
            assert (missing.status_code, missing.json()["statusCode"]) == (404, 404)

    asyncio.run(scenario())


# Header values as bytes (read as Latin-1 by the server): each would be a token once trimmed.
NOT_A_BEARER_TOKEN = {
    "two spaces": b"Bearer  test-token",
    "a tab": b"Bearer\ttest-token",
    "a trailing space": b"Bearer test-token ",
    "a trailing no-break space": b"Bearer test-token\xa0",
    "a leading next-line": b"Bearer \x85test-token",
    "a non-ASCII token": b"Bearer t\xe9st-token",
    "no space": b"Bearertest-token",
    "another scheme": b"Token test-token",
}


def test_only_bearer_one_space_and_the_token_as_sent_reach_authenticate(phone: Any) -> None:
    server, mock = submodule(phone, "server"), submodule(phone, "mock")
    seen: list[str] = []
    app = server.create_app(mock.MockService(), authenticate=lambda token: seen.append(token) or token == TOKEN)

    async def scenario() -> None:
        async with asgi_client(app) as client:
            for value in NOT_A_BEARER_TOKEN.values():
                refused = await client.get("/phone-number", headers={"Authorization": value})
                assert refused.status_code == 401, value
            assert seen == []
            for scheme in ("Bearer", "bearer", "BEARER"):
                accepted = await client.get("/phone-number", headers={"Authorization": f"{scheme} {TOKEN}"})
                assert accepted.status_code == 200, scheme
            assert seen == [TOKEN] * 3

    asyncio.run(scenario())


def test_serve_compares_the_token_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[tuple[bytes, bytes]] = []
    compare_digest = hmac.compare_digest
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: compared.append((a, b)) or compare_digest(a, b))
    authenticate = token_authenticator("s3cret")
    assert authenticate("s3cret") and not authenticate("s3creT") and not authenticate("s3")
    assert compared == [(b"s3cret", b"s3cret"), (b"s3creT", b"s3cret"), (b"s3", b"s3cret")]
    assert token_authenticator(None)("anything")


def test_a_trailing_slash_is_not_redirected(phone: Any) -> None:
    async def scenario() -> None:
        async with asgi_client(mock_app(phone)) as client:
            for headers in ({}, AUTH):
                for method in ("GET", "POST"):
                    answer = await client.request(method, "/phone-number/", headers=headers, json=CREATE_BODIES["vapi"])
                    assert answer.status_code == 404, (method, headers)
                    assert "location" not in answer.headers
            assert (await client.get("/phone-number", headers=AUTH)).json() == []

    asyncio.run(scenario())
