"""Runtime of the generated FastAPI server (hand-written, copied verbatim by vapi-codegen).

Errors a service raises become JSON answers: ``NotFound`` -> 404, any ``ServiceError`` -> its own
status; anything else -> 500 with a generic body (the traceback goes to the server log only).
Routes with security requirements are checked by ``_guard`` before anything else. What a request
may send is bounded (``Limits``): a body too large gets 413 (before it is read when its size is
declared, else once it passes the bound), one too slow 408, and a 422 echoes only so much of it.
"""

import json
import logging
import math
import re
import types
import typing
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
from typing import Annotated, Any, Callable, Coroutine, Optional, Union

import anyio
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BeforeValidator, RootModel, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import InitErrorDetails, PydanticCustomError, core_schema
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._base import ApiModel, json_names, null_allowed
from ._params import MISSING
from ._params import Style as Style  # re-exported: the generated server names _server.Style

_LOG = logging.getLogger(__name__)
# pydantic 2.12 warns about FastAPI's own ``Body()`` metadata when a route's body model was built
# lazily (``defer_build``): a false alarm (pydantic#12356) the user can do nothing about.
warnings.filterwarnings("ignore", message=r"The '\w+' attribute with value 'body' was provided to the `Field\(\)` function")
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})\Z")


def _require_rfc3339(value: Any) -> Any:
    # pydantic alone also takes "6" (a Unix time) or a bare date; the spec's date-time is RFC 3339.
    if isinstance(value, str) and not _RFC3339.match(value):
        raise ValueError("must be an RFC 3339 date-time such as 2024-01-31T12:00:00Z")
    return value


DateTime = Annotated[datetime, BeforeValidator(_require_rfc3339)]
"""A ``datetime`` parameter that accepts only RFC 3339 text (``format: date-time``)."""

_REASONS = {status.value: status.phrase for status in HTTPStatus}


class ServiceError(Exception):
    """An error a service reports to the caller: answered with ``status_code`` and a JSON body whose
    ``error`` is the status's reason phrase."""

    status_code = 400
    error = "Bad Request"

    def __init__(self, message: str, *, status_code: Optional[int] = None, headers: Optional[dict[str, str]] = None):
        super().__init__(message)
        self.message = message
        if status_code is not None:
            self.status_code = status_code
            self.error = _REASONS.get(status_code, "Error")
        self.headers = headers


class NotFound(ServiceError):
    """The resource does not exist (404)."""

    status_code = 404
    error = "Not Found"


class Unauthorized(ServiceError):
    """The credentials are missing or were rejected (401); ``challenge`` is the ``WWW-Authenticate``
    header (none for API keys alone)."""

    status_code = 401
    error = "Unauthorized"

    def __init__(self, message: str, challenge: Optional[str] = "Bearer"):
        super().__init__(message, headers={"WWW-Authenticate": challenge} if challenge else None)


def error_body(status_code: int, error: str, message: str) -> dict[str, Any]:
    """The JSON body of every error answer the server makes itself."""
    return {"statusCode": status_code, "error": error, "message": message}


def _json_safe(value: Any) -> Any:
    """JSON data with what JSON text cannot hold replaced: a lone surrogate (``"\\ud800"`` in a request
    is read as one) by U+FFFD, NaN and the infinities (Python's ``json`` reads them too) by null."""
    if isinstance(value, str):
        return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {_json_safe(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_safe(item) for item in value]
    return value


def _error_answer(content: Any, status_code: int, headers: Optional[dict[str, str]] = None) -> JSONResponse:
    """An error answer that always renders, even when it echoes what the request sent."""
    return JSONResponse(_json_safe(content), status_code=status_code, headers=headers)


def _service_answer(error: ServiceError) -> JSONResponse:
    return _error_answer(error_body(error.status_code, error.error, error.message), error.status_code, error.headers)


async def _service_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    return _service_answer(exc)


async def _invalid_request(request: Request, exc: Exception) -> JSONResponse:
    # FastAPI's own 422 answer (each error with the input it refused), bounded by the app's Limits.
    assert isinstance(exc, RequestValidationError)
    limits: Limits = getattr(request.app.state, "request_limits", DEFAULT_LIMITS)
    errors = exc.errors()
    shown = [_echoed(error, limits.max_echo_chars) for error in jsonable_encoder(errors[: limits.max_errors])]
    if len(errors) > limits.max_errors:
        more = len(errors) - limits.max_errors
        shown.append({"type": "too_many_errors", "loc": [], "msg": f"{more} more errors not shown"})
    return _error_answer({"detail": shown}, 422)


def _echoed(error: dict[str, Any], max_chars: int) -> dict[str, Any]:
    """A validation error as a 422 answer shows it: every text in it cut to ``max_chars``, and the
    refused ``input``, when its JSON is longer than that, replaced by that JSON cut short."""
    refused = error.get("input")
    if isinstance(refused, (dict, list)) and len(json.dumps(refused)) > max_chars:
        error = {**error, "input": json.dumps(refused)}
    return {key: _cut(value, max_chars) for key, value in error.items()}


def _cut(value: Any, max_chars: int) -> Any:
    if isinstance(value, str):
        return value if len(value) <= max_chars else value[:max_chars] + "\N{HORIZONTAL ELLIPSIS}"
    if isinstance(value, dict):
        return {_cut(key, max_chars): _cut(item, max_chars) for key, item in value.items()}
    if isinstance(value, list):
        return [_cut(item, max_chars) for item in value]
    return value


def _internal_error() -> JSONResponse:
    # Never echo the exception: its text or traceback may hold internals. The server log has it.
    return JSONResponse(error_body(500, "Internal Server Error", "internal server error"), status_code=500)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    # Only for errors outside the routes (a middleware's): ServiceRoute answers those of routes.
    return _internal_error()


@dataclass(frozen=True)
class Limits:
    """Bounds on what one request may send, and on how much of it an error answer echoes back."""

    max_body_bytes: int = 1024 * 1024
    """A larger body is answered 413: unread when its Content-Length says so, else once the route
    (after its credentials are checked) has read that much."""
    max_body_seconds: float = 30.0
    """A body not whole this many seconds after the request began is answered 408."""
    max_query_bytes: int = 8 * 1024
    """A longer query string is answered 414."""
    max_query_params: int = 64
    """More query parameters are answered 400."""
    max_errors: int = 20
    """A 422 answer lists this many validation errors, then how many more there were."""
    max_echo_chars: int = 200
    """Every text a 422 answer echoes (the refused input, its location) is cut to this length."""


DEFAULT_LIMITS = Limits()


def limit_requests(app: FastAPI, limits: Limits) -> None:
    """Bound ``app``'s requests and its 422 answers by ``limits``."""
    app.state.request_limits = limits
    app.add_middleware(RequestLimits, limits=limits)
    app.add_exception_handler(RequestRefused, _refused_request)


class RequestLimits:
    """ASGI middleware answering requests beyond ``Limits``: a query or a declared body too large
    before the app sees them, a body that turns out too large or too slow as the app reads it."""

    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refused_query(scope["query_string"]) or self._refused_length(scope)
        if refusal is None:
            await self.app(scope, _BoundedBody(receive, self.limits), send)
            return
        # A body left unread makes the server close the connection once the answer is sent.
        await _refusal_answer(refusal)(scope, receive, send)

    def _refused_query(self, query: bytes) -> Optional["RequestRefused"]:
        if len(query) > self.limits.max_query_bytes:
            return RequestRefused(414, f"the query string is longer than {self.limits.max_query_bytes} bytes")
        if query and query.count(b"&") + 1 > self.limits.max_query_params:
            return RequestRefused(400, f"more than {self.limits.max_query_params} query parameters")
        return None

    def _refused_length(self, scope: Scope) -> Optional["RequestRefused"]:
        declared = _content_length(scope)
        return _body_too_large(self.limits) if declared is not None and declared > self.limits.max_body_bytes else None


class RequestRefused(HTTPException):
    """A request beyond ``Limits``, found while the app reads its body: raised from ``receive``,
    answered by ``_refusal_answer`` (FastAPI passes an ``HTTPException`` from reading a body on)."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(status_code, message)
        self.message = message


def _body_too_large(limits: Limits) -> RequestRefused:
    return RequestRefused(413, f"the body is larger than {limits.max_body_bytes} bytes")


def _refusal_answer(refused: RequestRefused) -> JSONResponse:
    return _error_answer(error_body(refused.status_code, _REASONS[refused.status_code], refused.message), refused.status_code)


async def _refused_request(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestRefused)
    return _refusal_answer(exc)


class _BoundedBody:
    """A ``receive`` counting the body as it arrives: past ``max_body_bytes`` it raises 413, and
    waiting for the rest of the body past the deadline raises 408. Once the body is whole it only
    passes messages on (a streamed answer waits on it for the client's disconnect)."""

    def __init__(self, receive: Receive, limits: Limits) -> None:
        self._receive = receive
        self._limits = limits
        self._deadline = anyio.current_time() + limits.max_body_seconds
        self._size = 0
        self._whole = False

    async def __call__(self) -> Message:
        if self._whole:
            return await self._receive()
        try:
            with anyio.fail_after(max(self._deadline - anyio.current_time(), 0)):
                message = await self._receive()
        except TimeoutError:
            raise RequestRefused(408, f"the body did not arrive within {self._limits.max_body_seconds:g} seconds") from None
        if message["type"] != "http.request":
            self._whole = True
            return message
        self._size += len(message.get("body", b""))
        if self._size > self._limits.max_body_bytes:
            raise _body_too_large(self._limits)
        self._whole = not message.get("more_body", False)
        return message


def _content_length(scope: Scope) -> Optional[int]:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _method_not_allowed(request: Request, exc: Exception) -> JSONResponse:
    # Starlette's 405 names only the methods of the first route on the path: each operation is one.
    allowed = ", ".join(_allowed_methods(request))
    message = f"{request.method} is not allowed on this path; allowed: {allowed}"
    return _error_answer(error_body(405, "Method Not Allowed", message), 405, {"Allow": allowed})


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")


def _allowed_methods(request: Request) -> list[str]:
    """The methods some route of the app answers on the request's path (asked of each route as the
    router would, so routers included in any way are covered)."""
    scope = {key: request.scope[key] for key in ("type", "path", "root_path", "headers", "query_string") if key in request.scope}
    routes = request.app.router.routes
    return [method for method in _METHODS if any(route.matches({**scope, "method": method})[0] == Match.FULL for route in routes)]


def install_error_handlers(app: FastAPI) -> None:
    """Map service errors, invalid requests, wrong methods and unexpected exceptions to JSON answers.

    A method the path does not have is answered 405 with every method it has in ``Allow``, before
    any token is checked: like a 404, it tells only what the spec's paths already say.
    """
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(405, _method_not_allowed)
    app.add_exception_handler(Exception, _unexpected_error)


Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class ServiceRoute(APIRoute):
    """A route that answers an unexpected exception itself: 500 with the generic body, the traceback
    logged. Left to Starlette, the exception would reach the ASGI server, which then closes the
    connection, and the next request a client sends on it (keep-alive) fails. Exceptions the app
    has a handler for (``HTTPException``, validation errors, ``ServiceError`` in ``create_app``)
    pass on to it; a ``ServiceError`` the app has no handler for is answered here too."""

    def get_route_handler(self) -> Handler:
        handle = self.guard(super().get_route_handler())

        async def answer_unexpected_errors(request: Request) -> Response:
            try:
                return await handle(request)
            except Exception as error:
                if _has_handler(request, error):
                    raise
                if isinstance(error, ServiceError):  # mounted in an app without install_error_handlers
                    return _service_answer(error)
                _LOG.error("%s %s failed", request.method, request.url.path, exc_info=error)
                return _internal_error()

        return answer_unexpected_errors

    def guard(self, handle: Handler) -> Handler:
        """``handle`` behind the checks that come before anything else (none here)."""
        return handle


def _has_handler(request: Request, error: Exception) -> bool:
    """Whether the app has an exception handler for ``error`` other than its catch-all one."""
    handlers = getattr(request.app, "exception_handlers", {})
    return any(kind in handlers for kind in type(error).__mro__ if kind not in (Exception, BaseException))


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the error answers every route can give, so the server's own document
    declares each status it may send (the service's ``ServiceError``s, the request limits, 500)."""
    body = {"application/json": {"schema": {"type": "object"}}}
    return {status: {"description": _REASONS[status], "content": body} for status in statuses}


_ROUTE_ERRORS = error_responses(400, 404, 408, 409, 413, 414, 500)


def service_errors(service: Any, method: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the statuses ``service.<method>`` answers besides the server's own,
    as the service declares them in its ``ERROR_STATUSES`` (method name -> statuses: the mock's 501
    where it does not serve an operation, 507 where it is full); none when it declares nothing.

    It is read from the service's class: a proxy answering any attribute declares nothing."""
    declared = getattr(type(service), "ERROR_STATUSES", None)
    statuses = declared.get(method, ()) if isinstance(declared, dict) else ()
    return error_responses(*(status for status in statuses if isinstance(status, int)))


def service_router(**options: Any) -> APIRouter:
    """A router whose routes are ``ServiceRoute``s, their error answers declared."""
    return APIRouter(route_class=ServiceRoute, responses=_ROUTE_ERRORS, **options)


def known_query(*names: str, prefixes: tuple[str, ...] = ()) -> Any:
    """A route dependency rejecting query parameters the operation does not declare (422); a name
    starting with one of ``prefixes`` (``filter[``, for a ``deepObject`` parameter) is declared."""
    allowed = frozenset(names)

    def reject_unknown_query(request: Request) -> None:
        unknown = [name for name in request.query_params if name not in allowed and not name.startswith(prefixes)]
        if unknown:
            raise RequestValidationError(
                [
                    {"type": "extra_forbidden", "loc": ("query", name), "msg": "Unknown query parameter", "input": request.query_params[name]}
                    for name in unknown
                ]
            )

    return Depends(reject_unknown_query)


def styled_parameter(kind: Any, style: Style, required: bool) -> Any:
    """A route dependency reading a parameter that has no plain text form (an object, an array of
    objects; any array in a path or a header) the way ``style`` writes it, validated into ``kind``:
    422 when it does not fit, or when it is required and absent (None when it is optional)."""
    adapters: list[TypeAdapter[Any]] = []  # built on the first request, when every model is defined

    def read_parameter(request: Request) -> Any:
        loc = (style.location, style.name)
        try:
            if style.location == "query":
                data = style.from_query(request.query_params.multi_items())
            else:
                texts = {"path": request.path_params, "header": request.headers, "cookie": request.cookies}[style.location]
                text = texts.get(style.name)
                data = MISSING if text is None else style.from_text(text)
        except ValueError as error:
            raise RequestValidationError([{"type": "json_invalid", "loc": loc, "msg": f"Invalid JSON: {error}", "input": None}]) from None
        if data is MISSING:
            if required:
                raise RequestValidationError([{"type": "missing", "loc": loc, "msg": "Field required", "input": None}])
            return None
        if not adapters:
            adapters.append(TypeAdapter(kind))
        try:
            return adapters[0].validate_python(data)
        except ValidationError as error:
            raise RequestValidationError([{**e, "loc": (*loc, *e["loc"])} for e in error.errors()]) from None

    return Depends(read_parameter)


class _RequestBody:
    """The ``Annotated`` marker of a JSON request body. After the models have validated it, what
    pydantic's lax mode let through is refused: ``null`` in a field the spec does not make
    nullable, and a JSON type other than the spec's (``"5"`` or ``false`` for a number, ``0`` for a
    boolean) in a scalar field."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> core_schema.CoreSchema:
        def validate(value: Any, validate_models: Any) -> Any:
            validated = validate_models(value)
            refusals = list(_refusals(validated, value))
            if refusals:
                raise ValidationError.from_exception_data("request body", refusals)
            return validated

        return core_schema.no_info_wrap_validator_function(validate, handler(source))


REQUEST_BODY = _RequestBody()


def _refusals(validated: Any, raw: Any) -> Iterator[InitErrorDetails]:
    """What the request ``raw`` holds that the spec does not allow though the models took it, found
    by walking the validated value and the JSON it came from side by side (without recursion: a
    body may nest as deep as the JSON reader allows)."""
    pending: list[tuple[Any, Any, tuple[str | int, ...]]] = [(validated, raw, ())]
    while pending:
        value, data, loc = pending.pop()
        if isinstance(value, RootModel):
            pending.append((value.root, data, loc))
        elif isinstance(value, ApiModel) and isinstance(data, dict):
            for name, rule in _field_rules(type(value)).items():
                key = next((key for key in rule.keys if key in data), None)
                if key is not None:
                    yield from rule.refusals(data[key], (*loc, key))
                    pending.append((getattr(value, name, None), data[key], (*loc, key)))
        elif isinstance(value, list) and isinstance(data, list):
            pending.extend((item, data[index], (*loc, index)) for index, item in enumerate(value[: len(data)]))
        elif isinstance(value, dict) and isinstance(data, dict):
            pending.extend((item, data[key], (*loc, key)) for key, item in value.items() if key in data)


# The Python types of JSON scalars, by the type a field declares.
_JSON_TYPES: dict[Any, tuple[type, ...]] = {bool: (bool,), int: (int,), float: (int, float)}


class _FieldRule:
    """What a request may hold in one field beyond what lax validation checks: its JSON names,
    whether ``null`` is allowed, and its scalar type (``bool``, ``int``, ``float``), or that of its
    items for an array of scalars (else None)."""

    def __init__(self, keys: tuple[str, ...], null_allowed: bool, scalar: Any, item_scalar: Any) -> None:
        self.keys = keys
        self.null_allowed = null_allowed
        self.scalar = scalar
        self.item_scalar = item_scalar

    @classmethod
    def of(cls, model: type[ApiModel], name: str, field: FieldInfo) -> "_FieldRule":
        members = _members(field.annotation)
        only = members[0] if len(members) == 1 else None
        items = typing.get_args(only) if typing.get_origin(only) is list else ()
        item_scalar = items[0] if len(items) == 1 and items[0] in _JSON_TYPES else None
        scalar = only if only in _JSON_TYPES else None
        return cls(json_names(name, field), null_allowed(model, name, field), scalar, item_scalar)

    def refusals(self, value: Any, loc: tuple[str | int, ...]) -> Iterator[InitErrorDetails]:
        if value is None and not self.null_allowed:
            yield InitErrorDetails(type=PydanticCustomError("null_forbidden", "Input should not be null"), loc=loc, input=value)
        elif self.scalar is not None and value is not None:
            yield from _type_refusals(self.scalar, value, loc)
        elif self.item_scalar is not None and isinstance(value, list):
            for index, item in enumerate(value):
                yield from _type_refusals(self.item_scalar, item, (*loc, index))


def _type_refusals(scalar: Any, value: Any, loc: tuple[str | int, ...]) -> Iterator[InitErrorDetails]:
    """A refusal unless ``value`` is a JSON value of the scalar type (``bool``, ``int``, ``float``)."""
    if isinstance(value, bool):
        fits = scalar is bool
    elif scalar is int and isinstance(value, float):
        fits = value.is_integer()  # JSON Schema: 1.0 is an integer
    else:
        fits = isinstance(value, _JSON_TYPES[scalar])
    if not fits:
        kind = "boolean" if scalar is bool else "integer" if scalar is int else "number"
        yield InitErrorDetails(type=PydanticCustomError("json_type", f"Input should be a JSON {kind}"), loc=loc, input=value)


_RULES: dict[type, dict[str, _FieldRule]] = {}


def _field_rules(model: type[ApiModel]) -> dict[str, _FieldRule]:
    """The model's field rules (attribute name -> rule), worked out once."""
    rules = _RULES.get(model)
    if rules is None:
        rules = _RULES[model] = {name: _FieldRule.of(model, name, field) for name, field in model.model_fields.items()}
    return rules


def _members(annotation: Any) -> list[Any]:
    """The types of an annotation other than None, through ``Optional``/``Union`` and ``Annotated``."""
    while typing.get_origin(annotation) is Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (Union, types.UnionType):
        return [member for arg in typing.get_args(annotation) if arg is not type(None) for member in _members(arg)]
    return [annotation]


def unwrap(body: Any) -> Any:
    """The value inside a request-body root model (bodies that are unions or arrays are wrapped)."""
    return body.root if isinstance(body, RootModel) else body
