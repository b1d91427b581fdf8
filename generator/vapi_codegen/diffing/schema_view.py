"""The differ's reading of a normalised schema view: how its union variants are matched across versions.

The view itself (``$ref``s followed, ``allOf`` merged, nullability read) is the normaliser's
(``vapi_codegen.normalising.schema_view``), the one the generator's reading agrees with; so that
``{allOf: [$ref: Server], description: ...}`` and ``$ref: Server`` look the same, and every reported
change can name the pointer of the keyword.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vapi_codegen.normalising.located import Located
from vapi_codegen.normalising.nullability import read_nullability
from vapi_codegen.normalising.schema_view import SchemaView


@dataclass
class Variant:
    """One member of a oneOf/anyOf; ``key`` matches it across versions (see ``_variant_key``)."""

    key: str
    schema: Located


def keyed_variants(view: SchemaView) -> list[Variant]:
    """The view's non-null union members, each keyed by what it is rather than by its position."""
    seen: dict[str, int] = {}
    variants: list[Variant] = []
    for member in view.variants:
        key = _variant_key(member.node)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:  # only look-alike inline variants fall back to their order
            key = f"{key}#{seen[key]}"
        variants.append(Variant(key, member))
    return variants


def type_text(view: SchemaView) -> str:
    """What the view's type is called in a ``type-changed`` report."""
    if view.variants:
        return "union"
    return "|".join(sorted(view.types))


def _variant_key(member: Any) -> str:
    """A $ref by its target, an inline variant by its title, else by its type (never by its position)."""
    if not isinstance(member, dict):
        return "schema"
    if isinstance(member.get("$ref"), str):
        return str(member["$ref"])
    if isinstance(member.get("title"), str):
        return "title:" + str(member["title"])
    types = [str(t) for t in read_nullability(member).types]  # a variant that became nullable is still itself
    if not types and "properties" in member:
        types = ["object"]
    return "type:" + "|".join(sorted(types)) if types else "schema"
