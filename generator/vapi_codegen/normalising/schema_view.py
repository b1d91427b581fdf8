"""A flat view of one schema: ``$ref``s followed, ``allOf`` parts merged, nullability read, every keyword located.

The merge follows ``all_of``'s precedence rule (the later part wins, the schema's own keywords win over
all parts); nullability is read by ``nullability`` from the merged keywords, plus a ``nullable: true``
written beside the ``$ref`` the view starts from (the generator honours it there too).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vapi_codegen.normalising.all_of import MergedSchema, merge_all_of
from vapi_codegen.normalising.located import Located
from vapi_codegen.normalising.nullability import non_null_members, read_nullability, union_keyword
from vapi_codegen.normalising.refs import Registry, child

UPPER_BOUNDS = ("maxLength", "maxItems", "maxProperties", "maximum", "exclusiveMaximum")
LOWER_BOUNDS = ("minLength", "minItems", "minProperties", "minimum", "exclusiveMinimum")


@dataclass
class SchemaView:
    pointer: str
    types: frozenset[str] = frozenset()  # declared types other than "null"; {"object"} for bare properties
    format: str | None = None
    nullable: bool = False
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

    def at(self, keyword: str) -> str:
        """The pointer of ``keyword`` in this schema (of the schema itself when it is absent)."""
        return child(self.where[keyword], keyword) if keyword in self.where else self.pointer


def view_of(registry: Registry, node: Any, pointer: str) -> SchemaView:
    """The flat view of the schema ``node`` written at ``pointer``."""
    resolved = registry.deref(node, pointer)
    if resolved is None or not isinstance(resolved[1], dict):
        return SchemaView(pointer=resolved[0] if resolved else pointer)
    merged = merge_all_of(registry, resolved[1], resolved[0])
    view = SchemaView(pointer=merged.pointer, properties=merged.properties, required=merged.required, where=merged.where)
    nullability = read_nullability(merged.keywords)
    view.nullable = nullability.nullable or read_nullability(node).keyword
    view.types = frozenset(str(t) for t in nullability.types)
    if not view.types and "properties" in merged.where:
        view.types = frozenset({"object"})
    _read_values(view, merged.keywords)
    _read_containers(view, merged)
    _read_union(view, merged)
    return view


def _read_values(view: SchemaView, keywords: dict[str, Any]) -> None:
    if isinstance(keywords.get("format"), str):
        view.format = keywords["format"]
    values = [value for value in keywords["enum"] if value is not None] if isinstance(keywords.get("enum"), list) else []
    view.enum = values or None
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
