"""Unions written inline -> named aliases, so the package spells each once and users can import it.

A tagged union always gets a name (its fallback model is named after it, see ``union_fallbacks``);
an untagged one when it is written more than once and holds a model (``Union[str, CustomMessage]``
in four places). A union identical to a named one (a titled ``oneOf``) takes that name.

Names, decided by the naming pass (``naming.class_names``) from these hints:
1. the words the variants' class names share, at the start or at the end (the longer), when that
   is at least two words and not a variant's own name: ``TransferDestinationNumber`` and
   ``TransferDestinationSip`` -> ``TransferDestination``;
2. else, for a union written in several places under one property name, that name (``Message``);
3. else ``<Owner><Property>`` of the first place it is written (in JSON pointer order).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial

from vapi_codegen.model import ir
from vapi_codegen.naming.class_names import Resolver
from vapi_codegen.naming.identifiers import pascal_case, words
from vapi_codegen.normalising.refs import Registry, child


@dataclass(frozen=True)
class _Site:
    """A place a union is written: its JSON pointer, and the owner and property it is named after."""

    pointer: str
    owner: str
    property: str


_Holder = ir.FieldDecl | ir.AliasDecl | ir.Parameter | ir.RequestBody | ir.Response


class _Slot:
    """A type written somewhere in the model (``holder.type``) and the inline ``unions`` it holds;
    ``top`` is False for an alias's own type (a union there is named already)."""

    def __init__(self, site: _Site, holder: _Holder, top: bool, unions: list[ir.UnionType]) -> None:
        self.site, self.holder, self.top, self.unions = site, holder, top, unions

    def get(self) -> ir.TypeRef:
        assert self.holder.type is not None  # a response without a type holds no union
        return self.holder.type

    def set(self, type_ref: ir.TypeRef) -> None:
        self.holder.type = type_ref


def name_inline_unions(declarations: dict[str, ir.Declaration], operations: list[ir.Operation], registry: Registry) -> None:
    """Replace every union written inline that deserves a name (see the module docstring) by a ``Ref``
    to a new alias declaration."""
    slots = list(_slots(declarations, operations))
    sites: dict[str, tuple[ir.UnionType, list[_Site]]] = {}
    for slot in slots:
        for union in slot.unions:
            sites.setdefault(_key(union), (union, []))[1].append(slot.site)
    named = {_key(d.type): d.name for d in declarations.values() if isinstance(d, ir.AliasDecl) and isinstance(d.type, ir.UnionType)}
    new: list[ir.AliasDecl] = []
    for key, (union, where) in sorted(sites.items(), key=lambda item: min(site.pointer for site in item[1][1])):
        if key in named or not _deserves_name(union, where):
            continue
        first = min(where, key=lambda site: site.pointer)
        name = registry.fresh_name(partial(_hint, union, where, first))
        named[key] = name
        alias = ir.AliasDecl(name, first.pointer, union)
        declarations[name] = alias
        new.append(alias)
    for slot in slots:
        slot.set(_replaced(slot.get(), named, slot.top))
    for alias in new:  # a named union may hold another one
        alias.type = _replaced(alias.type, named, top=False)


def _slots(declarations: dict[str, ir.Declaration], operations: list[ir.Operation]) -> list[_Slot]:
    """Every place a type holding an inline union is written: fields, aliases, parameters, bodies
    and responses (a place's site is only worked out when it holds one: most hold none)."""
    slots: list[_Slot] = []
    for declaration in sorted(declarations.values(), key=lambda d: d.pointer):
        if isinstance(declaration, ir.ModelDecl):
            for decl in declaration.fields:
                if unions := _inline_unions(decl.type, top=True):
                    site = _Site(child(declaration.pointer, "properties", decl.json_name), declaration.name, decl.json_name)
                    slots.append(_Slot(site, decl, True, unions))
        elif isinstance(declaration, ir.AliasDecl) and (unions := _inline_unions(declaration.type, top=False)):
            slots.append(_Slot(_Site(declaration.pointer, declaration.name, ""), declaration, False, unions))
    for operation in operations:
        places: list[tuple[ir.Parameter | ir.RequestBody | ir.Response, tuple[str, ...], str]] = [
            (parameter, ("parameters", parameter.json_name), parameter.json_name) for parameter in operation.parameters
        ]
        if operation.body is not None:
            places.append((operation.body, ("requestBody",), "Body"))
        places.extend((response, ("responses", response.status), "Response") for response in operation.responses if response.type is not None)
        held = [(place, unions) for place in places if place[0].type is not None and (unions := _inline_unions(place[0].type, top=True))]
        if held:
            at, owner = child("/paths", operation.path, operation.method), pascal_case(operation.unique_id)
            slots.extend(_Slot(_Site(child(at, *path), owner, property_), holder, True, unions) for (holder, path, property_), unions in held)
    return slots


def _parts(type_ref: ir.TypeRef) -> tuple[ir.TypeRef, ...]:
    if isinstance(type_ref, ir.UnionType):
        return type_ref.variants
    if isinstance(type_ref, ir.Nullable):
        return (type_ref.inner,)
    if isinstance(type_ref, ir.ArrayType):
        return (type_ref.items,)
    if isinstance(type_ref, ir.MapType):
        return (type_ref.values,)
    return ()


def _inline_unions(type_ref: ir.TypeRef, top: bool) -> list[ir.UnionType]:
    """The unions written in ``type_ref`` (itself too, unless it is an alias's own type: ``top`` False)."""
    found = [type_ref] if isinstance(type_ref, ir.UnionType) and top else []
    for part in _parts(type_ref):
        found.extend(_inline_unions(part, top=True))
    return [union for union in found if isinstance(union, ir.UnionType)]


def _replaced(type_ref: ir.TypeRef, named: dict[str, str], top: bool) -> ir.TypeRef:
    """``type_ref`` with its named unions replaced by references (inner ones first)."""
    if isinstance(type_ref, ir.UnionType):
        inner = replace(type_ref, variants=tuple(_replaced(v, named, top=True) for v in type_ref.variants))
        name = named.get(_key(type_ref)) if top else None
        return ir.Ref(name) if name is not None else inner
    if isinstance(type_ref, ir.Nullable):
        return ir.Nullable(_replaced(type_ref.inner, named, top=True))
    if isinstance(type_ref, ir.ArrayType):
        return replace(type_ref, items=_replaced(type_ref.items, named, top=True))
    if isinstance(type_ref, ir.MapType):
        return ir.MapType(_replaced(type_ref.values, named, top=True))
    return type_ref


def _key(union: ir.UnionType) -> str:
    """What makes two unions the same, whatever order their variants and tags are written in."""
    variants = sorted(repr(variant) for variant in union.variants)
    return repr((variants, union.discriminator, sorted(repr(tag) for tag in union.tags)))


def _deserves_name(union: ir.UnionType, where: list[_Site]) -> bool:
    if union.discriminator is not None:
        return True
    return len(where) > 1 and any(isinstance(variant, ir.Ref) for variant in union.variants)


def _hint(union: ir.UnionType, where: list[_Site], first: _Site, resolve: Resolver) -> str:
    """The union's name, from its variants' class names (``resolve`` gives them) or where it is written."""
    names = [resolve(variant.name) for variant in union.variants if isinstance(variant, ir.Ref)]
    if len(names) == len(union.variants):
        shared = _shared_words(names)
        if len(shared) >= 2 and "".join(shared) not in names:
            return "".join(shared)
    properties = {site.property for site in where}
    if len(where) > 1 and len(properties) == 1 and first.property:
        return pascal_case(first.property)
    return resolve(first.owner) + pascal_case(first.property)


def _shared_words(names: list[str]) -> list[str]:
    """The longer of the words all ``names`` start with and the words they all end with."""
    split = [words(name) for name in names]
    prefix = _common_start(split)
    suffix = _common_start([list(reversed(parts)) for parts in split])[::-1]
    return prefix if len(prefix) >= len(suffix) else suffix


def _common_start(lists: Sequence[Sequence[str]]) -> list[str]:
    common: list[str] = []
    for column in zip(*lists, strict=False):
        if len(set(column)) != 1:
            break
        common.append(column[0])
    return common
