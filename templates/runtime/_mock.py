"""In-memory resource collections behind the generated ``MockService`` (hand-written runtime,
copied verbatim by vapi-codegen).

A collection keeps each resource as the JSON object the API would answer with and validates every
answer into the generated response models. Fields the server owns (ids, owner id, timestamps) are
assigned here; ``None`` values in a request remove the field (JSON merge-patch semantics), so an
answer never holds a null the response schema does not allow. A request that fails changes nothing:
a record is stored only once it validates and serialises, so every later answer can hold it.
"""

from __future__ import annotations

import math
import operator
import uuid
from datetime import datetime, timezone
from enum import Enum
from typing import Any, Callable, Generic, Optional, Sequence, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from ._server import NotFound, ServiceError

NEW_ID = "new-id"  # a fresh uuid4 per resource
NEW_NUMBER = "new-number"  # 1, 2, 3... in creation order (never reused)
OWNER_ID = "owner-id"  # the id of the (single) owner of every resource of this mock
NOW = "now"  # the current time

DEFAULT_LIMIT = 100
DEFAULT_OWNER_ID = "00000000-0000-4000-8000-000000000000"

_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq, "gt": operator.gt, "lt": operator.lt, "ge": operator.ge, "le": operator.le,
}
_DATETIME: TypeAdapter[datetime] = TypeAdapter(datetime)
_UNSERIALISABLE = "it does not serialise to JSON (nested too deep, or text that is not valid Unicode)"

Item = TypeVar("Item")
Page = TypeVar("Page")

Filter = tuple[str, str, Any]
"""(JSON field name, comparison: eq/gt/lt/ge/le, value or None when the parameter was not sent)."""


class NotImplementedByMock(ServiceError):
    """The operation is not part of a resource the mock understands (501)."""

    status_code = 501
    error = "Not Implemented"


class ResourceCollection(Generic[Item]):
    """The resources of one collection path, keyed by id, in creation order.

    ``item_type`` is the response type of one resource (often a union alias, which no ``type[...]``
    can express), so the generated mock names ``Item`` in the attribute's annotation; every answer
    is validated into ``item_type``, which is what makes the annotation true.
    """

    def __init__(
        self,
        item_type: Any,
        *,
        id_field: str,
        generated_fields: dict[str, str],
        refreshed_fields: Sequence[str] = (),
        initial_values: Optional[dict[str, Any]] = None,
        search_fields: Sequence[str] = (),
        tag_field: Optional[str] = None,
        owner_id: str = DEFAULT_OWNER_ID,
    ):
        self._items: TypeAdapter[Item] = TypeAdapter(item_type)
        self._records: dict[str, dict[str, Any]] = {}  # keyed by the id as text, like a path parameter
        self._created = 0
        self.id_field = id_field
        self.generated_fields = generated_fields
        self.refreshed_fields = tuple(refreshed_fields)
        self.initial_values = dict(initial_values or {})
        self.search_fields = tuple(search_fields)
        self.tag_field = tag_field
        self.owner_id = owner_id

    # --- operations ----------------------------------------------------------------------

    def create(self, body: Any) -> Item:
        """Store a new resource made of the body, its spec defaults and the server-owned fields.

        The server-owned fields (the id among them) replace whatever the body sent for them; an
        existing resource is never replaced (409).
        """
        record = {**_defaults(body), **_sent(body)}
        now = _now()
        values = {NEW_ID: str(uuid.uuid4()), NEW_NUMBER: self._created + 1, OWNER_ID: self.owner_id, NOW: now}
        record.update({name: values[kind] for name, kind in self.generated_fields.items()})
        item = self._validate(record, "the body does not make a valid resource")
        declared = _declared_fields(item)
        record = {**{k: v for k, v in self.initial_values.items() if k in declared}, **record}
        item = self._answerable(record, "the body does not make a valid resource")
        key = self._new_key(record)
        self._records[key] = record  # last: a request that fails leaves nothing behind
        self._created += 1
        return item

    def list_items(self, *, limit: Optional[float] = None, filters: Sequence[Filter] = ()) -> list[Item]:
        """Resources matching ``filters``, newest first, at most ``limit`` of them."""
        records = self._matching(filters, search=None)
        records.reverse()
        return [self._items.validate_python(r) for r in records[: _count(limit, DEFAULT_LIMIT, "limit")]]

    def page(
        self,
        page_type: type[Page],
        *,
        items_field: str,
        meta_field: str,
        page: Optional[float] = None,
        limit: Optional[float] = None,
        sort_order: Any = None,
        sort_by: Any = None,
        search: Optional[str] = None,
        filters: Sequence[Filter] = (),
    ) -> Page:
        """One page (1-based) of the matching resources, with Vapi-style pagination metadata."""
        order = str(_plain(sort_order) or "DESC").upper()
        records = self._matching(filters, search)
        if sort_by is not None:
            field = str(_plain(sort_by))
            records.sort(key=lambda r: _sort_key(r.get(field)))
        if order == "DESC":
            records.reverse()
        number = max(1, _count(page, 1, "page"))
        per_page = _count(limit, DEFAULT_LIMIT, "limit")
        start = (number - 1) * per_page
        total_pages = math.ceil(len(records) / per_page) if per_page else 0
        metadata = {
            "itemsPerPage": per_page,
            "totalItems": len(records),
            "currentPage": number,
            "totalPages": total_pages,
            "hasNextPage": number < total_pages,
            "sortOrder": order,
        }
        chunk = records[start : start + per_page] if per_page else []
        return TypeAdapter(page_type).validate_python({items_field: chunk, meta_field: metadata})

    def get(self, item_id: Any) -> Item:
        return self._items.validate_python(self._record(item_id))

    def update(self, item_id: Any, body: Any) -> Item:
        """Merge only the fields the body sets into the resource (the id and server-owned fields stay)."""
        record = self._record(item_id)
        kept = {self.id_field, *self.generated_fields}
        changes = {k: v for k, v in _sent(body, keep_none=True).items() if k not in kept}
        if self.tag_field and self.tag_field in changes and changes[self.tag_field] != record.get(self.tag_field):
            raise ServiceError(f"{self.tag_field} cannot be changed (the resource is {record.get(self.tag_field)!r})")
        merged = {k: v for k, v in {**record, **changes}.items() if v is not None}
        now = _now()
        merged.update({name: now for name in self.refreshed_fields})
        item = self._answerable(merged, "the update does not leave a valid resource")
        self._records[str(item_id)] = merged  # last: a request that fails leaves the resource as it was
        return item

    def delete(self, item_id: Any) -> Item:
        item = self.get(item_id)
        del self._records[str(item_id)]
        return item

    # --- helpers -------------------------------------------------------------------------

    def _new_key(self, record: dict[str, Any]) -> str:
        """The key of a new resource: its id, which the body must set when the mock cannot make one."""
        if record.get(self.id_field) is None:
            raise ServiceError(f"the body must set {self.id_field}", status_code=422)
        key = str(record[self.id_field])
        if key in self._records:
            raise ServiceError(f"a resource with {self.id_field} {key!r} already exists", status_code=409)
        return key

    def _record(self, item_id: Any) -> dict[str, Any]:
        record = self._records.get(str(item_id))
        if record is None:
            raise NotFound(f"no resource with id {item_id!r}")
        return record

    def _answerable(self, record: dict[str, Any], problem: str) -> Item:
        """``record`` validated into an item that also serialises to JSON, as every later answer must.

        A value that validates may still not serialise (an extra field nested deeper than the
        serialiser goes, or text holding a lone surrogate): storing it would break every list.
        """
        item = self._validate(record, problem)
        try:
            self._items.dump_json(item)
        except ValueError:  # PydanticSerializationError
            raise ServiceError(f"{problem}: {_UNSERIALISABLE}", status_code=422) from None
        return item

    def _validate(self, record: dict[str, Any], problem: str) -> Item:
        try:
            return self._items.validate_python(record)
        except ValidationError as error:
            fields = sorted({".".join(str(p) for p in e["loc"]) for e in error.errors()})
            raise ServiceError(f"{problem}: {', '.join(fields)}", status_code=422) from None

    def _matching(self, filters: Sequence[Filter], search: Optional[str]) -> list[dict[str, Any]]:
        active = [(name, _COMPARISONS[how], value) for name, how, value in filters if value is not None]
        needle = search.casefold() if search else None
        return [
            record
            for record in self._records.values()
            if all(_compare(record.get(name), compare, value) for name, compare, value in active)
            and (needle is None or any(needle in str(record.get(f, "")).casefold() for f in self.search_fields))
        ]


def _sent(body: Any, keep_none: bool = False) -> dict[str, Any]:
    """The JSON fields the client set (tags included); nulls dropped unless asked for."""
    if body is None:  # an optional body left out
        return {}
    data = _dump(body, exclude_unset=True) if isinstance(body, BaseModel) else dict(body)
    return data if keep_none else {k: v for k, v in data.items() if v is not None}


def _defaults(body: Any) -> dict[str, Any]:
    """The spec defaults of the body's fields the client left out (top level, non-null only)."""
    if not isinstance(body, BaseModel):
        return {}
    full = _dump(body)
    fields = type(body).model_fields
    unset = {_json_name(name, field) for name, field in fields.items() if name not in body.model_fields_set}
    return {k: v for k, v in full.items() if k in unset and v is not None}


def _dump(body: BaseModel, **options: Any) -> dict[str, Any]:
    """The body as JSON data by alias; one the serialiser cannot walk is the client's error (422)."""
    try:
        return body.model_dump(mode="json", by_alias=True, **options)
    except ValueError:  # "Maximum serialization depth exceeded"
        raise ServiceError(f"the body cannot be stored: {_UNSERIALISABLE}", status_code=422) from None


def _declared_fields(item: Any) -> set[str]:
    if not isinstance(item, BaseModel):
        return set()
    return {_json_name(name, field) for name, field in type(item).model_fields.items()}


def _json_name(name: str, field: Any) -> str:
    """A field's name on the wire: its serialisation alias, else the attribute name."""
    return str(field.serialization_alias or field.alias or name)


def _now() -> str:
    # Always with microseconds, so timestamps sort as text in time order.
    return datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _count(value: Optional[float], default: int, name: str) -> int:
    """A page number or size from a query number (``2.0`` is 2)."""
    if value is None:
        return default
    if not math.isfinite(value):
        raise ServiceError(f"{name} must be a finite number")
    return int(value)


def _compare(stored: Any, compare: Callable[[Any, Any], bool], wanted: Any) -> bool:
    if stored is None:
        return False
    if isinstance(wanted, datetime):
        stored = _DATETIME.validate_python(stored)
        if wanted.tzinfo is None:  # a time without an offset is read as UTC
            wanted = wanted.replace(tzinfo=timezone.utc)
    else:
        wanted = _plain(wanted)
    try:
        return compare(stored, wanted)
    except TypeError:
        return False


def _plain(value: Any) -> Any:
    """An enum member's value; anything else as it is."""
    return value.value if isinstance(value, Enum) else value


def _sort_key(value: Any) -> tuple[bool, str, Any]:
    # Missing values last; values of different JSON types never compared with each other.
    return (value is None, type(value).__name__, "" if value is None else value)
