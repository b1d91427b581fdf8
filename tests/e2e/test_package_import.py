"""The emitted package is cheap to import: names are loaded on first use, FastAPI never on the client path."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import PACKAGE, SPEC, generate_into


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("lazy")
    generate_into(SPEC, directory, PACKAGE)
    return directory


def _run(out: Path, script: str) -> object:
    """Run ``script`` in a fresh interpreter with the package importable; returns its printed JSON."""
    result = subprocess.run([sys.executable, "-c", script], cwd=out, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_importing_the_package_builds_no_model(out: Path) -> None:
    script = f"import json, sys, {PACKAGE}; print(json.dumps(sorted(m for m in sys.modules if m.startswith('{PACKAGE}'))))"
    assert _run(out, script) == [PACKAGE]


def test_exported_names_and_submodules_load_on_first_use(out: Path) -> None:
    script = f"""
import json, sys
import {PACKAGE} as package
from {PACKAGE} import PhoneNumberCreateBody, LENIENT_CONTEXT
from pydantic import TypeAdapter
body = TypeAdapter(PhoneNumberCreateBody).validate_python(
    {{"provider": "twilio", "number": "+14155551234", "twilioAccountSid": "AC1"}}, context=LENIENT_CONTEXT)
try:
    package.no_such_name
    missing = "no error"
except AttributeError as error:
    missing = str(error)
print(json.dumps({{
    "body": type(body).__name__,
    "same": package.PhoneNumberCreateBody is PhoneNumberCreateBody,
    "models": package.models.__name__,
    "missing": missing,
    "star": sorted(set(package.__all__) - set(dir(package))),
}}))
"""
    assert _run(out, script) == {
        "body": "CreateTwilioPhoneNumberDTO",
        "same": True,
        "models": f"{PACKAGE}.models",
        "missing": f"module {PACKAGE!r} has no attribute 'no_such_name'",
        "star": [],
    }


def test_star_import_gives_every_export(out: Path) -> None:
    script = f"import json\nfrom {PACKAGE} import *\nimport {PACKAGE} as p\nprint(json.dumps(all(n in globals() for n in p.__all__)))"
    assert _run(out, script) is True


def test_the_client_path_does_not_import_fastapi(out: Path) -> None:
    if not (out / PACKAGE / "client.py").exists():
        pytest.skip("this package has no client yet")
    script = f"import json, sys\nimport {PACKAGE}.client\nprint(json.dumps('fastapi' in sys.modules))"
    assert _run(out, script) is False


def test_dir_lists_the_public_api_and_the_version_only(out: Path) -> None:
    script = f"import json, {PACKAGE} as p; print(json.dumps([dir(p), p.__version__, p.__all__]))"
    listed, version, exported = _run(out, script)
    assert version == "1.0"
    assert listed == sorted({*exported, "__version__", "client", "mock", "models", "params", "resources", "security", "server"})
    assert not {"Any", "TYPE_CHECKING", "import_module", "annotations"} & set(listed)


def test_the_server_without_fastapi_names_the_extra_to_install(out: Path) -> None:
    script = f"""
import json, sys
sys.modules["fastapi"] = None  # as if the server extra were not installed
try:
    import {PACKAGE}.server
    print(json.dumps(["imported"]))
except ImportError as error:
    print(json.dumps([str(error), isinstance(error.__cause__, ModuleNotFoundError)]))
"""
    message, chained = _run(out, script)
    assert message == f"{PACKAGE}.server needs FastAPI, from the server extra: pip install 'vapi-phone-numbers[server]'"
    assert chained


def test_the_project_documents_every_method_and_its_docstrings_close_on_their_own_line(out: Path) -> None:
    reference = (out / "REFERENCE.md").read_text(encoding="utf-8")
    for method in ("find_all", "create", "find_all_paginated", "find_one", "remove", "update"):
        assert f"### `client.phone_numbers.{method}`" in reference
    assert "-> SyncPage[Union[PhoneNumber, UnknownPhoneNumber], PhoneNumberPaginatedResponse, PaginationMeta]" in reference
    assert "- twilio: fallbackDestination, hooks, provider\\*, smsEnabled, number\\*, twilioAccountSid\\*" in reference
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "## Pagination" in readme and "## Server and mock" in readme and "pip install '.[server]'" in readme
    assert 'readme = "README.md"' in (out / "pyproject.toml").read_text(encoding="utf-8")
    resource = (out / PACKAGE / "resources" / "phone_numbers.py").read_text(encoding="utf-8")
    docstrings = re.findall(r'"""(.*?)"""', resource, re.DOTALL)
    assert all(doc.rstrip(" ").endswith("\n") for doc in docstrings if "\n" in doc.strip())
    assert "twilio: fallbackDestination, hooks, provider*, smsEnabled, number*, twilioAccountSid*" in resource
