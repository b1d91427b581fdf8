"""The mock never stores what it cannot answer with: a bad request changes nothing and gets a 4xx."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from ..server_support import AUTH, CREATE_BODIES, asgi_client, mock_app

JSON = {**AUTH, "Content-Type": "application/json"}


def nested(depth: int) -> Any:
    """An object holding ``depth`` levels of objects."""
    value: Any = {}
    for _ in range(depth):
        value = {"a": value}
    return value


# Raw JSON bytes: json.loads reads "\ud800" as a lone surrogate, which no UTF-8 answer can hold.
POISON = {
    "surrogate in a field": b'{"provider":"vapi","name":"\\ud800"}',
    "surrogate in an extra field": b'{"provider":"vapi","note":"\\ud800"}',
    "surrogate in an extra key": b'{"provider":"vapi","note":{"\\ud800":1}}',
    "NaN in a field": b'{"provider":"vapi","name":NaN}',  # not JSON, but json.loads reads it
    "extra field 254 deep": json.dumps({"provider": "vapi", "note": nested(254)}).encode(),
    "extra field 255 deep": json.dumps({"provider": "vapi", "note": nested(255)}).encode(),
}


async def assert_lists_work(client: httpx.AsyncClient, ids: list[str]) -> None:
    """Both list routes answer 200 with exactly the resources ``ids``."""
    listed = await client.get("/phone-number")
    assert listed.status_code == 200, listed.text
    assert sorted(item["id"] for item in listed.json()) == sorted(ids)
    page = await client.get("/v2/phone-number")
    assert page.status_code == 200, page.text
    assert sorted(item["id"] for item in page.json()["results"]) == sorted(ids)


@pytest.mark.parametrize("body", POISON.values(), ids=POISON.keys())
def test_a_body_that_cannot_be_answered_is_refused_and_not_stored(phone: Any, body: bytes) -> None:
    async def scenario() -> None:
        async with asgi_client(mock_app(phone), headers=AUTH) as client:
            kept = (await client.post("/phone-number", json=CREATE_BODIES["vapi"])).json()["id"]
            refused = await client.post("/phone-number", content=body, headers=JSON)
            assert refused.status_code in (400, 422), refused.text
            refused.json()  # the error answer itself is valid JSON
            await assert_lists_work(client, [kept])

    asyncio.run(scenario())


@pytest.mark.parametrize("body", POISON.values(), ids=POISON.keys())
def test_an_update_that_cannot_be_answered_leaves_the_resource_as_it_was(phone: Any, body: bytes) -> None:
    async def scenario() -> None:
        async with asgi_client(mock_app(phone), headers=AUTH) as client:
            item = (await client.post("/phone-number", json=CREATE_BODIES["vapi"])).json()
            refused = await client.patch(f"/phone-number/{item['id']}", content=body, headers=JSON)
            assert refused.status_code in (400, 422), refused.text
            refused.json()
            assert (await client.get(f"/phone-number/{item['id']}")).json() == item
            await assert_lists_work(client, [item["id"]])

    asyncio.run(scenario())


def test_a_refused_surrogate_is_echoed_as_a_replacement_character(phone: Any) -> None:
    async def scenario() -> None:
        async with asgi_client(mock_app(phone), headers=AUTH) as client:
            refused = await client.post("/phone-number", content=POISON["surrogate in a field"], headers=JSON)
            assert refused.status_code == 422
            [error] = refused.json()["detail"]
            assert error["loc"] == ["body", "vapi", "name"] and error["input"] == "\ufffd"

    asyncio.run(scenario())


def test_an_extra_field_the_serialiser_can_walk_is_still_stored(phone: Any) -> None:
    async def scenario() -> None:
        async with asgi_client(mock_app(phone), headers=AUTH) as client:
            created = await client.post("/phone-number", json={**CREATE_BODIES["vapi"], "note": nested(200)})
            assert created.status_code == 201, created.text
            await assert_lists_work(client, [created.json()["id"]])

    asyncio.run(scenario())
