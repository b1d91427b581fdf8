"""Find resource-shaped parts of an API in the intermediate model (what the mock service can serve).

A resource (``ir.Resource``) is a collection path with a ``POST`` (create) whose body is JSON, or a
multipart upload with typed parts, and an item path ``<collection>/{id}`` with ``GET``; list operations
(``GET`` answering an array or a page of the same items), ``PATCH``/``PUT`` (update) and ``DELETE`` on
the item path are attached when present, and, for an upload, the ``GET``s of ``<item path>/<segment>``
answering raw bytes (downloads).
"""

from __future__ import annotations

import re

from vapi_codegen.model import ir

_PATH_PARAMETER = re.compile(r"^\{([^{}]+)\}$")
_UPDATE_METHODS = (ir.HttpMethod.PATCH, ir.HttpMethod.PUT)


def find_resources(api: ir.Api) -> list[ir.Resource]:
    """The resources of ``api``, in the order of their create operations."""
    resources = []
    for create in api.operations:
        if create.method is not ir.HttpMethod.POST or create.body is None or not _creates(create.body):
            continue
        if create.success is None or create.success.type is None or "{" in create.path:
            continue
        item_ops = [op for op in api.operations if _item_parameter(op, create.path) is not None]
        get = next((op for op in item_ops if op.method is ir.HttpMethod.GET), None)
        if get is None or not same_type(api, get.success.type if get.success else None, create.success.type):
            continue
        id_parameter = _item_parameter(get, create.path)
        assert id_parameter is not None
        resource = ir.Resource(create.path, id_parameter, create.success.type, create, get)
        resource.update = next((op for op in item_ops if op.method in _UPDATE_METHODS and op.body is not None), None)
        resource.delete = next((op for op in item_ops if op.method is ir.HttpMethod.DELETE), None)
        if resource.uploaded:
            resource.downloads = [op for op in api.operations if _is_download_of(op, create.path, id_parameter)]
        for op in api.operations:
            if op.method is not ir.HttpMethod.GET or op.success is None or op.success.type is None or "{" in op.path:
                continue
            if op.pagination is not None and same_type(api, op.pagination.item_type, resource.item_type):
                resource.pages.append(op)
            elif isinstance(op.success.type, ir.ArrayType) and same_type(api, op.success.type.items, resource.item_type):
                resource.lists.append(op)
        resources.append(resource)
    return resources


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


def _creates(body: ir.RequestBody) -> bool:
    """Whether a ``POST`` with ``body`` can create a resource the mock stores: JSON, or typed multipart parts."""
    return is_json(body.content_type) or (body.kind is ir.MediaKind.MULTIPART and bool(body.form_fields))


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
