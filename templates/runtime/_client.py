"""HTTP runtime of the generated clients (hand-written, copied verbatim by vapi-codegen).

Everything the operations share lives here: the httpx transport, timeouts, retries with exponential
backoff and jitter, per-call options, the error hierarchy, raw responses and response parsing.
Credentials are put on requests by ``_auth``; the base URL, ``User-Agent`` and the request log come
from ``_config``; pages are ``_pages``. The generated resource modules only declare each operation
as an ``Endpoint`` (method, path, types) and call ``request`` / ``stream_events`` with its
arguments. Transports by media type have their own modules: ``_multipart`` (files, forms and raw
uploads), ``_binary`` (``BinaryResponse``), ``_sse`` (server-sent events) and ``_redirects``.

Importing a client and constructing it is kept cheap: an endpoint's types are functions evaluated
on its first call (so the models are imported then, and their validators built per endpoint), and
the ``httpx`` client, whose SSL context is costly, is created on the first request.

Request bodies are validated without the lenient context (a wrong type, a missing field or an
unknown tag fails before anything is sent; a key the spec does not declare is sent as it is, so a
misspelt optional key is caught only by type checkers, through the ``...Params`` TypedDicts);
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
    Sequence,
)
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property, partial, wraps
from importlib import import_module
from threading import Lock
from typing import TYPE_CHECKING, Any, ClassVar, Generic, ParamSpec, TypedDict, TypeVar, cast
from urllib.parse import quote

import httpx
from pydantic_core import PydanticSerializationError, ValidationError

from ._params import Style as Style  # re-exported: the generated client names _rt.Style
# Re-exported (``X as X``) for the generated client, which names them through this module.
from ._binary import AsyncBinaryResponse as AsyncBinaryResponse
from ._binary import BinaryResponse as BinaryResponse
from ._binary import async_streaming_response as async_streaming_response
from ._binary import streaming_requested
from ._binary import streaming_response as streaming_response
from ._multipart import BinaryInput as BinaryInput
from ._multipart import FileInput as FileInput
from ._multipart import binary_content, json_text, multipart_parts
from ._redirects import MAX_REDIRECTS, redirect_request
from ._sse import AsyncStream as AsyncStream
from ._sse import Events as Events
from ._sse import ServerSentEvent as ServerSentEvent
from ._sse import Stream as Stream
from ._auth import Authorizer, read_credentials
from ._config import ClientConfig
from ._security import Requirement

if TYPE_CHECKING:
    from pydantic import TypeAdapter

T = TypeVar("T")
EventT = TypeVar("EventT")
HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)
P = ParamSpec("P")

DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_RETRIES = 2
IDEMPOTENT_METHODS = frozenset({"GET", "PUT", "DELETE", "HEAD", "OPTIONS"})
INITIAL_RETRY_DELAY = 0.5  # seconds before the first retry; doubled for each further one
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0  # a server asking for a longer wait gets its error back instead
MAX_ERROR_BODY = 64 * 1024  # bytes of an error response read (for the exception's body); the rest is dropped
MAX_ERROR_MESSAGE = 2000  # characters of a validation failure an ApiResponseValidationError's message shows


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
        if len(message) > MAX_ERROR_MESSAGE:
            message = message[:MAX_ERROR_MESSAGE] + f"... ({len(message) - MAX_ERROR_MESSAGE} more characters)"
        super().__init__(f"{response.request.method} {response.request.url} -> {response.status_code}: {message}")
        self.response = response
        self.status_code = response.status_code


_DEADLINE_PASSED = "the attempt took longer than its timeout in all"


class _AttemptBody:
    """The body of one attempt's response, read chunk by chunk: an error body up to ``MAX_ERROR_BODY``
    bytes, and nothing once the attempt's ``deadline`` (``time.monotonic``) has passed."""

    def __init__(self, response: httpx.Response, deadline: float | None) -> None:
        self.response = response
        self.deadline = deadline
        self.limit = None if response.is_success else MAX_ERROR_BODY
        self.chunks: list[bytes] = []
        self.size = 0
        self.check_deadline()

    def check_deadline(self) -> None:
        """Raise ``httpx.ReadTimeout`` (retried, then raised as ``ApiTimeoutError``) past the deadline."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise httpx.ReadTimeout(_DEADLINE_PASSED, request=self.response.request)

    def add(self, chunk: bytes) -> bool:
        """Keep ``chunk``; True once no more is to be read."""
        self.check_deadline()
        self.chunks.append(chunk)
        self.size += len(chunk)
        return self.limit is not None and self.size >= self.limit

    def finish(self) -> httpx.Response:
        """The response, holding the body read as its ``content``."""
        content = b"".join(self.chunks)
        self.response._content = content[: self.limit] if self.limit is not None else content  # what read() sets
        return self.response


def _attempt_seconds(timeout: float | httpx.Timeout | None) -> float | None:
    """How long one attempt may take in all: a number of seconds as it is, an ``httpx.Timeout`` its
    largest phase limit (None: no limit)."""
    if isinstance(timeout, httpx.Timeout):
        limits = [t for t in (timeout.connect, timeout.read, timeout.write, timeout.pool) if t is not None]
        return max(limits, default=None)
    return timeout


class RequestValidationError(ApiClientError, ValueError):
    """A request the client refuses to send, before sending anything: its body does not fit the
    spec (a wrong type, a missing field, a missing or unknown tag: the message names the field and
    the tags allowed; an undeclared key is sent as is), a path parameter is empty, a header value is not ASCII, the URL is invalid.

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
    """Per-call overrides: ``options={"timeout": 5, "max_retries": 0, "headers": {...}}``.

    ``follow_redirects`` overrides whether a redirect is followed (by default: when the spec documents
    one). ``extra_headers`` (like ``headers``), ``extra_query`` and ``extra_body`` send what the
    operation does not declare: headers and query parameters added to (or replacing) the declared
    ones, fields merged into the JSON or form body (or sent as the JSON body of an operation without one).
    """

    timeout: float | httpx.Timeout
    max_retries: int
    headers: Mapping[str, str]
    follow_redirects: bool
    extra_headers: Mapping[str, str]
    extra_query: Mapping[str, Any]
    extra_body: Mapping[str, Any]


@dataclass(frozen=True, eq=False)
class Endpoint(Generic[T]):
    """One operation: its method and path template, and the types of its bodies.

    ``T`` is what a call returns; ``response`` gives the type expression parsed (None: no body).
    ``errors`` gives a mapping from a status (``"404"``, ``"4XX"``, ``"default"``) to the type of
    its error body. The types are given as functions, called when the endpoint is first used.
    ``encoding`` is how the request body goes on the wire: ``json``, ``form``, ``multipart`` (``files``
    names its file fields) or ``binary`` (raw bytes of ``content_type``). ``download``: the success
    body is raw bytes (a ``BinaryResponse``), asked for with ``accept``; ``redirects``: the spec
    documents a redirect, which is followed.
    ``styles`` are how its parameters that have no plain text form (objects...) are written.
    """

    method: str
    path: str
    response: Callable[[], Any] | None = None
    body: Callable[[], Any] | None = None
    errors: Callable[[], Mapping[str, Any]] | None = None
    auth: Sequence[Requirement] = ()  # the security alternatives, as the spec writes them; none: open
    encoding: str = "json"
    styles: tuple[Style, ...] = ()
    files: tuple[str, ...] = ()
    content_type: str | None = None
    download: bool = False
    accept: str = "application/json"
    redirects: bool = False

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
        """The success body parsed leniently into ``T`` (a download: its bytes, in a ``BinaryResponse``)."""
        if self.download:
            return BinaryResponse(response)  # type: ignore[return-value]  # T is BinaryResponse
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

    def encode_body(self, body: Any, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """``httpx.build_request`` arguments for a body (``headers``: ones it adds). A JSON or form body
        is validated, then only the fields that were set are sent, with the ``extra`` fields merged in
        (an object body) or as the whole JSON body (none); multipart parts and raw bytes go as given
        (the method's annotations type them)."""
        if body is None:
            return {"json": dict(extra)} if extra else {}
        if self.encoding == "multipart":
            parts = multipart_parts(body, self.files, _form_value)
            return {"files": parts, "data": {k: _form_value(v) for k, v in extra.items()}} if extra else {"files": parts}
        if self.encoding == "binary":
            return {"content": binary_content(body), "headers": {"Content-Type": self.content_type or "application/octet-stream"}}
        value = self.body_adapter.validate_python(body)
        if self.encoding == "json":
            encoded = self.body_adapter.dump_python(value, mode="json", by_alias=True, exclude_unset=True)
            return {"json": {**encoded, **extra} if extra and isinstance(encoded, dict) else encoded}
        fields = {**self.body_adapter.dump_python(value, by_alias=True, exclude_unset=True), **(extra or {})}
        return {"data": {k: _form_value(v) for k, v in fields.items() if v is not None}}


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
    """A form field as text: an object, list or model as JSON text, any other value as a parameter."""
    if hasattr(value, "model_dump"):
        value = value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return json_text(value) if isinstance(value, (dict, list)) else _scalar(value)


def query_params(query: Mapping[str, Any], styles: Collection[Style] = ()) -> list[tuple[str, str | int | float | bool | None]]:
    """Query pairs in declaration order; None is left out, a list repeats its key, a parameter with a
    style is written as it says."""
    pairs: list[tuple[str, str | int | float | bool | None]] = []
    styled = {style.name: style for style in styles if style.location == "query"}
    for name, value in query.items():
        if name in styled:
            pairs.extend(styled[name].pairs(value))
            continue
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if item is not None:
                pairs.append((name, _scalar(item)))
    return pairs


_PATH_PARAM = re.compile(r"\{([^{}]+)\}")


def _path_segment(name: str, value: Any) -> str:
    if isinstance(value, (list, tuple)):  # the simple style: the items, comma-separated
        return ",".join(_path_segment(name, item) for item in value)
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
    CONFIG: ClassVar[ClientConfig] = ClientConfig()  # environments, security schemes, environment variables

    def __init__(
        self,
        base_url: str | None,
        environment: str | None,
        credentials: Mapping[str, Any] | None,
        timeout: float | httpx.Timeout,
        max_retries: int,
        headers: Mapping[str, str] | None,
        retry_methods: Collection[str],
        httpx_client: HttpT | None,
    ) -> None:
        self.base_url = self.CONFIG.base_url(base_url, environment, self.DEFAULT_BASE_URL)
        given = read_credentials(credentials or {}, self.CONFIG.credential_env)
        self._auth = Authorizer(self.CONFIG.schemes, given, self.base_url, timeout)
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
        events: Events[Any] | None = None,
    ) -> httpx.Request:
        all_headers = {"Accept": "text/event-stream" if events is not None else endpoint.accept, **self._user_agent, **self._headers}
        styled = {style.name: style for style in endpoint.styles if style.location == "header"}
        all_headers.update(
            {name: styled[name].text(value) if name in styled else _scalar(value) for name, value in (headers or {}).items() if value is not None}
        )
        with _refused_as_request_errors():
            encoded = endpoint.encode_body(body, options.get("extra_body"))
            if events is not None and events.flag is not None and isinstance(encoded.get("json"), dict):
                encoded["json"] = {**encoded["json"], events.flag: True}  # asks for the stream
            all_headers.update(encoded.pop("headers", {}))
            all_headers.update(options.get("headers", {}))
            all_headers.update(options.get("extra_headers", {}))
            return http.build_request(
                endpoint.method.upper(),
                self.base_url + render_path(endpoint.path, path or {}),
                params=query_params({**(query or {}), **options.get("extra_query", {})}, endpoint.styles),
                headers=all_headers,
                timeout=options.get("timeout", self._timeout),
                **encoded,
            )

    @cached_property
    def _user_agent(self) -> dict[str, str]:
        agent = self.CONFIG.user_agent
        return {"User-Agent": agent} if agent else {}

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
    def _finish(endpoint: Endpoint[T], response: httpx.Response, parse: Callable[[httpx.Response], T] | None = None) -> T:
        """The parsed success body (by ``parse``, else the endpoint's), or the error for the response."""
        if not response.is_success:
            raise endpoint.error(response)
        data = (parse or endpoint.parse)(response)
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
        environment: str | None = None,
        credentials: Mapping[str, Any] | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        headers: Mapping[str, str] | None = None,
        retry_methods: Collection[str] = IDEMPOTENT_METHODS,
        httpx_client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(base_url, environment, credentials, timeout, max_retries, headers, retry_methods, httpx_client)
        self._sleep = sleep

    def _open_http(self) -> httpx.Client:
        return httpx.Client(timeout=self._timeout)

    def _send(self, request: httpx.Request, options: RequestOptions, stream: bool = False, follow: bool = False) -> httpx.Response:
        """One attempt: ``request`` sent and, when ``follow``, the redirects it gets followed; unless
        ``stream``, the body read within the attempt's timeout in all (checked as each chunk arrives: a
        server dripping bytes cannot keep it alive; a silent one meets the read timeout)."""
        seconds = _attempt_seconds(options.get("timeout", self._timeout))
        started = time.monotonic()
        deadline = None if seconds is None else started + seconds
        self.CONFIG.log_request(request)
        response = self._http.send(request, stream=True, follow_redirects=False)
        for _ in range(MAX_REDIRECTS if follow else 0):
            following = redirect_request(response.request, response)
            if following is None:
                break
            response.close()
            response = self._http.send(following, stream=True, follow_redirects=False)
        if stream:
            return response
        try:
            body = _AttemptBody(response, deadline)
            for chunk in response.iter_bytes():
                if body.add(chunk):
                    break
        finally:
            response.close()
        answer = body.finish()
        self.CONFIG.log_response(request, answer, time.monotonic() - started)
        return answer

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
        streamed = endpoint.download and streaming_requested()
        return self._finish(endpoint, self._exchange(endpoint, request, options, streamed))

    def stream_events(
        self,
        endpoint: Endpoint[Any],
        events: Events[EventT],
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        body: Any = None,
        options: RequestOptions | None = None,
    ) -> Stream[EventT]:
        """Send one operation asking for its server-sent events; the stream of them, once the answer begins."""
        options = options or {}
        request = self._build_request(self._http, endpoint, path, query, headers, body, options, events)
        response = self._exchange(endpoint, request, options, stream=True)
        return self._finish(endpoint, response, lambda answer: Stream(answer, events))

    def _exchange(self, endpoint: Endpoint[Any], request: httpx.Request, options: RequestOptions, stream: bool) -> httpx.Response:
        """The final response to ``request``, retrying as configured; a streamed error answer is read."""
        follow = options.get("follow_redirects", endpoint.redirects)
        requirement = self._auth.choose(endpoint.auth)
        send = partial(self._send, options=options)
        self._auth.authorize(request, requirement, send)
        attempt, refreshed = 0, False
        while True:
            try:
                response = self._send(request, options, stream, follow)
            except httpx.TransportError as error:
                delay = self._retry_delay(request, attempt, options, None)
                if delay is None:
                    raise _wrap_transport_error(error, request) from error
            except httpx.RequestError as error:  # no usable response (too many redirects, undecodable body)
                raise _wrap_transport_error(error, request) from error
            else:
                if response.status_code == 401 and not refreshed and self._auth.forget_tokens(requirement):
                    response.close()  # a fetched token that was refused: fetch a new one, once
                    self._auth.authorize(request, requirement, send)
                    refreshed = True
                    continue
                delay = self._retry_delay(request, attempt, options, response)
                if delay is None:
                    if stream and not response.is_success:
                        response.read()
                    return response
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
        environment: str | None = None,
        credentials: Mapping[str, Any] | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        headers: Mapping[str, str] | None = None,
        retry_methods: Collection[str] = IDEMPOTENT_METHODS,
        httpx_client: httpx.AsyncClient | None = None,
        sleep: Callable[[float], Awaitable[None]] = _async_sleep,
    ) -> None:
        super().__init__(base_url, environment, credentials, timeout, max_retries, headers, retry_methods, httpx_client)
        self._sleep = sleep

    def _open_http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=self._timeout)

    async def _send(
        self, request: httpx.Request, options: RequestOptions, stream: bool = False, follow: bool = False
    ) -> httpx.Response:
        """One attempt: ``request`` sent and, when ``follow``, the redirects it gets followed; unless
        ``stream``, the body read; cancelled once it takes longer than its timeout in all."""
        import anyio  # httpx's own dependency; imported on the first request, not with the client

        seconds = _attempt_seconds(options.get("timeout", self._timeout))
        started = time.monotonic()
        self.CONFIG.log_request(request)
        try:
            with anyio.fail_after(seconds):
                response = await self._http.send(request, stream=True, follow_redirects=False)
                for _ in range(MAX_REDIRECTS if follow else 0):
                    following = redirect_request(response.request, response)
                    if following is None:
                        break
                    await response.aclose()
                    response = await self._http.send(following, stream=True, follow_redirects=False)
                if stream:
                    return response
                try:
                    body = _AttemptBody(response, None)
                    async for chunk in response.aiter_bytes():
                        if body.add(chunk):
                            break
                finally:
                    await response.aclose()
        except TimeoutError:
            raise httpx.ReadTimeout(_DEADLINE_PASSED, request=request) from None
        answer = body.finish()
        self.CONFIG.log_response(request, answer, time.monotonic() - started)
        return answer

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
        streamed = endpoint.download and streaming_requested()
        response = await self._exchange(endpoint, request, options, streamed)
        # A streamed download is read by awaiting: ``async_streaming_response`` hands it out as such.
        return self._finish(endpoint, response, cast(Callable[[httpx.Response], T], AsyncBinaryResponse) if streamed else None)

    async def stream_events(
        self,
        endpoint: Endpoint[Any],
        events: Events[EventT],
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        body: Any = None,
        options: RequestOptions | None = None,
    ) -> AsyncStream[EventT]:
        """Send one operation asking for its server-sent events; the stream of them, once the answer begins."""
        options = options or {}
        request = self._build_request(self._http, endpoint, path, query, headers, body, options, events)
        response = await self._exchange(endpoint, request, options, stream=True)
        return self._finish(endpoint, response, lambda answer: AsyncStream(answer, events))

    async def _exchange(self, endpoint: Endpoint[Any], request: httpx.Request, options: RequestOptions, stream: bool) -> httpx.Response:
        """The final response to ``request``, retrying as configured; a streamed error answer is read."""
        follow = options.get("follow_redirects", endpoint.redirects)
        requirement = self._auth.choose(endpoint.auth)
        send = partial(self._send, options=options)
        await self._auth.authorize_async(request, requirement, send)
        attempt, refreshed = 0, False
        while True:
            try:
                response = await self._send(request, options, stream, follow)
            except httpx.TransportError as error:
                delay = self._retry_delay(request, attempt, options, None)
                if delay is None:
                    raise _wrap_transport_error(error, request) from error
            except httpx.RequestError as error:  # no usable response (too many redirects, undecodable body)
                raise _wrap_transport_error(error, request) from error
            else:
                if response.status_code == 401 and not refreshed and self._auth.forget_tokens(requirement):
                    await response.aclose()  # a fetched token that was refused: fetch a new one, once
                    await self._auth.authorize_async(request, requirement, send)
                    refreshed = True
                    continue
                delay = self._retry_delay(request, attempt, options, response)
                if delay is None:
                    if stream and not response.is_success:
                        await response.aread()
                    return response
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


class SyncClientOptions(TypedDict, total=False):
    """The keyword arguments of every sync client besides its credentials, base URL and environment."""

    timeout: float | httpx.Timeout
    max_retries: int
    headers: Mapping[str, str] | None
    retry_methods: Collection[str]
    httpx_client: httpx.Client | None
    sleep: Callable[[float], None]


class AsyncClientOptions(TypedDict, total=False):
    """The keyword arguments of every async client besides its credentials, base URL and environment."""

    timeout: float | httpx.Timeout
    max_retries: int
    headers: Mapping[str, str] | None
    retry_methods: Collection[str]
    httpx_client: httpx.AsyncClient | None
    sleep: Callable[[float], Awaitable[None]]


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
