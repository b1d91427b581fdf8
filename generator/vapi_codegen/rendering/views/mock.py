"""Resources of the intermediate model -> what ``mock.py.jinja`` prints (all PyCode).

The generated mock only declares, per resource, which operation creates, lists, pages, gets, updates
or deletes, and which fields the server owns; the behaviour lives in the runtime module ``_mock.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from vapi_codegen.model import ir
from vapi_codegen.rendering.imports import Imports, module_imports
from vapi_codegen.naming.identifiers import words
from vapi_codegen.rendering.pycode import PyCode, code, docstring, identifier, literal, string_literal
from vapi_codegen.model.resource_detection import models_of, tag_field
from vapi_codegen.model.vapi_conventions import MOCK_LIST_CONTROLS, MOCK_PAGE_CONTROLS, RANGE_FILTER
from vapi_codegen.rendering.views.server import (
    QualifiedAnnotator,
    ServiceSignature,
    needs_optional,
    ordered_parameters,
    service_signature,
)


@dataclass
class CollectionView:
    attribute: PyCode
    item_type: PyCode
    id_field: PyCode
    generated_fields: PyCode
    refreshed_fields: PyCode
    initial_values: PyCode
    search_fields: PyCode
    tag_field: PyCode
    generated_kinds: list[str]


@dataclass
class MockOperationView:
    name: PyCode
    signature: ServiceSignature
    statement: PyCode


@dataclass
class MockModule:
    doc: PyCode | None
    collections: list[CollectionView] = field(default_factory=list)
    operations: list[MockOperationView] = field(default_factory=list)
    imports: Imports | None = None
    runtime_imports: list[PyCode] = field(default_factory=list)  # from ``_mock``


def build_mock_module(api: ir.Api) -> MockModule | None:
    """The mock service for ``api``; None when the API has no resource-shaped part."""
    resources = api.resources
    if not resources:
        return None
    annotate = QualifiedAnnotator(api.declarations)
    runtime = {"DEFAULT_OWNER_ID", "ResourceCollection", "Storage"}
    module = MockModule(
        doc=docstring(
            f"A stateful in-memory implementation of the ``Service`` of {api.title}, for development "
            "and tests (``vapi-codegen serve`` runs it)."
        ),
        collections=[_collection_view(api, r, annotate) for r in resources],
    )
    for operation in api.operations:
        owner = next((r for r in resources if r.role_of(operation) is not None), None)
        if owner is None:
            statement = code(
                "raise NotImplementedByMock(", string_literal(f"{operation.unique_id} is not served by the mock"), ")"
            )
            runtime.add("NotImplementedByMock")
        else:
            statement = code("return self.", identifier(owner.attribute), ".", _call(api, owner, operation, annotate))
        method = identifier(operation.names.service_method)
        module.operations.append(MockOperationView(method, service_signature(operation, annotate), statement))
    used = annotate.used
    if needs_optional(api.operations):
        used.add("Optional")
    module.imports = module_imports(used)
    runtime.update(kind for view in module.collections for kind in view.generated_kinds)
    module.runtime_imports = [PyCode(name) for name in sorted(runtime)]
    return module


def _collection_view(api: ir.Api, resource: ir.Resource, annotate: QualifiedAnnotator) -> CollectionView:
    items = models_of(api, resource.item_type)
    body_models = models_of(api, resource.create.body.type if resource.create.body else None)
    accepted = {f.json_name for model in body_models for f in model.fields if not f.read_only}
    id_field = _id_field(resource, items)
    id_kind = None if id_field in accepted else _id_kind(items, id_field, resource.id_parameter)  # else the client picks the id
    generated: dict[str, str] = {id_field: id_kind} if id_kind else {}
    initial: dict[str, object] = {}
    for model in items:
        for decl in model.fields:
            if decl.json_name in generated or decl.json_name in initial or decl.json_name in accepted:
                continue
            kind = _generated_kind(decl)
            if kind is not None and decl.required:
                generated[decl.json_name] = kind
            elif not decl.required and (value := _initial_value(api, decl)) is not None:
                initial[decl.json_name] = value
    refreshed = [name for name, kind in generated.items() if kind == "NOW" and name.lower().startswith("updated")]
    tag = tag_field(api, resource.item_type)
    return CollectionView(
        attribute=identifier(resource.attribute),
        item_type=annotate(resource.item_type),
        id_field=string_literal(id_field),
        generated_fields=code("{", ", ".join(code(string_literal(k), ": ", identifier(v)) for k, v in generated.items()), "}"),
        refreshed_fields=literal(refreshed),
        initial_values=literal(initial),
        search_fields=literal(_search_fields(resource, items)),
        tag_field=literal(tag),
        generated_kinds=sorted(set(generated.values())),
    )


def _id_field(resource: ir.Resource, items: list[ir.ModelDecl]) -> str:
    """The item field holding the id: named like the item path's parameter, else ``id``."""
    names = {f.json_name for model in items for f in model.fields}
    return resource.id_parameter.json_name if resource.id_parameter.json_name in names or "id" not in names else "id"


def _id_kind(items: list[ir.ModelDecl], id_field: str, id_parameter: ir.Parameter) -> str | None:
    """How the mock assigns a server-owned id (one the create body does not accept, or ``readOnly``):
    NEW_ID for a text id, NEW_NUMBER for an integer one, None for any other type (the body must then
    set it). Required or not, whatever the body sent for it. An id the item does not declare is typed
    like the item path's parameter, by which it is read back."""
    kinds = {_primitive_kind(decl) for model in items for decl in model.fields if decl.json_name == id_field}
    if not kinds:
        return "NEW_NUMBER" if _primitive_kind(id_parameter) is ir.PrimitiveKind.INT else "NEW_ID"
    if ir.PrimitiveKind.STR in kinds:
        return "NEW_ID"
    return "NEW_NUMBER" if ir.PrimitiveKind.INT in kinds else None


def _primitive_kind(decl: ir.FieldDecl | ir.Parameter) -> ir.PrimitiveKind | None:
    """The kind of a field (or parameter) whose (maybe nullable) type is a primitive, else None."""
    type_ref = decl.type.inner if isinstance(decl.type, ir.Nullable) else decl.type
    return type_ref.kind if isinstance(type_ref, ir.Primitive) else None


def _generated_kind(decl: ir.FieldDecl) -> str | None:
    """How the server fills a required field the create body cannot set: NOW or OWNER_ID."""
    kind = _primitive_kind(decl)
    if kind is ir.PrimitiveKind.DATETIME:
        return "NOW"
    return "OWNER_ID" if kind is ir.PrimitiveKind.STR else None


def _initial_value(api: ir.Api, decl: ir.FieldDecl) -> object:
    """The value of a server-owned optional field on a new resource: its spec default, else, for an
    enum (``status``, which the spec gives no default), the first value the enum lists."""
    if decl.default is not None:
        return decl.default.value
    type_ref = decl.type.inner if isinstance(decl.type, ir.Nullable) else decl.type
    declaration = api.declarations.get(type_ref.name) if isinstance(type_ref, ir.Ref) else None
    if isinstance(declaration, ir.EnumDecl) and declaration.members:
        return declaration.members[0].value
    return None


def _search_fields(resource: ir.Resource, items: list[ir.ModelDecl]) -> list[str]:
    """The text fields ``search`` looks in: those its description names, else every text field."""
    search = next((p for op in resource.pages + resource.lists for p in op.parameters if p.json_name == "search"), None)
    if search is None:
        return []
    text_fields: list[str] = []
    for model in items:
        for decl in model.fields:
            type_ref = decl.type.inner if isinstance(decl.type, ir.Nullable) else decl.type
            if isinstance(type_ref, ir.Primitive) and type_ref.kind is ir.PrimitiveKind.STR and decl.json_name not in text_fields:
                text_fields.append(decl.json_name)
    described = set(re.findall(r"[a-z0-9]+", (search.description or "").lower()))
    named = [name for name in text_fields if all(w.lower() in described for w in words(name))]
    return named or text_fields


def _call(api: ir.Api, resource: ir.Resource, operation: ir.Operation, annotate: QualifiedAnnotator) -> PyCode:
    role = resource.role_of(operation)
    positional, keyword = ordered_parameters(operation)
    item_id = identifier(positional[-1].name) if positional else PyCode("")
    if role is ir.ResourceRole.CREATE:
        return PyCode("create(body)")
    if role is ir.ResourceRole.GET:
        return code("get(", item_id, ")")
    if role is ir.ResourceRole.UPDATE:
        return code("update(", item_id, ", body)")
    if role is ir.ResourceRole.DELETE:
        return code("delete(", item_id, ")")
    item_fields = {f.json_name for model in models_of(api, resource.item_type) for f in model.fields}
    arguments: list[PyCode] = []
    paging = operation.pagination if role is ir.ResourceRole.PAGE else None
    if paging is not None:
        assert operation.success is not None and operation.success.type is not None
        arguments += [
            annotate(operation.success.type),
            code("items_field=", string_literal(paging.items_field.json_name)),
            code("meta_field=", string_literal(paging.metadata_field.json_name)),
        ]
    controls = MOCK_PAGE_CONTROLS if paging is not None else MOCK_LIST_CONTROLS
    filters: list[PyCode] = []
    for parameter in keyword:
        name = identifier(parameter.name)
        match = RANGE_FILTER.match(parameter.json_name)
        if parameter.json_name in controls:
            arguments.append(code(controls[parameter.json_name], "=", name))
        elif match and match.group("field") in item_fields:
            filters.append(code("(", string_literal(match.group("field")), ", ", string_literal(match.group("how").lower()), ", ", name, ")"))
        elif parameter.json_name in item_fields:
            filters.append(code("(", string_literal(parameter.json_name), ', "eq", ', name, ")"))
    if filters:
        arguments.append(code("filters=[", ", ".join(filters), "]"))
    return code("page(" if paging is not None else "list_items(", ", ".join(arguments), ")")
