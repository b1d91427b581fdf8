"""Overlays (OAI Overlay 1.0) applied to a loaded document: update, append, remove, and bad overlays."""

from __future__ import annotations

from pathlib import Path

import pytest

from vapi_codegen.diagnostics import SpecError
from vapi_codegen.loading.overlay import apply_overlays, load_overlay
from vapi_codegen.loading.document import load_document

SPEC = """\
openapi: 3.0.3
info: {title: t, version: "1"}
tags: [{name: a}]
paths:
  /things:
    get: {operationId: list, responses: {'200': {description: ok}}}
    post: {operationId: create, deprecated: true, responses: {'201': {description: ok}}}
components:
  schemas:
    Thing:
      type: object
      required: [id]
      properties:
        id: {type: string}
        note: {type: object, description: free text}
        secret: {type: string}
"""


def _apply(tmp_path: Path, *overlays: str) -> tuple[dict, list[str]]:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    paths = []
    for index, text in enumerate(overlays):
        path = tmp_path / f"overlay{index}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    document, warnings = apply_overlays(load_document(spec), [load_overlay(p) for p in paths])
    return document.data, [str(w) for w in warnings]


def _overlay(actions: str) -> str:
    return "overlay: 1.0.0\ninfo: {title: o, version: '1'}\nactions:\n" + actions


def test_update_merges_into_objects_and_replaces_scalars(tmp_path: Path) -> None:
    data, warnings = _apply(tmp_path, _overlay("  - target: $.components.schemas.Thing.properties.note\n    update: {type: string, maxLength: 5}\n"))
    assert data["components"]["schemas"]["Thing"]["properties"]["note"] == {"type": "string", "description": "free text", "maxLength": 5}
    assert warnings == []


def test_update_appends_to_arrays_at_the_target_and_inside_the_merge(tmp_path: Path) -> None:
    data, _ = _apply(
        tmp_path,
        _overlay(
            "  - target: $.tags\n    update: {name: b}\n"
            "  - target: $.components.schemas.Thing\n    update: {required: [note]}\n"
        ),
    )
    assert data["tags"] == [{"name": "a"}, {"name": "b"}]
    assert data["components"]["schemas"]["Thing"]["required"] == ["id", "note"]


def test_remove_deletes_every_selected_node_and_filters_select_by_value(tmp_path: Path) -> None:
    data, _ = _apply(
        tmp_path,
        _overlay(
            "  - target: $.components.schemas.Thing.properties.secret\n    remove: true\n"
            "  - target: $.paths['/things'][?@.deprecated == true]\n    remove: true\n"
        ),
    )
    assert "secret" not in data["components"]["schemas"]["Thing"]["properties"]
    assert list(data["paths"]["/things"]) == ["get"]


def test_a_node_selected_twice_is_updated_or_removed_once(tmp_path: Path) -> None:
    data, _ = _apply(
        tmp_path,
        _overlay(
            "  - target: $.components.schemas['Thing','Thing'].required\n    update: note\n"
            "  - target: $.components.schemas.Thing.properties['secret','secret']\n    remove: true\n"
            "  - target: $.tags[*,0]\n    remove: true\n"
        ),
    )
    thing = data["components"]["schemas"]["Thing"]
    assert thing["required"] == ["id", "note"]
    assert list(thing["properties"]) == ["id", "note"]
    assert data["tags"] == []


def test_overlays_apply_in_order_and_leave_the_loaded_document_alone(tmp_path: Path) -> None:
    first = _overlay("  - target: $.info\n    update: {title: one}\n")
    second = _overlay("  - target: $.info\n    update: {title: two}\n")
    data, _ = _apply(tmp_path, first, second)
    assert data["info"]["title"] == "two"
    assert load_document(tmp_path / "spec.yaml").data["info"]["title"] == "t"


def test_a_target_that_selects_nothing_is_a_warning_with_the_action_pointer(tmp_path: Path) -> None:
    _, warnings = _apply(tmp_path, _overlay("  - target: $.components.schemas.Missing\n    update: {type: string}\n"))
    assert warnings == ["overlay0.yaml#/actions/0/target: warning: target '$.components.schemas.Missing' selects nothing"]


@pytest.mark.parametrize(
    ("text", "pointer", "message"),
    [
        ("overlay: 2.0.0\ninfo: {title: o, version: '1'}\nactions: [{target: $, update: {}}]\n", "/overlay", "Overlay 1.x"),
        ("overlay: 1.0.0\ninfo: {title: o, version: '1'}\nactions: []\n", "/actions", "non-empty list"),
        (_overlay("  - target: components\n    update: {}\n"), "/actions/0", "starting with '$'"),
        (_overlay("  - target: $.info\n    description: nothing to do\n"), "/actions/0", "'update' or 'remove: true'"),
        (_overlay("  - target: $.info[\n    update: {}\n"), "/actions/0/target", "invalid JSONPath"),
        (_overlay("  - target: $.info.title\n    update: {x: 1}\n"), "/actions/0/target", "applies to an object"),
        (_overlay("  - target: $\n    remove: true\n"), "/actions/0/target", "root cannot be removed"),
    ],
)
def test_a_bad_overlay_is_one_error_naming_the_overlay_and_pointer(tmp_path: Path, text: str, pointer: str, message: str) -> None:
    with pytest.raises(SpecError) as caught:
        _apply(tmp_path, text)
    [diagnostic] = caught.value.diagnostics
    assert (diagnostic.file, diagnostic.pointer) == ("overlay0.yaml", pointer)
    assert message in diagnostic.message


def test_an_overlay_cannot_turn_the_document_into_one_that_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as raised:
        _apply(tmp_path, _overlay("  - target: $\n    update: {openapi: '2.0'}\n"))
    assert [str(d) for d in raised.value.diagnostics] == [
        "spec.yaml#/openapi: error: unsupported OpenAPI version '2.0': 3.0 or 3.1 is required (once the overlays are applied)"
    ]
