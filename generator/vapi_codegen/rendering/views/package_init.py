"""The package's ``__init__``: what it re-exports, and from which module (all PyCode)."""

from __future__ import annotations

from dataclasses import dataclass

from vapi_codegen.model import ir
from vapi_codegen.rendering.pycode import PyCode, docstring, identifier, string_literal


@dataclass(frozen=True)
class ExportGroup:
    """Names the package re-exports from one hand-written or generated module other than models."""

    module: PyCode
    names: tuple[PyCode, ...]

    @property
    def module_literal(self) -> PyCode:
        return string_literal(self.module)

    @property
    def literals(self) -> list[PyCode]:
        return [string_literal(name) for name in self.names]


def _export_group(module: str, *names: str) -> ExportGroup:
    return ExportGroup(PyCode(module), tuple(identifier(n) for n in names))


RUNTIME_EXPORTS = (
    _export_group("._base", "LENIENT_CONTEXT", "UnknownVariant"),
    _export_group(
        "._client",
        "ApiClientError", "ApiConnectionError", "ApiError", "ApiResponse", "ApiResponseValidationError",
        "ApiTimeoutError", "AuthenticationError", "BadRequestError", "ConflictError", "InternalServerError",
        "NotFoundError", "PermissionDeniedError", "RateLimitError", "RequestOptions", "RequestValidationError",
        "UnprocessableEntityError",
    ),
    _export_group("._binary", "AsyncBinaryResponse", "BinaryResponse"),
    _export_group("._multipart", "BinaryInput", "FileInput"),
    _export_group("._sse", "AsyncStream", "ServerSentEvent", "Stream"),
    _export_group(".client", "AsyncClient", "Client"),
)


@dataclass(frozen=True)
class PackageModule:
    doc: PyCode | None
    model_exports: list[PyCode]
    runtime_exports: tuple[ExportGroup, ...]
    version: PyCode
    submodules: list[PyCode]  # string literals of the public modules


def build_package_module(
    api: ir.Api, model_exports: list[PyCode], params_names: list[PyCode], version: str, submodules: list[str]
) -> PackageModule:
    """The ``__init__`` view: ``__version__``, lazy re-exports of the runtime names, the request
    TypedDicts and every model; ``dir()`` lists those and the public modules only."""
    groups = RUNTIME_EXPORTS + ((ExportGroup(PyCode(".params"), tuple(params_names)),) if params_names else ())
    doc = docstring(f"Typed models and clients for {api.title}.", indent=0)
    return PackageModule(doc, model_exports, groups, string_literal(version), [string_literal(name) for name in submodules])
