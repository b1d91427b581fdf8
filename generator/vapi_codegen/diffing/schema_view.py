"""A flat view of one JSON schema: $refs followed and ``allOf`` members merged, every keyword located.

The comparison works on these views so that ``{allOf: [$ref: Server], description: ...}`` and
``$ref: Server`` look the same, and every reported change can name the pointer of the keyword.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vapi_codegen.normalising.refs import Registry, child

UPPER_BOUNDS = ("maxLength", "maxItems", "maxProperties", "maximum", "exclusiveMaximum")
LOWER_BOUNDS = ("minLength", "minItems", "minProperties", "minimum", "exclusiveMinimum")
_MAX_ALLOF_DEPTH = 20


@dataclass
class Located:
    """A sub-schema and the pointer where it is written."""

    node: Any
    pointer: str


@dataclass
class Variant:
    """One member of a oneOf/anyOf; ``key`` matches it across versions (see ``_variant_key``)."""

    key: str
    schema: Located


@dataclass
class SchemaView:
    pointer: str
    types: frozenset[str] = frozenset()
    format: str | None = None
    nullable: bool = False
    enum: list[Any] | None = None
    properties: dict[str, Located] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    forbids_extra: bool = False
    extra_schema: Located | None = None  # additionalProperties as a schema (a map's values)
    items: Located | None = None
    variants: list[Variant] = field(default_factory=list)
    union_at: str | None = None  # pointer of the oneOf/anyOf list
    discriminator: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    bounds: dict[str, float] = field(default_factory=dict)
    pattern: str | None = None
    default: Any = None
    has_default: bool = False
    where: dict[str, str] = field(default_factory=dict)  # keyword -> pointer of the schema holding it

    def at(self, keyword: str) -> str:
        """The pointer of ``keyword`` in this schema (of the schema itself when it is absent)."""
        return child(self.where[keyword], keyword) if keyword in self.where else self.pointer

    @property
    def type_text(self) -> str:
        if self.variants:
            return "union"
        return "|".join(sorted(self.types))


def view_of(registry: Registry, node: Any, pointer: str) -> SchemaView:
    """The flattened view of the schema ``node`` found at ``pointer``."""
    resolved = registry.deref(node, pointer)
    if resolved is None or not isinstance(resolved[1], dict):
        return SchemaView(pointer=resolved[0] if resolved else pointer)
    view = SchemaView(pointer=resolved[0])
    _absorb(registry, view, resolved[1], resolved[0], 0)
    return view


def _absorb(registry: Registry, view: SchemaView, schema: dict[str, Any], pointer: str, depth: int) -> None:
    """Merge ``schema`` into ``view``; keywords already present (from the outer schema) win."""
    _read_type(view, schema, pointer)
    _read_object(view, schema, pointer)
    _read_union(view, schema, pointer)
    _read_value_rules(view, schema, pointer)
    if isinstance(schema.get("items"), (dict, bool)) and view.items is None:
        view.items = Located(schema["items"], child(pointer, "items"))
        view.where.setdefault("items", pointer)
    members = schema.get("allOf") if depth < _MAX_ALLOF_DEPTH else None
    for index, member in enumerate(members if isinstance(members, list) else []):
        resolved = registry.deref_mapping(member, child(pointer, "allOf", index))
        if resolved is not None:
            _absorb(registry, view, resolved[1], resolved[0], depth + 1)


def _read_type(view: SchemaView, schema: dict[str, Any], pointer: str) -> None:
    declared = schema.get("type")
    types = {declared} if isinstance(declared, str) else set(declared) if isinstance(declared, list) else set()
    if "null" in types or schema.get("nullable") is True:
        view.nullable = True
    types.discard("null")
    if not types and isinstance(schema.get("properties"), dict):
        types = {"object"}
    if types and not view.types:
        view.types = frozenset(str(t) for t in types)
        view.where.setdefault("type", pointer)
    if isinstance(schema.get("format"), str) and view.format is None:
        view.format = schema["format"]
        view.where.setdefault("format", pointer)


def _read_object(view: SchemaView, schema: dict[str, Any], pointer: str) -> None:
    properties = schema.get("properties")
    if isinstance(properties, dict):
        for name, node in properties.items():
            view.properties.setdefault(str(name), Located(node, child(pointer, "properties", name)))
    required = schema.get("required")
    if isinstance(required, list):
        view.required.update(str(name) for name in required)
    extra = schema.get("additionalProperties")
    if extra is False:
        view.forbids_extra = True
        view.where.setdefault("additionalProperties", pointer)
    elif isinstance(extra, dict) and view.extra_schema is None:
        view.extra_schema = Located(extra, child(pointer, "additionalProperties"))


def _read_union(view: SchemaView, schema: dict[str, Any], pointer: str) -> None:
    keyword = "oneOf" if isinstance(schema.get("oneOf"), list) else "anyOf" if isinstance(schema.get("anyOf"), list) else None
    if keyword is not None and not view.variants:
        seen: dict[str, int] = {}
        for index, member in enumerate(schema[keyword]):
            if isinstance(member, dict) and member.get("type") == "null":
                view.nullable = True
                continue
            key = _variant_key(member)
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > 1:  # only look-alike inline variants fall back to their order
                key = f"{key}#{seen[key]}"
            view.variants.append(Variant(key, Located(member, child(pointer, keyword, index))))
        view.union_at = child(pointer, keyword)
    discriminator = schema.get("discriminator")
    if isinstance(discriminator, dict) and view.discriminator is None:
        view.discriminator = str(discriminator.get("propertyName"))
        mapping = discriminator.get("mapping")
        view.mapping = {str(tag): str(target) for tag, target in (mapping.items() if isinstance(mapping, dict) else [])}
        view.where.setdefault("discriminator", pointer)


def _variant_key(member: Any) -> str:
    """A $ref by its target, an inline variant by its title, else by its type (never by its position)."""
    if not isinstance(member, dict):
        return "schema"
    if isinstance(member.get("$ref"), str):
        return str(member["$ref"])
    if isinstance(member.get("title"), str):
        return "title:" + str(member["title"])
    declared = member.get("type")
    types = [declared] if isinstance(declared, str) else declared if isinstance(declared, list) else []
    if not types and "properties" in member:
        types = ["object"]
    return "type:" + "|".join(sorted(str(t) for t in types)) if types else "schema"


def _read_value_rules(view: SchemaView, schema: dict[str, Any], pointer: str) -> None:
    if isinstance(schema.get("enum"), list) and view.enum is None:
        view.enum = list(schema["enum"])
        view.where.setdefault("enum", pointer)
    for keyword in UPPER_BOUNDS + LOWER_BOUNDS + ("multipleOf",):
        value = schema.get(keyword)
        # OpenAPI 3.0 writes exclusiveMinimum/Maximum as booleans; only numeric bounds are compared
        if isinstance(value, (int, float)) and not isinstance(value, bool) and keyword not in view.bounds:
            view.bounds[keyword] = value
            view.where[keyword] = pointer
    if isinstance(schema.get("pattern"), str) and view.pattern is None:
        view.pattern = schema["pattern"]
        view.where.setdefault("pattern", pointer)
    if "default" in schema and not view.has_default:
        view.default, view.has_default = schema["default"], True
        view.where.setdefault("default", pointer)
