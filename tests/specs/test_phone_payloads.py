"""The phone spec's generated models, exercised with real-shaped Vapi payloads."""

from __future__ import annotations


import copy
import warnings
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from ..phone_payloads import (
    CREATE_CLASSES,
    CREATE_PAYLOADS,
    FALLBACK_SIP,
    HOOKS,
    PROVIDERS,
    RESPONSE_CLASSES,
    SERVER,
    STORED,
    UPDATE_CLASSES,
    response_payload,
)


def adapter(phone: Any, name: str) -> TypeAdapter[Any]:
    return TypeAdapter(getattr(phone, name))


@pytest.mark.parametrize("provider", PROVIDERS)
def test_create_payload_parses_into_its_class_and_round_trips(phone: Any, provider: str) -> None:
    payload = copy.deepcopy(CREATE_PAYLOADS[provider])
    body = adapter(phone, "PhoneNumberCreateBody").validate_python(payload)
    assert type(body) is getattr(phone, CREATE_CLASSES[provider])
    assert body.model_dump(by_alias=True, exclude_unset=True) == payload
    assert body.to_json_dict() == payload
    assert payload == CREATE_PAYLOADS[provider]  # validation did not mutate the input


def test_nested_unions_pick_the_right_classes(phone: Any) -> None:
    body = adapter(phone, "PhoneNumberCreateBody").validate_python(CREATE_PAYLOADS["byo-phone-number"])
    assert isinstance(body.fallback_destination, phone.TransferDestinationNumber)
    plan = body.fallback_destination.transfer_plan
    assert plan.sip_verb is phone.TransferPlanSipVerb.REFER
    assert isinstance(plan.message, phone.CustomMessage)
    assert isinstance(plan.context_engineering_plan, phone.ContextEngineeringPlanLastNMessages)
    ringing, ending = body.hooks
    assert isinstance(ringing, phone.PhoneNumberHookCallRinging)
    assert isinstance(ending, phone.PhoneNumberHookCallEnding)
    assert [type(action) for action in ringing.do] == [phone.SayPhoneNumberHookAction, phone.TransferPhoneNumberHookAction]
    assert isinstance(ringing.do[1].destination, phone.TransferDestinationSip)
    assert isinstance(ending.do, phone.TransferPhoneNumberHookAction)
    assert body.server.backoff_plan.type is phone.BackoffPlanType.FIXED
    assert body.server.backoff_plan.excluded_status_codes == [400, 401, 404]


def test_unknown_provider_is_one_error_naming_the_allowed_tags(phone: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        adapter(phone, "PhoneNumberCreateBody").validate_python({"provider": "nope"})
    errors = caught.value.errors()
    assert len(errors) == 1
    assert errors[0]["type"] == "union_tag_invalid"
    assert "'nope'" in errors[0]["msg"]
    for tag in PROVIDERS:
        assert f"'{tag}'" in errors[0]["msg"]


def test_name_of_41_characters_is_rejected(phone: Any) -> None:
    create = adapter(phone, "PhoneNumberCreateBody")
    create.validate_python({**CREATE_PAYLOADS["vonage"], "name": "n" * 40})
    with pytest.raises(ValidationError) as caught:
        create.validate_python({**CREATE_PAYLOADS["vonage"], "name": "n" * 41})
    assert [(e["type"], e["loc"]) for e in caught.value.errors()] == [("string_too_long", ("vonage", "name"))]


def test_number_e164_check_defaults_to_true(phone: Any) -> None:
    body = phone.CreateByoPhoneNumberDTO.model_validate({"provider": "byo-phone-number", "credentialId": "c"})
    assert body.number_e164_check_enabled is True
    assert "numberE164CheckEnabled" not in body.model_dump(by_alias=True, exclude_unset=True)
    destination = phone.TransferDestinationNumber.model_validate({"type": "number", "number": "+14155550100"})
    assert destination.number_e164_check_enabled is True


@pytest.mark.parametrize("verb", ["refer", "bye", "dial"])
def test_sip_verb_values_are_accepted_through_the_fallback_destination(phone: Any, verb: str) -> None:
    payload = {**CREATE_PAYLOADS["vonage"], "fallbackDestination": {**FALLBACK_SIP, "transferPlan": {"mode": "blind-transfer", "sipVerb": verb}}}
    body = adapter(phone, "PhoneNumberCreateBody").validate_python(payload)
    assert body.fallback_destination.transfer_plan.sip_verb == verb
    with pytest.raises(ValidationError):
        phone.TransferPlan.model_validate({"mode": "blind-transfer", "sipVerb": "invite"})


@pytest.mark.parametrize("kind", ["fixed", "exponential"])
def test_backoff_plan_types_are_accepted_through_the_server(phone: Any, kind: str) -> None:
    server = {**SERVER, "backoffPlan": {**SERVER["backoffPlan"], "type": kind}}
    body = adapter(phone, "PhoneNumberCreateBody").validate_python({**CREATE_PAYLOADS["telnyx"], "server": server})
    assert body.server.backoff_plan.type == kind
    with pytest.raises(ValidationError):
        phone.BackoffPlan.model_validate({"type": "linear", "maxRetries": 1, "baseDelaySeconds": 1})


def test_bad_fallback_destination_type_is_one_tag_error(phone: Any) -> None:
    payload = {**CREATE_PAYLOADS["vapi"], "fallbackDestination": {"type": "phone", "number": "+14155550100"}}
    with pytest.raises(ValidationError) as caught:
        adapter(phone, "PhoneNumberCreateBody").validate_python(payload)
    errors = caught.value.errors()
    assert [(e["type"], e["loc"]) for e in errors] == [("union_tag_invalid", ("vapi", "fallbackDestination"))]
    assert "'number'" in errors[0]["msg"] and "'sip'" in errors[0]["msg"]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_update_dto_accepts_a_body_without_provider(phone: Any, provider: str) -> None:
    update_class = getattr(phone, UPDATE_CLASSES[provider])
    body = update_class.model_validate({"name": "Renamed", "server": SERVER})
    assert body.provider == provider
    assert body.name == "Renamed"
    # the tag is always sent, so the PATCH body the server receives still names the provider
    assert body.model_dump(by_alias=True, exclude_unset=True) == {"name": "Renamed", "server": SERVER, "provider": provider}


@pytest.mark.parametrize("provider", PROVIDERS)
def test_update_body_dispatches_by_provider(phone: Any, provider: str) -> None:
    payload = {"provider": provider, "name": "Renamed", "hooks": HOOKS, "fallbackDestination": FALLBACK_SIP}
    body = adapter(phone, "PhoneNumberUpdateBody").validate_python(copy.deepcopy(payload))
    assert type(body) is getattr(phone, UPDATE_CLASSES[provider])
    assert body.model_dump(by_alias=True, exclude_unset=True) == payload


@pytest.mark.parametrize("provider", PROVIDERS)
def test_response_union_parses_each_provider(phone: Any, provider: str) -> None:
    payload = response_payload(provider)
    number = adapter(phone, "PhoneNumber").validate_python(payload)
    assert type(number) is getattr(phone, RESPONSE_CLASSES[provider])
    assert number.created_at.year == 2025
    assert number.model_dump(mode="json", by_alias=True, exclude_unset=True) == {
        **payload,
        "createdAt": "2025-01-02T03:04:05Z",
        "updatedAt": "2025-01-02T03:04:06Z",
    }


def test_paginated_response_parses_mixed_providers(phone: Any) -> None:
    page = phone.PhoneNumberPaginatedResponse.model_validate(
        {
            "results": [response_payload(p) for p in PROVIDERS],
            "metadata": {"itemsPerPage": 100, "totalItems": 5, "currentPage": 1},
        }
    )
    assert [type(r).__name__ for r in page.results] == [RESPONSE_CLASSES[p] for p in PROVIDERS]


def test_lenient_parsing_keeps_unknown_provider_and_enum_values(phone: Any) -> None:
    union = adapter(phone, "PhoneNumber")
    unknown = {**STORED, "provider": "new-carrier", "number": "+14155550127"}
    parsed = union.validate_python(unknown, context=phone.LENIENT_CONTEXT)
    assert type(parsed) is phone.UnknownPhoneNumber and isinstance(parsed, phone.UnknownVariant)
    assert parsed.to_json_dict() == unknown
    with pytest.raises(ValidationError):
        union.validate_python(unknown)

    odd = {**response_payload("vapi"), "status": "suspended"}
    odd["fallbackDestination"] = {**FALLBACK_SIP, "transferPlan": {"mode": "blind-transfer", "sipVerb": "invite"}}
    parsed = union.validate_python(odd, context=phone.LENIENT_CONTEXT)
    assert isinstance(parsed, phone.VapiPhoneNumber)
    assert parsed.status == "suspended"
    assert parsed.fallback_destination.transfer_plan.sip_verb == "invite"
    with pytest.raises(ValidationError) as caught:
        union.validate_python(odd)
    assert {e["loc"][-1] for e in caught.value.errors()} == {"status", "sipVerb"}


def test_lenient_parsing_keeps_unknown_nested_tags(phone: Any) -> None:
    payload = {**response_payload("twilio"), "fallbackDestination": {"type": "whatsapp", "handle": "@desk"}}
    parsed = adapter(phone, "PhoneNumber").validate_python(payload, context=phone.LENIENT_CONTEXT)
    assert type(parsed.fallback_destination) is phone.UnknownTransferDestination
    assert parsed.fallback_destination.to_json_dict() == {"type": "whatsapp", "handle": "@desk"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no serialiser warning: the unknown variant dumps as it came
        assert parsed.to_json_dict() == payload
