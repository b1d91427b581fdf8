"""Fallback models: what a tagged union parses a tag the package does not know into (leniently).

Each named tagged union that a response can hold gets one, ``Unknown<Union>``: a model deriving from
``UnknownVariant`` that declares the fields every variant declares, so code reading such a field
(``number.created_at``) type-checks on the union without narrowing it first. The tag is a plain
``str`` (or ``int``) there; a field is required when every variant requires it, and its type is the
variants' types (their union when they differ), without constraints: the fallback is lenient.
"""

from __future__ import annotations

from dataclasses import replace

from vapi_codegen.model import ir
from vapi_codegen.normalising.refs import Registry, child


def add_union_fallbacks(declarations: dict[str, ir.Declaration], operations: list[ir.Operation], registry: Registry) -> None:
    """Declare the fallback model of every tagged union alias reachable from a response."""
    reachable = ir.reachable(declarations, [r.type for op in operations for r in op.responses if r.type is not None])
    for alias in sorted((d for d in declarations.values() if isinstance(d, ir.AliasDecl)), key=lambda d: d.pointer):
        union = alias.type
        if alias.name not in reachable or not isinstance(union, ir.UnionType) or union.discriminator is None:
            continue
        variants = [declarations.get(v.name) for v in union.variants if isinstance(v, ir.Ref)]
        models = [v for v in variants if isinstance(v, ir.ModelDecl)]
        if len(models) != len(union.variants):
            continue
        name = registry.fresh_name("Unknown" + alias.name)
        doc = f"A {alias.name} whose {union.discriminator!r} this package does not know (parsed leniently)."
        fields = _shared_fields(models, union)
        declarations[name] = ir.ModelDecl(name, child(alias.pointer, "discriminator"), doc, fields, fallback_of=alias.name)
        alias.type = replace(union, fallback=name)


def _shared_fields(models: list[ir.ModelDecl], union: ir.UnionType) -> list[ir.FieldDecl]:
    shared: list[ir.FieldDecl] = []
    for first in models[0].fields:
        decls = [model.field_by_json(first.json_name) for model in models]
        present = [d for d in decls if d is not None]
        if len(present) != len(models):
            continue
        if first.json_name == union.discriminator:
            kind = ir.PrimitiveKind.INT if all(isinstance(tag, int) for tag, _ in union.tags) else ir.PrimitiveKind.STR
            shared.append(ir.FieldDecl(first.json_name, ir.Primitive(kind), required=True, is_tag=True))
            continue
        types: list[ir.TypeRef] = []
        for decl in present:
            loose = _unconstrained(decl.type)
            if loose not in types:
                types.append(loose)
        descriptions = {d.description for d in present}
        shared.append(
            ir.FieldDecl(
                first.json_name,
                types[0] if len(types) == 1 else ir.UnionType(tuple(types)),
                required=all(d.required for d in present),
                description=first.description if len(descriptions) == 1 else None,
            )
        )
    return shared


def _unconstrained(type_ref: ir.TypeRef) -> ir.TypeRef:
    if isinstance(type_ref, ir.Nullable):
        return ir.Nullable(_unconstrained(type_ref.inner))
    if isinstance(type_ref, (ir.Primitive, ir.ArrayType)):
        return replace(type_ref, constraints=ir.NO_CONSTRAINTS)
    return type_ref
