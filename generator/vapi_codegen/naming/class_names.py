"""Class names: provisional while the model is built, decided by the naming pass.

The builder needs a key for every declaration before anything is named, and names inline schemas
after their parents (``Pet`` + ``owner`` -> ``PetOwner``). So the registry hands out a provisional
name per declaration, a token no class name can equal, and records what the class is to be called:
a hint, which may hold the provisional names of earlier declarations (concatenated into it), or a
function of the final names (a union named after the words its variants share). The naming pass
(``assign_class_names``) names the classes in the order they were asked for, each with ``class_name``
and the one collision rule, and rewrites every declaration and reference of the model to the names.

A provisional name that reached the output would be a non-printable character in the code, which
the compile check of ``rendering.formatting`` reports.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from vapi_codegen.model import ir
from vapi_codegen.naming.identifiers import class_name, first_free

Resolver = Callable[[str], str]  # a text with provisional names in it -> the text with the final names
Hint = str | Callable[[Resolver], str]

_MARK = "\x1f"
_PROVISIONAL = re.compile(_MARK + r"\d+" + _MARK)


class ClassNameRequests:
    """The classes the model declares, in the order their names were asked for."""

    def __init__(self) -> None:
        self.hints: list[Hint] = []

    def provisional(self, hint: Hint) -> str:
        """A new declaration's provisional name; its class is to be named from ``hint``."""
        self.hints.append(hint)
        return _provisional_name(len(self.hints) - 1)

    def decide(self) -> dict[str, str]:
        """Every provisional name -> its class name, decided in the order they were asked for."""
        decided: dict[str, str] = {}
        taken: set[str] = set()

        def resolve(text: str) -> str:
            return _with_names(text, decided)

        for index, hint in enumerate(self.hints):
            name = first_free(class_name(hint(resolve) if callable(hint) else resolve(hint)), taken)
            taken.add(name)
            decided[_provisional_name(index)] = name
        return decided


def _provisional_name(index: int) -> str:
    return f"{_MARK}{index}{_MARK}"


def _with_names(text: str, names: dict[str, str]) -> str:
    """``text`` with the provisional names in it replaced by the class names ``names`` gives them."""
    return _PROVISIONAL.sub(lambda match: names[match.group(0)], text)


def assign_class_names(api: ir.Api, requests: ClassNameRequests) -> None:
    """Name every declaration of ``api`` and rewrite every reference to it."""
    names = requests.decide()
    rename = _Renamer(names)
    for declaration in api.declarations.values():
        declaration.name = names[declaration.name]
        if isinstance(declaration, ir.ModelDecl):
            for decl in declaration.fields:
                decl.type = rename(decl.type)
            if declaration.fallback_of is not None:  # its docstring, written by the builder, names the union
                declaration.fallback_of = names[declaration.fallback_of]
                declaration.description = _with_names(declaration.description or "", names)
        elif isinstance(declaration, ir.AliasDecl):
            declaration.type = rename(declaration.type)
    api.declarations = {d.name: d for d in sorted(api.declarations.values(), key=lambda d: d.name)}
    for operation in api.operations + api.webhooks:
        _rename_operation(operation, rename)
    for resource in api.resources:
        resource.item_type = rename(resource.item_type)


def _rename_operation(operation: ir.Operation, rename: _Renamer) -> None:
    for parameter in operation.parameters:
        parameter.type = rename(parameter.type)
    if operation.body is not None:
        operation.body.type = rename(operation.body.type)
        for part in operation.body.form_fields:
            part.type = rename(part.type)
    for response in operation.responses:
        response.type = rename(response.type) if response.type is not None else None
        response.events = rename(response.events) if response.events is not None else None
    if operation.pagination is not None:
        operation.pagination.item_type = rename(operation.pagination.item_type)


class _Renamer:
    """A type reference with its provisional names replaced (references to names the model does not
    declare, such as the runtime's, kept)."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names

    def __call__(self, type_ref: ir.TypeRef) -> ir.TypeRef:
        if isinstance(type_ref, ir.Ref):
            return ir.Ref(self.names.get(type_ref.name, type_ref.name))
        if isinstance(type_ref, ir.Nullable):
            return ir.Nullable(self(type_ref.inner))
        if isinstance(type_ref, ir.ArrayType):
            return replace(type_ref, items=self(type_ref.items))
        if isinstance(type_ref, ir.MapType):
            return ir.MapType(self(type_ref.values))
        if isinstance(type_ref, ir.UnionType):
            fallback = self.names.get(type_ref.fallback, type_ref.fallback) if type_ref.fallback is not None else None
            return ir.UnionType(
                tuple(self(variant) for variant in type_ref.variants),
                type_ref.discriminator,
                tuple((tag, self.names.get(name, name)) for tag, name in type_ref.tags),
                fallback,
            )
        return type_ref
