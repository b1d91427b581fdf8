"""Parameters with no plain text form, for the client and server views: which they are, and the
runtime ``Style`` (``templates/runtime/_params.py``) that writes and reads each of them.

FastAPI reads a query parameter only as text or an array of texts, and a path parameter or a header
only as one text: an object (or an array of objects or arrays) in the query, and an array or an
object elsewhere, is written and read by its OpenAPI style instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from vapi_codegen.model import ir
from vapi_codegen.model.resource_detection import models_of
from vapi_codegen.rendering.pycode import PyCode, code, literal, string_literal

_QUERY = ir.ParameterLocation.QUERY


def is_styled(api: ir.Api, parameter: ir.Parameter) -> bool:
    """Whether the parameter is written and read by its style rather than as plain text."""
    if ir.is_structured(api.declarations, parameter.type):
        return True
    return parameter.location is not _QUERY and isinstance(_resolved(api, parameter.type), ir.ArrayType)


def style_call(api: ir.Api, operation: ir.Operation, parameter: ir.Parameter, runtime: str) -> PyCode:
    """``<runtime>.Style(...)`` describing how the parameter is written."""
    arguments = [
        string_literal(parameter.route_name),  # a path parameter's value is found under its route name
        string_literal(parameter.location),
        string_literal(parameter.style),
        literal(parameter.explode),
    ]
    if isinstance(_resolved(api, parameter.type), ir.ArrayType):
        arguments.append(PyCode('shape="array"'))
    elif _reads_own_keys(api, parameter):
        keys = _object_keys(api, parameter)
        if keys is not None:
            arguments.append(code("keys=", _tuple(keys)))
        else:
            others = [p.json_name for p in operation.parameters if p.location is _QUERY and p is not parameter]
            arguments.append(code("others=", _tuple(others)))
    return code(runtime, ".Style(", ", ".join(arguments), ")")


def query_names(api: ir.Api, operation: ir.Operation, extra: Sequence[str] = ()) -> PyCode | None:
    """The arguments of the server's ``known_query``: the query names the operation declares (and
    ``extra`` ones, such as API keys sent in the query), the properties of an exploded ``form``
    object among them, and ``name[`` prefixes for ``deepObject`` parameters; None (any name) when an
    exploded ``form`` object takes any property."""
    names: list[str] = list(extra)
    prefixes: list[str] = []
    for parameter in (p for p in operation.parameters if p.location is _QUERY):
        if not is_styled(api, parameter) or not _reads_own_keys(api, parameter):
            names.append(parameter.json_name)
        else:
            keys = _object_keys(api, parameter)
            if keys is None:
                return None
            names.extend(keys)
        if is_styled(api, parameter) and parameter.style is ir.ParameterStyle.DEEP_OBJECT:
            prefixes.append(parameter.json_name + "[")
    arguments = [string_literal(name) for name in dict.fromkeys(names)]
    if prefixes:
        arguments.append(code("prefixes=", _tuple(prefixes)))
    return code(", ".join(arguments))


def _reads_own_keys(api: ir.Api, parameter: ir.Parameter) -> bool:
    """Whether the parameter is an object whose properties are query parameters of their own."""
    return (
        parameter.location is _QUERY
        and parameter.style is ir.ParameterStyle.FORM
        and parameter.explode
        and not isinstance(_resolved(api, parameter.type), ir.ArrayType)
    )


def _object_keys(api: ir.Api, parameter: ir.Parameter) -> list[str] | None:
    """The property names of the parameter's models; None when it may hold any property (a map)."""
    models = models_of(api, parameter.type)
    if not models or any(not model.forbid_extra and not model.fields for model in models):
        return None
    return list(dict.fromkeys(f.json_name for model in models for f in model.fields))


def _resolved(api: ir.Api, type_ref: ir.TypeRef) -> ir.TypeRef:
    """The type with aliases and nullability peeled off."""
    type_ref = ir.resolve_alias(api.declarations, type_ref)
    return _resolved(api, type_ref.inner) if isinstance(type_ref, ir.Nullable) else type_ref


def _tuple(texts: list[str]) -> PyCode:
    """A tuple literal of strings."""
    return tuple_code([string_literal(text) for text in texts])


def tuple_code(items: list[PyCode]) -> PyCode:
    """A tuple expression of ``items`` (with no trailing comma the formatter would take as a wish to
    split it over lines, except after a single item)."""
    return code("(", ", ".join(items), "," if len(items) == 1 else "", ")")
