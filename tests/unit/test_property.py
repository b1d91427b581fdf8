"""Property: for any small spec, generation either gives a package that imports and builds, or fails
cleanly (SpecError: one line per problem naming the file; the CLI exits 2) - never a traceback."""

from __future__ import annotations

import itertools
import json
import tempfile
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError

from vapi_codegen.cli import main
from vapi_codegen.diagnostics import SpecError
from vapi_codegen.pipeline import generate_files
from vapi_codegen.output.writer import write

from ..conftest import import_fresh

_packages = itertools.count()

# Text with the characters that break naive generators: quotes, backslashes, template syntax, separators.
odd_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("aZ_09 -./$[]+#{}%\"'\\\n\t\x00\u2028é")),
        st.characters(blacklist_categories=("Cs",)),
    ),
    max_size=12,
)
names = st.one_of(st.sampled_from(["id", "type", "class", "str", "model_config", "Field", "", "hate/threatening"]), odd_text)


def _schemas(refs: list[str]) -> st.SearchStrategy[Any]:
    """Random schema trees whose $refs point at ``refs`` (one of which may not exist)."""
    ref = st.sampled_from(refs).map(lambda name: {"$ref": "#/components/schemas/" + name.replace("~", "~0").replace("/", "~1")})
    leaves = st.one_of(
        st.just({}),
        st.builds(dict, type=st.sampled_from(["string", "integer", "number", "boolean", "null"])),
        st.fixed_dictionaries({"type": st.just("string")}, optional={
            "format": st.sampled_from(["date-time", "date", "uuid", "binary", "weird"]),
            "pattern": st.sampled_from(["^a+$", "[", "(?P<x>y)", '"""']),
            "minLength": st.integers(0, 3), "default": odd_text, "description": odd_text,
        }),
        st.fixed_dictionaries({"type": st.sampled_from(["integer", "number"])}, optional={
            "minimum": st.integers(-5, 5), "exclusiveMaximum": st.one_of(st.booleans(), st.integers(6, 9)),
            "default": st.one_of(st.integers(), st.text(max_size=3)),
        }),
        st.fixed_dictionaries({"enum": st.lists(st.one_of(odd_text, st.integers(), st.none()), max_size=4)},
                              optional={"type": st.sampled_from(["string", "integer", "object"])}),
        st.builds(dict, const=st.one_of(odd_text, st.integers(), st.booleans())),
        ref,
    )

    def composite(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.one_of(
            st.builds(
                lambda props, required, title, nullable: {
                    "type": "object", "properties": props, "required": sorted(set(required) & set(props)),
                    "title": title, "nullable": nullable,
                },
                st.dictionaries(names, children, max_size=4), st.lists(names, max_size=3), odd_text, st.booleans(),
            ),
            st.builds(lambda items: {"type": "array", "items": items}, children),
            st.builds(lambda values: {"type": "object", "additionalProperties": values}, children),
            st.builds(lambda key, options: {key: options}, st.sampled_from(["oneOf", "anyOf", "allOf"]),
                      st.lists(children, min_size=1, max_size=3)),
            st.builds(lambda kinds: {"type": kinds}, st.lists(st.sampled_from(["string", "integer", "null", "array"]), min_size=1, max_size=3, unique=True)),
        )

    return st.recursive(leaves, composite, max_leaves=8)


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    schema_names = draw(st.lists(names, min_size=1, max_size=4, unique=True))
    refs = schema_names + (["Missing"] if draw(st.integers(0, 9)) == 0 else [])
    schemas = {name: draw(_schemas(refs)) for name in schema_names}
    document: dict[str, Any] = {
        "openapi": draw(st.sampled_from(["3.0.3", "3.1.0"])),
        "info": {"title": draw(odd_text), "version": "1.0", "description": draw(odd_text)},
        "paths": {},
        "components": {"schemas": schemas},
    }
    if draw(st.booleans()):
        document["paths"]["/things"] = {"post": {
            "operationId": draw(names),
            "requestBody": {"content": {"application/json": {"schema": draw(_schemas(refs))}}},
            "responses": {"200": {"description": draw(odd_text), "content": {"application/json": {"schema": draw(_schemas(refs))}}}},
        }}
    return document


def _exercise(package: Any) -> None:
    """Build every model and type; validating an empty object may fail, but only with ValidationError."""
    for name in package.models.__all__:
        obj = getattr(package.models, name)
        if isinstance(obj, type) and issubclass(obj, BaseModel):
            obj.model_rebuild(force=True)
            try:
                obj.model_validate({})
            except ValidationError:
                pass
        elif not isinstance(obj, type):
            TypeAdapter(obj)


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(document=specs())
def test_random_specs_generate_or_fail_cleanly(document: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        spec = Path(directory) / "random.json"
        spec.write_text(json.dumps(document), encoding="utf-8")
        package_name = f"prop_{next(_packages)}"
        try:
            generation = generate_files(spec, package_name)
        except SpecError as error:
            lines = [str(d) for d in error.diagnostics]
            assert lines and all(line.startswith("random.json") and "\n" not in line for line in lines)
            result = CliRunner().invoke(main, ["generate", str(spec), "--out", str(Path(directory) / "out"), "--package", "p"])
            assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
            assert "Traceback" not in result.output and not (Path(directory) / "out").exists()
            return
        write(Path(directory) / "out", generation.files, stale=[])
        _exercise(import_fresh(Path(directory) / "out", package_name))
