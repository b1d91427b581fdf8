"""The one registry every ``$ref`` and every declaration's key (its provisional class name) goes through."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from vapi_codegen.diagnostics import Diagnostics
from vapi_codegen.naming.class_names import ClassNameRequests, Hint
from vapi_codegen.naming.identifiers import class_name

_MISSING = object()
NAMED_CONTAINERS = ("schemas", "$defs", "definitions")


def unescape(part: str) -> str:
    """A JSON pointer segment back to the key it names (``~1`` -> ``/``, ``~0`` -> ``~``)."""
    return part.replace("~1", "/").replace("~0", "~")


def escape(part: str) -> str:
    """A key as a JSON pointer segment."""
    return part.replace("~", "~0").replace("/", "~1")


def _step(node: Any, part: str) -> Any:
    """The member ``part`` (unescaped) of an object or an array, or _MISSING."""
    if isinstance(node, dict) and part in node:
        return node[part]
    if isinstance(node, list) and part.isdigit() and int(part) < len(node):
        return node[int(part)]
    return _MISSING


def child(pointer: str, *parts: object) -> str:
    """``pointer`` extended by the keys or indexes ``parts``."""
    for part in parts:
        text = part if isinstance(part, str) else str(part)
        pointer += "/" + (escape(text) if "~" in text or "/" in text else text)
    return pointer


class Registry:
    """Resolves local JSON pointers and keys every declaration of the model.

    A declaration's key is the provisional class name ``class_names`` hands out (the naming pass
    decides the names, in the order they were asked for): component schemas ask first, so a
    schema's name never depends on where it is first referenced: schemas whose name is already a
    usable class name, then the others, each group in sorted order.
    """

    def __init__(self, data: dict[str, Any], diagnostics: Diagnostics, lenient_refs: bool = False):
        self.data = data
        self.diagnostics = diagnostics
        # A standalone JSON Schema page is often cut out of a bigger document: its references to the
        # rest of that document are warnings (the value is typed Any), not errors.
        self.lenient_refs = lenient_refs
        self.class_names = ClassNameRequests()
        self.names: dict[str, str] = {}  # pointer -> provisional class name
        self._by_content: dict[tuple[str, str], str] = {}
        self._resolved: dict[str, tuple[str, Any]] = {}  # $ref -> (pointer, node), for refs that resolve as written

    # --- pointers ------------------------------------------------------------------------------

    def lookup(self, pointer: str) -> Any:
        """The node at a local JSON pointer (without '#'), or _MISSING."""
        node: Any = self.data
        for raw in pointer.split("/")[1:]:
            node = _step(node, unescape(raw))
            if node is _MISSING:
                return _MISSING
        return node

    def contains(self, pointer: str) -> bool:
        return self.lookup(pointer) is not _MISSING

    def resolve_ref(self, ref: Any, at: str) -> tuple[str, Any] | None:
        """Resolve a ``$ref`` found at pointer ``at``; report and return None when it cannot be."""
        if not isinstance(ref, str):
            self.diagnostics.error(at, "$ref must be a string")
            return None
        if ref in self._resolved:  # the document is not changed once loaded
            return self._resolved[ref]
        if not ref.startswith("#"):
            self._unresolved(at, f"external $ref {ref!r} cannot be resolved: only local references ('#/...') are supported")
            return None
        pointer = ref[1:]
        if pointer and not pointer.startswith("/"):
            self.diagnostics.error(at, f"$ref {ref!r} is not a JSON pointer")
            return None
        pointer, target = self._fragment_target(pointer)
        if target is _MISSING:
            through = self._lookup_through_refs(pointer)
            if through is None:
                self._unresolved(at, f"$ref {ref!r} points to nothing")
                return None
            self.diagnostics.warn(at, f"$ref {ref!r} runs through other references; read by following each of them")
            return through
        self._resolved[ref] = pointer, target
        return pointer, target

    def _lookup_through_refs(self, pointer: str) -> tuple[str, Any] | None:
        """Where a pointer leads when each ``$ref`` met on the way is followed (``.../items/allOf/0``
        with ``items`` a reference), as (the pointer it really names, the node); None when nowhere."""
        here, node = "", self.data
        for raw in pointer.split("/")[1:]:
            for _ in range(50):  # a circular chain ends here, not found
                if not (isinstance(node, dict) and "$ref" in node and unescape(raw) not in node):
                    break
                ref = node["$ref"]
                if not isinstance(ref, str) or not ref.startswith("#"):
                    return None
                here, node = ref[1:], self.lookup(ref[1:])
            part = unescape(raw)
            node = _step(node, part)
            if node is _MISSING:
                return None
            here = child(here, part)
        return here, node

    def _fragment_target(self, fragment: str) -> tuple[str, Any]:
        """The pointer a ``$ref`` fragment names, and its node (or _MISSING).

        A fragment is a URI fragment: RFC 6901 section 6 percent-encodes it (``~1users~1%7Bid%7D``), so it is
        percent-decoded before its segments are unescaped; a fragment that only resolves as written (a key
        holding a literal ``%``) is taken as written.
        """
        decoded = unquote(fragment)
        target = self.lookup(decoded)
        if target is _MISSING and decoded != fragment:
            return fragment, self.lookup(fragment)
        return decoded, target

    def _unresolved(self, at: str, message: str) -> None:
        if self.lenient_refs:
            self.diagnostics.warn(at, message + "; any value is accepted there")
        else:
            self.diagnostics.error(at, message)

    def deref(self, node: Any, at: str, depth: int = 0) -> tuple[str, Any] | None:
        """Follow ``$ref`` chains from a node; returns the final pointer and node."""
        pointer = at
        while isinstance(node, dict) and "$ref" in node:
            if depth > 50:
                self.diagnostics.error(at, "$ref chain too long or circular")
                return None
            resolved = self.resolve_ref(node["$ref"], child(pointer, "$ref"))
            if resolved is None:
                return None
            pointer, node = resolved
            depth += 1
        return pointer, node

    def deref_mapping(self, node: Any, at: str) -> tuple[str, dict[str, Any]] | None:
        """``deref`` for a node that must be an object (a path item, parameter, body...): None otherwise."""
        resolved = self.deref(node, at)
        if resolved is None or not isinstance(resolved[1], dict):
            return None
        return resolved

    # --- names ---------------------------------------------------------------------------------

    @staticmethod
    def is_named_pointer(pointer: str) -> bool:
        """Whether ``pointer`` names an entry of a schema container (``components/schemas``, ``$defs``...)."""
        parts = pointer.split("/")
        return len(parts) >= 3 and parts[-2] in NAMED_CONTAINERS

    def preallocate(self, pointers: list[str]) -> None:
        """Ask for the named schemas' names up front, in the order the class docstring gives."""

        def key(pointer: str) -> tuple[bool, str]:
            name = unescape(pointer.rsplit("/", 1)[1])
            return class_name(name) != name, name

        for pointer in sorted(pointers, key=key):
            self.name_for(pointer, unescape(pointer.rsplit("/", 1)[1]))

    def name_for(self, pointer: str, hint: str) -> str:
        """The provisional class name of the schema at ``pointer``; asked for from ``hint`` on first use."""
        if pointer in self.names:
            return self.names[pointer]
        name = self.class_names.provisional(hint)
        self.names[pointer] = name
        return name

    def fresh_name(self, hint: Hint) -> str:
        """A provisional class name for a declaration the model adds (a union written inline, a
        union's fallback model); the schema where it is written keeps its own name."""
        return self.class_names.provisional(hint)

    def shared_name(self, pointer: str, hint: str, schema: Any) -> tuple[str, bool]:
        """A provisional name for an inline schema; identical schemas with the same hint share one.

        Returns (name, is_new).
        """
        key = (hint, json.dumps(schema, sort_keys=True, default=str))
        if key in self._by_content:
            name = self._by_content[key]
            self.names.setdefault(pointer, name)
            return name, False
        name = self.name_for(pointer, hint)
        self._by_content[key] = name
        return name, True
