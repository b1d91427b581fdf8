"""A ``generate`` cut short while moving files into place is finished by the next one (no --force), its
leftover temporary files are reported by ``check`` and removed by ``generate``; writing never changes
the process's umask."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import ROOT, SPEC
from ..cli.test_check import PACKAGE, run, snapshot
from .test_output_dir import assert_refused

JOURNAL = ".vapi-codegen-journal.json"


def generate(spec: Path, out: Path) -> tuple[int, str, str]:
    return run("generate", str(spec), "--out", str(out), "--package", PACKAGE, "-q")


def check(spec: Path, out: Path) -> tuple[int, str, str]:
    return run("check", str(spec), "--out", str(out), "--package", PACKAGE, "-q")


def temporaries(out: Path) -> list[str]:
    """The ``.vapi-codegen-*`` files below ``out`` other than the manifest."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob(".vapi-codegen-*"))


@pytest.fixture()
def out(tmp_path: Path) -> Path:
    target = tmp_path / "out"
    code, _, stderr = generate(SPEC, target)
    assert code == 0, stderr
    return target


@pytest.fixture()
def changed(tmp_path: Path) -> Path:
    """The spec under another name and with one summary changed: every generated file changes."""
    path = tmp_path / "changed.yml"
    path.write_text(SPEC.read_text().replace("Create Phone Number", "Create a Phone Number"))
    return path


def test_crash_between_moves_is_finished_by_the_next_generate(
    out: Path, changed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace
    calls = {"n": 0}

    def crashing(source: object, target: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 4:
            raise OSError(5, "Input/output error (simulated crash)")
        real_replace(source, target, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", crashing)
        code, _, stderr = generate(changed, out)
    assert code == 2 and "simulated crash" in stderr
    assert temporaries(out), "the crash should leave staged files behind"

    code, stdout, _ = check(changed, out)
    assert code == 1
    assert f"leftover: {out / JOURNAL}" in stdout

    code, _, stderr = generate(changed, out)
    assert code == 0, stderr
    assert temporaries(out) == []
    assert check(changed, out)[0] == 0
    fresh = tmp_path / "fresh"
    assert generate(changed, fresh)[0] == 0
    assert snapshot(out) == snapshot(fresh)


def test_leftover_temporary_files_are_reported_then_removed(out: Path) -> None:
    leftovers = [out / ".vapi-codegen-0a1b2c3d4e5f6a7b", out / PACKAGE / ".vapi-codegen-9f8e7d6c5b4a3f2e"]
    for path in leftovers:
        path.write_text("half written")
    mine = [out / PACKAGE / ".vapi-codegen-notes.md", out / ".vapi-codegen-notes", out / PACKAGE / ".vapi-codegen-settings"]
    for path in mine:
        path.write_text("not a temporary file of vapi-codegen\n")

    code, stdout, _ = check(SPEC, out)
    assert code == 1
    for path in leftovers:
        assert f"leftover: {path}" in stdout
    assert "notes" not in stdout and "settings" not in stdout

    code, _, stderr = generate(SPEC, out)
    assert code == 0, stderr
    assert not any(path.exists() for path in leftovers)
    assert all(path.read_text() == "not a temporary file of vapi-codegen\n" for path in mine)
    assert check(SPEC, out)[0] == 0


def test_journal_cannot_move_files_in_from_outside(out: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text("import os\n")
    journal = out / JOURNAL
    journal.write_text(json.dumps({"moves": [["../outside.py", f"{PACKAGE}/models.py"]], "delete": []}))
    before = snapshot(out)

    code, stdout, stderr = generate(SPEC, out)

    assert_refused(code, stdout, stderr, str(journal), "'../outside.py'")
    assert outside.read_text() == "import os\n"
    assert snapshot(out) == before


def test_writing_leaves_the_umask_alone_and_new_files_follow_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    script = f"""if True:
        import json, os
        os.umask(0o027)
        calls = []
        real_umask = os.umask
        os.umask = lambda mask: calls.append(mask) or real_umask(mask)
        from vapi_codegen.cli import main
        try:
            main(["generate", {str(SPEC)!r}, "--out", {str(out)!r}, "--package", {PACKAGE!r}, "-q"])
        except SystemExit as exit:
            assert exit.code == 0, exit.code
        print(json.dumps(calls))
    """
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "generator")}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=environment, check=True)
    assert json.loads(result.stdout.splitlines()[-1]) == []
    modes = {p.relative_to(out).as_posix(): p.stat().st_mode & 0o777 for p in out.rglob("*")}
    assert modes[PACKAGE] == 0o750
    assert modes[f"{PACKAGE}/models.py"] == 0o640
    assert set(modes.values()) == {0o750, 0o640}
