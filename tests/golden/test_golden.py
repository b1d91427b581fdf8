"""Every golden package is reproduced byte for byte by regenerating it, and it imports and runs."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from vapi_codegen.output.manifest import MANIFEST_NAME
from vapi_codegen.pipeline import generate_files

from ..conftest import import_fresh
from .cases import CASES, GoldenCase


def _on_disk(case: GoldenCase) -> list[str]:
    return sorted(
        p.relative_to(case.out).as_posix()
        for p in case.out.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and ".egg-info" not in str(p)
    )


@pytest.mark.parametrize("case", CASES, ids=[case.package for case in CASES])
def test_regeneration_reproduces_the_committed_package(case: GoldenCase) -> None:
    files = generate_files(case.spec, case.package).files
    assert MANIFEST_NAME in files
    assert _on_disk(case) == sorted(files), "run python tests/golden/regenerate.py and review the diff"
    for relative, text in files.items():
        assert (case.out / relative).read_text(encoding="utf-8") == text, relative


# generated/ is left out: it is byte-identical to the package the session's `phone` fixture imports
# (and exercises everywhere), and importing it again under the same name would replace that one.
@pytest.mark.parametrize("case", CASES[1:], ids=[case.package for case in CASES[1:]])
def test_the_committed_package_imports_and_builds_every_model(case: GoldenCase) -> None:
    package = import_fresh(case.out, case.package)
    models = package.models
    built = [name for name in models.__all__ if isinstance(getattr(models, name), type)]
    assert built, "no models"
    for name in built:
        declared = getattr(models, name)
        if issubclass(declared, BaseModel):
            assert declared.model_rebuild() is not False, name
    assert package.Client is not None and package.AsyncClient is not None
