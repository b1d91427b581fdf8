"""OpenAPI 3.1 webhooks: the typed receiver in the generated server skeleton.

A small spec with three webhooks (a $ref payload with a header parameter and a JSON answer, an
inline payload answered 204, a discriminated-union payload) is generated and imported; payloads are
posted to the receiver app, and what the receiver gets is checked to be the generated models.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from ..conftest import generate_into, import_fresh
from ..server_support import submodule

SPEC = """\
openapi: 3.1.0
info: {title: Call events, version: "1.0"}
paths: {}
webhooks:
  callEnded:
    post:
      operationId: onCallEnded
      parameters:
        - {name: X-Signature, in: header, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Call"}
      responses:
        "200":
          description: acknowledged
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Ack"}
  phone-number.deleted:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [id, deletedAt]
              properties:
                id: {type: string}
                deletedAt: {type: string, format: date-time}
                reason: {type: [string, "null"]}
      responses:
        "204": {description: received}
  status update:
    post:
      operationId: onStatusUpdate
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/StatusUpdate"}
      responses:
        "204": {description: received}
components:
  schemas:
    Call:
      type: object
      required: [id, endedReason]
      properties:
        id: {type: string}
        endedReason: {type: string, enum: [hangup, error]}
        durationSeconds: {type: number, minimum: 0}
    Ack:
      type: object
      required: [received]
      properties:
        received: {type: string}
    Ringing:
      type: object
      required: [type, callId]
      properties:
        type: {const: ringing}
        callId: {type: string}
    Answered:
      type: object
      required: [type, callId, answeredBy]
      properties:
        type: {const: answered}
        callId: {type: string}
        answeredBy: {type: string}
    StatusUpdate:
      oneOf:
        - {$ref: "#/components/schemas/Ringing"}
        - {$ref: "#/components/schemas/Answered"}
      discriminator:
        propertyName: type
        mapping:
          ringing: "#/components/schemas/Ringing"
          answered: "#/components/schemas/Answered"
"""

CALL = {"id": "call-1", "endedReason": "hangup", "durationSeconds": 12.5}
SIGNED = {"X-Signature": "sig-1"}


@pytest.fixture(scope="module")
def events(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("webhooks")
    spec = out / "call-events.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    generate_into(spec, out, "call_events")
    return import_fresh(out, "call_events")


class Recorder:
    """A receiver keeping what it was given; ``on_call_ended`` answers with an ``Ack``."""

    def __init__(self, package: Any) -> None:
        self.models = package.models
        self.server = submodule(package, "server")
        self.received: list[tuple[str, Any, dict[str, Any]]] = []

    async def on_call_ended(self, body: Any, *, x_signature: str) -> Any:
        self.received.append(("on_call_ended", body, {"x_signature": x_signature}))
        if body.id == "refused":
            raise self.server.ServiceError("call not known here", status_code=409)
        return self.models.Ack(received=body.id)

    async def post_phone_number_deleted(self, body: Any) -> None:
        self.received.append(("post_phone_number_deleted", body, {}))

    async def on_status_update(self, body: Any) -> None:
        self.received.append(("on_status_update", body, {}))


def post_all(app: Any, *requests: tuple[str, Any, dict[str, str]]) -> list[httpx.Response]:
    async def scenario() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://receiver") as client:
            return [await client.post(path, json=payload, headers=headers) for path, payload, headers in requests]

    return asyncio.run(scenario())


def test_the_receiver_gets_the_payloads_as_generated_models(events: Any) -> None:
    server = submodule(events, "server")
    receiver = Recorder(events)
    deleted = {"id": "pn-1", "deletedAt": "2026-01-31T12:00:00Z", "reason": None}
    answered = {"type": "answered", "callId": "call-1", "answeredBy": "human"}
    ringing = {"type": "ringing", "callId": "call-2"}
    responses = post_all(
        server.create_webhook_app(receiver),
        ("/webhooks/callEnded", CALL, SIGNED),
        ("/webhooks/phone-number.deleted", deleted, {}),
        ("/webhooks/status-update", answered, {}),
        ("/webhooks/status-update?token=from-the-webhook-url", ringing, {}),  # any query is accepted
    )
    assert [r.status_code for r in responses] == [200, 204, 204, 204]
    assert responses[0].json() == {"received": "call-1"}
    assert [r.content for r in responses[1:]] == [b"", b"", b""]

    (name, call, extra), (_, gone, _), (_, first, _), (_, second, _) = receiver.received
    assert (name, extra) == ("on_call_ended", {"x_signature": "sig-1"})
    assert type(call) is events.Call and call.ended_reason is events.CallEndedReason.HANGUP
    assert call.duration_seconds == 12.5
    assert type(gone) is events.PostPhoneNumberDeletedBody
    assert gone.deleted_at == datetime(2026, 1, 31, 12, tzinfo=timezone.utc) and gone.reason is None
    assert type(first) is events.Answered and first.answered_by == "human"
    assert type(second) is events.Ringing and second.call_id == "call-2"


def test_payloads_that_do_not_fit_get_422_and_never_reach_the_receiver(events: Any) -> None:
    server = submodule(events, "server")
    receiver = Recorder(events)
    responses = post_all(
        server.create_webhook_app(receiver),
        ("/webhooks/callEnded", CALL, {}),  # the required header is missing
        ("/webhooks/callEnded", {**CALL, "endedReason": "exploded"}, SIGNED),
        ("/webhooks/callEnded", {**CALL, "durationSeconds": -1}, SIGNED),
        ("/webhooks/phone-number.deleted", {"id": "pn-1", "deletedAt": "yesterday"}, {}),
        ("/webhooks/phone-number.deleted", {"deletedAt": "2026-01-31T12:00:00Z"}, {}),
        ("/webhooks/status-update", {"type": "hangup", "callId": "call-1"}, {}),
        ("/webhooks/status-update", {"type": "answered", "callId": "call-1"}, {}),
    )
    assert [r.status_code for r in responses] == [422] * 7
    assert receiver.received == []
    locations = [[tuple(e["loc"]) for e in r.json()["detail"]] for r in responses]
    assert locations[0] == [("header", "X-Signature")]
    assert locations[1] == [("body", "endedReason")] and locations[2] == [("body", "durationSeconds")]
    assert locations[3] == [("body", "deletedAt")] and locations[4] == [("body", "id")]
    [tag_error] = responses[5].json()["detail"]
    assert tag_error["type"] == "union_tag_invalid"
    assert "'ringing'" in tag_error["msg"] and "'answered'" in tag_error["msg"]
    assert locations[6] == [("body", "answered", "answeredBy")]


def test_the_router_mounts_under_any_prefix_and_maps_service_errors(events: Any) -> None:
    server = submodule(events, "server")
    receiver = Recorder(events)
    app = FastAPI()
    server._server.install_error_handlers(app)
    app.include_router(server.create_webhook_router(receiver, path_prefix="/hooks/vapi"))
    moved, old, refused = post_all(
        app,
        ("/hooks/vapi/callEnded", CALL, SIGNED),
        ("/webhooks/callEnded", CALL, SIGNED),
        ("/hooks/vapi/callEnded", {**CALL, "id": "refused"}, SIGNED),
    )
    assert (moved.status_code, moved.json()) == (200, {"received": "call-1"})
    assert old.status_code == 404
    assert refused.status_code == 409
    assert refused.json() == {"statusCode": 409, "error": "Conflict", "message": "call not known here"}


def test_only_specs_with_webhooks_get_a_receiver(events: Any, phone: Any) -> None:
    assert {"WebhookReceiver", "create_webhook_router", "create_webhook_app"} <= set(submodule(events, "server").__all__)
    phone_server = submodule(phone, "server")
    assert not hasattr(phone_server, "WebhookReceiver") and not hasattr(phone_server, "create_webhook_router")


RECEIVER = """\
from call_events import models
from call_events.server import WebhookReceiver, create_webhook_app


class Receiver:
    async def on_call_ended(self, body: models.Call, *, x_signature: str) -> models.Ack:
        return models.Ack(received=body.id)

    async def post_phone_number_deleted(self, body: models.PostPhoneNumberDeletedBody) -> None:
        print(body.deleted_at.isoformat())

    async def on_status_update(self, body: models.StatusUpdate) -> None:
        if isinstance(body, models.Answered):
            print(body.answered_by)


receiver: WebhookReceiver = Receiver()
app = create_webhook_app(receiver, path_prefix="/hooks")
"""


def test_mypy_strict_accepts_a_typed_receiver_and_the_package(events: Any, tmp_path: Path) -> None:
    out = Path(events.__file__).parent.parent
    (out / "receiver.py").write_text(RECEIVER, encoding="utf-8")
    (out / "wrong_receiver.py").write_text(
        RECEIVER.replace("body: models.Call,", "body: models.Ack,"), encoding="utf-8"
    )
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache")]
    typed = subprocess.run([*command, "call_events", "receiver.py"], cwd=out, capture_output=True, text=True, check=False)
    assert typed.returncode == 0, typed.stdout + typed.stderr
    wrong = subprocess.run([*command, "wrong_receiver.py"], cwd=out, capture_output=True, text=True, check=False)
    assert 'expression has type "Receiver", variable has type "WebhookReceiver"' in wrong.stdout, wrong.stdout
