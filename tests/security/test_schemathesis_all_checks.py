"""Schemathesis with every check, and its stateful phase, against each mock and its own OpenAPI document.

The server publishes what it can answer (its error statuses, and those the mock declares: 501 where
it does not serve an operation, 507 when full), so any status it sends that the document does not
declare is a failure here. ``not_a_server_error`` also takes 501 as expected: the mock's documented
answer to an operation it does not model; any other 5xx still fails. Data generation for the big
assistant bodies is slow by nature, so that health check is off. The CLI runs against a real uvicorn
on 127.0.0.1, in a temporary directory (schemathesis replays the crashes it cached in its working
directory); examples are few (``--max-examples 10``) and the seed is fixed, so the run is bounded
and repeatable. The phone spec takes ~15 s and always runs; the 14 shared specs and the coverage
phase below together take ~22 minutes on a 2-core machine, so they are ``slow`` (``VAPI_SLOW=1``).

Schemathesis' coverage phase (every boundary and type violation it can derive: 60,752 cases, 3-5
minutes) runs on the phone mock only, also as ``slow``; it found that pydantic's lax mode let ``false``
through as a number, which the server now refuses (``_server.REQUEST_BODY``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from vapi_codegen.output.writer import write
from vapi_codegen.pipeline import generate_files

from ..conftest import SHARED_SPECS, SPEC, import_fresh
from ..server_support import AUTH, TOKEN, submodule, uvicorn_server

SPECS = [pytest.param(SPEC, id="phone"), *(pytest.param(p, id=p.stem, marks=pytest.mark.slow) for p in sorted(SHARED_SPECS.glob("*.yml")))]
# Operations whose body schemathesis cannot generate: with ``null`` declared only where the spec
# allows it, POST /chat/responses needs the whole nested assistant configuration, and hypothesis
# gives up after ~10 minutes ("Cannot generate an array with 1 demanded elements"). Its mock answer
# is a documented 501 anyway (not a resource the mock keeps).
UNGENERATABLE = {"vapi-chats-api-openapi": ["ChatController_createOpenAIChat"]}
CONFIG = """\
[checks.not_a_server_error]
expected-statuses = ["2xx", "3xx", "4xx", "501"]
"""


@pytest.mark.parametrize("spec", SPECS)
def test_every_check_passes_against_the_mock(tmp_path: Path, spec: Path) -> None:
    excluded = [option for operation in UNGENERATABLE.get(spec.stem, []) for option in ("--exclude-operation-id", operation)]
    run_schemathesis(tmp_path, spec, "examples,fuzzing,stateful", "--max-examples", "10", *excluded)


@pytest.mark.slow
def test_the_coverage_phase_passes_against_the_phone_mock(tmp_path: Path) -> None:
    run_schemathesis(tmp_path, SPEC, "coverage")


def run_schemathesis(tmp_path: Path, spec: Path, phases: str, *options: str) -> None:
    """Generate ``spec``'s package, serve its mock with uvicorn and run schemathesis' ``phases``
    with every check against the server's own OpenAPI document; fail on any failure."""
    if not spec.is_file():
        pytest.skip(f"{spec} is not present")
    package = "st_" + spec.stem.replace("-", "_")
    files = generate_files(spec, package).files
    if f"{package}/mock.py" not in files:
        pytest.skip("no resource-shaped operations: nothing to mock")
    write(tmp_path, files, stale=[])
    generated = import_fresh(tmp_path, package)
    server, mock = submodule(generated, "server"), submodule(generated, "mock")
    app = server.create_app(mock.MockService(), authenticate=lambda token: token == TOKEN, docs=True)
    app.openapi()  # built once here: built on the first request, a big one outlasts the CLI's 10 s timeout
    (tmp_path / "schemathesis.toml").write_text(CONFIG, encoding="utf-8")
    with uvicorn_server(app) as base_url:
        command = [
            *(sys.executable, "-m", "schemathesis.cli", "--config-file", "schemathesis.toml", "run", f"{base_url}/openapi.json"),
            *("--checks", "all", "--phases", phases, *options),
            *("--suppress-health-check", "too_slow", "--seed", "1", "--no-color"),
            *("-H", f"Authorization: {AUTH['Authorization']}"),
        ]
        environment = {**os.environ, "NO_COLOR": "1"}
        result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=900, env=environment)
    failures = result.stdout[result.stdout.find("FAILURES") :]  # the first ones: a curl line can be huge
    assert result.returncode == 0, failures[:6000] + result.stdout[-1500:] + result.stderr[-2000:]
