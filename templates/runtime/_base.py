"""Base classes of the generated models (hand-written runtime, copied verbatim by vapi-codegen).

Requests are validated strictly. Responses are parsed with the ``LENIENT`` validation context:
then an enum value or a union tag the package does not know yet (the server added a provider)
is kept as it came (a plain string, or an ``UnknownVariant``) instead of failing, and so is a
value beyond a ``Bounded`` value's length, pattern or range, or a list beyond its ``ItemCount`` (the
server raised a limit). The generated
server checks request bodies further (``_server.REQUEST_BODY``): no JSON ``null`` where the spec does
not allow it, no JSON type that pydantic's lax mode would convert.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum, IntEnum
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, GetJsonSchemaHandler, ValidationError, ValidationInfo, WrapValidator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, PydanticKnownError, core_schema

if TYPE_CHECKING:
    from pydantic.fields import FieldInfo

LENIENT = "vapi_codegen_lenient"
LENIENT_CONTEXT: dict[str, Any] = {LENIENT: True}


def _is_lenient(info: ValidationInfo) -> bool:
    context = info.context
    return isinstance(context, dict) and bool(context.get(LENIENT))


class ApiModel(BaseModel):
    """Base of every generated model: JSON names as aliases, unknown fields kept."""

    model_config = ConfigDict(
        populate_by_name=True,
        extra="allow",
        defer_build=True,
        protected_namespaces=(),
    )

    # Discriminator tags that are sent even when left at their default.
    __vapi_tags__: ClassVar[tuple[str, ...]] = ()
    # Optional fields whose spec allows ``null`` (the others are ``Optional`` only to be left out).
    __vapi_nullable__: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        """The model's JSON Schema (the generated server's OpenAPI document) as the spec has it: an
        optional field is ``null``-able only where the spec says so."""
        json_schema = handler(schema)
        properties = handler.resolve_ref_schema(json_schema).get("properties", {})
        for name, field in cls.model_fields.items():
            if null_allowed(cls, name, field):
                continue
            key = next((k for k in json_names(name, field) if k in properties), None)
            if key is not None:
                properties[key] = _without_null(properties[key])
        return json_schema

    def model_post_init(self, context: Any, /) -> None:
        if self.__vapi_tags__:
            self.__pydantic_fields_set__.update(self.__vapi_tags__)
        if not type(self).__pydantic_complete__:
            # Validated as part of another type, the class itself is still unbuilt (defer_build):
            # build it now, once, so that the instance serialises anywhere (inside ``Any`` too).
            type(self).model_rebuild()

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        """Only the fields that were set (and unknown ones kept): ``TwilioPhoneNumber(id='pn-1', ...)``."""
        fields = type(self).model_fields
        for name, value in super().__repr_args__():
            if name is None or name not in fields or name in self.model_fields_set:
                yield name, value

    def to_json_dict(self) -> dict[str, Any]:
        """The JSON object for this model: by alias, only the fields that were set."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


def json_names(name: str, field: FieldInfo) -> tuple[str, ...]:
    """The keys a field is read from: its JSON name (alias), then its attribute name."""
    return tuple(dict.fromkeys(k for k in (field.validation_alias, field.alias, name) if isinstance(k, str)))


def null_allowed(model: type[ApiModel], name: str, field: FieldInfo) -> bool:
    """Whether the spec allows ``null`` in the field: an optional field only when it is listed in
    ``__vapi_nullable__`` (a required or defaulted one is typed as the spec has it)."""
    return field.is_required() or field.default is not None or name in model.__vapi_nullable__


def _without_null(property_schema: dict[str, Any]) -> dict[str, Any]:
    """A property's JSON Schema without the ``null`` that ``Optional`` added (and its ``null`` default)."""
    members = [m for m in property_schema.get("anyOf", ()) if m != {"type": "null"}]
    if "anyOf" not in property_schema or len(members) == len(property_schema["anyOf"]):
        return property_schema
    rest = {k: v for k, v in property_schema.items() if k != "anyOf" and not (k == "default" and v is None)}
    return {**members[0], **rest} if len(members) == 1 else {"anyOf": members, **rest}


class UnknownVariant(ApiModel):
    """A union member whose tag this package does not know (only produced in lenient parsing)."""


def _tolerate_enum(value: Any, handler: Any, info: ValidationInfo) -> Any:
    try:
        return handler(value)
    except ValidationError:
        if _is_lenient(info) and isinstance(value, (str, int)):
            return value
        raise


def _serialize_open_enum(value: Any, handler: Any) -> Any:
    # a value kept by lenient parsing is a plain str or int: written as it is, where the enum's own
    # serializer would warn on every dump
    return handler(value) if isinstance(value, Enum) else value


class _OpenEnumMixin:
    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> core_schema.CoreSchema:
        schema = handler(source)
        serialization = core_schema.wrap_serializer_function_ser_schema(_serialize_open_enum, schema=schema)
        return core_schema.with_info_wrap_validator_function(_tolerate_enum, schema, serialization=serialization)


_BOUND_ERRORS = frozenset(
    {"string_too_short", "string_too_long", "string_pattern_mismatch", "greater_than", "greater_than_equal", "less_than", "less_than_equal", "multiple_of"}
)


def _tolerate_bounds(value: Any, handler: Any, info: ValidationInfo) -> Any:
    try:
        return handler(value)
    except ValidationError as error:
        if _is_lenient(info) and all(detail["type"] in _BOUND_ERRORS for detail in error.errors()):
            return value
        raise


Bounded = WrapValidator(_tolerate_bounds)
"""Marks a value whose length, pattern or range holds for what is sent (requests, and what the
generated server accepts) but not for what is received: a response beyond it is kept as it came."""


class ItemCount:
    """Marks a list's ``minItems``/``maxItems``: they hold for what is sent, like ``Bounded``; a
    response with more or fewer items is read item by item all the same."""

    __slots__ = ("min_length", "max_length")

    def __init__(self, min_length: int | None = None, max_length: int | None = None) -> None:
        self.min_length = min_length
        self.max_length = max_length

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.with_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        json_schema = handler(schema)
        if self.min_length is not None:
            json_schema["minItems"] = self.min_length
        if self.max_length is not None:
            json_schema["maxItems"] = self.max_length
        return json_schema

    def _check(self, value: Any, info: ValidationInfo) -> Any:
        if _is_lenient(info):
            return value
        if self.min_length is not None and len(value) < self.min_length:
            raise PydanticKnownError("too_short", {"field_type": "List", "min_length": self.min_length, "actual_length": len(value)})
        if self.max_length is not None and len(value) > self.max_length:
            raise PydanticKnownError("too_long", {"field_type": "List", "max_length": self.max_length, "actual_length": len(value)})
        return value


class ApiEnum(_OpenEnumMixin, str, Enum):
    """Base of generated string enums."""

    def __str__(self) -> str:
        return str(self.value)


class ApiIntEnum(_OpenEnumMixin, IntEnum):
    """Base of generated integer enums."""


class _OpenUnion:
    """The ``Annotated`` marker ``open_union`` makes: lenient parsing turns an unknown tag into
    ``fallback``, which serialises as the JSON it came from (not as one of the known variants); a
    missing tag is an error naming the tags the union knows."""

    def __init__(self, fallback: type[UnknownVariant]) -> None:
        self.fallback = fallback

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> core_schema.CoreSchema:
        schema = handler(source)
        tags = _tags_of(schema)  # one marker (``OpenUnion``) may wrap many unions: each keeps its own

        def validate(value: Any, handler: Any, info: ValidationInfo) -> Any:
            return self._validate(value, handler, info, tags)

        serialization = core_schema.wrap_serializer_function_ser_schema(_serialize_known, info_arg=True, schema=schema)
        return core_schema.with_info_wrap_validator_function(validate, schema, serialization=serialization)

    def _validate(self, value: Any, handler: Any, info: ValidationInfo, tags: list[Any]) -> Any:
        try:
            return handler(value)
        except ValidationError as error:
            kinds = {e["type"] for e in error.errors() if e["loc"] == ()}
            if "union_tag_invalid" in kinds and _is_lenient(info) and isinstance(value, dict):
                return self.fallback.model_validate(value, context=info.context)
            if "union_tag_not_found" in kinds and tags:
                (found,) = [e for e in error.errors() if e["type"] == "union_tag_not_found"]
                expected = ", ".join(repr(tag) for tag in tags)
                raise PydanticCustomError(
                    "union_tag_not_found",
                    "Unable to extract tag using discriminator {discriminator}: expected one of {expected}",
                    {"discriminator": (found.get("ctx") or {}).get("discriminator", "?"), "expected": expected},
                ) from None
            raise


def _tags_of(schema: Any) -> list[Any]:
    """The tags of the tagged union ``schema`` is (or wraps)."""
    while isinstance(schema, dict):
        if schema.get("type") == "tagged-union":
            return list(schema.get("choices", {}))
        schema = schema.get("schema")
    return []


def _serialize_known(value: Any, handler: Any, info: Any) -> Any:
    if isinstance(value, UnknownVariant):
        return value.model_dump(
            mode=info.mode, by_alias=info.by_alias, exclude_unset=info.exclude_unset, exclude_none=info.exclude_none
        )
    return handler(value)


def open_union(fallback: type[UnknownVariant]) -> Any:
    """Marks a tagged union whose unknown tags become ``fallback`` in lenient parsing.

    ``fallback`` is the union's own ``Unknown...`` model (the fields every variant has, typed), or
    ``UnknownVariant``; it is validated leniently too.
    """
    return _OpenUnion(fallback)


OpenUnion = open_union(UnknownVariant)
"""Marks a tagged union whose unknown tags become ``UnknownVariant`` in lenient parsing."""
