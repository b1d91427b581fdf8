"""Authentication of the generated server (hand-written runtime, copied verbatim by vapi-codegen).

A route of an operation with security requirements is checked before anything else about the
request is read: the request passes when one alternative is satisfied (every scheme it lists has its
credential in the request and the user's ``authenticate`` accepts it) or when an alternative is
``{}`` (anonymous access allowed); otherwise the answer is 401 with a JSON body.

``authenticate`` is one function for every scheme, or a mapping from scheme name (as in the spec) to
a function. A function receives the credential as sent: the token (bearer, OAuth2) or the key
(API key) as a string, ``BasicCredentials`` for HTTP basic; it returns the principal, any value
the service may use, or None or False to refuse (True works too, as the principal True). It may be
async. Compare secrets with ``hmac.compare_digest``, so the time an answer takes tells nothing.

The principal reaches every service method that declares a ``principal`` parameter: the one of the
first alternative satisfied (a tuple of them when the alternative lists several schemes), None when
anonymous access was allowed and no alternative was.

How credentials are read is strict: ``Bearer``/``Basic`` in any case, exactly one space, then the
token as sent (printable ASCII, nothing trimmed); a basic credential is valid base64 of UTF-8 text
holding a colon.
"""

import base64
import binascii
import inspect
import re
from collections.abc import Mapping, Sequence
from typing import Any, Awaitable, Callable, NamedTuple, Union

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import APIKeyCookie, APIKeyHeader, APIKeyQuery, HTTPBasic, HTTPBearer, OAuth2
from fastapi.security.base import SecurityBase

from ._security import ApiKey, HttpBasic, HttpBearer, OAuth2ClientCredentials, Requirement, Scheme
from ._server import Handler, ServiceRoute, Unauthorized, error_responses


class BasicCredentials(NamedTuple):
    """What HTTP basic authentication sends."""

    username: str
    password: str


Authenticator = Callable[[Any], Union[Any, Awaitable[Any]]]
"""Decides whether a credential is accepted: ``credential -> principal`` (None or False: refused), sync or async."""

Authenticators = Union[Authenticator, Mapping[str, Authenticator]]
"""One ``Authenticator`` for every scheme, or one per scheme name."""

_BEARER = re.compile(r"[Bb][Ee][Aa][Rr][Ee][Rr] ([\x21-\x7e]+)\Z")
_BASIC = re.compile(r"[Bb][Aa][Ss][Ii][Cc] ([A-Za-z0-9+/]+={0,2})\Z")


def read_credential(request: Request, scheme: Scheme) -> Any:
    """The credential of ``scheme`` in the request, as its authenticator receives it; None when absent."""
    if isinstance(scheme, (HttpBearer, OAuth2ClientCredentials)):
        match = _BEARER.match(request.headers.get("Authorization", ""))
        return match.group(1) if match else None
    if isinstance(scheme, HttpBasic):
        match = _BASIC.match(request.headers.get("Authorization", ""))
        return _basic_credentials(match.group(1)) if match else None
    if isinstance(scheme, ApiKey):
        source = {"header": request.headers, "query": request.query_params, "cookie": request.cookies}[scheme.location]
        return source.get(scheme.name) or None
    return None


def _basic_credentials(encoded: str) -> BasicCredentials | None:
    try:
        username, colon, password = base64.b64decode(encoded, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return BasicCredentials(username, password) if colon else None


def _describe(scheme: Scheme) -> str:
    if isinstance(scheme, (HttpBearer, OAuth2ClientCredentials)):
        return "bearer token"
    if isinstance(scheme, HttpBasic):
        return "basic credentials"
    if isinstance(scheme, ApiKey):
        return f"API key {scheme.name!r} (in the {scheme.location})"
    return "credential of an unsupported scheme"


def _challenge(scheme: Scheme) -> str | None:
    if isinstance(scheme, (HttpBearer, OAuth2ClientCredentials)):
        return "Bearer"
    return "Basic" if isinstance(scheme, HttpBasic) else None


class _OnlyDocumented:
    """Mixed into a FastAPI security class: the scheme shows in ``app.openapi()``, and the dependency
    does nothing per request (``Guard`` has checked the request before)."""

    async def __call__(self, request: Request) -> None:
        return None


def _documentation(name: str, scheme: Scheme) -> Any:
    """A FastAPI security dependency that puts the scheme into ``app.openapi()`` and does nothing else."""
    security: SecurityBase
    if isinstance(scheme, HttpBearer):
        security = HTTPBearer(auto_error=False, scheme_name=name)
    elif isinstance(scheme, HttpBasic):
        security = HTTPBasic(auto_error=False, scheme_name=name)
    elif isinstance(scheme, OAuth2ClientCredentials):
        security = OAuth2(flows={"clientCredentials": {"tokenUrl": scheme.token_url, "scopes": {}}}, scheme_name=name, auto_error=False)
    elif isinstance(scheme, ApiKey):
        kind = {"header": APIKeyHeader, "query": APIKeyQuery, "cookie": APIKeyCookie}[scheme.location]
        security = kind(name=scheme.name, scheme_name=name, auto_error=False)
    else:
        return None
    documented: Any = security
    documented.__class__ = type(f"Documented{type(security).__name__}", (_OnlyDocumented, type(security)), {})
    return Depends(documented)


class Guard:
    """Checks requests against security requirements with the user's ``authenticate``; one router
    per distinct set of requirements, whose routes are checked before anything else happens."""

    def __init__(self, schemes: Mapping[str, Scheme], authenticate: Authenticators):
        self.schemes = schemes
        if isinstance(authenticate, Mapping):
            unknown = sorted(set(authenticate) - set(schemes))
            if unknown:
                raise ValueError(f"authenticate names unknown security schemes {unknown} (known: {sorted(schemes)})")
            self._authenticators: dict[str, Authenticator] = dict(authenticate)
        else:
            self._authenticators = {name: authenticate for name in schemes}
        self._routers: dict[tuple[tuple[str, ...], ...], APIRouter] = {}

    def router(self, requirements: Sequence[Requirement]) -> APIRouter:
        """The router whose routes need ``requirements`` (made on first use)."""
        key = tuple(tuple(requirement) for requirement in requirements)
        if key not in self._routers:
            self._routers[key] = self._new_router(requirements)
        return self._routers[key]

    def include_into(self, router: APIRouter) -> None:
        """Add every route made through ``router(...)`` to ``router``."""
        for guarded in self._routers.values():
            router.include_router(guarded)

    def _new_router(self, requirements: Sequence[Requirement]) -> APIRouter:
        guard = self

        class GuardedRoute(ServiceRoute):
            def guard(self, handle: Handler) -> Handler:
                async def authenticate_then_handle(request: Request) -> Response:
                    request.state.principal = await guard.principal(request, requirements)
                    return await handle(request)

                return authenticate_then_handle

        names = list(dict.fromkeys(name for requirement in requirements for name in requirement))
        documented = [_documentation(name, self.schemes[name]) for name in names if name in self.schemes]
        # an alternative that needs no credential ({}) never answers 401
        unauthorized = error_responses(401) if all(requirements) else {}
        return APIRouter(route_class=GuardedRoute, dependencies=[d for d in documented if d is not None], responses=unauthorized)

    async def principal(self, request: Request, requirements: Sequence[Requirement]) -> Any:
        """The principal of the first alternative the request satisfies; None when anonymous access
        is allowed and none is; else ``Unauthorized``."""
        refused: list[str] = []
        checked: dict[str, Any] = {}  # each scheme's credential is authenticated once per request
        for requirement in requirements:
            principals = []
            for name in requirement:
                if name not in checked:
                    checked[name] = await self._authenticate(request, name, refused)
                if checked[name] is None:
                    break
                principals.append(checked[name])
            else:
                if principals:
                    return principals[0] if len(principals) == 1 else tuple(principals)
        if any(not requirement for requirement in requirements):
            return None
        raise self._unauthorized(requirements, refused)

    async def _authenticate(self, request: Request, name: str, refused: list[str]) -> Any:
        """What ``authenticate`` makes of the scheme's credential; None when absent or refused."""
        scheme = self.schemes.get(name)
        authenticate = self._authenticators.get(name)
        credential = read_credential(request, scheme) if scheme is not None else None
        if credential is None or authenticate is None:
            return None
        principal = authenticate(credential)
        if inspect.isawaitable(principal):
            principal = await principal
        if principal is None or principal is False:
            refused.append(name)
            return None
        return principal

    def _unauthorized(self, requirements: Sequence[Requirement], refused: list[str]) -> Unauthorized:
        names = list(dict.fromkeys(name for requirement in requirements for name in requirement))
        schemes = [self.schemes[name] for name in names if name in self.schemes]
        challenges = list(dict.fromkeys(c for c in map(_challenge, schemes) if c))
        if refused:
            message = "invalid " + _describe(self.schemes[refused[0]])
        else:
            message = "missing " + " or ".join(dict.fromkeys(_describe(s) for s in schemes)) if schemes else "missing credentials"
        return Unauthorized(message, challenge=", ".join(challenges) or None)

    def principal_for(self, service: Any, method: str) -> Any:
        """The route dependency giving ``service.<method>`` its keyword arguments for the principal:
        ``{"principal": ...}`` when it declares a ``principal`` parameter (or ``**kwargs``), else
        ``{}`` (also when the service lacks the method: calling it fails as it would anyway)."""
        function = getattr(service, method, None)
        try:
            parameters = list(inspect.signature(function).parameters.values()) if callable(function) else []
        except (TypeError, ValueError):  # a callable without a signature Python can read
            parameters = []
        if any(p.name == "principal" or p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
            return Depends(_principal_keyword)
        return Depends(_no_keyword)


def _principal_keyword(request: Request) -> dict[str, Any]:
    return {"principal": getattr(request.state, "principal", None)}


def _no_keyword() -> dict[str, Any]:
    return {}
