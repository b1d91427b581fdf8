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

RUFF_VERSION = "0.17.6"  # keep in step with the pin in pyproject.toml
_FORMAT_ARGS = [
    "format", "--isolated", "--no-cache", "--line-length", "88", "--target-version", "py310",
    "--config", f"required-version = '=={RUFF_VERSION}'",  # ruff refuses to run if it is another version
]  # fmt: skip


class FormattingError(RuntimeError):
    """The renderer produced code the formatter cannot parse (a generator bug, never a spec problem),
    or the pinned formatter is missing."""


class InvalidGeneratedCode(FormattingError):
    """The renderer produced a module that is not valid Python: an internal error of vapi-codegen."""


def check_compiles(name: str, source: str, first_line: int = 1) -> None:
    """Raise ``InvalidGeneratedCode`` naming the module, the line and its text unless ``source``
    (the part of module ``name`` starting at line ``first_line``) compiles."""
    try:
        compile(source, name, "exec", dont_inherit=True)
    except SyntaxError as error:
        lines = source.splitlines()
        text = lines[error.lineno - 1].strip() if error.lineno and error.lineno <= len(lines) else ""
        line = error.lineno + first_line - 1 if error.lineno else None
        raise InvalidGeneratedCode(
            f"internal error: vapi-codegen generated invalid Python in {name}, line {line}: "
            f"{error.msg}: {text[:200]!r} (please report this with the spec)"
        ) from None


def _check_pieces(name: str, pieces: Sequence[str]) -> None:
    """``check_compiles`` over a module given as pieces, each a run of whole top-level statements:
    compiling them one by one bounds the memory a big module's check takes by its biggest piece."""
    first_line = 1
    for piece in pieces:
        check_compiles(name, piece, first_line)
        first_line += piece.count("\n")


def format_python_files(sources: Mapping[str, str | Sequence[str]]) -> dict[str, str]:
    """Format several modules at once (name -> source, or the pieces it is the concatenation of, each
    whole top-level statements); names only label error messages.

    Each module is compiled while the formatter runs (on another core): invalid Python is reported
    as the generator's own error, with its line, and the formatter's verdict is never shown."""
    if not sources:
        return {}
    ruff = _ruff_binary()
    names = sorted(sources)
    pieces: dict[str, Sequence[str]] = {}
    for name in names:
        source = sources[name]
        pieces[name] = [source] if isinstance(source, str) else source
    with tempfile.TemporaryDirectory(prefix="vapi-codegen-format-") as scratch:
        # flat numbered files: no path of the caller can trip ruff's exclusion rules
        paths = [Path(scratch) / f"module{index}.py" for index in range(len(names))]
        for path, name in zip(paths, names, strict=True):
            with path.open("wb") as module:
                module.writelines(piece.encode("utf-8") for piece in pieces[name])
        formatter = subprocess.Popen(
            [ruff, *_FORMAT_ARGS, *map(str, paths)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            for name in names:
                _check_pieces(name, pieces[name])
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
