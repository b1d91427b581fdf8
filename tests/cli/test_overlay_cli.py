"""``--overlay`` and ``[tool.vapi-codegen] overlays`` on generate, check and diff, as users run them."""

from __future__ import annotations

import json
from pathlib import Path

from .test_cli_errors import run_cli

SPEC = """\
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /notes:
    post:
      operationId: createNote
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Note'}}}}
      responses: {'201': {description: created}}
components:
  schemas:
    Note:
      type: object
      properties:
        text: {type: object}
"""
TEXT_IS_A_STRING = """\
overlay: 1.0.0
info: {title: text is a string, version: "1"}
actions:
  - target: $.components.schemas.Note.properties.text
    update: {type: string}
"""


def _project(tmp_path: Path) -> Path:
    (tmp_path / "api.yaml").write_text(SPEC, encoding="utf-8")
    (tmp_path / "fix.yaml").write_text(TEXT_IS_A_STRING, encoding="utf-8")
    return tmp_path


def test_generate_applies_the_overlay_and_records_it_and_check_needs_it_too(tmp_path: Path) -> None:
    project = _project(tmp_path)
    generated = run_cli("generate", "api.yaml", "--out", "out", "--package", "notes", "--overlay", "fix.yaml", "-q", cwd=project)
    assert generated.returncode == 0, generated.stderr
    assert "text: Optional[str]" in (project / "out" / "notes" / "models.py").read_text(encoding="utf-8")
    manifest = json.loads((project / "out" / ".vapi-codegen.json").read_text(encoding="utf-8"))
    assert [o["name"] for o in manifest["overlays"]] == ["fix.yaml"]

    assert run_cli("check", "api.yaml", "--out", "out", "--package", "notes", "--overlay", "fix.yaml", "-q", cwd=project).returncode == 0
    drift = run_cli("check", "api.yaml", "--out", "out", "--package", "notes", "-q", cwd=project)
    assert drift.returncode == 1
    assert "changed: " in drift.stdout and "models.py" in drift.stdout


def test_the_project_overlays_apply_to_the_configured_spec(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "pyproject.toml").write_text(
        '[tool.vapi-codegen]\nspec = "api.yaml"\nout = "out"\npackage = "notes"\noverlays = ["fix.yaml"]\n', encoding="utf-8"
    )
    assert run_cli("generate", "-q", cwd=project).returncode == 0
    assert "text: Optional[str]" in (project / "out" / "notes" / "models.py").read_text(encoding="utf-8")
    assert run_cli("check", "-q", cwd=project).returncode == 0


def test_diff_compares_both_documents_with_the_overlay_applied(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "new.yaml").write_text(SPEC.replace("text: {type: object}", "text: {type: string}"), encoding="utf-8")
    without = run_cli("diff", "api.yaml", "new.yaml", "--format", "json", cwd=project)
    assert [change["details"]["at"] for change in json.loads(without.stdout)["changes"]] == ["Note.text"], without.stdout
    with_overlay = run_cli("diff", "api.yaml", "new.yaml", "--overlay", "fix.yaml", "--format", "json", cwd=project)
    assert json.loads(with_overlay.stdout)["changes"] == [], with_overlay.stdout + with_overlay.stderr


def test_a_missing_overlay_is_exit_2_with_one_line_and_nothing_written(tmp_path: Path) -> None:
    project = _project(tmp_path)
    result = run_cli("generate", "api.yaml", "--out", "out", "--package", "notes", "--overlay", "absent.yaml", cwd=project)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "absent.yaml" in result.stderr and "cannot read overlay" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "out").exists()
