"""Base classes of the generated models (hand-written runtime, copied verbatim by vapi-codegen).

Requests are validated strictly. Responses are parsed with the ``LENIENT`` validation context:
then an enum value or a union tag the package does not know yet (the server added a provider)
is kept as it came (a plain string, or an ``UnknownVariant``) instead of failing.
"""

from __future__ import annotations

from enum import Enum, IntEnum
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, WrapValidator
from pydantic_core import core_schema

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

    def model_post_init(self, context: Any, /) -> None:
        if self.__vapi_tags__:
            self.__pydantic_fields_set__.update(self.__vapi_tags__)

    def to_json_dict(self) -> dict[str, Any]:
        """The JSON object for this model: by alias, only the fields that were set."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


class UnknownVariant(ApiModel):
    """A union member whose tag this package does not know (only produced in lenient parsing)."""


def _tolerate_enum(value: Any, handler: Any, info: ValidationInfo) -> Any:
    try:
        return handler(value)
    except ValidationError:
        if _is_lenient(info) and isinstance(value, (str, int)):
            return value
        raise


class _OpenEnumMixin:
    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.with_info_wrap_validator_function(_tolerate_enum, handler(source))


class ApiEnum(_OpenEnumMixin, str, Enum):
    """Base of generated string enums."""

    def __str__(self) -> str:
        return str(self.value)


class ApiIntEnum(_OpenEnumMixin, IntEnum):
    """Base of generated integer enums."""


def _tolerate_unknown_tag(value: Any, handler: Any, info: ValidationInfo) -> Any:
    try:
        return handler(value)
    except ValidationError as error:
        unknown_tag = any(e["type"] == "union_tag_invalid" and e["loc"] == () for e in error.errors())
        if unknown_tag and _is_lenient(info) and isinstance(value, dict):
            return UnknownVariant.model_validate(value)
        raise


OpenUnion = WrapValidator(_tolerate_unknown_tag)
"""Marks a tagged union whose unknown tags become ``UnknownVariant`` in lenient parsing."""
