"""The models a request body can hold -> what ``params.py.jinja`` prints: one TypedDict per model (its
JSON object as a dict, keyed by the JSON names) and one alias per union of them (all PyCode)."""

from __future__ import annotations

import keyword
from dataclasses import dataclass, field

from vapi_codegen.model import ir
from vapi_codegen.rendering.imports import Imports, module_imports
from vapi_codegen.rendering.input_types import InputAnnotator
from vapi_codegen.rendering.pycode import PyCode, code, docstring, identifier, string_literal
from vapi_codegen.rendering.type_expressions import Annotator
from vapi_codegen.rendering.views.models import ordered_aliases


@dataclass
class KeyView:
    key: PyCode  # an identifier (class syntax) or a string literal (functional syntax)
    annotation: PyCode


@dataclass
class TypedDictView:
    name: PyCode
    doc: PyCode
    keys: list[KeyView]
    functional: bool  # a key is no identifier: ``Name = TypedDict("Name", {...}, total=False)``


@dataclass
class ParamsAliasView:
    name: PyCode
    expression: PyCode


@dataclass
class ParamsModule:
    doc: PyCode | None
    typed_dicts: list[TypedDictView] = field(default_factory=list)
    aliases: list[ParamsAliasView] = field(default_factory=list)
    names: list[PyCode] = field(default_factory=list)  # what it defines (and exports), sorted
    model_imports: list[PyCode] = field(default_factory=list)
    imports: Imports | None = None


class _RecordingAnnotator(Annotator):
    """Records the declarations it names, to import them from ``.models``."""

    def __init__(self, api: ir.Api) -> None:
        super().__init__(api.declarations)
        self.refs: set[str] = set()

    def __call__(self, type_ref: ir.TypeRef) -> PyCode:
        if isinstance(type_ref, ir.Ref):
            self.refs.add(type_ref.name)
        return super().__call__(type_ref)


def build_params_module(api: ir.Api) -> ParamsModule | None:
    """The TypedDicts and their union aliases; None when no request body holds a model."""
    models = [m for m in api.models() if m.params_name]
    if not models:
        return None
    annotate = _RecordingAnnotator(api)
    inputs = InputAnnotator(annotate)
    module = ParamsModule(docstring(f"Request bodies of {api.title} as plain dicts (TypedDicts keyed by the JSON names).", indent=0))
    module.typed_dicts = [_typed_dict(model, inputs) for model in sorted(models, key=lambda m: m.params_name)]
    aliases = [alias for alias in ordered_aliases(api) if alias.params_name]
    defined: set[str] = set()
    for alias in aliases:
        inputs.forward = frozenset(a.params_name for a in aliases if a.params_name not in defined)
        module.aliases.append(ParamsAliasView(identifier(alias.params_name), inputs.dict_form(alias.type)))
        defined.add(alias.params_name)
    names = [m.params_name for m in models] + [a.params_name for a in aliases]
    module.names = [identifier(name) for name in sorted(names)]
    module.model_imports = [identifier(name) for name in sorted(annotate.refs)]
    module.imports = module_imports(annotate.used | {"TypedDict"} | ({"Required"} if _any_required(models) else set()))
    return module


def _typed_dict(model: ir.ModelDecl, inputs: InputAnnotator) -> TypedDictView:
    decls = [decl for decl in model.fields if not decl.read_only]
    functional = not all(_is_class_key(decl.json_name) for decl in decls)
    keys = []
    for decl in decls:
        annotation = inputs.accepted(decl.type)
        if required_key(decl):
            annotation = code("Required[", annotation, "]")
        if functional:  # evaluated at import: a string, as another TypedDict may come later
            keys.append(KeyView(string_literal(decl.json_name), string_literal(annotation)))
        else:
            keys.append(KeyView(identifier(decl.json_name), annotation))
    doc = docstring(f"``{model.name}`` as a dict: its JSON object, keyed by the JSON names.", indent=4)
    assert doc is not None
    return TypedDictView(identifier(model.params_name), doc, keys, functional)


def required_key(decl: ir.FieldDecl) -> bool:
    """A key the dict must have: a required field without a default, or a tag (a union finds the
    variant by it)."""
    return decl.is_tag or (decl.required and decl.default is None)


def _any_required(models: list[ir.ModelDecl]) -> bool:
    return any(required_key(decl) for model in models for decl in model.fields if not decl.read_only)


def _is_class_key(name: str) -> bool:
    return name.isidentifier() and name.isascii() and not keyword.iskeyword(name)
