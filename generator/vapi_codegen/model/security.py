"""Security schemes, requirements and servers -> the intermediate model (what the clients send and
the server checks, and the environments a client can be pointed at).

What each scheme kind needs from the client (``Credential.role``):

- ``apiKey`` in a header, query parameter or cookie: ``api_key``;
- HTTP ``bearer``, an OAuth2 scheme without a client-credentials flow, OpenID Connect: ``token``
  (the bearer token itself; obtaining it is the user's business);
- HTTP ``basic``: ``username`` and ``password``;
- OAuth2 with a ``clientCredentials`` flow: ``client_id`` and ``client_secret`` (the client fetches
  the token from ``tokenUrl``).

Anything else (HTTP digest, mutual TLS, a requirement naming an undeclared scheme) is kept as an
``UNSUPPORTED`` scheme, with a warning: an alternative that needs it is never satisfied.
"""

from __future__ import annotations

from functools import partial

import re
from typing import Any

from vapi_codegen.diagnostics import Diagnostics
from vapi_codegen.model import ir
from vapi_codegen.normalising import security as normalised
from vapi_codegen.normalising.normaliser import Normaliser
from vapi_codegen.normalising.refs import child
from vapi_codegen.normalising.schema_facts import mapping_field, spec_text

_Kind = ir.SecuritySchemeKind
_ROLES = {
    _Kind.API_KEY: ("api_key",),
    _Kind.HTTP_BEARER: ("token",),
    _Kind.HTTP_BASIC: ("username", "password"),
    _Kind.OAUTH2_CLIENT_CREDENTIALS: ("client_id", "client_secret"),
    _Kind.UNSUPPORTED: (),
}
_KEY_LOCATIONS = {"header": ir.ParameterLocation.HEADER, "query": ir.ParameterLocation.QUERY, "cookie": ir.ParameterLocation.COOKIE}
_SERVER_VARIABLE = re.compile(r"\{([^{}]+)\}")


class SecurityReader:
    """Reads the document's schemes once, then each operation's requirements against them."""

    def __init__(self, normaliser: Normaliser, diagnostics: Diagnostics):
        self.normaliser = normaliser
        self.diagnostics = diagnostics
        self.schemes: dict[str, ir.SecurityScheme] = {}
        for read in normaliser.security_schemes():
            self.schemes[read.key] = self._scheme(read)

    def requirements(self, requirements: list[normalised.Requirement]) -> list[ir.SecurityRequirement]:
        """The alternatives in the model; a scheme no entry declares becomes an unsupported one."""
        result = []
        for requirement in requirements:
            for key, _ in requirement.schemes:
                if key not in self.schemes:
                    self.diagnostics.warn(requirement.pointer, f"security scheme {key!r} is not declared; this alternative is never satisfied")
                    self.schemes[key] = ir.SecurityScheme(key, _Kind.UNSUPPORTED, requirement.pointer)
            result.append(
                ir.SecurityRequirement(
                    schemes=tuple(key for key, _ in requirement.schemes),
                    scopes=tuple(scopes for _, scopes in requirement.schemes),
                )
            )
        return result

    def _scheme(self, read: normalised.Scheme) -> ir.SecurityScheme:
        node = read.node
        kind, details = self._kind(node, read.pointer)
        scheme = ir.SecurityScheme(read.key, kind, read.pointer, description=spec_text(node.get("description")), **details)
        scheme.credentials = [ir.Credential(role) for role in _ROLES[kind]]
        return scheme

    def _kind(self, node: dict[str, Any], pointer: str) -> tuple[ir.SecuritySchemeKind, dict[str, Any]]:
        """The kind of a scheme object and what it needs besides (API key location, token URL)."""
        kind = node.get("type")
        if kind == "apiKey" and node.get("in") in _KEY_LOCATIONS and isinstance(node.get("name"), str) and node["name"]:
            return _Kind.API_KEY, {"parameter_name": node["name"], "location": _KEY_LOCATIONS[node["in"]]}
        if kind == "http" and str(node.get("scheme", "")).lower() in ("bearer", "basic"):
            return (_Kind.HTTP_BEARER if str(node["scheme"]).lower() == "bearer" else _Kind.HTTP_BASIC), {}
        if kind == "oauth2":
            flow = (node.get("flows") or {}).get("clientCredentials") if isinstance(node.get("flows"), dict) else None
            if isinstance(flow, dict) and isinstance(flow.get("tokenUrl"), str) and flow["tokenUrl"]:
                return _Kind.OAUTH2_CLIENT_CREDENTIALS, {"token_url": flow["tokenUrl"]}
            return _Kind.HTTP_BEARER, {}
        if kind == "openIdConnect":
            return _Kind.HTTP_BEARER, {}
        message = f"security scheme of type {kind!r} ({_describe(node)}) is not supported; alternatives needing it are never satisfied"
        self.diagnostics.warn(pointer, message)
        return _Kind.UNSUPPORTED, {}


def _describe(node: dict[str, Any]) -> str:
    if node.get("type") == "http":
        return f"scheme {node.get('scheme')!r}"
    if node.get("type") == "apiKey":
        return f"in {node.get('in')!r}, name {node.get('name')!r}"
    return "no details"


def _substituted(variables: dict[str, Any], match: re.Match[str]) -> str:
    """A server URL variable's default (``re.sub`` replacement)."""
    return _default(variables, match.group(1))


def read_environments(data: dict[str, Any], diagnostics: Diagnostics) -> list[ir.Environment]:
    """The spec's servers with absolute http(s) URLs, variables replaced by their defaults."""
    environments = []
    for index, server in enumerate(data.get("servers") or []):
        if not isinstance(server, dict) or not isinstance(server.get("url"), str):
            continue
        variables = mapping_field(server, "variables")
        url = _SERVER_VARIABLE.sub(partial(_substituted, variables), server["url"])
        if "{" in url:
            diagnostics.warn(child("/servers", index, "url"), "server URL has a variable without a default; it is not an environment")
        elif url.startswith(("http://", "https://")):
            environments.append(ir.Environment(url, spec_text(server.get("description"))))
    return environments


def _default(variables: dict[str, Any], name: str) -> str:
    variable = variables.get(name)
    default = variable.get("default") if isinstance(variable, dict) else None
    return str(default) if default is not None else "{" + name + "}"
