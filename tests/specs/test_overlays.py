"""The overlays shipped in spec/overlays fix the real Vapi specs: generated with them, the models accept real data."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from vapi_codegen.pipeline import generate_files
from vapi_codegen.output.writer import write

from ..conftest import ROOT, SHARED_SPECS, import_fresh, needs_shared_specs

OVERLAYS = ROOT / "spec" / "overlays"
SAY_HOOK = OVERLAYS / "vapi-say-hook-action.yaml"
CHATS_STREAMING = OVERLAYS / "vapi-chats-streaming.yaml"
CHAT_MESSAGES = OVERLAYS / "vapi-chat-messages.yaml"


@needs_shared_specs
def test_say_hook_action_exact_is_text_with_the_overlay_and_rejected_without(tmp_path: Path) -> None:
    spec = SHARED_SPECS / "vapi-chats-api-openapi.yml"
    for name, overlays in (("chats_plain", ()), ("chats_fixed", (SAY_HOOK, CHATS_STREAMING))):
        write(tmp_path / name, generate_files(spec, name, overlays=overlays).files, stale=[])
    plain = import_fresh(tmp_path / "chats_plain", "chats_plain")
    with pytest.raises(ValidationError):
        plain.models.SayHookAction.model_validate({"type": "say", "exact": "Are you still there?"})
    fixed = import_fresh(tmp_path / "chats_fixed", "chats_fixed")
    action = fixed.models.SayHookAction.model_validate({"type": "say", "exact": "Are you still there?"})
    assert action.exact == "Are you still there?"


@needs_shared_specs
def test_the_chats_overlay_declares_the_streaming_responses() -> None:
    from vapi_codegen.loading.overlay import load_with_overlays

    document, _, warnings = load_with_overlays(SHARED_SPECS / "vapi-chats-api-openapi.yml", (CHATS_STREAMING,))
    assert warnings == []
    for path in ("/chat", "/chat/responses"):
        assert "text/event-stream" in document.data["paths"][path]["post"]["responses"]["200"]["content"]


@needs_shared_specs
@pytest.mark.parametrize("spec", sorted(SHARED_SPECS.glob("*.yml")), ids=lambda p: p.stem)
def test_the_say_hook_overlay_applies_wherever_the_schema_exists(spec: Path) -> None:
    from vapi_codegen.loading.overlay import load_with_overlays

    document, _, warnings = load_with_overlays(spec, (SAY_HOOK,))
    schemas = document.data.get("components", {}).get("schemas", {})
    if "SayHookAction" in schemas:
        assert warnings == [] and schemas["SayHookAction"]["properties"]["exact"]["type"] == "string"
    else:
        assert len(warnings) == 1 and "selects nothing" in warnings[0].message


@needs_shared_specs
@pytest.mark.parametrize("key", ["chats", "sessions"])
def test_chat_messages_in_the_openai_shape_are_read_with_the_overlay_and_refused_without(tmp_path: Path, key: str) -> None:
    spec = SHARED_SPECS / f"vapi-{key}-api-openapi.yml"
    history = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hello"}, {"role": "assistant", "content": "Hi!"}]
    for name, overlays in ((f"{key}_plain", ()), (f"{key}_fixed", (CHAT_MESSAGES,))):
        generation = generate_files(spec, name, overlays=overlays)
        assert not [w for w in generation.warnings if "selects nothing" in str(w)]
        write(tmp_path / name, generation.files, stale=[])
    plain = import_fresh(tmp_path / f"{key}_plain", f"{key}_plain")
    fixed = import_fresh(tmp_path / f"{key}_fixed", f"{key}_fixed")
    with pytest.raises(ValidationError):
        plain.models.UserMessage.model_validate(history[1])
    system, user = fixed.models.SystemMessage.model_validate(history[0]), fixed.models.UserMessage.model_validate(history[1])
    assert (system.content, user.content) == ("Be brief.", "Hello")
    # a call transcript's entry still reads as before
    assert fixed.models.UserMessage.model_validate({"role": "user", "message": "Hi", "time": 1, "endTime": 2, "secondsFromStart": 0}).message == "Hi"
    if key == "chats":
        chat = fixed.models.Chat.model_validate(
            {"id": "c", "orgId": "o", "createdAt": "2024-01-01T00:00:00Z", "updatedAt": "2024-01-01T00:00:00Z", "messages": history}
        )
        assert [type(m).__name__ for m in chat.messages or []] == ["SystemMessage", "UserMessage", "AssistantMessage"]
        assert fixed.models.CreateChatDTO.model_validate({"input": history[1:2]}).input
