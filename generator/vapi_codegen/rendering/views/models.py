"""Declarations of the intermediate model -> what ``models.py.jinja`` prints (all PyCode)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple, TypeVar

from vapi_codegen.model import ir
from vapi_codegen.rendering.type_expressions import Annotator, constraint_arguments, split_constraints
from vapi_codegen.rendering.imports import Imports, module_imports
from vapi_codegen.rendering.pycode import PyCode, code, docstring, identifier, literal, string_literal


@dataclass
class MemberView:
    name: PyCode
    value: PyCode


@dataclass
class EnumView:
    name: PyCode
    base: PyCode
    doc: PyCode | None
    members: list[MemberView]


@dataclass
class FieldView:
    name: PyCode
    annotation: PyCode
    value: PyCode | None
    calls_field: bool  # whether ``value`` is a ``Field(...)`` call


@dataclass
class ModelView:
    name: PyCode
    base: PyCode  # ``ApiModel``, or ``UnknownVariant`` for a union's fallback model
    doc: PyCode | None
    fields: list[FieldView]
    config: PyCode | None
    tags: PyCode | None  # the discriminator tags sent even when left at their default
    nullable: PyCode | None  # the optional fields whose spec allows null


@dataclass
class AliasView:
    name: PyCode
    expression: PyCode
    doc: PyCode | None


DECLARATIONS_PER_RUN = 500
_Item = TypeVar("_Item")


@dataclass
class ModelsModule:
    enums: list[EnumView] = field(default_factory=list)
    models: list[ModelView] = field(default_factory=list)
    aliases: list[AliasView] = field(default_factory=list)
    exports: list[PyCode] = field(default_factory=list)
    imports: Imports | None = None


@dataclass
class DeclarationRun:
    """Some of the module's declarations, of one kind: one piece of ``models.py``
    (``fragments/declarations.jinja``), compiled on its own."""

    enums: list[EnumView] = field(default_factory=list)
    models: list[ModelView] = field(default_factory=list)
    aliases: list[AliasView] = field(default_factory=list)


def declaration_runs(module: ModelsModule) -> list[DeclarationRun]:
    """The module's declarations in order, in runs of at most ``DECLARATIONS_PER_RUN``: checking
    that Microsoft Graph's 20 MB of models compile in one piece takes ~1 GB."""
    runs = [DeclarationRun(enums=run) for run in _runs(module.enums)]
    runs += [DeclarationRun(models=run) for run in _runs(module.models)]
    runs += [DeclarationRun(aliases=run) for run in _runs(module.aliases)]
    return runs


def _runs(items: list[_Item]) -> Iterator[list[_Item]]:
    for start in range(0, len(items), DECLARATIONS_PER_RUN):
        yield items[start : start + DECLARATIONS_PER_RUN]


def build_models_module(api: ir.Api) -> ModelsModule:
    """Everything the models template needs, in a stable order: enums, models, then aliases."""
    aliases = ordered_aliases(api)
    annotate = Annotator(api.declarations)  # class bodies use postponed annotations: no forward quoting needed
    module = ModelsModule()
    module.enums = [_enum_view(e) for e in api.enums()]
    module.models = [_model_view(m, api, annotate) for m in api.models()]
    defined: set[str] = set()
    for alias in aliases:
        annotate.forward = frozenset(a.name for a in aliases if a.name not in defined and a.name != alias.name) | {alias.name}
        expression = annotate(alias.type)
        if ir.referenced_names(alias.type) & annotate.forward:
            # on a cycle of aliases: only a TypeAliasType lets pydantic resolve the names defined later
            expression = code("TypeAliasType(", string_literal(alias.name), ", ", expression, ")")
            annotate.used.add("TypeAliasType")
        module.aliases.append(AliasView(identifier(alias.name), expression, docstring(alias.description, indent=None)))
        defined.add(alias.name)
    used = annotate.used
    if any(m.tags or m.nullable for m in module.models):
        used.add("ClassVar")
    if any(f.calls_field for m in module.models for f in m.fields):
        used.add("Field")
    if any(m.config for m in module.models):
        used.add("ConfigDict")
    used.update(m.base for m in module.models)
    used.update(e.base for e in module.enums)
    module.imports = module_imports(used)
    module.exports = [string_literal(name) for name in sorted(api.declarations)]
    return module


def _enum_view(enum: ir.EnumDecl) -> EnumView:
    base = PyCode("ApiEnum" if enum.value_type is ir.PrimitiveKind.STR else "ApiIntEnum")
    members = [MemberView(identifier(m.name), literal(m.value)) for m in enum.members]
    return EnumView(identifier(enum.name), base, docstring(enum.description, indent=4), members)


def _model_view(model: ir.ModelDecl, api: ir.Api, annotate: Annotator) -> ModelView:
    fields = [_field_view(f, api, annotate) for f in model.fields]
    config = PyCode('ConfigDict(extra="forbid")') if model.forbid_extra else None
    tags = [f.name for f in model.fields if f.is_tag and f.default is not None]
    nullable = [f.name for f in model.fields if not f.required and ir.accepts_null(api.declarations, f.type)]
    base = PyCode("ApiModel" if model.fallback_of is None else "UnknownVariant")
    return ModelView(
        identifier(model.name), base, docstring(model.description, indent=4), fields, config, _names(tags), _names(nullable)
    )


def _names(names: list[str]) -> PyCode | None:
    """A tuple of attribute names, or None for none."""
    return code("(", "".join(string_literal(name) + ", " for name in names), ")") if names else None


def _field_view(decl: ir.FieldDecl, api: ir.Api, annotate: Annotator) -> FieldView:
    """``name: annotation = value``. Defaults are keyword arguments (``Field(default=None, ...)``), as
    type checkers read them without a plugin; the JSON name, when the attribute differs, is the alias
    for validation and serialisation, so type checkers (which read only ``alias``) see the attribute
    name as the constructor's keyword."""
    type_ref, constraints = split_constraints(decl.type, keep_list_bounds=True)  # a list's, as ``ItemCount``
    optional = not decl.required and not isinstance(type_ref, ir.Nullable) and decl.default is None
    annotation = annotate(ir.Nullable(type_ref) if optional else type_ref)
    if not constraints.is_empty():
        # a response beyond a text's or number's bounds is still read
        annotate.used.update(("Annotated", "Bounded"))
        annotation = code("Annotated[", annotation, ", Bounded]")
    arguments: list[PyCode] = []
    default = _default_code(decl, api)
    if default is not None:
        arguments.append(default.code)
    elif not decl.required:
        arguments.append(PyCode("default=None"))
    if decl.name != decl.json_name:
        alias = string_literal(decl.json_name)
        arguments.append(code("validation_alias=", alias, ", serialization_alias=", alias))
    arguments.extend(constraint_arguments(constraints, annotate.used))
    if decl.description:
        arguments.append(code("description=", string_literal(decl.description)))
    if not arguments:
        return FieldView(identifier(decl.name), annotation, None, calls_field=False)
    if len(arguments) == 1 and (default is not None or not decl.required) and not (default and default.is_factory):
        return FieldView(identifier(decl.name), annotation, PyCode(arguments[0].removeprefix("default=")), calls_field=False)
    return FieldView(identifier(decl.name), annotation, code("Field(", ", ".join(arguments), ")"), calls_field=True)


class _DefaultCode(NamedTuple):
    code: PyCode  # ``default=<value>`` or ``default_factory=...``: an argument of ``Field(...)``
    is_factory: bool


def _default_code(decl: ir.FieldDecl, api: ir.Api) -> _DefaultCode | None:
    if decl.default is None:
        return None
    value = decl.default.value
    target = decl.type.inner if isinstance(decl.type, ir.Nullable) else decl.type
    if isinstance(target, ir.Ref) and value is not None:
        declaration = api.declarations.get(target.name)
        if isinstance(declaration, ir.EnumDecl):
            member = next(m for m in declaration.members if m.value == value)
            return _DefaultCode(code("default=", identifier(declaration.name), ".", identifier(member.name)), is_factory=False)
    if isinstance(value, (list, dict)):
        return _DefaultCode(code("default_factory=lambda: ", literal(value)), is_factory=True)
    return _DefaultCode(code("default=", literal(value)), is_factory=False)


def ordered_aliases(api: ir.Api) -> list[ir.AliasDecl]:
    """Aliases sorted by name, then moved so each comes after the aliases it uses (where possible).

    A depth-first walk with an explicit stack: chains of aliases can be thousands long.
    """
    aliases = {a.name: a for a in api.aliases()}
    ordered: list[ir.AliasDecl] = []
    seen: set[str] = set()

    def uses(name: str) -> Iterator[str]:
        return iter(sorted(ir.referenced_names(aliases[name].type) & aliases.keys()))

    for root in sorted(aliases):
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, uses(root))]
        while stack:
            name, pending = stack[-1]
            used = next((u for u in pending if u not in seen), None)
            if used is None:
                stack.pop()
                ordered.append(aliases[name])
            else:
                seen.add(used)
                stack.append((used, uses(used)))
    return ordered
