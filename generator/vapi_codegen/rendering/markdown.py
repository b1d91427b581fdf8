"""The only way text reaches the emitted Markdown files (README.md, REFERENCE.md).

Their templates print ``Markdown`` values (spec text made inert here) and ``PyCode`` (the code in
their examples and signatures, built like the package's own code); the Markdown environment of
``render`` refuses anything else (``render.guard_markdown``).
"""

from __future__ import annotations

import re


_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


class Markdown(str):
    """A fragment of Markdown that is safe to print into a Markdown template."""

    __slots__ = ()


def markdown_text(text: str) -> Markdown:
    """Spec text as one line of plain Markdown: whitespace collapsed, markup characters escaped."""
    return Markdown(_SPECIAL.sub(r"\\\1", " ".join(text.split())))


def markdown_code(code: str) -> Markdown:
    """An inline code span holding ``code`` (on one line), fenced with enough backticks."""
    flat = " ".join(code.split())
    longest_run = max((len(run) for run in re.findall("`+", flat)), default=0) if "`" in flat else 0
    fence = "`" * (longest_run + 1)
    padding = " " if flat.startswith("`") or flat.endswith("`") else ""
    return Markdown(f"{fence}{padding}{flat}{padding}{fence}")
