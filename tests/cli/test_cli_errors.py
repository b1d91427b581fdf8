"""A spec that cannot be read: one clear line on stderr, exit status 2, no traceback, output untouched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import ROOT, generate_into

VALID = """\
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Thing:
      type: object
      properties:
        name: {type: string}
"""
BAD_YAML = VALID.replace("name: {type: string}", "name: {type: [string\n    other: 1")
BAD_JSON = '{"openapi": "3.0.3",\n "info": {"title": "t"},\n "paths": {]\n}'
DANGLING = VALID + "        owner: {$ref: '#/components/schemas/Owner'}\n"
HUGE_NUMBER = "1" + "0" * 5000  # more digits than Python reads as an int

# (case, file name, spec text or None for a missing file, what the one line must contain)
CASES = [
    ("missing file", "absent.yml", None, ["absent.yml", "cannot read spec"]),
    ("bad YAML", "broken.yml", BAD_YAML, ["broken.yml", "invalid YAML at line 10"]),
    ("bad JSON", "broken.json", BAD_JSON, ["broken.json", "invalid JSON at line 3"]),
    (
        "dangling $ref",
        "dangling.yml",
        DANGLING,
        ["dangling.yml#/components/schemas/Thing/properties/owner/$ref", "'#/components/schemas/Owner'", "points to nothing"],
    ),
    (
        "line break in a pointer",
        "newline.yml",
        DANGLING.replace("owner:", '"owner\\n::error title=forged::x":'),
        ["newline.yml#/components/schemas/Thing/properties/owner\\n::error title=forged::x/$ref", "points to nothing"],
    ),
    ("huge number in YAML", "huge.yml", VALID + f"x-huge: {HUGE_NUMBER}\n", ["huge.yml", "invalid YAML: Exceeds the limit (4300 digits)"]),
    ("huge number in JSON", "huge.json", f'{{"openapi": "3.0.3", "x": {HUGE_NUMBER}}}', ["huge.json", "invalid JSON: Exceeds the limit (4300 digits)"]),
]


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def run_cli(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "generator")}
    return subprocess.run(
        [sys.executable, "-m", "vapi_codegen", *arguments], cwd=cwd, env=environment, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize(("case", "file_name", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_unreadable_spec_is_one_line_exit_2_and_output_untouched(
    tmp_path: Path, case: str, file_name: str, text: str | None, expected: list[str]
) -> None:
    good = tmp_path / "good.yml"
    good.write_text(VALID, encoding="utf-8")
    out = tmp_path / "out"
    generate_into(good, out, "pkg")
    (out / "notes.txt").write_text("kept by hand\n", encoding="utf-8")
    before = snapshot(out)
    spec = tmp_path / file_name
    if text is not None:
        spec.write_text(text, encoding="utf-8")

    result = run_cli("generate", str(spec), "--out", str(out), "--package", "pkg", cwd=tmp_path)

    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in expected:
        assert fragment in lines[0]
    assert ": error: " in lines[0]
    assert result.stdout == ""
    assert snapshot(out) == before


def test_unreadable_spec_creates_no_output_directory(tmp_path: Path) -> None:
    spec = tmp_path / "dangling.yml"
    spec.write_text(DANGLING, encoding="utf-8")
    result = run_cli("generate", str(spec), "--out", "new-out", "--package", "pkg", cwd=tmp_path)
    assert result.returncode == 2
    assert not (tmp_path / "new-out").exists()


def test_attribute_names_setting_keeps_spec_names_or_is_refused_when_unknown(tmp_path: Path) -> None:
    (tmp_path / "spec.yml").write_text(VALID.replace("name: {type: string}", "displayName: {type: string}"), encoding="utf-8")
    project = '[tool.vapi-codegen]\nspec = "spec.yml"\npackage = "things"\nattribute_names = "{}"\n'
    (tmp_path / "pyproject.toml").write_text(project.format("spec"), encoding="utf-8")
    assert run_cli("generate", "-q", cwd=tmp_path).returncode == 0
    assert "    displayName: Optional[str] = None\n" in (tmp_path / "generated" / "things" / "models.py").read_text(encoding="utf-8")

    (tmp_path / "pyproject.toml").write_text(project.format("camel"), encoding="utf-8")
    refused = run_cli("check", cwd=tmp_path)
    assert refused.returncode == 2
    assert "attribute_names must be one of 'python', 'spec', not 'camel'" in refused.stderr


@pytest.mark.parametrize(
    ("package", "problem"),
    [
        ("ĉu", "is not a Python identifier of ASCII letters, digits and _"),
        ("class", "is a Python keyword"),
        ("json", "is the name of a module the generated code imports"),
        ("httpx", "is the name of a module the generated code imports"),
    ],
)
def test_a_package_name_that_cannot_work_is_refused(tmp_path: Path, package: str, problem: str) -> None:
    spec = tmp_path / "good.yml"
    spec.write_text(VALID, encoding="utf-8")
    result = run_cli("generate", str(spec), "--out", str(tmp_path / "out"), "--package", package, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"{spec}: error: package name {package!r} {problem}")
    assert not (tmp_path / "out").exists()


def test_a_spec_named_after_a_module_gets_a_package_name_that_works(tmp_path: Path) -> None:
    for name, package in (("json.yml", "json_api"), ("class.yml", "class_api")):
        (tmp_path / name).write_text(VALID, encoding="utf-8")
        result = run_cli("generate", name, "--out", f"out_{package}", "-q", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert (tmp_path / f"out_{package}" / package / "models.py").is_file()
