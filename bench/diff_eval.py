"""Precision and recall of ``vapi-codegen diff`` on real consecutive spec versions.

    python bench/diff_eval.py [--out FILE] [--pairs NAME ...]

Every directory of ``tests/diff_pairs/`` holds ``old.<ext>`` and ``new.<ext>`` (optionally gzipped:
``old.json.gz``) and ``expected.yaml``, a reviewer's verdict on the pair written by reading both
documents (see ``tests/diff_pairs/README.md`` for the policy and the file format). This script runs
``vapi-codegen diff --format json`` on each pair and matches the report's wire-contract findings
against the verdict:

- an expected *hard* break is found (true positive) when a ``breaking`` finding matches it, missed
  (false negative) otherwise;
- a ``breaking`` finding that matches no hard break is a false positive for the hard-break scores
  (one that matches an expected *soft* break is counted apart: a soft break overstated);
- the "hard+soft" scores take every finding flagged ``breaking`` or ``soft``: it is a true positive
  when it matches an expected hard or soft break, a false alarm otherwise; an expected break of either
  kind is found when such a finding matches it;
- findings that match an ``unscored`` entry (changes a reviewer cannot call either way) are left out.

Findings are counted once per (rule, old pointer, new pointer, details other than the ``at`` label):
the same change reached through several schemas is one finding. Findings of the generated-package
section (class and method names) are not scored; their count is shown for information. Prints a
Markdown table (per pair and overall, with the diff's wall time) and the misses and false alarms.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT / "tests" / "diff_pairs"
BREAKING, SOFT = "breaking", "soft"
FLAGGED = (BREAKING, SOFT)  # the severities that say "this breaks some client"
_MATCH_KEYS = {"rule", "old", "new", "under", "details", "operation"}

# --- the pairs ---------------------------------------------------------------------------------


@dataclass
class Pair:
    name: str
    directory: Path
    expected: dict[str, Any]

    def document(self, side: str) -> Path:
        """The stored ``old``/``new`` document (possibly gzipped)."""
        found = sorted(self.directory.glob(f"{side}.*"))
        if len(found) != 1:
            raise FileNotFoundError(f"{self.directory}: expected one {side}.* file, found {len(found)}")
        return found[0]

    def materialise(self, side: str, into: Path) -> Path:
        """A readable copy of the document: gzipped ones are inflated into ``into``, others used in place."""
        stored = self.document(side)
        if stored.suffix != ".gz":
            return stored
        target = into / stored.name.removesuffix(".gz")
        target.write_bytes(gzip.decompress(stored.read_bytes()))
        return target

    @property
    def refactor(self) -> bool:
        return bool(self.expected.get("refactor"))

    def items(self, category: str) -> list[dict[str, Any]]:
        return list(self.expected.get(category) or [])


def load_pairs(names: Iterable[str] = ()) -> list[Pair]:
    wanted = set(names)
    pairs = []
    for directory in sorted(p for p in PAIRS.iterdir() if (p / "expected.yaml").is_file()):
        if wanted and directory.name not in wanted:
            continue
        expected = yaml.safe_load((directory / "expected.yaml").read_text(encoding="utf-8")) or {}
        check_expected(directory.name, expected)
        pairs.append(Pair(directory.name, directory, expected))
    return pairs


def check_expected(name: str, expected: Mapping[str, Any]) -> None:
    """Fail early on a malformed verdict file (a typo would otherwise silently never match)."""
    ids: set[str] = set()
    for category in ("hard", "soft", "unscored"):
        for item in expected.get(category) or []:
            if not isinstance(item, dict) or not item.get("id") or not item.get("match") or not item.get("what"):
                raise ValueError(f"{name}: every {category} entry needs id, what and match: {item!r}")
            if item["id"] in ids:
                raise ValueError(f"{name}: duplicate id {item['id']}")
            ids.add(item["id"])
            for alternative in _alternatives(item):
                unknown = set(alternative) - _MATCH_KEYS
                if unknown or "rule" not in alternative:
                    raise ValueError(f"{name}/{item['id']}: a match needs 'rule' and only {sorted(_MATCH_KEYS)}; got {sorted(alternative)}")


# --- matching findings against the verdict -----------------------------------------------------


def _alternatives(item: Mapping[str, Any]) -> list[dict[str, Any]]:
    match = item["match"]
    return list(match) if isinstance(match, list) else [match]


def _below(pointer: str, prefix: str) -> bool:
    return pointer == prefix or pointer.startswith(prefix + "/")


def matches(alternative: Mapping[str, Any], finding: Mapping[str, Any], *, any_rule: bool = False) -> bool:
    """Whether ``finding`` (one entry of the JSON report's ``changes``) is what ``alternative`` describes.

    ``rule``: a rule id, a list of them, or ``*`` (any rule); ``old``/``new``: the finding's pointer in that document,
    exactly; ``under``: the old or the new pointer is this pointer or below it; ``details``: these
    entries of the finding's details, equal; ``operation``: listed among the finding's operations.
    ``any_rule`` ignores ``rule`` (used to tell a miss from a change reported at a lower severity).
    """
    rules = alternative["rule"]
    if not any_rule and rules != "*" and finding["id"] not in ([rules] if isinstance(rules, str) else rules):
        return False
    for side in ("old", "new"):
        if side in alternative and finding[side] != alternative[side]:
            return False
    if "under" in alternative and not (_below(finding["old"], alternative["under"]) or _below(finding["new"], alternative["under"])):
        return False
    details = finding.get("details") or {}
    if any(details.get(key) != value for key, value in (alternative.get("details") or {}).items()):
        return False
    return "operation" not in alternative or alternative["operation"] in (finding.get("operations") or [])


def item_matches(item: Mapping[str, Any], finding: Mapping[str, Any], *, any_rule: bool = False) -> bool:
    return any(matches(alternative, finding, any_rule=any_rule) for alternative in _alternatives(item))


def distinct_findings(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The wire-contract findings, each change once (not once per schema label it was reached by)."""
    seen: dict[tuple[str, ...], dict[str, Any]] = {}
    for finding in report.get("changes", []):
        if finding.get("section", "api") != "api":
            continue
        details = {key: value for key, value in (finding.get("details") or {}).items() if key != "at"}
        key = (finding["id"], finding["old"], finding["new"], json.dumps(details, sort_keys=True, default=str))
        seen.setdefault(key, finding)
    return list(seen.values())


@dataclass
class Score:
    """The outcome for one pair (or, summed, for all)."""

    hard_found: list[str] = field(default_factory=list)  # ids of expected hard breaks reported as breaking
    hard_missed: list[str] = field(default_factory=list)  # ids, each with how it was reported if at all
    hard_flagged: int = 0  # expected hard breaks reported as breaking or soft
    soft_found: list[str] = field(default_factory=list)  # ids of expected soft breaks reported as breaking or soft
    soft_missed: list[str] = field(default_factory=list)
    hard_hits: int = 0  # breaking findings matching a hard break
    soft_hits: int = 0  # breaking findings matching a soft (and no hard) break: overstated
    flagged_hits: int = 0  # breaking or soft findings matching a hard or a soft break
    false_alarms: list[dict[str, Any]] = field(default_factory=list)  # breaking or soft findings matching nothing
    package_breaking: int = 0
    seconds: float = 0.0
    error: str | None = None

    def add(self, other: Score) -> None:
        for name in ("hard_found", "hard_missed", "soft_found", "soft_missed", "false_alarms"):
            getattr(self, name).extend(getattr(other, name))
        self.hard_hits += other.hard_hits
        self.soft_hits += other.soft_hits
        self.hard_flagged += other.hard_flagged
        self.flagged_hits += other.flagged_hits
        self.package_breaking += other.package_breaking
        self.seconds += other.seconds

    @property
    def breaking_false_alarms(self) -> int:
        return sum(1 for finding in self.false_alarms if finding["severity"] == BREAKING)

    @property
    def hard_precision(self) -> float | None:
        flagged = self.hard_hits + self.soft_hits + self.breaking_false_alarms
        return self.hard_hits / flagged if flagged else None

    @property
    def hard_recall(self) -> float | None:
        expected = len(self.hard_found) + len(self.hard_missed)
        return len(self.hard_found) / expected if expected else None

    @property
    def any_precision(self) -> float | None:
        flagged = self.flagged_hits + len(self.false_alarms)
        return self.flagged_hits / flagged if flagged else None

    @property
    def any_recall(self) -> float | None:
        found = self.hard_flagged + len(self.soft_found)
        expected = found + len(self.hard_missed) + len(self.soft_missed)
        return found / expected if expected else None


def _how_reported(item: Mapping[str, Any], findings: list[dict[str, Any]]) -> str:
    """For a missed break: the findings at its place under other rules, if any ("not reported" else)."""
    near = sorted({f"{f['id']} ({f['severity']})" for f in findings if item_matches(item, f, any_rule=True)})
    return "reported only as " + ", ".join(near) if near else "not reported"


def evaluate(pair: Pair, report: Mapping[str, Any]) -> Score:
    """Score one report against the pair's verdict."""
    findings = distinct_findings(report)
    breaking = [f for f in findings if f["severity"] == BREAKING]
    flagged = [f for f in findings if f["severity"] in FLAGGED]
    score = Score(package_breaking=sum(1 for f in report.get("changes", []) if f.get("section") == "package" and f["severity"] == BREAKING))
    hard, soft, unscored = pair.items("hard"), pair.items("soft"), pair.items("unscored")
    for category, found, missed, reported in (("hard", score.hard_found, score.hard_missed, breaking), ("soft", score.soft_found, score.soft_missed, flagged)):
        for item in hard if category == "hard" else soft:
            if any(item_matches(item, f) for f in reported):
                found.append(f"{pair.name}/{item['id']}")
            else:
                missed.append(f"{pair.name}/{item['id']}: {_how_reported(item, findings)}")
    score.hard_flagged = sum(1 for item in hard if any(item_matches(item, f) for f in flagged))
    for finding in flagged:
        is_hard = any(item_matches(item, finding) for item in hard)
        is_soft = not is_hard and any(item_matches(item, finding) for item in soft)
        if finding["severity"] == BREAKING:
            score.hard_hits += is_hard
            score.soft_hits += is_soft
        if is_hard or is_soft:
            score.flagged_hits += 1
        elif not any(item_matches(item, finding) for item in unscored):
            score.false_alarms.append({**finding, "pair": pair.name})
    return score


# --- running the tool --------------------------------------------------------------------------


def run_diff(pair: Pair, python: str = sys.executable) -> tuple[dict[str, Any] | None, float, str | None]:
    """``vapi-codegen diff --format json`` on the pair, as a process: (report, wall seconds, error)."""
    with tempfile.TemporaryDirectory(prefix=f"diff-{pair.name}-") as tmp:
        old, new = pair.materialise("old", Path(tmp)), pair.materialise("new", Path(tmp))
        env = {**os.environ, "PYTHONPATH": str(ROOT / "generator")}
        command = [python, "-m", "vapi_codegen", "diff", str(old), str(new), "--format", "json", "--fail-on", "never"]
        started = time.perf_counter()
        # run from the temporary directory: no pyproject.toml there to configure overlays
        done = subprocess.run(command, check=False, capture_output=True, text=True, env=env, cwd=tmp)
        seconds = time.perf_counter() - started
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        return None, seconds, (lines[-1] if lines else f"exit {done.returncode}")[:300]
    return json.loads(done.stdout), seconds, None


def score_pair(pair: Pair, python: str = sys.executable) -> Score:
    report, seconds, error = run_diff(pair, python)
    if report is None:  # the tool could not compare the pair: every expected break is missed
        score = evaluate(pair, {"changes": []})
        score.hard_missed = [f"{entry.split(':')[0]}: diff failed" for entry in score.hard_missed]
        score.soft_missed = [f"{entry.split(':')[0]}: diff failed" for entry in score.soft_missed]
        score.error = error
    else:
        score = evaluate(pair, report)
    score.seconds = seconds
    return score


# --- the table ---------------------------------------------------------------------------------


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _row(name: str, size: str, score: Score) -> str:
    hard_fp = score.soft_hits + score.breaking_false_alarms
    return (
        f"| {name} | {size} | {len(score.hard_found) + len(score.hard_missed)} | {len(score.hard_found)} | {hard_fp} "
        f"| {len(score.hard_missed)} | {_ratio(score.hard_precision)} | {_ratio(score.hard_recall)} "
        f"| {len(score.soft_found) + len(score.soft_missed)} | {len(score.soft_found)} | {len(score.false_alarms)} "
        f"| {_ratio(score.any_precision)} | {_ratio(score.any_recall)} | {score.package_breaking} | {score.seconds:.2f} |"
    )


def _size(pair: Pair) -> str:
    old, new = pair.document("old"), pair.document("new")
    raw = [len(gzip.decompress(p.read_bytes())) if p.suffix == ".gz" else p.stat().st_size for p in (old, new)]
    return f"{raw[0] // 1024}/{raw[1] // 1024} KB"


def _sum(scores: Iterable[Score]) -> Score:
    total = Score()
    for score in scores:
        total.add(score)
    return total


def markdown(results: list[tuple[Pair, Score]]) -> str:
    total = _sum(score for _, score in results)
    lines = [
        (
            "| pair | old/new size | hard | TP | FP | FN | precision | recall | soft | soft found | FP (not soft) "
            "| precision hard+soft | recall hard+soft | package breaking (unscored) | diff s |"
        ),
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [_row(pair.name + (" (refactor)" if pair.refactor else "") + (" **error**" if score.error else ""), _size(pair), score) for pair, score in results]
    synthetic = [pair.name.startswith("refactor-") for pair, _ in results]  # derived by derive_refactors.py
    lines.append(_row("**real pairs**", "", _sum(score for (_, score), fake in zip(results, synthetic) if not fake)))
    lines.append(_row("**synthetic refactors**", "", _sum(score for (_, score), fake in zip(results, synthetic) if fake)))
    lines.append(_row("**all**", "", total))
    lines += [
        "",
        (
            "hard: expected hard breaks; TP: of them, reported as breaking; FP: breaking findings that are not hard "
            "breaks (soft ones included); FN: hard breaks not reported as breaking. soft: expected soft breaks; soft "
            "found: of them, reported as breaking or soft; FP (not soft): breaking or soft findings matching no expected "
            "break at all. The hard+soft scores count every breaking or soft finding. Findings are counted once per "
            "distinct change."
        ),
    ]
    errors = [(pair, score) for pair, score in results if score.error]
    if errors:
        lines += ["", "### Pairs the diff could not compare", ""]
        lines += [f"- {pair.name}: `{score.error}`" for pair, score in errors]
    if total.hard_missed or total.soft_missed:
        lines += ["", "### Missed breaks", ""]
        lines += [f"- hard {entry}" for entry in total.hard_missed] + [f"- soft {entry}" for entry in total.soft_missed]
    if total.false_alarms:
        lines += ["", "### False alarms (breaking or soft findings matching no expected break)", ""]
        for finding in total.false_alarms:
            lines.append(f"- {finding['pair']}: `{finding['id']}` ({finding['severity']}) {finding['message'][:160]} (old `{finding['old']}`, new `{finding['new']}`)")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="also write the Markdown table to this file")
    parser.add_argument("--pairs", nargs="*", default=(), help="only these pairs (directory names)")
    parser.add_argument("--python", default=sys.executable, help="the interpreter that runs vapi-codegen")
    args = parser.parse_args(argv)
    results = []
    for pair in load_pairs(args.pairs):
        results.append((pair, score_pair(pair, args.python)))
        print(f"{pair.name}: {results[-1][1].seconds:.2f} s", file=sys.stderr)
    table = markdown(results)
    sys.stdout.write(table)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
