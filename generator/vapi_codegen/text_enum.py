"""``TextEnum``: the base of the generator's own enumerations of fixed words (kinds, locations, severities)."""

from __future__ import annotations

from enum import Enum


class TextEnum(str, Enum):
    """An enumeration whose members are their words: equal to, hashed, printed and formatted as the text.

    So a member reads exactly like the string it replaces, in messages, JSON and generated code alike
    (``enum.StrEnum`` does the same, from Python 3.11 only).
    """

    __str__ = str.__str__
    __format__ = str.__format__  # type: ignore[assignment]  # str's, on purpose: format like the word
