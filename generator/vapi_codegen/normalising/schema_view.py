"""A flat view of one schema: ``$ref``s followed, ``allOf`` parts merged, nullability read, every keyword located.

The merge follows ``all_of``'s precedence rule (the later part wins, the schema's own keywords win over
all parts); nullability is read by ``nullability`` from the merged keywords, plus a ``nullable: true``
written beside the ``$ref`` the view starts from (the generator honours it there too).

Three spellings read as the simpler schema they mean, so that rewriting one into the other changes nothing:

- a union with one member that is not null (``oneOf: [{type: null}, $ref: X]``) is that member, nullable;
- a union of constants (``oneOf: [{const: 1, title: A}, {const: 2, title: B}]``) is an ``enum``;
- ``const: x`` is ``enum: [x]``; the values of a schema are those every ``enum`` of it and of its
  ``allOf`` parts allows (``{allOf: [$ref: Kind], enum: [4]}`` allows only 4).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vapi_codegen.normalising.all_of import MergedSchema, merge_all_of
from vapi_codegen.normalising.located import Located
from vapi_codegen.normalising.nullability import has_nullable_keyword, is_null_schema, non_null_members, read_nullability, union_keyword
from vapi_codegen.normalising.refs import Registry, child

UPPER_BOUNDS = ("maxLength", "maxItems", "maxProperties", "maximum", "exclusiveMaximum")
LOWER_BOUNDS = ("minLength", "minItems", "minProperties", "minimum", "exclusiveMinimum")


@dataclass
class SchemaView:
    pointer: str  # where the schema read is written ($refs followed; a collapsed union's member)
    place: str = ""  # where the view was asked for: the property, item or body holding the schema
    types: frozenset[str] = frozenset()  # declared types other than "null"; {"object"} for bare properties
    format: str | None = None
    nullable: bool = False
    read_only: bool = False
    write_only: bool = False
    enum: list[Any] | None = None  # the non-null values; None without any
    properties: dict[str, Located] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    forbids_extra: bool = False
    extra_schema: Located | None = None  # additionalProperties as a schema (a map's values)
    items: Located | None = None
    variants: list[Located] = field(default_factory=list)  # the oneOf/anyOf members that are not null
    union_at: str | None = None  # pointer of the oneOf/anyOf list
    discriminator: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    bounds: dict[str, float] = field(default_factory=dict)  # numeric bounds and multipleOf
    pattern: str | None = None
    default: Any = None
    has_default: bool = False
    where: dict[str, str] = field(default_factory=dict)  # keyword -> pointer of the schema holding it

    @property
    def accepts_anything(self) -> bool:
        """Whether the schema constrains nothing (``{}``, a description only): null included."""
        shaped = (self.types, self.enum, self.properties, self.required, self.items, self.extra_schema, self.variants)
        return not (any(shaped) or self.forbids_extra)

    def at(self, keyword: str) -> str:
        """The pointer of ``keyword`` in this schema (of the schema itself when it is absent)."""
        return child(self.where[keyword], keyword) if keyword in self.where else self.pointer


# keywords that say nothing about which values are valid
ANNOTATIONS = frozenset(
    {"title", "description", "example", "examples", "deprecated", "externalDocs", "xml", "$comment", "readOnly", "writeOnly", "nullable"}
)


def view_of(registry: Registry, node: Any, pointer: str) -> SchemaView:
    """The flat view of the schema ``node`` written at ``pointer``."""
    resolved = registry.deref(node, pointer)
    if resolved is None or not isinstance(resolved[1], dict):
        return SchemaView(pointer=resolved[0] if resolved else pointer, place=pointer)
    merged = merge_all_of(registry, resolved[1], resolved[0])
    nullability = read_nullability(merged.keywords)
    member = _sole_member(merged)
    if member is not None:
        view = view_of(registry, member.node, member.pointer)
        view.place = pointer
        view.nullable = view.nullable or nullability.nullable or has_nullable_keyword(node)
        view.read_only |= merged.keywords.get("readOnly") is True
        view.write_only |= merged.keywords.get("writeOnly") is True
        return view
    view = SchemaView(pointer=merged.pointer, place=pointer, properties=merged.properties, required=merged.required, where=merged.where)
    view.nullable = nullability.nullable or has_nullable_keyword(node)
    view.read_only, view.write_only = merged.keywords.get("readOnly") is True, merged.keywords.get("writeOnly") is True
    view.types = frozenset(str(t) for t in nullability.types)
    if not view.types and "properties" in merged.where:
        view.types = frozenset({"object"})
    constants = _constant_union(merged)
    _read_values(view, merged, constants)
    _read_containers(view, merged)
    if constants is None:
        _read_union(view, merged)
    return view


def _sole_member(merged: MergedSchema) -> Located | None:
    """The one non-null member of a union that only adds null to it (nothing else said beside the union)."""
    keyword = union_keyword(merged.keywords)
    members = merged.keywords.get(keyword) if keyword else None
    if keyword is None or not isinstance(members, list) or merged.properties:
        return None
    others = {key for key in merged.keywords if key not in ANNOTATIONS and not key.startswith("x-")} - {keyword, "type"}
    real = non_null_members(members)
    if others or len(real) != 1:
        return None
    index, member = real[0]
    return Located(member, child(merged.where[keyword], keyword, index))


def _constant_union(merged: MergedSchema) -> list[Any] | None:
    """The values of a union whose every member is one constant (``{const: 1, title: ...}``), else None."""
    members = merged.keywords.get(union_keyword(merged.keywords) or "")
    if not isinstance(members, list) or not members:
        return None
    values: list[Any] = []
    for member in members:
        if is_null_schema(member):
            continue
        value = _constant(member)
        if value is _NOT_CONSTANT:
            return None
        values.append(value)
    return values or None


_NOT_CONSTANT = object()


def _constant(member: Any) -> Any:
    """The one value a union member allows, or _NOT_CONSTANT."""
    if not isinstance(member, dict) or set(member) - ANNOTATIONS - {"const", "enum", "type", "format"}:
        return _NOT_CONSTANT
    if "const" in member:
        return member["const"]
    enum = member.get("enum")
    return enum[0] if isinstance(enum, list) and len(enum) == 1 else _NOT_CONSTANT


def _read_values(view: SchemaView, merged: MergedSchema, constants: list[Any] | None) -> None:
    keywords = merged.keywords
    if isinstance(keywords.get("format"), str):
        view.format = keywords["format"]
    allowed = _intersection(merged.value_sets + ([constants] if constants is not None else []))
    if allowed is not None:
        values = [value for value in allowed if value is not None]
        view.enum = values if values or not allowed else None  # [] when the sets leave no value; None for a null-only enum
    for keyword in UPPER_BOUNDS + LOWER_BOUNDS + ("multipleOf",):
        value = keywords.get(keyword)
        # OpenAPI 3.0 writes exclusiveMinimum/Maximum as booleans; only numeric bounds are compared
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            view.bounds[keyword] = value
    if isinstance(keywords.get("pattern"), str):
        view.pattern = keywords["pattern"]
    if "default" in keywords:
        view.default, view.has_default = keywords["default"], True


def _read_containers(view: SchemaView, merged: MergedSchema) -> None:
    items, extra = merged.keywords.get("items"), merged.keywords.get("additionalProperties")
    if isinstance(items, (dict, bool)):
        view.items = Located(items, child(merged.where["items"], "items"))
    if extra is False:
        view.forbids_extra = True
    elif isinstance(extra, dict):
        view.extra_schema = Located(extra, child(merged.where["additionalProperties"], "additionalProperties"))


def _read_union(view: SchemaView, merged: MergedSchema) -> None:
    keyword = union_keyword(merged.keywords)
    members = merged.keywords.get(keyword) if keyword else None
    if keyword and isinstance(members, list):
        view.union_at = child(merged.where[keyword], keyword)
        view.variants = [Located(member, child(view.union_at, index)) for index, member in non_null_members(members)]
    discriminator = merged.keywords.get("discriminator")
    if isinstance(discriminator, dict):
        view.discriminator = str(discriminator.get("propertyName"))
        mapping = discriminator.get("mapping")
        view.mapping = {str(tag): str(target) for tag, target in (mapping.items() if isinstance(mapping, dict) else [])}


def _intersection(value_sets: list[list[Any]]) -> list[Any] | None:
    """The values every set allows, in the order of the first; None without any set."""
    if not value_sets:
        return None
    keys = [{_value_key(value) for value in values} for values in value_sets[1:]]
    return [value for value in value_sets[0] if all(_value_key(value) in allowed for allowed in keys)]


def _value_key(value: Any) -> str:
    return f"{type(value).__name__}:{value!r}"
