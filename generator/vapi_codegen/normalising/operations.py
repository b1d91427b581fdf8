"""Path items -> operations as generating and diffing read them.

Each operation comes with its parameters (the path item's merged in: the operation's own declaration of
a (name, in) pair wins; within one list the first declaration of a pair wins, with a warning; a
parameter in an unknown location is dropped, with a warning), its request body and its responses, all
``$ref``s followed, and the one media type read from each ``content`` map (``preferred_media_type``);
the differ also reads every media type of a message (as do the transports that pick by media type:
a response that is JSON or server-sent events), a response's headers (as header parameters), the
security requirements that apply, and the path's template with its variables unnamed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from vapi_codegen.normalising.located import Located
from vapi_codegen.normalising.refs import Registry, child
from vapi_codegen.normalising.schema_facts import preferred_media_type
from vapi_codegen.normalising.security import applying_security

_PATH_VARIABLE = re.compile(r"\{([^{}]*)\}")
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PARAMETER_LOCATIONS = ("path", "query", "header", "cookie")


@dataclass(frozen=True)
class Content:
    """A media type of a ``content`` map, and its schema (None when it declares none).

    ``item_schema`` is OpenAPI 3.2's ``itemSchema``: the schema of each item of a sequential media type
    (each event of ``text/event-stream``); None when it declares none.
    """

    media_type: str
    schema: Any
    pointer: str  # where the schema is, or would be, written
    item_schema: Any = None

    @property
    def item_pointer(self) -> str:
        """Where ``item_schema`` is, or would be, written."""
        return self.pointer.rsplit("/", 1)[0] + "/itemSchema"


@dataclass(frozen=True)
class Message:
    """A request body or a response object, ``$ref`` followed."""

    node: dict[str, Any]
    pointer: str
    content: Content | None  # the preferred media type; None without a non-empty ``content`` map
    contents: dict[str, Content] = field(default_factory=dict)  # every media type of the ``content`` map, in order
    headers: dict[str, Parameter] = field(default_factory=dict)  # a response's ``headers``, by name as written

    def located_schema(self) -> Located | None:
        """The schema of its media type, where written; None when it declares none."""
        if self.content is None or self.content.schema is None:
            return None
        return Located(self.content.schema, self.content.pointer)


@dataclass(frozen=True)
class Parameter:
    """One parameter of an operation, after the path item's and the operation's lists are merged.

    A parameter has two places: where its object is written (``pointer``: what the differ reports) and
    where the operation lists it (``listed_at``: the generator names its inline schemas from there, so a
    shared ``$ref`` parameter gets one name per operation, as it always has).
    """

    name: str
    location: str  # path, query, header or cookie
    required: bool  # a path parameter always is
    node: dict[str, Any]  # the parameter object, $ref followed
    pointer: str  # where the parameter object is written
    listed_at: str  # the entry of the parameters list that names it (the $ref's own place for a reference)
    schema: Any  # its ``schema``, else the schema of its preferred media type; None when it has neither
    schema_path: tuple[str, ...]  # where ``schema`` sits inside the parameter object

    def schema_pointer(self, base: str) -> str:
        """The pointer of the schema, inside the parameter object written (or listed) at ``base``."""
        return child(base, *self.schema_path)

    def located_schema(self) -> Located | None:
        """The schema where the parameter object is written; None when it declares none."""
        return None if self.schema is None else Located(self.schema, self.schema_pointer(self.pointer))


@dataclass(frozen=True)
class Operation:
    """One operation; ``pointer`` is under its path in ``paths``/``webhooks`` even when the path item is a ``$ref``."""

    path: str  # the URL path (for a webhook: its name)
    method: str  # lower case
    pointer: str
    node: dict[str, Any]  # the operation object
    parameters: list[Parameter]
    body: Message | None
    responses: dict[str, Message]  # status -> response, in document order

    security: list[Any] | None = None  # the requirements that apply: its own ``security``, else the document's
    security_at: str = "/security"  # where those are written

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def template(self) -> str:
        return path_template(self.path)

    @property
    def path_variables(self) -> list[str]:
        return path_variables(self.path)


def path_template(path: str) -> str:
    """The path with its variables unnamed (``/x/{}``): renaming ``{scope}`` to ``{namespace}`` keeps the URL."""
    return _PATH_VARIABLE.sub("{}", path)


def path_variables(path: str) -> list[str]:
    """The names of the path's variables, in the order they appear."""
    return _PATH_VARIABLE.findall(path)


def path_renames(old_path: str, new_path: str) -> dict[str, str]:
    """Old variable name -> new name, for the variables renamed between two paths of one template."""
    return {before: after for before, after in zip(path_variables(old_path), path_variables(new_path), strict=False) if before != after}


def read_operations(registry: Registry, section: str) -> Iterator[Operation]:
    """The operations under the document's ``paths`` or ``webhooks`` (``section``), in document order."""
    root = "/" + section
    items = registry.data.get(section) or {}
    if not isinstance(items, dict):
        registry.diagnostics.error(root, f"{section} must be a mapping")
        return
    for path, raw in items.items():
        item_pointer = child(root, path)  # a path item that is a $ref is still located under its path
        variables = path_variables(str(path)) if section == "paths" else []
        repeated = [name for name in dict.fromkeys(variables) if variables.count(name) > 1]
        if repeated:  # one value for two places, or two values under one name: no route can say which
            registry.diagnostics.error(item_pointer, f"the path names {{{repeated[0]}}} more than once; each variable must be named once")
            continue
        resolved = registry.deref_mapping(raw, item_pointer)
        if resolved is None:
            continue
        item = resolved[1]
        for method in HTTP_METHODS:
            node = item.get(method)
            if isinstance(node, dict):
                operation = _operation(registry, str(path), method, item, child(item_pointer, method), node)
                if section == "paths":
                    _declare_template_variables(registry, operation)
                yield operation


def _operation(registry: Registry, path: str, method: str, item: dict[str, Any], pointer: str, node: dict[str, Any]) -> Operation:
    parameters = _parameters(registry, [(item, child(pointer.rsplit("/", 1)[0], "parameters")), (node, child(pointer, "parameters"))])
    body = _message(registry, node["requestBody"], child(pointer, "requestBody")) if "requestBody" in node else None
    responses: dict[str, Message] = {}
    declared = node.get("responses")
    for status, raw in declared.items() if isinstance(declared, dict) else ():
        response = _message(registry, raw, child(pointer, "responses", status))
        if response is not None:
            responses[str(status)] = response
    security, security_at = applying_security(registry.data, node, pointer)
    return Operation(path, method, pointer, node, parameters, body, responses, security if isinstance(security, list) else None, security_at)


def _declare_template_variables(registry: Registry, operation: Operation) -> None:
    """A variable of the path that the operation does not declare (Vapi's ``DELETE /call/{id}`` has
    ``parameters: []``) is read as a required string path parameter, with a warning: every request
    needs a value for it, and the server's route has it anyway."""
    declared = {p.name for p in operation.parameters if p.location == "path"}
    at = child(operation.pointer, "parameters")
    for name in dict.fromkeys(operation.path_variables):
        if not name or name in declared:
            continue
        registry.diagnostics.warn(at, f"path parameter {name!r} of {operation.path} is not declared; read as a required string")
        node = {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        operation.parameters.append(Parameter(name, "path", True, node, at, at, node["schema"], ("schema",)))


def _parameters(registry: Registry, levels: list[tuple[dict[str, Any], str]]) -> list[Parameter]:
    """The parameters of the path item, then of the operation; a later level's (name, in) pair wins."""
    collected: dict[tuple[str, str], Parameter] = {}
    for holder, pointer in levels:
        listed = holder.get("parameters")
        seen_here: set[tuple[str, str]] = set()
        for index, raw in enumerate(listed if isinstance(listed, list) else []):
            at = child(pointer, index)
            resolved = registry.deref_mapping(raw, at)
            if resolved is None:
                continue
            parameter = _parameter(*resolved, at)
            key = (parameter.name, parameter.location)
            if key in seen_here:
                registry.diagnostics.warn(at, f"parameter {key[0]!r} in {key[1]} is declared twice; the first declaration is used")
                continue
            seen_here.add(key)
            collected[key] = parameter  # an overridden path-level parameter keeps its place
    known: list[Parameter] = []
    for parameter in collected.values():
        if parameter.location in PARAMETER_LOCATIONS:
            known.append(parameter)
        else:
            message = f"unknown parameter location {parameter.location!r}; parameter ignored"
            registry.diagnostics.warn(child(parameter.listed_at, "in"), message)
    return known


def _parameter(pointer: str, node: dict[str, Any], listed_at: str) -> Parameter:
    location = str(node.get("in", ""))
    schema: Any = node.get("schema")
    schema_path: tuple[str, ...] = ("schema",)
    content = _content(node, pointer) if "schema" not in node else None
    if content is not None:
        schema, schema_path = content.schema, ("content", content.media_type, "schema")
    return Parameter(
        name=str(node.get("name", "")),
        location=location,
        required=location == "path" or node.get("required") is True,
        node=node,
        pointer=pointer,
        listed_at=listed_at,
        schema=schema,
        schema_path=schema_path,
    )


def _message(registry: Registry, raw: Any, at: str) -> Message | None:
    resolved = registry.deref_mapping(raw, at)
    if resolved is None:
        return None
    pointer, node = resolved
    return Message(node, pointer, _content(node, pointer), _contents(node, pointer), _headers(registry, node, pointer))


def _content(holder: dict[str, Any], pointer: str) -> Content | None:
    content = holder.get("content")
    if not isinstance(content, dict) or not content:
        return None
    return _media(content, preferred_media_type(content), pointer)


def _contents(holder: dict[str, Any], pointer: str) -> dict[str, Content]:
    content = holder.get("content")
    return {str(key): _media(content, key, pointer) for key in content} if isinstance(content, dict) else {}


def _media(content: dict[Any, Any], key: Any, pointer: str) -> Content:
    media = content[key]
    schema = media.get("schema") if isinstance(media, dict) else None
    item_schema = media.get("itemSchema") if isinstance(media, dict) else None
    return Content(str(key), schema, child(pointer, "content", key, "schema"), item_schema)


def _headers(registry: Registry, holder: dict[str, Any], pointer: str) -> dict[str, Parameter]:
    """A response's headers, each read as a header parameter (``$ref`` followed)."""
    headers = holder.get("headers")
    found: dict[str, Parameter] = {}
    for name, raw in headers.items() if isinstance(headers, dict) else ():
        at = child(pointer, "headers", name)
        resolved = registry.deref_mapping(raw, at)
        if resolved is not None:
            found[str(name)] = _parameter(resolved[0], {**resolved[1], "name": name, "in": "header"}, at)
    return found

