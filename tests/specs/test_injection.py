"""Spec text never becomes code.

Every text field of a hostile spec carries injection attempts (quotes that end strings and
docstrings, newlines, Jinja syntax, backslashes, NUL and unicode line separators); the generated
package is imported in a subprocess, which must not run any of them, and the texts must come back
unchanged as data. The five real Vapi specs are generated and imported the same way. The Jinja
environment's ``guard`` is tested directly: a template printing a plain string must fail.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jinja2
import pytest
import tomllib

from vapi_codegen.diagnostics import Diagnostics
from vapi_codegen.loading.document import load_document
from vapi_codegen.model.build import build_api
from vapi_codegen.pipeline import generate_files
from vapi_codegen.rendering.pycode import PyCode, string_literal
from vapi_codegen.rendering.render import (
    TEMPLATES_DIR,
    Options,
    UnsafeTemplateValue,
    environment,
    guard,
    guard_markdown,
    render_package,
)
from vapi_codegen.output.writer import write
from vapi_codegen.rendering.views import server as server_view

from ..conftest import GENERATED, PACKAGE, SHARED_SPECS, import_fresh

# Imports the package and every module in it, builds every model and type of models.py, and prints
# every text the package holds as data.
DRIVER = r"""
import enum, importlib, json, pathlib, sys
from pydantic import BaseModel, TypeAdapter
out, package = sys.argv[1:]
sys.path.insert(0, out)
module = importlib.import_module(package)
for path in sorted(pathlib.Path(module.__file__).parent.glob("*.py")):
    importlib.import_module(package + "." + path.stem)
models = module.models
texts, built = [module.__doc__], 0
for name in models.__all__:
    obj = getattr(models, name)
    if isinstance(obj, type) and issubclass(obj, BaseModel):
        obj.model_rebuild(force=True)
        built += 1
        texts.append(obj.__doc__)
        for field in obj.model_fields.values():
            texts += [field.serialization_alias, field.validation_alias, field.description, field.default if isinstance(field.default, str) else None]
            patterns = [getattr(m, "pattern", None) for m in field.metadata]
            texts += [getattr(p, "pattern", p) for p in patterns]  # compiled patterns keep their source
    elif isinstance(obj, type) and issubclass(obj, enum.Enum):
        texts += [obj.__doc__] + [member.value for member in obj if isinstance(member.value, str)]
    else:
        TypeAdapter(obj)
print(json.dumps({"built": built, "names": models.__all__, "texts": [t for t in texts if isinstance(t, str)]}))
"""


def _import_in_subprocess(out: Path, package: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", DRIVER, str(out), package], capture_output=True, text=True, timeout=300, cwd=out, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def _attacks(marker: Path, label: str) -> str:
    """One string holding every attempt to break out of a literal, docstring, comment or template."""
    run = f"open({str(marker)!r}, 'a').write({label!r})"
    return "".join(
        [
            f"<{label} ",
            f'"""; {run}; """ ',
            f"'''; {run}; ''' ",
            f"\n{run}\n#",
            f'\\"; {run}; "\\ ',
            f"\\\n{run} \\",
            "{{ 7*7 }} {% raw %}{# c #}{% endraw %} {{ ",
            run,
            " }} {% if true %}x{% endif %} ",
            f"\x00\x01\x1b \u2028{run}\u2029 \r{run}\x0b\x0c\x85 ",
            f'" + {run} + " ',
            f"# {run} \U0001f436 >",  # beyond the BMP: TOML (pyproject.toml) has no surrogate escapes
        ]
    )


NAME_ATTACK = 'Evil"""\nimport os #{{ 7*7 }}{% raw %}\\\x00'
URL_ATTACK = NAME_ATTACK.translate(str.maketrans("{}", "()"))  # braces would be a server variable
PATTERN_ATTACK = '^(""")?(\'\'\')?(\\\\n)?({{ 7\\*7 }})?({% raw %})?$'


def hostile_spec(marker: Path) -> dict[str, Any]:
    """An OpenAPI 3.1 document whose every text field is an injection attempt."""
    text = lambda label: _attacks(marker, label)
    model, enum_name, variant_a, variant_b = (NAME_ATTACK + s for s in ("Model", "Enum", "A", "B"))
    ref = lambda name: {"$ref": "#/components/schemas/" + name.replace("~", "~0").replace("/", "~1")}
    tag_property = text("tag-property")
    return {
        "openapi": "3.1.0",
        "info": {"title": text("title"), "version": text("version"), "description": text("info")},
        "servers": [
            {"url": text("server"), "description": text("server-description")},
            {"url": "https://{host}/" + URL_ATTACK, "description": text("environment"), "variables": {"host": {"default": "h.example"}}},
        ],
        "security": [{text("scheme"): []}, {"oauth": [text("scope")]}, {NAME_ATTACK + "Key": [], "digest": []}],
        "tags": [{"name": text("tag"), "description": text("tag-description")}],
        "paths": {
            "/items": {  # with GET /items/{id}: a resource, so the mock is rendered too
                "post": {
                    "operationId": text("operation-create"),
                    "requestBody": {"content": {"application/json": {"schema": ref(model)}}},
                    "responses": {"201": {"description": text("created"),
                                          "content": {"application/json": {"schema": ref(model)}}}},
                },
            },
            "/items/{id}": {
                "get": {
                    "operationId": text("operation"),
                    "tags": [text("tag")],
                    "summary": text("summary"),
                    "description": text("operation-description"),
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                        {"name": text("parameter"), "in": "query", "description": text("parameter-description"),
                         "schema": {"type": "string", "default": text("parameter-default"), "pattern": PATTERN_ATTACK}},
                    ],
                    "responses": {"200": {"description": text("response"),
                                          "content": {"application/json": {"schema": ref(model)}}}},
                },
                "post": {
                    "operationId": text("operation-post"),
                    "requestBody": {"content": {"application/json": {"schema": {
                        "title": text("body-title"), "description": text("body"),
                        "oneOf": [ref(variant_a), ref(variant_b)],
                        "discriminator": {"propertyName": tag_property,
                                          "mapping": {text("tag-a"): ref(variant_a)["$ref"], text("tag-b"): ref(variant_b)["$ref"]}},
                    }}}},
                    "responses": {"default": {"description": text("default-response")}},
                },
            }
        },
        "webhooks": {text("webhook"): {"post": {"requestBody": {"content": {"application/json": {"schema": {
            "type": "object", "description": text("webhook-body"),
            "properties": {text("webhook-property"): {"type": "string", "description": text("webhook-field")}},
        }}}}, "responses": {"200": {"description": text("webhook-response")}}}}},
        "components": {
            "securitySchemes": {
                text("scheme"): {"type": "apiKey", "in": "header", "name": text("key-name"), "description": text("scheme-description")},
                NAME_ATTACK + "Key": {"type": "apiKey", "in": "query", "name": text("query-key-name")},
                "oauth": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": text("token-url"), "scopes": {}}}},
                "digest": {"type": "http", "scheme": text("http-scheme")},
            },
            "schemas": {
                model: {
                    "type": "object",
                    "title": text("model-title"),
                    "description": text("model"),
                    "required": [text("property")],
                    "properties": {
                        text("property"): {"type": "string", "description": text("property-description"),
                                           "title": text("property-title"), "examples": [text("example")],
                                           "pattern": PATTERN_ATTACK},
                        "withDefault": {"type": "string", "default": text("default"), "description": text("default-description")},
                        "choice": {"type": "string", "enum": [text("enum-1"), text("enum-2")], "description": text("inline-enum")},
                        "named": ref(enum_name),
                        "constant": {"const": text("const")},
                        "nested": {"type": "object", "title": text("nested-title"), "description": text("nested"),
                                   "properties": {text("nested-property"): {"type": "integer", "default": 3}}},
                        "mapping": {"type": "object", "additionalProperties": {"type": "string", "description": text("map")}},
                        "union": {"oneOf": [ref(variant_a), ref(variant_b)], "title": text("union-title"), "description": text("union")},
                    },
                    "example": {"x": text("model-example")},
                },
                enum_name: {"type": "string", "enum": [text("named-enum-1"), text("named-enum-2"), ""], "description": text("enum")},
                variant_a: {"type": "object", "required": [tag_property], "description": text("variant-a"),
                            "properties": {tag_property: {"type": "string", "const": "a"}}},
                variant_b: {"type": "object", "required": [tag_property], "description": text("variant-b"),
                            "properties": {tag_property: {"type": "string", "const": "b"}}},
            }
        },
    }


def test_hostile_spec_generates_code_that_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "INJECTED"
    # the file name is printed in each module's first line, where a coding declaration would take effect
    spec = tmp_path / 'hostile-{{ 7*7 }}-""" coding=unicode_escape spec.json'
    spec.write_text(json.dumps(hostile_spec(marker)), encoding="utf-8")
    generation = generate_files(spec, "hostile")
    write(tmp_path / "out", generation.files, stale=[])
    report = _import_in_subprocess(tmp_path / "out", "hostile")
    assert not marker.exists(), f"injected code ran: {marker.read_text()}"
    assert report["built"] >= 5
    texts = set(report["texts"])
    for label in ("property-description", "default", "enum-1", "enum-2", "named-enum-1", "default-description", "webhook-field"):
        assert _attacks(marker, label) in texts, label  # the text arrived intact, as data
    # docstrings are sanitised (line breaks normalised, trailing blanks dropped): equal but for whitespace
    words = {" ".join(text.split()) for text in texts}
    for label in ("model", "variant-a", "nested", "enum", "inline-enum", "webhook-body"):
        assert " ".join(_attacks(marker, label).split()) in words, label
    assert _attacks(marker, "property") in texts and _attacks(marker, "webhook-property") in texts  # aliases
    assert PATTERN_ATTACK in texts
    pyproject = tomllib.loads(generation.files["pyproject.toml"])
    assert pyproject["project"]["description"].endswith(_attacks(marker, "title"))
    assert pyproject["project"]["version"] == "0.0.0"
    assert not marker.exists()
    hostile = import_fresh(tmp_path / "out", "hostile")  # safe now: importing it ran nothing
    schemes = hostile.security.SCHEMES
    assert schemes[_attacks(marker, "scheme")].name == _attacks(marker, "key-name")
    assert schemes[NAME_ATTACK + "Key"].name == _attacks(marker, "query-key-name")
    assert schemes["oauth"].token_url == _attacks(marker, "token-url")
    assert list(hostile.Client.CONFIG.environments.values()) == ["https://h.example/" + URL_ATTACK]


@pytest.mark.parametrize("spec", sorted(SHARED_SPECS.glob("*.yml")), ids=lambda p: p.stem)
def test_real_vapi_specs_generate_importable_packages(spec: Path, tmp_path: Path) -> None:
    package = spec.name.removesuffix("-api-openapi.yml").replace("-", "_")
    if spec.name == "vapi-phone-numbers-api-openapi.yml":
        out = GENERATED  # the committed golden copy of this spec (test_golden keeps it current)
        assert package == PACKAGE
    else:
        out = tmp_path / "out"
        write(out, generate_files(spec, package).files, stale=[])
    report = _import_in_subprocess(out, package)
    assert report["built"] >= 1 and len(report["names"]) >= report["built"]


# --- the template guard --------------------------------------------------------------------------


def test_templates_cannot_print_unescaped_text() -> None:
    env = environment()
    assert env.finalize is guard
    for template, values in (
        ("{{ value }}", {"value": "plain text"}),
        ("{{ value }}", {"value": True}),
        ("{{ values | join(', ') }}", {"values": ["a", "b"]}),
        ("{{ value | upper }}", {"value": PyCode("escaped")}),  # a filter's result is a plain str again
        ("{{ value ~ '' }}", {"value": PyCode("escaped")}),
        ("{{ value | e }}", {"value": "x"}),
        ("{{ value | safe }}", {"value": "x"}),
        ("{{ value | tojson }}", {"value": "x"}),
    ):
        with pytest.raises(UnsafeTemplateValue):
            env.from_string(template).render(**values)
    escaped = string_literal('"""\n{{ x }}\\')
    assert env.from_string("{{ value }}").render(value=escaped) == '"\\"\\"\\"\\n{{ x }}\\\\"'


def test_every_template_is_rendered_through_the_guarded_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """render_package must render every template under templates/ with ``environment()`` (the
    Markdown ones with its Markdown twin): a template rendered some other way (its own Environment, a
    plain string) would escape the guard. (One route per route function: a big API's templates too.)"""
    monkeypatch.setattr(server_view, "ROUTES_PER_FUNCTION", 1)
    spec = tmp_path / "hostile.json"
    spec.write_text(json.dumps(hostile_spec(tmp_path / "INJECTED")), encoding="utf-8")
    document = load_document(spec)
    api = build_api(document, Diagnostics(document.name))
    rendered: dict[str, list[str]] = {"code": [], "markdown": []}

    def recording(env: jinja2.Environment, kind: str) -> jinja2.Environment:
        original = env.get_template

        def recording_get_template(name: Any, *args: Any, **kwargs: Any) -> jinja2.Template:
            rendered[kind].append(name)
            return original(name, *args, **kwargs)

        env.get_template = recording_get_template  # type: ignore[method-assign]
        return env

    env, markdown = recording(environment(), "code"), recording(environment(finalize=guard_markdown), "markdown")
    files = render_package(api, Options(package="hostile", distribution="hostile"), env=env, markdown=markdown)
    all_templates = sorted(p.relative_to(TEMPLATES_DIR).as_posix() for p in TEMPLATES_DIR.rglob("*.jinja"))
    assert sorted(set(rendered["code"]) | set(rendered["markdown"])) == all_templates
    assert sorted(set(rendered["markdown"])) == ["project/README.md.jinja", "project/REFERENCE.md.jinja"]
    assert files
    with pytest.raises(UnsafeTemplateValue):
        guard_markdown("spec text that did not go through rendering.markdown")
