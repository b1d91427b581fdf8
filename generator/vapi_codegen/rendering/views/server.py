"""Operations of the intermediate model -> what ``server.py.jinja`` (and ``mock.py.jinja``) print."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from vapi_codegen.model import ir
from vapi_codegen.rendering.type_expressions import Annotator, constraint_arguments, split_constraints
from vapi_codegen.rendering.imports import Imports, module_imports
from vapi_codegen.rendering.pycode import PyCode, code, docstring, identifier, literal, string_literal
from vapi_codegen.rendering.route_paths import route_path
from vapi_codegen.rendering.styles import is_styled, query_names, style_call
from vapi_codegen.rendering.views.server_transport import (
    MEDIA,
    Answer,
    answer,
    is_form_model,
    reads_raw_body,
    route_parts,
    service_parts,
    service_returns,
)
from vapi_codegen.rendering.views.security import requirements_literal

MODELS_MODULE = "_models"  # server.py imports the models module under this name: no model name can clash
_FASTAPI_MARKERS = {location: location.value.capitalize() for location in ir.ParameterLocation}  # Path, Query...
# CPython compiles one function in time growing faster than its length: ``create_router`` adds the
# routes of a big API through functions of this many routes each (Microsoft Graph: 11,422 routes),
# rendered and compile-checked one by one at the end of ``server.py``.
ROUTES_PER_FUNCTION = 200


class QualifiedAnnotator(Annotator):
    """An annotator that names declarations through the models module (``_models.PhoneNumber``)."""

    def __call__(self, type_ref: ir.TypeRef) -> PyCode:
        if isinstance(type_ref, ir.Ref):
            return code(MODELS_MODULE, ".", identifier(type_ref.name))
        return super().__call__(type_ref)


@dataclass
class BodyModelView:
    """A root model wrapping a named union or alias body, so FastAPI validates and documents it whole."""

    name: PyCode
    root: PyCode


@dataclass
class OperationView:
    name: PyCode
    route_name: PyCode
    method: PyCode
    path: PyCode
    status: int
    operation_id: PyCode
    summary: PyCode | None
    doc: PyCode | None
    tags: PyCode
    deprecated: bool
    router: PyCode  # the router the route is added to: the guard's for its requirements, or the open one
    query_names: PyCode | None  # the declared query parameters, as string literals; None: any accepted
    response_model: PyCode
    signature: ServiceSignature
    route_parameters: list[PyCode]
    call_arguments: PyCode
    reads_raw_body: bool
    errors: PyCode  # the OpenAPI responses of the errors the service declares for its method
    answer: Answer | None = None  # how a download or an event stream is answered; None: as JSON
    principal: PyCode | None = None  # the route parameter passing the principal on (guarded routes)


@dataclass
class RouteFunctionView:
    """A function of ``server.py`` adding routes ``first`` to ``last`` (counted from 1) to the router."""

    name: PyCode
    first: int
    last: int
    routes: list[OperationView]


@dataclass
class ServerModule:
    doc: PyCode | None
    title: PyCode
    version: PyCode
    description: PyCode | None
    operations: list[OperationView] = field(default_factory=list)
    routes: list[OperationView] = field(default_factory=list)  # the operations in the order they are routed
    route_functions: list[RouteFunctionView] = field(default_factory=list)  # none: ``create_router`` adds ``routes`` itself
    webhooks: list[OperationView] = field(default_factory=list)  # routes of the webhook receiver
    body_models: list[BodyModelView] = field(default_factory=list)
    secured: bool = False  # whether some route is guarded: ``create_router`` takes ``authenticate``
    imports: Imports | None = None
    fastapi_imports: list[PyCode] = field(default_factory=list)
    media: bool = False  # whether it uses the ``_server_media`` runtime


def build_server_module(api: ir.Api) -> ServerModule:
    """The service interface and the routes, one per operation, in spec order; for the webhooks, the
    receiver interface and its routes."""
    annotate = QualifiedAnnotator(api.declarations)
    fastapi_names = {"APIRouter", "FastAPI"}
    body_models: dict[str, BodyModelView] = {}
    operations = [_operation_view(op, api, annotate, fastapi_names, body_models) for op in api.operations]
    webhooks = _webhook_views(api, annotate, fastapi_names, body_models)
    used = annotate.used | {"Any"}
    every_operation = api.operations + api.webhooks
    if needs_optional(every_operation):
        used.add("Optional")
    if any(
        op.parameters or (op.body is not None and not view.reads_raw_body)
        for op, view in zip(every_operation, operations + webhooks, strict=True)
    ):
        used.add("Annotated")
    module = ServerModule(
        doc=docstring(
            f"FastAPI server for {api.title}: implement ``Service`` in your own module and pass it to "
            "``create_app`` (or mount ``create_router``). Nothing here is meant to be edited."
        ),
        title=string_literal(api.title),
        version=string_literal(api.version),
        description=string_literal(api.description) if api.description else None,
        operations=operations,
        routes=[view for _, view in sorted(zip(api.operations, operations, strict=True), key=lambda pair: literal_first(pair[0]))],
        webhooks=webhooks,
        body_models=[body_models[name] for name in sorted(body_models)],
        secured=any(is_guarded(op) for op in api.operations),
        media=any(uses_media(op) for op in every_operation),
    )
    module.route_functions = _route_functions(module.routes)
    if body_models:
        used.add("RootModel")
    module.imports = module_imports(used | {"Protocol"})
    module.fastapi_imports = [PyCode(n) for n in sorted(fastapi_names)]
    return module


def _route_functions(routes: list[OperationView]) -> list[RouteFunctionView]:
    """The functions adding ``routes``, ROUTES_PER_FUNCTION each, when there are more than that."""
    if len(routes) <= ROUTES_PER_FUNCTION:
        return []
    functions: list[RouteFunctionView] = []
    for start in range(0, len(routes), ROUTES_PER_FUNCTION):
        chunk = routes[start : start + ROUTES_PER_FUNCTION]
        functions.append(RouteFunctionView(code(f"_add_routes_{len(functions) + 1}"), start + 1, start + len(chunk), chunk))
    return functions


def literal_first(operation: ir.Operation) -> list[bool]:
    """The sort key routing a literal path segment before a template at the same place
    (``/eval/run`` before ``/eval/{id}``), as OpenAPI matches paths; paths alike in where their
    templates stand keep the spec order."""
    return ["{" in segment for segment in route_path(operation).split("/")]


def uses_media(operation: ir.Operation) -> bool:
    """Whether the operation's service method or route names the ``_server_media`` runtime."""
    success = operation.success
    answers_media = success is not None and (success.binary or success.events is not None)
    return answers_media or (operation.body is not None and operation.body.kind is not ir.MediaKind.JSON)


def needs_optional(operations: list[ir.Operation]) -> bool:
    """Whether some service method has an optional parameter or body (typed ``Optional[...]``)."""
    return any(
        any(not p.required for p in op.parameters) or (op.body is not None and not op.body.required)
        for op in operations
    )


def is_guarded(operation: ir.Operation) -> bool:
    """Whether the server checks credentials for the operation (some alternative needs any)."""
    return any(requirement.schemes for requirement in operation.security)


def _security_query_names(operation: ir.Operation, api: ir.Api) -> list[str]:
    """The query parameters carrying API keys of the operation's schemes (allowed beside its own)."""
    keys = dict.fromkeys(key for requirement in operation.security for key in requirement.schemes)
    schemes = [api.scheme(key) for key in keys]
    return [
        s.parameter_name
        for s in schemes
        if s is not None and s.kind is ir.SecuritySchemeKind.API_KEY and s.location is ir.ParameterLocation.QUERY and s.parameter_name
    ]


def ordered_parameters(operation: ir.Operation) -> tuple[list[ir.Parameter], list[ir.Parameter]]:
    """Path parameters (positional) and the others (keyword-only, required ones first)."""
    positional = [p for p in operation.parameters if p.location is ir.ParameterLocation.PATH]
    keyword = sorted((p for p in operation.parameters if p.location is not ir.ParameterLocation.PATH), key=lambda p: not p.required)
    return positional, keyword


@dataclass
class ServiceSignature:
    parameters: PyCode  # after ``self``
    returns: PyCode


def service_signature(operation: ir.Operation, annotate: QualifiedAnnotator) -> ServiceSignature:
    """The service method's parameters: path parameters, the body (or, keyword-only, the parts of a
    multipart body), then keyword-only query parameters."""
    positional, keyword = ordered_parameters(operation)
    parameters: list[PyCode] = [PyCode("self")]
    parameters.extend(_service_parameter(p, annotate) for p in positional)
    body = operation.body
    keywords = service_parts(body, annotate) if body is not None and body.form_fields else []
    if body is not None and not body.form_fields:
        annotation = PyCode("bytes") if reads_raw_body(body, annotate.declarations) else annotate(body.type)
        parameters.append(code("body: ", _optional(annotation, not body.required), "" if body.required else " = None"))
    keywords.extend(_service_parameter(p, annotate) for p in keyword)
    if keywords:
        parameters.append(PyCode("*"))
    parameters.extend(keywords)
    success = operation.success
    returns = service_returns(operation, annotate)
    if returns is None:
        answered = success is not None and success.type is not None and answers_with_body(operation, success)
        returns = annotate(success.type) if answered and success is not None and success.type is not None else PyCode("None")
    return ServiceSignature(code(", ".join(parameters)), returns)


def answers_with_body(operation: ir.Operation, success: ir.Response) -> bool:
    """Whether the route's success answer carries a body: not for HEAD, nor for a 204 or 205 status
    (FastAPI refuses a response model there), whatever content the spec declares for it."""
    return operation.method is not ir.HttpMethod.HEAD and success.status not in ("204", "205")


def _operation_view(
    operation: ir.Operation,
    api: ir.Api,
    annotate: QualifiedAnnotator,
    fastapi_names: set[str],
    body_models: dict[str, BodyModelView],
    webhook: bool = False,
) -> OperationView:
    """The route of an operation (of a webhook, never guarded: verifying the sender is the user's)."""
    positional, keyword = ordered_parameters(operation)

    def route_parameter(parameter: ir.Parameter) -> PyCode:
        if is_styled(api, parameter):
            return _styled_route_parameter(api, operation, parameter, annotate)
        return _route_parameter(parameter, annotate, fastapi_names)

    route = [route_parameter(p) for p in positional]
    arguments = [identifier(p.name) for p in positional]
    body = operation.body
    raw_body = reads_raw_body(body, api.declarations)
    if body is not None and raw_body:
        fastapi_names.add("Request")
        route.append(PyCode("_request: Request"))
        arguments.append(PyCode("await _request.body()"))
    elif body is not None and body.form_fields:
        route.extend(route_parts(body, annotate))
        arguments.extend(code(identifier(p.name), "=", identifier(p.name)) for p in body.form_fields)
    elif body is not None:
        route.append(_route_body(body, api, annotate, fastapi_names, body_models))
        arguments.append(PyCode("_server.unwrap(body)"))
    route.extend(route_parameter(p) for p in keyword)
    arguments.extend(code(identifier(p.name), "=", identifier(p.name)) for p in keyword)
    guarded = is_guarded(operation) and not webhook
    method = string_literal(operation.names.service_method)
    principal = code("_principal: dict[str, Any] = _guard.principal_for(_service, ", method, ")") if guarded else None
    if principal is not None:
        arguments.append(PyCode("**_principal"))
    signature = service_signature(operation, annotate)
    success = operation.success
    status = int(success.status) if success is not None and success.status.isdigit() else 200
    answered = answer(operation, annotate, status)
    json_answer = success.type if success is not None else None
    return OperationView(
        name=identifier(operation.names.service_method),
        route_name=identifier(operation.names.route),
        method=identifier(operation.method),
        path=string_literal(route_path(operation)),
        status=status,
        operation_id=string_literal(operation.unique_id),
        summary=string_literal(operation.summary) if operation.summary else None,
        doc=docstring(operation.description or operation.summary),
        tags=literal([operation.tag]),
        deprecated=operation.deprecated,
        router=code("_guard.router(", requirements_literal(operation), ")") if guarded else PyCode("router"),
        query_names=query_names(api, operation, _security_query_names(operation, api)),
        response_model=signature.returns if answered is None else (annotate(json_answer) if json_answer else PyCode("None")),
        signature=signature,
        route_parameters=route,
        call_arguments=code(", ".join(arguments)),
        reads_raw_body=raw_body,
        errors=code("_server.service_errors(_service, ", method, ")"),
        answer=answered,
        principal=principal,
    )


def _webhook_views(
    api: ir.Api, annotate: QualifiedAnnotator, fastapi_names: set[str], body_models: dict[str, BodyModelView]
) -> list[OperationView]:
    """The receiver's routes: an operation's route at the webhook's route path, open to any query
    (a sender may add its own, such as a token the user put in the webhook URL)."""
    return [
        replace(
            _operation_view(webhook, api, annotate, fastapi_names, body_models, webhook=True),
            path=string_literal(webhook.names.webhook_path),
            query_names=None,
        )
        for webhook in api.webhooks
    ]


def _optional(annotation: PyCode, optional: bool) -> PyCode:
    return code("Optional[", annotation, "]") if optional else annotation


def _service_parameter(parameter: ir.Parameter, annotate: QualifiedAnnotator) -> PyCode:
    type_ref, _ = split_constraints(parameter.type)
    annotation = _optional(annotate(type_ref), not parameter.required)
    return code(identifier(parameter.name), ": ", annotation, "" if parameter.required else " = None")


def _route_parameter(parameter: ir.Parameter, annotate: QualifiedAnnotator, fastapi_names: set[str]) -> PyCode:
    """``name: Annotated[type, Query(alias=..., constraints..., description=...)] = None``."""
    marker = _FASTAPI_MARKERS[parameter.location]
    fastapi_names.add(marker)
    type_ref, constraints = split_constraints(parameter.type)
    arguments: list[PyCode] = []
    if parameter.name != parameter.route_name or parameter.location is ir.ParameterLocation.HEADER:  # Header() would turn _ into -
        arguments.append(code("alias=", string_literal(parameter.route_name)))
    arguments.extend(constraint_arguments(constraints, annotate.used))
    if parameter.description:
        arguments.append(code("description=", string_literal(parameter.description)))
    strict_datetime = isinstance(type_ref, ir.Primitive) and type_ref.kind is ir.PrimitiveKind.DATETIME
    annotation = _optional(PyCode("_server.DateTime") if strict_datetime else annotate(type_ref), not parameter.required)
    default = "" if parameter.required else " = None"
    return code(identifier(parameter.name), ": Annotated[", annotation, ", ", PyCode(marker), "(", ", ".join(arguments), ")]", default)


def _styled_route_parameter(api: ir.Api, operation: ir.Operation, parameter: ir.Parameter, annotate: QualifiedAnnotator) -> PyCode:
    """``name: Annotated[type, _server.styled_parameter(type, _server.Style(...), required=...)]``:
    read by its style, not by FastAPI (see ``rendering.styles``)."""
    annotation = _optional(annotate(parameter.type), not parameter.required)
    style = style_call(api, operation, parameter, "_server")
    reader = code("_server.styled_parameter(", annotation, ", ", style, ", required=", literal(parameter.required), ")")
    return code(identifier(parameter.name), ": Annotated[", annotation, ", ", reader, "]")


def _route_body(
    body: ir.RequestBody,
    api: ir.Api,
    annotate: QualifiedAnnotator,
    fastapi_names: set[str],
    body_models: dict[str, BodyModelView],
) -> PyCode:
    """The body argument of a route: a model as is (from form fields, for a form body); a named
    union/alias through a root model."""
    marker = code(MEDIA, ".Form") if is_form_model(body, api.declarations) else PyCode("Body")
    if marker == "Body":
        fastapi_names.add("Body")
    annotation = annotate(body.type)
    if isinstance(body.type, ir.Ref) and isinstance(api.declarations.get(body.type.name), ir.AliasDecl):
        name = identifier(body.type.name)
        body_models[body.type.name] = BodyModelView(name=name, root=annotation)
        annotation = name
    arguments = [code("description=", string_literal(body.description))] if body.description else []
    optional = not body.required
    # An optional form body is the model alone: FastAPI cannot document ``Optional[Model]`` as a form
    # once two routes have one (brex.io, github.com); an absent form is an empty one anyway.
    typed = annotation if marker != "Body" else _optional(annotation, optional)
    validated = ", _server.REQUEST_BODY" if marker == "Body" else ""
    return code("body: Annotated[", typed, ", ", marker, "(", ", ".join(arguments), ")", validated, "]", " = None" if optional else "")
