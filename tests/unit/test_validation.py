"""Meta-schema validation: problems become warnings at precise JSON pointers, quickly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from vapi_codegen.diagnostics import Diagnostics
from vapi_codegen.loading.document import Document, load_document, validate_document

from ..conftest import ROOT, SHARED_SPECS, needs_shared_specs


def _warnings(data: dict[str, Any]) -> list[str]:
    document = Document(path=Path("api.yml"), raw=json.dumps(data).encode(), data=data)
    diagnostics = Diagnostics(document.name)
    validate_document(document, diagnostics)
    return [str(warning) for warning in diagnostics.warnings]


def _openapi(version: str, schemas: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }


def test_a_valid_document_has_no_warnings() -> None:
    assert _warnings(_openapi("3.0.3", {"A": {"type": "object", "properties": {"a": {"type": "string"}}}})) == []


def test_a_problem_inside_a_schema_is_reported_where_it_is() -> None:
    # the meta-schema's oneOf [Schema, Reference] fails; the warning names the empty enum itself
    schema = {"type": "object", "properties": {"voice": {"oneOf": [{"type": "string", "enum": []}]}}}
    warnings = _warnings(_openapi("3.0.3", {"Voice": schema}))
    assert warnings == [
        "api.yml#/components/schemas/Voice/properties/voice/oneOf/0/enum: warning: OpenAPI validation: [] has less than 1 item"
    ]


def test_a_keyword_openapi_3_0_does_not_know_is_named() -> None:
    warnings = _warnings(_openapi("3.0.3", {"A": {"type": "string", "examples": ["x"]}}))
    assert len(warnings) == 1
    assert warnings[0].startswith("api.yml#/components/schemas/A: warning:")
    assert "'examples' was unexpected" in warnings[0]


def test_openapi_3_1_documents_use_the_3_1_meta_schema() -> None:
    document = _openapi("3.1.0", {"A": {"type": ["string", "null"], "examples": ["x"]}})
    assert _warnings(document) == []
    del document["info"]["version"]
    assert _warnings(document) == ['api.yml#/info: warning: OpenAPI validation: "version" is a required property']


def test_many_problems_are_summarised() -> None:
    schemas = {f"S{index}": {"type": "string", "enum": []} for index in range(25)}
    warnings = _warnings(_openapi("3.0.3", schemas))
    assert len(warnings) == 21
    assert warnings[-1].endswith("OpenAPI validation: 5 more problems not shown")


@needs_shared_specs
def test_the_real_specs_warn_at_the_schemas_at_fault() -> None:
    document = load_document(SHARED_SPECS / "vapi-tools-api-openapi.yml")
    diagnostics = Diagnostics(document.name)
    validate_document(document, diagnostics)
    pointers = {warning.pointer for warning in diagnostics.warnings}
    assert "/components/schemas/NeuphonicVoice/properties/voiceId/oneOf/0/enum" in pointers
    assert "/components/schemas/RegexCondition/properties/regex" in pointers


def test_generating_imports_no_slow_tooling() -> None:
    # black and openapi-spec-validator cost ~0.5 s each just to import; generation needs neither
    script = (
        "import sys; from pathlib import Path; from vapi_codegen.pipeline import generate_files; "
        f"generate_files(Path({str(ROOT / 'spec' / 'vapi-phone-numbers-api-openapi.yml')!r}), 'p'); "
        "print(sorted(m for m in ('black', 'openapi_spec_validator', 'jsonschema') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]"
