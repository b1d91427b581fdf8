"""Schemas -> intermediate model: one method per schema kind, every ``$ref`` through the registry."""

from __future__ import annotations

import re
from typing import Any

from vapi_codegen.model import ir
from vapi_codegen.diagnostics import Diagnostics
from vapi_codegen.naming.identifiers import pascal_case
from vapi_codegen.model.patterns import python_can_run, python_max_length, rust_can_run
from vapi_codegen.normalising.normaliser import Normaliser
from vapi_codegen.normalising.nullability import has_nullable_keyword, read_nullability
from vapi_codegen.normalising.refs import Registry, child
from vapi_codegen.normalising.schema_facts import COMPOSITE_KEYS, description, is_object_schema, mapping_field
from vapi_codegen.model.unions import UnionBuilder

_Kind = ir.PrimitiveKind
_PRIMITIVES = {"string": _Kind.STR, "integer": _Kind.INT, "number": _Kind.FLOAT, "boolean": _Kind.BOOL, "null": _Kind.NONE}
_JS_REGEX_LITERAL = re.compile(r"/(.+)/([dgimsuvy]*)", re.DOTALL)
_STRING_FORMATS = {"date-time": _Kind.DATETIME, "date": _Kind.DATE, "time": _Kind.TIME, "binary": _Kind.BYTES}


class SchemaParser:
    """Turns JSON schemas into declarations and type references."""

    def __init__(self, normaliser: Normaliser, diagnostics: Diagnostics):
        self.normaliser = normaliser
        self.registry = normaliser.registry
        self.diagnostics = diagnostics
        self.declarations: dict[str, ir.Declaration] = {}
        # (model name, JSON property) -> tags the variant must accept, from discriminated unions
        self.tag_requests: dict[tuple[str, str], list[Any]] = {}
        self._expanding: set[str] = set()
        # Named schemas met through a $ref are declared later, from this queue: declaring them on
        # the spot would recurse as deep as the longest $ref chain (thousands in huge specs).
        self._pending: list[tuple[str, Any]] = []
        # Defaults are read once every declaration exists (an enum default needs its enum).
        self._pending_defaults: list[tuple[ir.FieldDecl, Any, str]] = []
        self.unions = UnionBuilder(self)

    # --- entry points ----------------------------------------------------------------------------

    def declare_named(self, pointer: str, schema: Any) -> str:
        """Declare the named schema at ``pointer`` (a component or ``$defs`` entry); returns its name."""
        name = self.registry.name_for(pointer, pointer.rsplit("/", 1)[1])
        if name in self.declarations or pointer in self._expanding:
            return name
        self._expanding.add(pointer)
        try:
            self._declare(name, pointer, schema)
        finally:
            self._expanding.discard(pointer)
        return name

    def finish(self) -> None:
        """Declare the named schemas referenced so far, then read the fields' defaults."""
        while self._pending:
            self.declare_named(*self._pending.pop())
        for decl, schema, pointer in self._pending_defaults:
            decl.default = self.default_of(schema, decl.type, pointer)
        self._pending_defaults.clear()

    def _declare(self, name: str, pointer: str, schema: Any) -> None:
        doc = description(schema)
        schema = self._scalar_values_only(schema, pointer)
        if is_object_schema(schema):
            self.build_model(name, schema, pointer)
        elif isinstance(schema, dict) and "enum" in schema and schema.get("type") != "array" and _enum_values(schema):
            self.build_enum(name, schema, pointer)
        else:
            self.declarations[name] = ir.AliasDecl(name, pointer, ir.AnyType(), doc)
            alias_type = self.type_of(schema, pointer, name, titled=False)
            self.declarations[name] = ir.AliasDecl(name, pointer, alias_type, doc)

    def named_type_of(self, schema: Any, pointer: str, hint: str) -> ir.TypeRef:
        """``type_of``, with an anonymous union (say, a request body) named ``hint``, so users can import it."""
        type_ref = self.type_of(schema, pointer, hint)
        if not isinstance(type_ref, ir.UnionType):
            return type_ref
        name = self.registry.name_for(pointer, hint)
        self.declarations[name] = ir.AliasDecl(name, pointer, type_ref)
        return ir.Ref(name)

    # --- dispatch --------------------------------------------------------------------------------

    def type_of(self, schema: Any, pointer: str, hint: str, titled: bool = True) -> ir.TypeRef:
        """The type reference for a schema found at ``pointer``; ``hint`` names inline declarations."""
        if schema is True or schema == {} or schema is None:
            return ir.AnyType()
        if not isinstance(schema, dict):
            self.diagnostics.warn(pointer, "schema is not an object; any value is accepted")
            return ir.AnyType()
        result = self.ref_type(schema["$ref"], child(pointer, "$ref")) if "$ref" in schema else self._inline_type(schema, pointer, hint, titled)
        if has_nullable_keyword(schema) and not isinstance(result, (ir.Nullable, ir.AnyType)):
            result = ir.Nullable(result)
        return result

    def _inline_type(self, schema: dict[str, Any], pointer: str, hint: str, titled: bool) -> ir.TypeRef:
        schema = self._scalar_values_only(schema, pointer)
        declared = schema.get("type")
        if not isinstance(declared, (str, list, type(None))):
            self.diagnostics.warn(child(pointer, "type"), "`type` is not a type name; any value is accepted")
            return ir.AnyType()
        if isinstance(declared, list):
            return self._type_list(schema, pointer, hint)
        if "const" in schema:
            return ir.LiteralType((schema["const"],))
        if "enum" in schema:
            return self.enum_type(schema, pointer, hint)
        for key in COMPOSITE_KEYS:
            if key in schema:
                return self.unions.union_type(schema, key, pointer, hint, titled)
        if "allOf" in schema and not is_object_schema(schema):
            parts = schema["allOf"]
            if isinstance(parts, list) and len(parts) == 1:
                return self.type_of(parts[0], child(pointer, "allOf", 0), hint)
            if isinstance(parts, list) and not parts:
                return ir.AnyType()
        if is_object_schema(schema) or declared == "object" or "properties" in schema:
            return self.object_type(schema, pointer, hint)
        if declared == "array" or (declared is None and "items" in schema):
            return self.array_type(schema, pointer, hint)
        if declared is None and "additionalProperties" in schema:
            return self.object_type(schema, pointer, hint)
        if declared in _PRIMITIVES:
            return self.primitive_type(schema, declared, pointer)
        if declared is None:
            return ir.AnyType()
        self.diagnostics.warn(child(pointer, "type"), f"unknown type {declared!r}; any value is accepted")
        return ir.AnyType()

    def _type_list(self, schema: dict[str, Any], pointer: str, hint: str) -> ir.TypeRef:
        """OpenAPI 3.1 ``type: [a, b, "null"]``."""
        nullability = read_nullability(schema)
        variants = [self._inline_type({**schema, "type": t}, pointer, hint, True) for t in nullability.types]
        if not variants:
            inner: ir.TypeRef = ir.Primitive(ir.PrimitiveKind.NONE)
        elif len(variants) == 1:
            inner = variants[0]
        else:
            inner = ir.UnionType(tuple(variants))
        return ir.Nullable(inner) if nullability.in_type and variants else inner

    def _scalar_values_only(self, schema: Any, pointer: str) -> Any:
        """``schema`` without an ``enum`` or ``const`` that holds arrays or objects (a ``Literal`` cannot
        hold them): the declared type is used instead, with a warning."""
        if not isinstance(schema, dict):
            return schema
        structured = _structured_value_keywords(schema)
        for key in structured:
            self.diagnostics.warn(child(pointer, key), f"{key} values that are arrays or objects are not enforced; the declared type is used")
        return {k: v for k, v in schema.items() if k not in structured} if structured else schema

    # --- kinds -----------------------------------------------------------------------------------

    def ref_type(self, ref: Any, at: str) -> ir.TypeRef:
        resolved = self.registry.resolve_ref(ref, at)
        if resolved is None:
            return ir.AnyType()
        pointer, target = resolved
        if Registry.is_named_pointer(pointer):
            name = self.registry.name_for(pointer, pointer.rsplit("/", 1)[1])
            if name not in self.declarations:
                self._pending.append((pointer, target))
            return ir.Ref(name)
        if pointer in self._expanding:
            self.diagnostics.warn(at, "recursive reference to an unnamed schema; any value is accepted there")
            return ir.AnyType()
        self._expanding.add(pointer)
        try:
            return self.type_of(target, pointer, pascal_case(pointer.rsplit("/", 1)[1]) or "Schema")
        finally:
            self._expanding.discard(pointer)

    def primitive_type(self, schema: dict[str, Any], declared: str, pointer: str) -> ir.TypeRef:
        kind = _PRIMITIVES[declared]
        if kind is _Kind.STR:
            kind = _STRING_FORMATS.get(str(schema.get("format")), _Kind.STR)
        return ir.Primitive(kind, self.constraints(schema, kind, pointer))

    def constraints(self, schema: dict[str, Any], kind: ir.PrimitiveKind, pointer: str) -> ir.Constraints:
        values: dict[str, Any] = {}
        if kind is _Kind.STR:
            values.update(_length_bounds(schema, "minLength", "maxLength"))
            pattern = schema.get("pattern")
            if isinstance(pattern, str):
                values.update(self._pattern_constraints(pattern, values, child(pointer, "pattern")))
        if kind in (_Kind.INT, _Kind.FLOAT):
            values.update(_numeric_bounds(schema))
        return ir.constraints_of(values)

    def _pattern_constraints(self, pattern: str, lengths: dict[str, Any], pointer: str) -> dict[str, Any]:
        """The constraints enforcing ``pattern``, given the string's length bounds.

        A pattern pydantic's linear-time Rust engine runs alike is a ``pattern``; one only Python's
        backtracking ``re`` runs is a ``python_pattern`` with ``max_length`` capped, so a request
        can only keep it busy for a bounded time (with a warning); one neither runs is not enforced.
        """
        pattern = self._unwrap_javascript(pattern, pointer)
        if rust_can_run(pattern):
            return {"pattern": pattern}
        if not python_can_run(pattern):
            self.diagnostics.warn(pointer, "pattern is not a valid regular expression for Python; it is not enforced")
            return {}
        max_length = python_max_length(lengths.get("min_length"), lengths.get("max_length"))
        self.diagnostics.warn(
            pointer,
            "pattern is beyond pydantic's linear-time regex engine (lookaround, backreference, ...); "
            f"it is checked with Python's re, on strings of at most {max_length} characters",
        )
        return {"python_pattern": pattern, "max_length": max_length}

    def _unwrap_javascript(self, pattern: str, pointer: str) -> str:
        """The pattern without the slashes of a JavaScript literal (``/^[a-z]+$/u``, as Vapi writes them)."""
        literal = _JS_REGEX_LITERAL.fullmatch(pattern)
        if not literal:
            return pattern
        body, flags = literal.groups()
        inline = "".join(flag for flag in "ims" if flag in flags)
        self.diagnostics.warn(pointer, "pattern is written as a JavaScript regex literal (/.../flags); read without the slashes")
        return f"(?{inline}){body}" if inline else body

    def array_type(self, schema: dict[str, Any], pointer: str, hint: str) -> ir.TypeRef:
        items = schema.get("items", {})
        items_pointer = child(pointer, "items")
        if _is_free_form_object(items) and _example_has_non_objects(schema.get("example")):
            self.diagnostics.warn(items_pointer, "items are declared `type: object` but the example holds other values; any item is accepted")
            item_type: ir.TypeRef = ir.AnyType()
        else:
            item_type = self.type_of(items, items_pointer, hint + "Item")
        return ir.ArrayType(item_type, ir.constraints_of(_length_bounds(schema, "minItems", "maxItems")))

    def object_type(self, schema: dict[str, Any], pointer: str, hint: str) -> ir.TypeRef:
        if is_object_schema(schema):
            name, is_new = self.registry.shared_name(pointer, hint, schema)
            if is_new:
                self.build_model(name, schema, pointer)
            return ir.Ref(name)
        extra = schema.get("additionalProperties", True)
        if isinstance(extra, dict) and extra:
            return ir.MapType(self.type_of(extra, child(pointer, "additionalProperties"), hint + "Value"))
        if _example_has_non_objects([schema.get("example")]) and "example" in schema:
            self.diagnostics.warn(pointer, "declared `type: object` but the example is not an object; any value is accepted")
            return ir.AnyType()
        return ir.MapType(ir.AnyType())

    def enum_type(self, schema: dict[str, Any], pointer: str, hint: str) -> ir.TypeRef:
        values = _enum_values(schema)
        declared = schema.get("type")
        if declared == "array":
            items = mapping_field(schema, "items")
            if values and "enum" not in items and "$ref" not in items:
                items = {**items, "enum": values}
            return self.array_type({**schema, "items": items}, pointer, hint)
        if not values:
            self.diagnostics.warn(child(pointer, "enum"), "empty enum ignored; the declared type is used")
            rest = {k: v for k, v in schema.items() if k != "enum"}
            return self._inline_type(rest, pointer, hint, True)
        if len(values) == 1:
            result: ir.TypeRef = ir.LiteralType((values[0],))
        elif _enum_value_type(values) is None:
            result = ir.LiteralType(tuple(values))
        else:
            name, is_new = self.registry.shared_name(pointer, hint, schema)
            if is_new:
                self.build_enum(name, schema, pointer)
            result = ir.Ref(name)
        return ir.Nullable(result) if read_nullability(schema).in_enum else result

    # --- declarations ----------------------------------------------------------------------------

    def build_enum(self, name: str, schema: dict[str, Any], pointer: str) -> None:
        """Declare an enum class (a literal alias when the values are neither all strings nor all ints)."""
        values = _enum_values(schema)
        value_type = _enum_value_type(values)
        declared = schema.get("type")
        if value_type is _Kind.STR and declared not in (None, "string"):
            self.diagnostics.warn(child(pointer, "type"), f"`type: {declared}` with a string enum is read as a string enum")
        if value_type is None:
            self.declarations[name] = ir.AliasDecl(name, pointer, ir.LiteralType(tuple(values)), description(schema))
            return
        members = [ir.EnumMember(value) for value in values]
        self.declarations[name] = ir.EnumDecl(name, pointer, value_type, members, description(schema))

    def build_model(self, name: str, schema: dict[str, Any], pointer: str) -> None:
        """Declare a model class from an object schema, its ``allOf`` parts merged in."""
        model = ir.ModelDecl(name, pointer, description(schema))
        self.declarations[name] = model  # registered first so recursive references resolve
        self.unions.check_mapping(schema, pointer)
        merged = self.normaliser.merged(schema, pointer)
        for json_name, prop in merged.properties.items():
            decl = ir.FieldDecl(
                json_name=json_name,
                type=self.type_of(prop.node, prop.pointer, name + pascal_case(json_name)),
                required=json_name in merged.required,
                description=description(prop.node),
                read_only=isinstance(prop.node, dict) and prop.node.get("readOnly") is True,
            )
            model.fields.append(decl)
            self._pending_defaults.append((decl, prop.node, prop.pointer))
        for missing in sorted(merged.required - set(merged.properties)):
            self.diagnostics.warn(child(pointer, "required"), f"required property {missing!r} is not defined; ignored")
        model.forbid_extra = schema.get("additionalProperties") is False

    def default_of(self, schema: Any, field_type: ir.TypeRef, pointer: str) -> ir.Default | None:
        """The schema's default, converted to the field's type; None (with a warning) when it does not fit."""
        if not isinstance(schema, dict) or "default" not in schema:
            return None
        value = schema["default"]
        coerced = _coerce_default(value, ir.resolve_alias(self.declarations, field_type), self.declarations)
        if coerced is _REJECT:
            self.diagnostics.warn(child(pointer, "default"), f"default {value!r} does not fit the declared type; ignored")
            return None
        if coerced != value or type(coerced) is not type(value):
            self.diagnostics.warn(child(pointer, "default"), f"default {value!r} read as {coerced!r}")
        return ir.Default(coerced)


_REJECT = object()


def _coerce_default(value: Any, field_type: ir.TypeRef, declarations: dict[str, ir.Declaration]) -> Any:
    """The default converted to the field's type, or _REJECT when it cannot be."""
    if isinstance(field_type, ir.Nullable):
        return None if value is None else _coerce_default(value, field_type.inner, declarations)
    if isinstance(field_type, ir.AnyType):
        return value
    if isinstance(field_type, ir.Primitive):
        return _coerce_primitive(value, field_type.kind)
    if isinstance(field_type, ir.LiteralType):
        return value if value in field_type.values else _REJECT
    if isinstance(field_type, ir.Ref):
        declaration = declarations.get(field_type.name)
        if isinstance(declaration, ir.EnumDecl):
            return value if value in [m.value for m in declaration.members] else _REJECT
        return _REJECT if isinstance(declaration, ir.ModelDecl) else value
    if isinstance(field_type, ir.ArrayType):
        return value if isinstance(value, list) else _REJECT
    if isinstance(field_type, ir.MapType):
        return value if isinstance(value, dict) else _REJECT
    return _REJECT


def _coerce_primitive(value: Any, kind: ir.PrimitiveKind) -> Any:
    try:
        if kind is _Kind.INT:
            if isinstance(value, bool):
                return _REJECT
            if isinstance(value, float) and value.is_integer():
                return int(value)
            return int(value) if isinstance(value, (int, str)) else _REJECT
        if kind is _Kind.FLOAT:
            if isinstance(value, bool):
                return _REJECT
            return value if isinstance(value, (int, float)) else float(value) if isinstance(value, str) else _REJECT
        if kind is _Kind.BOOL:
            if isinstance(value, bool):
                return value
            return {"true": True, "false": False}.get(str(value).lower(), _REJECT)
        if kind is _Kind.STR:
            return value if isinstance(value, str) else _REJECT
    except (TypeError, ValueError):
        return _REJECT
    return value if isinstance(value, str) else _REJECT


def _length_bounds(schema: dict[str, Any], minimum_key: str, maximum_key: str) -> dict[str, Any]:
    """``min_length``/``max_length`` from a schema's integer length keywords (of a string or an array)."""
    keys = ((minimum_key, "min_length"), (maximum_key, "max_length"))
    return {name: schema[key] for key, name in keys if isinstance(schema.get(key), int) and not isinstance(schema.get(key), bool)}


def _numeric_bounds(schema: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    number = (int, float)
    minimum, maximum = schema.get("minimum"), schema.get("maximum")
    ex_min, ex_max = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if isinstance(minimum, number) and not isinstance(minimum, bool):
        values["gt" if ex_min is True else "ge"] = minimum
    if isinstance(maximum, number) and not isinstance(maximum, bool):
        values["lt" if ex_max is True else "le"] = maximum
    if isinstance(ex_min, number) and not isinstance(ex_min, bool):
        values["gt"] = ex_min
    if isinstance(ex_max, number) and not isinstance(ex_max, bool):
        values["lt"] = ex_max
    multiple = schema.get("multipleOf")
    if isinstance(multiple, number) and not isinstance(multiple, bool) and multiple > 0:
        values["multiple_of"] = multiple
    return values


def _enum_values(schema: dict[str, Any]) -> list[Any]:
    values = schema.get("enum")
    if not isinstance(values, list):
        return []
    unique: list[Any] = []
    for value in values:
        if value is not None and value not in unique:
            unique.append(value)
    return unique


def _structured_value_keywords(schema: dict[str, Any]) -> list[str]:
    """Which of the schema's ``enum`` and ``const`` hold an array or an object."""
    found = []
    enum = schema.get("enum")
    if isinstance(enum, list) and any(isinstance(value, (dict, list)) for value in enum):
        found.append("enum")
    if isinstance(schema.get("const"), (dict, list)):
        found.append("const")
    return found


def _enum_value_type(values: list[Any]) -> ir.PrimitiveKind | None:
    if values and all(isinstance(v, str) for v in values):
        return _Kind.STR
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return _Kind.INT
    return None


def _is_free_form_object(schema: Any) -> bool:
    return (
        isinstance(schema, dict)
        and schema.get("type") == "object"
        and not any(k in schema for k in ("properties", "additionalProperties", "allOf", "oneOf", "anyOf", "$ref", "enum"))
    )


def _example_has_non_objects(example: Any) -> bool:
    return isinstance(example, list) and any(not isinstance(item, dict) for item in example)
