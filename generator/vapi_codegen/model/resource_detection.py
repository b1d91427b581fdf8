"""Find resource-shaped parts of an API in the intermediate model (what the mock service can serve).

A resource (``ir.Resource``) is a collection path (its own parameters, as in
``/provider/{provider}/{resourceName}``, scope the items) with a ``POST`` (create: a JSON body, a
form or none) and an item path ``<collection>/{id}`` with a ``GET`` answering what the create
answers (or one member of it, when the create answers a union); list operations (``GET`` answering
an array or a page of items that fit, see ``fits``), ``PATCH``/``PUT`` (update, with a body if one has) and ``DELETE`` on the
item path are attached when present; for an upload (a multipart create), the ``GET``s of
``<item path>/<segment>`` answering raw bytes (downloads). ``unserved_reasons`` says why the mock answers 501 to the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from vapi_codegen.model import ir

_PATH_PARAMETER = re.compile(r"^\{([^{}]+)\}$")
_UPDATE_METHODS = (ir.HttpMethod.PATCH, ir.HttpMethod.PUT)
_FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


def find_resources(api: ir.Api) -> list[ir.Resource]:
    """The resources of ``api``, in the order of their create operations.

    Operations are indexed by path first (the item operations under their collection, the lists by
    the path they may list), so a large API (Microsoft Graph: ~2,000 creates among ~15,000
    operations) is not searched once per create."""
    resources: list[ir.Resource] = []
    claimed: set[int] = set()  # the list operations a resource already has
    under: dict[str, list[ir.Operation]] = {}  # collection path -> the operations on ``<collection>/{...}``
    listing_at: dict[str, list[ir.Operation]] = {}  # path -> the GETs answering pages or arrays there
    anywhere: list[ir.Operation] = []  # such GETs at a path without parameters: they may list any collection
    for op in api.operations:
        head, _, last = op.path.rpartition("/")
        if _PATH_PARAMETER.match(last):
            under.setdefault(head, []).append(op)
        if op.method is ir.HttpMethod.GET and _may_list(op):
            (anywhere if "{" not in op.path else listing_at.setdefault(op.path, [])).append(op)
    order = {id(op): index for index, op in enumerate(api.operations)}
    for create in api.operations:
        if create.method is not ir.HttpMethod.POST or not _can_create(create):
            continue
        assert create.success is not None and create.success.type is not None
        created = create.success.type
        item_ops = [op for op in under.get(create.path, []) if _item_parameter(op, create.path) is not None]
        get = next((op for op in item_ops if op.method is ir.HttpMethod.GET and _answers(api, created, _success_type(op))), None)
        if get is None:
            continue
        id_parameter = _item_parameter(get, create.path)
        item_type = _success_type(get)
        assert id_parameter is not None and item_type is not None
        resource = ir.Resource(create.path, id_parameter, item_type, create, get)
        updates = sorted((op for op in item_ops if op.method in _UPDATE_METHODS), key=lambda op: op.body is None)
        resource.update = updates[0] if updates else None  # one with a body first
        resource.delete = next((op for op in item_ops if op.method is ir.HttpMethod.DELETE), None)
        if resource.uploaded:
            resource.downloads = [op for op in api.operations if _is_download_of(op, create.path, id_parameter)]
        # a list is at the collection's own path, or at a path without parameters (``/v2/phone-number``
        # lists ``/phone-number``); a collection path without parameters is among the latter already
        own = listing_at.get(create.path, [])
        for op in sorted(own + anywhere, key=lambda candidate: order[id(candidate)]) if own else anywhere:
            listed = _success_type(op)
            if id(op) in claimed:
                continue
            if op.pagination is not None and fits(api, op.pagination.item_type, item_type):
                resource.pages.append(op)
            elif isinstance(listed, ir.ArrayType) and fits(api, listed.items, item_type):
                resource.lists.append(op)
        claimed.update(id(op) for op in resource.lists + resource.pages)
        resources.append(resource)
    return resources


def _can_create(operation: ir.Operation) -> bool:
    """A POST the mock can store: no body, a JSON one or a form (whose fields it does not read),
    answering a body."""
    body = operation.body
    readable = body is None or is_json(body.content_type) or body.content_type.split(";")[0].strip() in _FORMS
    return readable and _success_type(operation) is not None


def _may_list(operation: ir.Operation) -> bool:
    """Whether ``operation`` answers a page or an array (of some resource's items, maybe)."""
    return operation.pagination is not None or isinstance(_success_type(operation), ir.ArrayType)


def _success_type(operation: ir.Operation) -> ir.TypeRef | None:
    return operation.success.type if operation.success is not None else None


def _answers(api: ir.Api, created: ir.TypeRef, item: ir.TypeRef | None) -> bool:
    """Whether a create answering ``created`` answers an item: the same type, or a union holding it
    (``Call | CallBatchResponse``)."""
    if same_type(api, created, item):
        return True
    resolved = ir.resolve_alias(api.declarations, created)
    return isinstance(resolved, ir.UnionType) and any(same_type(api, variant, item) for variant in resolved.variants)


def fits(api: ir.Api, listed: ir.TypeRef, item: ir.TypeRef) -> bool:
    """Whether a list's items are the resource's items: the same type, or (matched by content) one
    model with an ``id`` whose fields every item model declares, the required ones included
    (``Insight`` lists ``BarInsight | PieInsight | ...``)."""
    if same_type(api, listed, item):
        return True
    summaries, items = models_of(api, listed), models_of(api, item)
    if len(summaries) != 1 or not items or summaries[0].field_by_json("id") is None:
        return False
    declared = [{f.json_name for f in model.fields} for model in items]
    return all({f.json_name for f in summaries[0].fields} <= names for names in declared)


def same_type(api: ir.Api, left: ir.TypeRef | None, right: ir.TypeRef | None) -> bool:
    """Whether two types are the same once aliases are followed (a missing type is no type)."""
    if left is None or right is None:
        return False
    return ir.resolve_alias(api.declarations, left) == ir.resolve_alias(api.declarations, right)


def models_of(api: ir.Api, type_ref: ir.TypeRef | None) -> list[ir.ModelDecl]:
    """The object models a value of ``type_ref`` can be (the variants of a union)."""
    if type_ref is None:
        return []
    type_ref = ir.resolve_alias(api.declarations, type_ref)
    if isinstance(type_ref, ir.Nullable):
        return models_of(api, type_ref.inner)
    if isinstance(type_ref, ir.UnionType):
        return [model for variant in type_ref.variants for model in models_of(api, variant)]
    if isinstance(type_ref, ir.Ref):
        declaration = api.declarations.get(type_ref.name)
        return [declaration] if isinstance(declaration, ir.ModelDecl) else []
    return []


def tag_field(api: ir.Api, type_ref: ir.TypeRef) -> str | None:
    """The JSON name of the discriminator when ``type_ref`` is a tagged union."""
    resolved = ir.resolve_alias(api.declarations, type_ref)
    return resolved.discriminator if isinstance(resolved, ir.UnionType) else None


def _is_download_of(operation: ir.Operation, collection_path: str, id_parameter: ir.Parameter) -> bool:
    """A ``GET <collection>/{id}/<segment>`` answering raw bytes."""
    head, _, last = operation.path.rpartition("/")
    return (
        operation.method is ir.HttpMethod.GET
        and operation.downloads
        and head == f"{collection_path}/{{{id_parameter.json_name}}}"
        and "{" not in last
    )


def _item_parameter(operation: ir.Operation, collection_path: str) -> ir.Parameter | None:
    """The id parameter when ``operation`` works on ``<collection_path>/{id}``."""
    head, _, last = operation.path.rpartition("/")
    match = _PATH_PARAMETER.match(last)
    if head != collection_path or match is None:
        return None
    return next((p for p in operation.parameters if p.location is ir.ParameterLocation.PATH and p.json_name == match.group(1)), None)


def is_json(content_type: str) -> bool:
    """Whether a request or response media type is JSON."""
    media = content_type.split(";")[0].strip()
    return media == "application/json" or media.endswith("+json")


def unserved_reasons(api: ir.Api) -> Callable[[ir.Operation], str]:
    """Why the mock cannot serve an operation of ``api`` (it answers 501 with this): a sentence for the caller.

    The resources are indexed by collection path once: Microsoft Graph beta has ~13,000 such
    operations and ~2,300 resources."""
    first_at: dict[str, int] = {}  # collection path -> the index of its first resource
    for index, resource in enumerate(api.resources):
        first_at.setdefault(resource.collection_path, index)

    def owner(path: str) -> ir.Resource | None:
        """The first resource whose items ``path`` is under (``<collection>/{...``)."""
        found = [first_at[path[:at]] for at in _parameter_segments(path) if path[:at] in first_at]
        return api.resources[min(found)] if found else None

    def reason(operation: ir.Operation) -> str:
        label = f"{operation.method.upper()} {operation.path}"
        item_of = owner(operation.path)
        if item_of is not None:
            return f"{label} is an action on a {item_of.collection_path} item; the mock keeps the items but does not model actions"
        if operation.method is ir.HttpMethod.POST and _success_type(operation) is None:
            return f"{label} answers no body, so there is no resource the mock could store and read back"
        if api.resources:
            return f"{label} is not a create, read, list, update or delete of a resource the mock keeps"
        return f"{label} is not part of a resource (a collection POST whose items an item GET reads back)"

    return reason


def _parameter_segments(path: str) -> Iterator[int]:
    """Where the segments of ``path`` that start with a parameter (``/{``) begin."""
    at = path.find("/{")
    while at != -1:
        yield at
        at = path.find("/{", at + 1)
