"""What changes in the generated package's public surface: classes, enum members, attributes, client methods.

Computed from the intermediate model of both documents, because a name can change while the wire stays
the same (a collision rule renames a class, an operationId edit renames a method). Every name is the
emitted one, as the naming pass wrote it on the model.
"""

from __future__ import annotations

from vapi_codegen.model import ir
from vapi_codegen.normalising.refs import Registry, child
from vapi_codegen.diffing.changes import BOTH, ChangeSet, nearest


def _kind(declaration: ir.Declaration) -> str:
    return {ir.ModelDecl: "model", ir.EnumDecl: "enum", ir.AliasDecl: "alias"}[type(declaration)]


class SurfaceComparison:
    """Compares the names users import and call; results accumulate in ``changes``."""

    def __init__(self, old: ir.Api, new: ir.Api, old_registry: Registry, new_registry: Registry):
        self.old, self.new = old, new
        self.old_registry, self.new_registry = old_registry, new_registry
        self.changes = ChangeSet()

    def add(self, kind: str, old_pointer: str, new_pointer: str, **details: object) -> None:
        self.changes.add(kind, BOTH, old_pointer, new_pointer, None, **details)

    def run(self) -> ChangeSet:
        self._declarations()
        self._methods()
        return self.changes

    # --- classes -------------------------------------------------------------------------------

    def _declarations(self) -> None:
        old, new = self.old.declarations, self.new.declarations
        pairs = _pair_declarations(old, new)
        paired_old, paired_new = {o for o, _ in pairs}, {n for _, n in pairs}
        for old_name, new_name in pairs:
            if old_name != new_name:  # the same schema under another name: a naming/collision rule at work
                self.add("class-renamed", old[old_name].pointer, new[new_name].pointer, old=old_name, new=new_name)
            self._declaration(old[old_name], new[new_name])
        for name in sorted(old.keys() - paired_old):
            self.add("class-removed", old[name].pointer, nearest(self.new_registry, old[name].pointer), name=name)
        for name in sorted(new.keys() - paired_new):
            self.add("class-added", nearest(self.old_registry, new[name].pointer), new[name].pointer, name=name)

    def _declaration(self, old: ir.Declaration, new: ir.Declaration) -> None:
        if _kind(old) != _kind(new):
            self.add("class-kind-changed", old.pointer, new.pointer, name=new.name, old=_kind(old), new=_kind(new))
        elif isinstance(old, ir.ModelDecl) and isinstance(new, ir.ModelDecl):
            self._fields(old, new)
        elif isinstance(old, ir.EnumDecl) and isinstance(new, ir.EnumDecl):
            self._members(old, new)

    def _fields(self, old: ir.ModelDecl, new: ir.ModelDecl) -> None:
        before = {f.json_name: f for f in old.fields}
        after = {f.json_name: f for f in new.fields}
        for json_name in sorted(before.keys() - after.keys()):
            self.add("field-removed", child(old.pointer, "properties", json_name), new.pointer, cls=new.name, field=before[json_name].name)
        for json_name in sorted(after.keys() - before.keys()):
            self.add("field-added", old.pointer, child(new.pointer, "properties", json_name), cls=new.name, field=after[json_name].name)
        for json_name in sorted(before.keys() & after.keys()):
            if before[json_name].name != after[json_name].name:
                self.add(
                    "field-renamed",
                    child(old.pointer, "properties", json_name),
                    child(new.pointer, "properties", json_name),
                    cls=new.name,
                    old=before[json_name].name,
                    new=after[json_name].name,
                    json_name=json_name,
                )

    def _members(self, old: ir.EnumDecl, new: ir.EnumDecl) -> None:
        before = {_value_key(m.value): m for m in old.members}
        after = {_value_key(m.value): m for m in new.members}
        for key in sorted(before.keys() - after.keys()):
            self.add("enum-member-removed", child(old.pointer, "enum"), child(new.pointer, "enum"), cls=new.name, member=before[key].name)
        for key in sorted(after.keys() - before.keys()):
            self.add("enum-member-added", child(old.pointer, "enum"), child(new.pointer, "enum"), cls=new.name, member=after[key].name)
        for key in sorted(before.keys() & after.keys()):
            if before[key].name != after[key].name:
                self.add(
                    "enum-member-renamed",
                    child(old.pointer, "enum"),
                    child(new.pointer, "enum"),
                    cls=new.name,
                    old=before[key].name,
                    new=after[key].name,
                )

    # --- client methods ------------------------------------------------------------------------

    def _methods(self) -> None:
        before = {(op.path, op.method): op for op in self.old.operations}
        after = {(op.path, op.method): op for op in self.new.operations}
        for key in sorted(before.keys() - after.keys()):
            pointer = _operation_pointer(before[key])
            self.add("method-removed", pointer, nearest(self.new_registry, pointer), method=_method(before[key]))
        for key in sorted(after.keys() - before.keys()):
            pointer = _operation_pointer(after[key])
            self.add("method-added", nearest(self.old_registry, pointer), pointer, method=_method(after[key]))
        for key in sorted(before.keys() & after.keys()):
            old, new = before[key], after[key]
            if _method(old) != _method(new):
                self.add("method-renamed", _operation_pointer(old), _operation_pointer(new), old=_method(old), new=_method(new))
            self._arguments(old, new)

    def _arguments(self, old: ir.Operation, new: ir.Operation) -> None:
        before = {(p.location, p.json_name): p for p in old.parameters}
        after = {(p.location, p.json_name): p for p in new.parameters}
        old_at, new_at = _operation_pointer(old), _operation_pointer(new)
        method = _method(new)
        for key in sorted(before.keys() - after.keys()):
            self.add("method-argument-removed", old_at, new_at, method=method, argument=before[key].name)
        for key in sorted(after.keys() - before.keys()):
            self.add("method-argument-added", old_at, new_at, method=method, argument=after[key].name, required=after[key].required)
        for key in sorted(before.keys() & after.keys()):
            if before[key].name != after[key].name:
                self.add("method-argument-renamed", old_at, new_at, method=method, old=before[key].name, new=after[key].name)


def _pair_declarations(old: dict[str, ir.Declaration], new: dict[str, ir.Declaration]) -> list[tuple[str, str]]:
    """(old name, new name) of the same declaration: same schema pointer first, else same name."""
    new_by_pointer = {declaration.pointer: name for name, declaration in sorted(new.items())}
    pairs: list[tuple[str, str]] = []
    taken: set[str] = set()
    for name, declaration in sorted(old.items()):
        match = new_by_pointer.get(declaration.pointer)
        if match is not None and match not in taken:
            pairs.append((name, match))
            taken.add(match)
    paired = {o for o, _ in pairs}
    for name in sorted(old.keys() - paired):
        if name in new and name not in taken:
            pairs.append((name, name))
            taken.add(name)
    return sorted(pairs)


def _method(operation: ir.Operation) -> str:
    """The method as users call it on a client: ``<resource attribute>.<method>``."""
    return f"{operation.names.group}.{operation.names.method}"


def _operation_pointer(operation: ir.Operation) -> str:
    return child("/paths", operation.path, operation.method)


def _value_key(value: object) -> str:
    return f"{type(value).__name__}:{value!r}"
