"""Parameter styles (hand-written runtime, copied verbatim by vapi-codegen): how a parameter whose
value has no plain text form (an object, or an array of objects or arrays) is written in a URL or
a header, and read back. The client writes with ``Style.pairs`` / ``Style.text``; the server reads
with ``Style.from_query`` / ``Style.from_text`` and validates the result into the parameter's type.

As OpenAPI defines the styles:

- ``form`` exploded: an object's properties are query parameters of their own (``a=1&b=2``);
  an array repeats the parameter (``ids=1&ids=2``);
- ``form`` not exploded (and ``simple``, for a path or a header): one comma-separated value,
  ``name=a,1,b,2`` (or ``a=1,b=2`` for ``simple`` exploded), ``spaceDelimited`` and
  ``pipeDelimited`` with their own delimiter;
- ``deepObject``: ``name[a]=1&name[b]=2``, nested objects as ``name[a][b]=1``;
- ``json`` (a parameter declared with a JSON ``content``): the value as JSON text.

A value inside those that is itself an object or an array (an array's objects, say) is written as
JSON text, and read back as JSON when it reads as such. A key that repeats is read as an array.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

MISSING: Any = object()
"""What ``from_query`` answers when the request does not hold the parameter."""

_DELIMITERS = {"spaceDelimited": " ", "pipeDelimited": "|"}
_DEEP_KEY = re.compile(r"\[([^\[\]]*)\]")


@dataclass(frozen=True)
class Style:
    """How one parameter is written: its name and location, OpenAPI ``style`` and ``explode``, and
    the ``shape`` of its values (``object`` or ``array``). For an exploded ``form`` object, ``keys``
    are its properties (None: any query parameter not among ``others``, the operation's own)."""

    name: str
    location: str
    style: str
    explode: bool
    shape: str = "object"
    keys: tuple[str, ...] | None = None
    others: tuple[str, ...] = ()

    # --- writing (the client) ----------------------------------------------------------------

    def pairs(self, value: Any) -> list[tuple[str, str]]:
        """The query pairs for ``value`` (a model, or plain data); none for None."""
        data = _plain(value)
        if data is None:
            return []
        if self.style == "json":
            return [(self.name, _json(data))]
        if self.style == "deepObject":
            return _deep_pairs(self.name, data)
        if self.style == "form" and self.explode:
            if isinstance(data, dict):
                return [(key, _text(item)) for key, value in data.items() for item in _items(value)]
            return [(self.name, _text(item)) for item in _items(data)]
        return [(self.name, self.text(data))]

    def text(self, value: Any) -> str:
        """``value`` as one text: a path segment, a header, or a query value that is not exploded."""
        data = _plain(value)
        if self.style == "json":
            return _json(data)
        delimiter = _DELIMITERS.get(self.style, ",")
        if isinstance(data, dict):
            entries = [(key, item) for key, item in data.items() if item is not None]
            if self.explode and self.style == "simple":
                return delimiter.join(f"{key}={_text(item)}" for key, item in entries)
            return delimiter.join(f"{key}{delimiter}{_text(item)}" for key, item in entries)
        return delimiter.join(_text(item) for item in _items(data))

    # --- reading (the server) ----------------------------------------------------------------

    def from_query(self, items: Iterable[tuple[str, str]]) -> Any:
        """The parameter's plain data from a request's query pairs; ``MISSING`` when absent."""
        items = list(items)
        if self.style == "deepObject":
            found = [(key[len(self.name) :], value) for key, value in items if key.startswith(self.name + "[")]
            if found:
                return _tree((_DEEP_KEY.findall(suffix) or [suffix], value) for suffix, value in found)
        elif self.style == "form" and self.explode and self.shape == "object":
            chosen = [
                (key, value)
                for key, value in items
                if (key in self.keys if self.keys is not None else key not in self.others)
            ]
            return _grouped(chosen) if chosen else MISSING
        values = [value for key, value in items if key == self.name]
        if not values:
            return MISSING
        if self.style in ("form", "deepObject") and self.explode and self.shape == "array":
            return [_leaf(value) for value in values]
        return self.from_text(values[-1])

    def from_text(self, text: str) -> Any:
        """The parameter's plain data from one text (see ``text``); raises ValueError for bad JSON."""
        if self.style == "json":
            return json.loads(text)
        delimiter = _DELIMITERS.get(self.style, ",")
        parts = text.split(delimiter) if text else []
        if self.shape == "array":
            return [_leaf(part) for part in parts]
        if self.explode and self.style == "simple":
            return _grouped((key, value) for key, _, value in (part.partition("=") for part in parts))
        return _grouped(zip(parts[::2], parts[1::2]))


def _plain(value: Any) -> Any:
    """JSON data for ``value``: models by alias, without the fields that are None."""
    from pydantic_core import to_jsonable_python

    return to_jsonable_python(value, by_alias=True, exclude_none=True)


def _json(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def _items(value: Any) -> list[Any]:
    """The values a key is written with: each item of an array, else the value (none for None)."""
    if value is None:
        return []
    return [item for item in value if item is not None] if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return _json(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _deep_pairs(prefix: str, data: Any) -> list[tuple[str, str]]:
    if isinstance(data, dict):
        return [pair for key, value in data.items() for pair in _deep_pairs(f"{prefix}[{key}]", value)]
    return [(prefix, _text(item)) for item in _items(data)]


def _leaf(text: str) -> Any:
    """A written value: the JSON it holds when it is an object or an array, else the text."""
    if text[:1] in ("{", "["):
        try:
            return json.loads(text)
        except ValueError:
            pass
    return text


class _Values(list[Any]):
    """The values of one key, in the order written (an array when there are several)."""


def _grouped(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Key-value pairs as an object (see ``_tree``)."""
    return _tree(([key], text) for key, text in pairs)


def _tree(entries: Iterable[tuple[list[str], str]]) -> dict[str, Any]:
    """(path of keys, text) entries as nested objects; a path written more than once holds the
    array of its values. An entry whose path runs through a plain value is dropped."""
    result: dict[str, Any] = {}
    for path, text in entries:
        holder: Any = result
        for key in path[:-1]:
            holder = holder.setdefault(key, {}) if isinstance(holder, dict) else None
        if isinstance(holder, dict):
            values = holder.setdefault(path[-1], _Values())
            if isinstance(values, _Values):
                values.append(_leaf(text))
    collapsed: dict[str, Any] = _collapsed(result)
    return collapsed


def _collapsed(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: _collapsed(value) for key, value in data.items()}
    if isinstance(data, _Values):
        return data[0] if len(data) == 1 else list(data)
    return data
