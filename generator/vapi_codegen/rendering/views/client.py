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
from vapi_codegen.naming.identifiers import (
    client_attribute_name,
    client_method_name,
    endpoint_constant_name,
    flavoured_class_name,
    iterator_method_name,
    resource_class_names,
)
from vapi_codegen.rendering.pycode import PyCode, code, docstring, identifier, string_literal

_UNKNOWN_VARIANT = "UnknownVariant"
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
    lazy_models: bool = False  # whether the endpoints' types use ``_models``
    type_checking: bool = False  # whether there is anything to import for type checkers only


class _ImportingAnnotator(Annotator):
    """An ``Annotator`` that also records the declarations it names (to import them from ``.models``)."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: set[str] = set()

    def __call__(self, type_ref: ir.TypeRef) -> PyCode:
        if isinstance(type_ref, ir.Ref):
            self.refs.add(type_ref.name)
        return super().__call__(type_ref)


class _LazyModelAnnotator(Annotator):
    """Renders declarations as ``_models.Name``, for the types an endpoint evaluates on first use."""

    def __init__(self, used: set[str]) -> None:
        super().__init__()
        self.used = used  # what else its expressions need is imported with the annotations' needs
        self.names_models = False

    def __call__(self, type_ref: ir.TypeRef) -> PyCode:
        if isinstance(type_ref, ir.Ref):
            self.names_models = True
            return code("_models.", identifier(type_ref.name))
        return super().__call__(type_ref)


def build_client_module(api: ir.Api) -> ClientModule:
    """Everything the client template needs; operations keep the spec's order, groups are sorted."""
    annotate = _ImportingAnnotator()
    lazy = _LazyModelAnnotator(annotate.used)
    servers = [url for url in api.servers if url.startswith(("http://", "https://"))]
    module = ClientModule(
        doc=docstring(f"Typed sync and async clients for {api.title}."),
        default_base_url=string_literal(servers[0]) if servers else None,
        has_operations=bool(api.operations),
    )
    groups: dict[str, list[ir.Operation]] = {}
    for operation in api.operations:
        groups.setdefault(operation.group, []).append(operation)
    class_names = resource_class_names(list(groups))
    methods: dict[str, list[MethodView]] = {}
    for group in sorted(groups):
        methods[group] = []
        for operation in groups[group]:
            endpoint = _endpoint_view(operation, api, annotate, lazy)
            module.endpoints.append(endpoint)
            paging = _paging_view(operation, endpoint, api, annotate)
            if paging is not None:
                module.pagings.append(paging)
            methods[group].append(_method_view(operation, endpoint, paging, api, annotate))
    for is_async in (False, True):
        resources = [
            ResourceView(
                attribute=identifier(client_attribute_name(group)),
                class_name=identifier(flavoured_class_name(class_names[group], is_async, raw=False)),
                raw_class_name=identifier(flavoured_class_name(class_names[group], is_async, raw=True)),
                doc=docstring(f"Operations tagged {groups[group][0].tag!r}."),
                methods=methods[group],
            )
            for group in sorted(groups)
        ]
        module.flavours.append(_flavour_view(api, is_async, resources))
    module.lazy_models = lazy.names_models
    _collect_imports(module, annotate)
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


def _endpoint_view(operation: ir.Operation, api: ir.Api, annotate: Annotator, lazy: Annotator) -> EndpointView:
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
    result = annotate(_lenient(response_type, api)) if response_type is not None else PyCode("None")
    name = identifier(endpoint_constant_name(operation.group, operation.name))
    return EndpointView(name, result, arguments)


def _paging_view(operation: ir.Operation, endpoint: EndpointView, api: ir.Api, annotate: Annotator) -> PagingView | None:
    paging = operation.pagination
    if paging is None:
        return None
    page_param = next(p for p in operation.parameters if p.name == paging.page_param)
    arguments = [
        code("page_param=", string_literal(page_param.json_name)),
        code("items=", string_literal(paging.items_field)),
        code("meta=", string_literal(paging.meta_field)),
    ]
    return PagingView(code(endpoint.name, "_PAGES"), annotate(_lenient(paging.item_type, api)), arguments)


def _method_view(
    operation: ir.Operation, endpoint: EndpointView, paging: PagingView | None, api: ir.Api, annotate: Annotator
) -> MethodView:
    path_params = _path_parameters(operation)
    keyword_params = [p for p in operation.parameters if p.location in ("query", "header")]
    positional = [code(identifier(p.name), ": ", annotate(split_constraints(p.type)[0])) for p in path_params]
    if operation.body is not None:
        positional.append(_body_parameter(operation.body, api, annotate))
    keywords = [_keyword_parameter(p, annotate) for p in keyword_params]
    path_argument = [code("path=", _arguments_dict(path_params))] if path_params else []
    body_argument = [PyCode("body=body")] if operation.body is not None else []
    call = [endpoint.name, *path_argument, *body_argument, *_query_and_headers(keyword_params), PyCode("options=options")]
    name = client_method_name(operation.name)
    iterator = None
    if paging is not None and operation.pagination is not None:
        filters = [p for p in keyword_params if p.name != operation.pagination.page_param]
        filter_arguments = _query_and_headers(filters)
        if not any(p.location == "query" for p in filters):
            filter_arguments.insert(0, PyCode("query={}"))  # the runtime adds the page number to it
        iterator = IteratorView(
            name=identifier(iterator_method_name(name)),
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
    )


def _path_parameters(operation: ir.Operation) -> list[ir.Parameter]:
    """Path parameters in the order they appear in the path."""
    path = [p for p in operation.parameters if p.location == "path"]
    return sorted(path, key=lambda p: operation.path.find("{" + p.json_name + "}"))


def _body_parameter(body: ir.RequestBody, api: ir.Api, annotate: Annotator) -> PyCode:
    body_type = body.type
    if _is_object_like(body_type, api):
        body_type = ir.UnionType((body_type, ir.MapType(ir.AnyType())))
    if not body.required:
        return code("body: ", annotate(ir.Nullable(body_type)), " = None")
    return code("body: ", annotate(body_type))


def _keyword_parameter(parameter: ir.Parameter, annotate: Annotator) -> PyCode:
    param_type = split_constraints(parameter.type)[0]
    if parameter.required:
        return code(identifier(parameter.name), ": ", annotate(param_type))
    return code(identifier(parameter.name), ": ", annotate(ir.Nullable(param_type)), " = None")


def _query_and_headers(parameters: list[ir.Parameter]) -> list[PyCode]:
    result = []
    for location, argument in (("query", "query="), ("header", "headers=")):
        chosen = [p for p in parameters if p.location == location]
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


def _lenient(type_ref: ir.TypeRef, api: ir.Api) -> ir.TypeRef:
    """The type a lenient parse really returns: every tagged union may also yield an ``UnknownVariant``."""
    if isinstance(type_ref, ir.Ref):
        declaration = api.declarations.get(type_ref.name)
        if isinstance(declaration, ir.AliasDecl) and _lenient(declaration.type, api) != declaration.type:
            return ir.UnionType((type_ref, ir.Ref(_UNKNOWN_VARIANT)))
        return type_ref
    if isinstance(type_ref, ir.ArrayType):
        return ir.ArrayType(_lenient(type_ref.items, api))
    if isinstance(type_ref, ir.MapType):
        return ir.MapType(_lenient(type_ref.values, api))
    if isinstance(type_ref, ir.Nullable):
        return ir.Nullable(_lenient(type_ref.inner, api))
    if isinstance(type_ref, ir.UnionType) and type_ref.discriminator is not None:
        return ir.UnionType((*type_ref.variants, ir.Ref(_UNKNOWN_VARIANT)))
    return type_ref


def _collect_imports(module: ClientModule, annotate: _ImportingAnnotator) -> None:
    used = annotate.used | ({"Optional"} if module.has_operations else set())  # Optional: the options argument
    if module.pagings:
        used |= {"AsyncIterator", "Iterator"}
    module.annotation_base_imports = [PyCode(_UNKNOWN_VARIANT)] if _UNKNOWN_VARIANT in annotate.refs else []
    module.model_imports = [identifier(n) for n in sorted(annotate.refs - {_UNKNOWN_VARIANT})]
    module.type_checking = bool(module.lazy_models or module.annotation_base_imports or module.model_imports)
    if module.type_checking:
        used.add("TYPE_CHECKING")
    # runtime imports only: UnknownVariant and the models are imported for type checkers (above)
    module.imports = module_imports(used - {_UNKNOWN_VARIANT})
