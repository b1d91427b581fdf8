"""The emitted server bounds what a request may send (``Limits``: 413, 414, 400) and how much of it an
error answer echoes; the mock bounds what it stores (``Storage``: 507)."""

from __future__ import annotations

import asyncio
import socket
import time
from typing import Any, AsyncIterator

import httpx
import pytest

from ..server_support import AUTH, CREATE_BODIES, TOKEN, asgi_client, mock_app, submodule, uvicorn_server

MiB = 1024 * 1024


def limited_app(phone: Any, mock: Any = None, **limits: float) -> Any:
    """The phone mock's app with ``Limits(**limits)``."""
    server = submodule(phone, "server")
    service = mock or submodule(phone, "mock").MockService()
    return server.create_app(service, authenticate=lambda token: token == TOKEN, limits=server.Limits(**limits))


async def listed(client: httpx.AsyncClient) -> list[Any]:
    answer = await client.get("/phone-number")
    assert answer.status_code == 200
    return list(answer.json())


def test_a_50_mb_body_is_refused_with_413_and_not_stored(phone: Any) -> None:
    async def scenario() -> None:
        async with asgi_client(mock_app(phone), headers=AUTH) as client:
            body = b'{"provider": "vapi", "name": "' + b"x" * (50 * MiB) + b'"}'
            refused = await client.post("/phone-number", content=body, headers={"Content-Type": "application/json"})
            assert refused.status_code == 413
            assert refused.json() == {"statusCode": 413, "error": "Request Entity Too Large", "message": f"the body is larger than {MiB} bytes"}
            assert await listed(client) == []

    asyncio.run(scenario())


def test_a_chunked_body_is_counted_as_it_arrives(phone: Any) -> None:
    async def chunks(count: int) -> AsyncIterator[bytes]:
        yield b'{"provider": "vapi", "note": "'
        for _ in range(count):
            yield b"x" * 1024
        yield b'"}'

    async def scenario() -> None:
        async with asgi_client(limited_app(phone, max_body_bytes=64 * 1024), headers=AUTH) as client:
            refused = await client.post("/phone-number", content=chunks(100), headers={"Content-Type": "application/json"})
            assert "content-length" not in refused.request.headers
            assert refused.status_code == 413
            small = await client.post("/phone-number", content=chunks(10), headers={"Content-Type": "application/json"})
            assert small.status_code == 201, small.text
            assert [item["id"] for item in await listed(client)] == [small.json()["id"]]

    asyncio.run(scenario())


def test_a_chunked_body_without_credentials_gets_401_unread(phone: Any) -> None:
    sent: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        for index in range(1000):
            sent.append(index)
            yield b"x" * 1024

    async def scenario() -> None:
        async with asgi_client(mock_app(phone)) as client:
            refused = await client.post("/phone-number", content=chunks(), headers={"Content-Type": "application/json"})
            assert refused.status_code == 401
            assert sent == []  # not one chunk was asked for

    asyncio.run(scenario())


def test_a_body_still_arriving_after_max_body_seconds_gets_408(phone: Any) -> None:
    async def trickle() -> AsyncIterator[bytes]:
        yield b'{"provider": "vapi", '
        await asyncio.sleep(30)
        yield b'"name": "late"}'

    async def scenario() -> None:
        app = limited_app(phone, max_body_seconds=0.5)
        async with asgi_client(app, headers=AUTH) as client:
            started = asyncio.get_running_loop().time()
            refused = await client.post("/phone-number", content=trickle(), headers={"Content-Type": "application/json"})
            assert refused.status_code == 408
            assert refused.json() == {"statusCode": 408, "error": "Request Timeout", "message": "the body did not arrive within 0.5 seconds"}
            assert asyncio.get_running_loop().time() - started < 5
            assert await listed(client) == []
            on_time = await client.post("/phone-number", json=CREATE_BODIES["vapi"])
            assert on_time.status_code == 201, on_time.text

    asyncio.run(scenario())


def test_over_uvicorn_a_trickled_body_is_cut_off_and_unauthenticated_ones_are_never_read(phone: Any) -> None:
    app = limited_app(phone, max_body_seconds=1)
    head = b"POST /phone-number HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
    with uvicorn_server(app) as base_url:
        host, port = base_url.removeprefix("http://").split(":")
        for credentials, status in ((b"", b" 401 "), (b"Authorization: Bearer " + TOKEN.encode() + b"\r\n", b" 408 ")):
            with socket.create_connection((host, int(port)), timeout=10) as connection:
                connection.sendall(head + credentials + b"\r\n1\r\n{\r\n")  # then nothing more
                started = time.monotonic()
                answer = connection.recv(200)
                assert status in answer.split(b"\r\n", 1)[0], answer
                assert time.monotonic() - started < 5


def test_the_body_limit_is_a_create_app_keyword(phone: Any) -> None:
    async def scenario() -> None:
        async with asgi_client(limited_app(phone, max_body_bytes=100), headers=AUTH) as client:
            assert (await client.post("/phone-number", json={**CREATE_BODIES["vapi"], "name": "x" * 100})).status_code == 413
            assert (await client.post("/phone-number", json=CREATE_BODIES["vapi"])).status_code == 201

    asyncio.run(scenario())


def test_over_uvicorn_a_large_body_gets_413_without_being_stored(phone: Any) -> None:
    with uvicorn_server(mock_app(phone)) as base_url:
        with httpx.Client(base_url=base_url, headers=AUTH, timeout=30) as client:
            body = b'{"provider": "vapi", "name": "' + b"x" * (8 * MiB) + b'"}'
            try:
                answer = client.post("/phone-number", content=body, headers={"Content-Type": "application/json"})
                assert answer.status_code == 413
            except httpx.TransportError:
                pass  # the server answered and closed while the body was still being sent
            assert client.get("/phone-number").json() == []


def test_a_422_echoes_a_10_mb_field_cut_to_200_characters(phone: Any) -> None:
    async def scenario() -> None:
        app = limited_app(phone, max_body_bytes=20 * MiB)
        async with asgi_client(app, headers=AUTH) as client:
            refused = await client.post("/phone-number", json={"provider": "vapi", "name": "x" * (10 * MiB)})
            assert refused.status_code == 422
            assert len(refused.content) < 2000
            [error] = refused.json()["detail"]
            assert error["loc"] == ["body", "vapi", "name"]
            assert error["input"] == "x" * 200 + "\N{HORIZONTAL ELLIPSIS}"

    asyncio.run(scenario())


def test_a_refused_container_is_echoed_as_its_json_cut_short(phone: Any) -> None:
    async def scenario() -> None:
        async with asgi_client(mock_app(phone), headers=AUTH) as client:
            refused = await client.post("/phone-number", json=[{"key": "v" * 1000}] * 100)
            assert refused.status_code == 422
            [error] = refused.json()["detail"]
            assert error["input"] == ('[{"key": "' + "v" * 1000)[:200] + "\N{HORIZONTAL ELLIPSIS}"

    asyncio.run(scenario())


def test_10000_unknown_query_parameters_get_a_short_400(phone: Any) -> None:
    async def scenario() -> None:
        async with asgi_client(mock_app(phone), headers=AUTH) as client:
            query = "&".join(["p=1"] * 10_000)
            refused = await client.get(f"/phone-number?{query[:8000]}")
            assert refused.status_code == 400
            assert refused.json()["message"] == "more than 64 query parameters"
            too_long = await client.get(f"/phone-number?{query}")
            assert too_long.status_code == 414
            assert len(refused.content) + len(too_long.content) < 500

    asyncio.run(scenario())


def test_a_422_lists_20_errors_then_how_many_more(phone: Any) -> None:
    async def scenario() -> None:
        async with asgi_client(mock_app(phone), headers=AUTH) as client:
            refused = await client.get("/phone-number?" + "&".join(f"unknown{i}=1" for i in range(60)))
            assert refused.status_code == 422
            detail = refused.json()["detail"]
            assert len(detail) == 21
            assert detail[-1] == {"type": "too_many_errors", "loc": [], "msg": "40 more errors not shown"}

    asyncio.run(scenario())


def test_the_echo_bounds_are_create_app_keywords(phone: Any) -> None:
    async def scenario() -> None:
        async with asgi_client(limited_app(phone, max_errors=2, max_echo_chars=5), headers=AUTH) as client:
            refused = await client.get("/phone-number?" + "&".join(f"unknown{i}=123456789" for i in range(4)))
            detail = refused.json()["detail"]
            assert [error["input"] for error in detail[:2]] == ["12345\N{HORIZONTAL ELLIPSIS}"] * 2
            assert detail[0]["loc"] == ["query", "unkno\N{HORIZONTAL ELLIPSIS}"]
            assert detail[2]["msg"] == "2 more errors not shown"

    asyncio.run(scenario())


def test_a_full_mock_answers_507_until_something_is_deleted(phone: Any) -> None:
    mock = submodule(phone, "mock").MockService(max_items=3)

    async def scenario() -> None:
        async with asgi_client(limited_app(phone, mock), headers=AUTH) as client:
            ids = [(await client.post("/phone-number", json=CREATE_BODIES["vapi"])).json()["id"] for _ in range(3)]
            full = await client.post("/phone-number", json=CREATE_BODIES["vapi"])
            assert full.status_code == 507
            assert full.json() == {
                "statusCode": 507,
                "error": "Insufficient Storage",
                "message": "the mock holds its maximum of 3 resources; delete some first",
            }
            assert len(await listed(client)) == 3
            assert (await client.delete(f"/phone-number/{ids[0]}")).status_code == 200
            assert (await client.post("/phone-number", json=CREATE_BODIES["vapi"])).status_code == 201

    asyncio.run(scenario())


def test_the_mock_bounds_the_bytes_it_holds_updates_included(phone: Any) -> None:
    mock = submodule(phone, "mock").MockService(max_bytes=2000)

    async def scenario() -> None:
        async with asgi_client(limited_app(phone, mock), headers=AUTH) as client:
            item = (await client.post("/phone-number", json={**CREATE_BODIES["vapi"], "name": "a" * 40})).json()
            grown = await client.patch(f"/phone-number/{item['id']}", json={"provider": "vapi", "name": "b" * 40, "note": "n" * 2000})
            assert grown.status_code == 507
            assert (await client.get(f"/phone-number/{item['id']}")).json() == item
            big = await client.post("/phone-number", json={**CREATE_BODIES["vapi"], "name": "c" * 40, "note": "n" * 2000})
            assert big.status_code == 507
            assert (await client.post("/phone-number", json=CREATE_BODIES["vapi"])).status_code == 201

    asyncio.run(scenario())


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_request_within_the_limits_is_unchanged(phone: Any, method: str) -> None:
    async def scenario() -> None:
        async with asgi_client(mock_app(phone), headers=AUTH) as client:
            if method == "post":
                assert (await client.post("/phone-number", json=CREATE_BODIES["twilio"])).status_code == 201
            answer = await client.get("/v2/phone-number?" + "&".join(["limit=5", "page=1", "sortOrder=ASC"]))
            assert answer.status_code == 200
            assert answer.json()["metadata"]["totalItems"] == (1 if method == "post" else 0)

    asyncio.run(scenario())
