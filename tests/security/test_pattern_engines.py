r"""Which engine runs a spec's pattern: ``vapi_codegen.model.patterns.rust_can_run`` against the real engines.

A pattern it accepts goes to pydantic's linear-time Rust engine, so it must compile there and match
exactly what Python's ``re`` matches (but for ``$`` before a final line break, where Rust, like
JSON Schema, is stricter). Everything else falls back to Python, which is always safe.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import SchemaValidator, core_schema

from vapi_codegen.model.patterns import PYTHON_INPUT_CAP, python_max_length, rust_can_run

pytestmark = pytest.mark.filterwarnings("ignore::FutureWarning")  # re warns about [[ and && in classes


def rust_validator(pattern: str) -> SchemaValidator:
    """A string validator running ``pattern`` with pydantic's Rust engine (raises if it cannot)."""
    return SchemaValidator(core_schema.str_schema(pattern=pattern, regex_engine="rust-regex"))


RUST_RUNS = [
    "^(a+)+$",  # catastrophic for a backtracking engine, linear for Rust's
    "^[a-zA-Z0-9_-]{1,40}$",
    r"^\+?[1-9]\d{1,14}$",
    "(?i)^[a-z]+$",  # a JavaScript /^[a-z]+$/i, unwrapped
    "(?ms)^a.b$",
    "(?i:a)b",
    "(?P<area>[0-9]{3})",
    r"\x41\u00e9\U0001F600",
    r"a\/b\-c\.d\$\{\}",
    "[]a]",
    "[^]a]",
    r"[\w.-]+@[\w-]+\.\w+",
    r"\bword\B",
    r"\Aa",
    "a|",
    ".{1,1000}",
    r"\w{60}",
    '^(""")?$',
    "",
]

PYTHON_ONLY = {
    "lookahead": "^(?!abc).*$",
    "negative lookbehind": "^.*(?<!x)$",
    "lookbehind": "(?<=a)b",
    "backreference": r"(a)\1",
    "named backreference": "(?P<x>a)(?P=x)",
    "conditional": "(a)?(?(1)b|c)",
    "atomic group": "(?>a+)b",
    "possessive quantifier": "a++",  # Rust reads it as (a+)+
    "comment group": "(?#note)a",
    "verbose flag": "(?x)a b",
    "ASCII flag": "(?a)\\w",
    "end before newline": r"a\Z",
    "octal escape": r"\012",
    "named character": r"\N{DIGIT ONE}",
    "word-start escape": r"\<a",  # Rust: a word boundary; Python: '<'
    "POSIX class": "[[:alpha:]]",  # Rust: letters; Python: a set of ':alph[' then ']'
    "class intersection": "[a-z&&b]",
    "class difference": "[a-z--b]",
    "backspace in a class": r"[\b]",
    "literal brace": "({{ 7*7 }})?",
    "brace without minimum": "a{,3}",
    "brace with spaces": "a{ 2}",
    "over Rust's size limit": r"\w{1000}",
    "near Rust's size limit": r"\w{100}",
    "deeply nested": "(" * 40 + "a" + ")" * 40,
    "lone surrogate": "\ud800",
    "Python cannot compile": "[",
    "Unicode property (Python cannot compile)": r"\p{L}",
}


@pytest.mark.parametrize("pattern", RUST_RUNS)
def test_patterns_in_the_shared_subset_go_to_rust(pattern: str) -> None:
    assert rust_can_run(pattern)
    rust_validator(pattern)  # compiles


@pytest.mark.parametrize("pattern", PYTHON_ONLY.values(), ids=PYTHON_ONLY.keys())
def test_patterns_outside_the_shared_subset_stay_with_python(pattern: str) -> None:
    assert not rust_can_run(pattern)


@pytest.mark.parametrize(
    ("min_length", "max_length", "expected"),
    [(None, None, PYTHON_INPUT_CAP), (None, 20, 20), (None, 10**6, PYTHON_INPUT_CAP), (5000, None, 5000), (5000, 6000, 5000)],
)
def test_python_patterns_get_a_length_cap(min_length: int | None, max_length: int | None, expected: int) -> None:
    assert python_max_length(min_length, max_length) == expected


SHARED_ATOMS = ["a", "b", "é", ".", r"\d", r"\w", r"\W", r"\s", r"\b", "^", "$", "[ab]", "[^a]", "[a-c]", "[]a]",
                r"[\w-]", r"\.", r"\-", r"\/", r"\x41", r"\u00e9", "-", "]", " ", "_"]
PYTHON_ATOMS = ["(?=a)", "(?!b)", "(?<=a)", "(?<!b)", r"(a)\1", r"\Z", "[[:alpha:]]", r"\<", "{", "a{,2}", "[a&&b]", "[a--b]",
                "(?>a)", r"[\b]"]
QUANTIFIERS = ["*", "+", "?", "{2}", "{1,3}", "{2,}", "*?", "+?", "{1,2}?", "++", "*+", "{ 2}"]
GROUP_OPENINGS = ["(", "(?:", "(?i:", "(?s:", "(?m:", "(?P<g>"]


def _patterns() -> st.SearchStrategy[str]:
    """Random patterns, mostly from the shared subset, some with a construct only Python has."""
    leaves = st.one_of(st.sampled_from(SHARED_ATOMS), st.sampled_from(SHARED_ATOMS), st.sampled_from(PYTHON_ATOMS))
    tree = st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, min_size=2, max_size=4).map("".join),
            st.lists(inner, min_size=2, max_size=3).map("|".join),
            st.tuples(st.sampled_from(GROUP_OPENINGS), inner).map(lambda pair: f"{pair[0]}{pair[1]})"),
            st.tuples(inner, st.sampled_from(QUANTIFIERS)).map("".join),
        ),
        max_leaves=8,
    )
    return st.tuples(st.sampled_from(["", "(?i)", "(?m)", "(?s)", "(?ims)"]), tree).map("".join)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(pattern=_patterns(), values=st.lists(st.text(alphabet="abAB é.\n-/1_]", max_size=8), max_size=12))
def test_the_shared_subset_matches_alike_in_both_engines(pattern: str, values: list[str]) -> None:
    if not rust_can_run(pattern):
        return
    rust, python = rust_validator(pattern), re.compile(pattern)
    for value in values:
        if not value.endswith("\n"):  # Python's $ also matches before a final line break
            assert rust.isinstance_python(value) == bool(python.search(value)), (pattern, value)
