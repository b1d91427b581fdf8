"""Derive the synthetic refactor-only pairs (``refactor-*``) from real documents of this corpus.

    python tests/diff_pairs/derive_refactors.py

Each pair's ``old`` is a real document, re-serialised; its ``new`` is the same document after one
refactoring that changes no request or response on the wire. Both sides are written by the same
serialiser, so the files differ only by the refactoring. Documents are stored gzipped, like the
rest of the corpus. The outputs are committed; rerunning this rewrites them identically.
"""

from __future__ import annotations

import copy
import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def _walk(node: Any, visit: Callable[[Any], Any]) -> Any:
    """``node`` rebuilt bottom-up, every dict and list passed through ``visit``."""
    if isinstance(node, dict):
        return visit({key: _walk(value, visit) for key, value in node.items()})
    if isinstance(node, list):
        return visit([_walk(value, visit) for value in node])
    return node


def rename_components(doc: dict[str, Any], renames: dict[str, str]) -> dict[str, Any]:
    """Components renamed (same content, same place in the order), every $ref to them updated."""
    refs = {f"#/components/schemas/{old}": f"#/components/schemas/{new}" for old, new in renames.items()}

    def visit(node: Any) -> Any:
        if isinstance(node, dict) and node.get("$ref") in refs:
            return {**node, "$ref": refs[node["$ref"]]}
        return node

    result = _walk(doc, visit)
    schemas = result["components"]["schemas"]
    result["components"]["schemas"] = {renames.get(name, name): schema for name, schema in schemas.items()}
    return result


def inline_components(doc: dict[str, Any], section: str, names: list[str]) -> dict[str, Any]:
    """Every ``$ref`` to the named components replaced by a copy of the component; the components dropped.

    Only bare ``{$ref: ...}`` nodes are inlined (a $ref with siblings would merge differently).
    """
    targets = {f"#/components/{section}/{name}": doc["components"][section][name] for name in names}

    def visit(node: Any) -> Any:
        if isinstance(node, dict) and set(node) == {"$ref"} and node["$ref"] in targets:
            return copy.deepcopy(targets[node["$ref"]])
        return node

    result = _walk(doc, visit)
    text = json.dumps(result)
    leftover = [ref for ref in targets if json.dumps(ref) in text]
    assert not leftover, f"references left with siblings: {leftover}"
    for name in names:
        del result["components"][section][name]
    return result


_ORDERLESS_LISTS = ("required", "enum", "oneOf", "anyOf", "allOf", "parameters", "tags", "security")


def reverse_order(doc: dict[str, Any]) -> dict[str, Any]:
    """Every mapping's keys, and every list whose order carries no meaning, in reverse order."""

    def visit(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                key: (list(reversed(value)) if key in _ORDERLESS_LISTS and isinstance(value, list) else value)
                for key, value in reversed(list(node.items()))
            }
        return node

    return _walk(doc, visit)


def rename_path_variable(doc: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    """``{old}`` renamed ``{new}`` in every path template and in those paths' path parameters."""
    result = copy.deepcopy(doc)
    paths: dict[str, Any] = {}
    for template, item in result["paths"].items():
        if "{" + old + "}" in template:
            template = template.replace("{" + old + "}", "{" + new + "}")
            for holder in [item, *(item[m] for m in METHODS if isinstance(item.get(m), dict))]:
                for parameter in holder.get("parameters", []):
                    if parameter.get("in") == "path" and parameter.get("name") == old:
                        parameter["name"] = new
        paths[template] = item
    result["paths"] = paths
    assert not any("{" + old + "}" in template for template in paths)
    return result


def _read(name: str) -> Any:
    text = gzip.decompress((HERE / name).read_bytes()).decode("utf-8")
    return json.loads(text) if name.endswith(".json.gz") else yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _write(name: str, old: dict[str, Any], new: dict[str, Any], ext: str) -> None:
    directory = HERE / name
    directory.mkdir(exist_ok=True)
    for side, doc in (("old", old), ("new", new)):
        if ext == "yaml":
            text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=120)
        else:
            text = json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
        # mtime 0: the same bytes on every run
        (directory / f"{side}.{ext}.gz").write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))


def main() -> None:
    openai = _read("openai-6/new.yaml.gz")
    _write("refactor-rename", openai, rename_components(openai, {"AssistantToolsFunction": "AssistantFunctionTool", "FunctionObject": "FunctionDefinition"}), "yaml")

    box = _read("box-3/new.json.gz")
    inlined = inline_components(box, "schemas", ["EnterpriseConfigurationItemBoolean", "FileReference", "Hub"])
    _write("refactor-inline", box, inline_components(inlined, "parameters", ["BoxVersionHeader"]), "json")

    adyen = _read("adyen-4/new.json.gz")
    _write("refactor-reorder", adyen, reverse_order(adyen), "json")

    twilio = _read("twilio-1/new.json.gz")
    _write("refactor-path-param", twilio, rename_path_variable(twilio, "Sid", "ResourceSid"), "json")


if __name__ == "__main__":
    main()
