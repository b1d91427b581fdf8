"""Loading: read a spec file (YAML or JSON, detected by content) and check it is an OpenAPI document."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import Diagnostics, fail

try:  # the C loader is 7-10x faster on these files
    _YamlLoader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pyyaml built without libyaml
    _YamlLoader = yaml.SafeLoader


@dataclass
class Document:
    """A parsed spec with where it came from."""

    path: Path
    raw: bytes
    data: dict[str, Any]

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def version(self) -> str:
        return str(self.data.get("openapi", ""))

    @property
    def is_openapi(self) -> bool:
        return "openapi" in self.data


def parse_text(text: str, file: str) -> Any:
    """Parse YAML or JSON text; JSON is recognised by its first character."""
    if text.lstrip().startswith(("{", "[")):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise fail(file, "", f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    try:
        return yaml.load(text, Loader=_YamlLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise fail(file, "", f"invalid YAML{where}: {problem}") from None


def load_document(path: Path) -> Document:
    """Read and parse a spec; raise SpecError if it is unreadable or not an API description."""
    file = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise fail(str(path), "", f"cannot read spec: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(file, "", f"spec is not UTF-8 text (byte {exc.start})") from None
    data = parse_text(text, file)
    if not isinstance(data, dict):
        raise fail(file, "", "not an OpenAPI document: the top level is not a mapping")
    if "openapi" in data:
        version = str(data["openapi"])
        if not version.startswith("3."):
            raise fail(file, "/openapi", f"unsupported OpenAPI version {version!r}: 3.0 or 3.1 is required")
    elif "swagger" in data:
        raise fail(file, "/swagger", "Swagger 2.0 is not supported: convert the document to OpenAPI 3")
    elif not _looks_like_json_schema(data):
        raise fail(file, "", "not an OpenAPI document: no 'openapi' field (and not a JSON Schema either)")
    return Document(path=path, raw=raw, data=data)


def _looks_like_json_schema(data: dict[str, Any]) -> bool:
    return any(key in data for key in ("$schema", "properties", "$defs", "definitions", "oneOf", "anyOf", "allOf"))


def validate_document(document: Document, diagnostics: Diagnostics) -> None:
    """Validate against the OpenAPI meta-schema, reporting problems as warnings.

    Real Vapi specs fail strict validation (e.g. a string default on a `type: object` enum), yet
    generate fine; the parser reports what it cannot use as errors of its own.
    """
    if not document.is_openapi:
        return
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    validator_class = OpenAPIV31SpecValidator if document.version.startswith("3.1") else OpenAPIV30SpecValidator
    try:
        problems = list(validator_class(document.data).iter_errors())
    except Exception as exc:  # the validator itself can trip over broken documents
        diagnostics.warn("", f"OpenAPI validation could not complete: {type(exc).__name__}")
        return
    for problem in problems[:20]:
        path = list(getattr(problem, "absolute_path", None) or getattr(problem, "path", None) or ())
        # checks inside a schema report paths relative to that schema: only a path from the root is a pointer
        located = bool(path) and path[0] in document.data
        pointer = "".join(f"/{_escape_pointer(str(part))}" for part in path) if located else ""
        message = str(getattr(problem, "message", problem)).splitlines()[0][:200]
        diagnostics.warn(pointer, f"OpenAPI validation: {message}")
    if len(problems) > 20:
        diagnostics.warn("", f"OpenAPI validation: {len(problems) - 20} more problems not shown")


def _escape_pointer(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")
