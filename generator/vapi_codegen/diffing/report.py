"""Formatters: one function per output format, each a pure function of the report."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from vapi_codegen.diffing.compare import Finding, Report
from vapi_codegen.diffing.rules import API, PACKAGE, SEVERITIES
from vapi_codegen.diagnostics import one_line

_SECTION_TITLES = {API: "Wire contract", PACKAGE: "Generated package"}


def _summary(report: Report) -> str:
    return ", ".join(f"{report.count(severity)} {severity}" for severity in SEVERITIES)


def _sections(report: Report) -> list[tuple[str, list[Finding]]]:
    grouped = [(title, [f for f in report.findings if f.rule.section == section]) for section, title in _SECTION_TITLES.items()]
    return [(title, findings) for title, findings in grouped if findings]


def to_text(report: Report) -> str:
    """The report for a terminal: a summary line, then one block per finding."""
    lines = [f"{report.old_file} -> {report.new_file}: {_summary(report) if report.findings else 'no changes'}"]
    for title, findings in _sections(report):
        lines += ["", f"{title}:"]
        for finding in findings:
            change = finding.change
            lines.append(f"  {finding.rule.severity.upper():8} {finding.rule.id}: {finding.message}")
            lines.append(f"           old: {report.old_file}#{change.old_pointer}")
            lines.append(f"           new: {report.new_file}#{change.new_pointer}")
            if finding.operations:
                lines.append(f"           via: {', '.join(finding.operations)}")
    return "\n".join(map(one_line, lines)) + "\n"


def to_json_data(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data."""
    return {
        "old": report.old_file,
        "new": report.new_file,
        "summary": {severity: report.count(severity) for severity in SEVERITIES},
        "changes": [
            {
                "id": finding.rule.id,
                "severity": finding.rule.severity,
                "section": finding.rule.section,
                "direction": finding.change.direction,
                "message": finding.message,
                "old": finding.change.old_pointer,
                "new": finding.change.new_pointer,
                "operations": finding.operations,
                "details": finding.change.details,
            }
            for finding in report.findings
        ],
    }


def to_json(report: Report) -> str:
    """The report as indented JSON."""
    return json.dumps(to_json_data(report), indent=2, sort_keys=False) + "\n"


_MARKDOWN_SYNTAX = re.compile(r"([\\`*_\[\]!~])")  # emphasis, code, links and images, strikethrough
# GitHub turns ``@name`` into a notification and ``#12`` into a cross-reference on issue 12; a zero-width
# space after the sign keeps the text as it reads (an ``&`` before ``#`` is one of our own entities)
_REFERENCE_SIGN = re.compile(r"(?<!&)([@#])(?=\w)")


def _cell(text: str) -> str:
    """Spec text made inert inside a table cell: no HTML, no column or line breaks, no emphasis, link
    or image (a backslash before each character that could start one), no mention or issue reference."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace("|", "&#124;")
    inert = _MARKDOWN_SYNTAX.sub(r"\\\1", one_line(escaped.replace("\n", " ")))
    return _REFERENCE_SIGN.sub("\\1&#8203;", inert)


def _code(text: str) -> str:
    return f"<code>{_cell(text)}</code>"


def to_markdown(report: Report) -> str:
    """The report as Markdown tables (for a pull-request comment), spec text made inert."""
    lines = [f"## API changes: {_code(report.old_file)} → {_code(report.new_file)}", ""]
    lines.append(f"**{_summary(report)}**" if report.findings else "No changes.")
    for title, findings in _sections(report):
        lines += ["", f"### {title}", "", "| severity | rule | change | old | new |", "| --- | --- | --- | --- | --- |"]
        for finding in findings:
            change = _cell(finding.message)
            if finding.operations:
                change += " (via " + ", ".join(_cell(op) for op in finding.operations) + ")"
            lines.append(
                f"| {finding.rule.severity} | `{finding.rule.id}` | {change} "
                f"| {_code('#' + finding.change.old_pointer)} | {_code('#' + finding.change.new_pointer)} |"
            )
    return "\n".join(lines) + "\n"


_ANNOTATION_LEVELS = {"breaking": "error", "soft": "warning", "warning": "warning", "info": "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(report: Report) -> str:
    """GitHub Actions workflow commands: one annotation per finding on the NEW document, then a summary notice.

    Breaking findings are errors, soft ones and warnings are warnings, the rest notices; spec text is
    escaped so that it cannot end the command or start another.
    """
    file = _escape_property(report.new_path or report.new_file)
    lines = []
    for finding in report.findings:
        change = finding.change
        where = (
            f" (old: #{change.old_pointer}; new: #{change.new_pointer}"
            + (f"; via {', '.join(finding.operations)}" if finding.operations else "")
            + ")"
        )
        title = _escape_property(f"{finding.rule.id} ({finding.rule.severity})")
        lines.append(f"::{_ANNOTATION_LEVELS[finding.rule.severity]} file={file},title={title}::{_escape_data(finding.message + where)}")
    summary = _summary(report) if report.findings else "no changes"
    lines.append(f"::notice title={_escape_property('vapi-codegen diff')}::{_escape_data(f'{report.old_file} -> {report.new_file}: {summary}')}")
    return "\n".join(lines) + "\n"


FORMATTERS: dict[str, Callable[[Report], str]] = {"text": to_text, "json": to_json, "markdown": to_markdown, "github": to_github}
