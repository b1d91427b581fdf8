"""Paging the mock in creation order looks only at the page: at 50,000 resources a page costs what it
costs at 1,000, and it holds what a full scan would put there, deletions included."""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

from pydantic import TypeAdapter

from ..server_support import submodule

NAME = "Reception"  # every resource's name: a search for it matches them all and takes the scanning path


def filled_mock(phone: Any, count: int) -> Any:
    mock = submodule(phone, "mock").MockService()
    body = TypeAdapter(phone.PhoneNumberCreateBody).validate_python({"provider": "vapi", "name": NAME})

    async def fill() -> None:
        for _ in range(count):
            await mock.create(body)

    asyncio.run(fill())
    return mock


def page_ids(mock: Any, **query: Any) -> list[str]:
    page = asyncio.run(mock.find_all_paginated(limit=100, **query))
    return [item.id for item in page.results]


def median_page_seconds(mock: Any, pages: list[int]) -> float:
    async def timed() -> list[float]:
        seconds = []
        for _ in range(5):
            for number in pages:
                for order in ("ASC", "DESC"):
                    start = time.perf_counter()
                    await mock.find_all_paginated(page=number, limit=100, sort_order=order)
                    seconds.append(time.perf_counter() - start)
        return seconds

    return statistics.median(asyncio.run(timed()))


def test_a_page_at_50000_resources_costs_what_it_costs_at_1000(phone: Any) -> None:
    small, large = filled_mock(phone, 1_000), filled_mock(phone, 50_000)
    median_page_seconds(small, [1])  # warm-up: validators built
    at_1000 = median_page_seconds(small, [1, 5, 10])
    at_50000 = median_page_seconds(large, [1, 250, 500])
    assert at_50000 < 0.010, at_50000  # ~0.5 ms: validating the 100 items answered
    assert at_50000 < 3 * at_1000 + 0.001, (at_1000, at_50000)
    listed = asyncio.run(large.find_all(limit=10))
    assert len(listed) == 10


def test_pages_in_creation_order_hold_what_a_full_scan_finds(phone: Any) -> None:
    mock = filled_mock(phone, 350)
    for item_id in page_ids(mock, page=2)[::7] + page_ids(mock, page=4, sort_order="ASC")[:3]:
        asyncio.run(mock.remove(item_id))
    for number in range(1, 6):
        for order in ("ASC", "DESC"):
            fast = page_ids(mock, page=number, sort_order=order)
            scanned = page_ids(mock, page=number, sort_order=order, search=NAME)
            assert fast == scanned, (number, order)
    page = asyncio.run(mock.find_all_paginated(page=1, limit=100))
    assert page.metadata.total_items == 350 - 15 - 3
    newest = asyncio.run(mock.find_all(limit=5))
    assert [item.id for item in newest] == page_ids(mock, page=1)[:5]
