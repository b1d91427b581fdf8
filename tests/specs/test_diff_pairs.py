"""The differ against a reviewer's verdicts on real consecutive spec versions (``tests/diff_pairs/``).

For every pair: the diff runs, every expected hard break is reported as breaking (recall), and a
refactor-only pair reports nothing breaking or soft on the wire. Precision over the whole corpus is measured
by ``bench/diff_eval.py``, which shares the matching code used here.

What the differ gets wrong today is listed in ``KNOWN_MISSES`` / ``KNOWN_FALSE_ALARMS`` /
``KNOWN_FAILURES`` and marked ``xfail(strict=True)``: when a fix makes one pass, the test fails until
its entry is removed, so every improvement is noticed.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from vapi_codegen.cli import main
from vapi_codegen.diffing.rules import RULES

from ..conftest import ROOT

_spec = importlib.util.spec_from_file_location("diff_eval", ROOT / "bench" / "diff_eval.py")
assert _spec and _spec.loader
diff_eval = importlib.util.module_from_spec(_spec)
sys.modules["diff_eval"] = diff_eval  # dataclasses look their module up by name
_spec.loader.exec_module(diff_eval)

PAIRS = {pair.name: pair for pair in diff_eval.load_pairs()}

# expected hard breaks the differ does not report as breaking: "pair/id" -> why
KNOWN_MISSES: dict[str, str] = {}

# refactor-only pairs where the differ reports breaking or soft wire changes: pair -> why
KNOWN_FALSE_ALARMS: dict[str, str] = {}

# pairs the differ cannot compare at all: pair -> why
KNOWN_FAILURES: dict[str, str] = {}


def _known(table: dict[str, str], key: str) -> list[Any]:
    return [pytest.mark.xfail(strict=True, reason=table[key])] if key in table else []


def test_the_known_failures_name_real_pairs_and_breaks() -> None:
    hard = {f"{name}/{item['id']}" for name, pair in PAIRS.items() for item in pair.items("hard")}
    assert set(KNOWN_MISSES) <= hard
    assert set(KNOWN_FALSE_ALARMS) <= {name for name, pair in PAIRS.items() if pair.refactor}
    assert set(KNOWN_FAILURES) <= set(PAIRS)


def test_verdicts_name_existing_rules() -> None:
    """A misspelt rule id would silently never match."""
    known = {rule.id for rule in RULES} | {"*"}
    named = {
        rule
        for pair in PAIRS.values()
        for category in ("hard", "soft", "unscored")
        for item in pair.items(category)
        for alternative in diff_eval._alternatives(item)
        for rule in ([alternative["rule"]] if isinstance(alternative["rule"], str) else alternative["rule"])
    }
    assert sorted(named - known) == []


def test_sources_document_every_pair() -> None:
    sources = (diff_eval.PAIRS / "SOURCES.md").read_text(encoding="utf-8")
    assert [name for name in PAIRS if f"`{name}`" not in sources] == []


class _Reports:
    """``reports[name]``: the pair's JSON report, diffed through the CLI on first use; or the CLI's error text."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self.cache:
            pair, into = PAIRS[name], self.root / name
            into.mkdir()
            old, new = pair.materialise("old", into), pair.materialise("new", into)
            result = CliRunner().invoke(main, ["diff", str(old), str(new), "--format", "json", "--fail-on", "never"])
            self.cache[name] = json.loads(result.stdout) if result.exit_code == 0 else f"exit {result.exit_code}: {result.output[-500:]}"
        return self.cache[name]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> _Reports:
    return _Reports(tmp_path_factory.mktemp("diff_pairs"))


@pytest.mark.parametrize("name", [pytest.param(name, marks=_known(KNOWN_FAILURES, name)) for name in PAIRS])
def test_pair_is_compared(reports: _Reports, name: str) -> None:
    assert isinstance(reports[name], dict), reports[name]


HARD = [(name, item) for name, pair in PAIRS.items() for item in pair.items("hard")]


@pytest.mark.parametrize(
    ("name", "item"),
    [pytest.param(name, item, id=f"{name}/{item['id']}", marks=_known(KNOWN_MISSES, f"{name}/{item['id']}")) for name, item in HARD],
)
def test_hard_break_is_reported_as_breaking(reports: _Reports, name: str, item: dict[str, Any]) -> None:
    report = reports[name]
    assert isinstance(report, dict), report
    breaking = [finding for finding in diff_eval.distinct_findings(report) if finding["severity"] == diff_eval.BREAKING]
    assert any(diff_eval.item_matches(item, finding) for finding in breaking), f"{item['what']} -- {diff_eval._how_reported(item, diff_eval.distinct_findings(report))}"


@pytest.mark.parametrize(
    "name", [pytest.param(name, marks=_known(KNOWN_FALSE_ALARMS, name)) for name, pair in PAIRS.items() if pair.refactor]
)
def test_refactor_reports_nothing_breaking_or_soft(reports: _Reports, name: str) -> None:
    report = reports[name]
    assert isinstance(report, dict), report
    flagged = [f"{f['id']}: {f['message']}" for f in diff_eval.distinct_findings(report) if f["severity"] in diff_eval.FLAGGED]
    assert flagged == []
