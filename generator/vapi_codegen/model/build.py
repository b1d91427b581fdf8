"""Loaded document -> intermediate model (``ir.Api``), named by the naming pass."""

from __future__ import annotations

from typing import Any

from vapi_codegen.model import ir
from vapi_codegen.diagnostics import Diagnostics
from vapi_codegen.loading.document import Document
from vapi_codegen.model.operations import OperationParser
from vapi_codegen.model.pagination import detect_pagination
from vapi_codegen.model.resource_detection import find_resources
from vapi_codegen.naming.assign import assign_names
from vapi_codegen.naming.identifiers import AttributeNames
from vapi_codegen.normalising.normaliser import Normaliser
from vapi_codegen.normalising.refs import child
from vapi_codegen.model.schemas import SchemaParser
from vapi_codegen.model.security import read_environments
from vapi_codegen.normalising.schema_facts import is_object_schema, mapping_field
from vapi_codegen.model.unions import apply_tag_requests
from vapi_codegen.model.inline_unions import name_inline_unions
from vapi_codegen.model.union_fallbacks import add_union_fallbacks

_SCHEMA_CONTAINERS = (("/components/schemas", "components", "schemas"), ("/$defs", "$defs"), ("/definitions", "definitions"))


def build_api(
    document: Document,
    diagnostics: Diagnostics,
    normaliser: Normaliser | None = None,
    attribute_names: AttributeNames = AttributeNames.PYTHON,
) -> ir.Api:
    """Build the intermediate model of a document, every emitted name assigned; problems go to ``diagnostics``.

    ``normaliser`` is the document's reading shared with another stage (``diff``); made here without one.
    ``attribute_names`` is how the naming pass names model attributes.
    """
    data = document.data
    normaliser = normaliser or Normaliser.for_document(document, diagnostics)
    registry = normaliser.registry
    parser = SchemaParser(normaliser, diagnostics)
    named = _named_schemas(data)
    registry.preallocate(list(named))
    for pointer, schema in sorted(named.items()):  # sorted: inline names never depend on document order
        parser.declare_named(pointer, schema)
    if not document.is_openapi:
        _declare_root_schema(document, parser)
    operation_parser = OperationParser(parser, data)
    operations = operation_parser.operations() if document.is_openapi else []
    webhooks = operation_parser.webhooks() if document.is_openapi else []
    parser.finish()
    apply_tag_requests(parser)
    _break_empty_cycles(parser.declarations, diagnostics)
    name_inline_unions(parser.declarations, operations + webhooks, registry)
    add_union_fallbacks(parser.declarations, operations, registry)
    for operation in operations:
        operation.pagination = detect_pagination(operation, parser.declarations)
    info = mapping_field(data, "info")
    api = ir.Api(
        title=str(info.get("title") or data.get("title") or document.path.stem),
        version=str(info.get("version") or ""),
        source_name=document.name,
        declarations=parser.declarations,
        operations=operations,
        webhooks=webhooks,
        servers=[str(s["url"]) for s in data.get("servers") or [] if isinstance(s, dict) and "url" in s],
        description=info.get("description") if isinstance(info.get("description"), str) else None,
        security_schemes=list(operation_parser.security.schemes.values()),
        environments=read_environments(data, diagnostics) if document.is_openapi else [],
    )
    api.resources = find_resources(api)
    assign_names(api, registry.class_names, attribute_names)
    return api


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
    title = str(data["title"]) if isinstance(data.get("title"), str) else document.path.stem
    name = parser.registry.name_for("", title)
    if is_object_schema(data):
        parser.build_model(name, data, "")
    else:
        parser.declarations[name] = ir.AliasDecl(name, "", parser.type_of(data, "", name, titled=False))


def _break_empty_cycles(declarations: dict[str, ir.Declaration], diagnostics: Diagnostics) -> None:
    """An alias that is itself (``A: {$ref: A}``, ``A: {oneOf: [string, $ref: A]}``) has no shape
    pydantic can build: it accepts any value instead. Recursion through a list, map or model is fine."""
    for alias in sorted((d for d in declarations.values() if isinstance(d, ir.AliasDecl)), key=lambda d: d.pointer):
        seen: set[str] = set()
        pending = list(ir.referenced_names(alias.type, inside_containers=False))
        while pending:
            name = pending.pop()
            target = declarations.get(name)
            if name in seen or not isinstance(target, ir.AliasDecl):
                continue
            seen.add(name)
            pending.extend(ir.referenced_names(target.type, inside_containers=False))
        if alias.name in seen:
            diagnostics.warn(alias.pointer, "schema is defined only by itself; any value is accepted")
            alias.type = ir.AnyType()

