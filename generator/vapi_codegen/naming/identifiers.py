"""The rules that turn spec names into Python identifiers (pure functions of the spec, never of
traversal order); ``naming.assign`` applies them to the model (class names through
``naming.class_names``). A name already taken in its scope gets the one collision suffix, ``first_free``.

Rules:
- a schema name that is a valid identifier and not reserved is kept as the class name;
- otherwise it is turned into PascalCase; a name that is reserved (Python keyword, builtin,
  typing / pydantic / runtime name) gets the suffix ``Model``;
- a JSON property name becomes a snake_case attribute (``createdAt`` -> ``created_at``,
  ``hate/threatening`` -> ``hate_threatening``, ``from`` -> ``from_``) and the JSON name is kept as
  the alias; with ``attribute_names = "spec"`` a name that is a valid, non-reserved identifier is
  kept as it is (``createdAt``) and only the others are sanitised.
"""

from __future__ import annotations

import functools
import keyword
import re
from collections.abc import Container

from vapi_codegen.naming.builtin_names import BUILTIN_NAMES
from vapi_codegen.text_enum import TextEnum


class AttributeNames(TextEnum):
    """How model attributes are named (the ``attribute_names`` setting)."""

    PYTHON = "python"  # snake_case: ``created_at``
    SPEC = "spec"  # the JSON name wherever it is a usable identifier: ``createdAt``

# Names the emitted modules import or define at module level; a class of that name would shadow them.
RUNTIME_NAMES = frozenset(
    {
        "Annotated", "Any", "ClassVar", "Literal", "Optional", "Union", "TypeAliasType",
        "BaseModel", "ConfigDict", "Field", "RootModel", "TypeAdapter", "ValidationError",
        "Enum", "IntEnum", "datetime", "date", "time", "UUID", "re",
        "ApiModel", "ApiEnum", "ApiIntEnum", "OpenUnion", "UnknownVariant", "open_union", "Bounded", "ItemCount",
        "Required", "TypedDict",
        "Client", "AsyncClient", "ApiError", "ApiResponse", "NotFoundError", "Service",
        "MockService", "create_app", "create_router",
        # the client runtime's public names (exported next to the models) and client.py's imports
        "ApiClientError", "ApiConnectionError", "ApiTimeoutError", "ApiResponseValidationError",
        "BadRequestError", "AuthenticationError", "PermissionDeniedError", "ConflictError",
        "UnprocessableEntityError", "RateLimitError", "InternalServerError", "RequestOptions", "RequestValidationError",
        "Iterator", "AsyncIterator",
        # the transports' public names (``_binary``, ``_multipart``, ``_sse``), exported next to the models
        "BinaryResponse", "AsyncBinaryResponse", "FileInput", "BinaryInput", "Stream", "AsyncStream", "ServerSentEvent",
        # names server.py imports beside the request-body root models (named after their aliases)
        "FastAPI", "APIRouter", "Body", "Path", "Query", "Header", "Cookie", "Request", "Protocol",
        "Authenticator", "Authenticators", "BasicCredentials", "Guard", "SCHEMES", "NotFound", "ServiceError",
        "WebhookReceiver", "create_webhook_router", "create_webhook_app",
    }
)
# Further module-level names: of every emitted module (``from __future__ import annotations``) and of
# the package's ``__init__``, whose attributes are also its submodules. Only classes would clash.
_MODULE_NAMES = frozenset({"annotations", "TYPE_CHECKING", "import_module", "models", "client", "server", "mock"})
# typing's generic aliases: a class named like one would confuse readers and any module importing it.
# Listed here, not taken from typing.__all__, which grows with each Python version.
_TYPING_NAMES = frozenset(
    {
        "Callable", "Dict", "FrozenSet", "Generic", "Iterable", "Iterator", "List", "Mapping",
        "Protocol", "Sequence", "Set", "Tuple", "Type", "TypeVar",
    }
)

# Attributes of pydantic.BaseModel (and type names used in annotations) that a field must not shadow.
_PYDANTIC_ATTRIBUTES = frozenset(
    {
        "construct", "copy", "dict", "from_orm", "json", "parse_file", "parse_obj", "parse_raw",
        "schema", "schema_json", "update_forward_refs", "validate", "fields",
    }
)
# A class of such a name would be hidden, inside model bodies, by the attribute pydantic defines there.
RESERVED_CLASS_NAMES = (
    RUNTIME_NAMES | _MODULE_NAMES | _TYPING_NAMES | _PYDANTIC_ATTRIBUTES | BUILTIN_NAMES | frozenset(keyword.kwlist)
)
# Names used inside generated annotations: a field of that name (with a default) would shadow them.
_ANNOTATION_NAMES = frozenset({"str", "int", "float", "bool", "bytes", "list", "dict", "tuple"}) | RUNTIME_NAMES
# Soft keywords (match, case, type from 3.12) are valid attribute names and are not reserved: the set
# differs between Python versions, and the output must not.
RESERVED_FIELD_NAMES = _PYDANTIC_ATTRIBUTES | _ANNOTATION_NAMES | frozenset(keyword.kwlist)

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+|[0-9]+")
_NON_IDENT = re.compile(r"[^0-9A-Za-z_]+")


def is_safe_identifier(name: str) -> bool:
    """An ASCII identifier that is not a keyword."""
    return name.isidentifier() and name.isascii() and not keyword.iskeyword(name)


@functools.lru_cache(maxsize=1 << 16)  # the same names are split again and again (Graph: ~700,000 calls)
def words(text: str) -> tuple[str, ...]:
    """Split a name into words on case changes, digits-after-letters and punctuation."""
    return tuple(_WORD.findall(_NON_IDENT.sub(" ", text.replace("_", " "))))


@functools.lru_cache(maxsize=1 << 16)
def pascal_case(text: str) -> str:
    """``phone-number id`` -> ``PhoneNumberId``."""
    return "".join(word[:1].upper() + word[1:] for word in words(text))


@functools.lru_cache(maxsize=1 << 16)
def snake_case(text: str) -> str:
    """``phoneNumber-ID`` -> ``phone_number_id``."""
    return "_".join(word.lower() for word in words(text))


def first_free(base: str, taken: Container[str]) -> str:
    """The collision rule of every emitted name: ``base`` if it is not taken, else the first free
    ``base_2``, ``base_3``..."""
    candidate = base
    counter = 2
    while candidate in taken:
        candidate = f"{base}_{counter}"
        counter += 1
    return candidate


def class_name(raw: str) -> str:
    """A class name for a schema name or name hint."""
    name = raw if is_safe_identifier(raw) and not raw.startswith("_") else pascal_case(raw)
    if not name:
        name = "Model"
    if name[0].isdigit():
        name = "Model" + name
    if name in RESERVED_CLASS_NAMES or name.startswith("model_"):
        name += "Model"
    return name


def field_name(json_name: str, avoid: frozenset[str] = frozenset(), style: AttributeNames = AttributeNames.PYTHON) -> str:
    """An attribute name for a JSON property name (before de-duplication within a model).

    ``avoid`` holds further names the attribute must not take (the classes its model's annotations use).
    """
    if style is AttributeNames.SPEC and _usable_as_is(json_name):
        name = json_name
    else:
        name = snake_case(json_name) if style is AttributeNames.PYTHON else _NON_IDENT.sub("_", json_name).strip("_")
        name = re.sub("_+", "_", name)
        if not name:
            name = "field"
        if name[0].isdigit():
            name = "field_" + name
        if name.startswith("model_"):
            name = "field_" + name
    if name in RESERVED_FIELD_NAMES or name in avoid:
        name += "_"
    return name


def _usable_as_is(json_name: str) -> bool:
    return is_safe_identifier(json_name) and not json_name.startswith("_") and not json_name.startswith("model_")


def unique_field_names(
    json_names: list[str],
    avoid: frozenset[str] = frozenset(),
    style: AttributeNames = AttributeNames.PYTHON,
    first: tuple[str, ...] = (),
) -> dict[str, str]:
    """Attribute names for a model's properties, unique within the model.

    The ``first`` names (discriminator tags, which every variant of a union must name alike) take
    their names first, then the names kept verbatim; the other names that collide get ``_2``,
    ``_3``... in sorted JSON-name order.
    """
    result: dict[str, str] = {}
    taken: set[str] = set()
    verbatim = [n for n in json_names if field_name(n, avoid, style) == n]
    for json_name in [*first, *(n for n in verbatim if n not in first)]:
        result[json_name] = first_free(field_name(json_name, avoid, style), taken)
        taken.add(result[json_name])
    for json_name in sorted(n for n in json_names if n not in result):
        candidate = first_free(field_name(json_name, avoid, style), taken)
        result[json_name] = candidate
        taken.add(candidate)
    return {n: result[n] for n in json_names}


def enum_member_names(values: list[object]) -> list[str]:
    """UPPER_SNAKE member names for enum values, unique within the enum."""
    names: list[str] = []
    taken: set[str] = set()
    for value in values:
        text = str(value)
        base = "_".join(w.upper() for w in words(text)) if text else "EMPTY"
        if not base:
            base = "VALUE"
        if base[0].isdigit() or (isinstance(value, (int, float)) and not isinstance(value, bool)):
            base = "VALUE_" + base.replace("-", "MINUS_")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
            base = "VALUE_MINUS_" + base.removeprefix("VALUE_")
        candidate = first_free(base, taken)
        taken.add(candidate)
        names.append(candidate)
    return names


def method_name(operation_id: str | None, method: str, path: str) -> str:
    """A snake_case method name of the server's ``Service`` (and the webhook receiver):
    ``_method_stem``, made one that shadows nothing (``_usable_method_name``)."""
    return _usable_method_name(_method_stem(operation_id, method, path), RESERVED_FIELD_NAMES | _CLIENT_ATTRIBUTES)


def client_method_name(operation_id: str | None, method: str, path: str) -> str:
    """A snake_case method name of a client resource: ``_method_stem``, made one that shadows nothing
    there. A resource is no pydantic model (``validate``, ``json`` or ``copy`` are free), no client
    (``close`` and ``request`` are free) and annotates with ``List`` and ``Dict`` (``list`` and
    ``dict`` are free)."""
    return _usable_method_name(_method_stem(operation_id, method, path), _CLIENT_METHOD_RESERVED)


def _method_stem(operation_id: str | None, method: str, path: str) -> str:
    """The snake_case words of a method name: the operationId without a NestJS-style ``XController_``
    prefix, else the HTTP method and the path."""
    if operation_id:
        stem = re.sub(r"^[A-Za-z0-9]+Controller_", "", operation_id)
        name = snake_case(stem)
    else:
        segments = [s for s in path.split("/") if s]
        parts = [method.lower()] + [
            ("by_" + snake_case(s[1:-1])) if s.startswith("{") else snake_case(s) for s in segments
        ]
        name = "_".join(p for p in parts if p)
    return name or method.lower()


def _usable_method_name(name: str, reserved: frozenset[str]) -> str:
    """``name`` made a method name that shadows nothing: ``op_`` before a leading digit, ``_`` after a
    keyword or a ``reserved`` name (``str_``, ``request_``)."""
    if name[0].isdigit():
        name = "op_" + name
    return escaped(name, reserved)


_NAMESPACE_SEPARATOR = re.compile(r"[._:/-]+")


def method_in_group(operation_id: str | None, group: str) -> str | None:
    """What follows the group's name in an operationId namespaced by it (``Pets_ListAll`` or
    ``pets.listAll`` in group ``pets``: ``list_all``, to be called as ``client.pets.list_all``);
    None for another id (``petsList``, ``importData`` read as phrases)."""
    for separator in _NAMESPACE_SEPARATOR.finditer(operation_id or ""):
        if snake_case(separator.string[: separator.start()]) == group:
            return snake_case(separator.string[separator.end() :]) or None
    return None


def is_plain_method_name(name: str) -> bool:
    """Whether ``name`` may be a client method as it is (``client_method_name`` leaves it alone)."""
    return _usable_method_name(name, _CLIENT_METHOD_RESERVED) == name


# A resource's attributes besides its operations: the only ones a client method must not shadow.
RESOURCE_ATTRIBUTES = frozenset({"with_raw_response", "with_streaming_response"})
# Attributes of the runtime's clients and resources that a group must not shadow (nor a method of
# the server's Service, whose names predate the client's own).
_CLIENT_ATTRIBUTES = frozenset({"request", "stream_events", "close", "aclose", "base_url", "max_retries"}) | RESOURCE_ATTRIBUTES
_CLIENT_METHOD_RESERVED = (_ANNOTATION_NAMES - {"list", "dict"}) | RESOURCE_ATTRIBUTES


def escaped(name: str, reserved: Container[str]) -> str:
    """``name``, with ``_`` appended when it is a keyword or ``reserved`` (``from`` -> ``from_``)."""
    return name + "_" if keyword.iskeyword(name) or name in reserved else name


_URL_SEGMENT = re.compile(r"[A-Za-z0-9._~-]+")


def webhook_route_segment(name: str) -> str:
    """The receiver's route segment for a webhook name: the name when it is a plain URL segment
    (``callEnded``, ``call.ended``), else a kebab-case slug of its words (``status update`` -> ``status-update``)."""
    if _URL_SEGMENT.fullmatch(name) is not None and name not in (".", ".."):
        return name
    return "-".join(word.lower() for word in words(name)) or "webhook"


def collection_attribute(path: str) -> str:
    """The private attribute of the mock service holding the resources of a collection path."""
    return "_" + (snake_case(path) or "items")


def parameter_name(json_name: str) -> str:
    """A snake_case keyword-argument name for a parameter."""
    name = snake_case(json_name) or "param"
    if name[0].isdigit():
        name = "param_" + name
    return escaped(name, _ANNOTATION_NAMES | {"self", "body", "options"})


def group_name(tag: str) -> str:
    """The snake_case name of a tag's group of operations (``Phone Numbers`` -> ``phone_numbers``;
    ``16 Day Forecast`` -> ``tag_16_day_forecast``)."""
    name = snake_case(tag) or "default"
    return "tag_" + name if name[0].isdigit() else name


def client_attribute_name(group: str) -> str:
    """The clients' attribute holding a group's operations, clear of the clients' own attributes."""
    return escaped(group, _CLIENT_ATTRIBUTES)


_MODULE_NAME_LENGTH = 60  # a file name, whatever the tag: well below any file system's limit


_ROUTE_READABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")  # what Starlette's path syntax takes as a parameter name


def route_parameter_name(json_name: str, python_name: str, in_path: bool) -> str:
    """The name the server finds a parameter's value under: its JSON name, except a path parameter
    Starlette cannot name in a route path (``{tree-id}``, ``{leaf.id}``), which goes by its Python name."""
    return python_name if in_path and not _ROUTE_READABLE.match(json_name) else json_name


def stream_method_name(method: str) -> str:
    """The method asking for the event stream of an operation that also answers JSON: ``<method>_stream``."""
    return method + "_stream"


def events_constant_name(endpoint: str) -> str:
    """The private module constant describing an operation's server-sent events: ``<endpoint>_EVENTS``."""
    return endpoint + "_EVENTS"


def resource_module_name(attribute: str) -> str:
    """The module of ``resources/`` holding a group's classes: its client attribute, cut short."""
    return attribute[:_MODULE_NAME_LENGTH]


def endpoint_constant_name(method: str) -> str:
    """The private constant of a resource module describing one operation: ``_FIND_ONE``."""
    return f"_{method.upper()}"


def paging_constant_name(endpoint: str) -> str:
    """The private constant describing an operation's pagination: ``<endpoint>_PAGES``."""
    return endpoint + "_PAGES"


def resource_class_name(group: str) -> str:
    """The base name of a group's resource classes (``phone_numbers`` -> ``PhoneNumbers``)."""
    return pascal_case(group) or "Default"


def params_class_name(declaration: str) -> str:
    """The TypedDict of a model's dict form (or the alias of a union's): ``CreateTwilioPhoneNumberDTO``
    -> ``CreateTwilioPhoneNumberParams``, ``TransferPlan`` -> ``TransferPlanParams``."""
    stem = re.sub(r"_?(DTO|Dto)$", "", declaration) or declaration
    return stem + "Params"


def streaming_class_name(base: str, is_async: bool) -> str:
    """A group's ``with_streaming_response`` class: ``CallsWithStreamingResponse``,
    ``AsyncCallsWithStreamingResponse``."""
    return ("Async" if is_async else "") + base + "WithStreamingResponse"


def flavoured_class_name(base: str, is_async: bool, raw: bool) -> str:
    """A resource class name per flavour: ``PhoneNumbers``, ``PhoneNumbersWithRawResponse``,
    ``AsyncPhoneNumbers``, ``AsyncPhoneNumbersWithRawResponse``."""
    return ("Async" if is_async else "") + base + ("WithRawResponse" if raw else "")


_SCHEME_NAME_SUFFIXES = ("_auth", "_authentication", "_scheme", "_security")
_ENVIRONMENT_FILLER = frozenset({"server", "servers", "environment", "env", "url", "api", "the", "base", "endpoint"})


def credential_name(role: str, scheme_key: str, shared: bool) -> str:
    """A clients' constructor keyword for one credential of a scheme: the role (``api_key``, ``token``,
    ``username``...) when no other scheme of the API takes the same roles, else named after the
    scheme: ``header_key`` (``headerKey``), ``partner_api_key`` (``partnerAuth``), ``admin_username``
    (``adminBasic``)."""
    if not shared:
        return role
    stem = snake_case(scheme_key) or "scheme"
    for suffix in _SCHEME_NAME_SUFFIXES:
        stem = stem.removesuffix(suffix) or stem
    if stem[0].isdigit():
        stem = "scheme_" + stem
    single = role in ("api_key", "token")  # the scheme's only credential: ``headerKey`` -> ``header_key``
    return stem if single and stem.endswith(role.rsplit("_", 1)[-1]) else f"{stem}_{role}"


def environment_name(description: str | None, first: bool) -> str:
    """The name of a server as an environment: its description's words without the filler
    (``Production server`` -> ``production``); else ``default`` for the first, ``server`` for the others."""
    kept = [w.lower() for w in words(description or "") if w.lower() not in _ENVIRONMENT_FILLER]
    return "_".join(kept[:4]) if kept else ("default" if first else "server")


def environment_variable(prefix: str, keyword: str) -> str:
    """``VAPI`` + ``api_key`` -> ``VAPI_API_KEY``."""
    return f"{prefix}_{keyword}".upper()
