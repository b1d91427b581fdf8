"""Operations of the intermediate model -> what ``resource.py.jinja`` prints: one module of
``resources/`` per group of operations (all PyCode).

The generated resources stay declarative: one ``Endpoint`` constant per operation (method, path and
the types to validate and parse) and, per flavour (sync, async), one thin method per operation that
passes its arguments to the runtime (``templates/runtime/_client.py``, ``_pages.py``).

Importing a resource does not import the models: annotations name them (imported for type checkers
only), and an endpoint's types are functions (``response=lambda: _models.PhoneNumber``) evaluated
on its first call, ``_models`` being the models module imported then.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from vapi_codegen.model import ir
from vapi_codegen.rendering.imports import Imports, module_imports
from vapi_codegen.rendering.input_types import InputAnnotator
from vapi_codegen.rendering.pycode import PyCode, code, docstring, identifier, string_literal
from vapi_codegen.rendering.styles import is_styled, style_call, tuple_code
from vapi_codegen.rendering.type_expressions import Annotator
from vapi_codegen.rendering.views.client_transport import (
    BINARY_RESPONSE,
    EventsView,
    body_arguments,
    events_view,
    stream_types,
    transport_arguments,
    validates_body,
)
from vapi_codegen.rendering.views.params import required_key
from vapi_codegen.rendering.views.security import requirements_literal

_UNKNOWN_VARIANT = PyCode("UnknownVariant")  # what the runtime's lenient parse yields for an unknown tag
_PAGING_CLASSES = {ir.PaginationStrategy.PAGE_NUMBER: PyCode("_pages.Paging")}
_KEYWORD_LOCATIONS = (ir.ParameterLocation.QUERY, ir.ParameterLocation.HEADER)
_OPTIONS = PyCode("options: Optional[_rt.RequestOptions] = None")


@dataclass
class EndpointView:
    name: PyCode
    result: PyCode  # what a call returns (the Endpoint's type parameter)
    arguments: list[PyCode]


@dataclass
class PagingView:
    name: PyCode
    runtime_class: PyCode
    types: PyCode  # the type arguments of a page: items, the page model, its metadata
    paging_types: PyCode  # those of the ``Paging`` declaration: items, metadata
    arguments: list[PyCode]


@dataclass
class MethodView:
    operation: ir.Operation  # what it sends (read by the reference, not printed)
    name: PyCode
    doc: PyCode | None
    parameters: list[PyCode]
    returns: PyCode  # what a call returns; for a paginated operation, the type arguments of its page
    call: list[PyCode]
    paged: bool = False  # returns a page (through ``_pages``) rather than the parsed body
    runtime: PyCode = PyCode("request")  # the client's method it calls: ``request`` or ``stream_events``
    returns_async: PyCode | None = None  # what the async flavour returns, when not ``returns``
    downloads: bool = False  # a download: ``with_streaming_response`` has it too


@dataclass
class FlavourView:
    """One flavour (sync or async) of a group's resource class and its raw-response (and streaming) twins."""

    define: PyCode  # "def" or "async def"
    wait: PyCode  # "" or "await "
    class_name: PyCode
    raw_class_name: PyCode
    streaming_class_name: PyCode | None  # with a download: its ``with_streaming_response`` class
    resource_base: PyCode
    raw_wrapper: PyCode
    streaming_wrapper: PyCode
    page: PyCode  # the runtime's page class (``_pages.SyncPage``) and function making the first page
    pager: PyCode
    doc: PyCode | None
    is_async: bool


@dataclass
class ResourceModule:
    """A module of ``resources/``: one group of operations (one tag)."""

    module: PyCode
    attribute: PyCode
    doc: PyCode | None
    methods: list[MethodView] = field(default_factory=list)
    endpoints: list[EndpointView] = field(default_factory=list)
    pagings: list[PagingView] = field(default_factory=list)
    events: list[EventsView] = field(default_factory=list)
    flavours: list[FlavourView] = field(default_factory=list)
    exports: list[PyCode] = field(default_factory=list)  # the resource classes, sorted
    imports: Imports | None = None
    # Imported for type checkers only: the annotations' names from ``._base``, ``.models`` and ``.params``.
    annotation_base_imports: list[PyCode] = field(default_factory=list)
    model_imports: list[PyCode] = field(default_factory=list)
    params_imports: list[PyCode] = field(default_factory=list)
    lazy_models: bool = False  # whether the endpoints' types use ``_models``
    type_checking: bool = False  # whether there is anything to import for type checkers only


class _ImportingAnnotator(Annotator):
    """An ``Annotator`` of the resource classes' signatures that also records the declarations it
    names (to import them from ``.models``); lists and maps are ``List`` and ``Dict``, as a resource
    may have methods named ``list`` and ``dict``."""

    def __init__(self, api: ir.Api) -> None:
        super().__init__(api.declarations, typing_containers=True)
        self.refs: set[str] = set()
        self.names_unknown_variant = False

    def __call__(self, type_ref: ir.TypeRef) -> PyCode:
        if isinstance(type_ref, ir.Ref):
            self.refs.add(type_ref.name)
        return super().__call__(type_ref)

    def lenient(self, type_ref: ir.TypeRef, seen: frozenset[str] = frozenset()) -> PyCode:
        """The type a lenient parse really returns: a tagged union may also yield its fallback model
        (``UnknownPhoneNumber``), or ``UnknownVariant`` when it has none. An alias is followed (once)
        when a tagged union is inside it."""
        if isinstance(type_ref, ir.Ref):
            declaration = self.declarations.get(type_ref.name)
            if not isinstance(declaration, ir.AliasDecl) or type_ref.name in seen:
                return self(type_ref)
            if _is_tagged(declaration.type):
                return self._or_unknown([self(type_ref)], declaration.type)
            if self._opens(declaration.type, seen | {type_ref.name}):
                return self.lenient(declaration.type, seen | {type_ref.name})
            return self(type_ref)
        if isinstance(type_ref, ir.ArrayType):
            return self.list_of(self.lenient(type_ref.items, seen))
        if isinstance(type_ref, ir.MapType):
            return self.map_of(self.lenient(type_ref.values, seen))
        if isinstance(type_ref, ir.Nullable):
            self.used.add("Optional")
            return code("Optional[", self.lenient(type_ref.inner, seen), "]")
        if isinstance(type_ref, ir.UnionType) and type_ref.discriminator is not None:
            return self._or_unknown([self(variant) for variant in type_ref.variants], type_ref)
        return self(type_ref)

    def _or_unknown(self, members: list[PyCode], union: ir.TypeRef) -> PyCode:
        self.used.add("Union")
        fallback = union.fallback if isinstance(union, ir.UnionType) else None
        if fallback is not None:
            return code("Union[", ", ".join([*members, self(ir.Ref(fallback))]), "]")
        self.names_unknown_variant = True
        return code("Union[", ", ".join([*members, _UNKNOWN_VARIANT]), "]")

    def _opens(self, type_ref: ir.TypeRef, seen: frozenset[str]) -> bool:
        """Whether ``lenient`` adds a fallback to ``type_ref``, at any depth (an alias is followed, once)."""
        if isinstance(type_ref, ir.Ref):
            declaration = self.declarations.get(type_ref.name)
            if type_ref.name in seen or not isinstance(declaration, ir.AliasDecl):
                return False
            return self._opens(declaration.type, seen | {type_ref.name})
        if isinstance(type_ref, ir.ArrayType):
            return self._opens(type_ref.items, seen)
        if isinstance(type_ref, ir.MapType):
            return self._opens(type_ref.values, seen)
        if isinstance(type_ref, ir.Nullable):
            return self._opens(type_ref.inner, seen)
        return _is_tagged(type_ref)


def _is_tagged(type_ref: ir.TypeRef) -> bool:
    return isinstance(type_ref, ir.UnionType) and type_ref.discriminator is not None


class _LazyModelAnnotator(Annotator):
    """Renders declarations as ``_models.Name``, for the types an endpoint evaluates on first use."""

    def __init__(self, api: ir.Api, used: set[str]) -> None:
        super().__init__(api.declarations, typing_containers=True)  # as the signatures write them
        self.used = used  # what else its expressions need is imported with the annotations' needs
        self.names_models = False

    def __call__(self, type_ref: ir.TypeRef) -> PyCode:
        if isinstance(type_ref, ir.Ref):
            self.names_models = True
            return code("_models.", identifier(type_ref.name))
        return super().__call__(type_ref)


def build_resource_modules(api: ir.Api) -> list[ResourceModule]:
    """One module per group of operations; operations keep the spec's order, groups are sorted."""
    groups = api.operations_by_group()
    return [_resource_module(api, group, classes, groups[group]) for group, classes in api.resource_classes.items()]


def _resource_module(api: ir.Api, group: str, classes: ir.ResourceClasses, operations: list[ir.Operation]) -> ResourceModule:
    annotate = _ImportingAnnotator(api)
    lazy = _LazyModelAnnotator(api, annotate.used)
    inputs = InputAnnotator(annotate)
    doc = f"Operations tagged {operations[0].tag!r}: ``client.{group}``."
    module = ResourceModule(identifier(classes.module), identifier(group), docstring(doc, indent=0))
    for operation in operations:
        endpoint = _endpoint_view(operation, api, annotate, lazy)
        module.endpoints.append(endpoint)
        paging = _paging_view(operation, endpoint, annotate)
        if paging is not None:
            module.pagings.append(paging)
        events = events_view(operation, api, lazy, annotate.lenient(operation.events)) if operation.events else None
        if events is not None:
            module.events.append(events)
        module.methods.extend(_method_views(operation, endpoint, paging, events, inputs))
    for is_async in (False, True):
        module.flavours.append(_flavour_view(classes, operations[0].tag, is_async))
    names = [classes.sync, classes.sync_raw, classes.async_, classes.async_raw, classes.sync_streaming, classes.async_streaming]
    module.exports = [identifier(name) for name in sorted({name for name in names if name})]
    module.lazy_models = lazy.names_models
    _collect_imports(module, annotate, inputs)
    return module


def _flavour_view(classes: ir.ResourceClasses, tag: str, is_async: bool) -> FlavourView:
    streaming = classes.async_streaming if is_async else classes.sync_streaming
    return FlavourView(
        define=PyCode("async def" if is_async else "def"),
        wait=PyCode("await " if is_async else ""),
        class_name=identifier(classes.of(is_async, raw=False)),
        raw_class_name=identifier(classes.of(is_async, raw=True)),
        streaming_class_name=identifier(streaming) if streaming else None,
        resource_base=PyCode("_rt.AsyncResource" if is_async else "_rt.SyncResource"),
        raw_wrapper=PyCode("_rt.async_raw_response" if is_async else "_rt.raw_response"),
        streaming_wrapper=PyCode("_rt.async_streaming_response" if is_async else "_rt.streaming_response"),
        page=PyCode("_pages.AsyncPager" if is_async else "_pages.SyncPage"),
        pager=PyCode("_pages.async_pager" if is_async else "_pages.sync_page"),
        doc=docstring(f"{'Asynchronous operations' if is_async else 'Operations'} tagged {tag!r}.", indent=4),
        is_async=is_async,
    )


def _endpoint_view(operation: ir.Operation, api: ir.Api, annotate: _ImportingAnnotator, lazy: Annotator) -> EndpointView:
    success = operation.success
    response_type = success.type if success is not None else None
    arguments = [string_literal(operation.method), string_literal(operation.path)]
    if response_type is not None:
        arguments.append(code("response=lambda: ", lazy(response_type)))
    if operation.body is not None and validates_body(operation.body):
        arguments.append(code("body=lambda: ", lazy(operation.body.type)))
    errors = [r for r in operation.responses if not r.status.startswith("2") and r.type is not None]
    if errors:
        entries = ", ".join(code(string_literal(r.status.upper()), ": ", lazy(r.type)) for r in errors if r.type)
        arguments.append(code("errors=lambda: {", entries, "}"))
    if operation.security:
        arguments.append(code("auth=", requirements_literal(operation)))
    arguments.extend(transport_arguments(operation))
    styles = [style_call(api, operation, p, "_rt") for p in operation.parameters if p.location in _KEYWORD_LOCATIONS and is_styled(api, p)]
    if styles:
        arguments.append(code("styles=", tuple_code(styles)))
    if operation.downloads:
        result = BINARY_RESPONSE
    else:
        result = annotate.lenient(response_type) if response_type is not None else PyCode("None")
    return EndpointView(identifier(operation.names.endpoint), result, arguments)


def _paging_view(operation: ir.Operation, endpoint: EndpointView, annotate: _ImportingAnnotator) -> PagingView | None:
    """The runtime's description of how the operation pages: the fields it reads, by attribute name."""
    paging = operation.pagination
    if paging is None or operation.names.paging is None:
        return None
    arguments = [
        code("page_param=", string_literal(paging.page_parameter.json_name)),
        code("items=", string_literal(paging.items_field.name)),
        code("meta=", string_literal(paging.metadata_field.name)),
    ]
    for keyword, found in (
        ("has_next", paging.has_next_field),
        ("current_page", paging.current_page_field),
        ("total_pages", paging.total_pages_field),
    ):
        if found is not None:
            arguments.append(code(keyword, "=", string_literal(found.name)))
    meta = paging.metadata_field
    meta_type = meta.type if meta.required or isinstance(meta.type, ir.Nullable) else ir.Nullable(meta.type)
    item, meta_annotation = annotate.lenient(paging.item_type), annotate(meta_type)
    types = code(item, ", ", endpoint.result, ", ", meta_annotation)
    return PagingView(
        identifier(operation.names.paging), _PAGING_CLASSES[paging.strategy], types, code(item, ", ", meta_annotation), arguments
    )


def _method_views(
    operation: ir.Operation, endpoint: EndpointView, paging: PagingView | None, events: EventsView | None, inputs: InputAnnotator
) -> list[MethodView]:
    """The operation's method; with events, the one streaming them (its only one, when it answers no JSON)."""
    method = _method_view(operation, endpoint, paging, inputs)
    if events is None:
        return [method]
    stream, async_stream = stream_types(events.data)
    streaming = MethodView(
        operation=operation,
        name=method.name,
        doc=method.doc,
        parameters=method.parameters,
        returns=stream,
        call=[method.call[0], events.name, *method.call[1:]],
        runtime=PyCode("stream_events"),
        returns_async=async_stream,
    )
    if operation.names.stream_method is None:
        return [streaming]
    streaming.name = identifier(operation.names.stream_method)
    streaming.doc = docstring(f"`{operation.names.method}`, answered with server-sent events as they come.")
    return [method, streaming]


def _method_view(operation: ir.Operation, endpoint: EndpointView, paging: PagingView | None, inputs: InputAnnotator) -> MethodView:
    path_params = _path_parameters(operation)
    keyword_params = [p for p in operation.parameters if p.location in _KEYWORD_LOCATIONS]
    positional = [code(identifier(p.name), ": ", inputs.accepted(p.type)) for p in path_params]
    body = body_arguments(operation.body, inputs) if operation.body is not None else None
    if body is not None:
        positional.extend(body.positional)
    keywords = [*(body.keywords if body is not None else []), *[_keyword_parameter(p, inputs) for p in keyword_params]]
    path_argument = [code("path=", _arguments_dict(path_params))] if path_params else []
    body_argument = body.call if body is not None else []
    arguments = [*path_argument, *body_argument, *_query_and_headers(keyword_params), PyCode("options=options")]
    returns, call = endpoint.result, [endpoint.name, *arguments]
    if paging is not None:
        if not any(p.location is ir.ParameterLocation.QUERY for p in keyword_params):
            call.insert(1, PyCode("query={}"))  # the runtime adds the page number to it
        returns, call = paging.types, [endpoint.name, paging.name, *call[1:]]
    return MethodView(
        operation=operation,
        name=identifier(operation.names.method),
        doc=_method_doc(operation, path_params + keyword_params, inputs.declarations),
        parameters=[*positional, PyCode("*"), *keywords, _OPTIONS],
        returns=returns,
        call=call,
        paged=paging is not None,
        downloads=operation.downloads,
    )


def _path_parameters(operation: ir.Operation) -> list[ir.Parameter]:
    """Path parameters in the order they appear in the path."""
    path = [p for p in operation.parameters if p.location is ir.ParameterLocation.PATH]
    return sorted(path, key=lambda p: operation.path.find("{" + p.json_name + "}"))


def _keyword_parameter(parameter: ir.Parameter, inputs: InputAnnotator) -> PyCode:
    if parameter.required:
        return code(identifier(parameter.name), ": ", inputs.accepted(parameter.type))
    return code(identifier(parameter.name), ": ", inputs.accepted(ir.Nullable(parameter.type)), " = None")


def _query_and_headers(parameters: list[ir.Parameter]) -> list[PyCode]:
    result = []
    for location, argument in ((ir.ParameterLocation.QUERY, "query="), (ir.ParameterLocation.HEADER, "headers=")):
        chosen = [p for p in parameters if p.location is location]
        if chosen:
            result.append(code(argument, _arguments_dict(chosen)))
    return result


def _arguments_dict(parameters: list[ir.Parameter]) -> PyCode:
    """``{"jsonName": python_name, ...}``: parameter values keyed by their names on the wire."""
    return code("{", ", ".join(code(string_literal(p.json_name), ": ", identifier(p.name)) for p in parameters), "}")


def _method_doc(operation: ir.Operation, parameters: list[ir.Parameter], declarations: Mapping[str, ir.Declaration]) -> PyCode | None:
    parts = ["Deprecated." if operation.deprecated else "", operation.summary or "", operation.description or ""]
    parts.append(f"`{operation.method.upper()} {operation.path}`")
    if operation.pagination is not None:
        parts.append(
            f"Returns the page asked for (`{operation.pagination.page_parameter.name}`, the first by default): its "
            "`items`, `metadata`, `has_next_page()` and `next_page()`; looping over it goes on through the pages after it."
        )
    parts.append(_arguments_text(parameters))
    if operation.body is not None:
        parts.append(body_text(operation.body.type, declarations))
    return docstring("\n\n".join(p for p in parts if p))


def body_text(body: ir.TypeRef, declarations: Mapping[str, ir.Declaration]) -> str:
    """The body's fields by JSON name (``*``: required), per variant for a tagged union."""
    resolved = ir.resolve_alias(declarations, body)
    if isinstance(resolved, ir.UnionType) and resolved.discriminator is not None:
        lines = [f"Body: one of, by `{resolved.discriminator}` (* required):"]
        for tag, variant in resolved.tags:
            model = declarations.get(variant)
            if isinstance(model, ir.ModelDecl):
                lines.append(f"    {tag}: {_fields_text(model)}")
        return "\n".join(lines)
    model = declarations.get(resolved.name) if isinstance(resolved, ir.Ref) else None
    return f"Body fields (* required):\n    {_fields_text(model)}" if isinstance(model, ir.ModelDecl) else ""


def _fields_text(model: ir.ModelDecl) -> str:
    """The fields by JSON name, ``*`` on those a dict must have (as its TypedDict says: a tag too)."""
    return ", ".join(f.json_name + ("*" if required_key(f) else "") for f in model.fields if not f.read_only)


def _arguments_text(parameters: list[ir.Parameter]) -> str:
    described = [p for p in parameters if p.description]
    if not described:
        return ""
    lines = [f"    {p.name}: {' '.join((p.description or '').split())}" for p in described]
    return "Args:\n" + "\n".join(lines)


def _collect_imports(module: ResourceModule, annotate: _ImportingAnnotator, inputs: InputAnnotator) -> None:
    used = annotate.used | {"Optional"}  # Optional: the options argument
    module.annotation_base_imports = [_UNKNOWN_VARIANT] if annotate.names_unknown_variant else []
    module.model_imports = [identifier(n) for n in sorted(annotate.refs)]
    module.params_imports = [identifier(n) for n in sorted(inputs.params)]
    module.type_checking = bool(module.lazy_models or module.annotation_base_imports or module.model_imports or module.params_imports)
    if module.type_checking:
        used.add("TYPE_CHECKING")
    # runtime imports only: UnknownVariant, the models and the TypedDicts are imported for type checkers (above)
    module.imports = module_imports(used)
