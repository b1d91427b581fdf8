"""The intermediate model on small inline specs: union rules, recursion, naming, leniency, constraints.

Most tests also generate the package and exercise it, since the point of each rule is what the
generated models accept.
"""

from __future__ import annotations

import enum
import gc
import json
import weakref
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from vapi_codegen.model import ir
from vapi_codegen.diagnostics import Diagnostics, Severity
from vapi_codegen.loading.document import load_document
from vapi_codegen.model.build import build_api
from vapi_codegen.naming.identifiers import AttributeNames
from vapi_codegen.pipeline import generate_files
from vapi_codegen.output.writer import write

from ..conftest import import_fresh

PACKAGE = "ir_spec"


def spec_document(schemas: dict[str, Any], paths: dict[str, Any] | None = None, version: str = "3.0.3") -> dict[str, Any]:
    return {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": paths or {}, "components": {"schemas": schemas}}


def write_spec(tmp_path: Path, schemas: dict[str, Any], **options: Any) -> Path:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec_document(schemas, **options)), encoding="utf-8")
    return path


def build(tmp_path: Path, schemas: dict[str, Any], **options: Any) -> tuple[ir.Api, Diagnostics]:
    diagnostics = Diagnostics("spec.json")
    return build_api(load_document(write_spec(tmp_path, schemas, **options)), diagnostics), diagnostics


def generate(tmp_path: Path, schemas: dict[str, Any], **options: Any) -> ModuleType:
    """Generate the spec into ``tmp_path/out`` and import it (its models module)."""
    out = tmp_path / "out"
    write(out, generate_files(write_spec(tmp_path, schemas, **options), PACKAGE).files, stale=[])
    return import_fresh(out, PACKAGE).models


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(required: list[str] | None = None, **properties: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


STRING = {"type": "string"}


def union_of(api: ir.Api, name: str) -> ir.UnionType:
    declaration = api.declarations[name]
    assert isinstance(declaration, ir.AliasDecl)
    assert isinstance(declaration.type, ir.UnionType)
    return declaration.type


def tag_errors(error: ValidationError) -> list[str]:
    return [e["type"] for e in error.errors()]


# --- unions ------------------------------------------------------------------------------------

PETS = {
    "Cat": obj(["kind"], kind=STRING, meow={"type": "integer"}),
    "Dog": obj(["kind"], kind=STRING, bark={"type": "boolean"}),
}


def test_explicit_mapping(tmp_path: Path) -> None:
    schemas = {
        **PETS,
        "Pet": {
            "oneOf": [ref("Cat"), ref("Dog")],
            "discriminator": {"propertyName": "kind", "mapping": {"c": "#/components/schemas/Cat", "d": "Dog"}},
        },
    }
    api, _ = build(tmp_path, schemas)
    union = union_of(api, "Pet")
    assert (union.discriminator, union.tags) == ("kind", (("c", "Cat"), ("d", "Dog")))
    assert api.declarations["Cat"].field_by_json("kind").type == ir.LiteralType(("c",))

    models = generate(tmp_path, schemas)
    pet = TypeAdapter(models.Pet)
    assert isinstance(pet.validate_python({"kind": "c", "meow": 3}), models.Cat)
    assert isinstance(pet.validate_python({"kind": "d"}), models.Dog)
    with pytest.raises(ValidationError) as caught:
        pet.validate_python({"kind": "Cat"})  # only the mapped tags
    assert tag_errors(caught.value) == ["union_tag_invalid"]


def test_implicit_mapping_by_schema_name(tmp_path: Path) -> None:
    schemas = {**PETS, "Pet": {"oneOf": [ref("Cat"), ref("Dog")], "discriminator": {"propertyName": "kind"}}}
    api, _ = build(tmp_path, schemas)
    assert union_of(api, "Pet").tags == (("Cat", "Cat"), ("Dog", "Dog"))

    models = generate(tmp_path, schemas)
    assert isinstance(TypeAdapter(models.Pet).validate_python({"kind": "Dog", "bark": True}), models.Dog)


def test_discriminator_on_an_all_of_base(tmp_path: Path) -> None:
    schemas = {
        "Animal": {**obj(["petType"], petType=STRING), "discriminator": {"propertyName": "petType"}},
        "Fish": {"allOf": [ref("Animal"), obj(fins={"type": "integer"})]},
        "Bird": {"allOf": [ref("Animal"), obj(wings={"type": "integer"})]},
        "Pet": {"oneOf": [ref("Fish"), ref("Bird")]},
    }
    api, _ = build(tmp_path, schemas)
    assert union_of(api, "Pet").tags == (("Fish", "Fish"), ("Bird", "Bird"))

    models = generate(tmp_path, schemas)
    parsed = TypeAdapter(models.Pet).validate_python({"petType": "Bird", "wings": 2})
    assert isinstance(parsed, models.Bird) and parsed.wings == 2


@pytest.mark.parametrize("single_value", [{"enum": ["ring"]}, {"const": "ring"}])
def test_required_single_value_enums_tag_a_union_without_discriminator(tmp_path: Path, single_value: dict[str, Any]) -> None:
    other = {"enum": ["end"]} if "enum" in single_value else {"const": "end"}
    schemas = {
        "Ring": obj(["on", "type"], on={"type": "string", **single_value}, type={"type": "string", "enum": ["hook"]}),
        "End": obj(["on", "type"], on={"type": "string", **other}, type={"type": "string", "enum": ["hook2"]}, reason=STRING),
        "Hook": {"oneOf": [ref("Ring"), ref("End")]},
    }
    api, _ = build(tmp_path, schemas)
    union = union_of(api, "Hook")
    assert union.discriminator == "on"  # both `on` and `type` qualify: the first in sorted order wins
    assert union.tags == (("ring", "Ring"), ("end", "End"))

    models = generate(tmp_path, schemas)
    hook = TypeAdapter(models.Hook)
    assert isinstance(hook.validate_python({"on": "end", "type": "hook2", "reason": "x"}), models.End)
    with pytest.raises(ValidationError) as caught:
        hook.validate_python({"on": "start", "type": "hook"})
    assert tag_errors(caught.value) == ["union_tag_invalid"]


def test_mapped_variant_lacking_the_property_gets_a_defaulted_literal(tmp_path: Path) -> None:
    schemas = {
        "UpdateA": obj(name=STRING),
        "UpdateB": obj(name=STRING, extra={"type": "integer"}),
        "Update": {
            "oneOf": [ref("UpdateA"), ref("UpdateB")],
            "discriminator": {"propertyName": "provider", "mapping": {"a": ref("UpdateA")["$ref"], "b": ref("UpdateB")["$ref"]}},
        },
    }
    api, _ = build(tmp_path, schemas)
    added = api.declarations["UpdateA"].field_by_json("provider")
    assert added.type == ir.LiteralType(("a",))
    assert added.default == ir.Default("a") and added.is_tag and not added.required

    models = generate(tmp_path, schemas)
    standalone = models.UpdateA.model_validate({"name": "x"})
    assert standalone.provider == "a"
    assert standalone.model_dump(by_alias=True, exclude_unset=True) == {"name": "x", "provider": "a"}  # tag always sent
    with pytest.raises(ValidationError):
        models.UpdateA.model_validate({"name": "x", "provider": "b"})
    assert isinstance(TypeAdapter(models.Update).validate_python({"provider": "b", "extra": 1}), models.UpdateB)


@pytest.mark.parametrize(
    "variants",
    [
        pytest.param({"Cat": obj(name=STRING), "Plain": STRING}, id="object-and-string"),
        pytest.param({"Cat": obj(["on"], on={"enum": ["x"]}), "Dog": obj(["on"], on={"enum": ["x"]})}, id="same-tag"),
        pytest.param({"Cat": obj(on={"enum": ["x"]}), "Dog": obj(on={"enum": ["y"]})}, id="tag-not-required"),
        pytest.param({"Cat": obj(["on"], on={"enum": ["x", "z"]}), "Dog": obj(["on"], on={"enum": ["y"]})}, id="multi-value"),
    ],
)
def test_union_that_cannot_be_tagged_stays_plain(tmp_path: Path, variants: dict[str, Any]) -> None:
    schemas = {**variants, "Either": {"oneOf": [ref(name) for name in variants]}}
    api, _ = build(tmp_path, schemas)
    union = union_of(api, "Either")
    assert union.discriminator is None and union.tags == ()
    assert union.variants == tuple(ir.Ref(name) for name in variants)

    models = generate(tmp_path, schemas)
    first = next(iter(variants))
    payload = {"name": "n"} if first == "Cat" and "name" in variants["Cat"]["properties"] else {"on": "x"}
    assert isinstance(TypeAdapter(models.Either).validate_python(payload), getattr(models, first))


# --- recursion ---------------------------------------------------------------------------------


def test_recursion_and_mutual_recursion(tmp_path: Path) -> None:
    schemas = {
        "Node": obj(["value"], value={"type": "integer"}, children={"type": "array", "items": ref("Node")}),
        "Person": obj(["name"], name=STRING, employer=ref("Company")),
        "Company": obj(["name"], name=STRING, staff={"type": "array", "items": ref("Person")}),
        "Leaf": obj(["kind"], kind={"enum": ["leaf"]}, value={"type": "integer"}),
        "Branch": obj(["kind"], kind={"enum": ["branch"]}, children={"type": "array", "items": ref("Tree")}),
        "Tree": {"oneOf": [ref("Leaf"), ref("Branch")]},
    }
    api, diagnostics = build(tmp_path, schemas)
    assert api.declarations["Node"].field_by_json("children").type == ir.ArrayType(ir.Ref("Node"))
    assert not diagnostics.warnings

    models = generate(tmp_path, schemas)
    node = models.Node.model_validate({"value": 1, "children": [{"value": 2, "children": [{"value": 3}]}]})
    assert node.children[0].children[0].value == 3
    with pytest.raises(ValidationError):
        models.Node.model_validate({"value": 1, "children": [{"children": []}]})
    person = models.Person.model_validate({"name": "a", "employer": {"name": "c", "staff": [{"name": "b", "employer": {"name": "d"}}]}})
    assert person.employer.staff[0].employer.name == "d"
    tree = TypeAdapter(models.Tree).validate_python(
        {"kind": "branch", "children": [{"kind": "leaf", "value": 1}, {"kind": "branch", "children": [{"kind": "leaf"}]}]}
    )
    assert [type(c) for c in tree.children] == [models.Leaf, models.Branch]
    assert isinstance(tree.children[1].children[0], models.Leaf)


# --- naming ------------------------------------------------------------------------------------

AWKWARD_FIELDS = {
    "class": "class_",
    "from": "from_",
    "2fa": "field_2fa",
    "x-rate-limit": "x_rate_limit",
    "a.b": "a_b",
    "model_config": "field_model_config",
    "json": "json_",
    "schema": "schema_",
    "copy": "copy_",
    "plainName": "plain_name",
    "URLPath": "url_path",
}


def test_awkward_property_names_get_safe_attributes_with_aliases(tmp_path: Path) -> None:
    schemas = {"Weird": obj(list(AWKWARD_FIELDS), **{name: STRING for name in AWKWARD_FIELDS})}
    api, _ = build(tmp_path, schemas)
    assert {f.json_name: f.name for f in api.declarations["Weird"].fields} == AWKWARD_FIELDS

    models = generate(tmp_path, schemas)
    payload = {name: f"value of {name}" for name in AWKWARD_FIELDS}
    weird = models.Weird.model_validate(payload)
    for json_name, attribute in AWKWARD_FIELDS.items():
        assert getattr(weird, attribute) == f"value of {json_name}"
    assert weird.model_dump(by_alias=True) == payload
    assert callable(weird.copy) and callable(weird.model_dump_json)  # pydantic's own attributes still work
    by_name = models.Weird(**{attribute: "v" for attribute in AWKWARD_FIELDS.values()})
    assert by_name.model_dump(by_alias=True) == {name: "v" for name in AWKWARD_FIELDS}


def test_attribute_names_spec_keeps_the_json_names_that_are_identifiers(tmp_path: Path) -> None:
    schemas = {"Weird": obj(list(AWKWARD_FIELDS), **{name: STRING for name in AWKWARD_FIELDS})}
    api = build_api(load_document(write_spec(tmp_path, schemas)), Diagnostics("spec.json"), attribute_names=AttributeNames.SPEC)
    names = {f.json_name: f.name for f in api.declarations["Weird"].fields}
    assert names == {**AWKWARD_FIELDS, "plainName": "plainName", "URLPath": "URLPath"}


def test_models_accept_both_names_and_send_the_json_names(tmp_path: Path) -> None:
    models = generate(tmp_path, {"Pet": obj(["petName"], petName=STRING, createdAt={"type": "string", "format": "date-time"})})
    by_attribute = models.Pet(pet_name="Rex")
    by_json_name = models.Pet.model_validate({"petName": "Rex"})
    assert by_attribute == by_json_name and by_attribute.pet_name == "Rex"
    assert models.Pet(petName="Rex").pet_name == "Rex"  # the JSON name works as a keyword too
    assert by_attribute.to_json_dict() == {"petName": "Rex"}
    assert models.Pet.model_json_schema()["required"] == ["petName"]


def test_reserved_schema_names_get_safe_class_names(tmp_path: Path) -> None:
    schemas = {name: obj(a=STRING) for name in ("Client", "BaseModel", "Field", "List", "str", "1st", "my-thing")}
    schemas["User"] = obj(client=ref("Client"), items={"type": "array", "items": ref("List")})
    api, _ = build(tmp_path, schemas)
    assert sorted(api.declarations) == sorted(
        ["ClientModel", "BaseModelModel", "FieldModel", "ListModel", "strModel", "Model1st", "MyThing", "User"]
    )

    models = generate(tmp_path, schemas)
    user = models.User.model_validate({"client": {"a": "x"}, "items": [{"a": "y"}]})
    assert isinstance(user.client, models.ClientModel) and isinstance(user.items[0], models.ListModel)
    assert issubclass(models.BaseModelModel, models.ApiModel) and models.FieldModel(a="z").a == "z"


COLLIDING = {
    "A": obj(bC=obj(x=STRING)),  # inline name hint "ABC"
    "AB": obj(c=obj(y=STRING)),  # inline name hint "ABC" as well
    "my-thing": obj(a=STRING),
    "My.Thing": obj(d=STRING),
    "MyThing": obj(c=STRING),
    "my_thing": obj(b=STRING),
}


def test_colliding_names_are_stable_whatever_the_schema_order(tmp_path: Path) -> None:
    def names(order: list[str]) -> tuple[dict[str, str], str]:
        work = tmp_path / str(len(list(tmp_path.iterdir())))
        work.mkdir()
        schemas = {key: COLLIDING[key] for key in order}
        api, _ = build(work, schemas)
        files = generate_files(write_spec(work, schemas), PACKAGE).files
        return {d.pointer: name for name, d in api.declarations.items()}, files[f"{PACKAGE}/models.py"]

    forward, forward_code = names(list(COLLIDING))
    backward, backward_code = names(list(reversed(COLLIDING)))
    assert forward == backward
    assert forward_code == backward_code
    assert forward["/components/schemas/MyThing"] == "MyThing"  # a schema already named like a class keeps it
    assert forward["/components/schemas/my_thing"] == "my_thing"
    assert {forward["/components/schemas/My.Thing"], forward["/components/schemas/my-thing"]} == {"MyThing_2", "MyThing_3"}
    assert forward["/components/schemas/A/properties/bC"] == "ABC"
    assert forward["/components/schemas/AB/properties/c"] == "ABC_2"


def test_inline_names_are_deterministic(tmp_path: Path) -> None:
    body = {"content": {"application/json": {"schema": {"oneOf": [ref("Cat"), ref("Dog")], "discriminator": {"propertyName": "kind"}}}}}
    schemas = {
        **PETS,
        "Owner": obj(
            address=obj(street=STRING),
            status={"type": "string", "enum": ["active", "gone"]},
            pets={"type": "array", "items": obj(nickname=STRING)},
            home=obj(street=STRING),
        ),
        "Shop": obj(address=obj(street=STRING)),
    }
    paths = {"/pets": {"post": {"operationId": "PetController_create", "requestBody": body, "responses": {"201": {"description": "ok"}}}}}
    api, _ = build(tmp_path, schemas, paths=paths)
    assert {"OwnerAddress", "OwnerStatus", "OwnerPetsItem", "OwnerHome", "ShopAddress", "PetCreateBody"} <= set(api.declarations)
    assert not any(name[-1].isdigit() for name in api.declarations)
    first = generate_files(write_spec(tmp_path, schemas, paths=paths), PACKAGE).files
    second = generate_files(write_spec(tmp_path, schemas, paths=paths), PACKAGE).files
    assert first == second


# --- leniency ----------------------------------------------------------------------------------


def warnings_at(diagnostics: Diagnostics, pointer: str) -> list[str]:
    return [d.message for d in diagnostics.warnings if d.pointer == pointer and not d.message.startswith("OpenAPI validation")]


def test_object_typed_string_enum_is_a_string_enum(tmp_path: Path) -> None:
    schemas = {"Plan": obj(sipVerb={"type": "object", "enum": ["refer", "bye"], "default": "refer"})}
    api, diagnostics = build(tmp_path, schemas)
    enum_decl = api.declarations["PlanSipVerb"]
    assert isinstance(enum_decl, ir.EnumDecl) and enum_decl.value_type == "str"
    assert warnings_at(diagnostics, "/components/schemas/Plan/properties/sipVerb/type")

    models = generate(tmp_path, schemas)
    assert models.Plan.model_validate({"sipVerb": "bye"}).sip_verb is models.PlanSipVerb.BYE
    assert models.Plan().sip_verb == "refer"
    with pytest.raises(ValidationError):
        models.Plan.model_validate({"sipVerb": {"verb": "refer"}})


def test_empty_enum_is_ignored_with_a_warning(tmp_path: Path) -> None:
    schemas = {"Voice": obj(voiceId={"oneOf": [{"type": "string", "enum": []}, {"type": "integer"}]}, name={"type": "string", "enum": []})}
    _, diagnostics = build(tmp_path, schemas)
    assert warnings_at(diagnostics, "/components/schemas/Voice/properties/name/enum")
    assert warnings_at(diagnostics, "/components/schemas/Voice/properties/voiceId/oneOf/0/enum")

    models = generate(tmp_path, schemas)
    voice = models.Voice.model_validate({"voiceId": "anything", "name": "free text"})
    assert (voice.voice_id, voice.name) == ("anything", "free text")


def test_object_items_with_numeric_example_accept_numbers(tmp_path: Path) -> None:
    codes = {"type": "array", "items": {"type": "object"}, "example": [400, 401]}
    schemas = {"Backoff": obj(excludedStatusCodes=codes, metadata={"type": "array", "items": {"type": "object"}})}
    _, diagnostics = build(tmp_path, schemas)
    assert warnings_at(diagnostics, "/components/schemas/Backoff/properties/excludedStatusCodes/items")

    models = generate(tmp_path, schemas)
    assert models.Backoff.model_validate({"excludedStatusCodes": [400, 401]}).excluded_status_codes == [400, 401]
    with pytest.raises(ValidationError):  # without a numeric example, `type: object` items stay objects
        models.Backoff.model_validate({"metadata": [1]})


def test_warnings_name_the_file(tmp_path: Path) -> None:
    _, diagnostics = build(tmp_path, {"Plan": obj(verb={"type": "object", "enum": ["a", "b"]})})
    assert any(str(d).startswith("spec.json#/components/schemas/Plan/properties/verb/type: warning:") for d in diagnostics.warnings)


# --- constraints, defaults, docs, enums --------------------------------------------------------


def test_patterns_python_can_run(tmp_path: Path) -> None:
    schemas = {
        "Code": {"type": "string", "pattern": "^(?!abc).*$"},
        "Codes": obj(
            re=STRING,  # a field named like the module the patterns need
            named=ref("Code"),
            lookahead={"type": "string", "pattern": "^(?!abc).*$"},
            lookbehind={"type": "string", "pattern": "^.*(?<!x)$"},
            javascript={"type": "string", "pattern": "/^[a-z]+$/i"},
            words={"type": "array", "items": {"type": "string", "pattern": "^(?=w)\\w+$"}},
        )
    }
    models = generate(tmp_path, schemas)
    codes = models.Codes.model_validate({"lookahead": "xyz", "lookbehind": "abc", "javascript": "AbC", "words": ["word"]})
    assert codes.javascript == "AbC"
    assert TypeAdapter(models.Code).validate_python("xyz") == "xyz"  # outside a model too
    with pytest.raises(ValidationError):
        TypeAdapter(models.Code).validate_python("abc")
    assert models.Codes.model_validate({"re": "r"}).re_ == "r"
    for bad in ({"named": "abc"}, {"lookahead": "abcdef"}, {"lookbehind": "abx"}, {"javascript": "a1"}, {"javascript": "/abc/i"}, {"words": ["nope"]}):
        with pytest.raises(ValidationError) as caught:
            models.Codes.model_validate(bad)
        assert tag_errors(caught.value) == ["string_pattern_mismatch"], bad


def test_uncompilable_pattern_is_not_enforced(tmp_path: Path) -> None:
    schemas = {"Word": obj(text={"type": "string", "pattern": "/^\\p{L}+$/u"})}
    _, diagnostics = build(tmp_path, schemas)
    assert any("not enforced" in m for m in warnings_at(diagnostics, "/components/schemas/Word/properties/text/pattern"))
    assert generate(tmp_path, schemas).Word.model_validate({"text": "123"}).text == "123"


@pytest.mark.parametrize(
    ("version", "bounds"),
    [
        ("3.0.3", {"minimum": 0, "exclusiveMinimum": True, "maximum": 1, "exclusiveMaximum": True}),
        ("3.1.0", {"exclusiveMinimum": 0, "exclusiveMaximum": 1}),
    ],
)
def test_constraints_are_enforced(tmp_path: Path, version: str, bounds: dict[str, Any]) -> None:
    schemas = {
        "Limits": obj(
            name={"type": "string", "minLength": 2, "maxLength": 4},
            count={"type": "integer", "minimum": 1, "maximum": 10},
            ratio={"type": "number", **bounds},
            step={"type": "number", "multipleOf": 0.5},
            tags={"type": "array", "items": STRING, "minItems": 1, "maxItems": 2},
        )
    }
    models = generate(tmp_path, schemas, version=version)
    limits = models.Limits
    limits.model_validate({"name": "ab", "count": 1, "ratio": 0.5, "step": 1.5, "tags": ["a", "b"]})
    limits.model_validate({"name": "abcd", "count": 10, "ratio": 0.999, "step": -2, "tags": ["a"]})
    rejected = [
        ({"name": "a"}, "string_too_short"),
        ({"name": "abcde"}, "string_too_long"),
        ({"count": 0}, "greater_than_equal"),
        ({"count": 11}, "less_than_equal"),
        ({"ratio": 0}, "greater_than"),
        ({"ratio": 1}, "less_than"),
        ({"step": 0.3}, "multiple_of"),
        ({"tags": []}, "too_short"),
        ({"tags": ["a", "b", "c"]}, "too_long"),
    ]
    for payload, error_type in rejected:
        with pytest.raises(ValidationError) as caught:
            limits.model_validate(payload)
        assert tag_errors(caught.value) == [error_type], payload


def test_mutable_defaults_are_not_shared(tmp_path: Path) -> None:
    schemas = {
        "Settings": obj(
            tags={"type": "array", "items": STRING, "default": ["a"]},
            headers={"type": "object", "additionalProperties": STRING, "default": {"k": "v"}},
        )
    }
    models = generate(tmp_path, schemas)
    first, second = models.Settings(), models.Settings()
    first.tags.append("b")
    first.headers["other"] = "w"
    assert second.tags == ["a"] and second.headers == {"k": "v"}
    assert models.Settings().tags == ["a"]


def test_docstrings_and_field_descriptions(tmp_path: Path) -> None:
    schemas = {
        "Documented": {
            **obj(size={"type": "integer", "description": 'How big.\nIn "units" \\ with a """ quote.'}),
            "description": "A documented model.",
        },
        "Colour": {"type": "string", "enum": ["red", "green"], "description": "A colour."},
    }
    models = generate(tmp_path, schemas)
    assert models.Documented.__doc__.strip() == "A documented model."
    assert models.Documented.model_fields["size"].description == 'How big.\nIn "units" \\ with a """ quote.'
    assert models.Colour.__doc__.strip() == "A colour."


def test_enums_are_str_and_int_enum_subclasses(tmp_path: Path) -> None:
    schemas = {
        "Colour": {"type": "string", "enum": ["red", "dark-green", "2tone"]},
        "Level": {"type": "integer", "enum": [1, 2, -3]},
        "Paint": obj(colour=ref("Colour"), level=ref("Level")),
    }
    models = generate(tmp_path, schemas)
    assert issubclass(models.Colour, str) and issubclass(models.Colour, enum.Enum)
    assert issubclass(models.Level, int) and issubclass(models.Level, enum.Enum)
    assert [m.value for m in models.Colour] == ["red", "dark-green", "2tone"]
    assert [m.value for m in models.Level] == [1, 2, -3]
    paint = models.Paint.model_validate({"colour": "dark-green", "level": 2})
    assert paint.colour is models.Colour.DARK_GREEN and paint.colour == "dark-green"
    assert paint.model_dump(mode="json") == {"colour": "dark-green", "level": 2}
    with pytest.raises(ValidationError):
        models.Paint.model_validate({"colour": "blue"})


def test_kinds_locations_methods_and_severities_are_enums_read_as_their_words(tmp_path: Path) -> None:
    parameter = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
    paths = {"/things/{id}": {"get": {"parameters": [parameter], "responses": {}}}}
    api, diagnostics = build(tmp_path, {"Odd": {"type": "object", "enum": ["a", "b"]}}, paths=paths)
    (operation,) = api.operations
    (parameter,) = operation.parameters
    assert operation.method is ir.HttpMethod.GET and parameter.location is ir.ParameterLocation.PATH
    assert parameter.type == ir.Primitive(ir.PrimitiveKind.INT) and api.declarations["Odd"].value_type is ir.PrimitiveKind.STR
    (warning,) = diagnostics.warnings
    assert warning.severity is Severity.WARNING
    assert str(warning) == "spec.json#/components/schemas/Odd/type: warning: `type: object` with a string enum is read as a string enum"
    assert operation.unique_id == "get_/things/{id}" and operation.names.service_method == "get_things_by_id"


def test_the_model_is_freed_without_the_cyclic_collector() -> None:
    """Dropping the built model frees it at once (``generate`` drops it before the formatter runs):
    no reference cycle keeps the declarations, and the parsed document they came from, alive."""
    document = load_document(Path(__file__).parents[2] / "spec" / "vapi-phone-numbers-api-openapi.yml")
    collector_was_on = gc.isenabled()
    gc.disable()
    try:
        api = build_api(document, Diagnostics(document.name))
        assert any(isinstance(decl.type, ir.UnionType) for decl in api.declarations.values() if isinstance(decl, ir.AliasDecl))
        declarations = [weakref.ref(decl) for decl in api.declarations.values()]
        del api
        assert [ref for ref in declarations if ref() is not None] == []
    finally:
        if collector_was_on:
            gc.enable()
