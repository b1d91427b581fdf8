"""Predicates on raw schema shapes, shared by the schema and union rules."""

from __future__ import annotations

from typing import Any

COMPOSITE_KEYS = ("oneOf", "anyOf")


def is_null_schema(schema: Any) -> bool:
    return isinstance(schema, dict) and (schema.get("type") == "null" or schema.get("enum") == [None])


def is_object_schema(schema: Any) -> bool:
    """Schemas that become a model class."""
    if not isinstance(schema, dict) or "$ref" in schema or "enum" in schema:
        return False
    if any(key in schema for key in COMPOSITE_KEYS):
        return False
    if "properties" in schema and isinstance(schema["properties"], dict):
        return True
    all_of = schema.get("allOf")
    return isinstance(all_of, list) and len(all_of) > 1

