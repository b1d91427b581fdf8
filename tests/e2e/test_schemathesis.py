"""Schemathesis (property-based, from the original spec) against the generated mock server."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

schemathesis = pytest.importorskip("schemathesis")

from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
)

from ..conftest import SPEC  # noqa: E402
from ..server_support import AUTH, CREATE_BODIES, mock_app  # noqa: E402

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance, negative_data_rejection, ignored_auth]
# Examples per operation and mode. Generating the big union bodies costs ~0.5 s each; operations
# without a body are cheap, so they get more examples (enough to find e.g. a date-time parameter
# that also takes a Unix time).
BODY_EXAMPLES = 8
EXAMPLES = 50


def _exercise(operation: Any, mode: GenerationMode, **fixed: Any) -> None:
    examples = BODY_EXAMPLES if operation.method.lower() in ("post", "patch") else EXAMPLES

    @given(case=operation.as_strategy(generation_mode=mode, **fixed))
    @settings(max_examples=examples, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    def check(case: Any) -> None:
        # a negative case may drop the Authorization header on purpose: a 401 is then the right answer
        dropped_auth = mode is GenerationMode.NEGATIVE and "Authorization" not in (case.headers or {})
        case.call_and_validate(headers=None if dropped_auth else AUTH, checks=CHECKS)

    check()


def test_mock_conforms_to_the_phone_spec(phone: Any) -> None:
    app = mock_app(phone)
    schema = schemathesis.openapi.from_path(str(SPEC))
    schema.app = app
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 6
    for operation in operations:  # random data: unknown ids, bad bodies and parameters
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _exercise(operation, mode)
    # and on resources that exist, so answers carry real items (one of each provider)
    from fastapi.testclient import TestClient

    with TestClient(app, headers=AUTH) as client:
        ids = [client.post("/phone-number", json=body).json()["id"] for body in CREATE_BODIES.values()]
    by_method = {op.method.lower(): op for op in operations if "{id}" in op.path}
    for item_id in ids:
        _exercise(by_method["get"], GenerationMode.POSITIVE, path_parameters={"id": item_id})
    # bodies are the expensive part to generate: one resource is enough for updates
    _exercise(by_method["patch"], GenerationMode.POSITIVE, path_parameters={"id": ids[0]})
