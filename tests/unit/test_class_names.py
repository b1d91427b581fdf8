"""Class names are decided by the naming pass, not while the model is built (``naming.class_names``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from vapi_codegen.diagnostics import Diagnostics
from vapi_codegen.loading.document import load_document
from vapi_codegen.model import build, ir
from vapi_codegen.naming.class_names import ClassNameRequests
from vapi_codegen.naming.identifiers import RESERVED_CLASS_NAMES, is_safe_identifier
from vapi_codegen.rendering import imports

SCHEMAS: dict[str, Any] = {
    "AB": {"type": "object", "properties": {"x": {"type": "string"}}},
    # not a usable class name: asks after "AB", so it is "AB_2", and its inline property is named after that
    "A-B": {"type": "object", "properties": {"c": {"type": "object", "properties": {"y": {"type": "integer"}}}}},
    "Pet": {
        "type": "object",
        "properties": {
            "owner": {"type": "object", "properties": {"name": {"type": "string"}}},  # hint PetOwner: taken
            "kind": {  # a tagged union written inline: named PetKind after its owner's final name, with a fallback
                "oneOf": [{"$ref": "#/components/schemas/DogKind"}, {"$ref": "#/components/schemas/CatKind"}],
                "discriminator": {"propertyName": "kind"},
            },
        },
    },
    "PetOwner": {"type": "object", "properties": {"id": {"type": "string"}}},
    "DogKind": {"type": "object", "properties": {"kind": {"type": "string"}}},
    "CatKind": {"type": "object", "properties": {"kind": {"type": "string"}}},
}
PATHS = {
    "/pets": {
        "post": {
            "operationId": "createPet",
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}},
            "responses": {"201": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}},
        }
    }
}


def build_spec(tmp_path: Path) -> ir.Api:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": PATHS, "components": {"schemas": SCHEMAS}}))
    document = load_document(path)
    return build.build_api(document, Diagnostics(document.name))


def every_type(api: ir.Api) -> list[ir.TypeRef]:
    types = [f.type for m in api.models() for f in m.fields] + [a.type for a in api.aliases()]
    for operation in api.operations:
        types += [p.type for p in operation.parameters] + [r.type for r in operation.responses if r.type is not None]
        types += [operation.body.type] if operation.body is not None else []
    return types


def names_in(type_ref: ir.TypeRef) -> set[str]:
    names = set(ir.referenced_names(type_ref))
    if isinstance(type_ref, ir.UnionType):
        names |= {name for _, name in type_ref.tags} | ({type_ref.fallback} if type_ref.fallback else set())
    return names


def test_the_model_is_built_with_provisional_names_and_named_by_the_naming_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before: list[str] = []
    real = build.assign_names

    def recording(api: ir.Api, classes: ClassNameRequests, *args: Any) -> None:
        before.extend(api.declarations)
        real(api, classes, *args)

    monkeypatch.setattr(build, "assign_names", recording)
    api = build_spec(tmp_path)
    assert before and not any(is_safe_identifier(name) for name in before)  # nothing was named while building
    assert sorted(api.declarations) == [
        "AB", "AB_2", "AB_2C", "CatKind", "DogKind", "Pet", "PetKind", "PetOwner", "PetOwner_2", "UnknownPetKind",
    ]  # fmt: skip
    assert [f.type for f in api.declarations["AB_2"].fields] == [ir.Ref("AB_2C")]
    assert [f.type for f in api.declarations["Pet"].fields] == [ir.Ref("PetOwner_2"), ir.Ref("PetKind")]  # type: ignore[union-attr]
    union = api.declarations["PetKind"].type  # type: ignore[union-attr]
    assert union.tags == (("DogKind", "DogKind"), ("CatKind", "CatKind")) and union.fallback == "UnknownPetKind"
    assert "A PetKind whose 'kind'" in (api.declarations["UnknownPetKind"].description or "")
    referenced = set().union(*(names_in(t) for t in every_type(api)))
    assert referenced <= set(api.declarations) and "PetOwner_2" in referenced
    assert all(d.name == key for key, d in api.declarations.items())


def test_a_hint_can_be_a_function_of_the_names_decided_before_it() -> None:
    requests = ClassNameRequests()
    first = requests.provisional("pet")
    second = requests.provisional("pet")
    third = requests.provisional(lambda resolve: resolve(second) + "Union")
    fourth = requests.provisional(second + "s")
    assert requests.decide() == {first: "pet", second: "pet_2", third: "pet_2Union", fourth: "pet_2s"}


def test_no_class_is_named_like_a_name_the_generated_modules_import() -> None:
    """A schema named ``ItemCount`` or ``TypedDict`` would rebind the import the module's annotations use."""
    importable = {name for names in imports._SOURCES.values() for name in names}
    assert importable <= RESERVED_CLASS_NAMES
