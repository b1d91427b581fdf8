"""Responses of raw bytes (hand-written runtime, copied verbatim by vapi-codegen).

An operation answering a non-JSON body (a recording, a file, text) returns a ``BinaryResponse``
instead of a model: the bytes, their content type and the file name the server suggests. Read
whole by default; through a resource's ``with_streaming_response`` the body stays on the wire
until it is iterated or written to a file, so a large download never sits in memory::

    with client.calls.with_streaming_response.mono_recording_download(call_id) as recording:
        recording.write_to_file("call.wav")

(``async with`` gives an ``AsyncBinaryResponse``, whose reading methods are awaited.)
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from os import PathLike
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Optional, ParamSpec, Union
from urllib.parse import unquote

import httpx

P = ParamSpec("P")

_streaming: ContextVar[bool] = ContextVar("vapi_codegen_streaming", default=False)


def streaming_requested() -> bool:
    """Whether the call being made should leave the body on the wire (``with_streaming_response``)."""
    return _streaming.get()


@contextmanager
def reading(response: httpx.Response) -> Iterator[None]:
    """Reading a body still on the wire: a connection lost meanwhile is an ``ApiConnectionError``
    (``ApiTimeoutError`` for a timeout), like one lost before the answer."""
    try:
        yield
    except httpx.TransportError as error:
        from ._client import _wrap_transport_error

        raise _wrap_transport_error(error, response.request) from error


class _BinaryBase:
    """What both flavours tell without reading the body."""

    def __init__(self, response: httpx.Response) -> None:
        self.http_response = response

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def content_type(self) -> Optional[str]:
        """The media type of the body (``audio/wav``), without its parameters; None when not given."""
        value = self.headers.get("content-type")
        media = value.split(";")[0].strip().lower() if value else ""
        return media or None

    @property
    def filename(self) -> Optional[str]:
        """The file name ``Content-Disposition`` suggests (``filename*`` first, as RFC 6266 asks),
        without any directory part, so it is safe to join to a directory of your own; None when there is none."""
        name = disposition_filename(self.headers.get("content-disposition", ""))
        base = PurePosixPath(name.replace("\\", "/")).name if name else ""
        return base if base not in ("", ".", "..") else None


_PARAMETER = re.compile(r';\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


def disposition_filename(value: str) -> Optional[str]:
    """The ``filename*`` (RFC 5987: ``UTF-8''na%C3%AFve.txt``) of a ``Content-Disposition`` value,
    else its ``filename``; None when it has neither."""
    parameters: dict[str, str] = {}
    for name, raw in _PARAMETER.findall(value):
        text = raw.strip()
        if text.startswith('"') and text.endswith('"') and len(text) > 1:
            text = re.sub(r"\\(.)", r"\1", text[1:-1])
        parameters.setdefault(name.lower(), text)
    charset, _, rest = parameters.get("filename*", "").partition("'")
    _, quoted, encoded = rest.partition("'")
    if quoted:
        try:
            return unquote(encoded, encoding=charset or "utf-8", errors="strict")
        except (LookupError, UnicodeDecodeError):
            pass
    return parameters.get("filename") or None


class BinaryResponse(_BinaryBase):
    """A body of raw bytes: ``content``, ``iter_bytes()``, ``write_to_file(path)``, ``content_type``
    and ``filename``. From a streaming call, the body is read as it is iterated or written."""

    @property
    def content(self) -> bytes:
        """The whole body (read now, if it was still on the wire)."""
        with reading(self.http_response):
            return self.http_response.read()

    @property
    def text(self) -> str:
        """The body decoded with the charset it declares (else UTF-8)."""
        with reading(self.http_response):
            self.http_response.read()
        return self.http_response.text

    def iter_bytes(self, chunk_size: Optional[int] = None) -> Iterator[bytes]:
        """The body in chunks (of ``chunk_size`` bytes, except the last), as they arrive."""
        with reading(self.http_response):
            yield from self.http_response.iter_bytes(chunk_size)

    def write_to_file(self, path: Union[str, PathLike[str]], chunk_size: Optional[int] = None) -> int:
        """Write the body to ``path`` chunk by chunk; the number of bytes written."""
        written = 0
        with Path(path).open("wb") as file:
            for chunk in self.iter_bytes(chunk_size):
                written += file.write(chunk)
        return written

    def close(self) -> None:
        self.http_response.close()

    def __enter__(self) -> BinaryResponse:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncBinaryResponse(_BinaryBase):
    """The body of an async streaming call: ``await read()``, ``async for chunk in iter_bytes()``,
    ``await write_to_file(path)``."""

    async def read(self) -> bytes:
        """The whole body."""
        with reading(self.http_response):
            return await self.http_response.aread()

    async def iter_bytes(self, chunk_size: Optional[int] = None) -> AsyncIterator[bytes]:
        """The body in chunks (of ``chunk_size`` bytes, except the last), as they arrive."""
        with reading(self.http_response):
            async for chunk in self.http_response.aiter_bytes(chunk_size):
                yield chunk

    async def write_to_file(self, path: Union[str, PathLike[str]], chunk_size: Optional[int] = None) -> int:
        """Write the body to ``path`` chunk by chunk; the number of bytes written."""
        written = 0
        with Path(path).open("wb") as file:
            async for chunk in self.iter_bytes(chunk_size):
                written += file.write(chunk)
        return written

    async def aclose(self) -> None:
        await self.http_response.aclose()


class StreamedCall:
    """A call made on entering ``with``, whose body is closed on leaving it."""

    def __init__(self, send: Callable[[], BinaryResponse]) -> None:
        self._send = send
        self._response: Optional[BinaryResponse] = None

    def __enter__(self) -> BinaryResponse:
        token = _streaming.set(True)
        try:
            self._response = self._send()
        finally:
            _streaming.reset(token)
        return self._response

    def __exit__(self, kind: Optional[type[BaseException]], error: Optional[BaseException], trace: Optional[TracebackType]) -> None:
        if self._response is not None:
            self._response.close()


class AsyncStreamedCall:
    """The async ``StreamedCall``, for ``async with``."""

    def __init__(self, send: Callable[[], Awaitable[object]]) -> None:
        self._send = send
        self._response: Optional[AsyncBinaryResponse] = None

    async def __aenter__(self) -> AsyncBinaryResponse:
        token = _streaming.set(True)
        try:
            response = await self._send()
        finally:
            _streaming.reset(token)
        assert isinstance(response, AsyncBinaryResponse)  # what a download answers while streaming
        self._response = response
        return response

    async def __aexit__(self, kind: Optional[type[BaseException]], error: Optional[BaseException], trace: Optional[TracebackType]) -> None:
        if self._response is not None:
            await self._response.aclose()


def streaming_response(method: Callable[P, BinaryResponse]) -> Callable[P, StreamedCall]:
    """``method`` as a context manager whose body stays on the wire until read (``with ... as r``)."""

    @wraps(method)
    def call(*args: P.args, **kwargs: P.kwargs) -> StreamedCall:
        return StreamedCall(lambda: method(*args, **kwargs))

    return call


def async_streaming_response(method: Callable[P, Awaitable[BinaryResponse]]) -> Callable[P, AsyncStreamedCall]:
    """The async ``streaming_response`` (``async with ... as r``), giving an ``AsyncBinaryResponse``."""

    @wraps(method)
    def call(*args: P.args, **kwargs: P.kwargs) -> AsyncStreamedCall:
        return AsyncStreamedCall(lambda: method(*args, **kwargs))

    return call

