"""The normaliser: the one reading of a spec that the model builder and the differ share.

Each rule is checked on the normaliser itself and, where the generator reads the same fact, on the
intermediate model too: the two must agree, since the differ reports what the normaliser reads.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from vapi_codegen.diagnostics import Diagnostics
from vapi_codegen.loading.document import load_document
from vapi_codegen.model import ir
from vapi_codegen.model.build import build_api
from vapi_codegen.normalising.normaliser import Normaliser
from vapi_codegen.normalising.nullability import has_nullable_keyword, read_nullability
from vapi_codegen.normalising.refs import Registry

Doc = dict[str, Any]


def document(schemas: Doc, paths: Doc | None = None, version: str = "3.0.3") -> Doc:
    return {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": paths or {}, "components": {"schemas": schemas}}


def read(tmp_path: Path, doc: Doc) -> tuple[Normaliser, ir.Api, Diagnostics]:
    """The document's normaliser and the model built from that same normaliser."""
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    loaded = load_document(path)
    diagnostics = Diagnostics(loaded.name)
    normaliser = Normaliser.for_document(loaded, diagnostics)
    return normaliser, build_api(loaded, diagnostics, normaliser), diagnostics


def ref(name: str) -> Doc:
    return {"$ref": f"#/components/schemas/{name}"}


def model(api: ir.Api, name: str) -> ir.ModelDecl:
    declaration = api.declarations[name]
    assert isinstance(declaration, ir.ModelDecl)
    return declaration


def field_type(api: ir.Api, name: str, json_name: str) -> ir.TypeRef:
    found = model(api, name).field_by_json(json_name)
    assert found is not None
    return found.type


# --- allOf ---------------------------------------------------------------------------------------

ALL_OF = {
    "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "x": {"type": "string", "maxLength": 5}}},
    "Later": {"type": "object", "required": ["x"], "properties": {"x": {"type": "integer"}, "y": {"type": "boolean"}}},
    "Item": {
        "allOf": [ref("Base"), ref("Later"), {"properties": {"y": {"type": "number"}, "z": {"type": "string"}}, "maxProperties": 9}],
        "properties": {"z": {"type": "boolean"}},
        "required": ["z"],
        "maxProperties": 3,
    },
}


def test_all_of_later_part_wins_own_wins_last_required_is_the_union(tmp_path: Path) -> None:
    normaliser, api, _ = read(tmp_path, document(ALL_OF))
    view = normaliser.view(ref("Item"), "/x")
    winners = {name: (located.pointer, located.node["type"]) for name, located in view.properties.items()}
    assert winners == {
        "id": ("/components/schemas/Base/properties/id", "string"),
        "x": ("/components/schemas/Later/properties/x", "integer"),  # the later part, not the first
        "y": ("/components/schemas/Item/allOf/2/properties/y", "number"),
        "z": ("/components/schemas/Item/properties/z", "boolean"),  # the schema's own property, over every part
    }
    assert view.required == {"id", "x", "z"}
    assert (view.bounds["maxProperties"], view.at("maxProperties")) == (3, "/components/schemas/Item/maxProperties")
    # the generator builds its model from the same merge
    assert [(f.json_name, f.type, f.required) for f in model(api, "Item").fields] == [
        ("id", ir.Primitive("str"), True),
        ("x", ir.Primitive("int"), True),
        ("y", ir.Primitive("float"), False),
        ("z", ir.Primitive("bool"), True),
    ]


def test_all_of_keywords_follow_the_same_precedence(tmp_path: Path) -> None:
    schemas = {"Name": {"allOf": [{"type": "string", "maxLength": 10, "format": "email"}, {"maxLength": 20}]}}
    normaliser, _, _ = read(tmp_path, document(schemas))
    view = normaliser.view(ref("Name"), "/x")
    assert (view.types, view.format, view.bounds) == (frozenset({"string"}), "email", {"maxLength": 20})
    assert view.at("maxLength") == "/components/schemas/Name/allOf/1/maxLength"


def test_all_of_cycle_is_merged_once(tmp_path: Path) -> None:
    schemas = {
        "A": {"allOf": [ref("B")], "properties": {"a": {"type": "string"}}},
        "B": {"allOf": [ref("A")], "properties": {"b": {"type": "string"}}},
    }
    normaliser, api, diagnostics = read(tmp_path, document(schemas))
    assert set(normaliser.view(ref("A"), "/x").properties) == {"a", "b"}
    assert [f.json_name for f in model(api, "A").fields] == ["b", "a"]
    assert diagnostics.errors == []


# --- parameters ----------------------------------------------------------------------------------


def parameter(name: str, location: str, schema_type: str = "string", **extra: Any) -> Doc:
    return {"name": name, "in": location, "schema": {"type": schema_type}, **extra}


def test_path_level_parameters_are_merged_and_the_operation_overrides(tmp_path: Path) -> None:
    paths = {
        "/items/{id}": {
            "parameters": [parameter("id", "path"), parameter("limit", "query"), parameter("trace", "header")],
            "get": {
                "operationId": "getItem",
                "parameters": [
                    parameter("limit", "query", "integer", required=True),  # overrides the path item's limit
                    parameter("limit", "header"),  # another location: another parameter
                    {"$ref": "#/components/parameters/Page"},
                    parameter("limit", "query", "boolean"),  # declared twice here: the first one counts
                    parameter("body", "body"),  # not an OpenAPI 3 location
                ],
                "responses": {"204": {"description": "done"}},
            },
        }
    }
    doc = document({}, paths)
    doc["components"]["parameters"] = {"Page": parameter("page", "query", "integer")}
    normaliser, api, diagnostics = read(tmp_path, doc)
    [operation] = normaliser.operations()
    read_back = [(p.name, p.location, p.schema["type"], p.required, p.pointer) for p in operation.parameters]
    assert read_back == [
        ("id", "path", "string", True, "/paths/~1items~1{id}/parameters/0"),
        ("limit", "query", "integer", True, "/paths/~1items~1{id}/get/parameters/0"),  # the path item's place, the operation's declaration
        ("trace", "header", "string", False, "/paths/~1items~1{id}/parameters/2"),
        ("limit", "header", "string", False, "/paths/~1items~1{id}/get/parameters/1"),
        ("page", "query", "integer", False, "/components/parameters/Page"),
    ]
    assert [str(w) for w in diagnostics.warnings] == [
        "spec.json#/paths/~1items~1{id}/get/parameters/3: warning: parameter 'limit' in query is declared twice; the first declaration is used",
        "spec.json#/paths/~1items~1{id}/get/parameters/4/in: warning: unknown parameter location 'body'; parameter ignored",
    ]
    # the client method has exactly these arguments, typed from the winning declarations
    [method] = api.operations
    assert [(p.json_name, p.location, p.type, p.required) for p in method.parameters] == [
        ("id", "path", ir.Primitive("str"), True),
        ("limit", "query", ir.Primitive("int"), True),
        ("trace", "header", ir.Primitive("str"), False),
        ("limit", "header", ir.Primitive("str"), False),
        ("page", "query", ir.Primitive("int"), False),
    ]


def test_media_type_is_the_json_one_for_bodies_responses_and_parameters(tmp_path: Path) -> None:
    content = {"text/plain": {"schema": {"type": "string"}}, "application/problem+json": {"schema": {"type": "integer"}}}
    paths = {
        "/x": {
            "post": {
                "operationId": "send",
                "parameters": [{"name": "filter", "in": "query", "content": content}],
                "requestBody": {"content": content},
                "responses": {"200": {"description": "", "content": content}},
            }
        }
    }
    normaliser, api, _ = read(tmp_path, document({}, paths))
    [operation] = normaliser.operations()
    assert operation.body is not None and operation.body.content is not None
    assert (operation.body.content.media_type, operation.body.content.schema) == ("application/problem+json", {"type": "integer"})
    assert operation.parameters[0].schema == {"type": "integer"}
    assert operation.parameters[0].schema_pointer("/p") == "/p/content/application~1problem+json/schema"
    [method] = api.operations
    assert method.body is not None and method.body.content_type == "application/problem+json"
    assert (method.body.type, method.parameters[0].type, method.responses[0].type) == (ir.Primitive("int"),) * 3


# --- nullability ---------------------------------------------------------------------------------

SPELLINGS = {
    "3.0 nullable": ("3.0.3", {"type": "string", "nullable": True}),
    "3.1 type list": ("3.1.0", {"type": ["string", "null"]}),
    "3.1 null oneOf member": ("3.1.0", {"oneOf": [{"type": "string"}, {"type": "null"}]}),
    "null anyOf member as enum": ("3.1.0", {"anyOf": [{"type": "string"}, {"enum": [None]}]}),
    "3.0 nullable beside a $ref": ("3.0.3", {"$ref": "#/components/schemas/Text", "nullable": True}),
}


@pytest.mark.parametrize(("version", "spelling"), SPELLINGS.values(), ids=list(SPELLINGS))
def test_every_nullability_spelling_reads_the_same(tmp_path: Path, version: str, spelling: Doc) -> None:
    schemas = {"Text": {"type": "string"}, "Holder": {"type": "object", "properties": {"value": spelling, "plain": {"type": "string"}}}}
    normaliser, api, _ = read(tmp_path, document(schemas, version=version))
    holder = normaliser.view(ref("Holder"), "/x")
    value, plain = (normaliser.view(holder.properties[n].node, holder.properties[n].pointer) for n in ("value", "plain"))
    assert (value.nullable, plain.nullable) == (True, False)
    assert [variant.node for variant in value.variants] in ([], [{"type": "string"}])  # the null member is not a variant
    assert isinstance(field_type(api, "Holder", "value"), ir.Nullable)
    assert not isinstance(field_type(api, "Holder", "plain"), ir.Nullable)


def test_nullability_is_data_by_spelling() -> None:
    facts = read_nullability({"type": ["integer", "null", "string"], "nullable": True, "enum": [1, None]})
    assert (facts.keyword, facts.in_type, facts.null_member, facts.in_enum, facts.types) == (True, True, False, True, ("integer", "string"))
    member = read_nullability({"oneOf": [{"type": "integer"}, {"type": "null"}]})
    assert (member.nullable, member.null_member, member.types) == (True, True, ())
    assert not read_nullability({"type": "string", "nullable": False}).nullable
    assert not read_nullability(True).nullable
    assert [has_nullable_keyword(s) for s in ({"nullable": True}, {"nullable": "true"}, {"type": "null"}, True)] == [True, False, False, False]


# --- references ----------------------------------------------------------------------------------


def test_percent_encoded_ref_fragments_are_decoded_before_unescaping(tmp_path: Path) -> None:
    """RFC 6901 section 6: a ``$ref`` fragment is a URI fragment, so ``{id}`` is written ``%7Bid%7D``."""
    reply = {"description": "", "content": {"application/json": {"schema": {"type": "string"}}}}
    paths = {
        "/users/{id}": {"get": {"operationId": "getUser", "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}], "responses": {"404": reply}}},
        "/users/{id}/ping": {
            "post": {"operationId": "ping", "responses": {"404": {"$ref": "#/paths/~1users~1%7Bid%7D/get/responses/404"}}},
        },
        "/50%": {"get": {"operationId": "half", "responses": {"200": {"$ref": "#/paths/~150%/get/responses/201"}, "201": reply}}},
    }
    normaliser, api, diagnostics = read(tmp_path, document({}, paths))
    assert diagnostics.errors == []
    ping = next(op for op in normaliser.operations() if op.path == "/users/{id}/ping")
    assert ping.responses["404"].pointer == "/paths/~1users~1{id}/get/responses/404"
    half = next(op for op in normaliser.operations() if op.path == "/50%")  # a literal % that is no escape
    assert half.responses["200"].pointer == "/paths/~150%/get/responses/201"
    assert len(api.operations) == 3


def test_a_reference_read_again_resolves_alike_and_every_site_keeps_its_diagnostics() -> None:
    """References are remembered once resolved (Microsoft Graph resolves ~170,000); the ones that
    fail, or only resolve through other references, are reported at every place they are written."""
    data = {"a": {"b": {"c": 1}}, "via": {"$ref": "#/a"}}
    diagnostics = Diagnostics("spec.json")
    registry = Registry(data, diagnostics)
    assert registry.resolve_ref("#/a/b", "/x/$ref") == registry.resolve_ref("#/a/b", "/y/$ref") == ("/a/b", {"c": 1})
    assert registry.resolve_ref("#/a/b", "/z/$ref")[1] is data["a"]["b"]  # the node itself, not a copy
    for site in ("/x", "/y"):
        assert registry.resolve_ref("#/via/b", f"{site}/through") == ("/a/b", {"c": 1})
        assert registry.resolve_ref("#/nowhere", f"{site}/dangling") is None
    assert [d.pointer for d in diagnostics.warnings] == ["/x/through", "/y/through"]
    assert [d.pointer for d in diagnostics.errors] == ["/x/dangling", "/y/dangling"]


def test_an_undeclared_path_variable_is_a_required_string_path_parameter_with_a_warning(tmp_path: Path) -> None:
    # Vapi's calls spec: DELETE /call/{id} lists ``parameters: []``
    answer = {"200": {"description": "ok"}}
    paths = {"/call/{id}": {"delete": {"parameters": [], "responses": answer}, "get": {"parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}], "responses": answer}}}
    normaliser, api, diagnostics = read(tmp_path, document({}, paths))
    delete = next(op for op in normaliser.operations() if op.method == "delete")
    assert [(p.name, p.location, p.required, p.schema) for p in delete.parameters] == [("id", "path", True, {"type": "string"})]
    [warning] = [d for d in diagnostics.warnings if "not declared" in d.message]
    assert warning.pointer == "/paths/~1call~1{id}/delete/parameters"
    by_method = {op.method: op for op in api.operations}
    assert [(p.json_name, p.type) for p in by_method[ir.HttpMethod.DELETE].parameters] == [("id", ir.Primitive(ir.PrimitiveKind.STR))]
    assert by_method[ir.HttpMethod.GET].parameters[0].type == ir.Primitive(ir.PrimitiveKind.INT)  # a declared one is left alone
