"""Every real Vapi spec generates, imports, builds every model, and validates real-shaped payloads."""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from vapi_codegen.pipeline import generate_files
from vapi_codegen.output.writer import write

from ..conftest import SHARED_SPECS, import_fresh

SPECS = {
    key.replace("-", "_"): f"vapi-{key}-api-openapi.yml"
    for key in (
        "analytics", "assistants", "calls", "campaigns", "chats", "eval", "files", "insight", "observability",
        "phone-numbers", "provider-resources", "sessions", "squads", "structured-outputs", "tools",
    )
}

pytestmark = pytest.mark.skipif(not SHARED_SPECS.is_dir(), reason=f"real specs not found at {SHARED_SPECS}")


@pytest.fixture(scope="module")
def real_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], ModuleType]]:
    """``real_package(key)``: the package of one real spec, generated and imported once per test module."""
    cache: dict[str, ModuleType] = {}
    root = tmp_path_factory.mktemp("real")

    def load(key: str) -> ModuleType:
        if key not in cache:
            package = f"real_{key}"  # not the phone fixture's name: pydantic resolves names through sys.modules
            generation = generate_files(SHARED_SPECS / SPECS[key], package)
            write(root / key, generation.files, stale=[])
            cache[key] = import_fresh(root / key, package)
        return cache[key]

    yield load


@pytest.mark.parametrize("key", sorted(SPECS))
def test_generates_imports_and_builds_every_declaration(real_package: Callable[[str], ModuleType], key: str) -> None:
    models = real_package(key).models
    assert models.__all__, "no declarations generated"
    built = 0
    for name in models.__all__:
        declared = getattr(models, name)
        if inspect.isclass(declared) and issubclass(declared, BaseModel):
            # models defer building their validators; build each now so a broken annotation fails here
            assert declared.model_rebuild() is not False, name
        elif not inspect.isclass(declared):
            TypeAdapter(declared)  # a union or other alias
        built += 1
    assert built == len(models.__all__)


def test_real_package_exports_the_runtime(real_package: Callable[[str], ModuleType]) -> None:
    package = real_package("files")
    assert {"LENIENT_CONTEXT", "UnknownVariant", "File", "CreateFileDTO"} <= set(package.__all__)
    assert Path(package.__file__).parent.joinpath("py.typed").is_file()


# --- tools -----------------------------------------------------------------------------------

TOOL_BODIES = {
    "CreateFunctionToolDTO": {
        "type": "function",
        "async": True,
        "function": {
            "name": "get_weather",
            "description": "Weather for a city",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string", "description": "City name"}, "days": {"type": "integer"}},
                "required": ["city"],
            },
        },
        "messages": [{"type": "request-start", "content": "Checking the weather."}, {"type": "request-failed", "content": "Sorry."}],
        "server": {"url": "https://tools.example.com/weather", "timeoutSeconds": 20},
    },
    "CreateEndCallToolDTO": {"type": "endCall"},
    "CreateDtmfToolDTO": {"type": "dtmf", "sipInfoDtmfEnabled": True},
    "CreateApiRequestToolDTO": {
        "type": "apiRequest",
        "method": "POST",
        "url": "https://api.example.com/orders",
        "name": "create_order",
        "body": {"type": "object", "properties": {"sku": {"type": "string"}, "qty": {"type": "integer"}}},
        "backoffPlan": {"type": "exponential", "maxRetries": 2, "baseDelaySeconds": 1, "excludedStatusCodes": [400]},
    },
    "CreateTransferCallToolDTO": {
        "type": "transferCall",
        "destinations": [
            {"type": "number", "number": "+14155550100", "transferPlan": {"mode": "blind-transfer", "sipVerb": "refer"}},
            {"type": "sip", "sipUri": "sip:desk@example.com"},
            {"type": "assistant", "assistantName": "billing"},
        ],
    },
}


def test_tool_create_bodies_parse_into_their_classes(real_package: Callable[[str], ModuleType]) -> None:
    tools = real_package("tools")
    create = TypeAdapter(tools.ToolCreateBody)
    for class_name, payload in TOOL_BODIES.items():
        body = create.validate_python(copy.deepcopy(payload))
        assert type(body).__name__ == class_name
        assert body.model_dump(by_alias=True, exclude_unset=True) == payload, class_name
    transfer = create.validate_python(TOOL_BODIES["CreateTransferCallToolDTO"])
    assert [type(d).__name__ for d in transfer.destinations] == [
        "TransferDestinationNumber",
        "TransferDestinationSip",
        "TransferDestinationAssistant",
    ]
    function = create.validate_python(TOOL_BODIES["CreateFunctionToolDTO"])
    assert function.async_ is True
    assert [type(m).__name__ for m in function.messages] == ["ToolMessageStart", "ToolMessageFailed"]


def test_javascript_literal_patterns_are_enforced_without_slashes(real_package: Callable[[str], ModuleType]) -> None:
    # the spec says `pattern: /^[a-zA-Z0-9_-]{1,64}$/`
    tools = real_package("tools")
    assert tools.OpenAIFunction.model_validate({"name": "get_weather"}).name == "get_weather"
    with pytest.raises(ValidationError) as caught:
        tools.OpenAIFunction.model_validate({"name": "get weather!"})
    assert [e["type"] for e in caught.value.errors()] == ["string_pattern_mismatch"]


def test_tool_with_bad_type_is_one_tag_error(real_package: Callable[[str], ModuleType]) -> None:
    tools = real_package("tools")
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(tools.ToolCreateBody).validate_python({"type": "teleport"})
    errors = caught.value.errors()
    assert [e["type"] for e in errors] == ["union_tag_invalid"]
    assert "'function'" in errors[0]["msg"] and "'endCall'" in errors[0]["msg"]


def test_tool_update_body_dispatches_by_type(real_package: Callable[[str], ModuleType]) -> None:
    tools = real_package("tools")
    body = TypeAdapter(tools.ToolUpdateBody).validate_python({"type": "dtmf", "sipInfoDtmfEnabled": False})
    assert type(body).__name__ == "UpdateDtmfToolDTO"


# --- assistants ------------------------------------------------------------------------------

ASSISTANT = {
    "name": "Receptionist",
    "firstMessage": "Hello, how can I help?",
    "model": {
        "provider": "openai",
        "model": "gpt-4o",
        "temperature": 0.3,
        "messages": [{"role": "system", "content": "You are a friendly receptionist."}],
        "tools": [{"type": "endCall"}, {"type": "transferCall", "destinations": [{"type": "number", "number": "+14155550100"}]}],
    },
    "voice": {"provider": "11labs", "voiceId": "burt", "stability": 0.5},
    "transcriber": {"provider": "deepgram", "model": "nova-3", "language": "en"},
    "hooks": [
        {"on": "call.ending", "do": [{"type": "message.add", "message": {"role": "system", "content": "The call is ending."}}]},
        {"on": "customer.speech.interrupted", "do": [{"type": "say", "prompt": "Sorry, please go on."}]},
    ],
}


def test_assistant_create_body_unions_pick_their_members(real_package: Callable[[str], ModuleType]) -> None:
    assistants = real_package("assistants")
    body = assistants.CreateAssistantDTO.model_validate(copy.deepcopy(ASSISTANT))
    assert type(body.model).__name__ == "OpenAIModel"
    assert [type(t).__name__ for t in body.model.tools] == ["CreateEndCallToolDTO", "CreateTransferCallToolDTO"]
    assert type(body.voice).__name__ == "ElevenLabsVoice"
    assert body.voice.voice_id == "burt"
    assert type(body.transcriber).__name__ == "DeepgramTranscriber"
    # not a tagged union (one hook's `on` is a free string), yet each hook lands in its own class
    assert [type(h).__name__ for h in body.hooks] == ["CallHookCallEnding", "CallHookCustomerSpeechInterrupted"]
    assert body.model_dump(by_alias=True, exclude_unset=True) == ASSISTANT

    other = {"model": {"provider": "anthropic", "model": "claude-3-5-sonnet-20241022"}, "voice": {"provider": "cartesia", "voiceId": "v-1"}}
    body = assistants.CreateAssistantDTO.model_validate(other)
    assert (type(body.model).__name__, type(body.voice).__name__) == ("AnthropicModel", "CartesiaVoice")


def test_assistant_with_bad_voice_provider_is_one_tag_error(real_package: Callable[[str], ModuleType]) -> None:
    assistants = real_package("assistants")
    with pytest.raises(ValidationError) as caught:
        assistants.CreateAssistantDTO.model_validate({**ASSISTANT, "voice": {"provider": "robot", "voiceId": "x"}})
    assert [(e["type"], e["loc"]) for e in caught.value.errors()] == [("union_tag_invalid", ("voice",))]


# --- files and structured outputs ------------------------------------------------------------


def test_file_create_and_response(real_package: Callable[[str], ModuleType]) -> None:
    files = real_package("files")
    assert files.CreateFileDTO.model_validate({"file": b"%PDF-1.7"}).file == b"%PDF-1.7"
    stored = {
        "id": "file_1",
        "orgId": "org_1",
        "createdAt": "2025-01-02T03:04:05Z",
        "updatedAt": "2025-01-02T03:04:05Z",
        "name": "manual.pdf",
        "bytes": 1024,
        "status": "done",
        "object": "file",
    }
    parsed = files.File.model_validate(stored)
    assert parsed.bytes_ == 1024 and parsed.status == "done"
    assert parsed.model_dump(mode="json", by_alias=True, exclude_unset=True)["bytes"] == 1024
    with pytest.raises(ValidationError):
        files.UpdateFileDTO.model_validate({"name": ""})


STRUCTURED_OUTPUT = {
    "name": "caller_details",
    "type": "ai",
    "model": {"provider": "openai", "model": "gpt-4o", "temperature": 0},
    "schema": {
        "type": "object",
        "properties": {
            "name": {"type": "string", "description": "Caller name"},
            "phones": {"type": "array", "items": {"type": "string", "pattern": "^\\+[0-9]+$"}},
            "address": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
        },
        "required": ["name"],
    },
}


def test_structured_output_create_body(real_package: Callable[[str], ModuleType]) -> None:
    outputs = real_package("structured_outputs")
    body = outputs.CreateStructuredOutputDTO.model_validate(copy.deepcopy(STRUCTURED_OUTPUT))
    assert type(body.model).__name__ == "WorkflowOpenAIModel"
    assert body.schema_.properties["address"].properties["city"].type == "string"  # recursive JsonSchema
    assert body.schema_.properties["phones"].items.pattern == "^\\+[0-9]+$"
    assert body.model_dump(by_alias=True, exclude_unset=True) == STRUCTURED_OUTPUT
    with pytest.raises(ValidationError) as caught:
        outputs.CreateStructuredOutputDTO.model_validate({**STRUCTURED_OUTPUT, "model": {"provider": "nope"}})
    assert [e["type"] for e in caught.value.errors()] == ["union_tag_invalid"]


def test_phone_create_body_in_the_shared_copy(real_package: Callable[[str], ModuleType]) -> None:
    phone = real_package("phone_numbers")
    body = TypeAdapter(phone.PhoneNumberCreateBody).validate_python({"provider": "vonage", "number": "+14155550100", "credentialId": "c"})
    assert type(body).__name__ == "CreateVonagePhoneNumberDTO"


def test_every_shared_spec_is_covered() -> None:
    assert set(SPECS.values()) == {p.name for p in SHARED_SPECS.glob("*.yml")}
