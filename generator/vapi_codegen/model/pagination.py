"""Recognise page-shaped list operations (a page-number parameter; a page model with items and metadata)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from vapi_codegen.model import ir
from vapi_codegen.model.vapi_conventions import (
    CURRENT_PAGE_FIELDS,
    HAS_NEXT_PAGE_FIELDS,
    PAGE_ITEMS_FIELDS,
    PAGE_METADATA_FIELDS,
    PAGE_PARAMETER,
    TOTAL_PAGES_FIELDS,
)


def detect_pagination(operation: ir.Operation, declarations: Mapping[str, ir.Declaration]) -> ir.Pagination | None:
    """How the operation pages, when it takes a page-number query parameter and answers a page model."""
    page_parameter = next(
        (p for p in operation.parameters if p.location is ir.ParameterLocation.QUERY and p.json_name == PAGE_PARAMETER), None
    )
    success = operation.success
    page = declarations.get(success.type.name) if success is not None and isinstance(success.type, ir.Ref) else None
    if page_parameter is None or not isinstance(page, ir.ModelDecl):
        return None
    items = _first_field(page, PAGE_ITEMS_FIELDS, lambda decl: isinstance(decl.type, ir.ArrayType))
    metadata = _first_field(page, PAGE_METADATA_FIELDS)
    if items is None or metadata is None or not isinstance(items.type, ir.ArrayType):
        return None
    meta = _model_of(metadata.type, declarations)
    return ir.Pagination(
        strategy=ir.PaginationStrategy.PAGE_NUMBER,
        page_parameter=page_parameter,
        items_field=items,
        item_type=items.type.items,
        metadata_field=metadata,
        has_next_field=_first_field(meta, HAS_NEXT_PAGE_FIELDS),
        current_page_field=_first_field(meta, CURRENT_PAGE_FIELDS),
        total_pages_field=_first_field(meta, TOTAL_PAGES_FIELDS),
    )


def _model_of(type_ref: ir.TypeRef, declarations: Mapping[str, ir.Declaration]) -> ir.ModelDecl | None:
    """The model a (maybe nullable) type is, aliases followed; None for any other type."""
    type_ref = ir.resolve_alias(declarations, type_ref)
    if isinstance(type_ref, ir.Nullable):
        type_ref = ir.resolve_alias(declarations, type_ref.inner)
    declaration = declarations.get(type_ref.name) if isinstance(type_ref, ir.Ref) else None
    return declaration if isinstance(declaration, ir.ModelDecl) else None


def _first_field(
    model: ir.ModelDecl | None, json_names: tuple[str, ...], fits: Callable[[ir.FieldDecl], bool] = lambda decl: True
) -> ir.FieldDecl | None:
    """The model's first field named in ``json_names`` (in their order) that ``fits``."""
    if model is None:
        return None
    found = (model.field_by_json(name) for name in json_names)
    return next((decl for decl in found if decl is not None and fits(decl)), None)
