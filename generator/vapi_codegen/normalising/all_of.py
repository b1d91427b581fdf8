"""``allOf`` merging, with the one precedence rule generating and diffing share.

A schema with ``allOf`` parts reads as its parts laid over each other in order, then its own keywords on
top: for every keyword, and for every property's schema, **the later part wins over the earlier ones and
the schema's own value wins over all parts**; ``required`` is the union of every part's and the schema's
own. A part is merged the same way first (its own ``allOf``), its ``$ref`` followed (keywords beside a
``$ref`` are ignored, as in OpenAPI 3.0); a part that leads back to a schema being merged is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vapi_codegen.normalising.located import Located
from vapi_codegen.normalising.refs import Registry, child

_OWN_ONLY = ("allOf", "properties", "required")


@dataclass
class MergedSchema:
    """A schema with its ``allOf`` parts merged in (see the module docstring for the precedence)."""

    pointer: str
    keywords: dict[str, Any] = field(default_factory=dict)  # every keyword but allOf, properties and required
    where: dict[str, str] = field(default_factory=dict)  # keyword (properties, required too) -> pointer of its schema
    properties: dict[str, Located] = field(default_factory=dict)  # in first-declared order
    required: set[str] = field(default_factory=set)
    # every ``enum`` (a ``const`` as a one-value list) of the schema and of its parts: a value must be in
    # all of them, so a sibling ``enum: [4]`` limits the values of an ``allOf`` part (the precedence rule
    # keeps only the winning list in ``keywords``)
    value_sets: list[list[Any]] = field(default_factory=list)

    def lay_over(self, top: MergedSchema) -> None:
        """Lay ``top`` over this merge: its keywords and properties win, its required names and value sets add up."""
        self.keywords.update(top.keywords)
        self.where.update(top.where)
        self.properties.update(top.properties)
        self.required |= top.required
        self.value_sets += top.value_sets


def merge_all_of(registry: Registry, schema: dict[str, Any], pointer: str) -> MergedSchema:
    """The schema found at ``pointer`` ($refs already followed) with its ``allOf`` parts merged in."""
    return _merge(registry, schema, pointer, frozenset({pointer}))


def _merge(registry: Registry, schema: dict[str, Any], pointer: str, seen: frozenset[str]) -> MergedSchema:
    merged = MergedSchema(pointer)
    parts = schema.get("allOf")
    for index, part in enumerate(parts if isinstance(parts, list) else []):
        resolved = registry.deref(part, child(pointer, "allOf", index))
        if resolved is None:
            continue
        part_pointer, target = resolved
        if part_pointer in seen or not isinstance(target, dict):
            continue
        merged.lay_over(_merge(registry, target, part_pointer, seen | {part_pointer}))
    merged.lay_over(_own(schema, pointer))
    return merged


def _own(schema: dict[str, Any], pointer: str) -> MergedSchema:
    """The schema's own keywords, properties and required names, its ``allOf`` left out."""
    own = MergedSchema(pointer, {key: value for key, value in schema.items() if key not in _OWN_ONLY})
    own.where = {key: pointer for key in own.keywords}
    properties = schema.get("properties")
    if isinstance(properties, dict):
        own.properties = {str(name): Located(node, child(pointer, "properties", name)) for name, node in properties.items()}
        own.where["properties"] = pointer
    required = schema.get("required")
    if isinstance(required, list):
        own.required = {str(name) for name in required}
        own.where["required"] = pointer
    if isinstance(schema.get("enum"), list):
        own.value_sets.append(schema["enum"])
    if "const" in schema:
        own.value_sets.append([schema["const"]])
    return own
