"""Changes as values: what differs between two spec versions, where, and which operations it touches."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from vapi_codegen.normalising.refs import Registry, unescape

REQUEST, RESPONSE, BOTH = "request", "response", "both"


@dataclass
class Change:
    """One difference, before any rule judges it.

    ``kind`` says what changed (``property-removed``), ``direction`` whether the schema is sent
    (request), received (response) or neither in particular (both). Pointers are JSON pointers in the
    old and the new document; a side that lacks the thing points at its nearest existing parent.
    """

    kind: str
    direction: str
    old_pointer: str
    new_pointer: str
    details: dict[str, Any]
    operations: set[str] = field(default_factory=set)

    def identity(self) -> tuple[str, ...]:
        return (self.kind, self.direction, self.old_pointer, self.new_pointer, json.dumps(self.details, sort_keys=True))


Pending = tuple[str, str, str, str, dict[str, Any]]  # kind, direction, old pointer, new pointer, details


@dataclass
class Node:
    """The changes found at one place (an operation, a schema body) and the schema body pairs it reaches."""

    changes: list[Pending] = field(default_factory=list)
    children: list[tuple[str, str, str]] = field(default_factory=list)  # (old pointer, new pointer, direction)

    def add(self, kind: str, direction: str, old_pointer: str, new_pointer: str, **details: Any) -> None:
        self.changes.append((kind, direction, old_pointer, new_pointer, details))


class ChangeSet:
    """Collects changes; the same change reached from several operations is kept once."""

    def __init__(self) -> None:
        self._by_identity: dict[tuple[str, ...], Change] = {}

    def add(self, kind: str, direction: str, old_pointer: str, new_pointer: str, via: str | None, **details: Any) -> None:
        """Record a change found while comparing operation ``via`` (None: not tied to one operation)."""
        change = Change(kind, direction, old_pointer, new_pointer, details)
        kept = self._by_identity.setdefault(change.identity(), change)
        if via:
            kept.operations.add(via)

    def __iter__(self) -> Iterator[Change]:
        return iter(self._by_identity.values())


def nearest(registry: Registry, pointer: str) -> str:
    """``pointer`` if it exists in the registry's document, else its nearest existing ancestor."""
    while pointer and not registry.contains(pointer):
        pointer = pointer.rsplit("/", 1)[0]
    return pointer


_SKIPPED = {"content", "schema", "allOf"}


def schema_label(registry: Registry, pointer: str) -> str:
    """A short human name for the schema at ``pointer``: ``ByoPhoneNumber.hooks[]``, ``POST /x body.name``."""
    raw = pointer.split("/")[1:]
    parts = [unescape(part) for part in raw]
    if parts[:2] == ["components", "schemas"] and len(parts) > 2:
        label, rest = parts[2], parts[3:]
    elif parts[:1] == ["paths"] and len(parts) > 2:
        label, rest = f"{parts[2].upper()} {parts[1]}", parts[3:]
    else:
        return "#" + pointer
    index = 0
    while index < len(rest):
        part = rest[index]
        following = rest[index + 1] if index + 1 < len(rest) else ""
        if part == "content":
            index += 2  # the media type
            continue
        if part in _SKIPPED:
            index += 2 if part == "allOf" else 1
            continue
        if part == "requestBody":
            label += " body"
        elif part == "responses":
            label += f" {following} response"
            index += 1
        elif part == "parameters":
            parameter = registry.lookup("/" + "/".join(raw[: len(parts) - len(rest) + index + 2]))
            label += f" parameter {parameter.get('name') if isinstance(parameter, dict) else following}"
            index += 1
        elif part == "properties":
            label += "." + following
            index += 1
        elif part == "items":
            label += "[]"
        elif part == "additionalProperties":
            label += "{}"
        elif part in ("oneOf", "anyOf"):
            label += f"|{following}"
            index += 1
        else:
            break
        index += 1
    return label
