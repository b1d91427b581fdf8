"""The compile check of generated code: in process for a small output, in worker processes for a
big one, and either way the first piece added that does not compile is the one reported."""

from __future__ import annotations

import os

import pytest

from vapi_codegen.pipeline import generate_files
from vapi_codegen.rendering import compile_check
from vapi_codegen.rendering.compile_check import CompileChecks, InvalidGeneratedCode
from vapi_codegen.rendering.formatting import format_python_files
from vapi_codegen.rendering.views import models as models_view

from ..golden.cases import CASES

needs_two_cores = pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="the workers need a second core")


def _checks_in_workers() -> CompileChecks:
    checks = CompileChecks(parallel_from=0)
    checks.add("m.py", "x = 1\n")
    assert checks._workers, "the checks did not go to workers"
    return checks


@needs_two_cores
def test_workers_report_the_module_and_its_line_across_pieces() -> None:
    checks = _checks_in_workers()
    checks.add("m.py", "\n\ndef f():\n    pass\ndef g(a=1, b):\n    pass\n")
    checks.add("n.py", "y = 2\n")
    with pytest.raises(InvalidGeneratedCode, match=r"in m\.py, line 6: .*'def g\(a=1, b\):'"):
        checks.wait()


@needs_two_cores
def test_the_first_failing_piece_is_reported_whichever_worker_finishes_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compile_check, "BIG_PIECE", 10_000)
    checks = _checks_in_workers()
    slow = "x = 1\n" * 200_000 + "def broken(:\n"  # big: the first worker, busy for a while
    checks.add("first.py", slow)
    checks.add("second.py", "def also broken\n")  # small: the other worker, done at once
    with pytest.raises(InvalidGeneratedCode, match=r"in first\.py, line 200001"):
        checks.wait()


@needs_two_cores
def test_code_that_compiles_passes_and_cancel_stops_the_workers() -> None:
    checks = _checks_in_workers()
    for index in range(20):
        checks.add(f"m{index}.py", f"def f{index}(a, b=1):\n    return a + b\n")
    checks.wait()
    busy = _checks_in_workers()
    workers = list(busy._workers or ())
    busy.cancel()
    assert workers and all(worker._process.poll() is not None for worker in workers)


@needs_two_cores
def test_invalid_code_checked_by_the_workers_is_the_generators_error_not_the_formatters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compile_check, "PARALLEL_FROM", 0)
    with pytest.raises(InvalidGeneratedCode, match=r"in pkg/broken\.py, line 2: .*'def f\(a=1, b\):'"):
        format_python_files({"ok.py": "y  =  2\n", "pkg/broken.py": "x = 1\ndef f(a=1, b):\n    pass\n"})
    assert format_python_files({"ok.py": "y  =  2\n"}) == {"ok.py": "y = 2\n"}


def test_a_small_output_is_checked_in_process() -> None:
    checks = CompileChecks()
    checks.add("m.py", "x = (\n")
    assert not checks._workers
    with pytest.raises(InvalidGeneratedCode, match=r"in m\.py, line 1"):
        checks.wait()


def test_checked_in_workers_and_models_in_runs_of_one_the_output_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """The phone package (the committed ``generated/``) with every piece checked by the workers
    and ``models.py`` rendered one declaration per piece."""
    phone = CASES[0]
    expected = generate_files(phone.spec, phone.package).files
    monkeypatch.setattr(compile_check, "PARALLEL_FROM", 0)
    monkeypatch.setattr(models_view, "DECLARATIONS_PER_RUN", 1)
    assert generate_files(phone.spec, phone.package).files == expected
    assert (phone.out / "vapi_phone_numbers" / "models.py").read_text(encoding="utf-8") == expected["vapi_phone_numbers/models.py"]
