"""The severity policy as Markdown, generated from the rules table so that the two cannot drift.

``README.md`` shows ``policy_table()`` between the ``policy-table`` markers; a test keeps them equal.
Regenerate with ``python -m vapi_codegen.diffing.policy README.md``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from vapi_codegen.diffing.rules import API, RULES, Rule

START, END = "<!-- policy-table:start -->", "<!-- policy-table:end -->"
_SECTIONS = {API: "wire contract", "package": "generated package"}


def policy_table() -> str:
    """One row per rule: the change and when it applies, the direction, the severity and why."""
    lines = ["| section | change | direction | severity | rule | why |", "| --- | --- | --- | --- | --- | --- |"]
    for rule in RULES:
        lines.append(f"| {_SECTIONS[rule.section]} | {_change(rule)} | {rule.direction} | {_severity(rule)} | `{rule.id}` | {rule.why} |")
    return "\n".join(lines) + "\n"


def _change(rule: Rule) -> str:
    conditions = [key.replace("_", " ") if value is True else f"not {key.replace('_', ' ')}" for key, value in rule.when.items()]
    text = rule.change.replace("-", " ")
    return f"{text} ({', '.join(conditions)})" if conditions else text


def _severity(rule: Rule) -> str:
    return f"**{rule.severity}**" if rule.severity == "breaking" else rule.severity


def with_table(readme: str) -> str:
    """``readme`` with the text between the markers replaced by the table."""
    before, rest = readme.split(START, 1)
    _, after = rest.split(END, 1)
    return f"{before}{START}\n{policy_table()}{END}{after}"


if __name__ == "__main__":  # python -m vapi_codegen.diffing.policy README.md
    target = Path(sys.argv[1])
    target.write_text(with_table(target.read_text(encoding="utf-8")), encoding="utf-8")
