"""The API -> what ``client.py.jinja`` prints (all PyCode): the sync and async clients, their
configuration (environments, security schemes, environment variables, ``User-Agent``), their
constructor's credential keywords, and one attribute per group of operations holding its resource
class (``views.resources``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vapi_codegen.model import ir
from vapi_codegen.rendering.imports import Imports, module_imports
from vapi_codegen.rendering.pycode import PyCode, code, docstring, identifier, literal, string_literal

_ROLE_TEXT = {
    "api_key": "the API key", "token": "the bearer token", "username": "the user name", "password": "the password",
    "client_id": "the OAuth2 client id", "client_secret": "the OAuth2 client secret",
}


@dataclass
class ClientResourceView:
    attribute: PyCode
    module: PyCode
    sync: PyCode
    async_: PyCode
    doc: PyCode | None


@dataclass
class InitView:
    """A client's ``__init__``: the credential keywords (and the environment names) of the API."""

    parameters: list[PyCode]  # keyword-only, before ``base_url``
    environment: PyCode  # the annotation of ``environment``
    credentials: PyCode  # the ``credentials=`` mapping passed to the runtime
    doc: PyCode | None


@dataclass
class ClientFlavourView:
    name: PyCode
    base: PyCode
    doc: PyCode | None
    is_async: bool
    options: PyCode  # the runtime's TypedDict of the other constructor keywords
    init: InitView | None  # None: the runtime's own ``__init__`` will do


@dataclass
class ClientModule:
    doc: PyCode | None
    default_base_url: PyCode | None
    resources: list[ClientResourceView] = field(default_factory=list)
    flavours: list[ClientFlavourView] = field(default_factory=list)
    config: PyCode | None = None  # the clients' ``CONFIG``: environments, schemes, environment variables
    has_security: bool = False  # whether ``SCHEMES`` is imported from ``.security``
    has_init: bool = False  # whether the clients define ``__init__`` (``Unpack`` and the secret types)
    imports: Imports | None = None


def build_client_module(api: ir.Api, user_agent: str | None = None) -> ClientModule:
    """The clients: their configuration and constructor, one attribute per group of operations.

    ``user_agent`` is the ``User-Agent`` the clients send (the package and its version).
    """
    servers = [url for url in api.servers if url.startswith(("http://", "https://"))]
    module = ClientModule(
        doc=docstring(f"Typed sync and async clients for {api.title}.", indent=0),
        default_base_url=string_literal(servers[0]) if servers else None,
        config=_config(api, user_agent),
        has_security=bool(api.security_schemes),
    )
    groups = api.operations_by_group()
    for group, classes in api.resource_classes.items():
        tag = groups[group][0].tag
        module.resources.append(
            ClientResourceView(
                attribute=identifier(group),
                module=identifier(classes.module),
                sync=identifier(classes.sync),
                async_=identifier(classes.async_),
                doc=docstring(f"Operations tagged {tag!r}."),
            )
        )
    used: set[str] = set()
    for is_async, kind in ((False, "Synchronous"), (True, "Asynchronous")):
        module.flavours.append(
            ClientFlavourView(
                name=PyCode("AsyncClient" if is_async else "Client"),
                base=PyCode("_rt.AsyncClientBase" if is_async else "_rt.SyncClientBase"),
                doc=docstring(f"{kind} client for {api.title}.", indent=4),
                is_async=is_async,
                options=PyCode("_rt.AsyncClientOptions" if is_async else "_rt.SyncClientOptions"),
                init=_init_view(api, is_async, used),
            )
        )
    module.has_init = module.flavours[0].init is not None
    # Resource modules are imported by the attribute that returns them, on first use, so that a
    # client of a large API (hundreds of groups) constructs without importing all of them.
    lazy_imports = module.has_init or bool(module.resources)
    module.imports = module_imports(used | ({"TYPE_CHECKING"} if lazy_imports else set()))
    return module


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
