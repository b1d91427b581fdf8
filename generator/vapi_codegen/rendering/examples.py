"""Example calls for the emitted README: an operation called with example values of its required
arguments (a body as a dict of its required fields, the first variant of a union), when every one
of them can be written as a plain literal; the README's code blocks type-check with them."""

from __future__ import annotations

from collections.abc import Mapping

from vapi_codegen.model import ir
from vapi_codegen.rendering.pycode import PyCode, code, identifier, literal, string_literal

_MAX_DEPTH = 4  # nested required models followed this deep; deeper, the operation gets no example
_PRIMITIVE_EXAMPLES = {
    ir.PrimitiveKind.INT: PyCode("1"),
    ir.PrimitiveKind.FLOAT: PyCode("1.0"),
    ir.PrimitiveKind.BOOL: PyCode("True"),
    ir.PrimitiveKind.NONE: PyCode("None"),
}


def example_value(type_ref: ir.TypeRef, declarations: Mapping[str, ir.Declaration], hint: str, depth: int = 0) -> PyCode | None:
    """A literal of ``type_ref`` (a string holds ``hint``), or None when none can be written plainly."""
    if depth > _MAX_DEPTH:
        return None
    if isinstance(type_ref, ir.Primitive):
        return string_literal(hint) if type_ref.kind is ir.PrimitiveKind.STR else _PRIMITIVE_EXAMPLES.get(type_ref.kind)
    if isinstance(type_ref, ir.LiteralType):
        return literal(type_ref.values[0])
    if isinstance(type_ref, ir.AnyType):
        return string_literal(hint)
    if isinstance(type_ref, ir.Nullable):
        return example_value(type_ref.inner, declarations, hint, depth)
    if isinstance(type_ref, ir.ArrayType):
        return PyCode("[]")
    if isinstance(type_ref, ir.MapType):
        return PyCode("{}")
    if isinstance(type_ref, ir.UnionType):
        return next((v for v in (example_value(t, declarations, hint, depth) for t in type_ref.variants) if v), None)
    declaration = declarations.get(type_ref.name)
    if isinstance(declaration, ir.EnumDecl):
        return literal(declaration.members[0].value)
    if isinstance(declaration, ir.AliasDecl):
        return example_value(declaration.type, declarations, hint, depth + 1)
    if isinstance(declaration, ir.ModelDecl):
        return _example_object(declaration, declarations, depth)
    return None


def _example_object(model: ir.ModelDecl, declarations: Mapping[str, ir.Declaration], depth: int) -> PyCode | None:
    """The model's JSON object with its required fields (tags included)."""
    entries: list[PyCode] = []
    for decl in model.fields:
        if decl.read_only or not (decl.is_tag or (decl.required and decl.default is None)):
            continue
        value = example_value(decl.type, declarations, decl.json_name, depth + 1)
        if value is None:
            return None
        entries.append(code(string_literal(decl.json_name), ": ", value))
    return code("{", ", ".join(entries), "}")


def example_call(operation: ir.Operation, declarations: Mapping[str, ir.Declaration], raw: bool = False) -> PyCode | None:
    """``client.<group>.<method>(<required arguments>)`` (through ``with_raw_response`` when ``raw``),
    or None when an argument has no plain example."""
    path = sorted(
        (p for p in operation.parameters if p.location is ir.ParameterLocation.PATH),
        key=lambda p: operation.path.find("{" + p.json_name + "}"),
    )
    arguments: list[PyCode] = []
    for parameter in path:
        value = example_value(parameter.type, declarations, parameter.json_name)
        if value is None:
            return None
        arguments.append(value)
    if operation.body is not None and operation.body.required:
        body = example_value(operation.body.type, declarations, "value")
        if body is None:
            return None
        arguments.append(body)
    for parameter in operation.parameters:
        if parameter.location is not ir.ParameterLocation.PATH and parameter.required:
            value = example_value(parameter.type, declarations, parameter.json_name)
            if value is None:
                return None
            arguments.append(code(identifier(parameter.name), "=", value))
    via = ".with_raw_response." if raw else "."
    target = code("client.", identifier(operation.names.group), via, identifier(operation.names.method))
    return code(target, "(", ", ".join(arguments), ")")
