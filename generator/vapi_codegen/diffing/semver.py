"""The version bump a change of spec needs in the emitted package, with the findings that decide it.

- **major** when a public name of the package or a guarantee of the wire contract breaks: any
  ``breaking`` finding, in either section, and any public name removed (an attribute is a warning in
  the report, since the model keeps the value at run time, but code naming it no longer type-checks);
- **minor** when something is added (an operation, a property, an enum value, a class, a method...):
  any other finding whose change adds something, or a ``soft`` one (a new response value is an addition);
- **patch** for any other change, prose included (descriptions become docstrings); **none** when the
  two documents hold the same data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vapi_codegen.diffing.compare import Finding, Report
from vapi_codegen.diffing.rules import BREAKING, PACKAGE, SOFT

LEVELS = ("major", "minor", "patch", "none")
_RELEASE = re.compile(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?$")


@dataclass(frozen=True)
class Bump:
    level: str  # one of LEVELS
    reasons: list[Finding]  # the findings that decide the level (none for patch and none)

    def to_text(self) -> str:
        lines = [self.level]
        lines += [f"  {finding.rule.severity:8} {finding.rule.id}: {finding.message}" for finding in self.reasons]
        return "\n".join(lines) + "\n"


def bump_for(report: Report) -> Bump:
    """The bump ``report``'s findings call for."""
    breaking = [
        finding
        for finding in report.findings
        if finding.rule.severity == BREAKING or (finding.rule.section == PACKAGE and finding.change.kind.endswith("-removed"))
    ]
    if breaking:
        return Bump("major", breaking)
    additions = [finding for finding in report.findings if finding.rule.severity == SOFT or finding.change.kind.endswith("-added")]
    if additions:
        return Bump("minor", additions)
    return Bump("none" if report.same_data else "patch", [])


def next_version(previous: str, level: str) -> str:
    """``previous`` (``MAJOR[.MINOR[.PATCH]]``) raised by ``level``; a version of another form counts as 0.0.0."""
    match = _RELEASE.match(previous.strip())
    major, minor, patch = (int(part or 0) for part in match.groups()) if match else (0, 0, 0)
    if level == "major":
        return f"{major + 1}.0.0"
    if level == "minor":
        return f"{major}.{minor + 1}.0"
    if level == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return f"{major}.{minor}.{patch}"
