"""Uploads, downloads and event streams of the generated ``MockService`` (hand-written runtime, copied
verbatim by vapi-codegen).

- ``UploadStore`` keeps the files uploaded to a resource created from a multipart body: the
  resource's record gets the upload's name, content type and size in the fields the mock chose
  (``originalName``, ``mimetype``, ``bytes`` for Vapi's files), and a download of the resource
  answers the bytes back with their name and content type.
- ``echo_events`` streams a few events echoing the request: one per word of a text field of the
  body, each a minimal valid event (built from the event type's JSON schema) carrying the word.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Optional, TypeVar

from pydantic import BaseModel, TypeAdapter
from starlette.datastructures import UploadFile  # what FastAPI hands over (``fastapi.UploadFile`` subclasses it)

from ._mock import NotImplementedByMock, ResourceCollection
from ._server import NotFound
from ._server_media import BinaryBody

_SAMPLE_DEPTH = 12  # how deep a minimal value goes into nested objects
Item = TypeVar("Item")


@dataclass(frozen=True)
class StoredFile:
    filename: Optional[str]
    content_type: Optional[str]
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)


class UploadStore:
    """The files uploaded to one collection, by resource id.

    ``describe`` maps item fields to what of the (first) uploaded file they hold: ``filename``,
    ``content_type`` or ``size``.
    """

    def __init__(self, *, describe: Mapping[str, str]) -> None:
        self.describe = dict(describe)
        self._files: dict[str, StoredFile] = {}

    async def create(self, collection: ResourceCollection[Item], parts: Mapping[str, Any]) -> Item:
        """A new resource of ``collection`` from a multipart body: its form fields, and the upload's
        description; the upload's bytes are kept for downloads."""
        record: dict[str, Any] = {}
        stored: Optional[StoredFile] = None
        for name, value in parts.items():
            uploads = [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, UploadFile)]
            if uploads:
                first = uploads[0]
                stored = stored or StoredFile(first.filename, first.content_type, await first.read())
            elif value is not None:
                record[name] = value.model_dump(mode="json", by_alias=True) if isinstance(value, BaseModel) else value
        if stored is not None:
            record.update({field: getattr(stored, what) for field, what in self.describe.items()})
        item = collection.create(record)
        if stored is not None:
            self._files[str(_dumped(item)[collection.id_field])] = stored
        return item

    def download(self, collection: ResourceCollection[Any], item_id: Any) -> BinaryBody:
        """The bytes uploaded to a resource (404 when there is no such resource, or it has none)."""
        collection.get(item_id)
        stored = self._files.get(str(item_id))
        if stored is None:
            raise NotFound(f"resource {item_id!r} has no uploaded content")
        return BinaryBody(stored.content, stored.content_type, stored.filename)


def _dumped(item: Any) -> dict[str, Any]:
    return item.model_dump(mode="json", by_alias=True) if isinstance(item, BaseModel) else dict(item)


def asks_for_events(body: Any, flag: str) -> bool:
    """Whether ``body`` sets ``flag`` true: the request asks for events rather than the JSON answer."""
    return body is not None and _dumped(body).get(flag) is True


def echo_events(
    event_type: Any, body: Any, *, flag: Optional[str] = None, source: Optional[str] = None, into: Optional[str] = None
) -> AsyncIterator[Any]:
    """Events echoing ``body``: one per word of its ``source`` field (or one), each a minimal
    ``event_type`` with the word in its ``into`` field. With ``flag``, only a body setting it true asks
    for events: the JSON answer is not served (501)."""
    data = _dumped(body) if body is not None else {}
    if flag is not None and data.get(flag) is not True:
        raise NotImplementedByMock(f"the mock answers only with events: set {flag!r} to true")
    text = data.get(source) if source is not None else None
    words = text.split() if isinstance(text, str) and text.split() else ["echo"]
    adapter: TypeAdapter[Any] = TypeAdapter(event_type)
    schema = adapter.json_schema(by_alias=True)
    base = minimal_value(schema, schema.get("$defs", {}), 0)

    async def events() -> AsyncIterator[Any]:
        for index, word in enumerate(words):
            value = {**base, into: word if index == len(words) - 1 else word + " "} if into and isinstance(base, dict) else base
            yield adapter.validate_python(value)

    return events()


def minimal_value(schema: Any, definitions: Mapping[str, Any], depth: int) -> Any:
    """The smallest value a JSON schema (as pydantic writes it) accepts, as far as a mock needs:
    required properties (and fixed ones), the first of a union, the default, const or first enum value."""
    if not isinstance(schema, dict) or depth > _SAMPLE_DEPTH:
        return None
    if "$ref" in schema:
        return minimal_value(definitions.get(str(schema["$ref"]).rsplit("/", 1)[-1]), definitions, depth + 1)
    for key in ("const", "default"):
        if key in schema:
            return schema[key]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("oneOf", "anyOf", "allOf"):
        if schema.get(key):
            return minimal_value(schema[key][0], definitions, depth + 1)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        # the required properties, and those with a fixed or default value: a union's tag is one
        wanted = [n for n, p in properties.items() if n in schema.get("required", []) or _has_fixed_value(p)]
        return {name: minimal_value(properties[name], definitions, depth + 1) for name in wanted}
    return _minimal_scalar(kind, schema)


def _has_fixed_value(schema: Any) -> bool:
    return isinstance(schema, dict) and (schema.get("const") is not None or schema.get("default") is not None)


def _minimal_scalar(kind: Any, schema: Mapping[str, Any]) -> Any:
    if kind == "string":
        if schema.get("format") == "date-time":
            return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")
        if schema.get("format") == "uuid":
            return str(uuid.uuid4())
        return "x" * int(schema.get("minLength", 0))
    if kind in ("integer", "number"):
        return schema.get("minimum", schema.get("exclusiveMinimum", -1) + 1)
    if kind == "boolean":
        return False
    return [] if kind == "array" else None
