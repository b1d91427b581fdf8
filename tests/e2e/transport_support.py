"""What the transport tests share: a service implementing the documents API (tests/fixtures/documents-api.yml)
on the generated server, a second app standing for another host (a CDN a download redirects to), and
clients of both flavours talking to them in process or over uvicorn.

In process, the async client uses httpx's ASGI transport and the sync client ``PortalASGITransport``
(each request handed to the ASGI transport in a blocking portal's event loop). Both reach the apps
through ``HostRouter``, which picks the app by the request's host, so a redirect to another host
stays in process.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import threading
from collections.abc import AsyncIterator
from typing import Any

import anyio.from_thread
import httpx

from ..server_support import TOKEN, submodule
from .test_end_to_end import PortalASGITransport

API_HOST = "api.test"
CDN_HOST = "cdn.test"


class DocumentService:
    """The documents API, implemented as a user of the generated server would: files kept in memory."""

    def __init__(self, package: Any, cdn: str = f"http://{CDN_HOST}") -> None:
        self.models = package.models
        self.server = submodule(package, "server")
        self.media = submodule(package, "_server_media")
        self.cdn = cdn  # where ``link`` redirects to
        self.documents: dict[str, Any] = {}
        self.contents: dict[str, bytes] = {}
        self.released = threading.Event()  # ``content`` of a "slow-..." document waits for it after its first chunk
        self.replaced: list[bytes] = []

    async def upload(self, *, file: Any, title: str, attachments: Any = None, tags: Any = None, pages: Any = None, meta: Any = None) -> Any:
        data = await file.read()
        document_id = f"doc-{len(self.documents) + 1}"
        document = self.models.Document(
            id=document_id,
            title=title,
            filename=file.filename,
            contentType=file.content_type,
            size=len(data),
            attachments=[f"{a.filename}:{a.content_type}:{len(await a.read())}" for a in attachments or []],
            tags=tags,
            pages=pages,
            meta=meta,
        )
        self.documents[document_id] = document
        self.contents[document_id] = data
        return document

    async def get(self, id: str) -> Any:
        return self._document(id)

    async def content(self, id: str) -> Any:
        document = self._document(id)
        data = self.contents[id]
        if document.title.startswith("slow-"):
            return self.media.BinaryBody(self._slow_chunks(data), document.content_type, document.filename)
        chunks = [data[i : i + 1024] for i in range(0, len(data), 1024)]
        return self.media.BinaryBody(iter(chunks), document.content_type, document.filename)

    async def _slow_chunks(self, data: bytes) -> AsyncIterator[bytes]:
        """The first chunk, then the rest only once the client has it: a client holding the whole body
        before handing out the first chunk would never get it."""
        yield data[:1024]
        if not await asyncio.to_thread(self.released.wait, 10):
            raise TimeoutError("the client did not read the first chunk on its own")
        for start in range(1024, len(data), 1024):
            yield data[start : start + 1024]

    async def replace(self, id: str, body: bytes) -> Any:
        document = self._document(id)
        self.contents[id] = body
        self.replaced.append(body)
        return document.model_copy(update={"size": len(body)})

    async def link(self, id: str, *, target: Any = None) -> Any:
        from starlette.responses import RedirectResponse

        self._document(id)
        if target == "same-origin":
            return RedirectResponse(f"/documents/{id}/content", status_code=302)
        return RedirectResponse(f"{self.cdn}/blobs/{id}?signature=s3cret", status_code=302)

    async def watch(self, id: str) -> Any:
        document = self._document(id)
        events = self.models.DocumentEvent
        sse = self.media.ServerSentEvent

        async def changes() -> AsyncIterator[Any]:
            yield sse(events(kind="created", size=0), event="change", id="1", retry=1500)
            yield events(kind="grown", size=document.size // 2)
            yield sse({"kind": "done", "size": document.size}, event="change", id="3")

        return changes()

    async def ticks(self, *, count: Any = None) -> Any:
        return iter([f"tick {n}\nline two" if n == 2 else f"tick {n}" for n in range(1, (count or 3) + 1)])

    async def create(self, body: Any) -> Any:
        words = body.input.split()
        if not body.stream:
            return self.models.ChatReply(output=body.input.upper())

        async def deltas() -> AsyncIterator[Any]:
            for word in words:
                yield self.models.ChatDelta(delta=word.upper())

        return deltas()

    async def create_2(self, body: Any) -> Any:
        return body

    def _document(self, document_id: str) -> Any:
        if document_id not in self.documents:
            raise self.server.NotFound(f"no document {document_id!r}")
        return self.documents[document_id]


def documents_app(package: Any, service: DocumentService) -> Any:
    server = submodule(package, "server")
    return server.create_app(service, authenticate=lambda token: token == TOKEN)


class Cdn:
    """Another host: serves ``/blobs/{id}`` from the service's contents and records the headers it gets."""

    def __init__(self, service: DocumentService) -> None:
        from starlette.applications import Starlette
        from starlette.responses import Response
        from starlette.routing import Route

        self.seen: list[dict[str, str]] = []

        async def blob(request: Any) -> Any:
            self.seen.append(dict(request.headers))
            data = service.contents[request.path_params["blob"]]
            return Response(data, media_type="application/pdf", headers={"Content-Disposition": 'attachment; filename="from-cdn.pdf"'})

        self.app = Starlette(routes=[Route("/blobs/{blob}", blob)])


class HostRouter:
    """An ASGI app handing each request to the app of its host."""

    def __init__(self, apps: dict[str, Any]) -> None:
        self.apps = apps

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        headers = dict(scope.get("headers") or [])
        host = headers.get(b"host", b"").decode().split(":")[0]
        await self.apps[host](scope, receive, send)


@contextlib.asynccontextmanager
async def in_process(package: Any, flavour: str, app: Any, **options: Any) -> AsyncIterator[tuple[Any, list[httpx.Request]]]:
    """A client of ``flavour`` for ``app`` (reached as http://api.test), and the requests it sends."""
    sent: list[httpx.Request] = []
    options = {"base_url": f"http://{API_HOST}", "token": TOKEN, **options}
    if flavour == "async":

        async def record(request: httpx.Request) -> None:
            sent.append(request)

        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with (
            httpx.AsyncClient(transport=transport, event_hooks={"request": [record]}) as http,
            package.AsyncClient(httpx_client=http, **options) as client,
        ):
            yield client, sent
    else:
        with anyio.from_thread.start_blocking_portal() as portal:
            with (
                httpx.Client(transport=PortalASGITransport(app, portal), event_hooks={"request": [sent.append]}) as http,
                package.Client(httpx_client=http, **options) as client,
            ):
                yield client, sent


@contextlib.asynccontextmanager
async def over_network(package: Any, flavour: str, base_url: str, **options: Any) -> AsyncIterator[Any]:
    """A client of ``flavour`` with its own connection pool, for a server listening at ``base_url``."""
    options = {"base_url": base_url, "token": TOKEN, **options}
    if flavour == "async":
        async with package.AsyncClient(**options) as client:
            yield client
    else:
        with package.Client(**options) as client:
            yield client


async def settle(value: Any) -> Any:
    """The async client's result awaited; the sync client's as it is."""
    return await value if inspect.isawaitable(value) else value


async def events_of(stream: Any) -> list[Any]:
    """Every event of a ``Stream`` or an ``AsyncStream`` (awaited first), inside its context manager."""
    stream = await settle(stream)
    if hasattr(stream, "__aenter__"):
        async with stream:
            return [event async for event in stream]
    with stream:
        return list(stream)
