"""The drift report of ``check``: unified diffs per file and the lists of changed, missing and extra files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vapi_codegen.output.safe_paths import read_regular
from vapi_codegen.output.writer import Plan


def file_diffs(out_dir: Path, current: Plan, files: dict[str, str]) -> dict[str, str]:
    """A unified diff (on disk -> fresh render) for every generated file that differs."""
    return {relative: _unified_diff(out_dir, relative, files[relative]) for relative in current.changed + current.hand_edited if relative in files}


def _unified_diff(out_dir: Path, relative: str, expected: str) -> str:
    try:
        actual = (read_regular(out_dir / relative) or b"").decode("utf-8")
    except (OSError, UnicodeDecodeError):
        actual = ""
    import difflib  # only when there is drift to show: it costs ~10 ms of start-up

    lines = difflib.unified_diff(
        actual.splitlines(keepends=True), expected.splitlines(keepends=True), f"a/{relative}", f"b/{relative}"
    )
    return "".join(lines)


def json_report(current: Plan, diffs: dict[str, str]) -> dict[str, Any]:
    """The report as JSON-ready data."""
    return {
        "clean": current.clean,
        "changed": current.drifted,
        "missing": current.missing,
        "extra": current.extra,
        "hand_edited": current.hand_edited,
        "leftover": current.leftover,
        "diffs": diffs,
    }


def text_report(out_dir: Path, current: Plan, diffs: dict[str, str]) -> tuple[str, str]:
    """The report as text: the diffs and file lists (for stdout), and a one-line summary."""
    if current.clean:
        return "", f"{out_dir}: up to date"
    lines = [diff if diff.endswith("\n") else diff + "\n" for diff in diffs.values()]
    for title, items in (
        ("changed", current.drifted),
        ("missing", current.missing),
        ("extra", current.extra),
        ("edited by hand", current.hand_edited),
        ("leftover", current.leftover),
    ):
        lines.extend(f"{title}: {out_dir / relative}\n" for relative in items)
    return "".join(lines), f"{out_dir}: out of date; run `vapi-codegen generate`"
