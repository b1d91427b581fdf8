"""YAML anchors: a few hundred bytes of aliases expanding to billions of nodes are refused at once (exit
2, one line naming the file), and an anchor defined twice is read as YAML 1.2 says: the later wins."""

from __future__ import annotations

import importlib
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..cli.test_check import run
from ..conftest import ROOT, generate_into, import_fresh

HEAD = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"

# Each level holds nine aliases of the level below: the last one stands for 9**9 (387 million) leaves.
LEVELS = 9
BOMB_LEAF = {"default": "x", "enum": "x", "allOf": "{type: string}"}


def alias_bomb(field: str) -> str:
    """A spec of well under 1 KB whose ``Boom`` schema's ``field`` expands to 9**9 leaves."""
    if field == "allOf":
        levels = ["- &a0 {type: string}"] + [f"- &a{i} {{allOf: [{', '.join([f'*a{i - 1}'] * 9)}]}}" for i in range(1, LEVELS)]
        boom = f"{{allOf: [*a{LEVELS - 1}]}}"
    else:
        levels = [f"- &a0 [{', '.join([BOMB_LEAF[field]] * 9)}]"] + [
            f"- &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, LEVELS)
        ]
        boom = f"{{type: array, {field}: *a{LEVELS - 1}}}"
    return HEAD + "x-levels:\n" + "".join(f"  {line}\n" for line in levels) + f"components:\n  schemas:\n    Boom: {boom}\n"


def limited_memory() -> None:
    """In the child: at most 2 GB of address space, so an unbounded expansion fails instead of eating the machine."""
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def run_limited(*arguments: str, cwd: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "generator")}
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "vapi_codegen", *arguments],
        cwd=cwd, env=environment, capture_output=True, text=True, timeout=120, check=False, preexec_fn=limited_memory,
    )  # fmt: skip
    return result, time.monotonic() - start


@pytest.mark.parametrize("field", sorted(BOMB_LEAF))
def test_an_alias_bomb_is_refused_at_once_with_one_line(tmp_path: Path, field: str) -> None:
    spec = tmp_path / "bomb.yml"
    spec.write_text(alias_bomb(field), encoding="utf-8")
    assert spec.stat().st_size < 1000
    result, elapsed = run_limited("generate", str(spec), "--out", str(tmp_path / "out"), "--package", "bomb", cwd=tmp_path)
    assert result.returncode == 2, result.stderr[-2000:]
    [line] = result.stderr.splitlines()
    assert line.startswith("bomb.yml: error: YAML aliases expand the document to more than")
    assert "Traceback" not in result.stdout + result.stderr
    assert elapsed < 10  # about 0.5 s, most of it starting Python; the refusal itself takes milliseconds
    assert not (tmp_path / "out").exists()


def test_a_recursive_alias_is_refused_naming_where(tmp_path: Path) -> None:
    spec = tmp_path / "loop.yml"
    spec.write_text(HEAD + "components:\n  schemas:\n    Loop: &loop {type: object, properties: {next: *loop}}\n")
    code, _, stderr = run("generate", str(spec), "--out", str(tmp_path / "out"), "--package", "loop", "-q")
    assert code == 2
    [line] = stderr.splitlines()
    assert line.startswith("loop.yml#/components/schemas/Loop/properties/next/properties/next/")
    assert line.endswith("error: a YAML alias refers to a node that contains it (a recursive structure)")


# ``&size`` is defined twice; each alias refers to the definition before it.
REDEFINED = (
    HEAD
    + """\
x-sizes:
  small: &size {type: string, maxLength: 5}
  large: &size {type: integer, minimum: 100}
components:
  schemas:
    Thing:
      type: object
      properties:
        code: *size
    Other:
      type: object
      properties:
        label: {type: string}
x-later:
  first: &size {type: boolean}
"""
)


def test_a_redefined_anchor_loads_and_the_later_definition_wins(tmp_path: Path) -> None:
    spec = tmp_path / "redefined.yml"
    spec.write_text(REDEFINED, encoding="utf-8")
    generate_into(spec, tmp_path / "out", "redefined")
    import_fresh(tmp_path / "out", "redefined")
    models = importlib.import_module("redefined.models")
    assert models.Thing.model_validate({"code": 150}).code == 150
    with pytest.raises(ValueError):
        models.Thing.model_validate({"code": 50})  # the integer's minimum: not the string's maxLength


def test_generate_check_and_diff_all_accept_a_redefined_anchor(tmp_path: Path) -> None:
    spec = tmp_path / "redefined.yml"
    spec.write_text(REDEFINED, encoding="utf-8")
    out = str(tmp_path / "out")
    assert run("generate", str(spec), "--out", out, "--package", "redefined", "-q")[0] == 0
    assert run("check", str(spec), "--out", out, "--package", "redefined", "-q")[0] == 0
    code, stdout, stderr = run("diff", str(spec), str(spec))
    assert code == 0, stderr
    assert "Traceback" not in stdout + stderr
