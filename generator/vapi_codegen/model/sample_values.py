"""The smallest plausible value of a type of the intermediate model: what the mock puts in a required
field the server owns and a create body lacks, and what tests send as a minimal request body.

Defaults come first, then the first value of an enum or literal, then one per format and kind that
meets the declared bounds (``minLength``, ``minimum``, ``minItems``); a model gets its required fields
only, a tagged union its first tag's variant, with the tag set. A pattern is not considered: a value
may not match it. Recursion stops at ``MAX_DEPTH`` (or at a model already being sampled) with ``{}``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from vapi_codegen.model import ir

MAX_DEPTH = 8
TEXT = "sample"
_Kind = ir.PrimitiveKind
_FIXED = {
    _Kind.DATETIME: "2024-01-01T00:00:00Z",
    _Kind.DATE: "2024-01-01",
    _Kind.TIME: "00:00:00",
    _Kind.BOOL: False,
    _Kind.NONE: None,
}


def sample_value(declarations: Mapping[str, ir.Declaration], type_ref: ir.TypeRef, *, binary: bool = False) -> Any:
    """A minimal value of ``type_ref``; ``binary`` gives ``bytes`` for binary strings (a multipart
    body), else they are text (JSON has no bytes)."""
    return _Sampler(declarations, binary).value(type_ref, (), 0)


class _Sampler:
    def __init__(self, declarations: Mapping[str, ir.Declaration], binary: bool) -> None:
        self.declarations = declarations
        self.binary = binary

    def value(self, type_ref: ir.TypeRef, seen: tuple[str, ...], depth: int) -> Any:
        if isinstance(type_ref, ir.Nullable):
            return self.value(type_ref.inner, seen, depth)
        if isinstance(type_ref, ir.Primitive):
            return self.primitive(type_ref)
        if isinstance(type_ref, ir.LiteralType):
            return type_ref.values[0] if type_ref.values else None
        if isinstance(type_ref, ir.ArrayType):
            count = type_ref.constraints.min_length or 0
            return [self.value(type_ref.items, seen, depth + 1) for _ in range(count)]
        if isinstance(type_ref, ir.UnionType):
            return self.union(type_ref, seen, depth)
        if isinstance(type_ref, ir.Ref):
            return self.declared(type_ref.name, seen, depth)
        return {}  # a map, or any value

    def primitive(self, primitive: ir.Primitive) -> Any:
        kind, bounds = primitive.kind, primitive.constraints
        if kind in _FIXED:
            return _FIXED[kind]
        if kind is _Kind.BYTES:
            return TEXT.encode() if self.binary else TEXT
        if kind in (_Kind.INT, _Kind.FLOAT):
            return _number(bounds, kind is _Kind.INT)
        length = max(bounds.min_length or 0, len(TEXT))
        text = (TEXT * (length // len(TEXT) + 1))[:length]
        return text if bounds.max_length is None else text[: bounds.max_length]

    def union(self, union: ir.UnionType, seen: tuple[str, ...], depth: int) -> Any:
        if union.discriminator and union.tags:
            tag, variant = union.tags[0]
            value = self.declared(variant, seen, depth)
            return {**value, union.discriminator: tag} if isinstance(value, dict) else value
        variants = [v for v in union.variants if not (isinstance(v, ir.Primitive) and v.kind is _Kind.NONE)]
        return self.value(variants[0], seen, depth) if variants else None

    def declared(self, name: str, seen: tuple[str, ...], depth: int) -> Any:
        declaration = self.declarations.get(name)
        if isinstance(declaration, ir.EnumDecl):
            return declaration.members[0].value if declaration.members else None
        if isinstance(declaration, ir.AliasDecl):
            return self.value(declaration.type, seen, depth) if name not in seen else {}
        if not isinstance(declaration, ir.ModelDecl) or name in seen or depth > MAX_DEPTH:
            return {}
        inner = (*seen, name)
        return {
            f.json_name: f.default.value if f.default is not None else self.value(f.type, inner, depth + 1)
            for f in declaration.fields
            if f.required
        }


def _number(bounds: ir.Constraints, integer: bool) -> int | float:
    """0, or the nearest value the bounds allow."""
    value: float = 0
    if bounds.ge is not None:
        value = max(value, bounds.ge)
    if bounds.gt is not None and value <= bounds.gt:
        value = math.floor(bounds.gt) + 1 if integer else bounds.gt + 1
    if bounds.le is not None:
        value = min(value, bounds.le)
    if bounds.lt is not None and value >= bounds.lt:
        value = math.ceil(bounds.lt) - 1 if integer else bounds.lt - 1
    return math.ceil(value) if integer else float(value)
