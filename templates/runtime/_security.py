"""Security schemes as data, shared by the generated client and server (hand-written runtime, copied
verbatim by vapi-codegen).

The generated ``security.py`` declares the API's schemes with these classes, keyed by their names in
the spec; an operation's requirements are a list of alternatives, each mapping scheme names to
the scopes it needs (``{}``: anonymous access), as the spec writes them. Each client-side field
(``key``, ``token``, ``username``...) names the clients' constructor keyword holding that credential.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Union


@dataclass(frozen=True)
class ApiKey:
    """A key sent in a header, a query parameter or a cookie called ``name``."""

    name: str
    location: Literal["header", "query", "cookie"]
    key: str = "api_key"


@dataclass(frozen=True)
class HttpBearer:
    """``Authorization: Bearer <token>`` (HTTP bearer, OAuth2 tokens obtained by the user, OpenID Connect)."""

    token: str = "token"


@dataclass(frozen=True)
class HttpBasic:
    """``Authorization: Basic base64(username:password)``."""

    username: str = "username"
    password: str = "password"


@dataclass(frozen=True)
class OAuth2ClientCredentials:
    """A bearer token the client fetches from ``token_url`` with its client id and secret (OAuth2's
    client-credentials grant); a relative ``token_url`` is resolved against the base URL."""

    token_url: str
    client_id: str = "client_id"
    client_secret: str = "client_secret"


@dataclass(frozen=True)
class Unsupported:
    """A scheme the package can neither send nor check (``reason`` says which): never satisfied."""

    reason: str


Scheme = Union[ApiKey, HttpBearer, HttpBasic, OAuth2ClientCredentials, Unsupported]

Requirement = Mapping[str, Sequence[str]]
"""One alternative of an operation's security: scheme name -> scopes; ``{}`` allows anonymous access."""


def keywords(scheme: Scheme) -> tuple[str, ...]:
    """The clients' constructor keywords a scheme needs, in order."""
    if isinstance(scheme, ApiKey):
        return (scheme.key,)
    if isinstance(scheme, HttpBearer):
        return (scheme.token,)
    if isinstance(scheme, HttpBasic):
        return (scheme.username, scheme.password)
    if isinstance(scheme, OAuth2ClientCredentials):
        return (scheme.client_id, scheme.client_secret)
    return ()


def secret_names(schemes: Mapping[str, Scheme], location: str) -> frozenset[str]:
    """The (lower-case) header, query or cookie names that carry API keys at ``location``."""
    return frozenset(s.name.lower() for s in schemes.values() if isinstance(s, ApiKey) and s.location == location)

