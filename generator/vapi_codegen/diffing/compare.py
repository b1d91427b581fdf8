"""Two loaded documents -> a judged, ordered report (wire changes, then package surface changes)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from vapi_codegen.diagnostics import Diagnostics, SpecError
from vapi_codegen.loading.document import Document
from vapi_codegen.model.build import build_api
from vapi_codegen.naming.identifiers import AttributeNames
from vapi_codegen.normalising.normaliser import Normaliser
from vapi_codegen.diffing.changes import Change
from vapi_codegen.diffing.model import WireComparison
from vapi_codegen.diffing.rules import API, PACKAGE, SEVERITIES, Rule, rule_for
from vapi_codegen.diffing.surface import SurfaceComparison

FAIL_ON = {"breaking": SEVERITIES[:1], "soft": SEVERITIES[:2], "warning": SEVERITIES[:3], "never": ()}


@dataclass(frozen=True)
class Finding:
    rule: Rule
    change: Change

    @property
    def message(self) -> str:
        return self.rule.describe(self.change)

    @property
    def operations(self) -> list[str]:
        return sorted(self.change.operations)

    def sort_key(self) -> tuple[object, ...]:
        return (
            (API, PACKAGE).index(self.rule.section),
            SEVERITIES.index(self.rule.severity),
            self.rule.id,
            self.change.old_pointer,
            self.change.new_pointer,
            json.dumps(self.change.details, sort_keys=True),
        )


@dataclass
class Report:
    old_file: str
    new_file: str
    findings: list[Finding]
    same_data: bool = False  # the two documents hold the same data (not one changed description)
    new_path: str = ""  # the NEW document's path as given (annotations point at it)

    def count(self, severity: str) -> int:
        return sum(1 for finding in self.findings if finding.rule.severity == severity)

    def fails(self, fail_on: str, surface: bool = False) -> bool:
        """True when a wire finding (or, with ``surface``, a generated-package one) is at or above ``--fail-on``."""
        sections = (API, PACKAGE) if surface else (API,)
        return any(finding.rule.severity in FAIL_ON[fail_on] and finding.rule.section in sections for finding in self.findings)


def compare_documents(old: Document, new: Document, attribute_names: AttributeNames = AttributeNames.PYTHON) -> Report:
    """Compare two spec versions; raises SpecError when either cannot be read as an API.

    ``attribute_names`` is how the generated package names model attributes (its surface compared).
    """
    old_diagnostics, new_diagnostics = Diagnostics(old.name), Diagnostics(new.name)
    # one reading per document, shared by the generator's model and the wire comparison
    old_reading, new_reading = Normaliser.for_document(old, old_diagnostics), Normaliser.for_document(new, new_diagnostics)
    old_api = build_api(old, old_diagnostics, old_reading, attribute_names)
    new_api = build_api(new, new_diagnostics, new_reading, attribute_names)
    wire = WireComparison(old_reading, new_reading).run()
    errors = old_diagnostics.errors + new_diagnostics.errors
    if errors:
        raise SpecError(errors)
    surface = SurfaceComparison(old_api, new_api, old_reading.registry, new_reading.registry).run()
    findings = [Finding(rule_for(change), change) for change in [*wire, *surface]]
    return Report(old.name, new.name, sorted(findings, key=Finding.sort_key), old.data == new.data, str(new.path))
