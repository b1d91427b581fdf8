"""Schema comparison over the whole document, each pair of schemas compared once.

A schema is compared at two levels. Where it is *written* (a property, an array's items, a body): what
the place itself says, its nullability. Its *body* (``$ref``s followed, ``allOf`` merged): everything
else, once per (old pointer, new pointer, direction) for the whole comparison, however many operations
and places reach it. Each body comparison is a ``Node`` of a graph: its changes, and the body pairs
below it (its children). Operations are roots; afterwards every change is credited to the operations
that reach its node (``credit``), so a change to a shared component is reported once, listing them all.

The graph is built with a work list, not recursion: a deep or cyclic document cannot exhaust the stack.
"""

from __future__ import annotations

from collections.abc import Iterator

from vapi_codegen.diffing.changes import Node, Pending, schema_label
from vapi_codegen.diffing.graph import reaching
from vapi_codegen.diffing.schema_rules import BodyComparison
from vapi_codegen.diffing.schema_view import VariantReader
from vapi_codegen.diffing.unchanged import Unchanged
from vapi_codegen.normalising.located import Located
from vapi_codegen.normalising.normaliser import Normaliser
from vapi_codegen.normalising.schema_view import SchemaView

Key = tuple[str, str, str]  # old pointer, new pointer, direction


class SchemaComparison:
    """The memo of body comparisons for one pair of documents."""

    def __init__(self, old: Normaliser, new: Normaliser):
        self.old, self.new = old, new
        self.readers = (VariantReader(old), VariantReader(new))
        self.unchanged = Unchanged(old.registry, new.registry)
        self.nodes: dict[Key, Node] = {}
        self._queue: list[tuple[Key, SchemaView, SchemaView]] = []

    def place(self, old: Located, new: Located, direction: str, into: Node) -> None:
        """Compare the schemas written at two places: the place's changes go to ``into``, the bodies below it.

        Untouched schemas (the same data, every reference leading to the same data) are skipped.
        """
        if self.unchanged.schemas(old.node, new.node):
            return
        self.views(self.old.view(old.node, old.pointer), self.new.view(new.node, new.pointer), direction, into)

    def views(self, before: SchemaView, after: SchemaView, direction: str, into: Node, nullability: bool = True) -> None:
        """``place`` for views already read; ``nullability=False`` when the places were compared already."""
        # a schema that accepts anything (``{}``) accepts null too: becoming one, or ceasing to be one, is a type change
        typed = not (before.accepts_anything or after.accepts_anything)
        if nullability and typed and before.nullable != after.nullable:
            kind = "nullable-added" if after.nullable else "nullable-removed"
            into.add(kind, direction, before.place, after.place, at=schema_label(self.new.registry, after.place))
        key = (before.pointer, after.pointer, direction)
        into.children.append(key)
        if key not in self.nodes:
            self.nodes[key] = Node()
            self._queue.append((key, before, after))

    def drain(self) -> None:
        """Compare every body pair reached so far, and those they reach."""
        while self._queue:
            key, before, after = self._queue.pop()
            BodyComparison(self, self.nodes[key], key[2], before, after).run()

    def credit(self, roots: list[tuple[str, Node]]) -> Iterator[tuple[str, Pending]]:
        """(operation, change) for every change each root (an operation's node) reaches."""
        self.drain()
        leading = self._leading_to_changes()
        for label, root in roots:
            yield from ((label, change) for change in root.changes)
            seen: set[Key] = set()
            stack = [key for key in root.children if key in leading]
            while stack:
                key = stack.pop()
                if key in seen:
                    continue
                seen.add(key)
                node = self.nodes[key]
                yield from ((label, change) for change in node.changes)
                stack.extend(child for child in node.children if child in leading and child not in seen)

    def _leading_to_changes(self) -> set[Key]:
        """The body pairs from which a change can be reached (the only ones worth walking per operation)."""
        return reaching({key: node.children for key, node in self.nodes.items()}, [key for key, node in self.nodes.items() if node.changes])
