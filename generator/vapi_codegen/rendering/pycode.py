"""The only way text reaches generated code: identifiers checked, spec text turned into literals.

Every value a template prints must be a ``PyCode``; the Jinja environment refuses anything else
(see ``render.guard``). ``PyCode`` values are made here, from checked identifiers, from Python
literals built with ``literal`` (which escapes every character that could end a string) or from
docstrings built with ``docstring``.
"""

from __future__ import annotations

import math
import re
from typing import Any

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\Z")
# What Python reads as an encoding declaration in a comment on a module's first two lines (PEP 263)
_CODING_DECLARATION = re.compile(r"(coding)([:=])", re.IGNORECASE)


class PyCode(str):
    """A fragment of Python source that is safe to print into a template."""

    __slots__ = ()


def code(*parts: str) -> PyCode:
    """Join fragments that are already PyCode (or trusted constants of the generator)."""
    return PyCode("".join(parts))


def identifier(name: str) -> PyCode:
    """A (possibly dotted) identifier; anything else is a generator bug."""
    if not (name.isascii() and name.isidentifier()) and not _IDENTIFIER.match(name):  # C first: most are plain names
        raise ValueError(f"not an identifier: {name!r}")
    return PyCode(name)


_COMMON_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_COMMON_TABLE = str.maketrans(_COMMON_ESCAPES)


def _escape_char(char: str) -> str:
    if char in _COMMON_ESCAPES:
        return _COMMON_ESCAPES[char]
    if char.isprintable() and char not in "\u2028\u2029\x85":
        return char
    point = ord(char)
    if point < 0x100:
        return f"\\x{point:02x}"
    if point < 0x10000:
        return f"\\u{point:04x}"
    return f"\\U{point:08x}"


def _escape_text(text: str) -> str:
    """``_escape_char`` over ``text``; in C when the text holds no unusual characters."""
    if text.isprintable() and '"' not in text and "\\" not in text:  # most spec text: nothing to escape
        return text
    escaped = text.translate(_COMMON_TABLE)
    if escaped.isprintable():
        return escaped
    return "".join(map(_escape_char, text))


def string_literal(text: str) -> PyCode:
    """A double-quoted Python string literal holding exactly ``text``."""
    return PyCode('"' + _escape_text(text) + '"')


def literal(value: Any) -> PyCode:
    """A Python literal for a JSON-like value (str, number, bool, None, list, dict)."""
    if value is None or isinstance(value, bool):
        return PyCode(repr(value))
    if isinstance(value, int):
        return PyCode(repr(value))
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return PyCode(f'float("{value}")')
        return PyCode(repr(value))
    if isinstance(value, str):
        return string_literal(value)
    if isinstance(value, (list, tuple)):
        return PyCode("[" + ", ".join(literal(v) for v in value) + "]")
    if isinstance(value, dict):
        return PyCode("{" + ", ".join(f"{string_literal(str(k))}: {literal(v)}" for k, v in value.items()) + "}")
    return string_literal(str(value))


def docstring(text: str | None, indent: int | None = 8) -> PyCode | None:
    """A triple-quoted docstring for ``text`` that no content can break out of.

    Tabs become spaces and trailing blanks go, as a formatter would do anyway; backslashes, quotes
    and unprintable characters are escaped. A docstring of several lines ends with its closing
    quotes on a line of their own (PEP 257), at column ``indent`` (the default suits a method; the
    formatter re-indents it anyway). ``None`` marks a string that is not in docstring position.
    """
    if not text or not text.strip():
        return None
    lines = [line.rstrip() for line in text.expandtabs(4).strip().splitlines()]
    escaped = "\n".join(_escape_text(line) for line in lines)
    if escaped.endswith('\\"'):  # black pads a closing quote with a space, ruff does not: avoid it
        escaped = escaped[:-2] + "\\x22"
    if len(lines) > 1:
        escaped += "\n" + " " * (indent or 0)
    return PyCode('"""' + escaped + '"""')


def comment_text(text: str) -> PyCode:
    """Text safe inside a one-line comment: no line breaks, no unprintable characters, and no
    encoding declaration (``coding=unicode_escape`` would make Python read the escapes of every
    string literal below it as quotes and line breaks)."""
    printable = "".join(c if c.isprintable() and c not in "\u2028\u2029\x85" else " " for c in text)
    return PyCode(_CODING_DECLARATION.sub(r"\1 \2", printable))
