"""Pages of the generated clients' paginated operations (hand-written runtime, copied verbatim).

A paginated operation returns its first page (the page asked for): ``items``, the page's
``metadata``, the whole body as ``data``, ``has_next_page()`` and ``next_page()``; looping over a
page yields every item of it and of the pages after it, fetching them one after another. The
async client's method returns an ``AsyncPager``: awaited, it is that first ``AsyncPage``; looped over
with ``async for``, every item of every page.

How an operation pages is declared by the generated code as a ``Paging``: the page-number query
parameter, where the items and the metadata are, and which metadata fields (if the spec declares
them) tell that another page follows.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from ._client import AsyncClientBase, Endpoint, RequestOptions, SyncClientBase

ItemT = TypeVar("ItemT")
PageT = TypeVar("PageT")
MetaT = TypeVar("MetaT")


@dataclass(frozen=True)
class Paging(Generic[ItemT, MetaT]):
    """How a paginated operation pages (``ItemT``: its items, ``MetaT``: its metadata)."""

    page_param: str  # JSON name of the page-number query parameter
    items: str  # attribute of the page model holding the items
    meta: str  # attribute of the page model holding the paging metadata
    has_next: str | None = None  # attribute of the metadata: whether another page follows
    current_page: str | None = None  # attributes of the metadata: another page follows while current < total
    total_pages: str | None = None


def has_next_page(page: Any, paging: Paging[Any, Any]) -> bool:
    """Whether another page follows: the metadata's ``has_next`` field when the page sets it, else
    ``current_page < total_pages`` when it sets both, else yes. An empty page is always the last."""
    if not getattr(page, paging.items):
        return False
    meta = getattr(page, paging.meta, None)
    has_next = _meta_value(meta, paging.has_next)
    if isinstance(has_next, bool):
        return has_next
    current, total = _meta_value(meta, paging.current_page), _meta_value(meta, paging.total_pages)
    if isinstance(current, (int, float)) and isinstance(total, (int, float)):
        return current < total
    return True


def _meta_value(meta: Any, attribute: str | None) -> Any:
    return getattr(meta, attribute, None) if attribute is not None else None


class _Page(Generic[ItemT, PageT, MetaT]):
    """What both flavours of page hold: the body, its items and metadata, and its number."""

    def __init__(self, data: PageT, paging: Paging[ItemT, MetaT], page_number: int) -> None:
        self.data = data  # the page as the API answered it, parsed
        self.items: list[ItemT] = list(getattr(data, paging.items))
        self.metadata: MetaT = getattr(data, paging.meta)
        self.page_number = page_number
        self._paging = paging

    def has_next_page(self) -> bool:
        """Whether another page follows (see ``has_next_page`` of this module)."""
        return has_next_page(self.data, self._paging)

    def _next_number(self) -> int:
        if not self.has_next_page():
            raise RuntimeError("this is the last page: check has_next_page() before calling next_page()")
        return self.page_number + 1

    def __len__(self) -> int:
        return len(self.items)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(page_number={self.page_number}, items={len(self.items)}, has_next_page={self.has_next_page()})"


class SyncPage(_Page[ItemT, PageT, MetaT]):
    """One page of a paginated operation; ``for item in page`` goes on through the following pages."""

    def __init__(
        self, data: PageT, paging: Paging[ItemT, MetaT], page_number: int, fetch: Callable[[int], SyncPage[ItemT, PageT, MetaT]]
    ) -> None:
        super().__init__(data, paging, page_number)
        self._fetch = fetch

    def next_page(self) -> SyncPage[ItemT, PageT, MetaT]:
        """The page after this one (a ``RuntimeError`` on the last page)."""
        return self._fetch(self._next_number())

    def iter_pages(self) -> Iterator[SyncPage[ItemT, PageT, MetaT]]:
        """This page and every page after it, fetched as the iteration reaches them."""
        page = self
        yield page
        while page.has_next_page():
            page = page.next_page()
            yield page

    def __iter__(self) -> Iterator[ItemT]:
        for page in self.iter_pages():
            yield from page.items


class AsyncPage(_Page[ItemT, PageT, MetaT]):
    """One page of a paginated operation; ``async for item in page`` goes on through the following pages."""

    def __init__(
        self,
        data: PageT,
        paging: Paging[ItemT, MetaT],
        page_number: int,
        fetch: Callable[[int], Awaitable[AsyncPage[ItemT, PageT, MetaT]]],
    ) -> None:
        super().__init__(data, paging, page_number)
        self._fetch = fetch

    async def next_page(self) -> AsyncPage[ItemT, PageT, MetaT]:
        """The page after this one (a ``RuntimeError`` on the last page)."""
        return await self._fetch(self._next_number())

    async def iter_pages(self) -> AsyncIterator[AsyncPage[ItemT, PageT, MetaT]]:
        """This page and every page after it, fetched as the iteration reaches them."""
        page = self
        yield page
        while page.has_next_page():
            page = await page.next_page()
            yield page

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item


class AsyncPager(Generic[ItemT, PageT, MetaT]):
    """What an async paginated operation returns: ``await`` it for its first page, or loop over it
    with ``async for`` for every item of every page."""

    def __init__(self, first: Callable[[], Awaitable[AsyncPage[ItemT, PageT, MetaT]]]) -> None:
        self._first = first

    def __await__(self) -> Generator[Any, None, AsyncPage[ItemT, PageT, MetaT]]:
        return self._first().__await__()

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        async for item in await self:
            yield item


def sync_page(
    client: SyncClientBase,
    endpoint: Endpoint[PageT],
    paging: Paging[ItemT, MetaT],
    *,
    path: Mapping[str, Any] | None = None,
    query: Mapping[str, Any],
    headers: Mapping[str, Any] | None = None,
    options: RequestOptions | None = None,
) -> SyncPage[ItemT, PageT, MetaT]:
    """The page ``query`` asks for (the first when it names none, its number sent as given), able to
    fetch the ones after it."""

    def fetch(number: int) -> SyncPage[ItemT, PageT, MetaT]:
        data = client.request(endpoint, path=path, query=_numbered(query, paging, number), headers=headers, options=options)
        return SyncPage(data, paging, number, fetch)

    return fetch(_first_number(query, paging))


def async_pager(
    client: AsyncClientBase,
    endpoint: Endpoint[PageT],
    paging: Paging[ItemT, MetaT],
    *,
    path: Mapping[str, Any] | None = None,
    query: Mapping[str, Any],
    headers: Mapping[str, Any] | None = None,
    options: RequestOptions | None = None,
) -> AsyncPager[ItemT, PageT, MetaT]:
    """The async ``sync_page``: nothing is sent until the pager is awaited or looped over."""

    async def fetch(number: int) -> AsyncPage[ItemT, PageT, MetaT]:
        data = await client.request(endpoint, path=path, query=_numbered(query, paging, number), headers=headers, options=options)
        return AsyncPage(data, paging, number, fetch)

    return AsyncPager(lambda: fetch(_first_number(query, paging)))


def _first_number(query: Mapping[str, Any], paging: Paging[Any, Any]) -> int:
    asked = query.get(paging.page_param)
    return 1 if asked is None else int(asked)


def _numbered(query: Mapping[str, Any], paging: Paging[Any, Any], number: int) -> dict[str, Any]:
    """``query`` asking for page ``number``; the page the caller asked for goes out as they wrote it."""
    asked = query.get(paging.page_param)
    return {**query, paging.page_param: asked if asked is not None and int(asked) == number else number}
