"""`vapi-codegen diff` on the command line: exit codes, output formats, bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Optional

import pytest
from click.testing import CliRunner, Result

from vapi_codegen.cli import main
from vapi_codegen.commands.bump import written_version

from ..conftest import SPEC, generate_into, import_fresh
from ..specs.test_diff_phone import OLD_SPEC, OLD_TO_NEW


def run(*args: object) -> Result:
    return CliRunner().invoke(main, ["diff", *map(str, args)])


def spec_with(
    tmp_path: Path,
    name: str,
    properties: dict[str, object],
    operation_id: str = "createThing",
    thing: dict[str, object] | None = None,
) -> Path:
    """A one-operation spec whose request body has ``properties`` (or is ``thing``)."""
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "Things", "version": "1"},
        "paths": {
            "/things": {
                "post": {
                    "operationId": operation_id,
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                    "responses": {"204": {"description": "done"}},
                }
            }
        },
        "components": {"schemas": {"Thing": thing or {"type": "object", "properties": properties}}},
    }
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize(("fail_on", "code"), [(None, 1), ("breaking", 1), ("warning", 1), ("never", 0)])
def test_exit_code_with_breaking_changes(fail_on: str | None, code: int) -> None:
    options = ["--fail-on", fail_on] if fail_on else []
    assert run(OLD_SPEC, SPEC, *options).exit_code == code


@pytest.mark.parametrize(("fail_on", "code"), [("breaking", 0), ("warning", 1), ("never", 0)])
def test_exit_code_with_warnings_only(tmp_path: Path, fail_on: str, code: int) -> None:
    old = spec_with(tmp_path, "old.json", {"a": {"type": "string"}, "b": {"type": "string"}})
    new = spec_with(tmp_path, "new.json", {"a": {"type": "string"}})  # request property removed: a warning
    assert run(old, new, "--fail-on", fail_on).exit_code == code


def test_package_only_changes_fail_only_with_surface(tmp_path: Path) -> None:
    """An operationId edit renames the client method: a package break, not a wire one."""
    old = spec_with(tmp_path, "old.json", {"a": {"type": "string"}})
    new = spec_with(tmp_path, "new.json", {"a": {"type": "string"}}, operation_id="makeThing")
    result = run(old, new)
    assert "BREAKING method-renamed" in result.output
    assert result.exit_code == 0
    assert run(old, new, "--surface").exit_code == 1


def reply_with(tmp_path: Path, name: str, values: list[str]) -> Path:
    """A one-operation spec whose 200 response is a string enum of ``values``."""
    reply = {"description": "", "content": {"application/json": {"schema": {"type": "string", "enum": values}}}}
    doc = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/mode": {"get": {"operationId": "getMode", "responses": {"200": reply}}}}}
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize(("fail_on", "code"), [("breaking", 0), ("soft", 1), ("warning", 1), ("never", 0)])
def test_exit_code_with_soft_breaks_only(tmp_path: Path, fail_on: str, code: int) -> None:
    old, new = reply_with(tmp_path, "old.json", ["on", "off"]), reply_with(tmp_path, "new.json", ["on", "off", "auto"])
    result = run(old, new, "--fail-on", fail_on)
    assert "SOFT     response-enum-value-added" in result.output
    assert result.exit_code == code


@pytest.mark.parametrize("fail_on", ["breaking", "soft", "warning", "never"])
def test_exit_code_with_info_only(tmp_path: Path, fail_on: str) -> None:
    old = spec_with(tmp_path, "old.json", {"a": {"type": "string"}})
    new = spec_with(tmp_path, "new.json", {"a": {"type": "string"}, "b": {"type": "string"}})
    result = run(old, new, "--fail-on", fail_on)
    assert result.exit_code == 0
    assert "INFO     request-optional-property-added: optional request property Thing.b added" in result.output


def test_identical_specs() -> None:
    result = run(SPEC, SPEC, "--fail-on", "warning")
    assert result.exit_code == 0
    assert result.output == f"{SPEC.name} -> {SPEC.name}: no changes\n"


def test_json_format() -> None:
    result = run(OLD_SPEC, SPEC, "--format", "json")
    data = json.loads(result.output)
    assert data["summary"] == {"breaking": 3, "soft": 2, "warning": 8, "info": 22}
    assert [(c["id"], c["old"], c["new"]) for c in data["changes"]] == OLD_TO_NEW
    first = data["changes"][0]
    assert first == {
        "id": "request-constraint-tightened",
        "severity": "breaking",
        "section": "api",
        "direction": "request",
        "message": "request maxLength of CreateByoPhoneNumberDTO.name tightened from unset to 40",
        "old": "/components/schemas/CreateByoPhoneNumberDTO/properties/name",
        "new": "/components/schemas/CreateByoPhoneNumberDTO/properties/name/maxLength",
        "operations": ["POST /phone-number"],
        "details": {"at": "CreateByoPhoneNumberDTO.name", "keyword": "maxLength", "old": None, "new": 40},
    }
    assert run(OLD_SPEC, SPEC, "--format", "json").output == result.output  # deterministic


def test_markdown_format() -> None:
    lines = run(OLD_SPEC, SPEC, "--format", "markdown").output.splitlines()
    assert lines[0] == f"## API changes: <code>{OLD_SPEC.name}</code> → <code>{SPEC.name}</code>"
    assert "**3 breaking, 2 soft, 8 warning, 22 info**" in lines
    headers = [i for i, line in enumerate(lines) if line == "| severity | rule | change | old | new |"]
    assert len(headers) == 2  # wire contract, generated package
    assert lines[headers[0] + 1] == "| --- | --- | --- | --- | --- |"
    rows = [line for line in lines if line.startswith("| ") and line.count(" | ") == 4 and "---" not in line]
    assert len(rows) == 2 + len(OLD_TO_NEW)
    assert (
        "| soft | `response-optional-property-removed` | optional response property ByoPhoneNumber.serverUrl removed: it was "
        "never guaranteed, but clients reading it lose it (via DELETE /phone-number/{id}, "
        "GET /phone-number, GET /phone-number/{id}, GET /v2/phone-number, PATCH /phone-number/{id}, POST /phone-number) "
        "| <code>#/components/schemas/ByoPhoneNumber/properties/serverUrl</code> | <code>#/components/schemas/ByoPhoneNumber</code> |"
    ) in lines


def test_markdown_keeps_spec_text_inert(tmp_path: Path) -> None:
    old = spec_with(tmp_path, "old.json", {})
    new = spec_with(tmp_path, "new.json", {"a|<b>": {"type": "string"}})
    output = run(old, new, "--format", "markdown").output
    assert "optional request property Thing.a&#124;&lt;b> added" in output
    assert "<b>" not in output
    image = spec_with(tmp_path, "image.json", {"![x](https://evil.example/t.png) *b*\n[l](u)": {"type": "string"}})
    output = run(old, image, "--format", "markdown").output
    assert "Thing.\\!\\[x\\](https://evil.example/t.png) \\*b\\* \\[l\\](u) added" in output
    assert "![" not in output and "*b*" not in output
    pings = spec_with(tmp_path, "pings.json", {"cc @octocat @org/team about #12 and org/repo#3": {"type": "string"}})
    output = run(old, pings, "--format", "markdown").output
    assert "Thing.cc @&#8203;octocat @&#8203;org/team about #&#8203;12 and org/repo#&#8203;3 added" in output
    assert re.search(r"(?<!&)[@#]\w", output) is None  # nothing left for GitHub to link (``&#`` starts an entity)
    assert "<code>#/components/schemas/Thing</code>" in output  # pointers read as they are


def test_text_format_keeps_each_finding_on_its_lines(tmp_path: Path) -> None:
    old = spec_with(tmp_path, "old.json", {})
    new = spec_with(tmp_path, "new.json", {"a\n::error::forged\x1b[2J": {"type": "string"}})
    output = run(old, new).output
    assert "\n::error" not in output and "\x1b" not in output
    assert "optional request property Thing.a\\n::error::forged\\x1b[2J added" in output


def test_text_format_names_both_documents() -> None:
    output = run(OLD_SPEC, SPEC).output
    assert (
        "  SOFT     response-optional-property-removed: optional response property ByoPhoneNumber.serverUrl removed: "
        "it was never guaranteed, but clients reading it lose it\n"
        f"           old: {OLD_SPEC.name}#/components/schemas/ByoPhoneNumber/properties/serverUrl\n"
        f"           new: {SPEC.name}#/components/schemas/ByoPhoneNumber\n"
    ) in output


def test_diff_reports_what_the_generated_package_changes(tmp_path: Path) -> None:
    """``allOf [x: string, x: integer]`` -> ``[x: string, x: boolean]``: the later part is the one both read."""
    specs = []
    for name, later in (("old.json", "integer"), ("new.json", "boolean")):
        parts = [{"type": "object", "properties": {"x": {"type": "string"}}}, {"type": "object", "properties": {"x": {"type": later}}}]
        specs.append(spec_with(tmp_path, name, {}, thing={"allOf": parts}))
    annotations = []
    for spec in specs:
        generate_into(spec, tmp_path / spec.stem, "things")
        annotations.append(import_fresh(tmp_path / spec.stem, "things").Thing.model_fields["x"].annotation)
    assert annotations == [Optional[int], Optional[bool]]
    result = run(*specs, "--format", "json")
    assert result.exit_code == 1
    [change] = json.loads(result.output)["changes"]
    pointer = "/components/schemas/Thing/allOf/1/properties/x/type"
    assert (change["id"], change["severity"], change["direction"]) == ("type-changed", "breaking", "request")
    assert (change["message"], change["old"], change["new"]) == ("type of Thing.x changed from integer to boolean", pointer, pointer)


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    result = run(tmp_path / "nope.yml", SPEC)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [f"{tmp_path / 'nope.yml'}: error: cannot read spec: No such file or directory"]
    assert result.stdout == ""


def test_invalid_yaml_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("openapi: 3.0.0\npaths: [unclosed\n", encoding="utf-8")
    result = run(SPEC, bad)
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("bad.yml: error: invalid YAML at line")
    assert "Traceback" not in result.output


def test_broken_ref_names_file_and_pointer(tmp_path: Path) -> None:
    broken = spec_with(tmp_path, "broken.json", {"a": {"$ref": "#/components/schemas/Missing"}})
    result = run(broken, SPEC)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "broken.json#/components/schemas/Thing/properties/a/$ref: error: $ref '#/components/schemas/Missing' points to nothing"
    ]
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_a_renamed_method_is_reported_by_the_names_the_clients_expose(tmp_path: Path) -> None:
    old, new = spec_with(tmp_path, "old.json", {}, operation_id="str"), spec_with(tmp_path, "new.json", {}, operation_id="text")
    output = run(old, new).output
    assert "BREAKING method-renamed: client method default.str_ renamed to default.text" in output
    generate_into(old, tmp_path / "old", "naming_old")
    generate_into(new, tmp_path / "new", "naming_new")
    before = import_fresh(tmp_path / "old", "naming_old").Client(base_url="http://test").default
    after = import_fresh(tmp_path / "new", "naming_new").Client(base_url="http://test").default
    assert hasattr(before, "str_") and not hasattr(before, "str")  # the resource's annotations use `str`
    assert hasattr(after, "text")


# --- versions ------------------------------------------------------------------------------------


def test_semver_names_the_bump_and_why(tmp_path: Path) -> None:
    base = spec_with(tmp_path, "base.json", {"a": {"type": "string"}})
    added = spec_with(tmp_path, "added.json", {"a": {"type": "string"}, "b": {"type": "string"}})
    removed = spec_with(tmp_path, "removed.json", {})
    described = tmp_path / "described.json"
    described.write_text(base.read_text().replace('"type": "string"', '"type": "string", "description": "a"'), encoding="utf-8")
    assert run(base, removed, "--semver").output == (
        "major\n  warning  attribute-removed: attribute Thing.a removed: type checkers reject uses of it; at run time the model still keeps it "
        "as an extra field\n"
    )
    assert run(base, added, "--semver").output == (
        "minor\n"
        "  info     request-optional-property-added: optional request property Thing.b added\n"
        "  info     attribute-added: attribute Thing.b added\n"
    )
    assert run(base, base, "--semver").output == "none\n"
    assert run(base, described, "--semver").output == "patch\n"  # the docstring changes, nothing else


def test_generate_bump_version_records_the_next_version(tmp_path: Path) -> None:
    old = spec_with(tmp_path, "old.json", {"a": {"type": "string"}})
    new = spec_with(tmp_path, "new.json", {"a": {"type": "string"}, "b": {"type": "string"}})
    out = tmp_path / "out"
    generate_into(old, out, "things")
    assert written_version(out) == "1"  # the spec's info.version

    def cli(*args: object) -> Result:
        return CliRunner().invoke(main, [*map(str, args), "--out", str(out), "--package", "things"])

    result = cli("generate", new, "--bump-version", old)
    assert result.exit_code == 0, result.output
    assert "version 1 -> 1.1.0 (minor change since old.json)" in result.output
    assert written_version(out) == "1.1.0"
    assert cli("check", new).exit_code == 0  # the recorded version is the one check expects
    assert cli("generate", new).exit_code == 0
    assert written_version(out) == "1.1.0"  # kept by a later generate
    assert cli("generate", old, "--bump-version", new).exit_code == 0  # b removed: a breaking change
    assert written_version(out) == "2.0.0"

    manifest = out / ".vapi-codegen.json"  # untrusted: a recorded version that is no release number is ignored
    manifest.write_text(manifest.read_text().replace('"version": "2.0.0"', '"version": "2\\"\\r\\nX: y"'))
    result = cli("generate", old)
    assert result.exit_code == 0, result.output
    assert f"{manifest}#/options/version: warning: not a release number; ignored" in result.output
    assert written_version(out) == "1"


def test_github_format_annotates_the_new_document(tmp_path: Path) -> None:
    old = reply_with(tmp_path, "old.json", ["on", "off"])
    new = reply_with(tmp_path, "new.json", ["on", "off", "auto"])
    lines = run(old, new, "--format", "github").output.splitlines()
    assert lines[0] == (
        f"::warning file={str(new).replace(':', '%3A')},title=response-enum-value-added (soft)::response enum value auto added to GET /mode 200 "
        "response: breaks clients that reject unknown values; the generated client tolerates it (responses are parsed leniently: LENIENT_CONTEXT) "
        "(old: #/paths/~1mode/get/responses/200/content/application~1json/schema/enum; "
        "new: #/paths/~1mode/get/responses/200/content/application~1json/schema/enum; via GET /mode)"
    )
    assert lines[-1] == "::notice title=vapi-codegen diff::old.json -> new.json: 0 breaking, 1 soft, 0 warning, 1 info"


def test_github_format_keeps_spec_text_inert(tmp_path: Path) -> None:
    old = spec_with(tmp_path, "old.json", {})
    new = spec_with(tmp_path, "new.json", {"a\n::error::x%": {"type": "string"}})
    output = run(old, new, "--format", "github").output
    assert "\n::error::x" not in output
    assert "a%0A::error::x%25" in output
