"""`pip install .` (not editable) gives a working `vapi-codegen` that ships its templates.

It builds a virtual environment and a wheel (~10 s). The throwaway environment borrows this
environment's packages through a .pth file, so nothing is downloaded.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path


from ..conftest import GENERATED, PACKAGE, ROOT, SPEC

def run(command: list[str], cwd: Path) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_non_editable_install_generates_the_golden_output(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path)
    python = venv / "bin" / "python"
    site_packages = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=tmp_path).strip())
    (site_packages / "borrowed_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", str(ROOT)], cwd=tmp_path)

    location = run([str(python), "-c", "import vapi_codegen.rendering.render as r; print(r.TEMPLATES_DIR)"], cwd=tmp_path).strip()
    assert Path(location).is_relative_to(site_packages), location  # templates come from the installed package
    assert (site_packages / "vapi_codegen").is_dir()
    assert not (site_packages / "generator").exists(), "a generic top-level 'generator' package must not be installed"
    assert "Usage:" in run([str(python), "-m", "vapi_codegen", "--help"], cwd=tmp_path)

    out = tmp_path / "out"
    run([str(venv / "bin" / "vapi-codegen"), "generate", str(SPEC), "--out", str(out), "--package", PACKAGE, "--quiet"], cwd=tmp_path)
    produced = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    golden = sorted(p.relative_to(GENERATED).as_posix() for p in GENERATED.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    assert produced == golden
    for relative in produced:
        assert (out / relative).read_bytes() == (GENERATED / relative).read_bytes(), relative
