"""Diagnostics: problems found while reading a spec, as values with a severity.

Parsing collects diagnostics; only the CLI turns them into messages and exit codes.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from collections.abc import Iterator

from vapi_codegen.text_enum import TextEnum


class Severity(TextEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, located by file and JSON pointer."""

    severity: Severity
    file: str
    pointer: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}#{self.pointer}" if self.pointer else self.file
        return one_line(f"{where}: {self.severity}: {self.message}")


def one_line(text: str) -> str:
    """``text`` with every unprintable character escaped (``\\n``, ``\\x1b``, ``\\u2028``): a spec's key
    cannot break a message into lines, forge one (a CI annotation), or drive the terminal."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


class SpecError(Exception):
    """Raised when a spec cannot be turned into code, or the output directory cannot be used safely; carries every error found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))


@dataclass
class Diagnostics:
    """Collects warnings and errors for one spec file."""

    file: str
    items: list[Diagnostic] = field(default_factory=list)

    def warn(self, pointer: str, message: str) -> None:
        self._add(Severity.WARNING, pointer, message)

    def error(self, pointer: str, message: str) -> None:
        self._add(Severity.ERROR, pointer, message)

    def _add(self, severity: Severity, pointer: str, message: str) -> None:
        diagnostic = Diagnostic(severity, self.file, pointer, message)
        if diagnostic not in self.items:
            self.items.append(diagnostic)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def raise_if_errors(self, strict: bool = False) -> None:
        """Raise SpecError when there are errors; when strict, every warning counts as an error."""
        failing = [replace(d, severity=Severity.ERROR) for d in self.items] if strict else self.errors
        if failing:
            raise SpecError(list(dict.fromkeys(failing)))


def fail(file: str, pointer: str, message: str) -> SpecError:
    """Build a SpecError holding a single error."""
    return SpecError([Diagnostic(Severity.ERROR, file, pointer, message)])



@contextmanager
def deep_recursion_refused(file: str) -> Iterator[None]:
    """Turn a ``RecursionError`` into a SpecError for ``file``: the document's nesting is bounded when
    it is loaded, but a chain of ``$ref``s (each schema an ``allOf`` of the next) can still be too long."""
    try:
        yield
    except RecursionError:
        raise fail(file, "", "its schemas refer to each other in chains too long to follow ($ref/allOf nested too deep)") from None
