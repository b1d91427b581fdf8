"""Deeply nested specs: past ``MAX_DEPTH`` levels a spec is refused with one line naming where (exit 2,
never a RecursionError traceback), and every shape of nesting the bound lets through generates a
package that imports and serves."""

from __future__ import annotations

import asyncio
import importlib
import json
from pathlib import Path
from typing import Any, Callable

import pytest

from vapi_codegen.loading.shape import MAX_DEPTH

from ..cli.test_check import run
from ..conftest import generate_into, import_fresh
from ..server_support import asgi_client

Level = Callable[[dict[str, Any]], dict[str, Any]]

# One level of nesting of each kind, wrapped around the schema inside it; the nullable ones put the
# most brackets per level into the emitted type expressions (``Optional[list[...]]``).
LEVELS: dict[str, Level] = {
    "nullable arrays": lambda inner: {"type": "array", "nullable": True, "items": inner},
    "objects": lambda inner: {"type": "object", "properties": {"a": inner}},
    "nullable anyOf": lambda inner: {"nullable": True, "anyOf": [inner, {"type": "integer"}]},
    "nullable maps": lambda inner: {"type": "object", "nullable": True, "additionalProperties": inner},
}


def spec(top: dict[str, Any]) -> dict[str, Any]:
    """A spec whose one operation takes and answers the schema ``Top``."""
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Top"}}}}
    operation = {"operationId": "echo", "requestBody": {"required": True, **body}, "responses": {"200": {"description": "ok", **body}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "deep", "version": "1"},
        "paths": {"/echo": {"post": operation}},
        "components": {"schemas": {"Top": top}},
    }


def depth(value: Any) -> int:
    """How many mappings and lists are nested in ``value`` (a scalar: 0)."""
    if isinstance(value, dict):
        return 1 + max(map(depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(depth, value), default=0)
    return 0


def deepest_top(level: Level) -> tuple[dict[str, Any], int]:
    """The schema nesting ``level`` as often as it can without its spec going deeper than ``MAX_DEPTH``,
    and that count."""
    top: dict[str, Any] = {"type": "string"}
    count = 0
    while depth(spec(level(top))) <= MAX_DEPTH:
        top, count = level(top), count + 1
    return top, count


def write(tmp_path: Path, document: Any) -> Path:
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", LEVELS)
def test_the_deepest_accepted_spec_generates_imports_and_serves(tmp_path: Path, kind: str) -> None:
    top, count = deepest_top(LEVELS[kind])
    assert count >= 29  # every kind nests at least 29 schemas deep within the bound
    generate_into(write(tmp_path, spec(top)), tmp_path / "out", "deep")
    import_fresh(tmp_path / "out", "deep")
    server = importlib.import_module("deep.server")
    importlib.import_module("deep.client")

    class Echo:
        async def echo(self, body: Any) -> Any:
            return body

    app = server.create_app(Echo())
    assert "/echo" in app.openapi()["paths"]

    async def scenario() -> None:
        async with asgi_client(app) as client:
            answer = await client.post("/echo", json=None if kind == "objects" else [])
            assert answer.status_code in (200, 422), answer.text

    asyncio.run(scenario())


@pytest.mark.parametrize("kind", LEVELS)
def test_one_level_more_is_refused_naming_the_pointer(tmp_path: Path, kind: str) -> None:
    top, _ = deepest_top(LEVELS[kind])
    code, _, stderr = run("generate", str(write(tmp_path, spec(LEVELS[kind](top)))), "--out", str(tmp_path / "out"), "-q")
    assert code == 2
    [line] = stderr.splitlines()
    assert line.startswith("deep.json#/components/schemas/Top/")
    assert line.endswith(f"error: nested more than {MAX_DEPTH} levels deep; deeper documents are refused")
    assert not (tmp_path / "out").exists()


def test_yaml_nested_too_deep_is_refused_naming_the_pointer(tmp_path: Path) -> None:
    nested = "".join(f"{'  ' * i}items:\n" for i in range(3, MAX_DEPTH + 3))
    path = tmp_path / "deep.yml"
    path.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Top:\n" + nested)
    code, _, stderr = run("generate", str(path), "--out", str(tmp_path / "out"), "-q")
    assert code == 2
    assert stderr.startswith("deep.yml#/components/schemas/Top/items/items/")
    assert stderr.count("\n") == 1


def test_json_too_deep_for_the_json_parser_is_refused_with_line_and_column(tmp_path: Path) -> None:
    text = '{"openapi": "3.0.3",\n "x": ' + "[" * 5000 + "]" * 5000 + "}"
    (tmp_path / "deep.json").write_text(text)
    code, stdout, stderr = run("generate", str(tmp_path / "deep.json"), "--out", str(tmp_path / "out"), "-q")
    assert code == 2
    assert stderr == f"deep.json: error: nested more than {MAX_DEPTH} levels deep at line 2, column {6 + MAX_DEPTH}; deeper documents are refused\n"
    assert "Traceback" not in stdout + stderr


def test_a_ref_chain_too_long_to_follow_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    chain = 1500
    schemas = {f"S{i}": {"allOf": [{"$ref": f"#/components/schemas/S{i + 1}"}], "properties": {f"p{i}": {"type": "string"}}} for i in range(chain)}
    document = spec({"$ref": "#/components/schemas/S0"})
    document["components"]["schemas"].update(schemas, **{f"S{chain}": {"type": "object"}})
    path = write(tmp_path, document)
    for command in (["generate", str(path), "--out", str(tmp_path / "out"), "-q"], ["diff", str(path), str(path)]):
        code, stdout, stderr = run(*command)
        assert code == 2
        [line] = stderr.splitlines()
        assert "deep.json" in line and "chains too long to follow" in line
        assert "Traceback" not in stdout + stderr
