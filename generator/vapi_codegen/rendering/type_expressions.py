"""Type references of the intermediate model -> Python annotation expressions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from vapi_codegen.model import ir
from vapi_codegen.rendering.pycode import PyCode, code, identifier, literal

_Kind = ir.PrimitiveKind
_PRIMITIVE_NAMES = {kind: "None" if kind is _Kind.NONE else kind.value for kind in _Kind}
_IMPORTED_PRIMITIVES = frozenset({_Kind.DATETIME, _Kind.DATE, _Kind.TIME})  # from ``datetime``
_CONSTRAINT_ORDER = ("min_length", "max_length", "pattern", "python_pattern", "ge", "le", "gt", "lt", "multiple_of")


def constraint_arguments(constraints: ir.Constraints, used: set[str]) -> list[PyCode]:
    """``name=value`` arguments of ``Field(...)`` for constraints; a Python pattern adds ``re`` to ``used``.

    A ``pattern`` stays a string, which pydantic runs with its default, linear-time Rust engine. A
    ``python_pattern`` is passed compiled: pydantic then runs it with Python's ``re`` wherever the
    type is used (a bare ``TypeAdapter`` too), after the (capped) ``max_length`` check.
    """
    arguments: list[PyCode] = []
    for name in _CONSTRAINT_ORDER:
        value = getattr(constraints, name)
        if value is None:
            continue
        if name == "python_pattern":
            used.add("re")
            arguments.append(code("pattern=re.compile(", literal(value), ")"))
        else:
            arguments.append(code(name, "=", literal(value)))
    return arguments


def split_constraints(type_ref: ir.TypeRef, *, keep_list_bounds: bool = False) -> tuple[ir.TypeRef, ir.Constraints]:
    """Take a field's own constraints out of its type, so they can go into the field's ``Field(...)``
    (a list's stay in its type with ``keep_list_bounds``)."""
    if isinstance(type_ref, ir.Nullable):
        inner, constraints = split_constraints(type_ref.inner, keep_list_bounds=keep_list_bounds)
        return ir.Nullable(inner), constraints
    kinds = ir.Primitive if keep_list_bounds else (ir.Primitive, ir.ArrayType)
    if isinstance(type_ref, kinds) and not type_ref.constraints.is_empty():
        return replace(type_ref, constraints=ir.NO_CONSTRAINTS), type_ref.constraints
    return type_ref, ir.NO_CONSTRAINTS


class Annotator:
    """Renders type references to the ``declarations``; ``forward`` names are quoted (aliases not yet defined).

    ``typing_containers``: lists and maps as ``typing.List`` and ``Dict``, for annotations inside a class
    that may have methods named ``list`` or ``dict`` (a client resource's), where the builtins' names
    would be the methods for a type checker.
    """

    def __init__(
        self, declarations: Mapping[str, ir.Declaration], forward: frozenset[str] = frozenset(), typing_containers: bool = False
    ):
        self.declarations = declarations
        self.forward = forward
        self.used: set[str] = set()
        self._typing_containers = typing_containers

    def __call__(self, type_ref: ir.TypeRef) -> PyCode:
        if isinstance(type_ref, ir.Primitive):
            name = _PRIMITIVE_NAMES[type_ref.kind]
            if type_ref.kind in _IMPORTED_PRIMITIVES:
                self.used.add(type_ref.kind.value)
            return self._constrained(PyCode(name), type_ref.constraints)
        if isinstance(type_ref, ir.AnyType):
            self.used.add("Any")
            return PyCode("Any")
        if isinstance(type_ref, ir.LiteralType):
            self.used.add("Literal")
            return code("Literal[", ", ".join(literal(v) for v in type_ref.values), "]")
        if isinstance(type_ref, ir.ArrayType):
            return self._counted(self.list_of(self(type_ref.items)), type_ref.constraints)
        if isinstance(type_ref, ir.MapType):
            return self.map_of(self(type_ref.values))
        if isinstance(type_ref, ir.Ref):
            name = identifier(type_ref.name)
            return code('"', name, '"') if type_ref.name in self.forward else name
        if isinstance(type_ref, ir.Nullable):
            self.used.add("Optional")
            return code("Optional[", self(type_ref.inner), "]")
        if isinstance(type_ref, ir.UnionType):
            return self._union(type_ref)
        raise TypeError(f"unknown type reference {type_ref!r}")

    def list_of(self, items: PyCode) -> PyCode:
        """The annotation of a list of ``items``."""
        return code(self._container("list", "List"), "[", items, "]")

    def map_of(self, values: PyCode) -> PyCode:
        """The annotation of a JSON object of ``values``."""
        return code(self._container("dict", "Dict"), "[str, ", values, "]")

    def _container(self, builtin: str, typing_name: str) -> str:
        if not self._typing_containers:
            return builtin
        self.used.add(typing_name)
        return typing_name

    def _union(self, union: ir.UnionType) -> PyCode:
        self.used.add("Union")
        members = code("Union[", ", ".join(self(v) for v in union.variants), "]")
        if union.discriminator is None:
            return members
        self.used.update({"Annotated", "Field"})
        if union.fallback is None:
            self.used.add("OpenUnion")
            marker = PyCode("OpenUnion")
        else:
            self.used.add("open_union")
            marker = code("open_union(", self(ir.Ref(union.fallback)), ")")
        return code("Annotated[", members, ", Field(discriminator=", literal(self._tag_attribute(union)), "), ", marker, "]")

    def _tag_attribute(self, union: ir.UnionType) -> str:
        """The attribute holding the tag in the variants (pydantic's ``discriminator`` names the attribute)."""
        variant = union.variants[0]  # a tagged union's variants are models, each declaring the tag
        assert isinstance(variant, ir.Ref) and union.discriminator is not None
        model = self.declarations[variant.name]
        tag = model.field_by_json(union.discriminator) if isinstance(model, ir.ModelDecl) else None
        assert tag is not None
        return tag.name

    def _constrained(self, annotation: PyCode, constraints: ir.Constraints) -> PyCode:
        """A value's bounds, held for what is sent; ``Bounded`` keeps a received value beyond them."""
        if constraints.is_empty():
            return annotation
        self.used.update({"Annotated", "Field", "Bounded"})
        return code("Annotated[", annotation, ", Field(", ", ".join(constraint_arguments(constraints, self.used)), "), Bounded]")

    def _counted(self, annotation: PyCode, constraints: ir.Constraints) -> PyCode:
        """A list's ``minItems``/``maxItems`` as ``ItemCount``: held for what is sent, not what is received."""
        if constraints.is_empty():
            return annotation
        self.used.update({"Annotated", "ItemCount"})
        return code("Annotated[", annotation, ", ItemCount(", ", ".join(constraint_arguments(constraints, self.used)), ")]")
