"""Differential test against datamodel-code-generator, the baseline users would pick instead.

Both generators' models for the phone spec see the same real-shaped payloads: whatever its models
accept, ours must accept too (and parse into the class of the same name); and the real values its
models reject because they read the spec literally, ours accept.
"""

from __future__ import annotations

import copy
import importlib.util
import subprocess
import sys
from types import ModuleType
from typing import Any

import pytest
from pydantic import BaseModel, RootModel, TypeAdapter, ValidationError

from ..conftest import SPEC, import_fresh
from ..phone_payloads import (
    CREATE_PAYLOADS,
    FALLBACK_NUMBER,
    PROVIDERS,
    SERVER,
    STORED,
    TRANSFER_PLAN,
    response_payload,
)

BASELINE_PACKAGE = "baseline_phone_models"


@pytest.fixture(scope="session")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """datamodel-codegen's models for the phone spec (one run per test session)."""
    if importlib.util.find_spec("datamodel_code_generator") is None:
        pytest.skip("datamodel-code-generator is not installed (pip install '.[test]')")
    out = tmp_path_factory.mktemp("baseline")
    package = out / BASELINE_PACKAGE
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    command = [
        sys.executable, "-m", "datamodel_code_generator",
        "--input", str(SPEC),
        "--input-file-type", "openapi",
        "--output-model-type", "pydantic_v2.BaseModel",
        "--openapi-scopes", "schemas", "paths", "parameters",
        "--formatters", "builtin",
        "--disable-timestamp",
        "--output", str(package / "models.py"),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return import_fresh(out, BASELINE_PACKAGE + ".models")


# (what the payload is, our type's name, the baseline's type's name)
CREATE = ("create", "PhoneNumberCreateBody", "PhoneNumberPostRequest")
UPDATE = ("update", "PhoneNumberUpdateBody", "PhoneNumberIdPatchRequest")
RESPONSE = ("response", "PhoneNumber", "PhoneNumberIdGetResponse")


def plain(provider: str) -> dict[str, Any]:
    """A create body without the values the baseline misreads (TransferPlan.sipVerb, BackoffPlan)."""
    body = copy.deepcopy(CREATE_PAYLOADS[provider])
    body["server"] = {key: value for key, value in SERVER.items() if key != "backoffPlan"}
    if "fallbackDestination" in body:
        body["fallbackDestination"].pop("transferPlan", None)
    for hook in body["hooks"]:
        actions = hook["do"] if isinstance(hook["do"], list) else [hook["do"]]
        for action in actions:
            action.get("destination", {}).pop("transferPlan", None)
    return body


CASES: list[tuple[tuple[str, str, str], dict[str, Any]]] = [
    *[(CREATE, CREATE_PAYLOADS[p]) for p in PROVIDERS],
    *[(CREATE, plain(p)) for p in PROVIDERS],
    *[(CREATE, {"provider": p, "number": "+14155550100", "credentialId": "c", "twilioAccountSid": "AC1"}) for p in PROVIDERS],
    *[(UPDATE, {"provider": p, "name": "Renamed", "fallbackDestination": FALLBACK_NUMBER}) for p in PROVIDERS],
    *[(UPDATE, {"provider": p, "assistantId": None, "hooks": plain(p)["hooks"]}) for p in PROVIDERS],
    *[(RESPONSE, response_payload(p)) for p in PROVIDERS],
    *[(RESPONSE, {**plain(p), **STORED}) for p in PROVIDERS],
]
CASE_IDS = [f"{kind[0]}-{payload['provider']}-{index}" for index, (kind, payload) in enumerate(CASES)]


def accepts(target: Any, payload: dict[str, Any]) -> Any | None:
    """The parsed value, or None when the type rejects the payload."""
    try:
        parsed = TypeAdapter(target).validate_python(copy.deepcopy(payload))
    except ValidationError:
        return None
    return parsed.root if isinstance(parsed, RootModel) else parsed


@pytest.mark.parametrize(("kind", "payload"), CASES, ids=CASE_IDS)
def test_we_accept_whatever_the_baseline_accepts(phone: Any, baseline: ModuleType, kind: tuple[str, str, str], payload: dict[str, Any]) -> None:
    _, ours_name, theirs_name = kind
    ours = accepts(getattr(phone, ours_name), payload)
    theirs = accepts(getattr(baseline, theirs_name), payload)
    if theirs is not None:
        assert ours is not None, f"the baseline accepts this {kind[0]} payload, ours rejects it"
        assert type(ours).__name__ == type(theirs).__name__  # the same variant of the union
    else:
        assert ours is not None, "every payload here is a real Vapi value"


def test_the_comparison_is_not_vacuous(baseline: ModuleType) -> None:
    accepted = [payload for (kind, payload) in CASES if accepts(getattr(baseline, kind[2]), payload) is not None]
    assert len(accepted) >= 20


# Each of these isolates one real value the baseline rejects: it reads the spec's sloppy parts
# literally (`type: object` with a string enum, `items: {type: object}` holding numbers) and does
# not let an Update DTO stand without the tag its union adds.
WITH_SIP_VERB = {**plain("vonage"), "fallbackDestination": {**FALLBACK_NUMBER, "transferPlan": {**TRANSFER_PLAN, "sipVerb": "refer"}}}
WITH_BACKOFF = {**plain("telnyx"), "server": {**SERVER, "backoffPlan": {"type": "fixed", "maxRetries": 2, "baseDelaySeconds": 1}}}
WITH_STATUS_CODES = {
    **plain("telnyx"),
    "server": {**SERVER, "backoffPlan": {"type": "exponential", "maxRetries": 2, "baseDelaySeconds": 1, "excludedStatusCodes": [400, 404]}},
}
BASELINE_MISREADS = {
    "sipVerb refer": ("PhoneNumberCreateBody", "PhoneNumberPostRequest", WITH_SIP_VERB),
    "BackoffPlan type fixed": ("PhoneNumberCreateBody", "PhoneNumberPostRequest", WITH_BACKOFF),
    "excludedStatusCodes numbers": ("PhoneNumberCreateBody", "PhoneNumberPostRequest", WITH_STATUS_CODES),
    "sipVerb in a response": ("PhoneNumber", "PhoneNumberIdGetResponse", {**WITH_SIP_VERB, **STORED}),
    "update without provider (vapi)": ("UpdateVapiPhoneNumberDTO", "UpdateVapiPhoneNumberDTO", {"name": "Renamed"}),
    "update without provider (twilio)": ("UpdateTwilioPhoneNumberDTO", "UpdateTwilioPhoneNumberDTO", {"smsEnabled": False}),
}


@pytest.mark.parametrize("case", sorted(BASELINE_MISREADS))
def test_we_accept_real_values_the_baseline_rejects(phone: Any, baseline: ModuleType, case: str) -> None:
    ours_name, theirs_name, payload = BASELINE_MISREADS[case]
    assert accepts(getattr(baseline, theirs_name), payload) is None, "the baseline now accepts this; move it to CASES"
    parsed = accepts(getattr(phone, ours_name), payload)
    assert parsed is not None
    assert isinstance(parsed, BaseModel)
    assert parsed.model_dump(mode="json", by_alias=True, exclude_unset=True).items() >= payload.items()


INVALID = [
    ("PhoneNumberCreateBody", "PhoneNumberPostRequest", {"provider": "nope"}),
    ("PhoneNumberCreateBody", "PhoneNumberPostRequest", {**plain("vonage"), "name": "n" * 41}),
    ("PhoneNumberCreateBody", "PhoneNumberPostRequest", {"provider": "twilio", "number": "+14155550100"}),
    ("PhoneNumberCreateBody", "PhoneNumberPostRequest", {**plain("vapi"), "fallbackDestination": {"type": "phone", "number": "+1415"}}),
    ("PhoneNumber", "PhoneNumberIdGetResponse", {**plain("vapi"), "id": "pn_1"}),
]


@pytest.mark.parametrize(("ours_name", "theirs_name", "payload"), INVALID)
def test_both_reject_invalid_payloads(phone: Any, baseline: ModuleType, ours_name: str, theirs_name: str, payload: dict[str, Any]) -> None:
    assert accepts(getattr(baseline, theirs_name), payload) is None
    assert accepts(getattr(phone, ours_name), payload) is None
