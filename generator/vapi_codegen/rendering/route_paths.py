"""Route paths of the emitted server: each path parameter under its route name (``ir.Parameter.route_name``,
from the naming pass), so the route matches even where Starlette cannot read the spec's name."""

from __future__ import annotations

from vapi_codegen.model import ir


def route_path(operation: ir.Operation) -> str:
    """``operation``'s path with every path parameter under its route name."""
    path = operation.path
    for parameter in operation.parameters:
        if parameter.location is ir.ParameterLocation.PATH:
            path = path.replace("{" + parameter.json_name + "}", "{" + parameter.route_name + "}")
    return path
