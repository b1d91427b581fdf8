"""Format generated Python in black's style, with ruff's formatter (pinned: the output never depends
on what else is installed on the machine).

ruff produces black's output byte for byte on what the templates emit (tests/test_formatting.py
checks every spec in ../shared/specs/vapi with black itself) in a fraction of black's time. One ruff
process formats all the files of a generation.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from collections.abc import Mapping, Sequence

from vapi_codegen.rendering.compile_check import CompileChecks, InvalidGeneratedCode

RUFF_VERSION = "0.17.6"  # keep in step with the pin in pyproject.toml
_FORMAT_ARGS = [
    "format", "--isolated", "--no-cache", "--line-length", "88", "--target-version", "py310",
    "--config", f"required-version = '=={RUFF_VERSION}'",  # ruff refuses to run if it is another version
]  # fmt: skip


class FormattingError(RuntimeError):
    """The pinned formatter is missing, or failed on code that compiles (a generator bug, never a spec problem)."""


def format_python_files(sources: Mapping[str, str | Sequence[str]], checks: CompileChecks | None = None) -> dict[str, str]:
    """Format several modules at once (name -> source, or the pieces it is the concatenation of, each
    whole top-level statements); names only label error messages.

    ``checks``: the compile checks the pieces were already added to, as they were rendered; None to
    check them here. Invalid Python is reported as the generator's own error (``InvalidGeneratedCode``),
    with its line, never as a formatter failure."""
    names = sorted(sources)
    pieces = {name: [source] if isinstance(source, str) else source for name, source in sources.items()}
    if checks is None:
        checks = CompileChecks()
        for name in names:
            for piece in pieces[name]:
                checks.add(name, piece)
    try:
        return _format(names, pieces, checks) if names else {}
    finally:
        checks.cancel()


def _format(names: list[str], pieces: Mapping[str, Sequence[str]], checks: CompileChecks) -> dict[str, str]:
    """Run the formatter over the modules while ``checks`` finish; its output is dropped, and its
    verdict never shown, when they fail."""
    ruff = _ruff_binary()
    with tempfile.TemporaryDirectory(prefix="vapi-codegen-format-") as scratch:
        # flat numbered files: no path of the caller can trip ruff's exclusion rules
        paths = [Path(scratch) / f"module{index}.py" for index in range(len(names))]
        for path, name in zip(paths, names, strict=True):
            with path.open("wb") as module:
                module.writelines(piece.encode("utf-8") for piece in pieces[name])
        checks.wait_for_workers()  # a big output's: before the formatter takes its memory too
        # the biggest modules first: ruff's threads take them in about this order, so the last to
        # finish is a small one (Graph beta's 47 MB server.py last kept one core idle ~0.3 s)
        by_size = sorted(paths, key=lambda path: path.stat().st_size, reverse=True)
        formatter = subprocess.Popen(
            [ruff, *_FORMAT_ARGS, *map(str, by_size)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            checks.wait()  # the rest (a small output's), on this core while the formatter runs
        except InvalidGeneratedCode:
            formatter.kill()
            raise
        finally:
            _, stderr = formatter.communicate()
        if formatter.returncode != 0:
            message = stderr.decode("utf-8", "replace")
            for path, name in zip(paths, names, strict=True):
                message = message.replace(str(path), name)
            raise FormattingError(f"formatting the generated code failed: {message.strip()}")
        return {name: path.read_bytes().decode("utf-8") for path, name in zip(paths, names, strict=True)}


def _ruff_binary() -> str:
    """The ruff executable of the installed ``ruff`` package (its version is checked when it runs)."""
    try:
        from ruff import find_ruff_bin

        return str(find_ruff_bin())
    except (ImportError, FileNotFoundError) as exc:
        raise FormattingError(f"ruff=={RUFF_VERSION} is required to format the output: {exc}") from None
