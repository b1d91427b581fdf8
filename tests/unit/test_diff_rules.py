"""`vapi-codegen diff`, rule by rule: each case is a small pair of specs and the exact findings it must give."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from vapi_codegen.diffing.changes import schema_label
from vapi_codegen.diffing.compare import Report, compare_documents
from vapi_codegen.diffing.rules import RULES
from vapi_codegen.diagnostics import Diagnostics
from vapi_codegen.loading.document import load_document
from vapi_codegen.normalising.refs import Registry

from ..conftest import SPEC

Doc = dict[str, Any]


def obj(properties: dict[str, Any], required: tuple[str, ...] = (), **extra: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties, **extra}
    if required:
        schema["required"] = list(required)
    return schema


def text() -> dict[str, Any]:
    return {"type": "string"}


def base() -> Doc:
    """One operation, POST /things: body ThingIn, 200 response ThingOut, tagged unions A|B in the body
    and A|B|D in the response (distinct, so editing one never makes them one named union)."""
    union = {
        "oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}],
        "discriminator": {"propertyName": "kind", "mapping": {"a": "#/components/schemas/A", "b": "#/components/schemas/B"}},
    }
    response_union = copy.deepcopy(union)
    response_union["oneOf"].append({"$ref": "#/components/schemas/D"})
    response_union["discriminator"]["mapping"]["d"] = "#/components/schemas/D"
    return {
        "openapi": "3.0.3",
        "info": {"title": "Things", "version": "1"},
        "paths": {
            "/things": {
                "post": {
                    "operationId": "createThing",
                    "parameters": [{"name": "dryRun", "in": "query", "required": False, "schema": {"type": "boolean"}}],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ThingIn"}}}},
                    "responses": {
                        "200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ThingOut"}}}}
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "ThingIn": obj({"name": {"type": "string", "maxLength": 40}, "size": {"type": "integer", "minimum": 1}, "pet": union}, ("name",)),
                "ThingOut": obj({"id": text(), "name": {"type": "string", "maxLength": 40}, "pet": response_union}, ("id",)),
                "A": obj({"kind": {"type": "string", "enum": ["a"]}, "a": text()}, ("kind",)),
                "B": obj({"kind": {"type": "string", "enum": ["b"]}, "b": text()}, ("kind",)),
                "C": obj({"kind": {"type": "string", "enum": ["c"]}, "c": text()}, ("kind",)),
                "D": obj({"kind": {"type": "string", "enum": ["d"]}, "d": text()}, ("kind",)),
            }
        },
    }


def op(doc: Doc) -> Any:
    return doc["paths"]["/things"]["post"]


def schema(doc: Doc, name: str) -> Any:
    return doc["components"]["schemas"][name]


def prop(doc: Doc, name: str, field: str) -> Any:
    return schema(doc, name)["properties"][field]


def union(doc: Doc, name: str) -> Any:
    return prop(doc, name, "pet")


def add_variant_c(doc: Doc, name: str) -> None:
    union(doc, name)["oneOf"].append({"$ref": "#/components/schemas/C"})
    union(doc, name)["discriminator"]["mapping"]["c"] = "#/components/schemas/C"


def add_alias_tag(doc: Doc, name: str) -> None:
    union(doc, name)["discriminator"]["mapping"]["a2"] = "#/components/schemas/A"


def set_enum(values: list[str]) -> Callable[[Doc, str], None]:
    def edit(doc: Doc, name: str) -> None:
        schema(doc, name)["properties"]["color"] = {"type": "string", "enum": values}

    return edit


# (id, edit of the OLD doc, edit of the NEW doc, the exact findings as rule ids in report order)
Edit = Callable[[Doc], None]
CASES: list[tuple[str, Edit, Edit, list[str]]] = []


def case(name: str, old: Edit, new: Edit, expected: list[str]) -> None:
    CASES.append((name, old, new, expected))


def nothing(doc: Doc) -> None:
    pass


def both(*edits: Edit) -> Edit:
    def run(doc: Doc) -> None:
        for edit in edits:
            edit(doc)

    return run


def in_(name: str, edit: Callable[[Doc, str], None]) -> Edit:
    return lambda doc: edit(doc, name)


def add_get(doc: Doc) -> None:
    doc["paths"]["/things"]["get"] = {"operationId": "listThings", "responses": {"200": {"description": ""}}}


# operations and parameters
case("operation removed", add_get, nothing, ["operation-removed", "method-removed"])
case("operation added", nothing, add_get, ["operation-added", "method-added"])
case("operation deprecated", nothing, lambda d: op(d).update(deprecated=True), ["operation-deprecated"])
case("method renamed", nothing, lambda d: op(d).update(operationId="makeThing"), ["method-renamed"])
q_required = {"name": "q", "in": "query", "required": True, "schema": text()}
q_optional = {"name": "q", "in": "query", "schema": text()}
case("required parameter added", nothing, lambda d: op(d)["parameters"].append(q_required), ["required-parameter-added", "method-required-argument-added"])
case("optional parameter added", nothing, lambda d: op(d)["parameters"].append(q_optional), ["optional-parameter-added", "method-optional-argument-added"])
case("parameter removed", lambda d: op(d)["parameters"].append(q_optional), nothing, ["parameter-removed", "method-argument-removed"])
case("parameter became required", lambda d: op(d)["parameters"].append(q_optional), lambda d: op(d)["parameters"].append(q_required), ["parameter-became-required"])
case("parameter became optional", lambda d: op(d)["parameters"].append(q_required), lambda d: op(d)["parameters"].append(q_optional), ["parameter-became-optional"])
case(
    "argument renamed by a collision rule",
    lambda d: op(d)["parameters"].append({"name": "page_size", "in": "query", "schema": text()}),
    lambda d: op(d)["parameters"].extend(
        [{"name": "page-size", "in": "header", "schema": text()}, {"name": "page_size", "in": "query", "schema": text()}]
    ),
    ["optional-parameter-added", "method-argument-renamed", "method-optional-argument-added"],
)
# bodies and responses
case("required body added", lambda d: op(d).pop("requestBody"), nothing, ["required-request-body-added"])
case("optional body added", lambda d: op(d).pop("requestBody"), lambda d: op(d)["requestBody"].update(required=False), ["optional-request-body-added"])
case("body removed", nothing, lambda d: op(d).pop("requestBody"), ["request-body-removed"])
case("body became required", lambda d: op(d)["requestBody"].update(required=False), nothing, ["request-body-became-required"])
case("body became optional", nothing, lambda d: op(d)["requestBody"].update(required=False), ["request-body-became-optional"])
case("success response moved", nothing, lambda d: op(d)["responses"].update({"201": op(d)["responses"].pop("200")}), ["success-response-removed", "response-added"])
case("error response removed", lambda d: op(d)["responses"].update({"404": {"description": "gone"}}), nothing, ["error-response-removed"])
# properties
closed: Edit = lambda d: schema(d, "ThingIn").update(additionalProperties=False)
case(
    "request property removed, extras forbidden",
    closed,
    both(closed, lambda d: schema(d, "ThingIn")["properties"].pop("size")),
    ["request-property-removed-closed", "attribute-removed"],
)
case("request property removed", nothing, lambda d: schema(d, "ThingIn")["properties"].pop("size"), ["request-property-removed", "attribute-removed"])
case("response property removed", nothing, lambda d: schema(d, "ThingOut")["properties"].pop("name"), ["response-property-removed", "attribute-removed"])
case("required request property added", nothing, lambda d: schema(d, "ThingIn").update(obj({**schema(d, "ThingIn")["properties"], "owner": text()}, ("name", "owner"))), ["request-required-property-added", "attribute-added"])
case("optional request property added", nothing, lambda d: schema(d, "ThingIn")["properties"].update(owner=text()), ["request-optional-property-added", "attribute-added"])
case("response property added", nothing, lambda d: schema(d, "ThingOut")["properties"].update(owner=text()), ["response-property-added", "attribute-added"])
case("request property became required", nothing, lambda d: schema(d, "ThingIn")["required"].append("size"), ["request-property-became-required"])
case("request property became optional", nothing, lambda d: schema(d, "ThingIn").pop("required"), ["request-property-became-optional"])
case("response property became optional", nothing, lambda d: schema(d, "ThingOut").pop("required"), ["response-property-became-optional"])
case("response property became required", nothing, lambda d: schema(d, "ThingOut")["required"].append("name"), ["response-property-became-required"])
case("request nullable removed", lambda d: prop(d, "ThingIn", "size").update(nullable=True), nothing, ["request-nullable-removed"])
case("request nullable added", nothing, lambda d: prop(d, "ThingIn", "size").update(nullable=True), ["request-nullable-added"])
case("response nullable added", nothing, lambda d: prop(d, "ThingOut", "name").update(nullable=True), ["response-nullable-added"])
case("response nullable removed", lambda d: prop(d, "ThingOut", "name").update(nullable=True), nothing, ["response-nullable-removed"])
# nullability is read as the generator reads it, whatever the spelling
case(
    "request nullable added beside a $ref",
    lambda d: schema(d, "ThingIn")["properties"].update(owner={"$ref": "#/components/schemas/A"}),
    lambda d: schema(d, "ThingIn")["properties"].update(owner={"$ref": "#/components/schemas/A", "nullable": True}),
    ["request-nullable-added"],
)
case(
    "response nullable added as a null enum value",
    lambda d: prop(d, "ThingOut", "name").update(enum=["x", "y"]),
    lambda d: prop(d, "ThingOut", "name").update(enum=["x", "y", None]),
    ["response-nullable-added"],
)
case("response nullable added as a null union member", nothing, lambda d: union(d, "ThingOut")["oneOf"].append({"enum": [None]}), ["response-nullable-added"])
case("request extras forbidden", nothing, lambda d: schema(d, "ThingIn").update(additionalProperties=False), ["request-extra-properties-forbidden"])
case("response extras forbidden", nothing, lambda d: schema(d, "ThingOut").update(additionalProperties=False), ["response-extra-properties-forbidden"])
case("extras allowed", lambda d: schema(d, "ThingOut").update(additionalProperties=False), nothing, ["extra-properties-allowed"])
# types and values
case("type changed", nothing, lambda d: prop(d, "ThingOut", "id").update(type="integer"), ["type-changed"])
case("format changed", nothing, lambda d: prop(d, "ThingOut", "id").update(format="uuid"), ["format-changed"])
case("request enum value removed", in_("ThingIn", set_enum(["red", "green", "blue"])), in_("ThingIn", set_enum(["red", "green"])), ["request-enum-value-removed", "enum-member-removed"])
case("request enum value added", in_("ThingIn", set_enum(["red", "green"])), in_("ThingIn", set_enum(["red", "green", "blue"])), ["request-enum-value-added", "enum-member-added"])
case("response enum value added", in_("ThingOut", set_enum(["red", "green"])), in_("ThingOut", set_enum(["red", "green", "blue"])), ["response-enum-value-added", "enum-member-added"])
case("response enum value removed", in_("ThingOut", set_enum(["red", "green", "blue"])), in_("ThingOut", set_enum(["red", "green"])), ["response-enum-value-removed", "enum-member-removed"])
case(
    "enum member renamed by a collision rule",
    in_("ThingIn", set_enum(["a_b", "c"])),
    in_("ThingIn", set_enum(["a-b", "a_b", "c"])),
    ["request-enum-value-added", "enum-member-renamed", "enum-member-added"],
)
case(
    "request constraints tightened",
    nothing,
    both(lambda d: prop(d, "ThingIn", "name").update(maxLength=20), lambda d: prop(d, "ThingIn", "size").update(minimum=5)),
    ["request-constraint-tightened", "request-constraint-tightened"],
)
case("request constraint loosened", nothing, lambda d: prop(d, "ThingIn", "name").pop("maxLength"), ["request-constraint-loosened"])
case("response constraint loosened", nothing, lambda d: prop(d, "ThingOut", "name").update(maxLength=80), ["response-constraint-loosened"])
case("response constraint tightened", nothing, lambda d: prop(d, "ThingOut", "name").update(maxLength=20), ["response-constraint-tightened"])
case("request pattern changed", nothing, lambda d: prop(d, "ThingIn", "name").update(pattern="^[a-z]+$"), ["request-pattern-changed"])
case("response pattern changed", nothing, lambda d: prop(d, "ThingOut", "name").update(pattern="^[a-z]+$"), ["response-pattern-changed"])
case("request default changed", lambda d: prop(d, "ThingIn", "size").update(default=1), lambda d: prop(d, "ThingIn", "size").update(default=2), ["request-default-changed"])
case("response default changed", nothing, lambda d: prop(d, "ThingOut", "name").update(default="x"), ["response-default-changed"])
# unions
case("request variant removed", in_("ThingIn", add_variant_c), nothing, ["request-union-variant-removed"])
case("request variant added", nothing, in_("ThingIn", add_variant_c), ["request-union-variant-added"])
case("response variant added", nothing, in_("ThingOut", add_variant_c), ["response-union-variant-added"])
case("response variant removed", in_("ThingOut", add_variant_c), nothing, ["response-union-variant-removed"])
case(
    "discriminator property changed",
    nothing,
    both(*(in_(side, lambda d, side: union(d, side)["discriminator"].update(propertyName="type")) for side in ("ThingIn", "ThingOut"))),
    # the generator gives each variant the new tag property (and the response union's fallback model)
    ["discriminator-property-changed", "discriminator-property-changed", "attribute-added", "attribute-added", "attribute-added", "attribute-added"],
)
case(
    "discriminator mapping changed",
    in_("ThingIn", add_alias_tag),
    lambda d: union(d, "ThingIn")["discriminator"]["mapping"].update(a2="#/components/schemas/B"),
    ["discriminator-mapping-changed"],
)
case("request discriminator value removed", in_("ThingIn", add_alias_tag), nothing, ["request-discriminator-value-removed"])
case("request discriminator value added", nothing, in_("ThingIn", add_alias_tag), ["request-discriminator-value-added"])
case("response discriminator value added", nothing, in_("ThingOut", add_alias_tag), ["response-discriminator-value-added"])
case("response discriminator value removed", in_("ThingOut", add_alias_tag), nothing, ["response-discriminator-value-removed"])
# the generated package only
case("class removed", lambda d: d["components"]["schemas"].update(Spare=obj({"x": text()})), nothing, ["class-removed"])
case("class added", nothing, lambda d: d["components"]["schemas"].update(Spare=obj({"x": text()})), ["class-added"])
case(
    "class renamed by a collision rule",
    lambda d: d["components"]["schemas"].update({"my-thing": obj({"x": text()})}),
    lambda d: d["components"]["schemas"].update({"my-thing": obj({"x": text()}), "MyThing": obj({"y": text()})}),
    ["class-renamed", "class-added"],
)
case(
    "class kind changed",
    lambda d: d["components"]["schemas"].update(Mode={"type": "string", "enum": ["on", "off"]}),
    lambda d: d["components"]["schemas"].update(Mode=obj({"on": {"type": "boolean"}})),
    ["class-kind-changed"],
)
case(
    "attribute renamed by a collision rule",
    lambda d: schema(d, "ThingIn")["properties"].update({"a-b": text()}),
    lambda d: schema(d, "ThingIn")["properties"].update({"a-b": text(), "a_b": text()}),
    ["request-optional-property-added", "attribute-renamed", "attribute-added"],
)


def write(tmp_path: Path, name: str, doc: Doc) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def report_for(tmp_path: Path, old: Doc, new: Doc) -> Report:
    return compare_documents(load_document(write(tmp_path, "old.json", old)), load_document(write(tmp_path, "new.json", new)))


@pytest.mark.parametrize(("name", "old_edit", "new_edit", "expected"), CASES, ids=[c[0] for c in CASES])
def test_rule(tmp_path: Path, name: str, old_edit: Edit, new_edit: Edit, expected: list[str]) -> None:
    old, new = base(), base()
    old_edit(old)
    new_edit(new)
    findings = report_for(tmp_path, old, new).findings
    assert [finding.rule.id for finding in findings] == expected
    assert all(finding.message for finding in findings)  # a template naming a missing detail raises KeyError


def test_every_rule_has_a_case() -> None:
    exercised = {rule_id for *_, expected in CASES for rule_id in expected}
    assert exercised == {rule.id for rule in RULES}


def test_rule_ids_are_unique_and_stable_looking() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    assert all(rule_id == rule_id.lower() and " " not in rule_id for rule_id in ids)


def test_pointers_name_both_documents(tmp_path: Path) -> None:
    old, new = base(), base()
    new["components"]["schemas"]["ThingOut"]["properties"].pop("name")
    new["components"]["schemas"]["ThingIn"]["properties"]["name"]["maxLength"] = 20
    findings = report_for(tmp_path, old, new).findings
    located = [(f.rule.id, f.change.old_pointer, f.change.new_pointer, f.operations) for f in findings]
    assert located == [
        (
            "request-constraint-tightened",
            "/components/schemas/ThingIn/properties/name/maxLength",
            "/components/schemas/ThingIn/properties/name/maxLength",
            ["POST /things"],
        ),
        ("response-property-removed", "/components/schemas/ThingOut/properties/name", "/components/schemas/ThingOut", ["POST /things"]),
        ("attribute-removed", "/components/schemas/ThingOut/properties/name", "/components/schemas/ThingOut", []),
    ]
    assert findings[0].message == "request maxLength of ThingIn.name tightened from 40 to 20"


def test_response_additions_say_the_generated_client_tolerates_them(tmp_path: Path) -> None:
    old, new = base(), base()
    add_variant_c(new, "ThingOut")
    [finding] = report_for(tmp_path, old, new).findings
    assert finding.rule.severity == "breaking"
    assert "breaks clients that reject unknown values" in finding.message
    assert "the generated client tolerates it" in finding.message


def test_schema_labels_name_what_users_see() -> None:
    registry = Registry(base(), Diagnostics("t"))
    body = "/paths/~1things/post/requestBody/content/application~1json/schema"
    assert schema_label(registry, body + "/properties/pet/oneOf/1") == "POST /things body.pet|1"
    assert schema_label(registry, "/paths/~1things/post/responses/200/content/application~1json/schema/items") == "POST /things 200 response[]"
    assert schema_label(registry, "/paths/~1things/post/parameters/0/schema") == "POST /things parameter dryRun"
    assert schema_label(registry, "/components/schemas/A~1B/properties/x/additionalProperties") == "A/B.x{}"
    assert schema_label(registry, "/$defs/X") == "#/$defs/X"


def test_ref_and_inline_and_allof_wrapper_are_the_same_schema(tmp_path: Path) -> None:
    old, new = base(), base()
    # inline the request schema and wrap the response's in a description-only allOf
    op(new)["requestBody"]["content"]["application/json"]["schema"] = copy.deepcopy(schema(new, "ThingIn"))
    reply = op(new)["responses"]["200"]["content"]["application/json"]
    reply["schema"] = {"description": "the thing", "allOf": [{"$ref": "#/components/schemas/ThingOut"}]}
    wire = [f.rule.id for f in report_for(tmp_path, old, new).findings if f.rule.section == "api"]
    assert wire == []


def _shuffled(node: Any, rng: random.Random, key: str = "") -> Any:
    """The same document with every mapping's keys, and every list whose order means nothing, shuffled."""
    if isinstance(node, dict):
        items = list(node.items())
        rng.shuffle(items)
        return {k: _shuffled(value, rng, k) for k, value in items}
    if isinstance(node, list):
        items = [_shuffled(value, rng) for value in node]
        if key in ("required", "parameters"):
            rng.shuffle(items)
        return items
    return node


def test_reordered_identical_spec_reports_nothing(tmp_path: Path) -> None:
    original = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    reordered = _shuffled(original, random.Random(8))
    assert list(reordered["components"]["schemas"]) != list(original["components"]["schemas"])
    old, new = write(tmp_path, "spec.json", original), tmp_path / "reordered.yml"
    new.write_text(yaml.safe_dump(reordered, sort_keys=False), encoding="utf-8")
    report = compare_documents(load_document(old), load_document(new))
    assert report.findings == []
