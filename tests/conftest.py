"""Shared fixtures: the repository layout and a helper that generates a spec and imports the result."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator

import pytest

from vapi_codegen.pipeline import generate_files
from vapi_codegen.commands.serve import import_generated as import_fresh
from vapi_codegen.output.writer import write

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "vapi-phone-numbers-api-openapi.yml"
SHARED_SPECS = ROOT.parent / "shared" / "specs" / "vapi"
GENERATED = ROOT / "generated"
PACKAGE = "vapi_phone_numbers"
needs_shared_specs = pytest.mark.skipif(not SHARED_SPECS.is_dir(), reason="../shared/specs/vapi is not present")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip the tests marked ``slow`` (minutes of CPU each) unless ``VAPI_SLOW=1``."""
    if os.environ.get("VAPI_SLOW") == "1":
        return
    for item in items:
        if item.get_closest_marker("slow") is not None:
            item.add_marker(pytest.mark.skip(reason="slow: set VAPI_SLOW=1 to run it"))


def generate_into(spec: Path, out: Path, package: str) -> None:
    """Generate ``spec`` into ``out`` the way the CLI does (without the CLI)."""
    write(out, generate_files(spec, package).files, stale=[])


def package_from_spec_text(directory: Path, text: str, package: str) -> Any:
    """Write ``text`` as a spec into ``directory``, generate ``package`` from it there and import it."""
    spec = directory / f"{package}.yml"
    spec.write_text(text, encoding="utf-8")
    generate_into(spec, directory / "out", package)
    return import_fresh(directory / "out", package)


@pytest.fixture(scope="session")
def phone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The phone spec's package, freshly generated into a temporary directory and imported."""
    out = tmp_path_factory.mktemp("phone")
    generate_into(SPEC, out, PACKAGE)
    yield import_fresh(out, PACKAGE)
