"""The generated stateful mock, driven over HTTP through the generated server (in process and uvicorn)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest

from ..server_support import AUTH, CREATE_BODIES, PROVIDERS, asgi_client, mock_app, uvicorn_server


async def lifecycle(client: httpx.AsyncClient, provider: str) -> None:
    """create -> get -> list -> list v2 (search, paging) -> update -> get -> delete -> get is 404."""
    body = CREATE_BODIES[provider]
    created = await client.post("/phone-number", json=body)
    assert created.status_code == 201, created.text
    item = created.json()
    uuid.UUID(item["id"], version=4)
    assert item["provider"] == provider and item["name"] == body["name"]
    assert item["orgId"] and item["createdAt"] == item["updatedAt"]
    assert item["status"] == "active"
    assert all(value is not None for value in item.values())

    fetched = await client.get(f"/phone-number/{item['id']}")
    assert fetched.status_code == 200 and fetched.json() == item

    listed = await client.get("/phone-number")
    assert listed.status_code == 200 and item["id"] in [i["id"] for i in listed.json()]

    needle = body["name"][1:4].upper()  # partial and in another case
    page = await client.get("/v2/phone-number", params={"search": needle, "page": 1, "limit": 5})
    assert page.status_code == 200
    assert [i["id"] for i in page.json()["results"]] == [item["id"]]
    assert page.json()["metadata"]["totalItems"] == 1

    # what the official SDK sends for a rename: the provider and the changed field only
    updated = await client.patch(f"/phone-number/{item['id']}", json={"provider": provider, "name": "Renamed"})
    assert updated.status_code == 200, updated.text
    changed = updated.json()
    assert changed["name"] == "Renamed"
    assert {k: v for k, v in changed.items() if k not in ("name", "updatedAt")} == {
        k: v for k, v in item.items() if k not in ("name", "updatedAt")
    }
    assert changed["updatedAt"] > item["updatedAt"]
    assert (await client.get(f"/phone-number/{item['id']}")).json() == changed

    deleted = await client.delete(f"/phone-number/{item['id']}")
    assert deleted.status_code == 200 and deleted.json() == changed
    gone = await client.get(f"/phone-number/{item['id']}")
    assert gone.status_code == 404
    assert gone.json()["statusCode"] == 404


@pytest.mark.parametrize("provider", PROVIDERS)
def test_lifecycle_in_process(phone: Any, provider: str) -> None:
    async def scenario() -> None:
        async with asgi_client(mock_app(phone), headers=AUTH) as client:
            await lifecycle(client, provider)

    asyncio.run(scenario())


def test_lifecycle_over_uvicorn(phone: Any) -> None:
    async def scenario(base_url: str) -> None:
        async with httpx.AsyncClient(base_url=base_url, headers=AUTH, timeout=10) as client:
            for provider in PROVIDERS:
                await lifecycle(client, provider)
            assert (await client.get("/phone-number", headers={"Authorization": "Bearer wrong"})).status_code == 401

    with uvicorn_server(mock_app(phone)) as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        asyncio.run(scenario(base_url))


async def _create_all(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    items = []
    for body in CREATE_BODIES.values():
        response = await client.post("/phone-number", json=body)
        assert response.status_code == 201
        items.append(response.json())
    return items


def test_create_applies_spec_defaults(phone: Any) -> None:
    async def scenario() -> None:
        async with asgi_client(mock_app(phone), headers=AUTH) as client:
            byo, twilio, *_ = await _create_all(client)
            assert byo["numberE164CheckEnabled"] is True
            assert twilio["smsEnabled"] is True
            explicit = await client.post("/phone-number", json={**CREATE_BODIES["twilio"], "smsEnabled": False})
            assert explicit.json()["smsEnabled"] is False

    asyncio.run(scenario())


def test_list_limit_and_time_filters(phone: Any) -> None:
    async def scenario() -> None:
        async with asgi_client(mock_app(phone), headers=AUTH) as client:
            items = await _create_all(client)
            newest_first = [i["id"] for i in reversed(items)]
            two = await client.get("/phone-number", params={"limit": "2.0"})
            assert [i["id"] for i in two.json()] == newest_first[:2]
            after_first = await client.get("/phone-number", params={"createdAtGt": items[0]["createdAt"]})
            assert sorted(i["id"] for i in after_first.json()) == sorted(newest_first[:-1])
            up_to_second = await client.get("/phone-number", params={"createdAtLe": items[1]["createdAt"]})
            assert sorted(i["id"] for i in up_to_second.json()) == sorted(i["id"] for i in items[:2])
            renamed = await client.patch(f"/phone-number/{items[2]['id']}", json={"provider": items[2]["provider"], "name": "x"})
            touched = await client.get("/phone-number", params={"updatedAtGe": renamed.json()["updatedAt"]})
            assert [i["id"] for i in touched.json()] == [items[2]["id"]]
            bad = await client.get("/phone-number", params={"createdAtGt": "6"})  # not RFC 3339
            assert bad.status_code == 422

    asyncio.run(scenario())


def test_v2_paging_sorting_and_search(phone: Any) -> None:
    async def scenario() -> None:
        async with asgi_client(mock_app(phone), headers=AUTH) as client:
            items = await _create_all(client)
            ids = [i["id"] for i in items]
            first = (await client.get("/v2/phone-number", params={"limit": 2, "sortOrder": "ASC"})).json()
            assert [i["id"] for i in first["results"]] == ids[:2]
            assert first["metadata"] == {
                "itemsPerPage": 2, "totalItems": 5, "currentPage": 1, "totalPages": 3, "hasNextPage": True, "sortOrder": "ASC",
            }
            last = (await client.get("/v2/phone-number", params={"limit": 2, "page": 3, "sortOrder": "ASC"})).json()
            assert [i["id"] for i in last["results"]] == ids[4:]
            assert last["metadata"]["hasNextPage"] is False
            default = (await client.get("/v2/phone-number", params={"sortBy": "createdAt"})).json()
            assert [i["id"] for i in default["results"]] == ids[::-1]
            assert default["metadata"]["sortOrder"] == "DESC"
            by_number = (await client.get("/v2/phone-number", params={"search": "550103"})).json()
            assert [i["provider"] for i in by_number["results"]] == ["vonage"]
            by_sip = (await client.get("/v2/phone-number", params={"search": "reception@EXAMPLE"})).json()
            assert [i["provider"] for i in by_sip["results"]] == ["vapi"]
            not_by_credential = (await client.get("/v2/phone-number", params={"search": "cred-"})).json()
            assert not_by_credential["results"] == []

    asyncio.run(scenario())


def test_update_merges_only_sent_fields_and_keeps_the_provider(phone: Any) -> None:
    async def scenario() -> None:
        async with asgi_client(mock_app(phone), headers=AUTH) as client:
            twilio = (await client.post("/phone-number", json={**CREATE_BODIES["twilio"], "smsEnabled": False})).json()
            # the update model defaults smsEnabled to true: not sent, so it must not be applied
            renamed = (await client.patch(f"/phone-number/{twilio['id']}", json={"provider": "twilio", "name": "B"})).json()
            assert renamed["smsEnabled"] is False and renamed["number"] == twilio["number"]
            spoofed = await client.patch(f"/phone-number/{twilio['id']}", json={"provider": "twilio", "id": "x", "orgId": "y"})
            assert spoofed.status_code == 200 and spoofed.json()["id"] == twilio["id"]
            assert spoofed.json()["orgId"] == twilio["orgId"]
            switched = await client.patch(f"/phone-number/{twilio['id']}", json={"provider": "vapi", "name": "C"})
            assert switched.status_code == 409 and "provider" in switched.json()["message"]
            missing = await client.patch(f"/phone-number/{uuid.uuid4()}", json={"provider": "twilio"})
            assert missing.status_code == 404
            assert (await client.delete(f"/phone-number/{uuid.uuid4()}")).status_code == 404

    asyncio.run(scenario())
