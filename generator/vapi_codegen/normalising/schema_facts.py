"""Reading raw spec values: schema shape predicates and spec text, shared by the parsing rules."""

from __future__ import annotations

from typing import Any

COMPOSITE_KEYS = ("oneOf", "anyOf")


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


def mapping_field(node: Any, key: str) -> dict[str, Any]:
    """``node[key]`` when both are mappings; an empty mapping otherwise (sloppy or absent values)."""
    value = node.get(key) if isinstance(node, dict) else None
    return value if isinstance(value, dict) else {}


def spec_text(value: Any) -> str | None:
    """A text field of the spec (summary, description) stripped; None when absent, blank or not a string."""
    return value.strip() if isinstance(value, str) and value.strip() else None


def description(node: Any) -> str | None:
    """The ``description`` of a schema, parameter, body or response object."""
    return spec_text(node.get("description")) if isinstance(node, dict) else None


def preferred_media_type(content: dict[Any, Any]) -> Any:
    """The key of a non-empty ``content`` map to read: its first JSON media type, else its first key."""
    json_types = [t for t in content if str(t).split(";")[0].strip() == "application/json" or str(t).endswith("+json")]
    return json_types[0] if json_types else next(iter(content))
