"""The code in the READMEs works as shown.

Every ```python block of the project README and of the README the generator emits type-checks with
``mypy --strict`` and no pydantic plugin; the project README's runnable blocks (those talking to
``http://127.0.0.1:8000``, where ``vapi-codegen serve`` puts the mock) run against the mock, served
in process by uvicorn on an ephemeral port.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ..conftest import ROOT, generate_into
from ..server_support import submodule, uvicorn_server

_BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
_MOCK_URL = "http://127.0.0.1:8000"


def python_blocks(readme: Path) -> list[str]:
    return _BLOCK.findall(readme.read_text(encoding="utf-8"))


def test_every_python_block_of_both_readmes_type_checks_strictly(phone: Any, tmp_path: Path) -> None:
    out = Path(phone.__file__).parent.parent
    generate_into(ROOT / "tests" / "fixtures" / "documents-api.yml", tmp_path / "documents", "documents_api")
    packages = [out, tmp_path / "documents", ROOT / "tests" / "golden" / "packages" / "vault"]  # what the blocks import
    sources = {"project": python_blocks(ROOT / "README.md"), "emitted": python_blocks(out / "README.md")}
    assert len(sources["project"]) >= 3 and len(sources["emitted"]) >= 6
    files = []
    for name, blocks in sources.items():
        for index, block in enumerate(blocks):
            path = tmp_path / f"readme_{name}_{index}.py"
            path.write_text(block, encoding="utf-8")
            files.append(path.name)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), *files],
        cwd=tmp_path,
        env={"MYPYPATH": os.pathsep.join(map(str, packages)), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("index", range(len([b for b in python_blocks(ROOT / "README.md") if _MOCK_URL in b])))
def test_the_runnable_project_readme_blocks_run_against_the_mock(phone: Any, index: int) -> None:
    block = [b for b in python_blocks(ROOT / "README.md") if _MOCK_URL in b][index]
    app = submodule(phone, "server").create_app(submodule(phone, "mock").MockService(), authenticate=lambda token: True)
    with uvicorn_server(app) as base_url:
        exec(compile(block.replace(_MOCK_URL, base_url), f"README block {index}", "exec"), {"__name__": "readme"})
