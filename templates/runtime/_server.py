"""Runtime of the generated FastAPI server (hand-written, copied verbatim by vapi-codegen).

Errors a service raises become JSON answers: ``NotFound`` -> 404, any ``ServiceError`` -> its own
status; anything else -> 500 with a generic body (the traceback goes to the server log only).
Routes with security requirements are checked by ``_guard`` before anything else.
"""

import logging
import math
import re
from datetime import datetime
from http import HTTPStatus
from typing import Annotated, Any, Callable, Coroutine, Optional

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BeforeValidator, RootModel

_LOG = logging.getLogger(__name__)
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


def known_query(*names: str) -> Any:
    """A route dependency rejecting query parameters the operation does not declare (422)."""
    allowed = frozenset(names)

    def reject_unknown_query(request: Request) -> None:
        unknown = [name for name in request.query_params if name not in allowed]
        if unknown:
            raise RequestValidationError(
                [
                    {"type": "extra_forbidden", "loc": ("query", name), "msg": "Unknown query parameter", "input": request.query_params[name]}
                    for name in unknown
                ]
            )

    return Depends(reject_unknown_query)


def unwrap(body: Any) -> Any:
    """The value inside a request-body root model (bodies that are unions or arrays are wrapped)."""
    return body.root if isinstance(body, RootModel) else body
