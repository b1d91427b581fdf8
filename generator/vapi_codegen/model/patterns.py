r"""Which regex engine checks a schema's ``pattern`` in the generated models.

pydantic's default engine is Rust's ``regex`` crate: it matches in time linear in the input, so no
pattern lets one request pin a CPU (ReDoS), the way ``^(a+)+$`` does with Python's backtracking
``re``. But it lacks part of ``re`` (lookaround, backreferences, conditionals, atomic groups,
possessive quantifiers, ``\Z``), refuses some patterns ``re`` reads as plain text (``a{b``), reads a
few others differently (``[[:alpha:]]``, ``[a&&b]``, ``\<``, ``a++``), and refuses a pattern whose
compiled program would pass 10 MiB (``\w{300}``).

:func:`rust_can_run` therefore accepts a pattern only when it keeps to a subset that both engines
read alike and that compiles well within Rust's size limit; anything else is checked with Python's
``re`` on length-capped input (:func:`python_max_length`). A wrong "no" only costs that fallback;
a wrong "yes" would break the model (pydantic refuses the pattern when it builds it) or change what
it accepts, so the check is conservative. It is plain Python, not a trial compile with ``pydantic_core``: pydantic is
not a dependency of the generator (only of the generated package), and the generated code must
not depend on which pydantic, if any, is installed where it is generated.
(``tests/security/test_pattern_engines.py`` checks the subset against the installed ``pydantic_core``.)

The differences left are those of Unicode tables (``\w``, ``\s`` and case folding on rare
characters) and one in the subset's favour: without the ``m`` flag Python's ``$`` also matches
before a final line break, Rust's only at the very end, like the ECMA-262 regexes of JSON Schema.
"""

from __future__ import annotations

import re
import string

PYTHON_INPUT_CAP = 1000
"""The longest string a pattern only Python can run is tried on (unless ``minLength`` asks more)."""

# Rust refuses a program over 10 MiB; the costs below are upper bounds (measured with regex 1.x,
# plus a margin) of what one character test adds to it.
_SIZE_BUDGET = 4 * 1024 * 1024
_WORD_COST = 64 * 1024  # \w \W \d \D: large Unicode classes
_WIDE_COST = 4 * 1024  # . \s \S, a negated class, a non-ASCII character
_CHAR_COST = 512  # an ASCII character, in any case
_NEST_LIMIT = 32  # groups inside groups (Rust refuses past 250 nested groups and repetitions)

_CLASS_ESCAPES = {"w": _WORD_COST, "W": _WORD_COST, "d": _WORD_COST, "D": _WORD_COST, "s": _WIDE_COST, "S": _WIDE_COST}
_CONTROL_ESCAPES = frozenset("afnrtv")
_ASSERTION_ESCAPES = frozenset("AbB")
_HEX_ESCAPE_DIGITS = {"x": 2, "u": 4, "U": 8}
_ESCAPED_PUNCTUATION = frozenset(string.punctuation) - {"<", ">"}  # Rust reads \< \> as word boundaries
_COUNTED_REPEAT = re.compile(r"\{([0-9]+)(,([0-9]*))?\}")
_GROUP_OPENING = re.compile(r"\?(?::|P<[A-Za-z_][A-Za-z0-9_]*>|(?P<flags>[ims]+):?)")
_CLASS_SET_OPERATORS = ("&&", "--", "~~")


def python_can_run(pattern: str) -> bool:
    """Whether Python's ``re`` compiles ``pattern``."""
    try:
        re.compile(pattern)
    except (re.error, OverflowError, RecursionError):
        return False
    return True


def rust_can_run(pattern: str) -> bool:
    """Whether pydantic's Rust engine compiles ``pattern`` and matches what Python's ``re`` would."""
    if not python_can_run(pattern):
        return False
    try:
        return _Scanner(pattern).cost() <= _SIZE_BUDGET
    except _Unsupported:
        return False


def python_max_length(min_length: int | None, max_length: int | None) -> int:
    """The ``maxLength`` a string checked by Python's ``re`` gets: the schema's, capped.

    The cap bounds the time any backtracking pattern can take on one value; it is raised to the
    schema's ``minLength`` when that is larger, so the field stays satisfiable.
    """
    cap = max(PYTHON_INPUT_CAP, min_length or 0)
    return cap if max_length is None else min(max_length, cap)


class _Unsupported(Exception):
    """The pattern leaves the subset both engines read alike."""


class _Scanner:
    """Walks a pattern Python compiles, adding up an upper bound of its size compiled by Rust.

    Raises ``_Unsupported`` at the first construct outside the shared subset. Malformed patterns
    need no care: Python has refused them already.
    """

    def __init__(self, pattern: str):
        self.pattern = pattern
        self.at = 0
        self.depth = 0

    def cost(self) -> int:
        """The whole pattern's cost."""
        total = self.alternation()
        if self.at != len(self.pattern):
            raise _Unsupported("unbalanced ')'")
        return total

    def peek(self) -> str:
        """The next character, or ``""`` at the end."""
        return self.pattern[self.at : self.at + 1]

    def take(self) -> str:
        """Consume and return the next character."""
        char = self.peek()
        if not char:
            raise _Unsupported("unexpected end")
        self.at += 1
        return char

    def alternation(self) -> int:
        """Alternatives up to the end of the pattern or of the enclosing group."""
        total = self.sequence()
        while self.peek() == "|":
            self.at += 1
            total += self.sequence()
        return total

    def sequence(self) -> int:
        """Atoms with their quantifiers, up to ``|``, ``)`` or the end."""
        total = 0
        while self.peek() not in ("", "|", ")"):
            total += self.atom() * self.repetition()
        return total

    def atom(self) -> int:
        """One character test, anchor or group."""
        char = self.take()
        if char == "(":
            return self.group()
        if char == "[":
            return self.character_class()
        if char == "\\":
            return self.escape(in_class=False)
        if char == ".":
            return _WIDE_COST
        if char in "^$":
            return 0
        if char in "{}":
            raise _Unsupported("a literal brace (Rust reads it as a malformed repetition)")
        return _character_cost(char)

    def repetition(self) -> int:
        """How many copies of the preceding atom Rust compiles for the quantifier here (1 if none)."""
        char = self.peek()
        if char in ("*", "?"):
            self.at += 1
            copies = 1
        elif char == "+":  # compiled as one copy, then a loop over a second
            self.at += 1
            copies = 2
        elif char == "{":
            copies = self.counted_repetition()
        else:
            return 1
        if self.peek() == "?":  # lazy: the same program
            self.at += 1
        if self.peek() in ("*", "+", "?", "{"):
            raise _Unsupported("a quantifier after a quantifier (possessive in Python, nested in Rust)")
        return copies

    def counted_repetition(self) -> int:
        """``{n}``, ``{n,}`` or ``{n,m}``: the copies Rust compiles."""
        match = _COUNTED_REPEAT.match(self.pattern, self.at)
        if not match:
            raise _Unsupported("a brace that is not a repetition")
        self.at = match.end()
        low, comma, high = match.groups()
        if comma and not high:
            return int(low) + 1
        return max(int(high or low), 1)

    def group(self) -> int:
        """A group, its ``(`` taken: capturing, ``(?:``, ``(?P<name>`` or inline flags ``(?i)``."""
        if self.peek() == "?":
            opening = _GROUP_OPENING.match(self.pattern, self.at)
            flags = opening and opening["flags"]
            if not opening or (flags and len(set(flags)) != len(flags)):
                raise _Unsupported("lookaround, backreference, comment, atomic group, conditional or flag")
            self.at = opening.end()
        self.depth += 1
        if self.depth > _NEST_LIMIT:
            raise _Unsupported("groups nested too deep")
        total = self.alternation()
        self.depth -= 1
        self.take()  # the closing ")"
        return total

    def character_class(self) -> int:
        """A bracketed class, its ``[`` taken: its members' costs (plus a negation's)."""
        total = 0
        if self.peek() == "^":
            self.at += 1
            total += _WIDE_COST
        if self.peek() == "]":  # first, it is a member in both engines
            self.at += 1
            total += _CHAR_COST
        while (char := self.take()) != "]":
            if char == "[" or self.pattern.startswith(_CLASS_SET_OPERATORS, self.at - 1):
                raise _Unsupported("a nested class or set operation (Rust only)")
            total += self.escape(in_class=True) if char == "\\" else _character_cost(char)
        return total

    def escape(self, in_class: bool) -> int:
        """An escape sequence, its backslash taken."""
        char = self.take()
        if char in _CLASS_ESCAPES:
            return _CLASS_ESCAPES[char]
        if char in _HEX_ESCAPE_DIGITS:
            digits = self.pattern[self.at : self.at + _HEX_ESCAPE_DIGITS[char]]
            self.at += len(digits)
            return _character_cost(chr(int(digits, 16)))
        if char in _CONTROL_ESCAPES or char in _ESCAPED_PUNCTUATION:
            return _CHAR_COST
        if char in _ASSERTION_ESCAPES and not in_class:
            return 0
        raise _Unsupported(f"the escape \\{char}")


def _character_cost(char: str) -> int:
    """What testing for one literal character costs."""
    if "\ud800" <= char <= "\udfff":
        raise _Unsupported("a lone surrogate (not a Unicode scalar value, which Rust needs)")
    return _CHAR_COST if char.isascii() else _WIDE_COST
