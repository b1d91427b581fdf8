"""Which schemas are untouched between two documents, so that comparing them can be skipped.

A schema written at two places is untouched when both are the same data and every ``$ref`` inside it
leads, transitively, to schemas that are also the same data in both documents. Most of a large spec
does not change between versions: this check costs a comparison of Python values and a scan of the
schema's JSON text for ``$ref``s, both done in C, where reading the schema as a view would cost far more.

A target's state is settled with everything its references reach (its closure): a target is changed
when its closure holds a node whose data differs, and each query settles every target it walks.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote

from vapi_codegen.diffing.graph import reaching
from vapi_codegen.normalising.refs import Registry

_REF = re.compile(r'"\$ref": "((?:[^"\\]|\\.)*)"')
_MISSING = object()


class Unchanged:
    """Answers "is this schema the same in both documents?" for one pair of documents."""

    def __init__(self, old: Registry, new: Registry):
        self.old, self.new = old, new
        self._settled: dict[str, bool] = {}  # target pointer -> unchanged

    def schemas(self, old: Any, new: Any) -> bool:
        """Whether the schemas ``old`` and ``new`` (each as written in its document) read the same."""
        return old == new and all(self._target(pointer) for pointer in _references(old))

    def _target(self, start: str) -> bool:
        if start in self._settled:
            return self._settled[start]
        edges: dict[str, list[str]] = {}  # every target the start reaches and is not settled -> its references
        changed: set[str] = set()
        stack = [start]
        while stack:
            pointer = stack.pop()
            if pointer in edges or pointer in self._settled:
                continue
            node = self._same(pointer)
            edges[pointer] = [] if node is _MISSING else _references(node)
            if node is _MISSING or any(not self._settled.get(target, True) for target in edges[pointer]):
                changed.add(pointer)
            stack.extend(edges[pointer])
        changed = reaching(edges, changed)
        for pointer in edges:
            self._settled[pointer] = pointer not in changed
        return self._settled[start]

    def _same(self, pointer: str) -> Any:
        """The node at ``pointer`` when both documents hold the same data there, else _MISSING."""
        if not (self.old.contains(pointer) and self.new.contains(pointer)):
            return _MISSING
        node = self.old.lookup(pointer)
        return node if node == self.new.lookup(pointer) else _MISSING


def _references(node: Any) -> list[str]:
    """The pointers of the ``$ref``s inside ``node``; an external one never resolves, so it counts as a change."""
    found = []
    for raw in _REF.findall(json.dumps(node, default=str)):
        ref = json.loads(f'"{raw}"')
        found.append(unquote(ref[1:]) if ref.startswith("#") else "\0external")
    return found
