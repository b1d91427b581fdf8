"""Format generated Python in black's style (black is pinned, so the output never depends on the machine)."""

from __future__ import annotations

import black

_MODE = black.Mode(target_versions={black.TargetVersion.PY310}, line_length=88)


class FormattingError(RuntimeError):
    """The renderer produced code black cannot parse: a generator bug, never a spec problem."""


def format_python(source: str) -> str:
    try:
        return black.format_str(source, mode=_MODE)
    except black.InvalidInput as exc:
        raise FormattingError(f"generated code does not parse: {exc}") from exc
