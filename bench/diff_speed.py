"""The Stripe-sized case of ``bench/run.py``: ``vapi-codegen diff`` on two real 4 MB Stripe documents.

``bench/data/stripe/`` holds Stripe's ``openapi/spec3.yaml`` of 2023-06-21 (54661c5b) and 2023-09-05
(ef16c287) from github.com/stripe/openapi (MIT licence), gzipped: about 4 MB of YAML each, 450
operations, 1,100 component schemas, and between them 790 findings. In the same run, and interleaved
with it, the two documents are parsed with PyYAML's C loader alone: the diff (a whole process:
interpreter start, both documents read, normalised, modelled and compared) must take under 3x that
time, and at most 500 MB of memory.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "stripe"
TIME_LIMIT = 3.0  # diff / parse, CPU time
MEMORY_LIMIT_MB = 500

PARSE = """\
import sys, yaml
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as handle:
        yaml.load(handle.read(), Loader=yaml.CSafeLoader)
"""
# the CLI in-process, then its peak memory in MB on a last line (ru_maxrss is in KiB on Linux)
DIFF = """\
import resource, sys
from vapi_codegen.cli import main
try:
    main(["diff", *sys.argv[1:], "--format", "json", "--fail-on", "never"], standalone_mode=False)
finally:  # the command ends with sys.exit
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def materialise(scratch: Path) -> tuple[Path, Path]:
    """The two documents, inflated into ``scratch``."""
    paths = []
    for side in ("old", "new"):
        target = scratch / f"stripe-{side}.yaml"
        target.write_bytes(gzip.decompress((DATA / f"{side}.yaml.gz").read_bytes()))
        paths.append(target)
    return paths[0], paths[1]


def commands(old: Path, new: Path) -> tuple[list[str], list[str]]:
    """(the diff, the parse-only baseline) as commands."""
    return [sys.executable, "-c", DIFF, str(old), str(new)], [sys.executable, "-c", PARSE, str(old), str(new)]


def peak_mb(diff_stdout: str) -> int:
    """The diff process's peak memory, from the last line of its output."""
    return int(diff_stdout.rstrip().rsplit("\n", 1)[-1])


def verdict(diff_cpu: float, parse_cpu: float, diff_wall: float, parse_wall: float, peak_mb: int) -> list[str]:
    """The lines that judge the targets."""
    cpu, wall = diff_cpu / parse_cpu, diff_wall / parse_wall
    return [
        f"  diff <= {TIME_LIMIT:.0f}x parsing both with PyYAML's C loader: cpu {cpu:.2f}x {'met' if cpu <= TIME_LIMIT else 'MISSED'}, "
        f"wall {wall:.2f}x {'met' if wall <= TIME_LIMIT else 'MISSED'}",
        f"  diff peak memory <= {MEMORY_LIMIT_MB} MB: {peak_mb} MB {'met' if peak_mb <= MEMORY_LIMIT_MB else 'MISSED'}",
    ]
