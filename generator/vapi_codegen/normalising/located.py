"""A node of the spec and the JSON pointer where it is written."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Located:
    """A sub-schema (or parameter, body...) and the pointer where it is written."""

    node: Any
    pointer: str
