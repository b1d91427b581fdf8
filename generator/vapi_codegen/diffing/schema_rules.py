"""The changes between two schema bodies (not below them), and the pairs below them to compare next.

Types first: a schema with no type (``{}``) gaining one is a tightened constraint, losing it a loosened
one; other type changes stop the comparison there. A union and a schema that is not one are compared
as unions, the plain schema standing for itself as the one variant (``X`` -> ``oneOf: [X, Y]`` adds the
variant Y). Properties are those of the direction: ``readOnly`` ones are not sent, ``writeOnly`` ones
are not received.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from vapi_codegen.diffing.changes import REQUEST, Node, schema_label
from vapi_codegen.diffing.schema_view import Variant, mapping_pointer, pair_variants, type_text, union_tag
from vapi_codegen.normalising.located import Located
from vapi_codegen.normalising.normaliser import Normaliser
from vapi_codegen.normalising.refs import child, unescape
from vapi_codegen.normalising.schema_view import LOWER_BOUNDS, UPPER_BOUNDS, SchemaView

if TYPE_CHECKING:  # the graph runs these rules and they add to it
    from vapi_codegen.diffing.schemas import SchemaComparison

_VALUE_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number", list: "array", dict: "object"}


class BodyComparison:
    """Compares ``before`` and ``after`` as used in ``direction``; changes go to ``node``."""

    def __init__(self, schemas: SchemaComparison, node: Node, direction: str, before: SchemaView, after: SchemaView):
        self.schemas, self.node, self.direction = schemas, node, direction
        self.before, self.after = before, after
        self.at = schema_label(schemas.new.registry, after.pointer)

    def add(self, kind: str, old_pointer: str, new_pointer: str, **details: Any) -> None:
        self.node.add(kind, self.direction, old_pointer, new_pointer, at=self.at, **details)

    def run(self) -> None:
        if bool(self.before.variants) != bool(self.after.variants):
            self._union()  # a schema becoming a union, or ceasing to be one
            return
        if not self._types():
            return
        self._values()
        self._bounds()
        self._object()
        self._containers()
        self._union()

    # --- types ---------------------------------------------------------------------------------

    def _types(self) -> bool:
        """Report a type change; False when the schemas are too different to compare further."""
        before, after = self.before, self.after
        if before.variants and after.variants:
            return True  # unions: see _union
        old, new = _effective_types(before), _effective_types(after)
        if old == new:
            return True
        if not old or not new:
            kind = "constraint-loosened" if not new else "constraint-tightened"
            self.add(kind, before.at("type"), after.at("type"), keyword="type", old="|".join(sorted(old)) or None, new="|".join(sorted(new)) or None)
            return True
        self.add("type-changed", before.at("type"), after.at("type"), old="|".join(sorted(old)), new="|".join(sorted(new)))
        return False

    # --- values --------------------------------------------------------------------------------

    def _values(self) -> None:
        before, after = self.before, self.after
        if before.format != after.format:
            self.add("format-changed", before.at("format"), after.at("format"), old=before.format, new=after.format)
        self._enum()
        if before.pattern != after.pattern:
            self.add("pattern-changed", before.at("pattern"), after.at("pattern"), old=before.pattern, new=after.pattern)
        if (before.has_default, _json(before.default)) != (after.has_default, _json(after.default)):
            self.add(
                "default-changed",
                before.at("default"),
                after.at("default"),
                old=_json(before.default) if before.has_default else None,
                new=_json(after.default) if after.has_default else None,
            )

    def _enum(self) -> None:
        before, after = self.before, self.after
        if before.enum is None and after.enum is None:
            return
        old_at, new_at = before.at("enum"), after.at("enum")
        if before.enum is None or after.enum is None:
            kind = "constraint-tightened" if after.enum is not None else "constraint-loosened"
            self.add(kind, old_at, new_at, keyword="enum", old=before.enum, new=after.enum)
            return
        old_values = {_json(value): value for value in before.enum}
        new_values = {_json(value): value for value in after.enum}
        if len(old_values) == len(new_values) == 1 and old_values.keys() != new_values.keys():
            self.add("constant-changed", old_at, new_at, old=before.enum[0], new=after.enum[0])
            return
        for text in sorted(old_values.keys() - new_values.keys()):
            self.add("enum-value-removed", old_at, new_at, value=old_values[text])
        for text in sorted(new_values.keys() - old_values.keys()):
            self.add("enum-value-added", old_at, new_at, value=new_values[text])

    def _bounds(self) -> None:
        before, after = self.before, self.after
        for keyword in UPPER_BOUNDS + LOWER_BOUNDS + ("multipleOf",):
            old, new = before.bounds.get(keyword), after.bounds.get(keyword)
            if old == new:
                continue
            if new is None:
                tightened = False
            elif old is None:
                tightened = True
            elif keyword in UPPER_BOUNDS:
                tightened = new < old
            elif keyword in LOWER_BOUNDS:
                tightened = new > old
            else:  # multipleOf: looser only when every old multiple is still a multiple
                tightened = old % new != 0
            kind = "constraint-tightened" if tightened else "constraint-loosened"
            self.add(kind, before.at(keyword), after.at(keyword), keyword=keyword, old=old, new=new)

    # --- objects -------------------------------------------------------------------------------

    def _object(self) -> None:
        before, after = self.before, self.after
        if before.forbids_extra != after.forbids_extra:
            kind = "extra-properties-forbidden" if after.forbids_extra else "extra-properties-allowed"
            self.add(kind, before.at("additionalProperties"), after.at("additionalProperties"))
        old, new = self._visible(before, self.schemas.old), self._visible(after, self.schemas.new)
        old_required, new_required = before.required & old.keys(), after.required & new.keys()
        for name in sorted(old.keys() - new.keys()):
            if name in after.required and name not in after.properties:  # its definition dropped: any value, still required
                self.schemas.place(old[name], Located({}, after.at("required")), self.direction, self.node)
            else:
                self.add("property-removed", old[name].pointer, after.pointer, name=name, closed=after.forbids_extra, required=name in old_required)
        for name in sorted(new.keys() - old.keys()):
            if name in before.required and name not in before.properties:  # was required with any value, now defined
                self.schemas.place(Located({}, before.at("required")), new[name], self.direction, self.node)
            else:
                self.add("property-added", before.pointer, new[name].pointer, name=name, required=name in new_required)
        for name in sorted(old.keys() & new.keys()):
            was, now = name in old_required, name in new_required
            if was != now:
                kind = "property-became-required" if now else "property-became-optional"
                self.add(kind, old[name].pointer, new[name].pointer, name=name)
            self.schemas.place(old[name], new[name], self.direction, self.node)
        # a name required without a property definition (any value, but it must be there)
        undefined = (before.required | after.required) - before.properties.keys() - after.properties.keys()
        for name in sorted(undefined):
            was, now = name in before.required, name in after.required
            if was != now:
                kind = "property-became-required" if now else "property-became-optional"
                self.add(kind, before.at("required"), after.at("required"), name=name)

    def _visible(self, view: SchemaView, normaliser: Normaliser) -> dict[str, Located]:
        """The properties that travel in this direction: not ``readOnly`` ones in requests, not ``writeOnly`` in responses.

        The flag is read where the property is written, else on its ``$ref``'s target (not in ``allOf`` parts).
        """
        hidden = "readOnly" if self.direction == REQUEST else "writeOnly"
        return {name: prop for name, prop in view.properties.items() if not _flag(normaliser, prop, hidden)}

    def _containers(self) -> None:
        before, after = self.before, self.after
        if before.items and after.items:
            self.schemas.place(before.items, after.items, self.direction, self.node)
        if before.extra_schema and after.extra_schema:
            self.schemas.place(before.extra_schema, after.extra_schema, self.direction, self.node)

    # --- unions --------------------------------------------------------------------------------

    def _union(self) -> None:
        before, after = self.before, self.after
        if not before.variants and not after.variants:
            return
        old_reader, new_reader = self.schemas.readers
        old = old_reader.variants(before) if before.variants else [old_reader.itself(before, self.schemas.old.registry.lookup(before.pointer))]
        new = new_reader.variants(after) if after.variants else [new_reader.itself(after, self.schemas.new.registry.lookup(after.pointer))]
        tag = union_tag(old_reader, new_reader, before, after, (old, new))
        pairs, removed, added = pair_variants(old_reader, new_reader, old, new, (tag, before.mapping, after.mapping))
        wrapped = not before.variants or not after.variants
        if wrapped and not pairs:  # the plain schema is none of the union's variants
            self.add("type-changed", before.at("type"), after.at("type"), old=type_text(before) or "any", new=type_text(after) or "any")
            return
        for variant in removed:
            self.add("variant-removed", variant.schema.pointer, after.union_at or after.pointer, variant=variant.label)
        for variant in added:
            self.add("variant-added", before.union_at or before.pointer, variant.schema.pointer, variant=variant.label)
        for old_variant, new_variant in pairs:
            self.schemas.views(old_variant.view, new_variant.view, self.direction, self.node, nullability=not wrapped)
        self._discriminator(pairs, removed, added)

    def _discriminator(self, pairs: list[tuple[Variant, Variant]], removed: list[Variant], added: list[Variant]) -> None:
        before, after = self.before, self.after
        if before.discriminator and after.discriminator and before.discriminator != after.discriminator:
            self.add(
                "discriminator-property-changed",
                before.at("discriminator"),
                after.at("discriminator"),
                old=before.discriminator,
                new=after.discriminator,
            )
        renamed = {o.view.pointer: n.view.pointer for o, n in pairs}
        gone, new_ones = {v.view.pointer for v in removed}, {v.view.pointer for v in added}
        old_at, new_at = child(before.at("discriminator"), "mapping"), child(after.at("discriminator"), "mapping")
        for tag in sorted(before.mapping.keys() | after.mapping.keys()):
            old_target = mapping_pointer(before.mapping[tag]) if tag in before.mapping else None
            new_target = mapping_pointer(after.mapping[tag]) if tag in after.mapping else None
            if old_target is not None and new_target is not None and self._same_target(renamed.get(old_target, old_target), old_target, new_target):
                continue
            if new_target is None:
                if old_target not in gone:  # else the variant itself was removed: reported above
                    self.add("discriminator-value-removed", child(old_at, tag), new_at, tag=tag)
            elif old_target is None:
                if new_target not in new_ones:  # else the variant itself was added: reported above
                    self.add("discriminator-value-added", old_at, child(new_at, tag), tag=tag)
            else:
                self.add(
                    "discriminator-mapping-changed", child(old_at, tag), child(new_at, tag), tag=tag, old=_name(old_target), new=_name(new_target)
                )

    def _same_target(self, paired: str, old_target: str, new_target: str) -> bool:
        """Whether a discriminator value still selects the same schema: its paired variant, or one with the same content."""
        if paired == new_target:
            return True
        old_reader, new_reader = self.schemas.readers
        old_node, new_node = old_reader.registry.lookup(old_target), new_reader.registry.lookup(new_target)
        return old_reader.fingerprints.of(old_node, old_target) == new_reader.fingerprints.of(new_node, new_target)


def _flag(normaliser: Normaliser, prop: Located, keyword: str) -> bool:
    node = prop.node
    if isinstance(node, dict) and keyword not in node and "$ref" in node:
        resolved = normaliser.registry.deref(node, prop.pointer)
        node = resolved[1] if resolved else None
    return isinstance(node, dict) and node.get(keyword) is True


def _effective_types(view: SchemaView) -> frozenset[str]:
    """The declared types, else what the schema's keywords imply (enum values, items, properties); empty: any."""
    if view.types:
        return view.types
    if view.enum:
        return frozenset(_VALUE_TYPES.get(type(value), "any") for value in view.enum)
    if view.items is not None:
        return frozenset({"array"})
    if view.extra_schema is not None or view.forbids_extra:
        return frozenset({"object"})
    return frozenset()


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _name(pointer: str) -> str:
    return unescape(pointer.rsplit("/", 1)[1])
