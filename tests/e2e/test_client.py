"""The generated clients, sync and async, against an in-process server (``httpx.MockTransport``).

Every test body runs once per flavour: ``Harness.run(action)`` calls ``action(client)`` on a sync
``Client`` or inside ``asyncio.run`` on an ``AsyncClient``; an action written as
``lambda c: c.phone_numbers.find_one("x")`` works for both, since the async one returns an awaitable.
With ``items=True`` the result (a page) is looped over while the client is open: every item of
every page.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib
import inspect
import json
import subprocess
import sys
import textwrap
import warnings
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

TOKEN = "sk-test-123"
NOW = "2024-05-01T12:00:00Z"

# provider -> (response class, the provider-specific required fields)
PROVIDERS: dict[str, tuple[str, dict[str, Any]]] = {
    "byo-phone-number": ("ByoPhoneNumber", {"credentialId": "cred-byo", "number": "+14155550100"}),
    "twilio": ("TwilioPhoneNumber", {"number": "+14155550101", "twilioAccountSid": "AC123"}),
    "vonage": ("VonagePhoneNumber", {"number": "+14155550102", "credentialId": "cred-vonage"}),
    "vapi": ("VapiPhoneNumber", {"numberDesiredAreaCode": "415"}),
    "telnyx": ("TelnyxPhoneNumber", {"number": "+14155550104", "credentialId": "cred-telnyx"}),
}


def record(provider: str, number_id: str = "pn-1") -> dict[str, Any]:
    """A phone number as the server returns it, with a field this package does not know."""
    return {
        "id": number_id,
        "orgId": "org-1",
        "createdAt": NOW,
        "updatedAt": NOW,
        "provider": provider,
        **PROVIDERS.get(provider, ("", {}))[1],
        "addedLater": {"nested": True},
    }


Handler = Callable[[httpx.Request], httpx.Response]


class Harness:
    """Builds a client of one flavour on a mock transport and records requests and sleeps."""

    def __init__(self, phone: Any, flavour: str):
        self.phone = phone
        self.flavour = flavour
        self.requests: list[httpx.Request] = []
        self.sleeps: list[float] = []

    def run(self, handler: Handler, action: Callable[[Any], Any], *, items: bool = False, **client_options: Any) -> Any:
        def recording(request: httpx.Request) -> httpx.Response:
            self.requests.append(request)
            return handler(request)

        transport = httpx.MockTransport(recording)
        if self.flavour == "sync":
            http = httpx.Client(transport=transport)
            with self.phone.Client(token=TOKEN, httpx_client=http, sleep=self.sleeps.append, **client_options) as client:
                result = action(client)
                return list(result) if items else result

        async def sleep(seconds: float) -> None:
            self.sleeps.append(seconds)

        async def main() -> Any:
            http = httpx.AsyncClient(transport=transport)
            async with self.phone.AsyncClient(token=TOKEN, httpx_client=http, sleep=sleep, **client_options) as client:
                result = action(client)
                if items:
                    return [item async for item in result]
                return await result if inspect.isawaitable(result) else result

        return asyncio.run(main())

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


@pytest.fixture(params=["sync", "async"])
def harness(request: pytest.FixtureRequest, phone: Any) -> Harness:
    return Harness(phone, request.param)


def reply(status: int, body: Any = None, headers: dict[str, str] | None = None) -> Handler:
    return lambda request: httpx.Response(status, json=body, headers=headers)


def replies(*responses: httpx.Response | Exception) -> Handler:
    """A server answering each request with the next of ``responses`` (an exception is raised)."""
    queue = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        answer = queue.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    return handler


def assert_wire(request: httpx.Request, method: str, path: str, query: tuple[tuple[str, str], ...] | list[tuple[str, str]] = (), body: Any = None) -> None:
    """The exact request: method, raw path, query pairs, auth and content headers, JSON body."""
    assert request.method == method
    assert request.url.raw_path.split(b"?")[0] == path.encode()
    assert request.url.params.multi_items() == list(query)
    assert request.url.host == "api.vapi.ai" and request.url.scheme == "https"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["accept"] == "application/json"
    if body is None:
        assert request.content == b""
        assert "content-type" not in request.headers
    else:
        assert request.headers["content-type"] == "application/json"
        assert json.loads(request.content) == body


def assert_phone_number(phone: Any, value: Any, provider: str) -> None:
    assert type(value) is getattr(phone, PROVIDERS[provider][0])
    assert value.provider == provider
    assert value.id == "pn-1"
    assert value.created_at == dt.datetime(2024, 5, 1, 12, tzinfo=dt.timezone.utc)
    assert value.model_extra == {"addedLater": {"nested": True}}  # unknown fields are kept


# --- every operation, every provider ------------------------------------------------------------


@pytest.mark.parametrize("provider", PROVIDERS)
def test_create_sends_exactly_the_fields_given(harness: Harness, provider: str) -> None:
    body = {"provider": provider, "name": "Front desk", **PROVIDERS[provider][1]}
    result = harness.run(reply(201, record(provider)), lambda c: c.phone_numbers.create(body))
    assert_wire(harness.last, "POST", "/phone-number", body=body)
    assert_phone_number(harness.phone, result, provider)


def test_create_accepts_a_model_and_sends_only_the_fields_set(harness: Harness) -> None:
    body = harness.phone.CreateTwilioPhoneNumberDTO(provider="twilio", number="+14155550101", twilioAccountSid="AC123")
    harness.run(reply(201, record("twilio")), lambda c: c.phone_numbers.create(body=body))
    # smsEnabled defaults to True in the model but was not set, so it is not sent
    assert json.loads(harness.last.content) == {"provider": "twilio", "number": "+14155550101", "twilioAccountSid": "AC123"}


def test_an_invalid_request_is_a_request_validation_error_and_nothing_is_sent(harness: Harness) -> None:
    invalid = harness.phone.RequestValidationError
    with pytest.raises(invalid) as caught:  # what a rename without the provider looks like
        harness.run(reply(200, {}), lambda c: c.phone_numbers.update("pn-1", {"name": "Front desk"}))
    assert str(caught.value) == (
        "invalid request body (1 error):\n  (body): Unable to extract tag using discriminator 'provider': "
        "expected one of 'byo-phone-number', 'twilio', 'vonage', 'vapi', 'telnyx'"
    )
    assert isinstance(caught.value, harness.phone.ApiClientError) and isinstance(caught.value, ValueError)
    assert caught.value.errors[0]["type"] == "union_tag_not_found"
    with pytest.raises(invalid, match="does not match any of the expected tags: 'byo-phone-number', 'twilio'"):
        harness.run(reply(201, {}), lambda c: c.phone_numbers.create({"provider": "new-provider", "number": "1"}))
    with pytest.raises(invalid, match=r"twilio\.number: Field required"):
        harness.run(reply(201, {}), lambda c: c.phone_numbers.create({"provider": "twilio", "twilioAccountSid": "AC1"}))
    with pytest.raises(invalid, match=r"twilio\.fallbackDestination: .*discriminator 'type': expected one of 'number', 'sip'"):
        harness.run(reply(201, {}), lambda c: c.phone_numbers.update("pn-1", {"provider": "twilio", "fallbackDestination": {}}))
    with pytest.raises(invalid, match="path parameter 'id' must not be empty"):
        harness.run(reply(200, {}), lambda c: c.phone_numbers.find_one(""))
    with pytest.raises(invalid, match="ascii"):
        harness.run(reply(200, {}), lambda c: c.phone_numbers.find_one("pn-1", options={"headers": {"X-Note": "café"}}))
    assert harness.requests == []


def test_an_undecodable_answer_is_an_api_connection_error(harness: Harness) -> None:
    broken = lambda request: httpx.Response(200, content=b"not gzip", headers={"Content-Encoding": "gzip"})  # noqa: E731
    with pytest.raises(harness.phone.ApiConnectionError, match="DecodingError"):
        harness.run(broken, lambda c: c.phone_numbers.find_one("pn-1", options={"max_retries": 0}))


def test_find_all_sends_filters_as_rfc3339_and_parses_every_provider(harness: Harness) -> None:
    berlin = dt.timezone(dt.timedelta(hours=2))
    records = [record(p) for p in PROVIDERS]
    result = harness.run(
        reply(200, records),
        lambda c: c.phone_numbers.find_all(
            limit=50,
            created_at_gt=dt.datetime(2024, 5, 1, 12, tzinfo=dt.timezone.utc),
            created_at_lt=dt.datetime(2024, 5, 2, 8, 30, tzinfo=berlin),
            updated_at_ge=dt.datetime(2024, 1, 1),  # naive: taken as UTC
        ),
    )
    assert_wire(
        harness.last,
        "GET",
        "/phone-number",
        query=[
            ("limit", "50"),
            ("createdAtGt", "2024-05-01T12:00:00Z"),
            ("createdAtLt", "2024-05-02T08:30:00+02:00"),
            ("updatedAtGe", "2024-01-01T00:00:00Z"),
        ],
    )
    assert b"createdAtGt=2024-05-01T12%3A00%3A00Z" in harness.last.url.query
    for value, provider in zip(result, PROVIDERS, strict=True):
        assert_phone_number(harness.phone, value, provider)


def test_find_all_paginated_sends_enums_as_values_and_floats_as_given(harness: Harness) -> None:
    page = {
        "results": [record(p) for p in PROVIDERS],
        "metadata": {"itemsPerPage": 5, "totalItems": 5, "currentPage": 2, "totalPages": 2},
    }
    result = harness.run(
        reply(200, page),
        lambda c: c.phone_numbers.find_all_paginated(
            search="desk",
            page=2,
            sort_order=harness.phone.PhoneNumberFindAllPaginatedSortOrder.ASC,
            sort_by=harness.phone.PhoneNumberFindAllPaginatedSortBy.CREATED_AT,
            limit=2.0,
        ),
    )
    assert_wire(
        harness.last,
        "GET",
        "/v2/phone-number",
        query=[("search", "desk"), ("page", "2"), ("sortOrder", "ASC"), ("sortBy", "createdAt"), ("limit", "2.0")],
    )
    assert type(result.data) is harness.phone.PhoneNumberPaginatedResponse
    assert result.metadata.current_page == 2 and result.page_number == 2 and not result.has_next_page()
    assert repr(result).endswith("(page_number=2, items=5, has_next_page=False)")
    for value, provider in zip(result.items, PROVIDERS, strict=True):
        assert_phone_number(harness.phone, value, provider)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_find_one(harness: Harness, provider: str) -> None:
    result = harness.run(reply(200, record(provider)), lambda c: c.phone_numbers.find_one("pn-1"))
    assert_wire(harness.last, "GET", "/phone-number/pn-1")
    assert_phone_number(harness.phone, result, provider)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_update_sends_the_tag_and_only_the_fields_set(harness: Harness, provider: str) -> None:
    model = getattr(harness.phone, "Update" + PROVIDERS[provider][0] + "DTO")
    body = model(name="Renamed")  # provider is left at its default, and still sent
    result = harness.run(reply(200, record(provider)), lambda c: c.phone_numbers.update("pn-1", body))
    assert_wire(harness.last, "PATCH", "/phone-number/pn-1", body={"provider": provider, "name": "Renamed"})
    assert_phone_number(harness.phone, result, provider)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_remove(harness: Harness, provider: str) -> None:
    result = harness.run(reply(200, record(provider)), lambda c: c.phone_numbers.remove("pn-1"))
    assert_wire(harness.last, "DELETE", "/phone-number/pn-1")
    assert_phone_number(harness.phone, result, provider)


# --- responses and errors -----------------------------------------------------------------------


def test_a_new_provider_is_an_unknown_variant(harness: Harness) -> None:
    new = record("new-provider") | {"number": "+1999"}
    one = harness.run(reply(200, new), lambda c: c.phone_numbers.find_one("pn-1"))
    assert type(one) is harness.phone.UnknownPhoneNumber and isinstance(one, harness.phone.UnknownVariant)
    assert one.provider == "new-provider" and one.number == "+1999"
    assert one.created_at == dt.datetime(2024, 5, 1, 12, tzinfo=dt.timezone.utc)  # the fields every provider has, typed
    assert one.model_extra == {"addedLater": {"nested": True}}
    many = harness.run(reply(200, [record("vapi"), new]), lambda c: c.phone_numbers.find_all())
    assert [type(v).__name__ for v in many] == ["VapiPhoneNumber", "UnknownPhoneNumber"]


def test_a_response_beyond_the_specs_bounds_or_enums_is_read_and_dumped_without_warnings(harness: Harness) -> None:
    # the server raised a limit (name: maxLength 40) and added a status; a request is still held to the spec
    answer = record("vapi") | {"name": "x" * 60, "status": "suspended"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pydantic's serializer would warn about a status that is no member
        one = harness.run(reply(200, answer), lambda c: c.phone_numbers.find_one("pn-1"))
        assert (one.name, one.status) == ("x" * 60, "suspended")
        assert one.model_dump(mode="json", by_alias=True)["status"] == "suspended" and one.model_dump()["status"] == "suspended"
        assert json.loads(one.model_dump_json(by_alias=True))["name"] == "x" * 60
    with pytest.raises(harness.phone.RequestValidationError):
        harness.run(reply(200, answer), lambda c: c.phone_numbers.update("pn-1", {"provider": "vapi", "name": "x" * 60}))


def test_a_tagged_body_documents_its_tag_as_a_key_a_dict_must_have(harness: Harness) -> None:
    resource = importlib.import_module(f"{harness.phone.__name__}.resources.phone_numbers")
    doc = inspect.getdoc(resource.PhoneNumbers.update) or ""
    assert "Body: one of, by `provider` (* required):" in doc
    assert "    vapi: fallbackDestination, hooks, name," in doc and doc.split("    vapi: ")[1].split("\n")[0].endswith(", provider*")
    with pytest.raises(harness.phone.RequestValidationError):  # as it says: a dict without the tag is refused
        harness.run(reply(200, record("vapi")), lambda c: c.phone_numbers.update("pn-1", {"name": "x"}))


def test_a_response_that_does_not_fit_is_a_validation_error(harness: Harness) -> None:
    with pytest.raises(harness.phone.ApiResponseValidationError) as caught:
        harness.run(reply(200, {"provider": "twilio"}), lambda c: c.phone_numbers.find_one("pn-1"))
    assert caught.value.status_code == 200
    assert isinstance(caught.value, harness.phone.ApiClientError)


def test_404_is_not_found_with_status_headers_and_body(harness: Harness) -> None:
    body = {"message": "Phone number not found", "statusCode": 404}
    with pytest.raises(harness.phone.NotFoundError) as caught:
        harness.run(reply(404, body, {"x-request-id": "req-9"}), lambda c: c.phone_numbers.find_one("missing"))
    error = caught.value
    assert isinstance(error, harness.phone.ApiError) and isinstance(error, harness.phone.ApiClientError)
    assert error.status_code == 404
    assert error.body == body
    assert error.headers["x-request-id"] == "req-9"
    assert error.model is None  # the phone spec declares no error bodies
    assert "404" in str(error) and "Phone number not found" in str(error)
    assert len(harness.requests) == 1  # 404 is not retried


@pytest.mark.parametrize(
    "status, name",
    [(400, "BadRequestError"), (401, "AuthenticationError"), (403, "PermissionDeniedError"), (409, "ConflictError"),
     (422, "UnprocessableEntityError"), (418, "ApiError"), (501, "InternalServerError")],
)
def test_each_status_class_has_its_error(phone: Any, status: int, name: str) -> None:
    harness = Harness(phone, "sync")
    with pytest.raises(phone.ApiError) as caught:
        harness.run(reply(status, "plain text"), lambda c: c.phone_numbers.create({"provider": "vapi"}))
    assert type(caught.value) is getattr(phone, name)
    assert caught.value.body == "plain text"


def test_raw_response_gives_status_headers_and_parsed_body(harness: Harness) -> None:
    raw = harness.run(
        reply(200, record("telnyx"), {"x-ratelimit-remaining": "41"}),
        lambda c: c.phone_numbers.with_raw_response.find_one("pn-1"),
    )
    assert isinstance(raw, harness.phone.ApiResponse)
    assert raw.status_code == 200
    assert raw.headers["x-ratelimit-remaining"] == "41"
    assert_phone_number(harness.phone, raw.data, "telnyx")


def test_path_parameters_stay_in_their_segment(harness: Harness) -> None:
    for value, expected in [("../x", "/phone-number/..%2Fx"), ("a/b", "/phone-number/a%2Fb"), ("..", "/phone-number/%2E%2E"), ("a b?#", "/phone-number/a%20b%3F%23")]:
        harness.run(reply(200, record("vapi")), lambda c, value=value: c.phone_numbers.find_one(value))
        assert harness.last.url.raw_path == expected.encode()
        assert harness.last.url.query == b""


def test_per_call_options_override_timeout_and_add_headers(harness: Harness) -> None:
    harness.run(
        reply(200, record("vapi")),
        lambda c: c.phone_numbers.find_one("pn-1", options={"timeout": 2.5, "headers": {"X-Trace": "t-1"}}),
        timeout=30.0,
    )
    assert harness.last.extensions["timeout"] == httpx.Timeout(2.5).as_dict()
    assert harness.last.headers["x-trace"] == "t-1"
    harness.run(reply(200, record("vapi")), lambda c: c.phone_numbers.find_one("pn-1"), timeout=30.0)
    assert harness.last.extensions["timeout"] == httpx.Timeout(30.0).as_dict()


# --- retries and timeouts -----------------------------------------------------------------------


def test_a_503_on_get_is_retried_once_then_succeeds(harness: Harness) -> None:
    server = replies(httpx.Response(503, json={"message": "busy"}), httpx.Response(200, json=record("vapi")))
    result = harness.run(server, lambda c: c.phone_numbers.find_one("pn-1"))
    assert type(result) is harness.phone.VapiPhoneNumber
    assert len(harness.requests) == 2
    assert len(harness.sleeps) == 1 and 0.375 <= harness.sleeps[0] <= 0.5  # first backoff, with jitter


def test_a_503_on_post_is_not_retried(harness: Harness) -> None:
    with pytest.raises(harness.phone.InternalServerError) as caught:
        harness.run(reply(503, {"message": "busy"}), lambda c: c.phone_numbers.create({"provider": "vapi"}))
    assert caught.value.status_code == 503
    assert len(harness.requests) == 1 and harness.sleeps == []


def test_retry_methods_can_include_post(harness: Harness) -> None:
    server = replies(httpx.Response(503), httpx.Response(201, json=record("vapi")))
    harness.run(server, lambda c: c.phone_numbers.create({"provider": "vapi"}), retry_methods={"GET", "POST"})
    assert [r.method for r in harness.requests] == ["POST", "POST"]
    assert json.loads(harness.requests[1].content) == {"provider": "vapi"}  # the same body, sent again


def test_retries_back_off_exponentially_and_then_give_up(harness: Harness) -> None:
    with pytest.raises(harness.phone.InternalServerError):
        harness.run(reply(500, {}), lambda c: c.phone_numbers.find_all(), max_retries=3)
    assert len(harness.requests) == 4
    for sleep, full in zip(harness.sleeps, [0.5, 1.0, 2.0], strict=True):
        assert 0.75 * full <= sleep <= full


def test_max_retries_can_be_overridden_per_call(harness: Harness) -> None:
    with pytest.raises(harness.phone.InternalServerError):
        harness.run(reply(502, {}), lambda c: c.phone_numbers.find_one("pn-1", options={"max_retries": 0}))
    assert len(harness.requests) == 1


def test_retry_after_is_honoured(harness: Harness) -> None:
    server = replies(httpx.Response(429, headers={"Retry-After": "3"}), httpx.Response(200, json=record("vapi")))
    harness.run(server, lambda c: c.phone_numbers.remove("pn-1"))
    assert harness.sleeps == [3.0]
    assert [r.method for r in harness.requests] == ["DELETE", "DELETE"]


def test_a_retry_after_beyond_a_minute_is_returned_as_the_error(harness: Harness) -> None:
    with pytest.raises(harness.phone.RateLimitError) as caught:
        harness.run(reply(429, {}, {"Retry-After": "3600"}), lambda c: c.phone_numbers.find_one("pn-1"))
    assert caught.value.headers["retry-after"] == "3600"
    assert len(harness.requests) == 1 and harness.sleeps == []


def test_a_connection_error_on_get_is_retried(harness: Harness) -> None:
    server = replies(httpx.ConnectError("refused"), httpx.Response(200, json=record("vapi")))
    harness.run(server, lambda c: c.phone_numbers.find_one("pn-1"))
    assert len(harness.requests) == 2


def test_a_connection_error_on_post_is_wrapped_and_not_retried(harness: Harness) -> None:
    with pytest.raises(harness.phone.ApiConnectionError) as caught:
        harness.run(replies(httpx.ConnectError("refused")), lambda c: c.phone_numbers.create({"provider": "vapi"}))
    assert not isinstance(caught.value, harness.phone.ApiTimeoutError)
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert len(harness.requests) == 1


def test_a_timeout_is_the_timeout_error(harness: Harness) -> None:
    def too_slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(harness.phone.ApiTimeoutError) as caught:
        harness.run(too_slow, lambda c: c.phone_numbers.find_one("pn-1"), max_retries=1)
    assert isinstance(caught.value, harness.phone.ApiConnectionError)
    assert isinstance(caught.value, harness.phone.ApiClientError)
    assert caught.value.request.url.path == "/phone-number/pn-1"
    assert len(harness.requests) == 2  # a GET timing out is retried (once here)


# --- pagination ---------------------------------------------------------------------------------


def paged_server(pages: list[list[str]], with_has_next: bool) -> Handler:
    """``/v2/phone-number`` over ``pages`` (lists of ids), answering the ``page`` query parameter."""

    def handler(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])
        items = pages[number - 1] if number <= len(pages) else []
        meta: dict[str, Any] = {"itemsPerPage": 2, "totalItems": sum(map(len, pages)), "currentPage": number}
        if with_has_next:
            meta["hasNextPage"] = number < len(pages)
        else:
            meta["totalPages"] = len(pages)
        return httpx.Response(200, json={"results": [record("vapi", i) for i in items], "metadata": meta})

    return handler


@pytest.mark.parametrize("with_has_next", [True, False])
def test_iterating_follows_three_pages(harness: Harness, with_has_next: bool) -> None:
    server = paged_server([["a", "b"], ["c", "d"], ["e"]], with_has_next)
    items = harness.run(server, lambda c: c.phone_numbers.find_all_paginated(limit=2, search="x"), items=True)
    assert [item.id for item in items] == ["a", "b", "c", "d", "e"]
    assert all(type(item) is harness.phone.VapiPhoneNumber for item in items)
    assert [r.url.params.multi_items() for r in harness.requests] == [
        [("search", "x"), ("page", str(n)), ("limit", "2")] for n in (1, 2, 3)  # the page where the spec declares it
    ]


def test_iterating_stops_at_an_empty_page(harness: Harness) -> None:
    def no_metadata_hint(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])
        results = [record("vapi", f"id-{number}")] if number < 3 else []
        return httpx.Response(200, json={"results": results, "metadata": {"itemsPerPage": 1, "totalItems": 2, "currentPage": number}})

    items = harness.run(no_metadata_hint, lambda c: c.phone_numbers.find_all_paginated(), items=True)
    assert [item.id for item in items] == ["id-1", "id-2"]
    assert len(harness.requests) == 3


def test_a_page_walks_on_page_by_page_and_refuses_to_go_past_the_last(phone: Any) -> None:
    server = paged_server([["a", "b"], ["c"]], with_has_next=True)
    with phone.Client(token=TOKEN, httpx_client=httpx.Client(transport=httpx.MockTransport(server))) as client:
        first = client.phone_numbers.find_all_paginated(limit=2)
        assert [item.id for item in first.items] == ["a", "b"] and first.has_next_page()
        last = first.next_page()
        assert (last.page_number, [item.id for item in last.items], last.has_next_page()) == (2, ["c"], False)
        assert [page.page_number for page in first.iter_pages()] == [1, 2]
        with pytest.raises(RuntimeError, match="last page"):
            last.next_page()

    async def walk() -> list[Any]:
        http = httpx.AsyncClient(transport=httpx.MockTransport(server))
        async with phone.AsyncClient(token=TOKEN, httpx_client=http) as client:
            first = await client.phone_numbers.find_all_paginated(limit=2)
            second = await first.next_page()
            return [first.page_number, second.page_number, [page.page_number async for page in first.iter_pages()]]

    assert asyncio.run(walk()) == [1, 2, [1, 2]]


def test_the_runtime_reads_the_paging_fields_its_declaration_names(phone: Any) -> None:
    runtime = importlib.import_module(f"{phone.__name__}._pages")

    def page(**meta: Any) -> SimpleNamespace:
        return SimpleNamespace(rows=["item"], info=SimpleNamespace(**meta))

    paging = runtime.Paging(page_param="p", items="rows", meta="info", has_next="more", current_page="at", total_pages="of")
    assert runtime.has_next_page(page(more=False, at=1, of=5), paging) is False  # has_next decides when set
    assert runtime.has_next_page(page(more=None, at=5, of=5), paging) is False  # else current < total
    assert runtime.has_next_page(page(more=None, at=4, of=5), paging) is True
    unnamed = runtime.Paging(page_param="p", items="rows", meta="info")
    assert runtime.has_next_page(page(hasNextPage=False), unnamed) is True  # no field names of its own: until an empty page


# --- construction, packaging, typing ------------------------------------------------------------


def test_defaults_come_from_the_spec_and_the_pool_is_closed(phone: Any) -> None:
    with phone.Client(token=TOKEN) as client:
        assert client.base_url == "https://api.vapi.ai"
        pool = client._http
        assert not pool.is_closed
    assert pool.is_closed
    assert phone.Client(base_url="http://localhost:8000/").base_url == "http://localhost:8000"

    async def use_async() -> httpx.AsyncClient:
        async with phone.AsyncClient(token=TOKEN) as client:
            return client._http

    assert asyncio.run(use_async()).is_closed


def test_client_headers_are_sent_and_a_given_pool_is_left_open(phone: Any) -> None:
    sent: list[httpx.Request] = []
    http = httpx.Client(transport=httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(200, json=record("vapi"))))
    with phone.Client(httpx_client=http, headers={"X-Team": "ops"}) as client:
        client.phone_numbers.find_one("pn-1")
    assert "authorization" not in sent[0].headers  # no token, no Authorization header
    assert sent[0].headers["x-team"] == "ops"
    assert not http.is_closed  # the caller's pool is the caller's to close


def test_importing_and_constructing_the_client_is_cheap(phone: Any) -> None:
    """No FastAPI, and nothing a first request can do instead: resource modules (imported by the
    attribute that returns them: Microsoft Graph has 419), models, validators, asyncio, a pool."""
    out = Path(phone.__file__).parent.parent
    package = phone.__name__
    script = textwrap.dedent(f"""
        import json, sys
        from {package}.client import AsyncClient, Client
        clients = [Client(token="t"), AsyncClient(token="t")]
        heavy = ["fastapi", "{package}.resources.phone_numbers", "{package}.models", "{package}._base", "pydantic.type_adapter", "asyncio"]
        print(json.dumps([name for name in heavy if name in sys.modules]))
        print(json.dumps([c._http_client is not None for c in clients]))
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=out, capture_output=True, text=True, check=True)
    imported, opened = map(json.loads, result.stdout.splitlines())
    assert imported == []
    assert opened == [False, False]


def test_a_client_never_used_closes_without_opening_a_pool(phone: Any) -> None:
    with phone.Client(token=TOKEN) as client:
        pass
    assert client._http_client is None
    with pytest.raises(RuntimeError, match="closed"):
        client.phone_numbers.find_one("pn-1")

    async def use_async() -> Any:
        async with phone.AsyncClient(token=TOKEN) as client:
            pass
        return client

    assert asyncio.run(use_async())._http_client is None


USAGE = """
from typing import Union, assert_type
from datetime import datetime
from {package} import ApiResponse, Client, AsyncClient, PaginationMeta, PhoneNumber, UnknownPhoneNumber, VapiPhoneNumber

def use(client: Client) -> None:
    found = client.phone_numbers.find_one("x", options={{"timeout": 1.0}})
    assert_type(found, Union[PhoneNumber, UnknownPhoneNumber])
    assert_type(found.created_at, datetime)  # every provider has it: no narrowing needed
    assert_type(found.id, str)
    assert_type(found.provider, str)
    raw = client.phone_numbers.with_raw_response.remove("x")
    assert_type(raw, ApiResponse[Union[PhoneNumber, UnknownPhoneNumber]])
    page = client.phone_numbers.find_all_paginated(limit=5)
    assert_type(page.metadata, PaginationMeta)
    for item in page:
        if isinstance(item, VapiPhoneNumber):
            assert_type(item.id, str)

async def use_async(client: AsyncClient) -> None:
    assert_type(await client.phone_numbers.find_all(), list[Union[PhoneNumber, UnknownPhoneNumber]])
    async for item in client.phone_numbers.find_all_paginated():
        assert_type(item, Union[PhoneNumber, UnknownPhoneNumber])
    first = await client.phone_numbers.find_all_paginated()
    assert_type(first.items, list[Union[PhoneNumber, UnknownPhoneNumber]])
"""


def test_mypy_strict_passes_on_the_package_and_its_typed_use(phone: Any, tmp_path: Path) -> None:
    out = Path(phone.__file__).parent.parent
    usage = out / "typed_usage.py"
    usage.write_text(textwrap.dedent(USAGE.format(package=phone.__name__)), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), phone.__name__, usage.name],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_retry_after_may_be_an_http_date(phone: Any) -> None:
    in_ten_seconds = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=10)
    headers = httpx.Headers({"Retry-After": in_ten_seconds.strftime("%a, %d %b %Y %H:%M:%S GMT")})
    assert 8 <= phone._client.retry_after(headers) <= 10
    assert phone._client.retry_after(httpx.Headers({"Retry-After": "soon"})) is None


# --- a small spec for what the phone spec lacks: header parameters, error bodies, no content ----

MINI_SPEC = """
openapi: 3.0.3
info: {title: Mini, version: "1.0"}
paths:
  /things/{thingId}:
    delete:
      operationId: ThingController_remove
      tags: [Request]
      parameters:
        - {name: thingId, in: path, required: true, schema: {type: string}}
        - {name: X-Idempotency-Key, in: header, required: true, schema: {type: string}}
        - {name: dryRun, in: query, schema: {type: boolean}}
      responses:
        "204": {description: gone}
        "404":
          description: missing
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Problem"}
components:
  schemas:
    Problem:
      type: object
      required: [code]
      properties:
        code: {type: string}
"""


def test_header_parameters_error_models_and_empty_responses(tmp_path: Path) -> None:
    from ..conftest import generate_into, import_fresh

    spec = tmp_path / "mini.yml"
    spec.write_text(MINI_SPEC, encoding="utf-8")
    generate_into(spec, tmp_path / "out", "mini_api")
    mini = import_fresh(tmp_path / "out", "mini_api")
    with pytest.raises(ValueError, match="base_url"):
        mini.Client()  # the spec names no server
    answers = replies(httpx.Response(204), httpx.Response(404, json={"code": "no-such-thing", "extra": 1}))
    sent: list[httpx.Request] = []
    http = httpx.Client(transport=httpx.MockTransport(lambda r: sent.append(r) or answers(r)))
    client = mini.Client(base_url="http://test", httpx_client=http)
    assert client.request_.remove("t/1", x_idempotency_key="k-1", dry_run=True) is None  # "request" is the client's own
    assert sent[0].url.raw_path == b"/things/t%2F1?dryRun=true"
    assert sent[0].headers["x-idempotency-key"] == "k-1"
    with pytest.raises(mini.NotFoundError) as caught:
        client.request_.remove("t2", x_idempotency_key="k-2")
    assert type(caught.value.model) is mini.Problem
    assert caught.value.model.code == "no-such-thing"
