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
from vapi_codegen.diffing.policy import with_table
from vapi_codegen.diffing.rules import RULES
from vapi_codegen.diffing.semver import next_version
from vapi_codegen.diffing.unchanged import Unchanged
from vapi_codegen.diagnostics import Diagnostics
from vapi_codegen.loading.document import load_document
from vapi_codegen.normalising.refs import Registry

from ..conftest import ROOT, SPEC

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
case("success response added beside one", nothing, lambda d: op(d)["responses"].update({"201": op(d)["responses"]["200"]}), ["success-response-added"])
case("error response added", nothing, lambda d: op(d)["responses"].update({"404": {"description": "gone"}}), ["response-added"])
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
case(
    "response property removed",
    nothing,
    both(lambda d: schema(d, "ThingOut")["properties"].pop("id"), lambda d: schema(d, "ThingOut").pop("required")),
    ["response-property-removed", "attribute-removed"],
)
case("optional response property removed", nothing, lambda d: schema(d, "ThingOut")["properties"].pop("name"), ["response-optional-property-removed", "attribute-removed"])
case(
    "required request property removed",
    nothing,
    both(lambda d: schema(d, "ThingIn")["properties"].pop("name"), lambda d: schema(d, "ThingIn").pop("required")),
    ["request-required-property-removed", "attribute-removed"],
)
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
case(
    "request constant changed",
    lambda d: prop(d, "ThingIn", "name").update(enum=["x"]),
    lambda d: prop(d, "ThingIn", "name").update(enum=["y"]),
    ["request-constant-changed"],
)
case("response constant changed", lambda d: prop(d, "ThingOut", "id").update(const="x"), lambda d: prop(d, "ThingOut", "id").update(const="y"), ["response-constant-changed"])
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
# path templates, security, media types and headers
def get_by_id(variable: str) -> Edit:
    parameter = {"name": variable, "in": "path", "required": True, "schema": text()}
    return lambda d: d["paths"].update({f"/things/{{{variable}}}": {"get": {"operationId": "getThing", "parameters": [parameter], "responses": {"200": {"description": ""}}}}})


case("path variable renamed", get_by_id("id"), get_by_id("thingId"), ["path-parameter-renamed", "method-argument-renamed"])
case(
    "path parameter became a comma-separated list",
    get_by_id("id"),
    both(get_by_id("id"), lambda d: d["paths"]["/things/{id}"]["get"]["parameters"][0].update(schema={"type": "array", "items": text()})),
    ["parameter-became-list"],
)
key_auth = {"components": {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}}}
secured: Edit = lambda d: d["components"].update(securitySchemes=key_auth["components"]["securitySchemes"])
case("security tightened", secured, both(secured, lambda d: op(d).update(security=[{"key": []}])), ["security-tightened"])
case("security loosened", both(secured, lambda d: d.update(security=[{"key": []}])), both(secured, lambda d: op(d).update(security=[{"key": []}, {}])), ["security-loosened"])
as_xml: Edit = lambda d: op(d)["requestBody"]["content"].update({"application/xml": op(d)["requestBody"]["content"]["application/json"]})
case("request media type removed", as_xml, lambda d: as_xml(d) or op(d)["requestBody"]["content"].pop("application/json"), ["request-media-type-removed"])
case("request media type added", nothing, as_xml, ["request-media-type-added"])
reply_xml: Edit = lambda d: op(d)["responses"]["200"]["content"].update({"application/xml": {"schema": text()}})
case("response media type removed", reply_xml, nothing, ["response-media-type-removed"])
case("response media type added", nothing, reply_xml, ["response-media-type-added"])
case(
    "schema of a second media type compared",
    lambda d: op(d)["requestBody"]["content"].update({"multipart/form-data": {"schema": obj({"file": text(), "note": text()})}}),
    lambda d: op(d)["requestBody"]["content"].update({"multipart/form-data": {"schema": obj({"file": text(), "note": text()}, ("note",))}}),
    ["request-property-became-required"],
)


def header(name: str, required: bool) -> Edit:
    return lambda d: op(d)["responses"]["200"].setdefault("headers", {}).update({name: {"required": required, "schema": text()}})


case("required response header removed", header("X-Rate", True), nothing, ["response-required-header-removed"])
case("optional response header removed", header("X-Rate", False), nothing, ["response-optional-header-removed"])
case("response header added", nothing, header("X-Rate", False), ["response-header-added"])
case("response header became optional", header("X-Rate", True), header("x-rate", False), ["response-header-became-optional"])
case("response header became required", header("X-Rate", False), header("X-Rate", True), ["response-header-became-required"])
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
    new["components"]["schemas"]["ThingOut"]["properties"].pop("id")
    new["components"]["schemas"]["ThingOut"].pop("required")
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
        ("response-property-removed", "/components/schemas/ThingOut/properties/id", "/components/schemas/ThingOut", ["POST /things"]),
        ("attribute-removed", "/components/schemas/ThingOut/properties/id", "/components/schemas/ThingOut", []),
    ]
    assert findings[0].message == "request maxLength of ThingIn.name tightened from 40 to 20"


def test_response_additions_say_the_generated_client_tolerates_them(tmp_path: Path) -> None:
    old, new = base(), base()
    add_variant_c(new, "ThingOut")
    [finding] = report_for(tmp_path, old, new).findings
    assert finding.rule.severity == "soft"
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


# --- precision: each spelling below says the same thing, or says exactly the one change listed -----

Rewrite = tuple[str, Edit, Edit, list[str]]  # (id, old edit, new edit, the exact wire findings)


def owner(schema_node: Any, name: str = "ThingIn") -> Edit:
    return lambda d: schema(d, name)["properties"].update(owner=schema_node)


def variants(name: str, members: list[Any]) -> Edit:
    return lambda d: schema(d, name)["properties"].update(input={"oneOf": members})


def rename_component(old_name: str, new_name: str) -> Edit:
    def edit(d: Doc) -> None:
        text_of = json.dumps(d).replace(f'"#/components/schemas/{old_name}"', f'"#/components/schemas/{new_name}"')
        d.clear()
        d.update(json.loads(text_of))
        d["components"]["schemas"][new_name] = d["components"]["schemas"].pop(old_name)

    return edit


def inline_a(d: Doc) -> None:
    for side in ("ThingIn", "ThingOut"):
        union(d, side)["oneOf"][0] = copy.deepcopy(schema(d, "A"))


def kinds(values: list[int], used_as: int) -> Edit:
    def edit(d: Doc) -> None:
        d["components"]["schemas"]["Kind"] = {"type": "integer", "oneOf": [{"title": f"K{v}", "const": v} for v in values]}
        for side in ("ThingIn", "ThingOut"):
            schema(d, side)["properties"]["kind"] = {"allOf": [{"$ref": "#/components/schemas/Kind"}], "enum": [used_as]}

    return edit


ARRAYS = [{"type": "string"}, {"type": "array", "items": {"type": "string"}}, {"type": "array", "items": {"type": "integer"}}]
TITLED = [{**member, "title": "array" if member["type"] == "array" else "string"} for member in ARRAYS]
TITLED[1] = {**TITLED[1], "maxItems": 2048}
NULL_THEN_A = {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/A"}]}

REWRITES: list[Rewrite] = [
    ("request string made nullable: anyOf", owner(text()), owner({"anyOf": [text(), {"type": "null"}]}), ["request-nullable-added"]),
    ("request string made nullable: nullable", owner(text()), owner({**text(), "nullable": True}), ["request-nullable-added"]),
    ("request string made nullable: type list", owner(text()), owner({"type": ["string", "null"]}), ["request-nullable-added"]),
    ("response oneOf [null, $ref] unwrapped", owner(NULL_THEN_A, "ThingOut"), owner({"$ref": "#/components/schemas/A"}, "ThingOut"), ["response-nullable-removed"]),
    ("response oneOf [$ref] unwrapped", owner({"oneOf": [{"$ref": "#/components/schemas/A"}]}, "ThingOut"), owner({"$ref": "#/components/schemas/A"}, "ThingOut"), []),
    ("union variant component renamed", nothing, rename_component("A", "Alpha"), []),
    ("union variant $ref inlined", nothing, inline_a, []),
    ("union variants gain titles and a bound", variants("ThingIn", ARRAYS), variants("ThingIn", TITLED), ["request-constraint-tightened"]),
    ("sibling enum limits an allOf part's constants", kinds([1, 2, 3], 3), kinds([1, 3, 6], 3), []),
    ("the limited constant is gone", kinds([1, 2, 3], 2), kinds([1, 3, 6], 2), ["request-enum-value-removed", "response-enum-value-removed"]),
    (
        "a name required without a property in a closed schema",
        lambda d: schema(d, "ThingIn").update(additionalProperties=False),
        lambda d: schema(d, "ThingIn").update(additionalProperties=False, required=["name", "ghost"]),
        ["request-property-became-required"],
    ),
    (
        "a response schema becomes a union of itself and another",
        nothing,
        lambda d: op(d)["responses"]["200"]["content"]["application/json"].update(
            schema={"oneOf": [{"$ref": "#/components/schemas/ThingOut"}, {"$ref": "#/components/schemas/C"}]}
        ),
        ["response-union-variant-added"],
    ),
    ("response object type dropped", owner({"type": "object"}, "ThingOut"), owner({}, "ThingOut"), ["response-constraint-loosened"]),
    ("request object type added", owner({}), owner({"type": "object"}), ["request-constraint-tightened"]),
    ("response property made writeOnly", nothing, lambda d: prop(d, "ThingOut", "id").update(writeOnly=True), ["response-property-removed"]),
    ("request property made readOnly", nothing, lambda d: prop(d, "ThingIn", "size").update(readOnly=True), ["request-property-removed"]),
    (
        "required request property made readOnly",
        nothing,
        lambda d: prop(d, "ThingIn", "name").update(readOnly=True),
        ["request-required-property-removed"],
    ),
    ("response property definition dropped, still required", nothing, lambda d: schema(d, "ThingOut")["properties"].pop("id"), ["response-constraint-loosened"]),
]


@pytest.mark.parametrize(("name", "old_edit", "new_edit", "expected"), REWRITES, ids=[r[0] for r in REWRITES])
def test_wire_findings_of_a_rewrite(tmp_path: Path, name: str, old_edit: Edit, new_edit: Edit, expected: list[str]) -> None:
    old, new = base(), base()
    old_edit(old)
    new_edit(new)
    wire = [finding.rule.id for finding in report_for(tmp_path, old, new).findings if finding.rule.section == "api"]
    assert wire == expected


def test_anonymous_classes_are_paired_by_content_not_position(tmp_path: Path) -> None:
    """A variant inserted first in an inline anyOf: the other variants' classes keep their content under new names."""
    a, b, x = (obj({field: {"type": kind}}) for field, kind in (("a", "string"), ("b", "integer"), ("x", "boolean")))
    old, new = base(), base()
    schema(old, "ThingOut")["properties"]["value"] = {"anyOf": [a, b]}
    schema(new, "ThingOut")["properties"]["value"] = {"anyOf": [x, a, b]}
    package = [(f.rule.id, f.message) for f in report_for(tmp_path, old, new).findings if f.rule.section == "package"]
    assert package == [
        ("class-renamed", "class ThingOutValueVariant1 renamed to ThingOutValueVariant2 (same schema, new name from the naming rules)"),
        ("class-renamed", "class ThingOutValueVariant2 renamed to ThingOutValueVariant3 (same schema, new name from the naming rules)"),
        ("class-added", "class ThingOutValueVariant1 added"),
    ]


def test_a_parameter_inserted_before_an_inline_enum_keeps_its_class(tmp_path: Path) -> None:
    """Inline parameter schemas sit at list positions: the class of the one that moved keeps its name, none is renamed."""
    status = {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["open", "closed"]}}
    tax = {"name": "tax", "in": "query", "schema": {"type": "object", "properties": {"enabled": {"type": "boolean"}}}}
    old, new = base(), base()
    op(old)["parameters"] = [status]
    op(new)["parameters"] = [tax, copy.deepcopy(status)]
    findings = [f.rule.id for f in report_for(tmp_path, old, new).findings]
    assert findings == ["optional-parameter-added", "class-added", "method-optional-argument-added"]


def test_untouched_schemas_are_found_through_reference_cycles() -> None:
    """A and B refer to each other; C refers to A. Changing B changes A and C too; D stays untouched."""
    def doc(b_type: str) -> Doc:
        return {
            "components": {
                "schemas": {
                    "A": obj({"b": {"$ref": "#/components/schemas/B"}}),
                    "B": obj({"a": {"$ref": "#/components/schemas/A"}, "v": {"type": b_type}}),
                    "C": {"$ref": "#/components/schemas/A"},
                    "D": obj({"x": text()}),
                }
            }
        }

    old, new = Registry(doc("string"), Diagnostics("old")), Registry(doc("integer"), Diagnostics("new"))
    unchanged = Unchanged(old, new)
    ref = {"$ref": "#/components/schemas/C"}
    assert not unchanged.schemas(ref, ref)
    assert unchanged.schemas({"$ref": "#/components/schemas/D"}, {"$ref": "#/components/schemas/D"})
    assert not unchanged.schemas({"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/A"})
    assert not unchanged.schemas(text(), {"type": "integer"})
    same = Unchanged(old, Registry(doc("string"), Diagnostics("same")))
    assert same.schemas(ref, ref)


@pytest.mark.parametrize(
    ("previous", "level", "expected"),
    [("1.2.3", "major", "2.0.0"), ("1.2.3", "minor", "1.3.0"), ("1.2.3", "patch", "1.2.4"), ("1.2.3", "none", "1.2.3"), ("2", "minor", "2.1.0"), ("beta", "patch", "0.0.1")],
)
def test_next_version(previous: str, level: str, expected: str) -> None:
    assert next_version(previous, level) == expected


def test_readme_policy_table_is_the_rules_table() -> None:
    """Regenerate with ``python -m vapi_codegen.diffing.policy README.md``."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert with_table(readme) == readme
    assert all(rule.why for rule in RULES)
