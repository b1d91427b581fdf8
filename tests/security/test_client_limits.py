"""The generated clients bound each attempt: its timeout is a deadline for the whole attempt, so a
server dripping a byte at a time cannot keep a call alive; an error body is read only up to
``MAX_ERROR_BODY`` bytes, and a validation failure's message is cut short."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from typing import Any, Iterator

import httpx
import pytest

DRIP_SECONDS = 0.05  # between two bytes: far below the read timeout, so only a deadline ends the call
DRIP_BYTES = 400  # at most, then the server gives up by itself (20 s)


def _drip(connection: socket.socket, head: bytes) -> None:
    """Answer one request on ``connection`` with ``head`` then a byte every ``DRIP_SECONDS``."""
    with connection:
        connection.settimeout(5)
        with contextlib.suppress(OSError):
            connection.recv(65536)
            for index, byte in enumerate(head + b"[" + b" " * DRIP_BYTES):
                connection.sendall(bytes([byte]))
                if index >= len(head) - 1 or head.startswith(b"HTTP/1.1 200 OK\r\nX-Drip: headers"):
                    time.sleep(DRIP_SECONDS)


@contextlib.contextmanager
def dripping_server(head: bytes) -> Iterator[str]:
    """A loopback server answering every connection with ``head`` then a body dripped a byte at a time;
    yields its base URL."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=_drip, args=(connection, head), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


BODY_DRIP = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 401\r\n\r\n"
HEADER_DRIP = b"HTTP/1.1 200 OK\r\nX-Drip: headers" + b"-" * 200 + b"\r\n\r\n"


def test_a_sync_call_ends_at_its_timeout_however_slowly_the_body_drips(phone: Any) -> None:
    with dripping_server(BODY_DRIP) as base_url:
        with phone.Client(base_url=base_url, token="t", timeout=1.0, max_retries=0) as client:
            start = time.monotonic()
            with pytest.raises(phone.ApiTimeoutError, match="longer than its timeout in all"):
                client.phone_numbers.find_all()
            assert time.monotonic() - start < 3  # 1 s and the chunk arriving after it; was 20 s


@pytest.mark.parametrize("head", [BODY_DRIP, HEADER_DRIP], ids=["body", "headers"])
def test_an_async_call_ends_at_its_timeout_however_slowly_the_answer_drips(phone: Any, head: bytes) -> None:
    async def call() -> float:
        async with phone.AsyncClient(base_url=base_url, token="t", timeout=1.0, max_retries=0) as client:
            start = time.monotonic()
            with pytest.raises(phone.ApiTimeoutError, match="longer than its timeout in all"):
                await client.phone_numbers.find_all()
            return time.monotonic() - start

    with dripping_server(head) as base_url:
        assert asyncio.run(call()) < 2.5


def test_the_deadline_counts_per_attempt_and_a_timed_out_get_is_retried(phone: Any) -> None:
    with dripping_server(BODY_DRIP) as base_url:
        with phone.Client(base_url=base_url, token="t", timeout=0.5, max_retries=1, sleep=lambda seconds: None) as client:
            start = time.monotonic()
            with pytest.raises(phone.ApiTimeoutError):
                client.phone_numbers.find_all()
            assert 1.0 <= time.monotonic() - start < 3


def test_an_httpx_timeout_bounds_the_attempt_by_its_largest_phase(phone: Any) -> None:
    with dripping_server(BODY_DRIP) as base_url:
        timeout = httpx.Timeout(0.5, read=1.2)  # the attempt's deadline: 1.2 s
        with phone.Client(base_url=base_url, token="t", timeout=timeout, max_retries=0) as client:
            start = time.monotonic()
            with pytest.raises(phone.ApiTimeoutError):
                client.phone_numbers.find_all()
            assert 1.2 <= time.monotonic() - start < 3


class CountingStream(httpx.SyncByteStream):
    """100 MB of body in 16 KiB chunks, counting how many were taken."""

    def __init__(self) -> None:
        self.taken = 0

    def __iter__(self) -> Iterator[bytes]:
        for _ in range(6400):
            self.taken += 1
            yield b"e" * 16384


def test_only_the_first_64_kib_of_an_error_body_are_read(phone: Any) -> None:
    stream = CountingStream()
    transport = httpx.MockTransport(lambda request: httpx.Response(500, stream=stream))
    with phone.Client(token="t", httpx_client=httpx.Client(transport=transport), max_retries=0) as client:
        with pytest.raises(phone.InternalServerError) as caught:
            client.phone_numbers.find_one("x")
    assert stream.taken == 4  # 4 x 16 KiB = MAX_ERROR_BODY
    assert caught.value.body == "e" * 65536
    assert len(str(caught.value)) < 700


def test_an_async_error_body_is_cut_at_64_kib_too(phone: Any) -> None:
    huge = b'{"message": "' + b"e" * (1 << 20) + b'"}'
    transport = httpx.MockTransport(lambda request: httpx.Response(404, content=huge))

    async def call() -> Any:
        async with phone.AsyncClient(token="t", httpx_client=httpx.AsyncClient(transport=transport), max_retries=0) as client:
            with pytest.raises(phone.NotFoundError) as caught:
                await client.phone_numbers.find_one("x")
            return caught.value

    error = asyncio.run(call())
    assert error.body == huge[:65536].decode()  # no longer JSON once cut: kept as text
    assert error.response.content == huge[:65536]


def test_a_response_that_fails_validation_has_a_bounded_message(phone: Any) -> None:
    items = [{"id": index, "provider": "twilio", "createdAt": "never"} for index in range(5000)]
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=items))
    with phone.Client(token="t", httpx_client=httpx.Client(transport=transport), max_retries=0) as client:
        with pytest.raises(phone.ApiResponseValidationError) as caught:
            client.phone_numbers.find_all()
    message = str(caught.value)
    assert len(message) < 2200
    assert message.endswith("more characters)")
    assert len(caught.value.response.content) > 100_000  # a success body is read whole, to be parsed


def test_a_normal_call_still_reads_the_whole_body(phone: Any) -> None:
    body = [{"id": f"pn-{index}", "orgId": "o", "createdAt": "2024-05-01T12:00:00Z", "updatedAt": "2024-05-01T12:00:00Z",
             "provider": "vapi", "name": "n" * 30} for index in range(2000)]  # fmt: skip
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
    with phone.Client(token="t", httpx_client=httpx.Client(transport=transport)) as client:
        assert [item.id for item in client.phone_numbers.find_all()] == [item["id"] for item in body]
