"""Transports of the real Vapi specs, end to end: the files API's multipart upload against the generated
mock, call-recording downloads that redirect to another host, and the chat streams (with
spec/overlays/vapi-chats-streaming.yaml) against the mock's echo."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from vapi_codegen.output.writer import write
from vapi_codegen.pipeline import generate_files

from ..conftest import ROOT, SHARED_SPECS, import_fresh, needs_shared_specs
from ..server_support import TOKEN, mock_app, submodule, uvicorn_server
from .transport_support import events_of, in_process, over_network, settle

pytestmark = needs_shared_specs
FLAVOURS = ["sync", "async"]
CALL_ID = "6f1f5c1e-0000-4000-8000-000000000001"
RECORDING = b"RIFF" + bytes(range(256)) * 64


def vapi_package(tmp_path_factory: pytest.TempPathFactory, key: str, *overlays: str) -> Any:
    out = tmp_path_factory.mktemp(key)
    package = f"vapi_{key}_transport"
    spec = SHARED_SPECS / f"vapi-{key}-api-openapi.yml"
    generation = generate_files(spec, package, overlays=[ROOT / "spec" / "overlays" / name for name in overlays])
    write(out, generation.files, stale=[])
    return import_fresh(out, package)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return vapi_package(tmp_path_factory, "files")


@pytest.fixture(scope="module")
def calls(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return vapi_package(tmp_path_factory, "calls")


@pytest.fixture(scope="module")
def chats(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return vapi_package(tmp_path_factory, "chats", "vapi-chats-streaming.yaml")


async def file_lifecycle(files: Any, client: Any, upload: Any) -> None:
    """upload -> get -> list -> update -> delete -> 404, the upload's name, type and size kept."""
    created = await settle(client.files.create(file=upload))
    assert type(created) is files.File
    assert (created.original_name, created.mimetype, created.bytes_) == ("notes.md", "text/markdown", 11)
    assert created.status.value == "processing" and created.org_id
    assert (await settle(client.files.find_one(created.id))).original_name == "notes.md"
    assert created.id in [f.id for f in await settle(client.files.find_all(purpose="knowledge-base"))]
    renamed = await settle(client.files.update(created.id, {"name": "Notes"}))
    assert (renamed.name, renamed.original_name) == ("Notes", "notes.md")
    assert (await settle(client.files.remove(created.id))).id == created.id
    with pytest.raises(files.NotFoundError):
        await settle(client.files.find_one(created.id))


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_files_api_upload_and_lifecycle_on_the_mock(files: Any, flavour: str, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with in_process(files, flavour, mock_app(files)) as (client, sent):
            await file_lifecycle(files, client, ("notes.md", b"# Notes\nhi\n", "text/markdown"))
            upload = sent[0]
            assert upload.headers["content-type"].startswith("multipart/form-data")
            assert b'name="file"; filename="notes.md"\r\nContent-Type: text/markdown' in upload.read()

    asyncio.run(scenario())


def test_files_api_upload_over_the_network(files: Any, tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_bytes(b"# Notes\nhi\n")

    async def scenario(base_url: str) -> None:
        async with over_network(files, "async", base_url) as client:
            with path.open("rb") as file:
                await file_lifecycle(files, client, file)

    with uvicorn_server(mock_app(files)) as base_url:
        asyncio.run(scenario(base_url))


class Recordings:
    """The calls API's recording downloads as a service: a redirect to a presigned URL elsewhere."""

    def __init__(self, storage_url: str, media: Any) -> None:
        self.storage_url = storage_url
        self.media = media  # the package's ``_server_media``

    async def mono_recording_download(self, id: str) -> Any:
        from starlette.responses import RedirectResponse

        return RedirectResponse(f"{self.storage_url}/recordings/{id}.wav?X-Amz-Signature=abc", status_code=302)

    async def stereo_recording_download(self, id: str) -> Any:
        return self.media.BinaryBody(iter([RECORDING[:1000], RECORDING[1000:]]), "audio/wav", f"{id}-stereo.wav")


def storage_app(seen: list[dict[str, str]]) -> Any:
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    async def recording(request: Any) -> Any:
        seen.append(dict(request.headers))
        return Response(RECORDING, media_type="audio/wav")

    return Starlette(routes=[Route("/recordings/{name}", recording)])


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_call_recordings_follow_the_redirect_without_the_token(calls: Any, flavour: str, tmp_path: Path) -> None:
    seen: list[dict[str, str]] = []
    server = submodule(calls, "server")

    async def scenario(api_url: str) -> None:
        async with over_network(calls, flavour, api_url) as client:
            recording = await settle(client.calls.mono_recording_download(CALL_ID))
            assert (recording.content, recording.content_type) == (RECORDING, "audio/wav")
            target = tmp_path / f"{flavour}.wav"
            if flavour == "sync":
                with client.calls.with_streaming_response.mono_recording_download(CALL_ID) as streamed:
                    streamed.write_to_file(target)
            else:
                async with client.calls.with_streaming_response.mono_recording_download(CALL_ID) as streamed:
                    await streamed.write_to_file(target)
            assert target.read_bytes() == RECORDING
            stereo = await settle(client.calls.stereo_recording_download(CALL_ID))
            assert (stereo.content, stereo.filename) == (RECORDING, f"{CALL_ID}-stereo.wav")

    with uvicorn_server(storage_app(seen)) as storage_url:
        service = Recordings(storage_url.replace("127.0.0.1", "localhost"), submodule(calls, "_server_media"))
        app = server.create_app(service, authenticate=lambda token: token == TOKEN)
        with uvicorn_server(app) as api_url:
            asyncio.run(scenario(api_url))
    assert len(seen) == 2
    assert all("authorization" not in headers for headers in seen)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_chat_streams_from_the_mock(chats: Any, flavour: str) -> None:
    async def scenario() -> None:
        async with in_process(chats, flavour, mock_app(chats)) as (client, sent):
            events = await events_of(client.chats.create_chat_stream({"input": "hello from the mock", "assistantId": "a-1"}))
            assert [type(e.data) for e in events] == [chats.CreateChatStreamResponse] * 4
            assert "".join(e.data.delta for e in events) == "hello from the mock"
            assert sent[-1].headers["accept"] == "text/event-stream"
            responses = await events_of(client.chats.create_open_ai_chat_stream({"input": "two words", "assistantId": "a-1"}))
            assert [(type(e.data).__name__, e.data.delta) for e in responses] == [
                ("ResponseTextDeltaEvent", "two "),
                ("ResponseTextDeltaEvent", "words"),
            ]
            # without ``stream: true`` the same operation answers JSON: the chat the mock stored
            created = await settle(client.chats.create_chat({"input": "hi", "assistantId": "a-1"}))
            assert type(created).__name__ == "Chat" and created.id

    asyncio.run(scenario())


def test_chat_stream_over_the_network(chats: Any) -> None:
    with uvicorn_server(mock_app(chats)) as base_url:
        with chats.Client(base_url=base_url, token=TOKEN) as client:
            with client.chats.create_chat_stream({"input": "over the wire", "assistantId": "a-1"}) as stream:
                assert [e.data.delta for e in stream] == ["over ", "the ", "wire"]


async def _answers_json(scope: Any, receive: Any, send: Any) -> None:
    """An ASGI app answering every request with a JSON chat: what a server that ignores ``stream`` sends."""
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": b'{"id": "c-1", "output": []}'})


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_stream_answered_with_json_is_an_error_not_an_empty_stream(chats: Any, flavour: str) -> None:
    async def scenario() -> None:
        async with in_process(chats, flavour, _answers_json) as (client, _):
            with pytest.raises(chats.ApiResponseValidationError, match="answered application/json, not an event stream"):
                await events_of(client.chats.create_chat_stream({"input": "hi", "assistantId": "a-1"}))

    asyncio.run(scenario())
