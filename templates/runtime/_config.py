"""Configuration of the generated clients (hand-written runtime, copied verbatim by vapi-codegen):
the base URL (passed, a named environment, an environment variable, or the spec's first server),
the ``User-Agent`` and the request log.

Requests and responses are logged at DEBUG level by the standard ``logging`` logger named after the
package (``logging.getLogger("<package>").setLevel(logging.DEBUG)`` shows them): method, URL, headers
and status, with every credential replaced by ``[REDACTED]`` (``Authorization``, cookies, and the API
keys' headers and query parameters). Bodies are not logged.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from ._security import Scheme, secret_names

LOGGER = logging.getLogger(__name__.rpartition(".")[0] or __name__)
REDACTED = "[REDACTED]"
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})


@dataclass(frozen=True)
class ClientConfig:
    """What a generated client knows before it is constructed.

    ``environments`` maps names to the spec's server URLs; ``base_url_env`` and ``credential_env``
    (constructor keyword -> variable) are the environment variables read for what is not passed.
    """

    user_agent: str | None = None
    environments: Mapping[str, str] = field(default_factory=dict)
    base_url_env: str | None = None
    credential_env: Mapping[str, str] = field(default_factory=dict)
    schemes: Mapping[str, Scheme] = field(default_factory=dict)

    def base_url(self, base_url: str | None, environment: str | None, default: str | None) -> str:
        """The base URL: ``base_url``, else the named ``environment``'s, else the environment
        variable's, else ``default`` (the spec's first server)."""
        if base_url is not None and environment is not None:
            raise ValueError("pass base_url or environment, not both")
        if environment is not None:
            if environment not in self.environments:
                known = ", ".join(repr(name) for name in self.environments) or "none"
                raise ValueError(f"unknown environment {environment!r} (known: {known})")
            base_url = self.environments[environment]
        if base_url is None and self.base_url_env:
            base_url = os.environ.get(self.base_url_env) or None
        base_url = base_url or default
        if not base_url:
            raise ValueError("base_url is required: the spec names no server")
        return base_url.rstrip("/")

    def log_request(self, request: httpx.Request) -> None:
        """Log a request about to be sent (DEBUG), credentials redacted."""
        if LOGGER.isEnabledFor(logging.DEBUG):
            LOGGER.debug("request: %s %s %s", request.method, self._url(request.url), self._headers(request.headers))

    def log_response(self, request: httpx.Request, response: httpx.Response, seconds: float) -> None:
        """Log the answer to a request (DEBUG), credentials redacted."""
        if LOGGER.isEnabledFor(logging.DEBUG):
            LOGGER.debug(
                "response: %s %s -> %d %s (%.0f ms) %s",
                request.method, self._url(request.url), response.status_code, response.reason_phrase,
                seconds * 1000, self._headers(response.headers),
            )

    def _url(self, url: httpx.URL) -> str:
        secret = secret_names(self.schemes, "query")
        if not secret:
            return str(url)
        params = [(name, REDACTED if name.lower() in secret else value) for name, value in url.params.multi_items()]
        return str(url.copy_with(params=params))

    def _headers(self, headers: httpx.Headers) -> dict[str, str]:
        secret = _SECRET_HEADERS | secret_names(self.schemes, "header")
        return {name: REDACTED if name.lower() in secret else value for name, value in headers.items()}
