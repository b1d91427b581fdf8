"""Route paths of the emitted server: a path parameter whose name Starlette cannot read in a path
(``{tree-id}``, ``{leaf.id}``) is named there by its Python name instead, so the route matches."""

from __future__ import annotations

import re

from vapi_codegen.model import ir

_READABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")  # what Starlette's path syntax takes as a parameter name


def route_name(parameter: ir.Parameter) -> str:
    """The name FastAPI finds ``parameter``'s value under: in the route's path for a path parameter."""
    if parameter.location == "path" and not _READABLE.match(parameter.json_name):
        return parameter.name
    return parameter.json_name


def route_path(operation: ir.Operation) -> str:
    """``operation``'s path with every path parameter under its ``route_name``."""
    path = operation.path
    for parameter in operation.parameters:
        if parameter.location == "path":
            path = path.replace("{" + parameter.json_name + "}", "{" + route_name(parameter) + "}")
    return path
