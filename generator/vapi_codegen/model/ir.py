"""The intermediate model: plain typed objects describing the API, with no code in them.

Type references (``TypeRef``) describe the shape of a value; declarations (``ModelDecl``,
``EnumDecl``, ``AliasDecl``) are the named things the package defines. Every ``Ref`` names a
declaration in ``Api.declarations``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Union

# --- type references -------------------------------------------------------------------------


@dataclass(frozen=True)
class Constraints:
    """Value constraints; a schema's ``pattern`` is one of ``pattern`` (run by pydantic's linear-time
    Rust engine) and ``python_pattern`` (only Python's ``re`` runs it; ``max_length`` is then capped)."""

    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    python_pattern: str | None = None
    ge: float | None = None
    le: float | None = None
    gt: float | None = None
    lt: float | None = None
    multiple_of: float | None = None

    def is_empty(self) -> bool:
        return self == Constraints()


@dataclass(frozen=True)
class Primitive:
    """``kind`` is one of str, int, float, bool, bytes, datetime, date, time, none."""

    kind: str
    constraints: Constraints = Constraints()


@dataclass(frozen=True)
class AnyType:
    pass


@dataclass(frozen=True)
class LiteralType:
    values: tuple[Any, ...]


@dataclass(frozen=True)
class ArrayType:
    items: "TypeRef"
    constraints: Constraints = Constraints()


@dataclass(frozen=True)
class MapType:
    values: "TypeRef"


@dataclass(frozen=True)
class Ref:
    name: str


@dataclass(frozen=True)
class Nullable:
    inner: "TypeRef"


@dataclass(frozen=True)
class UnionType:
    """A oneOf/anyOf. With ``discriminator`` set it is a tagged union.

    ``discriminator`` is the attribute name on the variants, ``discriminator_json`` the JSON name,
    ``tags`` maps each tag value to the variant declaration it selects.
    """

    variants: tuple["TypeRef", ...]
    discriminator: str | None = None
    discriminator_json: str | None = None
    tags: tuple[tuple[str, str], ...] = ()


TypeRef = Union[Primitive, AnyType, LiteralType, ArrayType, MapType, Ref, Nullable, UnionType]


def referenced_names(type_ref: TypeRef, *, inside_containers: bool = True) -> set[str]:
    """The declaration names a type reference uses, at any depth.

    Without ``inside_containers``, only the names it is made of directly: through unions and
    nullables, not as the items of a list or the values of a map.
    """
    if isinstance(type_ref, Ref):
        return {type_ref.name}
    parts: tuple[TypeRef, ...] = ()
    if isinstance(type_ref, Nullable):
        parts = (type_ref.inner,)
    elif isinstance(type_ref, UnionType):
        parts = type_ref.variants
    elif isinstance(type_ref, ArrayType) and inside_containers:
        parts = (type_ref.items,)
    elif isinstance(type_ref, MapType) and inside_containers:
        parts = (type_ref.values,)
    return set().union(*(referenced_names(part, inside_containers=inside_containers) for part in parts))


# --- declarations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Default:
    value: Any


@dataclass
class FieldDecl:
    name: str
    json_name: str
    type: TypeRef
    required: bool
    default: Default | None = None
    description: str | None = None
    is_tag: bool = False  # a discriminator tag: always sent, even when left at its default
    read_only: bool = False  # ``readOnly``: the server sets it, a request body does not


@dataclass
class ModelDecl:
    name: str
    pointer: str
    description: str | None = None
    fields: list[FieldDecl] = field(default_factory=list)
    forbid_extra: bool = False

    def field_by_json(self, json_name: str) -> FieldDecl | None:
        return next((f for f in self.fields if f.json_name == json_name), None)


@dataclass
class EnumMember:
    name: str
    value: Any


@dataclass
class EnumDecl:
    name: str
    pointer: str
    value_type: str  # "str" or "int"
    members: list[EnumMember]
    description: str | None = None


@dataclass
class AliasDecl:
    """A named type that is not a class: a union, array, map or primitive."""

    name: str
    pointer: str
    type: TypeRef
    description: str | None = None


Declaration = Union[ModelDecl, EnumDecl, AliasDecl]


def resolve_alias(declarations: Mapping[str, Declaration], type_ref: TypeRef) -> TypeRef:
    """Follow references to aliases down to the type they name (references to models and enums stay)."""
    seen: set[str] = set()
    while isinstance(type_ref, Ref) and type_ref.name not in seen:
        declaration = declarations.get(type_ref.name)
        if not isinstance(declaration, AliasDecl):
            break
        seen.add(type_ref.name)
        type_ref = declaration.type
    return type_ref


# --- operations ------------------------------------------------------------------------------


@dataclass
class Parameter:
    name: str  # Python keyword-argument name
    json_name: str
    location: str  # path, query, header, cookie
    type: TypeRef
    required: bool
    description: str | None = None


@dataclass
class RequestBody:
    type: TypeRef
    required: bool
    content_type: str
    description: str | None = None


@dataclass
class Response:
    status: str  # "200", "201", "default", "4XX"...
    type: TypeRef | None
    description: str | None = None


@dataclass
class Pagination:
    """A page-shaped response: ``items_field`` holds the items, ``meta_field`` the paging metadata."""

    items_field: str
    item_type: TypeRef
    meta_field: str
    page_param: str


@dataclass
class Operation:
    method: str  # lower case
    path: str
    operation_id: str
    name: str  # Python method name
    group: str  # Python attribute of the client holding it
    tag: str
    summary: str | None
    description: str | None
    parameters: list[Parameter]
    body: RequestBody | None
    responses: list[Response]
    secured: bool
    pagination: Pagination | None = None
    deprecated: bool = False

    @property
    def success(self) -> Response | None:
        ok = [r for r in self.responses if r.status.startswith("2")]
        return ok[0] if ok else None


@dataclass
class Api:
    """The whole API. ``webhooks`` are the requests the API sends to its users (OpenAPI 3.1): they are
    operations whose ``path`` is the webhook's name (its key under ``webhooks``), not a URL path."""

    title: str
    version: str
    source_name: str
    declarations: dict[str, Declaration]
    operations: list[Operation] = field(default_factory=list)
    webhooks: list[Operation] = field(default_factory=list)
    bearer_auth: bool = False
    servers: list[str] = field(default_factory=list)
    description: str | None = None

    def models(self) -> list[ModelDecl]:
        return [d for d in self.declarations.values() if isinstance(d, ModelDecl)]

    def enums(self) -> list[EnumDecl]:
        return [d for d in self.declarations.values() if isinstance(d, EnumDecl)]

    def aliases(self) -> list[AliasDecl]:
        return [d for d in self.declarations.values() if isinstance(d, AliasDecl)]
