"""Loaded document -> intermediate model (``ir.Api``)."""

from __future__ import annotations

from typing import Any

from . import ir
from .errors import Diagnostics
from .loader import Document
from .operations import OperationParser
from .pagination import detect_pagination
from .refs import Registry, child
from .schemas import SchemaParser
from .shapes import is_object_schema
from .unions import apply_tag_requests

_SCHEMA_CONTAINERS = (("/components/schemas", "components", "schemas"), ("/$defs", "$defs"), ("/definitions", "definitions"))


def build_api(document: Document, diagnostics: Diagnostics) -> ir.Api:
    """Build the intermediate model of a document; problems go to ``diagnostics``."""
    data = document.data
    registry = Registry(data, diagnostics)
    parser = SchemaParser(registry, diagnostics)
    named = _named_schemas(data)
    registry.preallocate(list(named))
    for pointer, schema in sorted(named.items()):  # sorted: inline names never depend on document order
        parser.declare_named(pointer, schema)
    if not document.is_openapi:
        _declare_root_schema(document, parser)
    operations = OperationParser(parser, data).operations() if document.is_openapi else []
    apply_tag_requests(parser)
    for operation in operations:
        operation.pagination = detect_pagination(operation, parser.declarations)
    info = data.get("info") if isinstance(data.get("info"), dict) else {}
    return ir.Api(
        title=str(info.get("title") or data.get("title") or document.path.stem),
        version=str(info.get("version") or ""),
        source_name=document.name,
        declarations=dict(sorted(parser.declarations.items())),
        operations=operations,
        bearer_auth=_has_bearer(data),
        servers=[str(s["url"]) for s in data.get("servers") or [] if isinstance(s, dict) and "url" in s],
        description=info.get("description") if isinstance(info.get("description"), str) else None,
    )


def _named_schemas(data: dict[str, Any]) -> dict[str, Any]:
    named: dict[str, Any] = {}
    for prefix, *path in _SCHEMA_CONTAINERS:
        node: Any = data
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict):
            for key, schema in node.items():
                named[child(prefix, key)] = schema
    return named


def _declare_root_schema(document: Document, parser: SchemaParser) -> None:
    """A standalone JSON Schema: the document itself is a schema, named after its title."""
    data = document.data
    title = data.get("title") if isinstance(data.get("title"), str) else document.path.stem
    name = parser.registry.name_for("", title)
    if is_object_schema(data):
        parser.build_model(name, data, "")
    else:
        parser.declarations[name] = ir.AliasDecl(name, "", parser.type_of(data, "", name, titled=False))


def _has_bearer(data: dict[str, Any]) -> bool:
    schemes = ((data.get("components") or {}).get("securitySchemes") or {}) if isinstance(data.get("components"), dict) else {}
    return any(
        isinstance(s, dict) and s.get("type") == "http" and str(s.get("scheme", "")).lower() == "bearer"
        for s in schemes.values()
    )

