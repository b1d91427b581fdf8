"""Transports by media type, end to end: the generated clients (sync and async) against the generated
server of tests/fixtures/documents-api.yml, in process and over uvicorn on 127.0.0.1.

Uploads (multipart files with their names and types, typed form fields, raw bytes, a form body),
downloads (whole, or streamed in chunks to a file), redirects (followed when the spec documents them,
never carrying credentials to another host) and server-sent events (sync and async, typed, closed on
exit).
"""

from __future__ import annotations

import asyncio
import io
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from ..conftest import ROOT, generate_into, import_fresh
from ..server_support import TOKEN, uvicorn_server
from .transport_support import (
    API_HOST,
    CDN_HOST,
    Cdn,
    DocumentService,
    HostRouter,
    documents_app,
    events_of,
    in_process,
    over_network,
    settle,
)

SPEC = ROOT / "tests" / "fixtures" / "documents-api.yml"
FLAVOURS = ["sync", "async"]
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40  # 10 KiB and then some, every byte value


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("documents")
    generate_into(SPEC, out, "documents_api")
    return import_fresh(out, "documents_api")


def serve(docs: Any) -> tuple[DocumentService, Cdn, HostRouter]:
    service = DocumentService(docs)
    cdn = Cdn(service)
    return service, cdn, HostRouter({API_HOST: documents_app(docs, service), CDN_HOST: cdn.app})


async def upload_report(client: Any, tmp_path: Path) -> Any:
    """An upload with every kind of part: files from a tuple, bytes, a file object and a path."""
    attachment = tmp_path / "notes.txt"
    attachment.write_text("n" * 7, encoding="utf-8")
    return await settle(
        client.documents.upload(
            file=("report.pdf", PDF, "application/pdf"),
            title="Q3 report",
            attachments=[attachment, io.BytesIO(b"12345"), (None, b"xy")],
            tags=["finance", "q3"],
            pages=12,
            meta={"author": "Ada", "draft": False},
        )
    )


# --- uploads ---------------------------------------------------------------------------------


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_upload_sends_names_types_and_typed_fields_then_reads_the_file_back(docs: Any, flavour: str, tmp_path: Path) -> None:
    service, _, app = serve(docs)

    async def scenario() -> None:
        async with in_process(docs, flavour, app) as (client, sent):
            document = await upload_report(client, tmp_path)
            assert sent[-1].headers["content-type"].startswith("multipart/form-data; boundary=")
            assert (document.filename, document.content_type, document.size) == ("report.pdf", "application/pdf", len(PDF))
            # a file without a name of its own goes with the field's name
            assert document.attachments == [
                "notes.txt:text/plain:7",
                "attachments:application/octet-stream:5",
                "attachments:application/octet-stream:2",
            ]
            assert (document.title, document.tags, document.pages) == ("Q3 report", ["finance", "q3"], 12)
            assert document.meta.author == "Ada" and document.meta.draft is False
            back = await settle(client.documents.content(document.id))
            assert type(back) is docs.BinaryResponse
            assert (back.content, back.content_type, back.filename) == (PDF, "application/pdf", "report.pdf")
            assert sent[-1].headers["accept"] == "application/octet-stream"

    asyncio.run(scenario())
    assert service.contents["doc-1"] == PDF


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_file_object_sends_its_own_name_and_a_guessed_type(docs: Any, flavour: str, tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    path.write_bytes(b"\x89PNG....")
    _, _, app = serve(docs)

    async def scenario() -> None:
        async with in_process(docs, flavour, app) as (client, _):
            with path.open("rb") as file:
                from_file = await settle(client.documents.upload(file=file, title="scan"))
            from_bytes = await settle(client.documents.upload(file=b"raw", title="bytes"))
            assert (from_file.filename, from_file.content_type, from_file.size) == ("scan.png", "image/png", 8)
            assert (from_bytes.filename, from_bytes.content_type) == ("file", "application/octet-stream")

    asyncio.run(scenario())


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_raw_octet_stream_upload_and_form_body(docs: Any, flavour: str, tmp_path: Path) -> None:
    service, _, app = serve(docs)
    replacement = tmp_path / "v2.pdf"
    replacement.write_bytes(b"%PDF v2")

    async def scenario() -> None:
        async with in_process(docs, flavour, app) as (client, sent):
            document = await settle(client.documents.upload(file=("a.pdf", b"v1"), title="doc"))
            replaced = await settle(client.documents.replace(document.id, replacement))
            assert replaced.size == 7
            assert sent[-1].headers["content-type"] == "application/octet-stream" and sent[-1].content == b"%PDF v2"
            await settle(client.documents.replace(document.id, io.BytesIO(b"v3")))
            subscription = await settle(client.forms.create({"email": "a@b.c", "plan": "pro", "seats": 3}))
            assert sent[-1].headers["content-type"] == "application/x-www-form-urlencoded"
            assert sent[-1].content == b"email=a%40b.c&plan=pro&seats=3"
            assert (subscription.email, subscription.plan.value, subscription.seats) == ("a@b.c", "pro", 3)
            with pytest.raises(docs.UnprocessableEntityError):  # the form body is validated by the server too
                await settle(client.documents.upload(file=b"x", title="t" * 41))

    asyncio.run(scenario())
    assert service.replaced == [b"%PDF v2", b"v3"]


# --- downloads -------------------------------------------------------------------------------


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_download_errors_are_api_errors(docs: Any, flavour: str) -> None:
    _, _, app = serve(docs)

    async def scenario() -> None:
        async with in_process(docs, flavour, app) as (client, _):
            with pytest.raises(docs.NotFoundError) as caught:
                await settle(client.documents.content("nope"))
            assert caught.value.body["message"] == "no document 'nope'"
            if flavour == "sync":
                with pytest.raises(docs.NotFoundError):
                    with client.documents.with_streaming_response.content("nope"):
                        pass
            else:
                with pytest.raises(docs.NotFoundError):
                    async with client.documents.with_streaming_response.content("nope"):
                        pass

    asyncio.run(scenario())


def test_streamed_download_arrives_in_chunks_over_the_network(docs: Any, tmp_path: Path) -> None:
    """The server sends the second chunk only once the client has the first: a client holding the
    whole body before handing it out would time out."""
    service, _, _ = serve(docs)
    big = PDF * 8
    with uvicorn_server(documents_app(docs, service)) as base_url:
        with docs.Client(base_url=base_url, token=TOKEN) as client:
            document = client.documents.upload(file=("big.pdf", big, "application/pdf"), title="slow-big")
            target = tmp_path / "downloaded.pdf"
            with client.documents.with_streaming_response.content(document.id) as download:
                assert (download.content_type, download.filename) == ("application/pdf", "big.pdf")
                chunks = download.iter_bytes()
                first = next(chunks)
                service.released.set()
                with target.open("wb") as file:
                    file.write(first)
                    for chunk in chunks:
                        file.write(chunk)
            assert target.read_bytes() == big
            service.released.clear()
            with client.documents.with_streaming_response.content(document.id) as download:
                service.released.set()
                assert download.write_to_file(tmp_path / "again.pdf") == len(big)
            assert download.http_response.is_closed
            assert (tmp_path / "again.pdf").read_bytes() == big


def test_async_streamed_download_over_the_network(docs: Any, tmp_path: Path) -> None:
    service, _, _ = serve(docs)

    async def scenario(base_url: str) -> None:
        async with docs.AsyncClient(base_url=base_url, token=TOKEN) as client:
            document = await client.documents.upload(file=("big.pdf", PDF, "application/pdf"), title="slow-async")
            async with client.documents.with_streaming_response.content(document.id) as download:
                assert type(download) is docs.AsyncBinaryResponse
                received = []
                async for chunk in download.iter_bytes():
                    received.append(chunk)
                    service.released.set()
                assert b"".join(received) == PDF and len(received) > 1
            service.released.set()
            async with client.documents.with_streaming_response.content(document.id) as download:
                assert await download.write_to_file(tmp_path / "a.pdf") == len(PDF)

    with uvicorn_server(documents_app(docs, service)) as base_url:
        asyncio.run(scenario(base_url))
    assert (tmp_path / "a.pdf").read_bytes() == PDF


# --- redirects -------------------------------------------------------------------------------


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_redirect_is_followed_in_process_without_credentials_to_another_host(docs: Any, flavour: str) -> None:
    _, cdn, app = serve(docs)

    async def scenario() -> None:
        async with in_process(docs, flavour, app, headers={"X-Api-Key": "k-123", "Cookie": "session=1"}) as (client, sent):
            document = await settle(client.documents.upload(file=("r.pdf", PDF, "application/pdf"), title="r"))
            found = await settle(client.documents.link(document.id))
            assert (found.content, found.filename) == (PDF, "from-cdn.pdf")
            assert [r.url.host for r in sent[-2:]] == [API_HOST, CDN_HOST]
            assert sent[-2].headers["authorization"] == f"Bearer {TOKEN}"
            same = await settle(client.documents.link(document.id, target="same-origin"))
            assert same.content == PDF and same.filename == "r.pdf"
            assert sent[-1].url.path == f"/documents/{document.id}/content"
            assert sent[-1].headers["authorization"] == f"Bearer {TOKEN}"  # same origin: the token goes along
            with pytest.raises(docs.ApiError) as caught:
                await settle(client.documents.link(document.id, options={"follow_redirects": False}))
            assert caught.value.status_code == 302

    asyncio.run(scenario())
    assert len(cdn.seen) == 1
    leaked = {name for name in cdn.seen[0] if name in ("authorization", "x-api-key", "cookie")}
    assert leaked == set()


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_redirect_over_the_network_to_another_host_name_and_port(docs: Any, flavour: str) -> None:
    """The API on 127.0.0.1, the CDN on another port, reached as ``localhost``: another origin twice over."""
    service, cdn, _ = serve(docs)

    async def scenario(api_url: str) -> None:
        async with over_network(docs, flavour, api_url, headers={"X-Api-Key": "k-123"}) as client:
            document = await settle(client.documents.upload(file=("r.pdf", PDF, "application/pdf"), title="r"))
            found = await settle(client.documents.link(document.id))
            assert (found.content, found.content_type) == (PDF, "application/pdf")
            if flavour == "sync":
                with client.documents.with_streaming_response.link(document.id) as streamed:
                    assert b"".join(streamed.iter_bytes()) == PDF
            else:
                async with client.documents.with_streaming_response.link(document.id) as streamed:
                    assert await streamed.read() == PDF

    with uvicorn_server(cdn.app) as cdn_url:
        service.cdn = cdn_url.replace("127.0.0.1", "localhost")
        with uvicorn_server(documents_app(docs, service)) as api_url:
            asyncio.run(scenario(api_url))
    assert len(cdn.seen) == 2
    for headers in cdn.seen:
        assert headers["host"].startswith("localhost:")
        assert not {"authorization", "x-api-key", "cookie"} & set(headers)


def test_redirect_rules(docs: Any) -> None:
    import httpx

    follow = docs._redirects.redirect_request
    original = httpx.Request(
        "POST", "https://api.test/a", headers={"Authorization": "Bearer t", "X-Api-Key": "k", "Accept": "*/*"}, content=b"{}"
    )
    to_other = follow(original, httpx.Response(307, headers={"Location": "https://other.test/b"}))
    assert (to_other.method, to_other.url.host, to_other.read()) == ("POST", "other.test", b"{}")
    assert set(to_other.headers) <= {"accept", "host", "content-length"} and to_other.headers["host"] == "other.test"
    see_other = follow(original, httpx.Response(303, headers={"Location": "/c"}))
    assert (see_other.method, str(see_other.url), see_other.headers["authorization"]) == ("GET", "https://api.test/c", "Bearer t")
    assert "content-length" not in see_other.headers and see_other.content == b""
    downgraded = follow(original, httpx.Response(302, headers={"Location": "http://api.test/d"}))
    assert "authorization" not in downgraded.headers  # https -> http is another origin too
    assert follow(original, httpx.Response(302)) is None  # no Location: the answer itself
    assert follow(original, httpx.Response(302, headers={"Location": "ftp://x/y"})) is None


# --- server-sent events ----------------------------------------------------------------------


async def check_events(docs: Any, client: Any, sent: list[Any] | None) -> None:
    document = await settle(client.documents.upload(file=("r.pdf", PDF, "application/pdf"), title="r"))
    events = await events_of(client.documents.watch(document.id))
    assert [(e.event, e.id, e.retry, type(e.data), e.data.kind.value, e.data.size) for e in events] == [
        ("change", "1", 1500, docs.DocumentEvent, "created", 0),
        (None, "1", None, docs.DocumentEvent, "grown", len(PDF) // 2),
        ("change", "3", None, docs.DocumentEvent, "done", len(PDF)),
    ]
    if sent is not None:
        assert sent[-1].headers["accept"] == "text/event-stream"
    ticks = await events_of(client.ticks.ticks(count=3))
    assert [e.data for e in ticks] == ["tick 1", "tick 2\nline two", "tick 3"]
    reply = await settle(client.chat.create({"input": "hello there"}))
    assert type(reply) is docs.ChatReply and reply.output == "HELLO THERE"
    deltas = await events_of(client.chat.create_stream({"input": "hello there"}))
    assert [e.data.delta for e in deltas] == ["HELLO", "THERE"]
    if sent is not None:
        import json

        assert json.loads(sent[-1].content) == {"input": "hello there", "stream": True}  # the stream asked for


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_events_in_process(docs: Any, flavour: str) -> None:
    _, _, app = serve(docs)

    async def scenario() -> None:
        async with in_process(docs, flavour, app) as (client, sent):
            await check_events(docs, client, sent)

    asyncio.run(scenario())


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_events_over_the_network(docs: Any, flavour: str) -> None:
    service, _, _ = serve(docs)

    async def scenario(base_url: str) -> None:
        async with over_network(docs, flavour, base_url) as client:
            await check_events(docs, client, None)

    with uvicorn_server(documents_app(docs, service)) as base_url:
        asyncio.run(scenario(base_url))


def test_leaving_a_stream_early_closes_it(docs: Any) -> None:
    service, _, _ = serve(docs)
    with uvicorn_server(documents_app(docs, service)) as base_url:
        with docs.Client(base_url=base_url, token=TOKEN) as client:
            with client.ticks.ticks(count=1000) as stream:
                for event in stream:
                    assert event.data == "tick 1"
                    break
            assert stream.response.is_closed
            assert [e.data for e in client.ticks.ticks(count=1)] == ["tick 1"]  # the pool is fine

    async def leave_async() -> None:
        async with docs.AsyncClient(base_url=base_url, token=TOKEN) as client:
            async with await client.ticks.ticks(count=1000) as stream:
                async for _ in stream:
                    break
            assert stream.response.is_closed

    with uvicorn_server(documents_app(docs, service)) as base_url:
        asyncio.run(leave_async())


def test_event_data_that_does_not_fit_is_a_validation_error(docs: Any) -> None:
    import httpx

    body = b'event: change\ndata: {"kind": "created", "size": 1}\n\ndata: {"kind": 5}\n\n'
    http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})))
    with docs.Client(base_url="http://t", token=TOKEN, httpx_client=http) as client:
        stream = client.documents.watch("d")
        assert next(iter(stream)).data.size == 1
        with pytest.raises(docs.ApiResponseValidationError, match="event data does not fit"):
            list(stream)
        assert stream.response.is_closed


def test_a_connection_lost_mid_body_is_an_api_connection_error(docs: Any) -> None:
    import httpx

    class Cut(httpx.SyncByteStream):
        def __iter__(self) -> Any:
            yield b'data: {"kind": "created", "size": 1}\n\n'
            raise httpx.ReadError("connection reset")

    def answer(request: httpx.Request) -> httpx.Response:
        kind = "text/event-stream" if request.url.path.endswith("/events") else "application/octet-stream"
        return httpx.Response(200, stream=Cut(), headers={"content-type": kind})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    with docs.Client(base_url="http://t", token=TOKEN, httpx_client=http, max_retries=0) as client:
        with client.documents.watch("d") as stream:
            with pytest.raises(docs.ApiConnectionError, match="connection reset"):
                [event.data.size for event in stream]
        with client.documents.with_streaming_response.content("d") as download:
            with pytest.raises(docs.ApiConnectionError):
                download.write_to_file(Path(docs.__file__).parent.parent / "cut.bin")


def test_event_decoder_follows_the_wire_format(docs: Any) -> None:
    decoder_type = docs._sse.EventDecoder
    wire = "\ufeff: hello\r\nevent: a\r\ndata: one\u2028two\r\ndata:2\r\r\nid: 7\nretry: x\ndata: {}\n\ndata: unterminated".encode()
    for size in (1, 3, len(wire)):
        decoder = decoder_type()
        events = [e for i in range(0, len(wire), size) for e in decoder.feed(wire[i : i + size])] + decoder.finish()
        assert [(e.event, e.data, e.id, e.retry) for e in events] == [("a", "one\u2028two\n2", None, None), (None, "{}", "7", None)]
    assert docs._sse.encode_event("a\nb", event="e", id="1", retry=5) == b"event: e\nid: 1\nretry: 5\ndata: a\ndata: b\n\n"
    with pytest.raises(ValueError):
        docs._sse.encode_event("x", event="bad\nname")


def test_content_disposition_file_names_are_safe(docs: Any) -> None:
    import httpx

    def name(value: str) -> Any:
        return docs.BinaryResponse(httpx.Response(200, headers={"content-disposition": value})).filename

    assert name("attachment; filename=\"plain.txt\"; filename*=UTF-8''na%C3%AFve%20%E2%82%AC.txt") == "naïve €.txt"
    assert name('attachment; filename="../../etc/passwd"') == "passwd"
    assert name('attachment; filename="..\\\\evil.exe"') == "evil.exe"
    assert name('attachment; filename=".."') is None
    assert name("attachment") is None


# --- static typing ---------------------------------------------------------------------------

USAGE = """
import io
from pathlib import Path
from typing import assert_type
from documents_api import AsyncClient, BinaryResponse, AsyncBinaryResponse, ChatDelta, Client, Document, DocumentEvent
from documents_api import ServerSentEvent

def use(client: Client, target: Path) -> None:
    uploaded = client.documents.upload(file=("a.pdf", b"%PDF", "application/pdf"), title="a", attachments=[target, io.BytesIO(b"x")], pages=2)
    assert_type(uploaded, Document)
    client.documents.upload(file=target.open("rb"), title="b", meta={"author": "Ada"})
    client.documents.replace(uploaded.id, target)
    whole = client.documents.content(uploaded.id)
    assert_type(whole, BinaryResponse)
    assert_type(whole.content, bytes)
    with client.documents.with_streaming_response.content(uploaded.id) as download:
        assert_type(download, BinaryResponse)
        download.write_to_file(target)
    with client.documents.watch(uploaded.id) as events:
        for event in events:
            assert_type(event, ServerSentEvent[DocumentEvent])
            assert_type(event.id, str | None)
    for delta in client.chat.create_stream({"input": "hi"}):
        assert_type(delta.data, ChatDelta)
    for tick in client.ticks.ticks():
        assert_type(tick.data, str)

async def use_async(client: AsyncClient, target: Path) -> None:
    uploaded = await client.documents.upload(file=b"%PDF", title="a")
    async with client.documents.with_streaming_response.link(uploaded.id) as download:
        assert_type(download, AsyncBinaryResponse)
        async for chunk in download.iter_bytes(4096):
            assert_type(chunk, bytes)
        await download.write_to_file(target)
    async with await client.chat.create_stream({"input": "hi"}) as stream:
        async for event in stream:
            assert_type(event.data, ChatDelta)
"""


def test_mypy_strict_passes_on_uploads_downloads_and_streams(docs: Any, tmp_path: Path) -> None:
    out = Path(docs.__file__).parent.parent
    usage = out / "transport_usage.py"
    usage.write_text(textwrap.dedent(USAGE), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), "documents_api", usage.name],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
