"""The differ's reading of a normalised schema view: how union variants are paired across versions.

The view itself (``$ref``s followed, ``allOf`` merged, nullability read) is the normaliser's
(``vapi_codegen.normalising.schema_view``), the one the generator's reading agrees with; so that
``{allOf: [$ref: Server], description: ...}`` and ``$ref: Server`` look the same, and every reported
change can name the pointer of the keyword.

Variants are paired by what they are, never by their position or their name alone, in passes; each
pass pairs only variants it tells apart (a key found once among the unpaired ones on each side):

1. the tag value (the discriminator's, or a property every variant pins to one constant);
2. the same ``$ref`` target;
3. the same content (``fingerprint``): a renamed component, or a ``$ref`` replaced by a copy inline;
4. the same shape, for variants that are not objects (``string``, ``array<integer>``): the variant
   that gained a title or a ``maxItems`` is still the same variant;
5. the same label (``$ref`` name or title).

What no pass pairs was removed or added.
"""

from __future__ import annotations

from dataclasses import dataclass

from vapi_codegen.diffing.fingerprint import Fingerprints
from vapi_codegen.diffing.pairing import KeyOf, pair_in_passes
from vapi_codegen.normalising.located import Located
from vapi_codegen.normalising.normaliser import Normaliser
from vapi_codegen.normalising.refs import Registry, unescape
from vapi_codegen.normalising.schema_view import SchemaView


@dataclass
class Variant:
    """One member of a oneOf/anyOf (or a schema that is not a union, standing for itself)."""

    label: str  # how reports name it: its $ref target's name, else its title, else its type
    schema: Located
    view: SchemaView
    is_ref: bool


class VariantReader:
    """Reads the variants of one document's views, with what the pairing passes need."""

    def __init__(self, normaliser: Normaliser):
        self.normaliser = normaliser
        self.fingerprints = Fingerprints(normaliser.registry)

    @property
    def registry(self) -> Registry:
        return self.normaliser.registry

    def variants(self, view: SchemaView) -> list[Variant]:
        """The view's non-null union members."""
        return [self.variant(member) for member in view.variants]

    def variant(self, member: Located) -> Variant:
        node = member.node
        view = self.normaliser.view(node, member.pointer)
        is_ref = isinstance(node, dict) and isinstance(node.get("$ref"), str)
        return Variant(_label(node, view, is_ref), member, view, is_ref)

    def itself(self, view: SchemaView, node: object) -> Variant:
        """A schema that is not a union, as the one variant it stands for."""
        named = self.registry.is_named_pointer(view.pointer)
        label = unescape(view.pointer.rsplit("/", 1)[1]) if named else type_text(view) or "schema"
        return Variant(label, Located(node, view.place), view, named)

    def tags(self, variant: Variant, tag: str | None, mapping: dict[str, str]) -> frozenset[str]:
        """The tag values that select ``variant``: its discriminator mapping entries and its pinned tag property."""
        values = {value for value, target in mapping.items() if variant.is_ref and mapping_pointer(target) == variant.view.pointer}
        if tag and tag in variant.view.properties:
            prop = variant.view.properties[tag]
            enum = self.normaliser.view(prop.node, prop.pointer).enum
            if enum is not None and len(enum) == 1:
                values.add(repr(enum[0]))
        return frozenset(values)

    def shape(self, view: SchemaView) -> str:
        """The kind of values a view holds, nested: ``array<array<integer>>``; objects are ``object``."""
        text = type_text(view) or "any"
        if view.items is not None:
            items = self.normaliser.view(view.items.node, view.items.pointer)
            text += f"<{self.shape(items)}>"
        return text

    def pinned(self, variant: Variant) -> set[str]:
        """The properties ``variant`` pins to one constant value (candidate tags)."""
        names = set()
        for name, prop in variant.view.properties.items():
            enum = self.normaliser.view(prop.node, prop.pointer).enum
            if enum is not None and len(enum) == 1:
                names.add(name)
        return names


def union_tag(
    old: VariantReader, new: VariantReader, before: SchemaView, after: SchemaView, variants: tuple[list[Variant], list[Variant]]
) -> str | None:
    """The property that tells the variants apart: the discriminator's, else one every variant on both sides pins."""
    if before.discriminator and before.discriminator == after.discriminator:
        return before.discriminator
    pinned = [old.pinned(v) for v in variants[0]] + [new.pinned(v) for v in variants[1]]
    common = set.intersection(*pinned) if pinned else set()
    return min(common) if common else None


def type_text(view: SchemaView) -> str:
    """What the view's type is called in a ``type-changed`` report."""
    if view.variants:
        return "union"
    return "|".join(sorted(view.types))


def mapping_pointer(target: str) -> str:
    """A discriminator mapping value as a pointer: ``#/components/schemas/A`` or a bare schema name ``A``."""
    return target[1:] if target.startswith("#") else f"/components/schemas/{target}"


Pairs = list[tuple[Variant, Variant]]


def pair_variants(
    old: VariantReader, new: VariantReader, before: list[Variant], after: list[Variant], tag: tuple[str | None, dict[str, str], dict[str, str]]
) -> tuple[Pairs, list[Variant], list[Variant]]:
    """(paired, removed, added): the passes of the module docstring, in order."""
    tag_name, old_mapping, new_mapping = tag or (None, {}, {})
    passes: list[tuple[KeyOf[Variant], KeyOf[Variant]]] = [
        (lambda v: old.tags(v, tag_name, old_mapping) or None, lambda v: new.tags(v, tag_name, new_mapping) or None),
        (lambda v: v.view.pointer if v.is_ref else None, lambda v: v.view.pointer if v.is_ref else None),
        (lambda v: old.fingerprints.of(v.schema.node, v.schema.pointer), lambda v: new.fingerprints.of(v.schema.node, v.schema.pointer)),
        (lambda v: _scalar_shape(old, v), lambda v: _scalar_shape(new, v)),
        (lambda v: v.label, lambda v: v.label),
    ]
    return pair_in_passes(before, after, passes)


def _scalar_shape(reader: VariantReader, variant: Variant) -> str | None:
    shape = reader.shape(variant.view)
    return None if "object" in shape or "union" in shape else shape


def _label(node: object, view: SchemaView, is_ref: bool) -> str:
    if is_ref:
        return unescape(view.pointer.rsplit("/", 1)[1])
    if isinstance(node, dict) and isinstance(node.get("title"), str):
        return str(node["title"])
    return type_text(view) or "schema"
