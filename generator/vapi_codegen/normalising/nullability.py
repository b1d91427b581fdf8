"""Whether a schema accepts ``null``: the one place that reads each way a spec can say so."""

from __future__ import annotations

from typing import Any, NamedTuple

from vapi_codegen.normalising.schema_facts import COMPOSITE_KEYS


class Nullability(NamedTuple):
    """The ways one schema (``$ref``s not followed, ``allOf`` not merged) lets ``null`` through.

    ``types`` are its declared ``type``s other than ``"null"``, in the order written. A named tuple:
    it is read for every schema of the document (Microsoft Graph: ~270,000 times), and a tuple is
    built several times faster than a frozen dataclass.
    """

    keyword: bool  # OpenAPI 3.0: ``nullable: true``
    in_type: bool  # OpenAPI 3.1: ``type: "null"`` or ``"null"`` in a ``type`` list
    null_member: bool  # a oneOf/anyOf member only null satisfies
    in_enum: bool  # null among the ``enum`` values
    types: tuple[Any, ...]

    @property
    def nullable(self) -> bool:
        return self.keyword or self.in_type or self.null_member or self.in_enum


def read_nullability(schema: Any) -> Nullability:
    """The nullability facts of ``schema`` (all false for a non-object schema)."""
    if not isinstance(schema, dict):
        return _NOT_NULLABLE
    declared = schema.get("type")
    written = declared if isinstance(declared, list) else () if declared is None else (declared,)
    enum = schema.get("enum")
    return Nullability(
        keyword=schema.get("nullable") is True,
        in_type="null" in written,
        null_member=any(map(is_null_schema, union_members(schema))),
        in_enum=isinstance(enum, list) and None in enum,
        types=tuple(t for t in written if t != "null"),
    )


_NOT_NULLABLE = Nullability(False, False, False, False, ())


def has_nullable_keyword(schema: Any) -> bool:
    """``read_nullability(schema).keyword`` alone: what every schema's type is asked first."""
    return isinstance(schema, dict) and schema.get("nullable") is True


def union_keyword(schema: dict[str, Any]) -> str | None:
    """The oneOf/anyOf keyword a schema is read as (``oneOf`` when it has both), else None."""
    return next((key for key in COMPOSITE_KEYS if key in schema), None)


def union_members(schema: dict[str, Any]) -> list[Any]:
    """The members of the schema's oneOf/anyOf list, null ones included; empty when it has none."""
    key = union_keyword(schema)
    members = schema.get(key) if key else None
    return members if isinstance(members, list) else []


def non_null_members(members: list[Any]) -> list[tuple[int, Any]]:
    """(index, member) of the oneOf/anyOf members that are not null-only schemas."""
    return [(index, member) for index, member in enumerate(members) if not is_null_schema(member)]


def is_null_schema(schema: Any) -> bool:
    """A schema only ``null`` satisfies (a oneOf/anyOf member that makes the union nullable)."""
    return isinstance(schema, dict) and (schema.get("type") == "null" or schema.get("enum") == [None])
