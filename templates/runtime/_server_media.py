"""Answers and request bodies of the generated server that are not JSON (hand-written runtime, copied
verbatim by vapi-codegen).

- Downloads: a service returns ``bytes``, a ``BinaryBody`` (bytes or an (async) iterator of chunks,
  streamed, with a media type and a file name for ``Content-Disposition``) or any Starlette
  ``Response`` (a ``RedirectResponse`` to where the bytes are, a ``FileResponse``...).
- Server-sent events: a service returns an (async) iterator of event data (models, or text for a
  text stream), or of ``ServerSentEvent``s to set ``event``, ``id`` or ``retry``; it is streamed as
  ``text/event-stream``, each data validated into the operation's event type and sent as JSON. An
  operation that also answers JSON gets that answer when the service returns a model instead.
- Uploads: multipart parts arrive as FastAPI ``UploadFile``s (``filename``, ``content_type``,
  ``size``, ``await read()``, the spooled ``file``) and typed form fields.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Optional, TypeVar, Union
from urllib.parse import quote

from fastapi import File as File
from fastapi import Form as Form
from fastapi import UploadFile as UploadFile
from pydantic import Json as Json
from pydantic import TypeAdapter
from starlette.concurrency import iterate_in_threadpool
from starlette.responses import Response, StreamingResponse

from ._sse import ServerSentEvent as ServerSentEvent
from ._sse import encode_event

_LOG = logging.getLogger(__name__)
T = TypeVar("T")

Chunks = Union[bytes, Iterator[bytes], AsyncIterator[bytes]]


@dataclass(frozen=True)
class BinaryBody:
    """A download: its bytes (or chunks, streamed as they come), media type and suggested file name."""

    content: Chunks
    media_type: Optional[str] = None
    filename: Optional[str] = None


Download = Union[bytes, BinaryBody, Response]
"""What a service returns for an operation answering raw bytes."""

EventSource = Union[AsyncIterator[Union[T, ServerSentEvent[T]]], Iterator[Union[T, ServerSentEvent[T]]]]
"""What a service returns for an operation answering server-sent events."""


def download_answer(result: Download, media_type: str, status_code: int) -> Response:
    """The answer for a service's download; ``media_type`` is the spec's, unless the body names its own."""
    if isinstance(result, Response):
        return result
    body = result if isinstance(result, BinaryBody) else BinaryBody(result)
    headers = {"Content-Disposition": _attachment(body.filename)} if body.filename else None
    media = body.media_type or media_type
    if isinstance(body.content, bytes):
        return Response(body.content, status_code=status_code, media_type=media, headers=headers)
    return StreamingResponse(body.content, status_code=status_code, media_type=media, headers=headers)


def _attachment(filename: str) -> str:
    """``Content-Disposition`` for a file name: an ASCII fallback, and the exact name (RFC 5987)."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def is_event_source(result: Any) -> bool:
    """Whether a service returned events (an iterator) rather than a JSON answer."""
    return hasattr(result, "__anext__") or hasattr(result, "__next__")


def event_answer(result: Any, data_type: Any, status_code: int = 200, text: bool = False) -> Any:
    """An event stream for an iterator of events; any other result as it is (the JSON answer)."""
    if not is_event_source(result):
        return result
    frames = _frames(result, _adapter(data_type), text)
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}  # no proxy may hold events back
    return StreamingResponse(frames, status_code=status_code, media_type="text/event-stream", headers=headers)


@lru_cache(maxsize=None)
def _adapter(data_type: Any) -> TypeAdapter[Any]:
    return TypeAdapter(data_type)


async def _frames(source: Any, adapter: TypeAdapter[Any], text: bool) -> AsyncIterator[bytes]:
    """Each event framed; an error of the service ends the stream (logged: the status is long sent)."""
    items: AsyncIterator[Any] = source if hasattr(source, "__anext__") else iterate_in_threadpool(source)
    try:
        async for item in items:
            event = item if isinstance(item, ServerSentEvent) else ServerSentEvent(item)
            value = adapter.validate_python(event.data)
            data = value if text else adapter.dump_json(value, by_alias=True, exclude_unset=True).decode("utf-8")
            yield encode_event(data, event=event.event, id=event.id, retry=event.retry)
    except Exception:
        _LOG.exception("the event stream failed")
