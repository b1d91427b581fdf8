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
