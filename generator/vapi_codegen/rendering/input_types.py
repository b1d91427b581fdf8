"""What a request accepts for a type: a model or its ``...Params`` TypedDict, an enum or its values.

The client's arguments and the TypedDicts of ``params.py`` are annotated with these, so a plain dict
with a misspelt key, or a string that is not one of an enum's values, is a type error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from vapi_codegen.model import ir
from vapi_codegen.rendering.pycode import PyCode, code, identifier, literal
from vapi_codegen.rendering.type_expressions import Annotator


class InputAnnotator:
    """Annotations of accepted request values; names a type names are rendered by ``annotate``.

    ``params`` collects the TypedDict names used (to import them); a name in ``forward`` is quoted
    (an alias of ``params.py`` defined further down).
    """

    def __init__(self, annotate: Annotator, forward: frozenset[str] = frozenset()) -> None:
        self.annotate = annotate
        self.declarations = annotate.declarations
        self.forward = forward
        self.params: set[str] = set()

    def accepted(self, type_ref: ir.TypeRef) -> PyCode:
        """A model or its dict form, an enum member or its value (and so on, inside containers)."""
        if isinstance(type_ref, ir.Ref):
            declaration = self.declarations.get(type_ref.name)
            if isinstance(declaration, (ir.ModelDecl, ir.AliasDecl)) and declaration.params_name:
                return self._union([self.annotate(type_ref), self._params(declaration.params_name)])
        return self._walk(type_ref, self.accepted)

    def dict_form(self, type_ref: ir.TypeRef) -> PyCode:
        """The form without model instances: a model's TypedDict (the body of a ``...Params`` alias)."""
        if isinstance(type_ref, ir.Ref):
            declaration = self.declarations.get(type_ref.name)
            if isinstance(declaration, (ir.ModelDecl, ir.AliasDecl)) and declaration.params_name:
                return self._params(declaration.params_name)
        return self._walk(type_ref, self.dict_form)

    def _walk(self, type_ref: ir.TypeRef, inner: Callable[[ir.TypeRef], PyCode]) -> PyCode:
        """The parts of ``type_ref`` through ``inner``; enums with their values, constraints left out."""
        if isinstance(type_ref, ir.Ref):
            declaration = self.declarations.get(type_ref.name)
            if isinstance(declaration, ir.EnumDecl):
                self.annotate.used.add("Literal")
                values = code("Literal[", ", ".join(literal(m.value) for m in declaration.members), "]")
                return self._union([self.annotate(type_ref), values])
            return self.annotate(type_ref)
        if isinstance(type_ref, ir.ArrayType):
            return self.annotate.list_of(inner(type_ref.items))
        if isinstance(type_ref, ir.MapType):
            return self.annotate.map_of(inner(type_ref.values))
        if isinstance(type_ref, ir.Nullable):
            self.annotate.used.add("Optional")
            return code("Optional[", inner(type_ref.inner), "]")
        if isinstance(type_ref, ir.UnionType):
            return self._union([inner(variant) for variant in type_ref.variants])
        if isinstance(type_ref, ir.Primitive):
            return self.annotate(replace(type_ref, constraints=ir.NO_CONSTRAINTS))
        return self.annotate(type_ref)

    def _params(self, name: str) -> PyCode:
        self.params.add(name)
        return code('"', identifier(name), '"') if name in self.forward else identifier(name)

    def _union(self, members: list[PyCode]) -> PyCode:
        unique = list(dict.fromkeys(members))
        if len(unique) == 1:
            return unique[0]
        self.annotate.used.add("Union")
        return code("Union[", ", ".join(unique), "]")

