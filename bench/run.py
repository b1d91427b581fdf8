"""Benchmark: vapi-codegen against datamodel-code-generator, as whole processes.

    python bench/run.py [--runs N] [--quick]

Times, after one warm-up run of each command and with the commands interleaved run by run (so
machine noise hits both sides alike): ``vapi-codegen generate`` into an empty directory and
``vapi-codegen check`` with nothing changed, on the phone spec and on the tools spec, next to
``datamodel-codegen`` (models only) on the same files; then importing the emitted packages' models
(and the phone package's client, constructed, once it has one) next to importing httpx and pydantic
alone. Reports the median wall clock with its spread, and the median CPU time (user + system),
which other load on the machine disturbs less. Both generators are taken from the virtualenv of
the interpreter running this script; vapi-codegen runs from this checkout. Prints a table and
writes the raw timings as JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SPECS = {
    "phone": (ROOT / "spec" / "vapi-phone-numbers-api-openapi.yml", "vapi_phone_numbers"),
    "tools": (ROOT.parent / "shared" / "specs" / "vapi" / "vapi-tools-api-openapi.yml", "vapi_tools"),
}
DATAMODEL_ARGS = [
    "--input-file-type", "openapi",
    "--openapi-scopes", "schemas", "paths", "parameters",
    "--output-model-type", "pydantic_v2.BaseModel",
]  # fmt: skip
BASELINE_IMPORT = "import httpx\nfrom pydantic import BaseModel\n"
MODELS_IMPORT = "import {package}.models\n"
# The client as a user meets it: imported and constructed, with placeholder values for whatever its
# constructor requires. Prints whether FastAPI got imported (it must not be, on this path).
CLIENT_IMPORT = """\
import inspect, sys
from {package}.client import Client
required = [p for p in inspect.signature(Client).parameters.values()
            if p.default is p.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
client = Client(**{{p.name: "http://127.0.0.1:9" if "url" in p.name else "token" for p in required}})
print("fastapi" in sys.modules)
"""


@dataclass(eq=False)  # compared and hashed by identity: one command may pair with several
class Timing:
    label: str
    command: list[str]
    env: dict[str, str]
    prepare: Callable[[], None] | None = None  # before every run, e.g. empty the output directory
    seconds: list[float] = field(default_factory=list)  # wall clock
    cpu_seconds: list[float] = field(default_factory=list)  # user + system time of the process
    stdout: str = ""

    def run(self, record: bool) -> None:
        if self.prepare:
            self.prepare()
        cpu_before = _children_cpu()
        start = time.perf_counter()
        result = subprocess.run(self.command, env=self.env, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        cpu = _children_cpu() - cpu_before
        if result.returncode != 0:
            raise SystemExit(f"{self.label} failed ({result.returncode}):\n{' '.join(self.command)}\n{result.stderr[-2000:]}")
        self.stdout = result.stdout
        if record:
            self.seconds.append(elapsed)
            self.cpu_seconds.append(cpu)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_seconds)

    def spread(self) -> str:
        if len(self.seconds) >= 4:
            low, _, high = statistics.quantiles(self.seconds, n=4)
            return f"IQR {low:.3f}-{high:.3f}"
        return f"min-max {min(self.seconds):.3f}-{max(self.seconds):.3f}"


Pairs = list[tuple[Timing, Timing]]  # (ours, theirs)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _base_environment() -> dict[str, str]:
    """The caller's environment, with bytecode caching on as on users' machines (without it every
    process recompiles every module it imports from source, which is not what users see)."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def _environment(extra_path: Path | None = None) -> dict[str, str]:
    """Run vapi-codegen from this checkout (and make ``extra_path`` importable)."""
    env = _base_environment()
    paths = [str(ROOT / "generator")] + ([str(extra_path)] if extra_path else []) + [env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    return env


def _tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        raise SystemExit(f"{name} is not installed in {BIN} (pip install -e '.[test]')")
    return str(path)


def _emptied(directory: Path) -> Callable[[], None]:
    def prepare() -> None:
        shutil.rmtree(directory, ignore_errors=True)

    return prepare


def build_timings(scratch: Path, spec_names: list[str]) -> tuple[Pairs, Pairs]:
    """Pairs (ours, theirs) of generation timings and of import timings."""
    ours_env = _environment()
    vapi, datamodel = _tool("vapi-codegen"), _tool("datamodel-codegen")
    generation: Pairs = []
    for name in spec_names:
        spec, package = SPECS[name]
        fresh, kept = scratch / f"{name}-fresh", scratch / f"{name}-kept"
        common = [str(spec), "--package", package, "--quiet"]
        theirs = Timing(
            f"datamodel-codegen {name}",
            [datamodel, "--input", str(spec), *DATAMODEL_ARGS, "--output", str(scratch / f"{name}-datamodel.py")],
            _base_environment(),
        )
        subprocess.run([vapi, "generate", *common, "--out", str(kept)], env=ours_env, check=True, capture_output=True)
        generate = Timing(f"generate {name}", [vapi, "generate", *common, "--out", str(fresh)], ours_env, _emptied(fresh))
        check = Timing(f"check {name} (no change)", [vapi, "check", *common, "--out", str(kept)], ours_env)
        generation += [(generate, theirs), (check, theirs)]
    imports: Pairs = []
    baseline = Timing("import httpx + pydantic", [sys.executable, "-c", BASELINE_IMPORT], _base_environment())
    for name in spec_names:
        _, package = SPECS[name]
        kept = scratch / f"{name}-kept"
        env = _environment(kept)
        models = [sys.executable, "-c", MODELS_IMPORT.format(package=package)]
        imports.append((Timing(f"import {package}.models", models, env), baseline))
        if (kept / package / "client.py").exists():
            client = [sys.executable, "-c", CLIENT_IMPORT.format(package=package)]
            imports.append((Timing(f"import {package}.client+Client()", client, env), baseline))
    return generation, imports


def measure(pairs: Pairs, runs: int) -> None:
    """One warm-up run of every command, then ``runs`` rounds running every command once."""
    commands = list(dict.fromkeys(timing for pair in pairs for timing in pair))
    for timing in commands:
        timing.run(record=False)
    for _ in range(runs):
        for timing in commands:
            timing.run(record=True)


def ratios(ours: Timing, theirs: Timing) -> tuple[float, float]:
    """Wall-clock and CPU-time ratios of the medians."""
    return ours.median / theirs.median, ours.cpu_median / theirs.cpu_median


def print_table(pairs: Pairs, runs: int) -> None:
    print(f"\n{runs} runs each after a warm-up; whole processes, seconds: wall clock (median, spread)")
    print("and, less sensitive to other load on the machine, CPU time (median)\n")
    header = (
        f"{'ours':<42} {'wall':>6} {'spread':>20} {'cpu':>6}   {'theirs':<28} {'wall':>6} {'cpu':>6}"
        f"   {'wall ratio':>10} {'cpu ratio':>9}"
    )
    print(header)
    print("-" * len(header))
    for ours, theirs in pairs:
        wall, cpu = ratios(ours, theirs)
        print(
            f"{ours.label:<42} {ours.median:6.3f} {ours.spread():>20} {ours.cpu_median:6.3f}   "
            f"{theirs.label:<28} {theirs.median:6.3f} {theirs.cpu_median:6.3f}   {wall:9.2f}x {cpu:8.2f}x"
        )


def print_client_notes(imports: Pairs, spec_names: list[str]) -> None:
    labels = {ours.label: ours for ours, _ in imports}
    for name in spec_names:
        package = SPECS[name][1]
        client = labels.get(f"import {package}.client+Client()")
        if client:
            print(f"  {client.label}: FastAPI imported: {client.stdout.strip()}")
        else:
            print(f"  {package} has no client.py with a Client yet: models import only")


def print_targets(pairs: Pairs, spec_names: list[str]) -> None:
    """The targets of issue 6, judged on wall clock and on CPU time."""
    timings = {ours.label: (ours, theirs) for ours, theirs in pairs}

    def measured(label: str) -> tuple[float, float] | None:
        return ratios(*timings[label]) if label in timings else None

    targets = [
        ("phone: generate <= 0.2x datamodel-codegen", measured("generate phone"), 0.2),
        ("tools: generate <= 0.15x datamodel-codegen", measured("generate tools"), 0.15),
        ("import phone client + Client() <= 1.2x httpx + pydantic", measured("import vapi_phone_numbers.client+Client()"), 1.2),
    ]
    for name in spec_names:
        check, generate = timings.get(f"check {name} (no change)"), timings.get(f"generate {name}")
        if check and generate:
            targets.append((f"{name}: check (no change) <= generate", ratios(check[0], generate[0]), 1.0))
    print(f"\n{'target':<58} {'wall':>12} {'cpu':>12}")
    for title, pair, limit in targets:
        cells = ["not measured"] * 2 if pair is None else [f"{r:.2f}x {'met' if r <= limit else 'MISSED'}" for r in pair]
        print(f"  {title:<56} {cells[0]:>12} {cells[1]:>12}")


def raw_results(pairs: Pairs, runs: int) -> dict[str, Any]:
    rows = [
        {
            "ours": ours.label, "ours_wall_s": ours.seconds, "ours_cpu_s": ours.cpu_seconds,
            "theirs": theirs.label, "theirs_wall_s": theirs.seconds, "theirs_cpu_s": theirs.cpu_seconds,
        }
        for ours, theirs in pairs
    ]  # fmt: skip
    return {"runs": runs, "python": sys.version.split()[0], "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (default 5)")
    parser.add_argument("--quick", action="store_true", help="3 runs, phone spec only")
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs
    names = ["phone"] if args.quick else [name for name, (spec, _) in SPECS.items() if spec.exists()]
    with tempfile.TemporaryDirectory(prefix="vapi-bench-") as scratch:
        generation, imports = build_timings(Path(scratch), names)
        measure(generation, runs)
        measure(imports, runs)
        print_table(generation + imports, runs)
        print_client_notes(imports, names)
        print_targets(generation + imports, names)
        result = raw_results(generation + imports, runs)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / time.strftime("%Y%m%d-%H%M%S.json")).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
