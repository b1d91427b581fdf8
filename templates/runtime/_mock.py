"""In-memory resource collections behind the generated ``MockService`` (hand-written runtime,
copied verbatim by vapi-codegen).

A collection keeps each resource as the JSON object the API would answer with and validates every
answer into the generated response models. Fields the server owns (ids, owner id, timestamps) are
assigned here, the other fields a body lacks start at the values the generator chose (defaults,
enums, formats); ``None`` values in a request remove the field (JSON merge-patch semantics), so an
answer never holds a null the response schema does not allow. A request that fails changes nothing:
a record is stored only once it validates and serialises, so every later answer can hold it.

A collection under a parameterised path (``/provider/{provider}/{resourceName}``) keeps each
resource in the scope of those parameters' values: it is listed, read, changed and deleted only
through the same values, and the item's fields of the same names hold them. What a mock holds is
bounded (``Storage``): beyond it, a create or update is answered 507.
"""

from __future__ import annotations

import functools
import math
import operator
import uuid
from datetime import datetime, timezone
from enum import Enum
from typing import Any, Callable, Generic, NoReturn, Optional, Sequence, TypeVar, cast

from pydantic import BaseModel, TypeAdapter, ValidationError

from ._server import NotFound, ServiceError

NEW_ID = "new-id"  # a fresh uuid4 per resource
NEW_NUMBER = "new-number"  # 1, 2, 3... in creation order (never reused)
NEW_NUMBER_TEXT = "new-number-text"  # the same as text: a text id read back through an integer path parameter
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
Method = TypeVar("Method", bound=Callable[..., Any])
Page = TypeVar("Page")

Filter = tuple[str, str, Any]
"""(JSON field name, comparison: eq/gt/lt/ge/le, value or None when the parameter was not sent)."""

Scope = Optional[dict[str, Any]]
"""The values of the collection path's own parameters, by name (None: the path has none)."""


class NotImplementedByMock(ServiceError):
    """The operation is not part of a resource the mock understands (501)."""

    status_code = 501
    error = "Not Implemented"


def not_served(method: Method, reason: str) -> Method:
    """The ``MockService`` method of an operation the mock does not serve: typed as ``method`` (the
    ``Service`` protocol's, so a subclass may implement it), it answers 501 saying ``reason``."""

    @functools.wraps(method)
    async def unserved(*args: Any, **kwargs: Any) -> NoReturn:
        raise NotImplementedByMock(reason)

    return cast(Method, unserved)


class StorageFull(ServiceError):
    """The mock holds all it may (``Storage``): delete resources first (507)."""

    status_code = 507
    error = "Insufficient Storage"


class Storage:
    """What the collections of one mock hold together, bounded: at most ``max_items`` resources and
    ``max_bytes`` of their JSON. A create or update that would go beyond is refused (``StorageFull``)."""

    MAX_ITEMS = 100_000
    MAX_BYTES = 256 * 1024 * 1024

    def __init__(self, *, max_items: int = MAX_ITEMS, max_bytes: int = MAX_BYTES):
        self.max_items = max_items
        self.max_bytes = max_bytes
        self.items = 0
        self.bytes = 0

    def change(self, items: int, size: int) -> None:
        """Count ``items`` more resources and ``size`` more bytes (fewer when negative), unless that
        goes beyond a bound that was not already passed."""
        if items > 0 and self.items + items > self.max_items:
            raise StorageFull(f"the mock holds its maximum of {self.max_items} resources; delete some first")
        if size > 0 and self.bytes + size > self.max_bytes:
            raise StorageFull(f"the mock holds its maximum of {self.max_bytes} bytes of resources; delete some first")
        self.items += items
        self.bytes += size


class ResourceCollection(Generic[Item]):
    """The resources of one collection path, keyed by id, in creation order.

    ``item_type`` is the response type of one resource (often a union alias, which no ``type[...]``
    can express), so the generated mock names ``Item`` in the attribute's annotation; every answer
    is validated into ``item_type``, which is what makes the annotation true. A list or page in
    creation order (no filter, search or ``sort_by``) looks only at the resources it answers with;
    the others scan the collection.
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
        storage: Optional[Storage] = None,
    ):
        self._items: TypeAdapter[Item] = TypeAdapter(item_type)
        self._records: dict[str, dict[str, Any]] = {}  # keyed by the id as text, like a path parameter
        self._scopes: dict[str, dict[str, Any]] = {}  # the scope each record was created in
        self._order: list[str] = []  # the keys in creation order
        self._sizes: dict[str, int] = {}  # the length of each resource's JSON
        self._storage = storage or Storage()
        self._created = 0
        self.id_field = id_field
        self.generated_fields = generated_fields
        self.refreshed_fields = tuple(refreshed_fields)
        self.initial_values = dict(initial_values or {})
        self.search_fields = tuple(search_fields)
        self.tag_field = tag_field
        self.owner_id = owner_id

    # --- operations ----------------------------------------------------------------------

    def create(self, body: Any, scope: Scope = None) -> Item:
        """Store a new resource made of the body, its spec defaults, the server-owned fields and
        the initial values of the fields the body lacks.

        The server-owned fields (the id among them) replace whatever the body sent for them; an
        existing resource is never replaced (409).
        """
        record = {**_defaults(body), **_sent(body)}
        now = _now()
        number = self._created + 1
        values = {NEW_ID: str(uuid.uuid4()), NEW_NUMBER: number, NEW_NUMBER_TEXT: str(number), OWNER_ID: self.owner_id, NOW: now}
        record.update({name: values[kind] for name, kind in self.generated_fields.items()})
        scoped = _plain_scope(scope)
        # which model (of a union) the item is decides which initial values and scope fields it takes
        item = self._validate({**self.initial_values, **record, **scoped}, "the body does not make a valid resource")
        declared = _declared_fields(item)
        record = {**{k: v for k, v in self.initial_values.items() if k in declared or not declared}, **record}
        record.update({k: v for k, v in scoped.items() if k in declared})
        item, size = self._answerable(record, "the body does not make a valid resource")
        key = self._new_key(record)
        self._storage.change(1, size)
        self._records[key] = record  # last: a request that fails leaves nothing behind
        self._scopes[key] = scoped
        self._order.append(key)
        self._sizes[key] = size
        self._created += 1
        return item

    def list_items(self, *, limit: Optional[float] = None, filters: Sequence[Filter] = (), scope: Scope = None) -> list[Item]:
        """Resources matching ``filters``, newest first, at most ``limit`` of them."""
        count = _count(limit, DEFAULT_LIMIT, "limit")
        if not scope and _unfiltered(filters, None):
            records = self._in_creation_order(0, count, newest_first=True)
        else:
            records = self._matching(filters, None, scope)[::-1][:count]
        return [self._items.validate_python(r) for r in records]

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
        scope: Scope = None,
    ) -> Page:
        """One page (1-based) of the matching resources, with Vapi-style pagination metadata."""
        order = str(_plain(sort_order) or "DESC").upper()
        number = max(1, _count(page, 1, "page"))
        per_page = _count(limit, DEFAULT_LIMIT, "limit")
        start = (number - 1) * per_page
        if sort_by is None and not scope and _unfiltered(filters, search):
            total = len(self._order)
            chunk = self._in_creation_order(start, per_page, newest_first=order == "DESC")
        else:
            records = self._matching(filters, search, scope)
            if sort_by is not None:
                field = str(_plain(sort_by))
                records.sort(key=lambda r: _sort_key(r.get(field)))
            if order == "DESC":
                records.reverse()
            total = len(records)
            chunk = records[start : start + per_page]
        total_pages = math.ceil(total / per_page) if per_page else 0
        metadata = {
            "itemsPerPage": per_page,
            "totalItems": total,
            "currentPage": number,
            "totalPages": total_pages,
            "hasNextPage": number < total_pages,
            "sortOrder": order,
        }
        return _adapter(page_type).validate_python({items_field: chunk, meta_field: metadata})

    def get(self, item_id: Any, scope: Scope = None) -> Item:
        return self._items.validate_python(self._record(item_id, scope))

    def update(self, item_id: Any, body: Any, scope: Scope = None) -> Item:
        """Merge only the fields the body sets into the resource (the id and server-owned fields stay)."""
        record = self._record(item_id, scope)
        kept = {self.id_field, *self.generated_fields, *_plain_scope(scope)}
        changes = {k: v for k, v in _sent(body, keep_none=True).items() if k not in kept}
        if self.tag_field and self.tag_field in changes and changes[self.tag_field] != record.get(self.tag_field):
            raise ServiceError(
                f"{self.tag_field} cannot be changed (the resource is {record.get(self.tag_field)!r})", status_code=409
            )
        merged = {k: v for k, v in {**record, **changes}.items() if v is not None}
        now = _now()
        merged.update({name: now for name in self.refreshed_fields})
        # a well-formed update that the stored resource cannot take conflicts with its state: 409
        item, size = self._answerable(merged, "the update does not leave a valid resource", status_code=409)
        key = str(item_id)
        self._storage.change(0, size - self._sizes[key])
        self._records[key] = merged  # last: a request that fails leaves the resource as it was
        self._sizes[key] = size
        return item

    def delete(self, item_id: Any, scope: Scope = None) -> Item:
        item = self.get(item_id, scope)
        key = str(item_id)
        del self._records[key]
        del self._scopes[key]
        self._order.remove(key)  # a search at C speed: deleting is rare next to listing
        self._storage.change(-1, -self._sizes.pop(key))
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

    def _record(self, item_id: Any, scope: Scope) -> dict[str, Any]:
        record = self._records.get(str(item_id))
        if record is None or self._scopes[str(item_id)] != _plain_scope(scope):
            raise NotFound(f"no resource with id {item_id!r}")
        return record

    def _answerable(self, record: dict[str, Any], problem: str, status_code: int = 422) -> tuple[Item, int]:
        """``record`` validated into an item that also serialises to JSON, as every later answer must,
        and the length of that JSON.

        A value that validates may still not serialise (an extra field nested deeper than the
        serialiser goes, or text holding a lone surrogate): storing it would break every list.
        """
        item = self._validate(record, problem, status_code)
        try:
            size = len(self._items.dump_json(item))
        except ValueError:  # PydanticSerializationError
            raise ServiceError(f"{problem}: {_UNSERIALISABLE}", status_code=422) from None
        return item, size

    def _in_creation_order(self, start: int, count: int, *, newest_first: bool) -> list[dict[str, Any]]:
        """``count`` resources from position ``start`` of the creation order (or of its reverse)."""
        if newest_first:
            end = max(0, len(self._order) - start)
            keys = self._order[max(0, end - count) : end][::-1]
        else:
            keys = self._order[start : start + count]
        return [self._records[key] for key in keys]

    def _validate(self, record: dict[str, Any], problem: str, status_code: int = 422) -> Item:
        try:
            return self._items.validate_python(record)
        except ValidationError as error:
            fields = sorted({".".join(str(p) for p in e["loc"]) for e in error.errors()})
            raise ServiceError(f"{problem}: {', '.join(fields)}", status_code=status_code) from None

    def _matching(self, filters: Sequence[Filter], search: Optional[str], scope: Scope) -> list[dict[str, Any]]:
        active = [(name, _COMPARISONS[how], value) for name, how, value in filters if value is not None]
        needle = search.casefold() if search else None
        wanted = _plain_scope(scope)
        return [
            record
            for key, record in self._records.items()
            if self._scopes[key] == wanted
            and all(_compare(record.get(name), compare, value) for name, compare, value in active)
            and (needle is None or any(needle in str(record.get(f, "")).casefold() for f in self.search_fields))
        ]


_PAGE_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _adapter(page_type: type[Page]) -> TypeAdapter[Page]:
    """One ``TypeAdapter`` per page type: building one costs milliseconds (the page models' schemas
    are built on first use), far more than the page it validates."""
    adapter = _PAGE_ADAPTERS.get(page_type)
    if adapter is None:
        adapter = _PAGE_ADAPTERS[page_type] = TypeAdapter(page_type)
    return adapter


def _unfiltered(filters: Sequence[Filter], search: Optional[str]) -> bool:
    """Whether no filter parameter and no search was sent."""
    return not search and all(value is None for _, _, value in filters)


def _sent(body: Any, keep_none: bool = False) -> dict[str, Any]:
    """The JSON fields the client set (tags included); nulls dropped unless asked for."""
    if not isinstance(body, (BaseModel, dict)):  # no body, or one the mock does not read (a form's bytes)
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


def _plain_scope(scope: Scope) -> dict[str, Any]:
    """A scope's values as JSON values (an enum path parameter by its value)."""
    return {name: _plain(value) for name, value in (scope or {}).items()}


def _plain(value: Any) -> Any:
    """An enum member's value; anything else as it is."""
    return value.value if isinstance(value, Enum) else value


def _sort_key(value: Any) -> tuple[bool, str, Any]:
    # Missing values last; values of different JSON types never compared with each other.
    return (value is None, type(value).__name__, "" if value is None else value)
