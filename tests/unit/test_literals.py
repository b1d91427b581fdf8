"""Property: spec text printed into generated code as a string literal or a docstring is read back
by Python as that very text (no character ends the string early, none is lost or altered)."""

from __future__ import annotations

import ast

from hypothesis import given, settings
from hypothesis import strategies as st

from vapi_codegen.rendering.pycode import docstring, string_literal

# Any text: quotes, backslashes, line breaks and separators, control characters and the rest of Unicode.
any_text = st.text(
    alphabet=st.one_of(st.sampled_from(list('"\\\'\n\r\t\x00\x85\u2028\u2029 a')), st.characters(blacklist_categories=("Cs",)))
)


@settings(max_examples=500, deadline=None, derandomize=True)
@given(text=any_text)
def test_a_string_literal_reads_back_as_its_text(text: str) -> None:
    assert ast.literal_eval(string_literal(text)) == text


@settings(max_examples=500, deadline=None, derandomize=True)
@given(text=any_text)
def test_a_docstring_reads_back_as_its_text_with_its_lines_tidied(text: str) -> None:
    written = docstring(text)
    tidied = "\n".join(line.rstrip() for line in text.expandtabs(4).strip().splitlines())
    if written is None:
        assert not tidied.strip()
        return
    tree = ast.parse(written)
    assert len(tree.body) == 1  # one string statement: nothing broke out of it
    assert ast.literal_eval(written).rstrip() == tidied.rstrip()
