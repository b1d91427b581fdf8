"""ReDoS: a spec's pattern cannot make one request pin a CPU in the generated models.

A pattern the Rust engine can run is left to it (linear time); one only Python's backtracking
``re`` runs gets a length cap that is checked first. Validation runs in a subprocess with a hard
timeout, so a regression fails the test instead of hanging the suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from vapi_codegen.model.patterns import PYTHON_INPUT_CAP
from vapi_codegen.pipeline import generate_files
from vapi_codegen.output.writer import write

PACKAGE = "redos_spec"
CATASTROPHIC = "^(a+)+$"  # exponential for a backtracking engine on 'a' * n + '!'
PROPERTIES = {
    "name": {"type": "string", "pattern": CATASTROPHIC},
    "handle": {"type": "string", "pattern": "^(?!admin$)[a-z]+$"},  # lookahead: Python only
    "slow": {"type": "string", "pattern": "^(?=a)(a+)+$"},  # lookahead and catastrophic
    "code": {"type": "string", "maxLength": 8, "pattern": "^(?=[A-Z])[A-Z0-9]+$"},
}
QUERY = [{"name": name, "in": "query", "schema": PROPERTIES[name]} for name in ("name", "handle")]
SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "redos", "version": "1"},
    "paths": {"/accounts": {"get": {"operationId": "listAccounts", "parameters": QUERY, "responses": {"204": {"description": "none"}}}}},
    "components": {"schemas": {"Account": {"type": "object", "properties": PROPERTIES}}},
}

# Validates each (field, value) of argv[2] against Account, timing each; prints the error types and times.
MODEL_DRIVER = r"""
import json, sys, time
from pydantic import ValidationError
sys.path.insert(0, sys.argv[1])
from redos_spec.models import Account
Account.model_rebuild(force=True)
results = []
for field, value in json.loads(sys.argv[2]):
    start = time.perf_counter()
    try:
        Account.model_validate({field: value})
        error = None
    except ValidationError as caught:
        error = caught.errors()[0]["type"]
    results.append({"error": error, "seconds": time.perf_counter() - start})
print(json.dumps(results))
"""

# Sends GET /accounts with each query of argv[2] to the generated server; prints the statuses and times.
SERVER_DRIVER = r"""
import asyncio, json, sys, time
import httpx
sys.path.insert(0, sys.argv[1])
from redos_spec.server import create_app

class Service:
    async def list_accounts(self, **query):
        return None

async def main():
    transport = httpx.ASGITransport(app=create_app(Service()))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        results = []
        for query in json.loads(sys.argv[2]):
            start = time.perf_counter()
            response = await client.get("/accounts", params=query)
            results.append({"status": response.status_code, "seconds": time.perf_counter() - start})
    print(json.dumps(results))

asyncio.run(main())
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The spec's package, written to a temporary directory, and its warnings."""
    tmp = tmp_path_factory.mktemp("redos")
    spec = tmp / "spec.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    generation = generate_files(spec, PACKAGE)
    write(tmp / "out", generation.files, stale=[])
    return tmp / "out", [str(w) for w in generation.warnings]


def run_driver(driver: str, out: Path, cases: Any) -> list[dict[str, Any]]:
    """Run ``driver`` on the package in ``out`` and ``cases`` in a fresh interpreter, killed after 60 s."""
    result = subprocess.run(
        [sys.executable, "-c", driver, str(out), json.dumps(cases)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def validate(out: Path, cases: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Validate each (field, value) against the model, in a fresh interpreter."""
    return run_driver(MODEL_DRIVER, out, cases)


def warnings_for(warnings: list[str], field: str) -> list[str]:
    return [w for w in warnings if f"/Account/properties/{field}/pattern:" in w]


def test_a_catastrophic_pattern_is_rejected_in_linear_time(generated: tuple[Path, list[str]]) -> None:
    out, warnings = generated
    assert not warnings_for(warnings, "name")
    [attack, long_attack, good] = validate(out, [("name", "a" * 50 + "!"), ("name", "a" * 100_000 + "!"), ("name", "a" * 50)])
    assert attack["error"] == long_attack["error"] == "string_pattern_mismatch"
    assert attack["seconds"] < 0.5 and long_attack["seconds"] < 0.5
    assert good["error"] is None


def test_lookaround_falls_back_to_python_with_a_warning(generated: tuple[Path, list[str]]) -> None:
    out, warnings = generated
    for field in ("handle", "slow", "code"):
        [warning] = warnings_for(warnings, field)
        assert "checked with Python's re" in warning
    assert f"at most {PYTHON_INPUT_CAP} characters" in warnings_for(warnings, "handle")[0]
    assert "at most 8 characters" in warnings_for(warnings, "code")[0]  # the schema's own maxLength is smaller
    cases = [("handle", "alice"), ("handle", "admin"), ("handle", "Alice"), ("code", "AB12"), ("code", "1AB"), ("code", "ABCDEFGHI")]
    errors = [result["error"] for result in validate(out, cases)]
    assert errors == [None, "string_pattern_mismatch", "string_pattern_mismatch", None, "string_pattern_mismatch", "string_too_long"]


def test_the_length_cap_is_checked_before_python_backtracks(generated: tuple[Path, list[str]]) -> None:
    out, _ = generated
    overlong = "a" * (PYTHON_INPUT_CAP + 1)
    [capped, attack] = validate(out, [("handle", overlong), ("slow", "a" * 5000 + "!")])
    assert capped["error"] == attack["error"] == "string_too_long"
    assert attack["seconds"] < 0.5


def test_rust_patterns_are_plain_strings_and_no_model_switches_engine(generated: tuple[Path, list[str]]) -> None:
    out, _ = generated
    models = (out / PACKAGE / "models.py").read_text(encoding="utf-8")
    assert f'pattern="{CATASTROPHIC}"' in models
    assert f're.compile("{CATASTROPHIC}")' not in models
    assert models.count("re.compile(") == 3
    assert "regex_engine" not in models + (out / PACKAGE / "_base.py").read_text(encoding="utf-8")


def test_the_server_answers_an_attack_at_once(generated: tuple[Path, list[str]]) -> None:
    out, _ = generated
    queries = [{"name": "aaa", "handle": "alice"}, {"name": "a" * 50 + "!"}, {"handle": "a" * 5000}, {"handle": "admin"}]
    [good, attack, overlong, bad] = run_driver(SERVER_DRIVER, out, queries)  # the first request warms up
    assert attack["status"] == overlong["status"] == bad["status"] and attack["status"] in (400, 422)
    assert attack["seconds"] < 0.5 and overlong["seconds"] < 0.5
    assert good["status"] == 204
