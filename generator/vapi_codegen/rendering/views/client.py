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
from vapi_codegen.rendering.type_expressions import Annotator, split_constraints
from vapi_codegen.rendering.imports import Imports, module_imports
from vapi_codegen.rendering.pycode import PyCode, code, docstring, identifier, literal, string_literal
from vapi_codegen.rendering.styles import is_styled, style_call, tuple_code
from vapi_codegen.rendering.views.client_transport import (
    BINARY_RESPONSE,
    EventsView,
    body_arguments,
    events_view,
    stream_types,
    transport_arguments,
    validates_body,
)
from vapi_codegen.rendering.views.security import requirements_literal

_UNKNOWN_VARIANT = PyCode("UnknownVariant")  # what the runtime's lenient parse yields for an unknown tag
_PAGING_CLASSES = {ir.PaginationStrategy.PAGE_NUMBER: PyCode("_rt.Paging")}
_KEYWORD_LOCATIONS = (ir.ParameterLocation.QUERY, ir.ParameterLocation.HEADER)
_OPTIONS = PyCode("options: Optional[_rt.RequestOptions] = None")
_ROLE_TEXT = {
    "api_key": "the API key", "token": "the bearer token", "username": "the user name", "password": "the password",
    "client_id": "the OAuth2 client id", "client_secret": "the OAuth2 client secret",
}


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
    runtime: PyCode = PyCode("request")  # the client's method it calls: ``request`` or ``stream_events``
    returns_async: PyCode | None = None  # what the async flavour returns, when not ``returns``
    downloads: bool = False  # a download: ``with_streaming_response`` has it too


@dataclass
class ResourceView:
    attribute: PyCode
    class_name: PyCode
    raw_class_name: PyCode
    doc: PyCode | None
    methods: list[MethodView]
    streaming_class_name: PyCode | None = None  # with a download: its ``with_streaming_response`` class


@dataclass
class InitView:
    """A client's ``__init__``: the credential keywords (and the environment names) of the API."""

    parameters: list[PyCode]  # keyword-only, before ``base_url``
    environment: PyCode  # the annotation of ``environment``
    credentials: PyCode  # the ``credentials=`` mapping passed to the runtime
    doc: PyCode | None


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
    options: PyCode  # the runtime's TypedDict of the other constructor keywords
    init: InitView | None  # None: the runtime's own ``__init__`` will do
    is_async: bool = False
    streaming_wrapper: PyCode = PyCode("_rt.streaming_response")


@dataclass
class ClientModule:
    doc: PyCode | None
    default_base_url: PyCode | None
    has_operations: bool
    endpoints: list[EndpointView] = field(default_factory=list)
    pagings: list[PagingView] = field(default_factory=list)
    events: list[EventsView] = field(default_factory=list)
    flavours: list[FlavourView] = field(default_factory=list)
    imports: Imports | None = None
    # Imported for type checkers only: the annotations' names from ``._base`` and ``.models``.
    annotation_base_imports: list[PyCode] = field(default_factory=list)
    model_imports: list[PyCode] = field(default_factory=list)
    lazy_models: bool = False  # whether the endpoints' types use ``_models``
    type_checking: bool = False  # whether there is anything to import for type checkers only
    config: PyCode | None = None  # the clients' ``CONFIG``: environments, schemes, environment variables
    has_security: bool = False  # whether ``SCHEMES`` is imported from ``.security``
    has_init: bool = False  # whether the clients define ``__init__`` (``Unpack`` and the secret types)


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

    def lenient(self, type_ref: ir.TypeRef) -> PyCode:
        """The type a lenient parse really returns: every tagged union may also yield an ``UnknownVariant``."""
        if isinstance(type_ref, ir.Ref) and self._opens(type_ref, set()):
            return self._or_unknown([self(type_ref)])
        if isinstance(type_ref, ir.ArrayType):
            return code("list[", self.lenient(type_ref.items), "]")
        if isinstance(type_ref, ir.MapType):
            return code("dict[str, ", self.lenient(type_ref.values), "]")
        if isinstance(type_ref, ir.Nullable):
            self.used.add("Optional")
            return code("Optional[", self.lenient(type_ref.inner), "]")
        if isinstance(type_ref, ir.UnionType) and type_ref.discriminator is not None:
            return self._or_unknown([self(variant) for variant in type_ref.variants])
        return self(type_ref)

    def _or_unknown(self, members: list[PyCode]) -> PyCode:
        self.used.add("Union")
        self.names_unknown_variant = True
        return code("Union[", ", ".join([*members, _UNKNOWN_VARIANT]), "]")

    def _opens(self, type_ref: ir.TypeRef, seen: set[str]) -> bool:
        """Whether ``lenient`` adds an ``UnknownVariant`` to ``type_ref``, at any depth (an alias is
        followed, once)."""
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


def build_client_module(api: ir.Api, user_agent: str | None = None) -> ClientModule:
    """Everything the client template needs; operations keep the spec's order, groups are sorted.

    ``user_agent`` is the ``User-Agent`` the clients send (the package and its version).
    """
    annotate = _ImportingAnnotator(api)
    lazy = _LazyModelAnnotator(api, annotate.used)
    servers = [url for url in api.servers if url.startswith(("http://", "https://"))]
    module = ClientModule(
        doc=docstring(f"Typed sync and async clients for {api.title}."),
        default_base_url=string_literal(servers[0]) if servers else None,
        has_operations=bool(api.operations),
        config=_config(api, user_agent),
        has_security=bool(api.security_schemes),
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
            events = events_view(operation, api, lazy, annotate.lenient(operation.events)) if operation.events else None
            if events is not None:
                module.events.append(events)
            methods[group].extend(_method_views(operation, endpoint, paging, events, api, annotate))
    for is_async in (False, True):
        resources = [
            ResourceView(
                attribute=identifier(group),
                class_name=identifier(api.resource_classes[group].of(is_async, raw=False)),
                raw_class_name=identifier(api.resource_classes[group].of(is_async, raw=True)),
                doc=docstring(f"Operations tagged {operations[0].tag!r}."),
                methods=methods[group],
                streaming_class_name=_streaming_class(api.resource_classes[group], is_async),
            )
            for group, operations in groups.items()
        ]
        module.flavours.append(_flavour_view(api, is_async, resources, _init_view(api, is_async, annotate.used)))
    module.has_init = module.flavours[0].init is not None
    module.lazy_models = lazy.names_models
    _collect_imports(module, annotate)
    return module


def _flavour_view(api: ir.Api, is_async: bool, resources: list[ResourceView], init: InitView | None) -> FlavourView:
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
        is_async=is_async,
        streaming_wrapper=PyCode("_rt.async_streaming_response" if is_async else "_rt.streaming_response"),
        options=PyCode("_rt.AsyncClientOptions" if is_async else "_rt.SyncClientOptions"),
        init=init,
    )


def _streaming_class(classes: ir.ResourceClasses, is_async: bool) -> PyCode | None:
    name = classes.async_streaming if is_async else classes.sync_streaming
    return identifier(name) if name else None


def _config(api: ir.Api, user_agent: str | None) -> PyCode | None:
    """The ``ClientConfig(...)`` of both clients; None when every setting is the runtime's default."""
    arguments = [code("user_agent=", string_literal(user_agent))] if user_agent else []
    if api.environments:
        arguments.append(code("environments=", literal({e.name: e.url for e in api.environments})))
    if api.environment_variables.base_url:
        arguments.append(code("base_url_env=", string_literal(api.environment_variables.base_url)))
    variables = {c.name: c.env_var for s in api.security_schemes for c in s.credentials if c.env_var}
    if variables:
        arguments.append(code("credential_env=", literal(variables)))
    if api.security_schemes:
        arguments.append(PyCode("schemes=SCHEMES"))
    return code("_config.ClientConfig(", ", ".join(arguments), ")") if arguments else None


def _init_view(api: ir.Api, is_async: bool, used: set[str]) -> InitView | None:
    """The clients' ``__init__``, when the API has credentials or named environments."""
    credentials = [(c, s) for s in api.security_schemes for c in s.credentials]
    if not credentials and not api.environments:
        return None
    used.add("Optional")
    secret = PyCode("_auth.AsyncSecret" if is_async else "_auth.Secret")
    parameters = [code(identifier(c.name), ": Optional[", secret, "] = None") for c, _ in credentials]
    environment = PyCode("Optional[str]")
    if api.environments:
        used.add("Literal")
        environment = code("Optional[Literal[", ", ".join(string_literal(e.name) for e in api.environments), "]]")
    passed = code("{", ", ".join(code(string_literal(c.name), ": ", identifier(c.name)) for c, _ in credentials), "}")
    lines = [
        f"    {c.name}: {_ROLE_TEXT[c.role]} of the security scheme `{s.key}`"
        + (f"; read from the environment variable {c.env_var} when not passed." if c.env_var else ".")
        for c, s in credentials
    ]
    lines.append("    base_url: the server to talk to" + _base_url_sources(api) + ".")
    if api.environments:
        lines.append("    environment: one of the spec's servers, by name: " + ", ".join(f"{e.name} ({e.url})" for e in api.environments) + ".")
    doc = "Create a client; a credential may be a string or a function called for each request.\n\nArgs:\n" + "\n".join(lines)
    return InitView(parameters, environment, passed, docstring(doc))


def _base_url_sources(api: ir.Api) -> str:
    sources = [f"else the environment variable {api.environment_variables.base_url}"] if api.environment_variables.base_url else []
    if api.environments:
        sources.append(f"else {api.environments[0].url}")
    return " (" + ", ".join(sources) + ")" if sources else ""


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


def _method_views(
    operation: ir.Operation,
    endpoint: EndpointView,
    paging: PagingView | None,
    events: EventsView | None,
    api: ir.Api,
    annotate: Annotator,
) -> list[MethodView]:
    """The operation's method; with events, the one streaming them (its only one, when it answers no JSON)."""
    method = _method_view(operation, endpoint, paging, api, annotate)
    if events is None:
        return [method]
    stream, async_stream = stream_types(events.data)
    streaming = MethodView(
        name=method.name,
        doc=method.doc,
        parameters=method.parameters,
        returns=stream,
        call=[method.call[0], events.name, *method.call[1:]],
        iterator=None,
        runtime=PyCode("stream_events"),
        returns_async=async_stream,
    )
    if operation.names.stream_method is None:
        return [streaming]
    streaming.name = identifier(operation.names.stream_method)
    streaming.doc = docstring(f"`{operation.names.method}`, answered with server-sent events as they come.")
    return [method, streaming]


def _method_view(
    operation: ir.Operation, endpoint: EndpointView, paging: PagingView | None, api: ir.Api, annotate: Annotator
) -> MethodView:
    path_params = _path_parameters(operation)
    keyword_params = [p for p in operation.parameters if p.location in _KEYWORD_LOCATIONS]
    positional = [code(identifier(p.name), ": ", annotate(split_constraints(p.type)[0])) for p in path_params]
    body = body_arguments(operation.body, lambda type_ref: _is_object_like(type_ref, api), annotate) if operation.body else None
    if body is not None:
        positional.extend(body.positional)
    keywords = [*(body.keywords if body is not None else []), *[_keyword_parameter(p, annotate) for p in keyword_params]]
    path_argument = [code("path=", _arguments_dict(path_params))] if path_params else []
    body_argument = body.call if body is not None else []
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
            parameters=[*positional, PyCode("*"), *[_keyword_parameter(p, annotate) for p in filters], _OPTIONS],
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
        downloads=operation.downloads,
    )


def _path_parameters(operation: ir.Operation) -> list[ir.Parameter]:
    """Path parameters in the order they appear in the path."""
    path = [p for p in operation.parameters if p.location is ir.ParameterLocation.PATH]
    return sorted(path, key=lambda p: operation.path.find("{" + p.json_name + "}"))


def _keyword_parameter(parameter: ir.Parameter, annotate: Annotator) -> PyCode:
    param_type = split_constraints(parameter.type)[0]
    if parameter.required:
        return code(identifier(parameter.name), ": ", annotate(param_type))
    return code(identifier(parameter.name), ": ", annotate(ir.Nullable(param_type)), " = None")


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


def _is_object_like(type_ref: ir.TypeRef, api: ir.Api) -> bool:
    """A model or a union of models: callers may pass a plain dict instead."""
    if isinstance(type_ref, ir.Ref):
        declaration = api.declarations.get(type_ref.name)
        if isinstance(declaration, ir.ModelDecl):
            return True
        return isinstance(declaration, ir.AliasDecl) and _is_object_like(declaration.type, api)
    if isinstance(type_ref, ir.UnionType):
        return all(_is_object_like(v, api) for v in type_ref.variants)
    return False


def _collect_imports(module: ClientModule, annotate: _ImportingAnnotator) -> None:
    used = annotate.used | ({"Optional"} if module.has_operations else set())  # Optional: the options argument
    if module.pagings:
        used |= {"AsyncIterator", "Iterator"}
    module.annotation_base_imports = [_UNKNOWN_VARIANT] if annotate.names_unknown_variant else []
    module.model_imports = [identifier(n) for n in sorted(annotate.refs)]
    module.type_checking = bool(module.lazy_models or module.annotation_base_imports or module.model_imports or module.has_init)
    if module.type_checking:
        used.add("TYPE_CHECKING")
    # runtime imports only: UnknownVariant and the models are imported for type checkers (above)
    module.imports = module_imports(used)
