"""Recognise page-shaped list operations (``results`` + ``metadata`` with a ``page`` parameter)."""

from __future__ import annotations

from vapi_codegen.model import ir

_ITEM_FIELDS = ("results", "items", "data")
_META_FIELDS = ("metadata", "meta", "pagination")


def detect_pagination(operation: ir.Operation, declarations: dict[str, ir.Declaration]) -> ir.Pagination | None:
    """Pagination info when the operation takes a ``page`` query parameter and returns a page model."""
    query = {p.json_name: p for p in operation.parameters if p.location == "query"}
    success = operation.success
    if "page" not in query or success is None or not isinstance(success.type, ir.Ref):
        return None
    page = declarations.get(success.type.name)
    if not isinstance(page, ir.ModelDecl):
        return None
    fields = {f.json_name: f for f in page.fields}
    items = next((fields[n] for n in _ITEM_FIELDS if n in fields and isinstance(fields[n].type, ir.ArrayType)), None)
    meta = next((fields[n] for n in _META_FIELDS if n in fields), None)
    if items is None or meta is None or not isinstance(items.type, ir.ArrayType):
        return None
    return ir.Pagination(
        items_field=items.name,
        item_type=items.type.items,
        meta_field=meta.name,
        page_param=query["page"].name,
    )
