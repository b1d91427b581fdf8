"""Credentials of the generated clients (hand-written runtime, copied verbatim by vapi-codegen).

A client holds its credentials by constructor keyword (``api_key``, ``token``, ``username``...), each
a string or a function called for every request that needs it (an async client's may be async).
For each request the ``Authorizer`` picks the first alternative of the operation's requirements
whose credentials it has (``{}``, anonymous, needs none) and sends exactly what that alternative
needs; when none can be met it sends nothing, and the server's 401 becomes ``AuthenticationError``.

OAuth2 client-credentials tokens are fetched from the token URL (client id and secret sent with
HTTP Basic, RFC 6749 section 2.3.1), cached per scheme and scopes until shortly before they expire,
and fetched again once when a request sent with one is answered 401.
"""

from __future__ import annotations

import base64
import inspect
import os
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from threading import Lock
from typing import Any, Union

import httpx

from ._security import ApiKey, HttpBasic, HttpBearer, OAuth2ClientCredentials, Requirement, Scheme, keywords

Secret = Union[str, Callable[[], str]]
"""A credential of the sync client: the value, or a function returning it (called per request)."""

AsyncSecret = Union[str, Callable[[], Union[str, Awaitable[str]]]]
"""A credential of the async client: the value, or a function returning it or an awaitable of it."""

EXPIRY_MARGIN = 30.0  # seconds: a token this close to its expiry is fetched again before use

Send = Callable[[httpx.Request], httpx.Response]
AsyncSend = Callable[[httpx.Request], Awaitable[httpx.Response]]


def read_credentials(given: Mapping[str, Any], environment: Mapping[str, str]) -> dict[str, Any]:
    """The credentials passed (None: not passed), else read from their environment variables."""
    credentials = {}
    for keyword, value in given.items():
        if value is None and keyword in environment:
            value = os.environ.get(environment[keyword]) or None
        if value is not None:
            credentials[keyword] = value
    return credentials


@dataclass(frozen=True)
class _Token:
    value: str
    expires_at: float | None  # time.monotonic() value; None: until the server refuses it

    def fresh(self) -> bool:
        return self.expires_at is None or time.monotonic() < self.expires_at - EXPIRY_MARGIN


class Authorizer:
    """Puts the credentials an operation needs on its requests."""

    def __init__(
        self, schemes: Mapping[str, Scheme], credentials: Mapping[str, Any], base_url: str, timeout: float | httpx.Timeout
    ) -> None:
        self.schemes = schemes
        self._credentials = dict(credentials)
        self._base_url = base_url
        self._timeout = httpx.Timeout(timeout)  # of token requests, as of every other
        self._tokens: dict[tuple[str, tuple[str, ...]], _Token] = {}
        self._fetching = Lock()  # one token fetch at a time (sync clients shared across threads)
        self._fetching_async: Any = None  # the same for coroutines: an asyncio.Lock, made when first needed

    def choose(self, requirements: Sequence[Requirement]) -> Requirement | None:
        """The first alternative whose every scheme has its credentials; None when none has (or
        the operation needs none)."""
        for requirement in requirements:
            if all(self._has_credentials(name) for name in requirement):
                return requirement
        return None

    def _has_credentials(self, name: str) -> bool:
        scheme = self.schemes.get(name)
        needed = keywords(scheme) if scheme is not None else ()
        return bool(needed) and all(keyword in self._credentials for keyword in needed)

    def forget_tokens(self, requirement: Requirement | None) -> bool:
        """Drop the cached tokens ``requirement`` uses; whether it uses any (then fetch and try again)."""
        if requirement is None:
            return False
        fetched = [(name, tuple(scopes)) for name, scopes in requirement.items() if isinstance(self.schemes.get(name), OAuth2ClientCredentials)]
        for key in fetched:
            self._tokens.pop(key, None)
        return bool(fetched)

    # --- sending ---------------------------------------------------------------------------

    def authorize(self, request: httpx.Request, requirement: Requirement | None, send: Send) -> None:
        """Put the credentials of ``requirement`` on ``request`` (sync client)."""
        for name, scopes in (requirement or {}).items():
            scheme = self.schemes[name]
            if isinstance(scheme, OAuth2ClientCredentials):
                with self._fetching:
                    value = self._token(name, scopes)
                    if value is None:
                        token_request = self._token_request(scheme, scopes, self._sync_values(scheme))
                        value = self._store(name, scopes, send(token_request))
                _put(request, HttpBearer(), [value])
            else:
                _put(request, scheme, self._sync_values(scheme))

    async def authorize_async(self, request: httpx.Request, requirement: Requirement | None, send: AsyncSend) -> None:
        """Put the credentials of ``requirement`` on ``request`` (async client)."""
        for name, scopes in (requirement or {}).items():
            scheme = self.schemes[name]
            if isinstance(scheme, OAuth2ClientCredentials):
                async with self._async_lock():
                    value = self._token(name, scopes)
                    if value is None:
                        token_request = self._token_request(scheme, scopes, await self._async_values(scheme))
                        value = self._store(name, scopes, await send(token_request))
                _put(request, HttpBearer(), [value])
            else:
                _put(request, scheme, await self._async_values(scheme))

    def _async_lock(self) -> Any:
        if self._fetching_async is None:
            import asyncio  # imported with the first token fetch: importing the client does not need it

            self._fetching_async = asyncio.Lock()
        return self._fetching_async

    def _sync_values(self, scheme: Scheme) -> list[str]:
        values = [self._credentials[keyword] for keyword in keywords(scheme)]
        return [_text(value() if callable(value) else value) for value in values]

    async def _async_values(self, scheme: Scheme) -> list[str]:
        values = []
        for keyword in keywords(scheme):
            value = self._credentials[keyword]
            if callable(value):
                value = value()
                if inspect.isawaitable(value):
                    value = await value
            values.append(_text(value))
        return values

    # --- OAuth2 client credentials ---------------------------------------------------------------

    def _token(self, name: str, scopes: Sequence[str]) -> str | None:
        token = self._tokens.get((name, tuple(scopes)))
        return token.value if token is not None and token.fresh() else None

    def _token_request(self, scheme: OAuth2ClientCredentials, scopes: Sequence[str], values: list[str]) -> httpx.Request:
        client_id, client_secret = values
        form = {"grant_type": "client_credentials", **({"scope": " ".join(scopes)} if scopes else {})}
        return httpx.Request(
            "POST",
            httpx.URL(self._base_url + "/").join(scheme.token_url),
            data=form,
            headers={"Accept": "application/json", "Authorization": _basic(client_id, client_secret)},
            extensions={"timeout": self._timeout.as_dict()},
        )

    def _store(self, name: str, scopes: Sequence[str], response: httpx.Response) -> str:
        """The access token of a token endpoint's answer, cached; its error otherwise (an answer
        without a token is taken as a refusal: ``AuthenticationError``)."""
        response.read()
        try:
            answer = response.json()
        except ValueError:
            answer = None
        token = answer.get("access_token") if isinstance(answer, dict) and response.is_success else None
        if not isinstance(answer, dict) or not isinstance(token, str) or not token:
            from ._client import error_class  # the client imports this module: imported when needed

            status = 401 if response.is_success else response.status_code
            raise error_class(status)(response, answer if answer is not None else response.text)
        lifetime = answer.get("expires_in")
        seconds = float(lifetime) if isinstance(lifetime, (int, float)) and not isinstance(lifetime, bool) else None
        self._tokens[(name, tuple(scopes))] = _Token(token, time.monotonic() + seconds if seconds is not None else None)
        return token


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"a credential must be a string (or a function returning one), not {type(value).__name__}")
    return value


def _basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode("ascii")


def _put(request: httpx.Request, scheme: Scheme, values: list[str]) -> None:
    """Set one scheme's credential on the request, replacing any earlier value (a retry re-authorizes)."""
    if isinstance(scheme, HttpBearer):
        request.headers["Authorization"] = f"Bearer {values[0]}"
    elif isinstance(scheme, HttpBasic):
        request.headers["Authorization"] = _basic(values[0], values[1])
    elif isinstance(scheme, ApiKey) and scheme.location == "header":
        request.headers[scheme.name] = values[0]
    elif isinstance(scheme, ApiKey) and scheme.location == "query":
        request.url = request.url.copy_set_param(scheme.name, values[0])
    elif isinstance(scheme, ApiKey):
        pairs = [pair.strip() for header in request.headers.get_list("cookie") for pair in header.split(";")]
        others = [pair for pair in pairs if pair and not pair.startswith(scheme.name + "=")]
        request.headers["Cookie"] = "; ".join([*others, f"{scheme.name}={values[0]}"])
