"""The generated server: an unexpected error answers 500 and leaves the connection usable."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.responses import JSONResponse

from ..server_support import AUTH, asgi_client, submodule, uvicorn_server


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
