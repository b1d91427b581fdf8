"""The structured comparison of two raw specs: operations, parameters, bodies, responses and their schemas.

Every $ref is followed through ``vapi_codegen.normalising.refs.Registry``. Within one operation each schema pair is
compared once per (old pointer, new pointer, direction), so cycles end; a change to a shared component
reached from several operations is recorded once and lists all of them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from vapi_codegen.model.operations import HTTP_METHODS
from vapi_codegen.normalising.refs import Registry, child, unescape
from vapi_codegen.normalising.schema_facts import preferred_media_type
from vapi_codegen.diffing.changes import BOTH, REQUEST, RESPONSE, ChangeSet, nearest, schema_label
from vapi_codegen.diffing.schema_view import LOWER_BOUNDS, UPPER_BOUNDS, Located, SchemaView, view_of


@dataclass
class _Operation:
    label: str  # "POST /phone-number"
    pointer: str
    parameters: dict[tuple[str, str], Located]  # (location, name) -> parameter object
    node: dict[str, Any]


class WireComparison:
    """Compares what goes over the wire; results accumulate in ``changes``."""

    def __init__(self, old: Registry, new: Registry):
        self.old = old
        self.new = new
        self.changes = ChangeSet()
        self._views: dict[tuple[bool, str], SchemaView] = {}

    def run(self) -> ChangeSet:
        old_ops, new_ops = _operations(self.old), _operations(self.new)
        for key in sorted(old_ops.keys() - new_ops.keys()):
            op = old_ops[key]
            self.changes.add("operation-removed", BOTH, op.pointer, nearest(self.new, op.pointer), op.label, operation=op.label)
        for key in sorted(new_ops.keys() - old_ops.keys()):
            op = new_ops[key]
            self.changes.add("operation-added", BOTH, nearest(self.old, op.pointer), op.pointer, op.label, operation=op.label)
        for key in sorted(old_ops.keys() & new_ops.keys()):
            self._operation(old_ops[key], new_ops[key])
        return self.changes

    # --- operations ----------------------------------------------------------------------------

    def _operation(self, old: _Operation, new: _Operation) -> None:
        if new.node.get("deprecated") is True and old.node.get("deprecated") is not True:
            self.changes.add("operation-deprecated", BOTH, old.pointer, child(new.pointer, "deprecated"), old.label, operation=old.label)
        seen: set[tuple[str, str, str]] = set()
        self._parameters(old, new, seen)
        self._body(old, new, seen)
        self._responses(old, new, seen)

    def _parameters(self, old: _Operation, new: _Operation, seen: set[tuple[str, str, str]]) -> None:
        label = old.label
        for key in sorted(old.parameters.keys() | new.parameters.keys()):
            location, name = key
            before, after = old.parameters.get(key), new.parameters.get(key)
            if after is None:
                assert before is not None
                self.changes.add("parameter-removed", REQUEST, before.pointer, new.pointer, label, name=name, location=location)
                continue
            required = _parameter_required(after.node)
            if before is None:
                self.changes.add("parameter-added", REQUEST, old.pointer, after.pointer, label, name=name, location=location, required=required)
                continue
            if required != _parameter_required(before.node):
                kind = "parameter-became-required" if required else "parameter-became-optional"
                self.changes.add(kind, REQUEST, before.pointer, after.pointer, label, name=name, location=location)
            old_schema, new_schema = _parameter_schema(before), _parameter_schema(after)
            if old_schema and new_schema:
                self.schema(old_schema, new_schema, REQUEST, label, seen)

    def _body(self, old: _Operation, new: _Operation, seen: set[tuple[str, str, str]]) -> None:
        before = _deref(self.old, old.node.get("requestBody"), child(old.pointer, "requestBody"))
        after = _deref(self.new, new.node.get("requestBody"), child(new.pointer, "requestBody"))
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
        old_schema, new_schema = _json_schema(before), _json_schema(after)
        if old_schema and new_schema:
            self.schema(old_schema, new_schema, REQUEST, label, seen)

    def _responses(self, old: _Operation, new: _Operation, seen: set[tuple[str, str, str]]) -> None:
        label = old.label
        old_responses = _mapping(old.node.get("responses"))
        new_responses = _mapping(new.node.get("responses"))
        for status in sorted(old_responses.keys() | new_responses.keys()):
            old_at, new_at = child(old.pointer, "responses", status), child(new.pointer, "responses", status)
            before = _deref(self.old, old_responses.get(status), old_at) if status in old_responses else None
            after = _deref(self.new, new_responses.get(status), new_at) if status in new_responses else None
            success = status.startswith("2")
            if after is None and before is not None:
                self.changes.add("response-removed", RESPONSE, before.pointer, nearest(self.new, new_at), label, status=status, success=success)
            elif before is None and after is not None:
                self.changes.add("response-added", RESPONSE, nearest(self.old, old_at), after.pointer, label, status=status, success=success)
            elif before is not None and after is not None:
                old_schema, new_schema = _json_schema(before), _json_schema(after)
                if old_schema and new_schema:
                    self.schema(old_schema, new_schema, RESPONSE, label, seen)

    # --- schemas -------------------------------------------------------------------------------

    def schema(self, old: Located, new: Located, direction: str, label: str, seen: set[tuple[str, str, str]]) -> None:
        """Compare two schemas (and everything below them) as used in ``direction``."""
        before, after = self._view(self.old, old), self._view(self.new, new)
        key = (before.pointer, after.pointer, direction)
        if key in seen:
            return
        seen.add(key)
        found = _SchemaChanges(self.changes, direction, label, schema_label(self.new, after.pointer))
        if before.type_text and after.type_text and before.type_text != after.type_text:
            found.add("type-changed", before.at("type"), after.at("type"), old=before.type_text, new=after.type_text)
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
        new_variants = {variant.key: variant for variant in after.variants}
        for variant in before.variants:
            if variant.key in new_variants:
                self.schema(variant.schema, new_variants[variant.key].schema, direction, label, seen)

    def _view(self, registry: Registry, schema: Located) -> SchemaView:
        """Views are cached by pointer: a schema written at one place always reads the same."""
        key = (registry is self.old, schema.pointer)
        if key not in self._views:
            self._views[key] = view_of(registry, schema.node, schema.pointer)
        return self._views[key]


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
        old_variants = {variant.key: variant for variant in before.variants}
        new_variants = {variant.key: variant for variant in after.variants}
        for key in sorted(old_variants.keys() - new_variants.keys()):
            self.add("variant-removed", old_variants[key].schema.pointer, after.union_at or after.pointer, variant=_variant_label(key))
        for key in sorted(new_variants.keys() - old_variants.keys()):
            self.add("variant-added", before.union_at or before.pointer, new_variants[key].schema.pointer, variant=_variant_label(key))
        if before.discriminator and after.discriminator and before.discriminator != after.discriminator:
            self.add("discriminator-property-changed", before.at("discriminator"), after.at("discriminator"), old=before.discriminator, new=after.discriminator)
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
                self.add("discriminator-mapping-changed", child(old_at, tag), child(new_at, tag), tag=tag, old=_variant_label(old_target), new=_variant_label(new_target))


# --- reading the raw documents ---------------------------------------------------------------


def _operations(registry: Registry) -> dict[tuple[str, str], _Operation]:
    result: dict[tuple[str, str], _Operation] = {}
    for path, item in _mapping(registry.data.get("paths")).items():
        resolved = _deref(registry, item, child("/paths", path))
        if resolved is None:
            continue
        path_parameters = _parameter_objects(registry, resolved.node.get("parameters"), child(resolved.pointer, "parameters"))
        for method in HTTP_METHODS:
            node = resolved.node.get(method)
            if isinstance(node, dict):
                pointer = child(resolved.pointer, method)
                parameters = path_parameters | _parameter_objects(registry, node.get("parameters"), child(pointer, "parameters"))
                result[(path, method)] = _Operation(f"{method.upper()} {path}", pointer, parameters, node)
    return result


def _parameter_objects(registry: Registry, parameters: Any, pointer: str) -> dict[tuple[str, str], Located]:
    result: dict[tuple[str, str], Located] = {}
    for index, raw in enumerate(parameters if isinstance(parameters, list) else []):
        resolved = _deref(registry, raw, child(pointer, index))
        if resolved is not None:
            result.setdefault((str(resolved.node.get("in", "")), str(resolved.node.get("name", ""))), resolved)
    return result


def _parameter_required(parameter: dict[str, Any]) -> bool:
    return parameter.get("in") == "path" or parameter.get("required") is True


def _parameter_schema(parameter: Located) -> Located | None:
    if "schema" in parameter.node:
        return Located(parameter.node["schema"], child(parameter.pointer, "schema"))
    return _json_schema(parameter)


def _json_schema(holder: Located) -> Located | None:
    """The schema of the JSON media type of a request body, response or parameter (else the first one)."""
    content = _mapping(holder.node.get("content"))
    if not content:
        return None
    media_type = preferred_media_type(content)
    media = content[media_type]
    if not isinstance(media, dict) or "schema" not in media:
        return None
    return Located(media["schema"], child(holder.pointer, "content", media_type, "schema"))


def _deref(registry: Registry, node: Any, pointer: str) -> Located | None:
    resolved = registry.deref_mapping(node, pointer)
    return Located(resolved[1], resolved[0]) if resolved else None


def _mapping(value: Any) -> dict[str, Any]:
    return {str(key): item for key, item in value.items()} if isinstance(value, dict) else {}


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _variant_label(key: str) -> str:
    """``#/components/schemas/Foo`` -> ``Foo``; ``title:Foo`` -> ``Foo``; ``type:string`` -> ``string``."""
    if key.startswith("#/"):
        return unescape(key.rsplit("/", 1)[1])
    return key.split(":", 1)[-1]
