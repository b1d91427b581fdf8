"""The generated client talking to the generated server running the generated mock.

Every scenario is written once, as a coroutine, and runs with the sync ``Client`` and with the
``AsyncClient``: ``settle`` awaits what the async client returns and passes the sync client's results
through. In process, the async client uses httpx's ASGI transport; the sync client a small sync
transport that hands each request to that same ASGI transport in a blocking portal's event loop. One
test runs the app with uvicorn on 127.0.0.1 and uses the sync client over the network.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import anyio.from_thread
import httpx
import pytest

from ..server_support import AUTH, CREATE_BODIES, PROVIDERS, TOKEN, asgi_client, mock_app, uvicorn_server

VARIANTS = {
    "byo-phone-number": "ByoPhoneNumber",
    "twilio": "TwilioPhoneNumber",
    "vonage": "VonagePhoneNumber",
    "vapi": "VapiPhoneNumber",
    "telnyx": "TelnyxPhoneNumber",
}
SERVER_OWNED = {"id", "orgId", "createdAt", "updatedAt", "status"}


class PortalASGITransport(httpx.BaseTransport):
    """A sync transport serving requests from an ASGI app, run in ``portal``'s event loop."""

    def __init__(self, app: Any, portal: anyio.from_thread.BlockingPortal) -> None:
        self._asgi = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        self._portal = portal

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        async def send() -> httpx.Response:
            response = await self._asgi.handle_async_request(request)
            content = await response.aread()
            return httpx.Response(response.status_code, headers=response.headers, content=content, request=request)

        return self._portal.call(send)


async def settle(value: Any) -> Any:
    """The async client's result awaited; the sync client's as it is."""
    return await value if inspect.isawaitable(value) else value


async def collect(items: Any) -> list[Any]:
    """Every item of a sync iterable (a page) or an async one (a pager)."""
    if hasattr(items, "__aiter__"):
        return [item async for item in items]
    return list(items)


@contextlib.asynccontextmanager
async def open_client(phone: Any, flavour: str, app: Any, **options: Any) -> AsyncIterator[tuple[Any, list[httpx.Request]]]:
    """A ``Client`` or ``AsyncClient`` of ``phone`` serving ``app`` in process, and the requests it sends."""
    sent: list[httpx.Request] = []
    options = {"base_url": "http://mock", "token": TOKEN, **options}
    if flavour == "async":

        async def record(request: httpx.Request) -> None:
            sent.append(request)

        async with (
            asgi_client(app, event_hooks={"request": [record]}) as http,
            phone.AsyncClient(httpx_client=http, **options) as client,
        ):
            yield client, sent
    else:
        with anyio.from_thread.start_blocking_portal() as portal:
            transport = PortalASGITransport(app, portal)
            with (
                httpx.Client(transport=transport, event_hooks={"request": [sent.append]}) as http,
                phone.Client(httpx_client=http, **options) as client,
            ):
                yield client, sent


def variant(phone: Any, provider: str) -> type[Any]:
    return getattr(phone, VARIANTS[provider])


def json_of(request: httpx.Request) -> Any:
    return json.loads(request.content)


async def lifecycle(phone: Any, client: Any, sent: list[httpx.Request], provider: str) -> None:
    """create -> find_one -> find_all -> find_all_paginated -> update -> find_one -> remove -> 404."""
    numbers = client.phone_numbers
    body = CREATE_BODIES[provider]
    created = await settle(numbers.create(body))
    assert type(created) is variant(phone, provider)
    assert json_of(sent[-1]) == body  # only what the caller set goes on the wire
    uuid.UUID(created.id, version=4)
    assert created.provider == provider and created.name == body["name"]
    assert created.org_id and created.created_at == created.updated_at
    assert isinstance(created.created_at, datetime) and created.created_at.tzinfo is not None
    assert created.status.value == "active"
    echoed = created.to_json_dict()
    assert {name: echoed[name] for name in body} == body

    fetched = await settle(numbers.find_one(created.id))
    assert type(fetched) is variant(phone, provider) and fetched.to_json_dict() == echoed

    listed = await settle(numbers.find_all())
    assert created.id in [item.id for item in listed]
    newest = await settle(numbers.find_all(limit=1))
    assert [item.id for item in newest] == [created.id]
    assert sent[-1].url.params["limit"] == "1"

    needle = body["name"][1:4].upper()  # partial and in another case
    page = await settle(numbers.find_all_paginated(search=needle, page=1, limit=5))
    assert type(page.data) is phone.PhoneNumberPaginatedResponse
    assert [(type(item), item.id) for item in page.items] == [(variant(phone, provider), created.id)]
    assert (page.metadata.total_items, page.metadata.current_page, page.metadata.items_per_page) == (1, 1, 5)
    assert page.metadata.has_next_page is False
    assert dict(sent[-1].url.params) == {"search": needle, "page": "1", "limit": "5"}
    nothing = await settle(numbers.find_all_paginated(search="no such number"))
    assert nothing.items == [] and nothing.metadata.total_items == 0

    # what the official SDK sends for a rename: the provider and the changed field only
    updated = await settle(numbers.update(created.id, {"provider": provider, "name": "Renamed"}))
    assert (sent[-1].method, json_of(sent[-1])) == ("PATCH", {"provider": provider, "name": "Renamed"})
    assert type(updated) is variant(phone, provider) and updated.name == "Renamed"
    assert updated.updated_at > created.updated_at and updated.created_at == created.created_at
    unchanged = {k: v for k, v in echoed.items() if k not in ("name", "updatedAt")}
    assert {k: v for k, v in updated.to_json_dict().items() if k not in ("name", "updatedAt")} == unchanged
    merged = await settle(numbers.find_one(created.id))
    assert merged.to_json_dict() == updated.to_json_dict()

    removed = await settle(numbers.remove(created.id))
    assert type(removed) is variant(phone, provider) and removed.to_json_dict() == updated.to_json_dict()
    with pytest.raises(phone.NotFoundError) as missing:
        await settle(numbers.find_one(created.id))
    assert missing.value.status_code == 404
    assert missing.value.body == {"statusCode": 404, "error": "Not Found", "message": f"no resource with id {created.id!r}"}
    assert created.id not in [item.id for item in await settle(numbers.find_all())]


FLAVOURS = ["sync", "async"]


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("provider", PROVIDERS)
def test_lifecycle_in_process(phone: Any, flavour: str, provider: str) -> None:
    async def scenario() -> None:
        async with open_client(phone, flavour, mock_app(phone)) as (client, sent):
            await lifecycle(phone, client, sent, provider)

    asyncio.run(scenario())


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_pages_and_the_iterator_across_them(phone: Any, flavour: str) -> None:
    async def scenario() -> None:
        async with open_client(phone, flavour, mock_app(phone)) as (client, sent):
            numbers = client.phone_numbers
            created = [await settle(numbers.create(body)) for body in CREATE_BODIES.values()]
            newest_first = [item.id for item in reversed(created)]

            sent.clear()
            items = await collect(numbers.find_all_paginated(limit=2))
            assert [item.id for item in items] == newest_first
            assert [type(item) for item in items] == [variant(phone, p) for p in reversed(PROVIDERS)]
            assert [(r.url.path, r.url.params["page"], r.url.params["limit"]) for r in sent] == [
                ("/v2/phone-number", str(number), "2") for number in (1, 2, 3)
            ]

            second = await settle(
                numbers.find_all_paginated(
                    page=2.0,
                    limit=2,
                    sort_order=phone.PhoneNumberFindAllPaginatedSortOrder.ASC,
                    sort_by=phone.PhoneNumberFindAllPaginatedSortBy.CREATED_AT,
                )
            )
            assert dict(sent[-1].url.params) == {"page": "2.0", "limit": "2", "sortOrder": "ASC", "sortBy": "createdAt"}
            assert [item.id for item in second.items] == [created[2].id, created[3].id]
            meta = second.metadata
            assert (meta.current_page, meta.total_pages, meta.total_items, meta.has_next_page) == (2, 3, 5, True)

            after_first = await settle(numbers.find_all(created_at_gt=created[0].created_at))
            assert [item.id for item in after_first] == newest_first[:-1]
            assert sent[-1].url.params["createdAtGt"].endswith("Z")

    asyncio.run(scenario())


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_wrong_or_missing_token_raises_authentication_error(phone: Any, flavour: str) -> None:
    async def scenario() -> None:
        for token in ("wrong", None):
            async with open_client(phone, flavour, mock_app(phone), token=token) as (client, sent):
                with pytest.raises(phone.AuthenticationError) as refused:
                    await settle(client.phone_numbers.find_all())
                assert refused.value.status_code == 401
                assert refused.value.headers["WWW-Authenticate"] == "Bearer"
                expected = "invalid bearer token" if token else "missing bearer token"
                assert refused.value.body == {"statusCode": 401, "error": "Unauthorized", "message": expected}
                assert len(sent) == 1  # a 401 is final: not retried

    asyncio.run(scenario())


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_bad_provider_is_refused_by_the_client_and_by_the_server(phone: Any, flavour: str) -> None:
    bad = {"provider": "sip-trunk", "number": "+14155550100"}

    async def scenario() -> None:
        async with open_client(phone, flavour, mock_app(phone)) as (client, sent):
            # the generated client validates the body first: nothing is sent
            with pytest.raises(phone.RequestValidationError, match="'twilio'"):
                await settle(client.phone_numbers.create(bad))
            assert sent == []

            # a client whose body type is looser than the server's (one generated from a newer spec,
            # say) gets the server's 422 as UnprocessableEntityError, naming the tags it allows
            loose = phone._client.Endpoint(
                "post", "/phone-number", response=lambda: phone.PhoneNumber, body=lambda: dict[str, Any], auth=[{"bearer": []}]
            )
            with pytest.raises(phone.UnprocessableEntityError) as refused:
                await settle(client.request(loose, body=bad))
            assert refused.value.status_code == 422 and json_of(sent[-1]) == bad
            [error] = refused.value.body["detail"]
            assert error["type"] == "union_tag_invalid" and error["loc"] == ["body"]
            assert all(f"'{tag}'" in error["msg"] for tag in PROVIDERS)
            assert "'sip-trunk'" in error["msg"]

    asyncio.run(scenario())


def test_sync_client_over_uvicorn(phone: Any) -> None:
    with uvicorn_server(mock_app(phone)) as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        sent: list[httpx.Request] = []
        http = httpx.Client(event_hooks={"request": [sent.append]}, timeout=10)
        with http, phone.Client(base_url=base_url, token=TOKEN, httpx_client=http) as client:
            for provider in PROVIDERS:
                asyncio.run(lifecycle(phone, client, sent, provider))
            assert sent[0].url.host == "127.0.0.1" and sent[0].headers["Authorization"] == AUTH["Authorization"]
        with phone.Client(base_url=base_url, token="wrong") as stranger, pytest.raises(phone.AuthenticationError):
            stranger.phone_numbers.find_all()
