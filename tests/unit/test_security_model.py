"""Security schemes, requirements, environments and sample values in the intermediate model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vapi_codegen.diagnostics import Diagnostics
from vapi_codegen.loading.document import load_document
from vapi_codegen.model import ir
from vapi_codegen.model.build import build_api
from vapi_codegen.model.sample_values import sample_value
from vapi_codegen.naming.assign import name_environment_variables

from ..conftest import ROOT

_Kind = ir.SecuritySchemeKind


def build(tmp_path: Path, document: dict[str, Any]) -> tuple[ir.Api, Diagnostics]:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, **document}), encoding="utf-8")
    loaded = load_document(path)
    diagnostics = Diagnostics(loaded.name)
    return build_api(loaded, diagnostics), diagnostics


def vault() -> ir.Api:
    loaded = load_document(ROOT / "tests" / "golden" / "specs" / "vault.yaml")
    return build_api(loaded, Diagnostics(loaded.name))


def test_scheme_kinds_and_credential_keywords() -> None:
    api = vault()
    kinds = {s.key: (s.kind, [c.name for c in s.credentials]) for s in api.security_schemes}
    assert kinds == {
        "headerKey": (_Kind.API_KEY, ["header_key"]),
        "queryKey": (_Kind.API_KEY, ["query_key"]),
        "cookieKey": (_Kind.API_KEY, ["cookie_key"]),
        "basic": (_Kind.HTTP_BASIC, ["username", "password"]),
        "bearer": (_Kind.HTTP_BEARER, ["token"]),
        "oauth": (_Kind.OAUTH2_CLIENT_CREDENTIALS, ["client_id", "client_secret"]),
    }
    oauth = api.scheme("oauth")
    assert oauth is not None and oauth.token_url == "/oauth/token"
    cookie = api.scheme("cookieKey")
    assert cookie is not None and (cookie.parameter_name, cookie.location) == ("session", ir.ParameterLocation.COOKIE)


def test_requirements_are_alternatives_the_operation_own_or_the_documents() -> None:
    operations = {op.unique_id: op for op in vault().operations}
    requirements = {key: [(r.schemes, r.scopes) for r in op.security] for key, op in operations.items()}
    assert requirements["SecretController_findAll"] == [(("headerKey",), ((),))]  # the document's
    assert requirements["SecretController_create"] == [(("oauth",), (("secrets:write",),))]
    assert requirements["SecretController_findOne"] == [(("queryKey",), ((),)), (("cookieKey",), ((),))]
    assert requirements["ServiceController_health"] == []  # `security: []`: open
    assert requirements["ServiceController_status"] == [(("bearer",), ((),)), ((), ())]
    assert requirements["ServiceController_admin"] == [(("headerKey", "basic"), ((), ()))]
    secured = {key for key, op in operations.items() if op.secured}
    assert "ServiceController_status" not in secured and "ServiceController_health" not in secured
    assert "ServiceController_admin" in secured


def test_unsupported_and_undeclared_schemes_are_warned_about(tmp_path: Path) -> None:
    api, diagnostics = build(
        tmp_path,
        {
            "security": [{"digest": []}, {"missing": []}],
            "paths": {"/a": {"get": {"responses": {"204": {"description": "ok"}}}}},
            "components": {
                "securitySchemes": {
                    "digest": {"type": "http", "scheme": "digest"},
                    "tls": {"type": "mutualTLS"},
                    "implicit": {"type": "oauth2", "flows": {"implicit": {"authorizationUrl": "https://a", "scopes": {}}}},
                    "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://a/.well-known"},
                }
            },
        },
    )
    kinds = {s.key: s.kind for s in api.security_schemes}
    assert kinds == {
        "digest": _Kind.UNSUPPORTED, "tls": _Kind.UNSUPPORTED, "implicit": _Kind.HTTP_BEARER,
        "oidc": _Kind.HTTP_BEARER, "missing": _Kind.UNSUPPORTED,
    }
    assert [c.name for s in api.security_schemes for c in s.credentials] == ["implicit_token", "oidc_token"]
    messages = [d.message for d in diagnostics.warnings]
    assert any("'http' (scheme 'digest') is not supported" in m for m in messages)
    assert any("'missing' is not declared" in m for m in messages)


def test_an_operation_security_without_a_value_keeps_the_documents(tmp_path: Path) -> None:
    operation = {"responses": {"200": {"description": "ok"}}}
    api, diagnostics = build(
        tmp_path,
        {
            "security": [{"bearer": []}],
            "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
            "paths": {"/open": {"get": {**operation, "operationId": "unset", "security": None}},
                      "/public": {"get": {**operation, "operationId": "public", "security": []}}},
        },
    )
    secured = {op.unique_id: op.secured for op in api.operations}
    assert secured == {"unset": True, "public": False}
    warnings = [(d.pointer, d.message) for d in diagnostics.warnings if "no value" in d.message]
    assert warnings == [("/paths/~1open/get/security", "security has no value: the document's security applies (write [] for none)")]


def test_environments_and_environment_variables() -> None:
    api = vault()
    assert [(e.name, e.url) for e in api.environments] == [
        ("production", "https://api.vault.example.com"), ("sandbox", "https://sandbox.vault.example.com"),
    ]
    name_environment_variables(api, "VAULT", {"token": "VAULT_BEARER"})
    variables = {c.name: c.env_var for s in api.security_schemes for c in s.credentials}
    assert variables["token"] == "VAULT_BEARER" and variables["header_key"] == "VAULT_HEADER_KEY"
    assert api.environment_variables.base_url == "VAULT_BASE_URL"
    name_environment_variables(api, None, {})
    assert api.environment_variables.base_url is None and all(c.env_var is None for s in api.security_schemes for c in s.credentials)


def test_server_variables_take_their_defaults(tmp_path: Path) -> None:
    api, diagnostics = build(
        tmp_path,
        {
            "servers": [
                {"url": "https://{region}.example.com/v{major}", "variables": {"region": {"default": "eu"}, "major": {"default": "2"}}},
                {"url": "https://{tenant}.example.com"},
                {"url": "/relative"},
                {"url": "https://b.example.com", "description": "The staging environment"},
            ],
            "paths": {},
        },
    )
    assert [(e.name, e.url) for e in api.environments] == [("default", "https://eu.example.com/v2"), ("staging", "https://b.example.com")]
    assert any("variable without a default" in d.message for d in diagnostics.warnings)


def test_sample_values_meet_the_declared_bounds() -> None:
    declarations: dict[str, ir.Declaration] = {
        "Kind": ir.EnumDecl("Kind", "/k", ir.PrimitiveKind.STR, [ir.EnumMember("b"), ir.EnumMember("a")]),
        "Thing": ir.ModelDecl("Thing", "/t", fields=[
            ir.FieldDecl("name", ir.Primitive(ir.PrimitiveKind.STR, ir.Constraints(min_length=10)), required=True),
            ir.FieldDecl("count", ir.Primitive(ir.PrimitiveKind.INT, ir.Constraints(gt=3, le=9)), required=True),
            ir.FieldDecl("kind", ir.Ref("Kind"), required=True),
            ir.FieldDecl("tags", ir.ArrayType(ir.Primitive(ir.PrimitiveKind.STR), ir.Constraints(min_length=2)), required=True),
            ir.FieldDecl("size", ir.Primitive(ir.PrimitiveKind.FLOAT), required=True, default=ir.Default(1.5)),
            ir.FieldDecl("again", ir.Nullable(ir.Ref("Thing")), required=True),
            ir.FieldDecl("optional", ir.Primitive(ir.PrimitiveKind.STR), required=False),
        ]),
    }
    assert sample_value(declarations, ir.Ref("Thing")) == {
        "name": "samplesamp", "count": 4, "kind": "b", "tags": ["sample", "sample"], "size": 1.5, "again": {},
    }
    assert sample_value(declarations, ir.Primitive(ir.PrimitiveKind.STR, ir.Constraints(max_length=3))) == "sam"
    assert sample_value(declarations, ir.Primitive(ir.PrimitiveKind.BYTES), binary=True) == b"sample"
    assert sample_value(declarations, ir.Primitive(ir.PrimitiveKind.DATETIME)) == "2024-01-01T00:00:00Z"
