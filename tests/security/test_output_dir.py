"""The output directory is untrusted: neither its manifest nor the links in it make vapi-codegen read,
write, delete or print anything outside it. A refusal is one line per problem on stderr, exit status 2,
no traceback, and nothing changed on disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vapi_codegen.output.manifest import MANIFEST_NAME, sha256

from ..conftest import ROOT, SPEC
from ..cli.test_check import PACKAGE, run, snapshot


def generate(out: Path, *extra: str) -> tuple[int, str, str]:
    return run("generate", str(SPEC), "--out", str(out), "--package", PACKAGE, "-q", *extra)


def run_command(command: str, out: Path) -> tuple[int, str, str]:
    """``generate``, ``generate --force`` or ``check`` on ``out``."""
    name, *extra = command.split()
    return run(name, str(SPEC), "--out", str(out), "--package", PACKAGE, "-q", *extra)


def assert_refused(code: int, stdout: str, stderr: str, *fragments: str) -> None:
    """Exit 2, and a single line on stderr holding every fragment."""
    assert code == 2, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert ": error: " in lines[0]
    for fragment in fragments:
        assert fragment in lines[0]
    assert "Traceback" not in stdout + stderr


@pytest.fixture()
def out(tmp_path: Path) -> Path:
    target = tmp_path / "out"
    code, _, stderr = generate(target)
    assert code == 0, stderr
    return target


@pytest.fixture()
def victim(tmp_path: Path) -> Path:
    """A file beside the output directory that nothing may touch."""
    path = tmp_path / "victim.txt"
    path.write_text("precious\n")
    return path


def add_manifest_entry(out: Path, entry: str, content: bytes) -> None:
    """Record ``entry`` in the manifest as a file generate wrote earlier with ``content``."""
    manifest = out / MANIFEST_NAME
    data = json.loads(manifest.read_text())
    data["files"][entry] = sha256(content)
    manifest.write_text(json.dumps(data, indent=2) + "\n")


# how a manifest entry can name victim.txt; None: by its absolute path
ENTRIES = {
    "parent": "../victim.txt",
    "parent inside": f"{PACKAGE}/../../victim.txt",
    "absolute": None,
    "through a link": "beside/victim.txt",  # out/beside is a link to the victim's directory
}


@pytest.mark.parametrize("command", ["generate", "generate --force", "check"])
@pytest.mark.parametrize("kind", list(ENTRIES))
def test_manifest_entry_outside_the_output_is_refused(out: Path, victim: Path, kind: str, command: str) -> None:
    (out / "beside").symlink_to(victim.parent, target_is_directory=True)
    entry = ENTRIES[kind] or str(victim)
    add_manifest_entry(out, entry, victim.read_bytes())
    (out / ".vapi-codegen-0a1b2c3d4e5f6a7b").write_text("staged by a run cut short")  # not even this is cleaned up
    before = snapshot(out)

    code, stdout, stderr = run_command(command, out)

    assert_refused(code, stdout, stderr, str(out / MANIFEST_NAME), repr(entry))
    assert victim.read_text() == "precious\n"
    assert snapshot(out) == before


def test_generated_file_linked_elsewhere_is_refused_by_every_command(out: Path, victim: Path) -> None:
    models = out / PACKAGE / "models.py"
    models.unlink()
    models.symlink_to(victim)
    for command in ("generate", "generate --force", "check", "check --format json"):
        code, stdout, stderr = run_command(command, out)
        assert_refused(code, stdout, stderr, str(models), "symbolic link")
        assert "precious" not in stdout + stderr
        assert models.is_symlink() and victim.read_text() == "precious\n"


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize("output_format", ["text", "json"])
def test_check_never_prints_what_a_link_points_to(out: Path, output_format: str) -> None:
    models = out / PACKAGE / "models.py"
    models.unlink()
    models.symlink_to("/proc/self/environ")
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "generator"), "VAPI_TEST_SECRET": "s3cr3t-t0ken"}
    result = subprocess.run(
        [sys.executable, "-m", "vapi_codegen", "check", str(SPEC), "--out", str(out), "--package", PACKAGE, "-q", "--format", output_format],
        capture_output=True, text=True, env=environment, cwd=ROOT, timeout=120, check=False,
    )
    assert "s3cr3t-t0ken" not in result.stdout + result.stderr
    assert_refused(result.returncode, result.stdout, result.stderr, str(models), "symbolic link")


def test_generate_never_writes_through_a_linked_package_directory(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / PACKAGE).symlink_to(elsewhere, target_is_directory=True)
    for command in ("generate", "generate --force", "check"):
        code, stdout, stderr = run_command(command, out)
        assert_refused(code, stdout, stderr, str(out / PACKAGE), "symbolic link")
        assert list(elsewhere.iterdir()) == []
    assert sorted(p.name for p in out.iterdir()) == [PACKAGE]


def test_output_directory_itself_may_be_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    out = tmp_path / "out"
    out.symlink_to(real, target_is_directory=True)
    code, _, stderr = generate(out)
    assert code == 0, stderr
    assert (real / PACKAGE / "models.py").is_file()
    assert run_command("check", out)[0] == 0


def test_fifo_in_place_of_a_generated_file_is_refused_without_opening_it(out: Path) -> None:
    models = out / PACKAGE / "models.py"
    models.unlink()
    os.mkfifo(models)
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "generator")}
    for command in ("check", "generate --force"):
        result = subprocess.run(  # a FIFO blocks whoever opens it: a hang here is the bug
            [sys.executable, "-m", "vapi_codegen", *command.split(), str(SPEC), "--out", str(out), "--package", PACKAGE, "-q"],
            capture_output=True, text=True, env=environment, cwd=ROOT, timeout=60, check=False,
        )
        assert_refused(result.returncode, result.stdout, result.stderr, str(models), "not a regular file")


def test_links_the_user_put_in_the_package_are_neither_read_nor_removed(out: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared.py"
    shared.write_text("# Generated by vapi-codegen from elsewhere.yml - do not edit.\nX = 1\n")
    link = out / PACKAGE / "shared.py"
    link.symlink_to(shared)
    assert run_command("check", out)[0] == 0
    code, _, stderr = generate(out)
    assert code == 0, stderr
    assert link.is_symlink() and shared.read_text().endswith("X = 1\n")


@pytest.mark.parametrize("command", ["generate", "check", "check --format json"])
def test_an_output_path_that_is_a_file_is_refused_as_such(tmp_path: Path, command: str) -> None:
    target = tmp_path / "out.txt"
    target.write_text("not a directory\n")
    code, stdout, stderr = run_command(command, target)
    assert_refused(code, stdout, stderr, f"{target}: error: is not a directory")
    assert stdout == "" and target.read_text() == "not a directory\n"
