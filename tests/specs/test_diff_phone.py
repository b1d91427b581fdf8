"""`vapi-codegen diff` on a real spec update: the phone-number spec of seed 002 against today's.

The older spec is `tests/fixtures/vapi-phone-numbers-api-openapi.old.yml` (see tests/fixtures/README.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from vapi_codegen.diffing.compare import Report, compare_documents
from vapi_codegen.loading.document import load_document

from ..conftest import ROOT, SPEC

OLD_SPEC = ROOT / "tests" / "fixtures" / "vapi-phone-numbers-api-openapi.old.yml"
BYO = "/components/schemas/ByoPhoneNumber"
CREATE = "/components/schemas/CreateByoPhoneNumberDTO"
# the fallback model of the PhoneNumber union (titled where GET /phone-number first writes it)
UNKNOWN = "/paths/~1phone-number/get/responses/200/content/application~1json/schema/items/discriminator"
RETURNS_PHONE_NUMBER = [
    "DELETE /phone-number/{id}",
    "GET /phone-number",
    "GET /phone-number/{id}",
    "GET /v2/phone-number",
    "PATCH /phone-number/{id}",
    "POST /phone-number",
]

OLD_TO_NEW = [
    ("request-constraint-tightened", f"{CREATE}/properties/name", f"{CREATE}/properties/name/maxLength"),
    ("request-constraint-tightened", f"{CREATE}/properties/number", f"{CREATE}/properties/number/maxLength"),
    ("request-constraint-tightened", f"{CREATE}/properties/number", f"{CREATE}/properties/number/minLength"),
    ("response-optional-property-removed", f"{BYO}/properties/serverUrl", BYO),
    ("response-optional-property-removed", f"{BYO}/properties/serverUrlSecret", BYO),
    ("format-changed", f"{BYO}/properties/createdAt", f"{BYO}/properties/createdAt/format"),
    ("format-changed", f"{BYO}/properties/updatedAt", f"{BYO}/properties/updatedAt/format"),
    ("request-property-removed", f"{CREATE}/properties/serverUrl", CREATE),
    ("request-property-removed", f"{CREATE}/properties/serverUrlSecret", CREATE),
    ("request-optional-property-added", CREATE, f"{CREATE}/properties/hooks"),
    ("request-optional-property-added", CREATE, f"{CREATE}/properties/server"),
    ("request-optional-property-added", CREATE, f"{CREATE}/properties/workflowId"),
    ("response-constraint-tightened", f"{BYO}/properties/name", f"{BYO}/properties/name/maxLength"),
    ("response-constraint-tightened", f"{BYO}/properties/number", f"{BYO}/properties/number/maxLength"),
    ("response-constraint-tightened", f"{BYO}/properties/number", f"{BYO}/properties/number/minLength"),
    ("response-property-added", BYO, f"{BYO}/properties/hooks"),
    ("response-property-added", BYO, f"{BYO}/properties/server"),
    ("response-property-added", BYO, f"{BYO}/properties/status"),
    ("response-property-added", BYO, f"{BYO}/properties/workflowId"),
    # the generated package
    ("attribute-removed", f"{BYO}/properties/serverUrl", BYO),
    ("attribute-removed", f"{BYO}/properties/serverUrlSecret", BYO),
    ("attribute-removed", f"{CREATE}/properties/serverUrl", CREATE),
    ("attribute-removed", f"{CREATE}/properties/serverUrlSecret", CREATE),
    ("attribute-added", BYO, f"{BYO}/properties/hooks"),
    ("attribute-added", BYO, f"{BYO}/properties/server"),
    ("attribute-added", BYO, f"{BYO}/properties/status"),
    ("attribute-added", BYO, f"{BYO}/properties/workflowId"),
    ("attribute-added", CREATE, f"{CREATE}/properties/hooks"),
    ("attribute-added", CREATE, f"{CREATE}/properties/server"),
    ("attribute-added", CREATE, f"{CREATE}/properties/workflowId"),
    ("attribute-added", UNKNOWN, f"{UNKNOWN}/properties/hooks"),
    ("attribute-added", UNKNOWN, f"{UNKNOWN}/properties/server"),
    ("attribute-added", UNKNOWN, f"{UNKNOWN}/properties/status"),
    ("attribute-added", UNKNOWN, f"{UNKNOWN}/properties/workflowId"),
    ("class-added", f"{BYO}/properties", f"{BYO}/properties/status"),
]

NEW_TO_OLD = [
    ("response-constraint-loosened", f"{BYO}/properties/name/maxLength", f"{BYO}/properties/name"),
    ("response-constraint-loosened", f"{BYO}/properties/number/maxLength", f"{BYO}/properties/number"),
    ("response-constraint-loosened", f"{BYO}/properties/number/minLength", f"{BYO}/properties/number"),
    ("response-optional-property-removed", f"{BYO}/properties/hooks", BYO),
    ("response-optional-property-removed", f"{BYO}/properties/server", BYO),
    ("response-optional-property-removed", f"{BYO}/properties/status", BYO),
    ("response-optional-property-removed", f"{BYO}/properties/workflowId", BYO),
    ("format-changed", f"{BYO}/properties/createdAt/format", f"{BYO}/properties/createdAt"),
    ("format-changed", f"{BYO}/properties/updatedAt/format", f"{BYO}/properties/updatedAt"),
    ("request-property-removed", f"{CREATE}/properties/hooks", CREATE),
    ("request-property-removed", f"{CREATE}/properties/server", CREATE),
    ("request-property-removed", f"{CREATE}/properties/workflowId", CREATE),
    ("request-constraint-loosened", f"{CREATE}/properties/name/maxLength", f"{CREATE}/properties/name"),
    ("request-constraint-loosened", f"{CREATE}/properties/number/maxLength", f"{CREATE}/properties/number"),
    ("request-constraint-loosened", f"{CREATE}/properties/number/minLength", f"{CREATE}/properties/number"),
    ("request-optional-property-added", CREATE, f"{CREATE}/properties/serverUrl"),
    ("request-optional-property-added", CREATE, f"{CREATE}/properties/serverUrlSecret"),
    ("response-property-added", BYO, f"{BYO}/properties/serverUrl"),
    ("response-property-added", BYO, f"{BYO}/properties/serverUrlSecret"),
    # the generated package
    ("class-removed", f"{BYO}/properties/status", f"{BYO}/properties"),
    ("attribute-removed", f"{BYO}/properties/hooks", BYO),
    ("attribute-removed", f"{BYO}/properties/server", BYO),
    ("attribute-removed", f"{BYO}/properties/status", BYO),
    ("attribute-removed", f"{BYO}/properties/workflowId", BYO),
    ("attribute-removed", f"{CREATE}/properties/hooks", CREATE),
    ("attribute-removed", f"{CREATE}/properties/server", CREATE),
    ("attribute-removed", f"{CREATE}/properties/workflowId", CREATE),
    ("attribute-removed", f"{UNKNOWN}/properties/hooks", UNKNOWN),
    ("attribute-removed", f"{UNKNOWN}/properties/server", UNKNOWN),
    ("attribute-removed", f"{UNKNOWN}/properties/status", UNKNOWN),
    ("attribute-removed", f"{UNKNOWN}/properties/workflowId", UNKNOWN),
    ("attribute-added", BYO, f"{BYO}/properties/serverUrl"),
    ("attribute-added", BYO, f"{BYO}/properties/serverUrlSecret"),
    ("attribute-added", CREATE, f"{CREATE}/properties/serverUrl"),
    ("attribute-added", CREATE, f"{CREATE}/properties/serverUrlSecret"),
]


def compare(old: Path, new: Path) -> Report:
    return compare_documents(load_document(old), load_document(new))


@pytest.mark.parametrize(("old", "new", "expected"), [(OLD_SPEC, SPEC, OLD_TO_NEW), (SPEC, OLD_SPEC, NEW_TO_OLD)], ids=["old-to-new", "new-to-old"])
def test_exact_report(old: Path, new: Path, expected: list[tuple[str, str, str]]) -> None:
    report = compare(old, new)
    assert [(f.rule.id, f.change.old_pointer, f.change.new_pointer) for f in report.findings] == expected


def test_old_to_new_summary_and_messages() -> None:
    report = compare(OLD_SPEC, SPEC)
    assert (report.count("breaking"), report.count("soft"), report.count("warning"), report.count("info")) == (3, 2, 8, 22)
    by_pointer = {(f.rule.id, f.change.old_pointer): f for f in report.findings}
    removed = by_pointer[("response-optional-property-removed", f"{BYO}/properties/serverUrl")]
    assert removed.message == "optional response property ByoPhoneNumber.serverUrl removed: it was never guaranteed, but clients reading it lose it"
    assert removed.operations == RETURNS_PHONE_NUMBER  # one change, every operation that returns the schema
    tightened = by_pointer[("request-constraint-tightened", f"{CREATE}/properties/name")]
    assert tightened.message == "request maxLength of CreateByoPhoneNumberDTO.name tightened from unset to 40"
    assert tightened.operations == ["POST /phone-number"]
    assert tightened.change.direction == "request"


def test_new_to_old_summary() -> None:
    report = compare(SPEC, OLD_SPEC)
    assert (report.count("breaking"), report.count("soft"), report.count("warning"), report.count("info")) == (1, 7, 16, 11)


def test_fixture_is_a_small_edit_of_todays_spec() -> None:
    """The fixture is today's spec with two schemas edited: everything else is the same data."""
    old = load_document(OLD_SPEC).data
    new = load_document(SPEC).data
    assert old["paths"] == new["paths"]
    edited = {name for name in new["components"]["schemas"] if old["components"]["schemas"].get(name) != new["components"]["schemas"][name]}
    assert edited == {"ByoPhoneNumber", "CreateByoPhoneNumberDTO"}
    assert set(old["components"]["schemas"]) == set(new["components"]["schemas"])
