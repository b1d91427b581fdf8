"""Server-sent events (hand-written runtime, copied verbatim by vapi-codegen).

The wire format of ``text/event-stream`` (the WHATWG HTML "server-sent events" section) both ways:
``EventDecoder`` turns the bytes of a response into events, ``encode_event`` frames one event for a
server. On top of the decoder, the clients' typed streams: ``Stream`` and ``AsyncStream`` iterate over
``ServerSentEvent``s whose ``data`` is validated into the operation's event type, and close the
response when the iteration ends, when the ``with`` block exits or on ``close()``.

This module imports only ``httpx`` (and pydantic when a stream first parses an event), so importing
the client stays cheap.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, Optional, TypeVar

import httpx

from ._binary import reading

if TYPE_CHECKING:
    from pydantic import TypeAdapter

T = TypeVar("T")

DONE = "[DONE]"  # data that ends a stream (OpenAI's convention, which Vapi's chat streams follow)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class ServerSentEvent(Generic[T]):
    """One event: its ``data`` (parsed), and the ``event`` type, ``id`` and ``retry`` (milliseconds) it
    came with, if any."""

    data: T
    event: Optional[str] = None
    id: Optional[str] = None
    retry: Optional[int] = None


class EventDecoder:
    """Incremental parser of an event stream: feed it bytes, get back the events they complete.

    Lines end with CRLF, LF or CR (only those: a U+2028 inside JSON data is data); a line starting
    with ``:`` is a comment; ``data`` lines are joined with newlines; an event is dispatched at a blank
    line, and only when it has data. The stream is UTF-8 whatever the headers say; a leading BOM is dropped.
    """

    def __init__(self) -> None:
        self._text = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""  # text after the last complete line
        self._started = False
        self._data: list[str] = []
        self._event: Optional[str] = None
        self._id: Optional[str] = None
        self._retry: Optional[int] = None

    def feed(self, chunk: bytes) -> list[ServerSentEvent[str]]:
        """The events completed by ``chunk``."""
        text = self._pending + self._text.decode(chunk)
        if not self._started and text:
            text, self._started = text.removeprefix("\ufeff"), True
        held = "\r" if text.endswith("\r") else ""  # maybe the first half of a CRLF: wait for the next chunk
        lines = _LINE_BREAK.split(text[: len(text) - len(held)])
        self._pending = lines.pop() + held
        return [event for line in lines if (event := self._line(line)) is not None]

    def finish(self) -> list[ServerSentEvent[str]]:
        """The events the end of the stream completes (an unterminated last event is dropped, as the spec says)."""
        rest = self._pending + self._text.decode(b"", final=True)
        self._pending = ""
        return [event for line in _LINE_BREAK.split(rest)[:-1] if (event := self._line(line)) is not None]

    def _line(self, line: str) -> Optional[ServerSentEvent[str]]:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id" and "\0" not in value:
            self._id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self._retry = int(value)
        return None

    def _dispatch(self) -> Optional[ServerSentEvent[str]]:
        data, event, retry = self._data, self._event, self._retry
        self._data, self._event, self._retry = [], None, None
        if not data:
            return None
        # ``id`` stays the last event id until another one is sent, as browsers keep it; ``retry`` is
        # reported with the event it came with.
        return ServerSentEvent("\n".join(data), event or None, self._id, retry)


def encode_event(data: str, *, event: Optional[str] = None, id: Optional[str] = None, retry: Optional[int] = None) -> bytes:
    """One event as it goes on the wire, ending with the blank line that dispatches it; a newline in
    ``data`` splits it over several ``data`` lines (the decoder joins them back)."""
    lines = []
    if event is not None:
        lines.append("event: " + _one_line(event, "event"))
    if id is not None:
        lines.append("id: " + _one_line(id, "id"))
    if retry is not None:
        lines.append(f"retry: {int(retry)}")
    lines.extend("data: " + part for part in _LINE_BREAK.split(data))
    return ("\n".join(lines) + "\n\n").encode("utf-8")


def _one_line(value: str, field: str) -> str:
    if _LINE_BREAK.search(value) or "\0" in value:
        raise ValueError(f"an event's {field} must be one line without NUL")
    return value


# --- typed streams of the clients ------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Events(Generic[T]):
    """What an operation's events carry: ``data`` gives the type each event's data is validated into
    (a function, called on first use), ``text`` says the data is text rather than JSON, ``flag`` is the
    body field asking for the stream (``"stream"``: the client sets it to true), if any."""

    data: Callable[[], Any]
    text: bool = False
    flag: Optional[str] = None

    @cached_property
    def adapter(self) -> TypeAdapter[T]:
        from ._client import _adapter  # imported with the first event, not with the client

        return _adapter(self.data())

    def parse(self, raw: ServerSentEvent[str], response: httpx.Response) -> ServerSentEvent[T]:
        """``raw`` with its data decoded (JSON unless ``text``) and validated leniently."""
        from pydantic_core import ValidationError

        from ._client import ApiResponseValidationError, _lenient_context

        try:
            value: Any = raw.data if self.text else json.loads(raw.data)
            data = self.adapter.validate_python(value, context=_lenient_context())
        except ValueError as error:  # ValidationError is a ValueError too
            kind = "does not fit" if isinstance(error, ValidationError) else "is not JSON"
            raise ApiResponseValidationError(response, f"event data {kind}: {error}") from error
        return ServerSentEvent(data, raw.event, raw.id, raw.retry)


def _refuse_json(response: httpx.Response) -> None:
    """Raise ``ApiResponseValidationError`` for a JSON answer where events were asked for (read as
    events it would give none, and its content would be lost); any other type is read as events."""
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "application/json" or media_type.endswith("+json"):
        from ._client import ApiResponseValidationError

        raise ApiResponseValidationError(response, f"answered {media_type}, not an event stream (text/event-stream)")


def _decoded(chunks: Iterator[bytes]) -> Iterator[ServerSentEvent[str]]:
    decoder = EventDecoder()
    for chunk in chunks:
        yield from decoder.feed(chunk)
    yield from decoder.finish()


async def _async_decoded(chunks: AsyncIterator[bytes]) -> AsyncIterator[ServerSentEvent[str]]:
    decoder = EventDecoder()
    async for chunk in chunks:
        for event in decoder.feed(chunk):
            yield event
    for event in decoder.finish():
        yield event


class Stream(Generic[T]):
    """The events of one response, parsed as they arrive: iterate over it (once), inside ``with``.

    The response is closed when the iteration ends, breaks out of the ``with`` block, or on ``close()``.
    """

    def __init__(self, response: httpx.Response, events: Events[T]) -> None:
        self.response = response
        self._events = events

    def __iter__(self) -> Iterator[ServerSentEvent[T]]:
        try:
            with reading(self.response):
                _refuse_json(self.response)
                for raw in _decoded(self.response.iter_bytes()):
                    if raw.data == DONE:
                        return
                    yield self._events.parse(raw, self.response)
        finally:
            self.close()

    def close(self) -> None:
        """Close the response (and its connection, when the stream was not read to its end)."""
        self.response.close()

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncStream(Generic[T]):
    """The async ``Stream``: ``async for`` over it, inside ``async with``."""

    def __init__(self, response: httpx.Response, events: Events[T]) -> None:
        self.response = response
        self._events = events

    async def __aiter__(self) -> AsyncIterator[ServerSentEvent[T]]:
        try:
            with reading(self.response):
                _refuse_json(self.response)
                async for raw in _async_decoded(self.response.aiter_bytes()):
                    if raw.data == DONE:
                        return
                    yield self._events.parse(raw, self.response)
        finally:
            await self.aclose()

    async def aclose(self) -> None:
        """Close the response (and its connection, when the stream was not read to its end)."""
        await self.response.aclose()

    async def __aenter__(self) -> AsyncStream[T]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
