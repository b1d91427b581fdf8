"""HTTP runtime of the generated clients (hand-written, copied verbatim by vapi-codegen).

Everything the operations share lives here: the httpx transport, bearer auth, timeouts, retries
with exponential backoff and jitter, per-call options, the error hierarchy, raw responses and
response parsing (pages are ``_pages``). The generated resource modules only declare each operation
as an ``Endpoint`` (method, path, types) and call ``request`` with its arguments.

Importing a client and constructing it is kept cheap: an endpoint's types are functions evaluated
on its first call (so the models are imported then, and their validators built per endpoint), and
the ``httpx`` client, whose SSL context is costly, is created on the first request.

Request bodies are validated without the lenient context (a typo fails before anything is sent);
responses are parsed with ``LENIENT_CONTEXT``, so a provider the package does not know yet comes
back as an ``UnknownVariant`` instead of an error.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import enum
import json
import random
import re
import time
from collections.abc import (
    Awaitable,
    Callable,
    Collection,
    Iterator,
    Mapping,
)
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property, wraps
from importlib import import_module
from threading import Lock
from typing import TYPE_CHECKING, Any, ClassVar, Generic, ParamSpec, TypedDict, TypeVar
from urllib.parse import quote

import httpx
from pydantic_core import PydanticSerializationError, ValidationError

if TYPE_CHECKING:
    from pydantic import TypeAdapter

T = TypeVar("T")
HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)
P = ParamSpec("P")

DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_RETRIES = 2
IDEMPOTENT_METHODS = frozenset({"GET", "PUT", "DELETE", "HEAD", "OPTIONS"})
INITIAL_RETRY_DELAY = 0.5  # seconds before the first retry; doubled for each further one
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0  # a server asking for a longer wait gets its error back instead


# --- errors --------------------------------------------------------------------------------------


class ApiClientError(Exception):
    """Base of every error the client raises."""


class ApiError(ApiClientError):
    """The server answered with a non-2xx status.

    ``body`` is the decoded JSON (or the text when it is not JSON), ``model`` the body parsed into
    the error type the spec declares for that status (None when it declares none or it does not fit).
    """

    def __init__(self, response: httpx.Response, body: Any, model: Any = None) -> None:
        self.response = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.body = body
        self.model = model
        request = response.request
        detail = body if isinstance(body, str) else json.dumps(body)
        super().__init__(
            f"{request.method} {request.url} -> {response.status_code} {response.reason_phrase}: {detail[:500]}"
        )


class BadRequestError(ApiError):
    """400 Bad Request."""


class AuthenticationError(ApiError):
    """401 Unauthorized."""


class PermissionDeniedError(ApiError):
    """403 Forbidden."""


class NotFoundError(ApiError):
    """404 Not Found."""


class ConflictError(ApiError):
    """409 Conflict."""


class UnprocessableEntityError(ApiError):
    """422 Unprocessable Entity."""


class RateLimitError(ApiError):
    """429 Too Many Requests."""


class InternalServerError(ApiError):
    """Any 5xx status."""


_ERRORS_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def error_class(status_code: int) -> type[ApiError]:
    """The ``ApiError`` subclass raised for a status code."""
    if status_code >= 500:
        return InternalServerError
    return _ERRORS_BY_STATUS.get(status_code, ApiError)


class ApiConnectionError(ApiClientError):
    """The request did not get a response: connection refused or dropped, DNS failure..."""

    def __init__(self, message: str, request: httpx.Request) -> None:
        super().__init__(message)
        self.request = request


class ApiTimeoutError(ApiConnectionError):
    """The request timed out (connecting, writing, reading or waiting for a pooled connection)."""


class ApiResponseValidationError(ApiClientError):
    """A 2xx response whose body is not JSON or does not fit the declared type, even leniently."""

    def __init__(self, response: httpx.Response, message: str) -> None:
        super().__init__(f"{response.request.method} {response.request.url} -> {response.status_code}: {message}")
        self.response = response
        self.status_code = response.status_code


class RequestValidationError(ApiClientError, ValueError):
    """A request the client refuses to send, before sending anything: its body does not fit the
    spec (a misspelt field, a missing or unknown tag: the message names the field and the tags
    allowed), a path parameter is empty, a header value is not ASCII, the URL is invalid.

    ``errors`` are pydantic's errors for a body (empty otherwise).
    """

    def __init__(self, message: str, errors: list[Any] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []

    @classmethod
    def of_body(cls, error: ValidationError) -> RequestValidationError:
        """The error for a body that does not validate: one line per problem, each with its field."""
        problems = error.errors(include_url=False)
        lines = [f"  {'.'.join(map(str, e['loc'])) or '(body)'}: {e['msg']}" for e in problems]
        return cls(f"invalid request body ({len(problems)} error{'s' if len(problems) > 1 else ''}):\n" + "\n".join(lines), list(problems))


@contextmanager
def _refused_as_request_errors() -> Iterator[None]:
    """Turn what building a request can raise about its arguments into ``RequestValidationError``."""
    try:
        yield
    except ValidationError as error:
        raise RequestValidationError.of_body(error) from error
    except (PydanticSerializationError, UnicodeEncodeError, httpx.InvalidURL) as error:
        raise RequestValidationError(f"invalid request: {error}") from error


def _wrap_transport_error(error: httpx.RequestError, request: httpx.Request) -> ApiConnectionError:
    kind = ApiTimeoutError if isinstance(error, httpx.TimeoutException) else ApiConnectionError
    return kind(f"{request.method} {request.url}: {type(error).__name__}: {error}", request)


# --- what the generated code declares ----------------------------------------------------------


class RequestOptions(TypedDict, total=False):
    """Per-call overrides: ``options={"timeout": 5, "max_retries": 0, "headers": {...}}``."""

    timeout: float | httpx.Timeout
    max_retries: int
    headers: Mapping[str, str]


@dataclass(frozen=True, eq=False)
class Endpoint(Generic[T]):
    """One operation: its method and path template, and the types of its bodies.

    ``T`` is what a call returns; ``response`` gives the type expression parsed (None: no body).
    ``errors`` gives a mapping from a status (``"404"``, ``"4XX"``, ``"default"``) to the type of
    its error body. The types are given as functions, called when the endpoint is first used.
    ``encoding`` is how the request body goes on the wire: ``json``, ``multipart`` or ``form``.
    """

    method: str
    path: str
    response: Callable[[], Any] | None = None
    body: Callable[[], Any] | None = None
    errors: Callable[[], Mapping[str, Any]] | None = None
    auth: bool = False
    encoding: str = "json"

    @cached_property
    def response_adapter(self) -> TypeAdapter[T]:
        return _adapter(self.response() if self.response is not None else None)

    @cached_property
    def body_adapter(self) -> TypeAdapter[Any]:
        return _adapter(self.body() if self.body is not None else None)

    @cached_property
    def error_adapters(self) -> dict[str, TypeAdapter[Any]]:
        errors = self.errors() if self.errors is not None else {}
        return {status: _adapter(kind) for status, kind in errors.items()}

    def parse(self, response: httpx.Response) -> T:
        """The success body parsed leniently into ``T``."""
        try:
            data = response.json() if self.response is not None else None
        except ValueError as error:
            raise ApiResponseValidationError(response, f"body is not JSON: {error}") from error
        try:
            return self.response_adapter.validate_python(data, context=_lenient_context())
        except ValidationError as error:
            raise ApiResponseValidationError(response, str(error)) from error

    def error(self, response: httpx.Response) -> ApiError:
        """The exception for an error response, with its body parsed where the spec types it."""
        try:
            body: Any = response.json()
        except ValueError:
            body = response.text
        status = response.status_code
        model = None
        for key in (str(status), f"{status // 100}XX", "default"):
            if key in self.error_adapters:
                try:
                    model = self.error_adapters[key].validate_python(body, context=_lenient_context())
                except ValidationError:
                    pass
                break
        return error_class(status)(response, body, model)

    def encode_body(self, body: Any) -> dict[str, Any]:
        """``httpx.build_request`` arguments for a body: validated, then only the fields that were set."""
        value = self.body_adapter.validate_python(body)
        if self.encoding == "json":
            return {"json": self.body_adapter.dump_python(value, mode="json", by_alias=True, exclude_unset=True)}
        fields = self.body_adapter.dump_python(value, by_alias=True, exclude_unset=True)
        data = {k: _form_value(v) for k, v in fields.items() if v is not None and not isinstance(v, bytes)}
        if self.encoding == "form":
            return {"data": data}
        files = {k: (k, v) for k, v in fields.items() if isinstance(v, bytes)}
        return {"data": data, "files": files}


def _adapter(kind: Any) -> TypeAdapter[Any]:
    from pydantic import TypeAdapter  # imported when an endpoint is first used, not with the client

    return TypeAdapter(kind)


def _lenient_context() -> dict[str, Any]:
    from ._base import LENIENT_CONTEXT  # imported with the models, not with the client

    return LENIENT_CONTEXT


@dataclass(frozen=True)
class ApiResponse(Generic[T]):
    """A parsed body together with the status and headers it came with."""

    data: T
    http_response: httpx.Response

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers


# --- encoding arguments ------------------------------------------------------------------------


def _scalar(value: Any) -> str:
    """A parameter value as text: enums by value, datetimes in RFC 3339, booleans in JSON spelling."""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:  # RFC 3339 needs an offset: a naive datetime is taken as UTC
            value = value.replace(tzinfo=dt.timezone.utc)
        text: str = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _form_value(value: Any) -> str:
    return json.dumps(value) if isinstance(value, (dict, list)) else _scalar(value)


def query_params(query: Mapping[str, Any]) -> list[tuple[str, str | int | float | bool | None]]:
    """Query pairs in declaration order; None is left out, a list repeats its key."""
    pairs: list[tuple[str, str | int | float | bool | None]] = []
    for name, value in query.items():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if item is not None:
                pairs.append((name, _scalar(item)))
    return pairs


_PATH_PARAM = re.compile(r"\{([^{}]+)\}")


def _path_segment(name: str, value: Any) -> str:
    text = quote(_scalar(value), safe="")  # "/" becomes %2F: the value stays in its segment
    if not text:
        raise RequestValidationError(f"path parameter {name!r} must not be empty")
    return text.replace(".", "%2E") if text.strip(".") == "" else text  # "." and ".." are not paths


def render_path(template: str, values: Mapping[str, Any]) -> str:
    """The path with each ``{name}`` replaced by its percent-encoded value."""
    return _PATH_PARAM.sub(lambda match: _path_segment(match.group(1), values[match.group(1)]), template)


# --- retries -----------------------------------------------------------------------------------


def is_retryable_status(status_code: int) -> bool:
    return status_code in (408, 429) or status_code >= 500


def retry_after(headers: httpx.Headers) -> float | None:
    """Seconds asked for by a ``Retry-After`` header (a number or an HTTP date), if any."""
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - dt.datetime.now(dt.timezone.utc)).total_seconds())


def backoff_delay(attempt: int) -> float:
    """Exponential backoff with jitter: 0.5 s, 1 s, 2 s... (at most 8 s), each up to 25 % shorter."""
    delay = min(MAX_RETRY_DELAY, INITIAL_RETRY_DELAY * 2.0**attempt)
    return delay * (1 - 0.25 * random.random())


class LazyModule:
    """A module imported on first attribute access (the generated client's ``_models``)."""

    def __init__(self, name: str, package: str | None) -> None:
        self._name = name
        self._package = package

    def __getattr__(self, attribute: str) -> Any:
        return getattr(import_module(self._name, self._package), attribute)


# --- clients -----------------------------------------------------------------------------------

_captured: ContextVar[list[httpx.Response] | None] = ContextVar("vapi_codegen_captured", default=None)


@contextmanager
def _capture_response() -> Iterator[list[httpx.Response]]:
    responses: list[httpx.Response] = []
    token = _captured.set(responses)
    try:
        yield responses
    finally:
        _captured.reset(token)


class BaseClient(Generic[HttpT]):
    """Configuration, the connection pool and the pure parts of a call, shared by the sync and async clients.

    The pool (``HttpT``) is the ``httpx_client`` passed in, else one created on the first request
    and closed by ``close``; a pool passed in is its owner's to close.
    """

    DEFAULT_BASE_URL: ClassVar[str | None] = None

    def __init__(
        self,
        base_url: str | None,
        token: str | None,
        timeout: float | httpx.Timeout,
        max_retries: int,
        headers: Mapping[str, str] | None,
        retry_methods: Collection[str],
        httpx_client: HttpT | None,
    ) -> None:
        base_url = base_url or self.DEFAULT_BASE_URL
        if not base_url:
            raise ValueError("base_url is required: the spec names no server")
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._timeout = timeout
        self.max_retries = max_retries
        self._headers = dict(headers or {})
        self._retry_methods = frozenset(m.upper() for m in retry_methods)
        self._owns_http = httpx_client is None
        self._http_client: HttpT | None = httpx_client
        self._http_lock = Lock()
        self._closed = False

    def _open_http(self) -> HttpT:
        """A new connection pool, owned by this client."""
        raise NotImplementedError

    @property
    def _http(self) -> HttpT:
        """The connection pool, created on first use: building its SSL context is costly."""
        if self._http_client is None:
            with self._http_lock:
                if self._http_client is None:
                    if self._closed:
                        raise RuntimeError("Cannot send a request, as the client has been closed.")
                    self._http_client = self._open_http()
        return self._http_client

    def _release_pool(self) -> HttpT | None:
        """Mark the client closed; return the pool to close: its own, if it was ever opened."""
        self._closed = True
        return self._http_client if self._owns_http else None

    def _build_request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        endpoint: Endpoint[Any],
        path: Mapping[str, Any] | None,
        query: Mapping[str, Any] | None,
        headers: Mapping[str, Any] | None,
        body: Any,
        options: RequestOptions,
    ) -> httpx.Request:
        all_headers = {"Accept": "application/json", **self._headers}
        if endpoint.auth and self._token:
            all_headers["Authorization"] = f"Bearer {self._token}"
        all_headers.update({name: _scalar(value) for name, value in (headers or {}).items() if value is not None})
        all_headers.update(options.get("headers", {}))
        with _refused_as_request_errors():
            return http.build_request(
                endpoint.method.upper(),
                self.base_url + render_path(endpoint.path, path or {}),
                params=query_params(query or {}),
                headers=all_headers,
                timeout=options.get("timeout", self._timeout),
                **(endpoint.encode_body(body) if body is not None else {}),
            )

    def _retry_delay(
        self, request: httpx.Request, attempt: int, options: RequestOptions, response: httpx.Response | None
    ) -> float | None:
        """Seconds to wait before trying again, or None when this outcome is final.

        ``response`` is None when the attempt failed without one (connection error or timeout).
        """
        if attempt >= options.get("max_retries", self.max_retries) or request.method not in self._retry_methods:
            return None
        if response is None:
            return backoff_delay(attempt)
        if not is_retryable_status(response.status_code):
            return None
        asked = retry_after(response.headers)
        if asked is None:
            return backoff_delay(attempt)
        return asked if asked <= MAX_RETRY_AFTER else None

    @staticmethod
    def _finish(endpoint: Endpoint[T], response: httpx.Response) -> T:
        if not response.is_success:
            raise endpoint.error(response)
        data = endpoint.parse(response)
        captured = _captured.get()
        if captured is not None:
            captured.append(response)
        return data


class SyncClientBase(BaseClient[httpx.Client]):
    """Base of the generated ``Client``; use it as a context manager to close the connection pool."""

    def __init__(
        self,
        *,
        base_url: str | None = None,
        token: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        headers: Mapping[str, str] | None = None,
        retry_methods: Collection[str] = IDEMPOTENT_METHODS,
        httpx_client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(base_url, token, timeout, max_retries, headers, retry_methods, httpx_client)
        self._sleep = sleep

    def _open_http(self) -> httpx.Client:
        return httpx.Client(timeout=self._timeout)

    def request(
        self,
        endpoint: Endpoint[T],
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        body: Any = None,
        options: RequestOptions | None = None,
    ) -> T:
        """Send one operation (retrying as configured) and return its parsed response."""
        options = options or {}
        request = self._build_request(self._http, endpoint, path, query, headers, body, options)
        attempt = 0
        while True:
            try:
                response = self._http.send(request)
            except httpx.TransportError as error:
                delay = self._retry_delay(request, attempt, options, None)
                if delay is None:
                    raise _wrap_transport_error(error, request) from error
            except httpx.RequestError as error:  # no usable response (too many redirects, undecodable body)
                raise _wrap_transport_error(error, request) from error
            else:
                delay = self._retry_delay(request, attempt, options, response)
                if delay is None:
                    return self._finish(endpoint, response)
                response.close()
            self._sleep(delay)
            attempt += 1

    def close(self) -> None:
        """Close the connection pool (unless it belongs to an ``httpx_client`` passed in)."""
        pool = self._release_pool()
        if pool is not None:
            pool.close()

    def __enter__(self: _SyncClientT) -> _SyncClientT:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


async def _async_sleep(seconds: float) -> None:
    import asyncio  # imported on the first retry: importing the client does not need asyncio

    await asyncio.sleep(seconds)


class AsyncClientBase(BaseClient[httpx.AsyncClient]):
    """Base of the generated ``AsyncClient``; use it with ``async with`` to close the connection pool."""

    def __init__(
        self,
        *,
        base_url: str | None = None,
        token: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        headers: Mapping[str, str] | None = None,
        retry_methods: Collection[str] = IDEMPOTENT_METHODS,
        httpx_client: httpx.AsyncClient | None = None,
        sleep: Callable[[float], Awaitable[None]] = _async_sleep,
    ) -> None:
        super().__init__(base_url, token, timeout, max_retries, headers, retry_methods, httpx_client)
        self._sleep = sleep

    def _open_http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=self._timeout)

    async def request(
        self,
        endpoint: Endpoint[T],
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        body: Any = None,
        options: RequestOptions | None = None,
    ) -> T:
        """Send one operation (retrying as configured) and return its parsed response."""
        options = options or {}
        request = self._build_request(self._http, endpoint, path, query, headers, body, options)
        attempt = 0
        while True:
            try:
                response = await self._http.send(request)
            except httpx.TransportError as error:
                delay = self._retry_delay(request, attempt, options, None)
                if delay is None:
                    raise _wrap_transport_error(error, request) from error
            except httpx.RequestError as error:  # no usable response (too many redirects, undecodable body)
                raise _wrap_transport_error(error, request) from error
            else:
                delay = self._retry_delay(request, attempt, options, response)
                if delay is None:
                    return self._finish(endpoint, response)
                await response.aclose()
            await self._sleep(delay)
            attempt += 1

    async def aclose(self) -> None:
        """Close the connection pool (unless it belongs to an ``httpx_client`` passed in)."""
        pool = self._release_pool()
        if pool is not None:
            await pool.aclose()

    async def __aenter__(self: _AsyncClientT) -> _AsyncClientT:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


_SyncClientT = TypeVar("_SyncClientT", bound=SyncClientBase)
_AsyncClientT = TypeVar("_AsyncClientT", bound=AsyncClientBase)


class SyncResource:
    """Base of a generated group of operations (``client.phone_numbers``)."""

    def __init__(self, client: SyncClientBase) -> None:
        self._client = client


class AsyncResource:
    """Base of a generated group of async operations."""

    def __init__(self, client: AsyncClientBase) -> None:
        self._client = client


def raw_response(method: Callable[P, T]) -> Callable[P, ApiResponse[T]]:
    """``method`` returning an ``ApiResponse`` (parsed body, status, headers) instead of the body alone."""

    @wraps(method)
    def call(*args: P.args, **kwargs: P.kwargs) -> ApiResponse[T]:
        with _capture_response() as responses:
            data = method(*args, **kwargs)
        return ApiResponse(data, responses[-1])

    return call


def async_raw_response(method: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[ApiResponse[T]]]:
    """The async ``raw_response``."""

    @wraps(method)
    async def call(*args: P.args, **kwargs: P.kwargs) -> ApiResponse[T]:
        with _capture_response() as responses:
            data = await method(*args, **kwargs)
        return ApiResponse(data, responses[-1])

    return call
