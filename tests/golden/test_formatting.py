"""The output is black-formatted although ruff formats it: black leaves every generated file unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import black
import pytest

from vapi_codegen.rendering.compile_check import InvalidGeneratedCode
from vapi_codegen.rendering.formatting import RUFF_VERSION, format_python_files
from vapi_codegen.pipeline import generate_files
from vapi_codegen.rendering.pycode import docstring
from vapi_codegen.rendering.render import TEMPLATES_DIR

from ..conftest import ROOT, SHARED_SPECS, needs_shared_specs

BLACK_MODE = black.Mode(target_versions={black.TargetVersion.PY310}, line_length=88)
SPECS = sorted(SHARED_SPECS.glob("*.yml"))


@needs_shared_specs
def test_the_shared_specs_are_there() -> None:
    assert len(SPECS) == 15


@pytest.mark.parametrize("spec", SPECS, ids=[spec.name for spec in SPECS])
def test_black_leaves_the_generated_code_unchanged(spec: Path) -> None:
    files = generate_files(spec, "pkg").files
    copied_verbatim = {f"pkg/{path.name}" for path in (TEMPLATES_DIR / "runtime").iterdir()}
    python = {path: text for path, text in files.items() if path.endswith(".py") and path not in copied_verbatim}
    assert "pkg/models.py" in python
    for path, text in python.items():
        assert black.format_str(text, mode=BLACK_MODE) == text, f"{spec.name}: {path} is not black's output"


def _docstring_cases(extra_indent: int = 0) -> dict[str, str]:
    """Docstrings at the edges where ruff and black disagree unless rendered in black's shape."""
    texts = {
        "ends-with-quote": 'The default is "sentence"',
        "multi-line-ends-with-quote": 'First line.\n\n@default "speech-02-turbo"',
        "long-last-line": "First line.\n\n" + "x" * 82,
        "long-last-line-indented": "First line.\n" + "  " + "x" * 80,
        "long-single-line": "y" * 95,
        "last-line-just-fits": "First line.\n" + "z" * 81,
        "ends-with-backslash": "a path C:\\temp\\",
    }
    cases = {}
    for name, text in texts.items():
        for depth in (0, 1, 2):
            head = "".join("    " * level + f"class C{level}:\n" for level in range(depth))
            indent = "    " * depth
            cases[f"{name}-{depth}.py"] = f"{head}{indent}{docstring(text, indent=len(indent) + extra_indent)}\n{indent}x = 1\n"
    return cases


def test_docstrings_are_rendered_the_way_both_formatters_leave_them() -> None:
    # also with the indent overestimated, as the default (8) does for a class docstring
    overestimated = {f"over-{name}": source for name, source in _docstring_cases(extra_indent=4).items()}
    cases = {**_docstring_cases(), **overestimated}
    formatted = format_python_files(cases)
    for name, source in cases.items():
        expected = black.format_str(source, mode=BLACK_MODE)
        assert formatted[name] == expected, name
        assert black.format_str(expected, mode=BLACK_MODE) == expected, name


def test_a_docstring_ending_in_a_quote_keeps_its_value() -> None:
    namespace: dict[str, object] = {}
    doc = docstring('say "hi"')
    exec(f"def f():\n    {doc}\n", namespace)  # noqa: S102 - our own literal
    assert namespace["f"].__doc__ == 'say "hi"'  # type: ignore[attr-defined]


def test_unparsable_code_is_an_internal_error_naming_the_module_and_line() -> None:
    source = "x = 1\ndef f(a=1, b):\n    pass\n"
    with pytest.raises(InvalidGeneratedCode) as caught:
        format_python_files({"ok.py": "y = 2\n", "pkg/broken.py": source})
    message = str(caught.value)
    assert message.startswith("internal error: vapi-codegen generated invalid Python in pkg/broken.py, line 2: ")
    assert "'def f(a=1, b):'" in message and "formatting" not in message


def test_the_formatter_version_is_the_pinned_one() -> None:
    pins = re.findall(r'"ruff==([^"]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pins == [RUFF_VERSION]
    assert format_python_files({"module.py": "x  =  1\n"}) == {"module.py": "x = 1\n"}


def test_a_module_in_pieces_is_formatted_whole_and_checked_with_its_own_line_numbers() -> None:
    assert format_python_files({"m.py": ["x  =  1\n", "\n\ndef f( ):\n    return x\n"]}) == {"m.py": "x = 1\n\n\ndef f():\n    return x\n"}
    with pytest.raises(InvalidGeneratedCode, match=r"in m\.py, line 6: .*'def g\(a=1, b\):'"):
        format_python_files({"m.py": ["x = 1\n", "\n\ndef f():\n    pass\ndef g(a=1, b):\n    pass\n"]})
