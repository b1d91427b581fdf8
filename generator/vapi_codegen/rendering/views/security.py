"""Security schemes of the intermediate model -> what ``security.py.jinja`` prints (all PyCode), and
the requirement literals the client's endpoints and the server's routes carry.

``security.py`` declares each scheme once, with the runtime's classes (``templates/runtime/_security.py``);
the client reads which constructor keywords feed it, the server how to read its credential.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vapi_codegen.model import ir
from vapi_codegen.rendering.pycode import PyCode, code, comment_text, docstring, literal, string_literal

_Kind = ir.SecuritySchemeKind
_CLASSES = {
    _Kind.API_KEY: "ApiKey",
    _Kind.HTTP_BEARER: "HttpBearer",
    _Kind.HTTP_BASIC: "HttpBasic",
    _Kind.OAUTH2_CLIENT_CREDENTIALS: "OAuth2ClientCredentials",
    _Kind.UNSUPPORTED: "Unsupported",
}
# The runtime class's field for each credential role (``keywords`` in ``_security.py`` reads them).
_FIELDS = {
    "api_key": "key",
    "token": "token",
    "username": "username",
    "password": "password",
    "client_id": "client_id",
    "client_secret": "client_secret",
}


@dataclass
class SchemeView:
    key: PyCode
    declaration: PyCode
    comment: PyCode | None  # the first line of the scheme's description


@dataclass
class SecurityModule:
    doc: PyCode
    schemes: list[SchemeView] = field(default_factory=list)
    classes: list[PyCode] = field(default_factory=list)  # imported from ``_security``


def build_security_module(api: ir.Api) -> SecurityModule | None:
    """The ``security.py`` view; None when the API declares no scheme and no operation names one."""
    if not api.security_schemes:
        return None
    module = SecurityModule(docstring(f"Security schemes of {api.title}, keyed by their names in the spec.", indent=0) or PyCode(""))
    for scheme in api.security_schemes:
        module.schemes.append(SchemeView(string_literal(scheme.key), _declaration(scheme), _comment(scheme)))
    module.classes = [PyCode(name) for name in sorted({_CLASSES[s.kind] for s in api.security_schemes})]
    return module


def _declaration(scheme: ir.SecurityScheme) -> PyCode:
    arguments: list[PyCode] = []
    if scheme.kind is _Kind.API_KEY and scheme.parameter_name and scheme.location:
        arguments += [string_literal(scheme.parameter_name), string_literal(scheme.location.value)]
    if scheme.kind is _Kind.OAUTH2_CLIENT_CREDENTIALS and scheme.token_url:
        arguments.append(string_literal(scheme.token_url))
    if scheme.kind is _Kind.UNSUPPORTED:
        arguments.append(string_literal(f"the security scheme at {scheme.pointer} cannot be sent or checked"))
    arguments += [code(_FIELDS[c.role], "=", string_literal(c.name)) for c in scheme.credentials]
    return code(_CLASSES[scheme.kind], "(", ", ".join(arguments), ")")


def _comment(scheme: ir.SecurityScheme) -> PyCode | None:
    return comment_text(scheme.description.splitlines()[0]) if scheme.description else None


def requirements_literal(operation: ir.Operation) -> PyCode:
    """An operation's security alternatives as the spec writes them: ``[{"bearer": []}]``."""
    alternatives = [zip(r.schemes, r.scopes or [()] * len(r.schemes), strict=True) for r in operation.security]
    return literal([{key: list(scopes) for key, scopes in pairs} for pairs in alternatives])
