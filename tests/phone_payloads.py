"""Real-shaped payloads for the Vapi Phone Numbers API, shared by the tests that exercise its models."""

from __future__ import annotations

import copy
from typing import Any

PROVIDERS = ("byo-phone-number", "twilio", "vonage", "vapi", "telnyx")

TRANSFER_PLAN = {
    "mode": "warm-transfer-say-message",
    "message": {
        "type": "custom-message",
        "contents": [{"type": "text", "text": "Connecting a caller", "language": "en"}],
    },
    "timeout": 45,
    "sipVerb": "refer",
    "dialTimeout": 30,
    "contextEngineeringPlan": {"type": "lastNMessages", "maxMessages": 6},
    "summaryPlan": {"enabled": True, "messages": [{"role": "system", "content": "Summarise the call"}], "timeoutSeconds": 10},
    "fallbackPlan": {"message": "Sorry, nobody is available.", "endCallEnabled": False},
}
FALLBACK_NUMBER = {
    "type": "number",
    "number": "+14155550100",
    "numberE164CheckEnabled": False,
    "extension": "204",
    "callerId": "+14155550199",
    "message": "Transferring you now.",
    "description": "front desk",
    "transferPlan": TRANSFER_PLAN,
}
FALLBACK_SIP = {
    "type": "sip",
    "sipUri": "sip:desk@example.com",
    "sipHeaders": {"X-Team": "support"},
    "transferPlan": {"mode": "blind-transfer", "sipVerb": "bye"},
}
HOOKS = [
    {
        "on": "call.ringing",
        "filters": [{"type": "startsWith", "key": "number", "startsWith": ["+44", "+49"]}],
        "do": [{"type": "say", "exact": "Please hold."}, {"type": "transfer", "destination": FALLBACK_SIP}],
    },
    {
        "on": "call.ending",
        "filters": [{"type": "oneOf", "key": "call.endedReason", "oneOf": ["assistant-request-failed"]}],
        "do": {"type": "transfer", "destination": {"type": "number", "number": "+14155550111"}},
    },
]
SERVER = {
    "url": "https://hooks.example.com/vapi",
    "timeoutSeconds": 20,
    "headers": {"X-Secret": "s3cret"},
    "backoffPlan": {"type": "fixed", "maxRetries": 3, "baseDelaySeconds": 1, "excludedStatusCodes": [400, 401, 404]},
}
COMMON = {"name": "Support line", "assistantId": "asst_123", "hooks": HOOKS, "server": SERVER}

CREATE_PAYLOADS: dict[str, dict[str, Any]] = {
    "byo-phone-number": {
        **COMMON,
        "provider": "byo-phone-number",
        "number": "+14155550123",
        "credentialId": "cred_byo",
        "numberE164CheckEnabled": False,
        "fallbackDestination": FALLBACK_NUMBER,
    },
    "twilio": {
        **COMMON,
        "provider": "twilio",
        "number": "+14155550124",
        "twilioAccountSid": "AC0123456789",
        "twilioAuthToken": "token",
        "smsEnabled": False,
        "fallbackDestination": FALLBACK_SIP,
    },
    "vonage": {**COMMON, "provider": "vonage", "number": "+14155550125", "credentialId": "cred_vonage"},
    "vapi": {
        **COMMON,
        "provider": "vapi",
        "numberDesiredAreaCode": "415",
        "sipUri": "sip:support@example.sip.vapi.ai",
        "authentication": {"realm": "example", "username": "u" * 20, "password": "p" * 24},
        "fallbackDestination": FALLBACK_NUMBER,
    },
    "telnyx": {**COMMON, "provider": "telnyx", "number": "+14155550126", "credentialId": "cred_telnyx"},
}
CREATE_CLASSES = {
    "byo-phone-number": "CreateByoPhoneNumberDTO",
    "twilio": "CreateTwilioPhoneNumberDTO",
    "vonage": "CreateVonagePhoneNumberDTO",
    "vapi": "CreateVapiPhoneNumberDTO",
    "telnyx": "CreateTelnyxPhoneNumberDTO",
}
UPDATE_CLASSES = {p: c.replace("Create", "Update") for p, c in CREATE_CLASSES.items()}
RESPONSE_CLASSES = {p: c.replace("Create", "").replace("DTO", "") for p, c in CREATE_CLASSES.items()}
STORED = {
    "id": "pn_1",
    "orgId": "org_1",
    "createdAt": "2025-01-02T03:04:05Z",
    "updatedAt": "2025-01-02T03:04:06Z",
    "status": "active",
}


def response_payload(provider: str) -> dict[str, Any]:
    return {**copy.deepcopy(CREATE_PAYLOADS[provider]), **STORED}
