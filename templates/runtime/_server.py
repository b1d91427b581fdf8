"""Runtime of the generated FastAPI server (hand-written, copied verbatim by vapi-codegen).

Errors a service raises become JSON answers: ``NotFound`` -> 404, any ``ServiceError`` -> its own
status; anything else -> 500 with a generic body (the traceback goes to the server log only).
Secured routes require ``Authorization: Bearer <token>`` (the scheme in any case, one space, a token
of printable ASCII) accepted by the user's ``authenticate``.
"""

import inspect
import logging
import math
import re
from datetime import datetime
from http import HTTPStatus
from typing import Annotated, Any, Awaitable, Callable, Coroutine, Optional, Union

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPBearer
from pydantic import BeforeValidator, RootModel, TypeAdapter, ValidationError

from ._params import MISSING
from ._params import Style as Style  # re-exported: the generated server names _server.Style

_LOG = logging.getLogger(__name__)
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})\Z")


def _require_rfc3339(value: Any) -> Any:
    # pydantic alone also takes "6" (a Unix time) or a bare date; the spec's date-time is RFC 3339.
    if isinstance(value, str) and not _RFC3339.match(value):
        raise ValueError("must be an RFC 3339 date-time such as 2024-01-31T12:00:00Z")
    return value


DateTime = Annotated[datetime, BeforeValidator(_require_rfc3339)]
"""A ``datetime`` parameter that accepts only RFC 3339 text (``format: date-time``)."""

Authenticator = Callable[[str], Union[bool, Awaitable[bool]]]
"""Decides whether a bearer token is accepted: ``token -> bool``, sync or async. The token is
printable ASCII exactly as sent, so ``hmac.compare_digest(token, expected)`` can compare it."""

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
    """The bearer token is missing or was rejected (401)."""

    status_code = 401
    error = "Unauthorized"

    def __init__(self, message: str):
        super().__init__(message, headers={"WWW-Authenticate": "Bearer"})


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
    # FastAPI's own 422 answer (each error with the input it refused), rendered by _error_answer.
    assert isinstance(exc, RequestValidationError)
    return _error_answer({"detail": jsonable_encoder(exc.errors())}, 422)


def _internal_error() -> JSONResponse:
    # Never echo the exception: its text or traceback may hold internals. The server log has it.
    return JSONResponse(error_body(500, "Internal Server Error", "internal server error"), status_code=500)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    # Only for errors outside the routes (a middleware's): ServiceRoute answers those of routes.
    return _internal_error()


def install_error_handlers(app: FastAPI) -> None:
    """Map service errors, invalid requests and unexpected exceptions to JSON answers."""
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
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


def service_router(**options: Any) -> APIRouter:
    """A router whose routes are ``ServiceRoute``s."""
    return APIRouter(route_class=ServiceRoute, **options)


def secured_router(authenticate: Authenticator) -> APIRouter:
    """A router whose routes answer 401 unless the bearer token is one ``authenticate`` accepts.

    The token is checked before anything else (even before the body is read and parsed), so nothing
    about a route is revealed without it. The router's dependency only documents the scheme.
    """

    class BearerRoute(ServiceRoute):
        def guard(self, handle: Handler) -> Handler:
            async def authenticate_then_handle(request: Request) -> Response:
                await _require_bearer_token(request, authenticate)
                return await handle(request)

            return authenticate_then_handle

    return APIRouter(route_class=BearerRoute, dependencies=[Depends(_BEARER_SCHEME)])


_BEARER_SCHEME = HTTPBearer(auto_error=False, scheme_name="bearer")


# "Bearer" in any case, one space, and the token as sent: printable ASCII, nothing trimmed.
_BEARER_TOKEN = re.compile(r"[Bb][Ee][Aa][Rr][Ee][Rr] ([\x21-\x7e]+)\Z")


async def _require_bearer_token(request: Request, authenticate: Authenticator) -> None:
    match = _BEARER_TOKEN.match(request.headers.get("Authorization", ""))
    if match is None:
        raise Unauthorized("missing bearer token")
    accepted = authenticate(match.group(1))
    if inspect.isawaitable(accepted):
        accepted = await accepted
    if accepted is not True:
        raise Unauthorized("invalid bearer token")


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


def unwrap(body: Any) -> Any:
    """The value inside a request-body root model (bodies that are unions or arrays are wrapped)."""
    return body.root if isinstance(body, RootModel) else body
