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
from vapi_codegen.model.resource_detection import models_of, tag_field, unserved_reasons
from vapi_codegen.model.sample_values import sample_value
from vapi_codegen.model.vapi_conventions import (
    MOCK_EVENT_SOURCE_FIELDS,
    MOCK_EVENT_TEXT_FIELDS,
    MOCK_LIST_CONTROLS,
    MOCK_PAGE_CONTROLS,
    MOCK_UPLOAD_FIELDS,
    RANGE_FILTER,
)
from vapi_codegen.rendering.views.server import (
    QualifiedAnnotator,
    ServiceSignature,
    needs_optional,
    ordered_parameters,
    service_signature,
    uses_media,
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
class UploadStoreView:
    attribute: PyCode
    describe: PyCode  # item field -> what of the upload it holds


@dataclass
class MockOperationView:
    name: PyCode
    signature: ServiceSignature | None  # None: not served, ``statement`` is the method (``not_served(...)``)
    statement: PyCode


@dataclass
class MockModule:
    doc: PyCode | None
    collections: list[CollectionView] = field(default_factory=list)
    operations: list[MockOperationView] = field(default_factory=list)
    imports: Imports | None = None
    runtime_imports: list[PyCode] = field(default_factory=list)  # from ``_mock``
    upload_stores: list[UploadStoreView] = field(default_factory=list)
    media_imports: list[PyCode] = field(default_factory=list)  # from ``_mock_media``
    media: bool = False  # whether its signatures name the ``_server_media`` runtime
    # whether some method is ``_mock.not_served(...)``: read through the module, as a method of
    # the class body may be named ``not_served`` too
    not_served: bool = False
    error_statuses: PyCode | None = None  # method -> the statuses it answers besides the server's own


def build_mock_module(api: ir.Api) -> MockModule | None:
    """The mock service for ``api``; None when the API has no resource-shaped part nor event stream."""
    resources = api.resources
    if not resources and not any(op.events is not None for op in api.operations):
        return None
    annotate = QualifiedAnnotator(api.declarations)
    runtime = {"DEFAULT_OWNER_ID", "ResourceCollection", "Storage"}
    module = MockModule(
        doc=docstring(
            f"A stateful in-memory implementation of the ``Service`` of {api.title}, for development "
            "and tests (``vapi-codegen serve`` runs it)."
        ),
        collections=[_collection_view(api, r, annotate) for r in resources],
        upload_stores=[_upload_store_view(api, r) for r in resources if r.uploads is not None],
    )
    media: set[str] = {"UploadStore"} if module.upload_stores else set()
    error_statuses: dict[str, list[int]] = {}
    unserved_reason = unserved_reasons(api)
    served: list[ir.Operation] = []  # the operations the mock has a method with a signature for
    owners: dict[int, ir.Resource] = {}  # id of an operation -> the first resource it plays a role in
    for resource in resources:
        for _, ops in resource.roles():
            for op in ops:
                if op is not None:
                    owners.setdefault(id(op), resource)
    for operation in api.operations:
        method = identifier(operation.names.service_method)
        owner = owners.get(id(operation))
        stream_flag = _stream_flag(api, operation) if operation.events is not None else None
        statuses = _error_statuses(owner, operation, stream_flag)
        if statuses:
            error_statuses[operation.names.service_method] = statuses
        if owner is None and operation.events is not None:
            statement = code("return ", _echo(api, operation, annotate))
            media.add("echo_events")
        elif owner is None:
            # typed as the Service protocol's method, not written out again (Microsoft Graph beta
            # has ~13,000 such methods)
            reason = string_literal(unserved_reason(operation))
            module.operations.append(MockOperationView(method, None, code("_mock.not_served(Service.", method, ", ", reason, ")")))
            module.not_served = True
            continue
        elif stream_flag is not None:
            # a create that also streams (``stream: true``): events when asked for, the resource else
            echo, owned = _echo(api, operation, annotate), _owned_call(api, owner, operation, annotate)
            statement = code("return ", echo, " if asks_for_events(body, ", string_literal(stream_flag), ") else ", owned)
            media.update({"echo_events", "asks_for_events"})
        else:
            statement = code("return ", _owned_call(api, owner, operation, annotate))
        module.operations.append(MockOperationView(method, service_signature(operation, annotate), statement))
        served.append(operation)
    if error_statuses:
        module.error_statuses = literal(error_statuses)
    module.media = any(uses_media(op) for op in served)
    used = annotate.used
    if needs_optional(served):
        used.add("Optional")
    module.imports = module_imports(used)
    runtime.update(kind for view in module.collections for kind in view.generated_kinds)
    module.runtime_imports = [PyCode(name) for name in sorted(runtime)]
    module.media_imports = [PyCode(name) for name in sorted(media)]
    return module


def _error_statuses(owner: ir.Resource | None, operation: ir.Operation, stream_flag: str | None) -> list[int]:
    """What the mock's method answers besides the server's own errors: 501 for an operation it does
    not serve (or whose JSON answer it does not serve: an event stream asked for by a flag), 507 for
    a create or update, refused when the mock is full."""
    if owner is None:
        return [501] if operation.events is None or stream_flag is not None else []
    return [507] if owner.role_of(operation) in (ir.ResourceRole.CREATE, ir.ResourceRole.UPDATE) else []


def _upload_store_view(api: ir.Api, resource: ir.Resource) -> UploadStoreView:
    """The files of a resource created by an upload, and the item fields describing them."""
    assert resource.uploads is not None
    declared = {f.json_name for model in models_of(api, resource.item_type) for f in model.fields}
    describe = {}
    for fact, names in MOCK_UPLOAD_FIELDS.items():
        found = next((name for name in names if name in declared), None)
        if found is not None:
            describe[found] = fact
    return UploadStoreView(identifier(resource.uploads), literal(describe))


def _owned_call(api: ir.Api, resource: ir.Resource, operation: ir.Operation, annotate: QualifiedAnnotator) -> PyCode:
    """The expression serving an operation of a resource the mock keeps."""
    collection = code("self.", identifier(resource.attribute))
    role = resource.role_of(operation)
    if resource.uploads is not None and role in (ir.ResourceRole.CREATE, ir.ResourceRole.DOWNLOAD):
        store = code("self.", identifier(resource.uploads))
        if role is ir.ResourceRole.DOWNLOAD:
            positional, _ = ordered_parameters(operation)
            return code(store, ".download(", collection, ", ", identifier(positional[-1].name), ")")
        parts = [code(string_literal(p.json_name), ": ", identifier(p.name)) for p in _form_fields(resource)]
        return code("await ", store, ".create(", collection, ", {", ", ".join(parts), "})")
    return code(collection, ".", _call(api, resource, operation, annotate))


def _form_fields(resource: ir.Resource) -> list[ir.FormField]:
    return resource.create.body.form_fields if resource.create.body is not None else []


def _stream_flag(api: ir.Api, operation: ir.Operation) -> str | None:
    """The boolean body field that asks an operation answering JSON or events for its events."""
    success = operation.success
    if success is None or success.type is None or operation.body is None:
        return None
    return _text_field(models_of(api, operation.body.type), ("stream",), ir.PrimitiveKind.BOOL)


def _echo(api: ir.Api, operation: ir.Operation, annotate: QualifiedAnnotator) -> PyCode:
    """``echo_events(...)`` for an operation's events: the words of the body's text field, one per event."""
    assert operation.events is not None
    arguments = [annotate(operation.events), PyCode("body" if operation.body is not None and not operation.body.form_fields else "None")]
    body_models = models_of(api, operation.body.type) if operation.body is not None else []
    flag = _stream_flag(api, operation)
    if flag is not None:
        arguments.append(code("flag=", string_literal(flag)))
    source = _text_field(body_models, MOCK_EVENT_SOURCE_FIELDS, ir.PrimitiveKind.STR, anywhere=True)
    if source is not None:
        arguments.append(code("source=", string_literal(source)))
    into = _text_field(models_of(api, operation.events)[:1], MOCK_EVENT_TEXT_FIELDS, ir.PrimitiveKind.STR)
    if into is not None:
        arguments.append(code("into=", string_literal(into)))
    return code("echo_events(", ", ".join(arguments), ")")


def _text_field(models: list[ir.ModelDecl], names: tuple[str, ...], kind: ir.PrimitiveKind, anywhere: bool = False) -> str | None:
    """The first of ``names`` that the first of ``models`` declares with a ``kind`` value (or, with
    ``anywhere``, of any type: a text-or-messages ``input`` is echoed when it is text)."""
    for name in names:
        for model in models[:1]:
            decl = model.field_by_json(name)
            if decl is not None and (anywhere or _primitive_kind(decl) is kind):
                return name
    return None


def _collection_view(api: ir.Api, resource: ir.Resource, annotate: QualifiedAnnotator) -> CollectionView:
    items = models_of(api, resource.item_type)
    body_models = models_of(api, resource.create.body.type if resource.create.body else None)
    accepted = {f.json_name for model in body_models for f in model.fields if not f.read_only}
    required_by_body = {f.json_name for model in body_models for f in model.fields if f.required}
    # a field some list requires a value for (``GET /file?purpose=``): an item without one is never listed
    listing = resource.lists + resource.pages
    listed_by = {p.json_name for op in listing for p in op.parameters if p.required and p.location is ir.ParameterLocation.QUERY}
    scope = {p.json_name for p in resource.create.parameters if p.location is ir.ParameterLocation.PATH}
    id_field = _id_field(resource, items)
    id_kind = None if id_field in accepted else _id_kind(items, id_field, resource.id_parameter)  # else the client picks the id
    generated: dict[str, str] = {id_field: id_kind} if id_kind else {}
    initial: dict[str, object] = {}
    for model in items:
        for decl in model.fields:
            if decl.json_name in generated or decl.json_name in initial or decl.json_name in scope:
                continue
            if decl.json_name in accepted:  # the body may set it; a required one it may leave out starts sampled
                if decl.required and decl.json_name not in required_by_body:
                    initial[decl.json_name] = _sample(api, decl)
                continue
            kind = _generated_kind(decl) if decl.required else None
            if kind is not None:
                generated[decl.json_name] = kind
            elif decl.required or decl.json_name in listed_by:
                initial[decl.json_name] = _sample(api, decl)
            elif (value := _initial_value(api, decl)) is not None:
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
    like the item path's parameter, by which it is read back; a text id read back through an integer
    parameter (citrixonline.com's SCIM groups) is a number as text."""
    kinds = {_primitive_kind(decl) for model in items for decl in model.fields if decl.json_name == id_field}
    by_number = _primitive_kind(id_parameter) is ir.PrimitiveKind.INT
    if not kinds:
        return "NEW_NUMBER" if by_number else "NEW_ID"
    if ir.PrimitiveKind.STR in kinds:
        return "NEW_NUMBER_TEXT" if by_number else "NEW_ID"
    return "NEW_NUMBER" if ir.PrimitiveKind.INT in kinds else None


def _primitive_kind(decl: ir.FieldDecl | ir.Parameter) -> ir.PrimitiveKind | None:
    """The kind of a field (or parameter) whose (maybe nullable) type is a primitive, else None."""
    type_ref = decl.type.inner if isinstance(decl.type, ir.Nullable) else decl.type
    return type_ref.kind if isinstance(type_ref, ir.Primitive) else None


_OWNER_FIELD = re.compile(r"(org|organization|owner|account|tenant|workspace)_?id", re.IGNORECASE)
_ID_FIELD = re.compile(r"(^|[a-z0-9_])(Id|ID|_id)$")


def _generated_kind(decl: ir.FieldDecl) -> str | None:
    """How the server fills a required field the create body cannot set: NOW for a timestamp,
    OWNER_ID for the owner's id (``orgId``), NEW_ID for any other id (``resourceId``); None when
    it takes a sampled value instead."""
    kind = _primitive_kind(decl)
    if kind is ir.PrimitiveKind.DATETIME:
        return "NOW"
    if kind is not ir.PrimitiveKind.STR:
        return None
    if _OWNER_FIELD.fullmatch(decl.json_name):
        return "OWNER_ID"
    return "NEW_ID" if _ID_FIELD.search(decl.json_name) else None


def _sample(api: ir.Api, decl: ir.FieldDecl) -> object:
    """The value a required field starts with when nothing else sets it: its default, else a sample."""
    return decl.default.value if decl.default is not None else sample_value(api.declarations, decl.type)


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
    """The collection's method serving the operation, with its arguments."""
    role = resource.role_of(operation)
    positional, keyword = ordered_parameters(operation)
    scope = [p for p in positional if p is not resource.id_parameter and p.json_name != resource.id_parameter.json_name]
    scoped = [code("scope={", ", ".join(code(string_literal(p.json_name), ": ", identifier(p.name)) for p in scope), "}")] if scope else []
    item = [identifier(p.name) for p in positional if p not in scope][-1:]
    body = [PyCode("body" if operation.body is not None else "None")]
    if role is ir.ResourceRole.CREATE:
        return code("create(", ", ".join([*body, *scoped]), ")")
    if role is ir.ResourceRole.GET:
        return code("get(", ", ".join([*item, *scoped]), ")")
    if role is ir.ResourceRole.UPDATE:
        return code("update(", ", ".join([*item, *body, *scoped]), ")")
    if role is ir.ResourceRole.DELETE:
        return code("delete(", ", ".join([*item, *scoped]), ")")
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
        elif parameter.json_name in item_fields and parameter.json_name in _ever_set(api, resource):
            filters.append(code("(", string_literal(parameter.json_name), ', "eq", ', name, ")"))
    if filters:
        arguments.append(code("filters=[", ", ".join(filters), "]"))
    arguments.extend(scoped)
    return code("page(" if paging is not None else "list_items(", ", ".join(arguments), ")")


def _ever_set(api: ir.Api, resource: ir.Resource) -> set[str]:
    """The item fields a stored resource may hold: those a create or update body sets, and the
    required ones (the server's own). Filtering on any other would match nothing, so it is left out."""
    fields = {f.json_name for model in models_of(api, resource.item_type) for f in model.fields if f.required}
    for operation in (resource.create, resource.update):
        body = operation.body if operation is not None else None
        if body is not None:
            fields.update(f.json_name for model in models_of(api, body.type) for f in model.fields)
    return fields
