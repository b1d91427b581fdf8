"""Operations of the intermediate model -> what ``client.py.jinja`` prints (all PyCode).

The generated client stays declarative: one ``Endpoint`` constant per operation (method, path and
the types to validate and parse) and, per flavour (sync, async), one thin method per operation that
passes its arguments to the runtime (``templates/runtime/_client.py``).

Importing the client does not import the models: annotations name them (imported for type checkers
only), and an endpoint's types are functions (``response=lambda: _models.PhoneNumber``) evaluated
on its first call, ``_models`` being the models module imported then.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vapi_codegen.model import ir
from vapi_codegen.rendering.type_expressions import Annotator
from vapi_codegen.rendering.imports import Imports, module_imports
from vapi_codegen.rendering.input_types import InputAnnotator
from vapi_codegen.rendering.pycode import PyCode, code, docstring, identifier, string_literal

_UNKNOWN_VARIANT = PyCode("UnknownVariant")  # what the runtime's lenient parse yields for an unknown tag
_PAGING_CLASSES = {ir.PaginationStrategy.PAGE_NUMBER: PyCode("_rt.Paging")}
_KEYWORD_LOCATIONS = (ir.ParameterLocation.QUERY, ir.ParameterLocation.HEADER)
_OPTIONS = PyCode("options: Optional[_rt.RequestOptions] = None")
_ENCODINGS = {"multipart/form-data": "multipart", "application/x-www-form-urlencoded": "form"}


@dataclass
class EndpointView:
    name: PyCode
    result: PyCode  # what a call returns (the Endpoint's type parameter)
    arguments: list[PyCode]


@dataclass
class PagingView:
    name: PyCode
    runtime_class: PyCode
    item: PyCode
    arguments: list[PyCode]


@dataclass
class IteratorView:
    name: PyCode
    doc: PyCode | None
    parameters: list[PyCode]
    item: PyCode
    call: list[PyCode]


@dataclass
class MethodView:
    name: PyCode
    doc: PyCode | None
    parameters: list[PyCode]
    returns: PyCode
    call: list[PyCode]
    iterator: IteratorView | None


@dataclass
class ResourceView:
    attribute: PyCode
    class_name: PyCode
    raw_class_name: PyCode
    doc: PyCode | None
    methods: list[MethodView]


@dataclass
class FlavourView:
    define: PyCode  # "def" or "async def"
    wait: PyCode  # "" or "await "
    client_name: PyCode
    client_base: PyCode
    resource_base: PyCode
    raw_wrapper: PyCode
    iterator: PyCode
    doc: PyCode | None
    resources: list[ResourceView]


@dataclass
class ClientModule:
    doc: PyCode | None
    default_base_url: PyCode | None
    has_operations: bool
    endpoints: list[EndpointView] = field(default_factory=list)
    pagings: list[PagingView] = field(default_factory=list)
    flavours: list[FlavourView] = field(default_factory=list)
    imports: Imports | None = None
    # Imported for type checkers only: the annotations' names from ``._base`` and ``.models``.
    annotation_base_imports: list[PyCode] = field(default_factory=list)
    model_imports: list[PyCode] = field(default_factory=list)
    params_imports: list[PyCode] = field(default_factory=list)  # the request TypedDicts, from ``.params``
    lazy_models: bool = False  # whether the endpoints' types use ``_models``
    type_checking: bool = False  # whether there is anything to import for type checkers only


class _ImportingAnnotator(Annotator):
    """An ``Annotator`` that also records the declarations it names (to import them from ``.models``)."""

    def __init__(self, api: ir.Api) -> None:
        super().__init__(api.declarations)
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
            return code("list[", self.lenient(type_ref.items, seen), "]")
        if isinstance(type_ref, ir.MapType):
            return code("dict[str, ", self.lenient(type_ref.values, seen), "]")
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
        super().__init__(api.declarations)
        self.used = used  # what else its expressions need is imported with the annotations' needs
        self.names_models = False

    def __call__(self, type_ref: ir.TypeRef) -> PyCode:
        if isinstance(type_ref, ir.Ref):
            self.names_models = True
            return code("_models.", identifier(type_ref.name))
        return super().__call__(type_ref)


def build_client_module(api: ir.Api) -> ClientModule:
    """Everything the client template needs; operations keep the spec's order, groups are sorted."""
    annotate = _ImportingAnnotator(api)
    lazy = _LazyModelAnnotator(api, annotate.used)
    inputs = InputAnnotator(annotate)
    servers = [url for url in api.servers if url.startswith(("http://", "https://"))]
    module = ClientModule(
        doc=docstring(f"Typed sync and async clients for {api.title}."),
        default_base_url=string_literal(servers[0]) if servers else None,
        has_operations=bool(api.operations),
    )
    groups: dict[str, list[ir.Operation]] = {group: [] for group in api.resource_classes}
    for operation in api.operations:
        groups[operation.names.group].append(operation)
    methods: dict[str, list[MethodView]] = {}
    for group, operations in groups.items():
        methods[group] = []
        for operation in operations:
            endpoint = _endpoint_view(operation, api, annotate, lazy)
            module.endpoints.append(endpoint)
            paging = _paging_view(operation, annotate)
            if paging is not None:
                module.pagings.append(paging)
            methods[group].append(_method_view(operation, endpoint, paging, inputs))
    for is_async in (False, True):
        resources = [
            ResourceView(
                attribute=identifier(group),
                class_name=identifier(api.resource_classes[group].of(is_async, raw=False)),
                raw_class_name=identifier(api.resource_classes[group].of(is_async, raw=True)),
                doc=docstring(f"Operations tagged {operations[0].tag!r}."),
                methods=methods[group],
            )
            for group, operations in groups.items()
        ]
        module.flavours.append(_flavour_view(api, is_async, resources))
    module.lazy_models = lazy.names_models
    _collect_imports(module, annotate, inputs)
    return module


def _flavour_view(api: ir.Api, is_async: bool, resources: list[ResourceView]) -> FlavourView:
    kind = "Asynchronous" if is_async else "Synchronous"
    return FlavourView(
        define=PyCode("async def" if is_async else "def"),
        wait=PyCode("await " if is_async else ""),
        client_name=PyCode("AsyncClient" if is_async else "Client"),
        client_base=PyCode("_rt.AsyncClientBase" if is_async else "_rt.SyncClientBase"),
        resource_base=PyCode("_rt.AsyncResource" if is_async else "_rt.SyncResource"),
        raw_wrapper=PyCode("_rt.async_raw_response" if is_async else "_rt.raw_response"),
        iterator=PyCode("AsyncIterator" if is_async else "Iterator"),
        doc=docstring(f"{kind} client for {api.title}."),
        resources=resources,
    )


def _endpoint_view(operation: ir.Operation, api: ir.Api, annotate: _ImportingAnnotator, lazy: Annotator) -> EndpointView:
    success = operation.success
    response_type = success.type if success is not None else None
    arguments = [string_literal(operation.method), string_literal(operation.path)]
    if response_type is not None:
        arguments.append(code("response=lambda: ", lazy(response_type)))
    if operation.body is not None:
        arguments.append(code("body=lambda: ", lazy(operation.body.type)))
    errors = [r for r in operation.responses if not r.status.startswith("2") and r.type is not None]
    if errors:
        entries = ", ".join(code(string_literal(r.status.upper()), ": ", lazy(r.type)) for r in errors if r.type)
        arguments.append(code("errors=lambda: {", entries, "}"))
    if operation.secured and api.bearer_auth:
        arguments.append(PyCode("auth=True"))
    if operation.body is not None:
        encoding = _ENCODINGS.get(operation.body.content_type.split(";")[0].strip().lower())
        if encoding:
            arguments.append(code("encoding=", string_literal(encoding)))
    result = annotate.lenient(response_type) if response_type is not None else PyCode("None")
    return EndpointView(identifier(operation.names.endpoint), result, arguments)


def _paging_view(operation: ir.Operation, annotate: _ImportingAnnotator) -> PagingView | None:
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
    item = annotate.lenient(paging.item_type)
    return PagingView(identifier(operation.names.paging), _PAGING_CLASSES[paging.strategy], item, arguments)


def _method_view(
    operation: ir.Operation, endpoint: EndpointView, paging: PagingView | None, inputs: InputAnnotator
) -> MethodView:
    path_params = _path_parameters(operation)
    keyword_params = [p for p in operation.parameters if p.location in _KEYWORD_LOCATIONS]
    positional = [code(identifier(p.name), ": ", inputs.accepted(p.type)) for p in path_params]
    if operation.body is not None:
        positional.append(_body_parameter(operation.body, inputs))
    keywords = [_keyword_parameter(p, inputs) for p in keyword_params]
    path_argument = [code("path=", _arguments_dict(path_params))] if path_params else []
    body_argument = [PyCode("body=body")] if operation.body is not None else []
    call = [endpoint.name, *path_argument, *body_argument, *_query_and_headers(keyword_params), PyCode("options=options")]
    name = operation.names.method
    iterator = None
    if paging is not None and operation.pagination is not None and operation.names.iterator is not None:
        filters = [p for p in keyword_params if p is not operation.pagination.page_parameter]
        filter_arguments = _query_and_headers(filters)
        if not any(p.location is ir.ParameterLocation.QUERY for p in filters):
            filter_arguments.insert(0, PyCode("query={}"))  # the runtime adds the page number to it
        iterator = IteratorView(
            name=identifier(operation.names.iterator),
            doc=docstring(f"Every item of `{name}`, fetching one page after another.\n\n" + _arguments_text(filters)),
            parameters=[*positional, PyCode("*"), *[_keyword_parameter(p, inputs) for p in filters], _OPTIONS],
            item=paging.item,
            call=[endpoint.name, paging.name, *path_argument, *filter_arguments, PyCode("options=options")],
        )
    return MethodView(
        name=identifier(name),
        doc=_method_doc(operation, path_params + keyword_params),
        parameters=[*positional, PyCode("*"), *keywords, _OPTIONS],
        returns=endpoint.result,
        call=call,
        iterator=iterator,
    )


def _path_parameters(operation: ir.Operation) -> list[ir.Parameter]:
    """Path parameters in the order they appear in the path."""
    path = [p for p in operation.parameters if p.location is ir.ParameterLocation.PATH]
    return sorted(path, key=lambda p: operation.path.find("{" + p.json_name + "}"))


def _body_parameter(body: ir.RequestBody, inputs: InputAnnotator) -> PyCode:
    """The body argument: a model, or its TypedDict (``...Params``), so a misspelt key is a type error."""
    if not body.required:
        return code("body: ", inputs.accepted(ir.Nullable(body.type)), " = None")
    return code("body: ", inputs.accepted(body.type))


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


def _method_doc(operation: ir.Operation, parameters: list[ir.Parameter]) -> PyCode | None:
    parts = ["Deprecated." if operation.deprecated else "", operation.summary or "", operation.description or ""]
    parts.append(f"`{operation.method.upper()} {operation.path}`")
    parts.append(_arguments_text(parameters))
    return docstring("\n\n".join(p for p in parts if p))


def _arguments_text(parameters: list[ir.Parameter]) -> str:
    described = [p for p in parameters if p.description]
    if not described:
        return ""
    lines = [f"    {p.name}: {' '.join((p.description or '').split())}" for p in described]
    return "Args:\n" + "\n".join(lines)


def _collect_imports(module: ClientModule, annotate: _ImportingAnnotator, inputs: InputAnnotator) -> None:
    used = annotate.used | ({"Optional"} if module.has_operations else set())  # Optional: the options argument
    if module.pagings:
        used |= {"AsyncIterator", "Iterator"}
    module.annotation_base_imports = [_UNKNOWN_VARIANT] if annotate.names_unknown_variant else []
    module.model_imports = [identifier(n) for n in sorted(annotate.refs)]
    module.params_imports = [identifier(n) for n in sorted(inputs.params)]
    module.type_checking = bool(
        module.lazy_models or module.annotation_base_imports or module.model_imports or module.params_imports
    )
    if module.type_checking:
        used.add("TYPE_CHECKING")
    # runtime imports only: UnknownVariant and the models are imported for type checkers (above)
    module.imports = module_imports(used)
