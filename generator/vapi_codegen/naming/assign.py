"""The naming pass: the one place that decides what the emitted package calls each part of the model.

It runs once the model is built (``model.build``) and writes the names onto it: classes (the
model keys its declarations by provisional names until then, see ``naming.class_names``),
attributes, enum members, arguments, methods, resource classes, module constants, route functions,
webhook routes and mock attributes. The views and the diff's surface comparison only read them.

Each name comes from its rule in ``naming.identifiers``; when the scope it lives in (a class body,
a module, a function) already holds it, it gets the one collision suffix of ``first_free``:
``name_2``, ``name_3``...
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container

from vapi_codegen.model import ir
from vapi_codegen.naming.class_names import ClassNameRequests, assign_class_names
from vapi_codegen.naming.identifiers import (
    RESERVED_CLASS_NAMES,
    RESOURCE_ATTRIBUTES,
    AttributeNames,
    client_attribute_name,
    client_method_name,
    collection_attribute,
    credential_name,
    endpoint_constant_name,
    enum_member_names,
    events_constant_name,
    environment_name,
    environment_variable,
    escaped,
    first_free,
    flavoured_class_name,
    group_name,
    is_plain_method_name,
    method_in_group,
    method_name,
    paging_constant_name,
    parameter_name,
    params_class_name,
    resource_class_name,
    resource_module_name,
    route_parameter_name,
    stream_method_name,
    streaming_class_name,
    unique_field_names,
    webhook_route_segment,
)

# Names already bound where the server's route functions are defined (``create_router`` and
# ``create_webhook_router`` in ``server.py.jinja``), and in the client module and its resource classes.
_ROUTER_SCOPE = frozenset({"router", "service", "authenticate", "_service", "_secured", "_server_media", "_guard"})
_WEBHOOK_ROUTER_SCOPE = frozenset({"router", "receiver", "path_prefix", "_service"})
_CLIENT_MODULE_SCOPE = frozenset({"_rt", "_models", "_pages", "_functools", "_auth", "_config", "_CONFIG", "SCHEMES", "Client", "AsyncClient"})
_RESOURCE_MODULE_SCOPE = frozenset({"_rt", "_models", "_pages", "_functools", "_security", "TYPE_CHECKING"})
# The clients' own constructor keywords (``templates/runtime/_client.py``): a credential keyword
# named like one gets a trailing ``_``.
_CLIENT_INIT_SCOPE = frozenset(
    {"self", "base_url", "environment", "timeout", "max_retries", "headers", "retry_methods", "httpx_client", "sleep", "options"}
)
_FLAVOURS = ((False, False), (False, True), (True, False), (True, True))  # (async, raw), in ``ir.ResourceClasses`` order


class _Scope:
    """The names bound in one scope; ``take`` binds the first free name for a base name."""

    def __init__(self, bound: frozenset[str] = frozenset()) -> None:
        self.names: set[str] = set(bound)

    def take(self, base: str) -> str:
        name = first_free(base, self.names)
        self.names.add(name)
        return name


def assign_names(api: ir.Api, classes: ClassNameRequests, attribute_names: AttributeNames = AttributeNames.PYTHON) -> None:
    """Write every emitted name onto ``api``: first the classes ``classes`` holds the hints of, then
    the rest; ``attribute_names`` is how model attributes are named."""
    assign_class_names(api, classes)
    for model in api.models():
        _name_fields(model, attribute_names)
    for enum in api.enums():
        for member, name in zip(enum.members, enum_member_names([m.value for m in enum.members]), strict=False):
            member.name = name
    for operation in api.operations + api.webhooks:
        _name_parameters(operation)
    _name_params(api)
    _name_operations(api)
    _name_webhooks(api.webhooks)
    mock = _Scope()
    for resource in api.resources:
        resource.attribute = mock.take(collection_attribute(resource.collection_path))
    for resource in api.resources:
        if resource.uploaded:
            resource.uploads = mock.take(resource.attribute + "_uploads")
    _name_credentials(api.security_schemes)
    environments = _Scope()
    for index, environment in enumerate(api.environments):
        environment.name = environments.take(environment_name(environment.description, first=index == 0))


def _name_credentials(schemes: list[ir.SecurityScheme]) -> None:
    """The clients' constructor keywords, one per credential; a scheme whose roles another scheme
    also takes is named after its spec name."""
    keywords = _Scope()
    roles = [tuple(c.role for c in scheme.credentials) for scheme in schemes]
    for scheme, scheme_roles in zip(schemes, roles, strict=True):
        shared = roles.count(scheme_roles) > 1
        for credential in scheme.credentials:
            base = credential_name(credential.role, scheme.key, shared)
            credential.name = keywords.take(escaped(base, _CLIENT_INIT_SCOPE))


def name_environment_variables(api: ir.Api, prefix: str | None, explicit: dict[str, str]) -> None:
    """The environment variables the clients read for what they are not passed: ``explicit`` maps
    a constructor keyword (a credential's, or ``base_url``) to its variable; the others are named
    ``<prefix>_<KEYWORD>`` when a ``prefix`` is set, else are not read."""

    def variable(keyword: str) -> str | None:
        if keyword in explicit:
            return explicit[keyword]
        return environment_variable(prefix, keyword) if prefix else None

    api.environment_variables.base_url = variable("base_url")
    for scheme in api.security_schemes:
        for credential in scheme.credentials:
            credential.env_var = variable(credential.name)


def _name_fields(model: ir.ModelDecl, style: AttributeNames) -> None:
    """Attributes unique within the model; a field named like a class the model's annotations use
    (``Pet: Optional[Pet] = None``) is renamed, as its default would hide the class from pydantic.
    Discriminator tags are named first and keep their names: the unions find them by name, the same
    in every variant."""
    json_names = [f.json_name for f in model.fields]
    tags = tuple(f.json_name for f in model.fields if f.is_tag)
    names = unique_field_names(json_names, style=style, first=tags)
    used = frozenset(set().union(*(ir.referenced_names(f.type) for f in model.fields)))
    if any(names[f.json_name] in used and not f.is_tag for f in model.fields):
        unshadowed = unique_field_names(json_names, avoid=used, style=style, first=tags)
    else:
        unshadowed = names
    for decl in model.fields:
        decl.name = names[decl.json_name] if decl.is_tag else unshadowed[decl.json_name]


def _name_params(api: ir.Api) -> None:
    """TypedDicts for the models a request body can hold, and aliases for the unions of them; they are
    re-exported beside the models, so they share the models' scope."""
    scope = _Scope(frozenset(api.declarations) | RESERVED_CLASS_NAMES)
    for name in sorted(ir.reachable(api.declarations, [op.body.type for op in api.operations if op.body is not None])):
        declaration = api.declarations[name]
        if isinstance(declaration, ir.EnumDecl):
            continue
        if declaration.fallback_of is None if isinstance(declaration, ir.ModelDecl) else _holds_model(api, declaration):
            declaration.params_name = scope.take(params_class_name(name))


def _holds_model(api: ir.Api, alias: ir.AliasDecl) -> bool:
    """Whether a value of the alias can be a model (through unions, lists, maps and other aliases).
    The search ends at the first model: what lies beyond one does not change the answer."""
    seen: set[str] = set()
    pending = list(ir.referenced_names(alias.type))
    while pending:
        name = pending.pop()
        declaration = api.declarations.get(name)
        if isinstance(declaration, ir.ModelDecl):
            return True
        if isinstance(declaration, ir.AliasDecl) and name not in seen:
            seen.add(name)
            pending.extend(ir.referenced_names(declaration.type))
    return False


def _name_parameters(operation: ir.Operation) -> None:
    """Argument names unique within the operation; path parameters are named first, as FastAPI finds
    them by argument name (a query parameter of the same name becomes ``name_2``, its alias the name)."""
    arguments = _Scope()
    for parameter in sorted(operation.parameters, key=lambda p: p.location is not ir.ParameterLocation.PATH):
        parameter.name = arguments.take(parameter_name(parameter.json_name))
        parameter.route_name = route_parameter_name(parameter.json_name, parameter.name, parameter.location is ir.ParameterLocation.PATH)
    for part in operation.body.form_fields if operation.body is not None else ():
        part.name = arguments.take(parameter_name(part.json_name))


def _base_method(operation: ir.Operation) -> str:
    return method_name(operation.operation_id, operation.method, operation.path)


def _client_method(operation: ir.Operation) -> str:
    return client_method_name(operation.operation_id, operation.method, operation.path)


def _name_operations(api: ir.Api) -> None:
    """Client names per group of operations (one group per tag, one module of ``resources/`` each),
    server names across the API.

    The resource classes are imported beside the models and TypedDicts their annotations name, and
    re-exported together by ``resources/__init__.py``: they share one scope with those names.
    """
    groups: dict[str, list[ir.Operation]] = {}
    for operation in api.operations:
        groups.setdefault(group_name(operation.tag), []).append(operation)
    client, modules = _Scope(), _Scope(frozenset({"__init__"}))
    params = {d.params_name for d in api.declarations.values() if not isinstance(d, ir.EnumDecl) and d.params_name}
    classes = _Scope(_CLIENT_MODULE_SCOPE | RESERVED_CLASS_NAMES | frozenset(api.declarations) | frozenset(params))
    # A class named in lowercase (a schema ``disk``; a TypedDict's name ends in ``Params``) may be in a
    # resource's annotations: a method of that name would hide it from type checkers.
    lowercase_classes = frozenset(name for name in api.declarations if name.islower())
    for group in sorted(groups):
        attribute = client.take(client_attribute_name(group))
        base = resource_class_name(group)
        sync, sync_raw, async_, async_raw = (classes.take(flavoured_class_name(base, is_async, raw)) for is_async, raw in _FLAVOURS)
        module_name = modules.take(resource_module_name(attribute))
        downloads = any(op.downloads for op in groups[group])
        streaming = [classes.take(streaming_class_name(base, is_async)) for is_async in (False, True)] if downloads else []
        api.resource_classes[attribute] = ir.ResourceClasses(sync, sync_raw, async_, async_raw, module_name, *streaming)
        resource, module = _Scope(RESOURCE_ATTRIBUTES | lowercase_classes), _Scope(_RESOURCE_MODULE_SCOPE)
        for operation, method in zip(groups[group], _client_methods(group, groups[group], resource.names), strict=True):
            operation.names.group = attribute
            operation.names.method = resource.take(method)
        for operation in groups[group]:
            operation.names.endpoint = module.take(endpoint_constant_name(operation.names.method))
        for operation in groups[group]:
            if operation.pagination is not None:
                operation.names.paging = module.take(paging_constant_name(operation.names.endpoint))
        _name_streams(groups[group], resource, module)
    service, routes = _Scope(), _Scope(_ROUTER_SCOPE)
    for operation in api.operations:
        operation.names.service_method = service.take(_base_method(operation))
        operation.names.route = routes.take("_" + operation.names.service_method)


def _client_methods(group: str, operations: list[ir.Operation], bound: Container[str]) -> list[str]:
    """The base names of a group's client methods. The group's name is left out of every method
    namespaced by it (``method_in_group``), or out of none, so that a resource's methods read alike:
    when one of them would be left a keyword, a reserved name (``client_method_name``), a name
    already ``bound`` in the resource class, a leading digit or another method's name, all keep it
    (``Jobs_Import`` beside ``Jobs_Create``: ``jobs_import`` and ``jobs_create``)."""
    full = [_client_method(operation) for operation in operations]
    short = [method_in_group(operation.operation_id, group) for operation in operations]
    names = [shortened or name for name, shortened in zip(full, short, strict=True)]
    count = Counter(names)
    usable = all(is_plain_method_name(name) and count[name] == 1 and name not in bound for name in short if name)
    return names if usable else full


def _name_streams(operations: list[ir.Operation], resource: _Scope, module: _Scope) -> None:
    """The events constant of each operation that may answer server-sent events, and the method asking
    for them when it may answer JSON too."""
    for operation in operations:
        success = operation.success
        if success is None or success.events is None:
            continue
        operation.names.events = module.take(events_constant_name(operation.names.endpoint))
        if success.type is not None:
            operation.names.stream_method = resource.take(stream_method_name(operation.names.method))


def _name_webhooks(webhooks: list[ir.Operation]) -> None:
    """Receiver methods and route functions; one route path per webhook name (its methods share it)."""
    receiver, routes, segments = _Scope(), _Scope(_WEBHOOK_ROUTER_SCOPE), _Scope()
    paths: dict[str, str] = {}
    for webhook in webhooks:
        webhook.names.service_method = receiver.take(_base_method(webhook))
        webhook.names.route = routes.take("_" + webhook.names.service_method)
        if webhook.path not in paths:
            paths[webhook.path] = "/" + segments.take(webhook_route_segment(webhook.path))
        webhook.names.webhook_path = paths[webhook.path]
