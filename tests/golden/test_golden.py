"""The committed generated/ is the golden output: regenerating from spec/ must reproduce it byte for byte."""

from __future__ import annotations

from vapi_codegen.output.manifest import MANIFEST_NAME
from vapi_codegen.pipeline import generate_files

from ..conftest import GENERATED, PACKAGE, SPEC


def test_regeneration_reproduces_committed_output() -> None:
    files = generate_files(SPEC, PACKAGE).files
    on_disk = sorted(
        p.relative_to(GENERATED).as_posix()
        for p in GENERATED.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and ".egg-info" not in str(p)
    )
    assert on_disk == sorted(files)
    for relative, text in files.items():
        assert (GENERATED / relative).read_text(encoding="utf-8") == text, relative
    assert MANIFEST_NAME in files
