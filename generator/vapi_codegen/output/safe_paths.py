"""Paths inside the output directory, whose content is untrusted (it may come from anyone's commit).

The directory the user names may itself be a link; below it, vapi-codegen follows no link and reads or
writes only regular files in real directories, so nothing it does reaches outside. Paths taken from
files in the output directory (the manifest, the journal) must be plain relative paths as well.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path, PurePosixPath
from collections.abc import Iterable

from vapi_codegen.diagnostics import Diagnostic, Severity, SpecError, fail

_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)  # an absent flag (Windows) adds nothing
_READ_FLAGS = os.O_RDONLY | _NO_FOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_FOLLOW | getattr(os, "O_BINARY", 0)


def is_plain_relative(entry: str) -> bool:
    """True for a relative POSIX path of plain names: not absolute, no ``.``, ``..`` or empty part, and
    none of ``\\``, ``:`` or NUL (a drive, a stream or a separator elsewhere)."""
    if PurePosixPath(entry).is_absolute() or any(character in entry for character in "\\:\0"):
        return False
    return all(part not in ("", ".", "..") for part in entry.split("/"))


def unsafe_part(out_dir: Path, relative: str) -> tuple[Path, str] | None:
    """The first part of ``relative`` below ``out_dir`` that may not be used, and why; None when all may.

    Every existing part but the last must be a real directory, the last a regular file; links never
    pass. Parts that do not exist yet are fine (they will be created).
    """
    parts = relative.split("/")
    path = out_dir
    for index, part in enumerate(parts):
        path = path / part
        try:
            mode = os.lstat(path).st_mode
        except (FileNotFoundError, NotADirectoryError):
            return None
        if stat.S_ISLNK(mode):
            return path, "is a symbolic link; vapi-codegen follows no link inside the output directory"
        if index == len(parts) - 1 and not stat.S_ISREG(mode):
            return path, "is not a regular file"
        if index < len(parts) - 1 and not stat.S_ISDIR(mode):
            return path, "is not a directory"
    return None


def ensure_safe(out_dir: Path, relatives: Iterable[str]) -> None:
    """Raise SpecError, one line per offending path, unless ``out_dir`` is a directory (or is yet to be
    made) and every path below it may be used."""
    if out_dir.exists() and not out_dir.is_dir():
        raise fail(str(out_dir), "", "is not a directory: the output must go to one")
    found = [unsafe_part(out_dir, relative) for relative in relatives]
    _raise_if_any([Diagnostic(Severity.ERROR, str(path), "", reason) for path, reason in filter(None, found)])


def ensure_entries(out_dir: Path, source: Path, entries: Iterable[str]) -> None:
    """Raise SpecError naming ``source`` and each entry it lists that is no usable path inside ``out_dir``."""
    diagnostics = []
    for entry in entries:
        if not is_plain_relative(entry):
            diagnostics.append(Diagnostic(Severity.ERROR, str(source), "", f"entry {entry!r} is not a relative path inside the output directory"))
        elif found := unsafe_part(out_dir, entry):
            diagnostics.append(Diagnostic(Severity.ERROR, str(source), "", f"entry {entry!r}: {found[0]} {found[1]}"))
    _raise_if_any(diagnostics)


def _raise_if_any(diagnostics: list[Diagnostic]) -> None:
    if diagnostics:
        raise SpecError(list(dict.fromkeys(diagnostics)))


def is_regular(path: Path) -> bool:
    """True when ``path`` is a regular file itself (not a link to one)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def read_regular(path: Path, limit: int = -1) -> bytes | None:
    """The bytes (at most ``limit``) of the regular file at ``path``, never through a link; None when absent.

    Meant for paths ``ensure_safe`` accepted: should one have been swapped for a link or something
    else since, this raises OSError instead of reading it.
    """
    try:
        descriptor = os.open(path, _READ_FLAGS)
    except FileNotFoundError:
        return None
    with os.fdopen(descriptor, "rb") as stream:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        return stream.read(limit)


def create_new(path: Path, data: bytes) -> None:
    """Write ``data`` to a file created at ``path``, where nothing (not even a link) may exist yet.

    Its mode is 0o666 less the umask, like any new file; should writing fail, the file is removed.
    """
    descriptor = os.open(path, _CREATE_FLAGS, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
