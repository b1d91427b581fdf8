"""Loading: read a spec file (YAML or JSON, detected by content) and check it is an OpenAPI document."""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from vapi_codegen.diagnostics import Diagnostics, fail
from vapi_codegen.loading.shape import check_shape, data_children, json_too_deep
from vapi_codegen.loading.yaml_text import load_yaml
from vapi_codegen.normalising.refs import child


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
    """Parse YAML or JSON text (JSON is recognised by its first character); refuse, as SpecError, text
    that is neither, or that nests or expands beyond the bounds of ``loading.shape``."""
    if text.lstrip().startswith(("{", "[")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise fail(file, "", f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
        except RecursionError:  # nested some hundreds of levels deep
            raise json_too_deep(text, file) from None
        except ValueError as exc:  # a number of more than 4300 digits
            raise fail(file, "", f"invalid JSON: {str(exc).split(';')[0]}") from None
        check_shape(data, data_children, file)
        return data
    try:
        return load_yaml(text, file)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise fail(file, "", f"invalid YAML{where}: {problem}") from None
    except ValueError as exc:  # a value YAML's types cannot hold: 5000 digits, a 13th month
        raise fail(file, "", f"invalid YAML: {str(exc).split(';')[0]}") from None


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
    check_api_description(data, file)
    return Document(path=path, raw=raw, data=data)


def check_api_description(data: Any, file: str, context: str = "") -> None:
    """Raise SpecError unless ``data`` is an OpenAPI 3 document (or a JSON Schema); run again once
    overlays have changed it (``context`` then says so after each message)."""
    if not isinstance(data, dict):
        raise fail(file, "", "not an OpenAPI document: the top level is not a mapping" + context)
    if "openapi" in data:
        version = str(data["openapi"])
        if not version.startswith("3."):
            raise fail(file, "/openapi", f"unsupported OpenAPI version {version!r}: 3.0 or 3.1 is required" + context)
    elif "swagger" in data:
        raise fail(file, "/swagger", "Swagger 2.0 is not supported: convert the document to OpenAPI 3" + context)
    elif not _looks_like_json_schema(data):
        raise fail(file, "", "not an OpenAPI document: no 'openapi' field (and not a JSON Schema either)" + context)


def _looks_like_json_schema(data: dict[str, Any]) -> bool:
    return any(key in data for key in ("$schema", "properties", "$defs", "definitions", "oneOf", "anyOf", "allOf"))


def validate_document(document: Document, diagnostics: Diagnostics) -> None:
    """Validate against the official OpenAPI meta-schema, reporting problems as warnings.

    Real Vapi specs fail strict validation (e.g. `examples` in an OpenAPI 3.0 schema), yet
    generate fine; the parser reports what it cannot use as errors of its own. The meta-schema is
    the one openapi-spec-validator ships; jsonschema-rs checks a 1 MB spec against it in ~10 ms.
    """
    if not document.is_openapi:
        return
    try:
        validator = _meta_schema_validator("3.1" if document.version.startswith("3.1") else "3.0")
        problems = [leaf for error in validator.iter_errors(document.data) for leaf in _most_specific(error)]
    except Exception as exc:  # a missing meta-schema or a validator tripping over a broken document
        diagnostics.warn("", f"OpenAPI validation could not complete: {type(exc).__name__}: {exc}"[:200])
        return
    for problem in problems[:_SHOWN_PROBLEMS]:
        pointer = child("", *problem.instance_path)
        message = str(problem.message).splitlines()[0][:200]
        diagnostics.warn(pointer, f"OpenAPI validation: {message}")
    if len(problems) > _SHOWN_PROBLEMS:
        diagnostics.warn("", f"OpenAPI validation: {len(problems) - _SHOWN_PROBLEMS} more problems not shown")


_SHOWN_PROBLEMS = 20


def _meta_schema_validator(version: str) -> Any:
    """A validator for the OpenAPI ``version`` meta-schema, read from openapi-spec-validator's data
    files without importing that package (its import alone costs half a second)."""
    import jsonschema_rs

    spec = importlib.util.find_spec("openapi_spec_validator")
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        raise FileNotFoundError("openapi-spec-validator (which ships the OpenAPI meta-schemas) is not installed")
    path = Path(locations[0]) / "resources" / "schemas" / f"v{version}" / "schema.json"
    return jsonschema_rs.validator_for(json.loads(path.read_text(encoding="utf-8")))


def _most_specific(error: Any) -> list[Any]:
    """Replace a `oneOf`/`anyOf` failure (whose message dumps the whole instance) by the errors of
    the branch that got furthest into the instance, recursively."""
    branches = getattr(error.kind, "context", None)
    if not branches:
        return [error]
    branch = max(branches, key=lambda errors: max((len(e.instance_path) for e in errors), default=-1))
    return [leaf for sub in branch for leaf in _most_specific(sub)] or [error]
