"""The structured comparison of two specs: operations, parameters, bodies, responses and their schemas.

Both documents are read through their ``Normaliser``, the reading the generator builds its model from:
the same ``$ref`` resolution, ``allOf`` precedence, path-level parameters, media type and nullability,
so the differ reports what the generated code shows. Within one operation each schema pair is compared
once per (old pointer, new pointer, direction), so cycles end; a change to a shared component reached
from several operations is recorded once and lists all of them.
"""

from __future__ import annotations

import json
from typing import Any

from vapi_codegen.diffing.changes import BOTH, REQUEST, RESPONSE, ChangeSet, nearest, schema_label
from vapi_codegen.diffing.schema_view import keyed_variants, type_text
from vapi_codegen.normalising.located import Located
from vapi_codegen.normalising.normaliser import Normaliser
from vapi_codegen.normalising.operations import Operation, Parameter
from vapi_codegen.normalising.refs import child, unescape
from vapi_codegen.normalising.schema_view import LOWER_BOUNDS, UPPER_BOUNDS, SchemaView


class WireComparison:
    """Compares what goes over the wire; results accumulate in ``changes``."""

    def __init__(self, old: Normaliser, new: Normaliser):
        self.old = old
        self.new = new
        self.changes = ChangeSet()

    def run(self) -> ChangeSet:
        old_ops, new_ops = _operations(self.old), _operations(self.new)
        for key in sorted(old_ops.keys() - new_ops.keys()):
            op = old_ops[key]
            self.changes.add("operation-removed", BOTH, op.pointer, nearest(self.new.registry, op.pointer), op.label, operation=op.label)
        for key in sorted(new_ops.keys() - old_ops.keys()):
            op = new_ops[key]
            self.changes.add("operation-added", BOTH, nearest(self.old.registry, op.pointer), op.pointer, op.label, operation=op.label)
        for key in sorted(old_ops.keys() & new_ops.keys()):
            self._operation(old_ops[key], new_ops[key])
        return self.changes

    # --- operations ----------------------------------------------------------------------------

    def _operation(self, old: Operation, new: Operation) -> None:
        if new.node.get("deprecated") is True and old.node.get("deprecated") is not True:
            self.changes.add("operation-deprecated", BOTH, old.pointer, child(new.pointer, "deprecated"), old.label, operation=old.label)
        seen: set[tuple[str, str, str]] = set()
        self._parameters(old, new, seen)
        self._body(old, new, seen)
        self._responses(old, new, seen)

    def _parameters(self, old: Operation, new: Operation, seen: set[tuple[str, str, str]]) -> None:
        label = old.label
        old_parameters, new_parameters = _by_place(old.parameters), _by_place(new.parameters)
        for key in sorted(old_parameters.keys() | new_parameters.keys()):
            location, name = key
            before, after = old_parameters.get(key), new_parameters.get(key)
            if after is None:
                assert before is not None
                self.changes.add("parameter-removed", REQUEST, before.pointer, new.pointer, label, name=name, location=location)
                continue
            if before is None:
                self.changes.add("parameter-added", REQUEST, old.pointer, after.pointer, label, name=name, location=location, required=after.required)
                continue
            if after.required != before.required:
                kind = "parameter-became-required" if after.required else "parameter-became-optional"
                self.changes.add(kind, REQUEST, before.pointer, after.pointer, label, name=name, location=location)
            old_schema, new_schema = before.located_schema(), after.located_schema()
            if old_schema and new_schema:
                self.schema(old_schema, new_schema, REQUEST, label, seen)

    def _body(self, old: Operation, new: Operation, seen: set[tuple[str, str, str]]) -> None:
        before, after = old.body, new.body
        label = old.label
        if before is None and after is None:
            return
        if after is None:
            assert before is not None
            self.changes.add("request-body-removed", REQUEST, before.pointer, new.pointer, label)
            return
        required = after.node.get("required") is True
        if before is None:
            self.changes.add("request-body-added", REQUEST, old.pointer, after.pointer, label, required=required)
            return
        if required != (before.node.get("required") is True):
            kind = "request-body-became-required" if required else "request-body-became-optional"
            self.changes.add(kind, REQUEST, before.pointer, after.pointer, label)
        old_schema, new_schema = before.located_schema(), after.located_schema()
        if old_schema and new_schema:
            self.schema(old_schema, new_schema, REQUEST, label, seen)

    def _responses(self, old: Operation, new: Operation, seen: set[tuple[str, str, str]]) -> None:
        label = old.label
        for status in sorted(old.responses.keys() | new.responses.keys()):
            old_at, new_at = child(old.pointer, "responses", status), child(new.pointer, "responses", status)
            before, after = old.responses.get(status), new.responses.get(status)
            success = status.startswith("2")
            if after is None and before is not None:
                new_pointer = nearest(self.new.registry, new_at)
                self.changes.add("response-removed", RESPONSE, before.pointer, new_pointer, label, status=status, success=success)
            elif before is None and after is not None:
                self.changes.add("response-added", RESPONSE, nearest(self.old.registry, old_at), after.pointer, label, status=status, success=success)
            elif before is not None and after is not None:
                old_schema, new_schema = before.located_schema(), after.located_schema()
                if old_schema and new_schema:
                    self.schema(old_schema, new_schema, RESPONSE, label, seen)

    # --- schemas -------------------------------------------------------------------------------

    def schema(self, old: Located, new: Located, direction: str, label: str, seen: set[tuple[str, str, str]]) -> None:
        """Compare two schemas (and everything below them) as used in ``direction``."""
        before, after = self.old.view(old.node, old.pointer), self.new.view(new.node, new.pointer)
        key = (before.pointer, after.pointer, direction)
        if key in seen:
            return
        seen.add(key)
        found = _SchemaChanges(self.changes, direction, label, schema_label(self.new.registry, after.pointer))
        old_type, new_type = type_text(before), type_text(after)
        if old_type and new_type and old_type != new_type:
            found.add("type-changed", before.at("type"), after.at("type"), old=old_type, new=new_type)
            return
        found.scalar_rules(before, after)
        found.object_rules(before, after)
        found.union_rules(before, after)
        for name in sorted(before.properties.keys() & after.properties.keys()):
            self.schema(before.properties[name], after.properties[name], direction, label, seen)
        if before.items and after.items:
            self.schema(before.items, after.items, direction, label, seen)
        if before.extra_schema and after.extra_schema:
            self.schema(before.extra_schema, after.extra_schema, direction, label, seen)
        new_variants = {variant.key: variant for variant in keyed_variants(after)}
        for variant in keyed_variants(before):
            if variant.key in new_variants:
                self.schema(variant.schema, new_variants[variant.key].schema, direction, label, seen)


class _SchemaChanges:
    """The changes found between two schema views (not below them); each names the schema as ``at``."""

    def __init__(self, changes: ChangeSet, direction: str, label: str, at: str):
        self.changes = changes
        self.direction = direction
        self.label = label
        self.at = at

    def add(self, kind: str, old_pointer: str, new_pointer: str, **details: Any) -> None:
        self.changes.add(kind, self.direction, old_pointer, new_pointer, self.label, at=self.at, **details)

    def scalar_rules(self, before: SchemaView, after: SchemaView) -> None:
        if before.format != after.format:
            self.add("format-changed", before.at("format"), after.at("format"), old=before.format, new=after.format)
        if before.nullable != after.nullable:
            self.add("nullable-added" if after.nullable else "nullable-removed", before.pointer, after.pointer)
        self._enum(before, after)
        self._bounds(before, after)
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

    def _enum(self, before: SchemaView, after: SchemaView) -> None:
        if before.enum is None and after.enum is None:
            return
        if before.enum is None or after.enum is None:
            kind = "constraint-tightened" if after.enum is not None else "constraint-loosened"
            self.add(kind, before.at("enum"), after.at("enum"), keyword="enum", old=before.enum, new=after.enum)
            return
        old_values = {_json(value): value for value in before.enum}
        new_values = {_json(value): value for value in after.enum}
        for text in sorted(old_values.keys() - new_values.keys()):
            self.add("enum-value-removed", before.at("enum"), after.at("enum"), value=old_values[text])
        for text in sorted(new_values.keys() - old_values.keys()):
            self.add("enum-value-added", before.at("enum"), after.at("enum"), value=new_values[text])

    def _bounds(self, before: SchemaView, after: SchemaView) -> None:
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

    def object_rules(self, before: SchemaView, after: SchemaView) -> None:
        if before.forbids_extra != after.forbids_extra:
            kind = "extra-properties-forbidden" if after.forbids_extra else "extra-properties-allowed"
            self.add(kind, before.at("additionalProperties"), after.at("additionalProperties"))
        for name in sorted(before.properties.keys() - after.properties.keys()):
            self.add("property-removed", before.properties[name].pointer, after.pointer, name=name, closed=after.forbids_extra)
        for name in sorted(after.properties.keys() - before.properties.keys()):
            self.add("property-added", before.pointer, after.properties[name].pointer, name=name, required=name in after.required)
        for name in sorted(before.properties.keys() & after.properties.keys()):
            was, now = name in before.required, name in after.required
            if was != now:
                kind = "property-became-required" if now else "property-became-optional"
                self.add(kind, before.properties[name].pointer, after.properties[name].pointer, name=name)

    def union_rules(self, before: SchemaView, after: SchemaView) -> None:
        old_variants = {variant.key: variant for variant in keyed_variants(before)}
        new_variants = {variant.key: variant for variant in keyed_variants(after)}
        for key in sorted(old_variants.keys() - new_variants.keys()):
            self.add("variant-removed", old_variants[key].schema.pointer, after.union_at or after.pointer, variant=_variant_label(key))
        for key in sorted(new_variants.keys() - old_variants.keys()):
            self.add("variant-added", before.union_at or before.pointer, new_variants[key].schema.pointer, variant=_variant_label(key))
        if before.discriminator and after.discriminator and before.discriminator != after.discriminator:
            self.add(
                "discriminator-property-changed",
                before.at("discriminator"),
                after.at("discriminator"),
                old=before.discriminator,
                new=after.discriminator,
            )
        old_at, new_at = child(before.at("discriminator"), "mapping"), child(after.at("discriminator"), "mapping")
        for tag in sorted(before.mapping.keys() | after.mapping.keys()):
            old_target, new_target = before.mapping.get(tag), after.mapping.get(tag)
            if old_target == new_target:
                continue
            if new_target is None:
                if old_target not in new_variants and old_target in old_variants:
                    continue  # the variant itself was removed: reported above
                self.add("discriminator-value-removed", child(old_at, tag), new_at, tag=tag)
            elif old_target is None:
                if new_target not in old_variants and new_target in new_variants:
                    continue  # the variant itself was added: reported above
                self.add("discriminator-value-added", old_at, child(new_at, tag), tag=tag)
            else:
                old_label, new_label = _variant_label(old_target), _variant_label(new_target)
                self.add("discriminator-mapping-changed", child(old_at, tag), child(new_at, tag), tag=tag, old=old_label, new=new_label)


# --- reading the normalised documents ---------------------------------------------------------


def _operations(normaliser: Normaliser) -> dict[tuple[str, str], Operation]:
    return {(operation.path, operation.method): operation for operation in normaliser.operations()}


def _by_place(parameters: list[Parameter]) -> dict[tuple[str, str], Parameter]:
    """Parameters keyed by (location, name), the order reports list them in."""
    return {(parameter.location, parameter.name): parameter for parameter in parameters}


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _variant_label(key: str) -> str:
    """``#/components/schemas/Foo`` -> ``Foo``; ``title:Foo`` -> ``Foo``; ``type:string`` -> ``string``."""
    if key.startswith("#/"):
        return unescape(key.rsplit("/", 1)[1])
    return key.split(":", 1)[-1]
