"""The intermediate model: plain typed objects describing the API, with no code in them.

Type references (``TypeRef``) describe the shape of a value; declarations (``ModelDecl``,
``EnumDecl``, ``AliasDecl``) are the named things the package defines. Every ``Ref`` names a
declaration in ``Api.declarations``.

The model is built from the document's facts (JSON names, locations, shapes); the identifiers the
package emits for them (classes, attributes, enum members, arguments, methods...) are written by the
naming pass, ``vapi_codegen.naming.assign``. Until then a declaration's ``name``, the key of
``Api.declarations`` and every ``Ref`` to it, is a provisional name (``naming.class_names``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from vapi_codegen.text_enum import TextEnum

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
        return self == NO_CONSTRAINTS


NO_CONSTRAINTS = Constraints()


def constraints_of(values: dict[str, Any]) -> Constraints:
    """``Constraints(**values)``; the shared ``NO_CONSTRAINTS`` when there are none (most schemas)."""
    return Constraints(**values) if values else NO_CONSTRAINTS


class PrimitiveKind(TextEnum):
    STR = "str"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    BYTES = "bytes"
    DATETIME = "datetime"
    DATE = "date"
    TIME = "time"
    NONE = "none"


@dataclass(frozen=True)
class Primitive:
    kind: PrimitiveKind
    constraints: Constraints = NO_CONSTRAINTS


@dataclass(frozen=True)
class AnyType:
    pass


@dataclass(frozen=True)
class LiteralType:
    values: tuple[Any, ...]


@dataclass(frozen=True)
class ArrayType:
    items: TypeRef
    constraints: Constraints = NO_CONSTRAINTS


@dataclass(frozen=True)
class MapType:
    values: TypeRef


@dataclass(frozen=True)
class Ref:
    name: str


@dataclass(frozen=True)
class Nullable:
    inner: TypeRef


@dataclass(frozen=True)
class UnionType:
    """A oneOf/anyOf. With ``discriminator`` set it is a tagged union.

    ``discriminator`` is the JSON name of the tag property (every variant is a model declaring it),
    ``tags`` maps each tag value to the variant declaration it selects. ``fallback`` names the model
    a tag the package does not know is parsed into (leniently), else the generic ``UnknownVariant``;
    it is named after where the union is declared, so two unions of the same variants and tags are
    equal whatever their fallbacks are called (the mock finds a resource by comparing them).
    """

    variants: tuple[TypeRef, ...]
    discriminator: str | None = None
    tags: tuple[tuple[str, str], ...] = ()
    fallback: str | None = field(default=None, compare=False)


TypeRef = Primitive | AnyType | LiteralType | ArrayType | MapType | Ref | Nullable | UnionType


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
    json_name: str
    type: TypeRef
    required: bool
    default: Default | None = None
    description: str | None = None
    is_tag: bool = False  # a discriminator tag: always sent, even when left at its default
    read_only: bool = False  # ``readOnly``: the server sets it, a request body does not
    name: str = ""  # the attribute, from the naming pass


@dataclass
class ModelDecl:
    name: str
    pointer: str
    description: str | None = None
    fields: list[FieldDecl] = field(default_factory=list)
    forbid_extra: bool = False
    fallback_of: str | None = None  # the union alias whose unknown tags it holds (it derives from UnknownVariant)
    params_name: str = ""  # its TypedDict, when a request body can hold it: from the naming pass

    def field_by_json(self, json_name: str) -> FieldDecl | None:
        return next((f for f in self.fields if f.json_name == json_name), None)


@dataclass
class EnumMember:
    value: Any
    name: str = ""  # from the naming pass


@dataclass
class EnumDecl:
    name: str
    pointer: str
    value_type: PrimitiveKind  # STR or INT
    members: list[EnumMember]
    description: str | None = None


@dataclass
class AliasDecl:
    """A named type that is not a class: a union, array, map or primitive."""

    name: str
    pointer: str
    type: TypeRef
    description: str | None = None
    params_name: str = ""  # the alias of its TypedDict forms, when a request body can hold a model through it


Declaration = ModelDecl | EnumDecl | AliasDecl


def reachable(declarations: Mapping[str, Declaration], roots: list[TypeRef]) -> set[str]:
    """The names of the declarations the ``roots`` types reach, through model fields and aliases."""
    seen: set[str] = set()
    pending = sorted(set().union(*(referenced_names(root) for root in roots)))
    while pending:
        name = pending.pop()
        declaration = declarations.get(name)
        if name in seen or declaration is None:
            continue
        seen.add(name)
        if isinstance(declaration, ModelDecl):
            pending.extend(n for f in declaration.fields for n in referenced_names(f.type))
        elif isinstance(declaration, AliasDecl):
            pending.extend(referenced_names(declaration.type))
    return seen


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


def accepts_null(declarations: Mapping[str, Declaration], type_ref: TypeRef, seen: frozenset[str] = frozenset()) -> bool:
    """Whether JSON ``null`` is a value of this type (nullable, untyped, or a union with such a member)."""
    if isinstance(type_ref, Ref):
        declaration = declarations.get(type_ref.name)
        if type_ref.name in seen or not isinstance(declaration, AliasDecl):
            return False
        return accepts_null(declarations, declaration.type, seen | {type_ref.name})
    if isinstance(type_ref, UnionType):
        return any(accepts_null(declarations, variant, seen) for variant in type_ref.variants)
    if isinstance(type_ref, Primitive):
        return type_ref.kind is PrimitiveKind.NONE
    return isinstance(type_ref, (Nullable, AnyType))


def is_structured(declarations: Mapping[str, Declaration], type_ref: TypeRef, seen: frozenset[str] = frozenset()) -> bool:
    """Whether a parameter of this type holds objects, or arrays of arrays or objects: values that
    have no plain text form, written by the parameter's style instead."""
    if isinstance(type_ref, Ref):
        declaration = declarations.get(type_ref.name)
        if type_ref.name in seen or not isinstance(declaration, (ModelDecl, AliasDecl)):
            return False
        return isinstance(declaration, ModelDecl) or is_structured(declarations, declaration.type, seen | {type_ref.name})
    if isinstance(type_ref, Nullable):
        return is_structured(declarations, type_ref.inner, seen)
    if isinstance(type_ref, ArrayType):
        items = resolve_alias(declarations, type_ref.items)
        return isinstance(items, ArrayType) or is_structured(declarations, items, seen)
    if isinstance(type_ref, UnionType):
        return any(is_structured(declarations, variant, seen) for variant in type_ref.variants)
    return isinstance(type_ref, MapType)


# --- security and configuration --------------------------------------------------------------


class SecuritySchemeKind(TextEnum):
    """How a scheme's credential travels, as far as the package can send and check it."""

    API_KEY = "api-key"  # a key in a header, query parameter or cookie
    HTTP_BASIC = "http-basic"  # ``Authorization: Basic base64(username:password)``
    HTTP_BEARER = "http-bearer"  # ``Authorization: Bearer <token>``: HTTP bearer, OAuth2 flows the user runs, OpenID Connect
    OAUTH2_CLIENT_CREDENTIALS = "oauth2-client-credentials"  # a bearer token the client fetches from ``token_url``
    UNSUPPORTED = "unsupported"  # never satisfied (HTTP digest, mutual TLS, an undeclared scheme...)


@dataclass
class Credential:
    """One value the client takes for a scheme: ``role`` is ``token``, ``api_key``, ``username``,
    ``password``, ``client_id`` or ``client_secret``; ``name`` (the clients' constructor keyword) is
    from the naming pass, ``env_var`` (read when the keyword is not passed) from the settings."""

    role: str
    name: str = ""
    env_var: str | None = None


@dataclass
class SecurityScheme:
    """An entry of ``components.securitySchemes``; ``key`` is its name there (requirements name it)."""

    key: str
    kind: SecuritySchemeKind
    pointer: str
    description: str | None = None
    parameter_name: str | None = None  # API_KEY: the header, query parameter or cookie name
    location: ParameterLocation | None = None  # API_KEY: HEADER, QUERY or COOKIE
    token_url: str | None = None  # OAUTH2_CLIENT_CREDENTIALS
    credentials: list[Credential] = field(default_factory=list)


@dataclass(frozen=True)
class SecurityRequirement:
    """One alternative of an operation's ``security``: every scheme listed must be satisfied, each
    with the scopes listed beside it (``scopes`` runs parallel to ``schemes``). No schemes (``{}``):
    anonymous access is allowed."""

    schemes: tuple[str, ...]
    scopes: tuple[tuple[str, ...], ...] = ()


@dataclass
class Environment:
    """A server of the spec the clients can be pointed at by name (``Client(environment="production")``)."""

    url: str  # variables substituted with their defaults
    description: str | None = None
    name: str = ""  # from the naming pass


@dataclass
class ClientEnvironmentVariables:
    """Where the clients look for settings not passed to them (``[tool.vapi-codegen]`` ``env_prefix``
    and ``env``): the base URL's variable; the credentials' are on each ``Credential``."""

    base_url: str | None = None


# --- operations ------------------------------------------------------------------------------


class HttpMethod(TextEnum):
    GET = "get"
    PUT = "put"
    POST = "post"
    DELETE = "delete"
    OPTIONS = "options"
    HEAD = "head"
    PATCH = "patch"
    TRACE = "trace"


class ParameterLocation(TextEnum):
    PATH = "path"
    QUERY = "query"
    HEADER = "header"
    COOKIE = "cookie"


class ParameterStyle(TextEnum):
    """How a parameter's value is written (OpenAPI ``style``); ``JSON``: declared by a JSON ``content``."""

    FORM = "form"
    SIMPLE = "simple"
    DEEP_OBJECT = "deepObject"
    SPACE_DELIMITED = "spaceDelimited"
    PIPE_DELIMITED = "pipeDelimited"
    LABEL = "label"
    MATRIX = "matrix"
    JSON = "json"


@dataclass
class Parameter:
    json_name: str
    location: ParameterLocation
    type: TypeRef
    required: bool
    description: str | None = None
    style: ParameterStyle = ParameterStyle.FORM
    explode: bool = True
    name: str = ""  # the Python argument, from the naming pass
    route_name: str = ""  # what the server finds its value under (the route's path, query...), from the naming pass


class MediaKind(TextEnum):
    """How a body travels, by its media type."""

    JSON = "json"
    MULTIPART = "multipart"  # multipart/form-data: files and form fields
    FORM = "form"  # application/x-www-form-urlencoded
    EVENT_STREAM = "event-stream"  # text/event-stream: server-sent events
    BINARY = "binary"  # anything else (application/octet-stream, audio/mpeg, text/plain...): raw bytes


def media_kind(media_type: str) -> MediaKind:
    """The transport of a media type (parameters such as ``; charset=utf-8`` ignored)."""
    media = media_type.split(";")[0].strip().lower()
    if media == "application/json" or media.endswith("+json"):
        return MediaKind.JSON
    return _MEDIA_KINDS.get(media, MediaKind.BINARY)


_MEDIA_KINDS = {
    "multipart/form-data": MediaKind.MULTIPART,
    "application/x-www-form-urlencoded": MediaKind.FORM,
    "text/event-stream": MediaKind.EVENT_STREAM,
}


@dataclass
class FormField:
    """A part of a ``multipart/form-data`` body: a file (``format: binary``, or an array of them) or a
    typed form field."""

    json_name: str
    type: TypeRef
    required: bool
    is_file: bool  # a file, or (``type`` an array) several files under one name
    description: str | None = None
    name: str = ""  # the argument of the client method and of the service method, from the naming pass


@dataclass
class RequestBody:
    type: TypeRef
    required: bool
    content_type: str
    description: str | None = None
    # A multipart body whose schema is an object: its parts, passed as arguments (empty otherwise).
    form_fields: list[FormField] = field(default_factory=list)

    @property
    def kind(self) -> MediaKind:
        return media_kind(self.content_type)


@dataclass
class Response:
    status: str  # "200", "201", "default", "4XX"...
    type: TypeRef | None  # the JSON body (None: none, or only events or raw bytes)
    description: str | None = None
    media_type: str | None = None  # the media type ``type`` was read from; None without content
    events: TypeRef | None = None  # the data of each event, when it may answer ``text/event-stream``
    binary: bool = False  # a body of raw bytes (a non-JSON media type, or what a documented redirect leads to)


class PaginationStrategy(TextEnum):
    PAGE_NUMBER = "page-number"  # a query parameter takes the page number: 1, 2, 3...


@dataclass
class Pagination:
    """How a list operation pages, as detected: which parameter asks for a page, and which fields of
    the page (and of its metadata) hold the items and tell whether another page follows.

    The ``*_field`` values are the fields of the page model and of the metadata model, so their
    emitted attribute names are read from them. A metadata field that was not found is None.
    """

    strategy: PaginationStrategy
    page_parameter: Parameter
    items_field: FieldDecl
    item_type: TypeRef
    metadata_field: FieldDecl
    has_next_field: FieldDecl | None = None  # a boolean: another page follows
    current_page_field: FieldDecl | None = None  # compared with ``total_pages_field`` without it
    total_pages_field: FieldDecl | None = None


@dataclass
class OperationNames:
    """What the naming pass calls an operation in the emitted package (a webhook has no client names)."""

    group: str = ""  # the clients' attribute holding its resource (``phone_numbers``)
    method: str = ""  # its method on that resource
    endpoint: str = ""  # its resource module's constant describing it
    paging: str | None = None  # its resource module's constant describing its pagination
    stream_method: str | None = None  # the resource's method asking for its event stream (when it also answers JSON)
    events: str | None = None  # its resource module's constant describing its events
    service_method: str = ""  # its method in ``Service`` (or ``WebhookReceiver``) and ``MockService``
    route: str = ""  # the server's route function
    webhook_path: str = ""  # a webhook's route path on the receiver (``/status-update``)


@dataclass
class Operation:
    method: HttpMethod
    path: str
    operation_id: str | None  # as the spec gives it
    tag: str
    summary: str | None
    description: str | None
    parameters: list[Parameter]
    body: RequestBody | None
    responses: list[Response]
    secured: bool  # some credential is required: ``security`` has alternatives, none of them anonymous
    pagination: Pagination | None = None
    deprecated: bool = False
    names: OperationNames = field(default_factory=OperationNames)
    redirects: bool = False  # the spec documents a 3xx answer: the client follows it
    security: list[SecurityRequirement] = field(default_factory=list)  # the alternatives; none: open

    @property
    def success(self) -> Response | None:
        for response in self.responses:  # a loop, not next(genexpr): read ~1M times on the biggest APIs
            if response.status.startswith("2"):
                return response
        return None

    @property
    def events(self) -> TypeRef | None:
        """The data of the events of its event stream, when its success may be one."""
        success = self.success
        return success.events if success is not None else None

    @property
    def downloads(self) -> bool:
        """Whether its success answer is raw bytes (``BinaryResponse`` in the client)."""
        success = self.success
        return success is not None and success.binary

    @property
    def unique_id(self) -> str:
        """The operationId, else ``<method>_<path>``: unique within the API (a duplicate is an error)."""
        return self.operation_id or f"{self.method}_{self.path}"


class ResourceRole(TextEnum):
    CREATE = "create"
    GET = "get"
    LIST = "list"  # answers an array of the items
    PAGE = "page"  # answers a page of the items
    UPDATE = "update"
    DELETE = "delete"
    DOWNLOAD = "download"  # answers the bytes uploaded with the item (``<item path>/<segment>``)


@dataclass
class Resource:
    """A collection path with a JSON or multipart ``POST`` (create) and an item path ``<collection>/{id}``
    with ``GET``, with the operations that list, page, update or delete its items (and, for an upload,
    download its bytes)."""

    collection_path: str
    id_parameter: Parameter
    item_type: TypeRef
    create: Operation
    get: Operation
    lists: list[Operation] = field(default_factory=list)
    pages: list[Operation] = field(default_factory=list)
    update: Operation | None = None
    delete: Operation | None = None
    downloads: list[Operation] = field(default_factory=list)
    attribute: str = ""  # the mock service's attribute holding its items, from the naming pass
    uploads: str | None = None  # created from a multipart body: the mock's attribute holding the files

    @property
    def uploaded(self) -> bool:
        """Whether its items are created by uploading a file (a multipart body)."""
        return self.create.body is not None and self.create.body.kind is MediaKind.MULTIPART

    def roles(self) -> Iterator[tuple[ResourceRole, Sequence[Operation | None]]]:
        """Each role with the operations playing it (an absent update or delete is None)."""
        yield ResourceRole.CREATE, [self.create]
        yield ResourceRole.GET, [self.get]
        yield ResourceRole.LIST, self.lists
        yield ResourceRole.PAGE, self.pages
        yield ResourceRole.UPDATE, [self.update]
        yield ResourceRole.DELETE, [self.delete]
        yield ResourceRole.DOWNLOAD, self.downloads

    def role_of(self, operation: Operation) -> ResourceRole | None:
        """What ``operation`` does to this resource."""
        for role, ops in self.roles():
            if any(op is operation for op in ops):
                return role
        return None


@dataclass(frozen=True)
class ResourceClasses:
    """The client's classes for one group of operations, one per flavour (sync or async, raw or not),
    and the module of ``resources/`` holding them."""

    sync: str
    sync_raw: str
    async_: str
    async_raw: str
    module: str
    # ``with_streaming_response``: only for a group with a download (``Operation.downloads``).
    sync_streaming: str | None = None
    async_streaming: str | None = None

    def of(self, is_async: bool, raw: bool) -> str:
        if is_async:
            return self.async_raw if raw else self.async_
        return self.sync_raw if raw else self.sync


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
    servers: list[str] = field(default_factory=list)
    description: str | None = None
    resources: list[Resource] = field(default_factory=list)  # what the mock service can serve
    resource_classes: dict[str, ResourceClasses] = field(default_factory=dict)  # by group attribute, from the naming pass
    security_schemes: list[SecurityScheme] = field(default_factory=list)
    environments: list[Environment] = field(default_factory=list)  # the servers with absolute URLs, in spec order
    environment_variables: ClientEnvironmentVariables = field(default_factory=ClientEnvironmentVariables)

    def scheme(self, key: str) -> SecurityScheme | None:
        return next((s for s in self.security_schemes if s.key == key), None)

    def models(self) -> list[ModelDecl]:
        return [d for d in self.declarations.values() if isinstance(d, ModelDecl)]

    def enums(self) -> list[EnumDecl]:
        return [d for d in self.declarations.values() if isinstance(d, EnumDecl)]

    def aliases(self) -> list[AliasDecl]:
        return [d for d in self.declarations.values() if isinstance(d, AliasDecl)]

    def operations_by_group(self) -> dict[str, list[Operation]]:
        """The operations of each client group (``names.group``, from the naming pass), in spec order;
        groups in ``resource_classes`` order."""
        groups: dict[str, list[Operation]] = {group: [] for group in self.resource_classes}
        for operation in self.operations:
            groups[operation.names.group].append(operation)
        return groups
