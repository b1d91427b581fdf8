"""Bounds on a parsed document's shape: how deep it nests and, for YAML, how far its aliases expand.

Both are checked before anything walks the document recursively: a spec nested a few hundred levels
deep would otherwise end in a ``RecursionError`` (or emit code Python cannot parse), and a few
hundred bytes of YAML anchors can stand for billions of nodes. The walks here are iterative and stop
at the first node past a bound, so refusing costs at most the bound's worth of steps.
"""

from __future__ import annotations

import re
from typing import Any, Optional
from collections.abc import Callable, Sequence

from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from vapi_codegen.diagnostics import SpecError, fail
from vapi_codegen.normalising.refs import child

MAX_DEPTH = 64
"""Mappings and lists nested deeper than this are refused. Real specs stay under 20 levels; at this
bound every schema nesting still becomes code Python imports (its parser stops at 200 brackets)."""

Children = Callable[[Any], tuple[int, Sequence[tuple[Any, Any]]]]
"""A node's count of children, and those of them that are containers, each with its key or index."""

_Entry = tuple[Any, Any, Optional["_Entry"], int]  # node, key in its parent, the parent's entry, depth


def check_shape(root: Any, children: Children, file: str, max_nodes: int | None = None) -> None:
    """Raise SpecError when a container under ``root`` is nested deeper than ``MAX_DEPTH``, or when the
    document (aliases expanded) holds more than ``max_nodes`` nodes."""
    stack: list[_Entry] = [(root, "", None, 1)]
    count = 1
    while stack:
        entry = stack.pop()
        node, _, _, depth = entry
        size, containers = children(node)
        count += size
        if max_nodes is not None and count > max_nodes:
            raise fail(file, "", f"YAML aliases expand the document to more than {max_nodes} nodes (an alias bomb?)")
        if depth > MAX_DEPTH:
            path = _path(entry)
            if _repeats(entry):
                raise fail(file, child("", *path), "a YAML alias refers to a node that contains it (a recursive structure)")
            raise _too_deep(file, child("", *path))
        stack.extend((item, key, entry, depth + 1) for key, item in containers)


def yaml_children(node: Any) -> tuple[int, Sequence[tuple[Any, Any]]]:
    """``Children`` of a composed YAML node (a mapping's keys count as nodes; they are scalars)."""
    if isinstance(node, MappingNode):  # its value: (key node, value node) pairs
        return 2 * len(node.value), [(key.value, item) for key, item in node.value if not isinstance(item, ScalarNode)]
    if isinstance(node, SequenceNode):
        return len(node.value), [(index, item) for index, item in enumerate(node.value) if not isinstance(item, ScalarNode)]
    return 0, ()


def data_children(value: Any) -> tuple[int, Sequence[tuple[Any, Any]]]:
    """``Children`` of parsed JSON data."""
    if isinstance(value, dict):
        return len(value), [(key, item) for key, item in value.items() if isinstance(item, (dict, list))]
    if isinstance(value, list):
        return len(value), [(index, item) for index, item in enumerate(value) if isinstance(item, (dict, list))]
    return 0, ()


_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def json_too_deep(text: str, file: str) -> SpecError:
    """The error for JSON ``text`` too deep to parse, located at the line and column where it opens
    its ``MAX_DEPTH + 1``-th level."""
    depth = 0
    for token in _JSON_TOKENS.finditer(text):
        if token.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, token.start()) + 1
                column = token.start() - text.rfind("\n", 0, token.start())
                return _too_deep(file, "", f" at line {line}, column {column}")
        elif token.group() in "]}":
            depth -= 1
    return _too_deep(file, "")


def _too_deep(file: str, pointer: str, where: str = "") -> SpecError:
    return fail(file, pointer, f"nested more than {MAX_DEPTH} levels deep{where}; deeper documents are refused")


def _path(entry: _Entry | None) -> list[Any]:
    keys: list[Any] = []
    while entry is not None and entry[2] is not None:
        keys.append(entry[1])
        entry = entry[2]
    return keys[::-1]


def _repeats(entry: _Entry | None) -> bool:
    """Whether the same node occurs twice on the way from the root to ``entry``."""
    seen: set[int] = set()
    while entry is not None:
        if id(entry[0]) in seen:
            return True
        seen.add(id(entry[0]))
        entry = entry[2]
    return False
