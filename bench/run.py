"""Benchmark: vapi-codegen against datamodel-code-generator, as whole processes (wall clock).

    python bench/run.py [--runs N] [--quick]

Times, after one warm-up run of each command and with the commands interleaved run by run (so
machine noise hits both sides alike): ``vapi-codegen generate`` into an empty directory and
``vapi-codegen check`` with nothing changed, on the phone spec and on the tools spec, next to
``datamodel-codegen`` (models only) on the same files; then importing the emitted phone package
(models, plus constructing its client when it has one) next to importing httpx and pydantic alone.
Both tools are taken from the virtualenv of the interpreter running this script; vapi-codegen runs
from this checkout. Prints a table and writes it as JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

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
    seconds: list[float] = field(default_factory=list)
    stdout: str = ""

    def run(self, record: bool) -> None:
        if self.prepare:
            self.prepare()
        start = time.perf_counter()
        result = subprocess.run(self.command, env=self.env, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        if result.returncode != 0:
            raise SystemExit(f"{self.label} failed ({result.returncode}):\n{' '.join(self.command)}\n{result.stderr[-2000:]}")
        self.stdout = result.stdout
        if record:
            self.seconds.append(elapsed)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def spread(self) -> str:
        if len(self.seconds) >= 4:
            low, _, high = statistics.quantiles(self.seconds, n=4)
            return f"IQR {low:.3f}-{high:.3f}"
        return f"min-max {min(self.seconds):.3f}-{max(self.seconds):.3f}"


def _base_environment() -> dict[str, str]:
    """The caller's environment, with bytecode caching on as on users' machines (without it every
    process recompiles every module it imports from source, which is not what users see)."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def _environment(extra_path: Path | None = None) -> dict[str, str]:
    """Run vapi-codegen from this checkout (and make ``extra_path`` importable)."""
    env = _base_environment()
    paths = [str(ROOT)] + ([str(extra_path)] if extra_path else []) + [env.get("PYTHONPATH", "")]
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


def build_timings(scratch: Path, spec_names: list[str]) -> tuple[list[tuple[Timing, Timing]], list[tuple[Timing, Timing]]]:
    """Pairs (ours, theirs) of generation timings and of import timings."""
    ours_env = _environment()
    vapi, datamodel = _tool("vapi-codegen"), _tool("datamodel-codegen")
    generation: list[tuple[Timing, Timing]] = []
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
        generation.append((Timing(f"generate {name}", [vapi, "generate", *common, "--out", str(fresh)], ours_env, _emptied(fresh)), theirs))
        generation.append((Timing(f"check {name} (no change)", [vapi, "check", *common, "--out", str(kept)], ours_env), theirs))
    imports: list[tuple[Timing, Timing]] = []
    baseline = Timing("import httpx + pydantic", [sys.executable, "-c", BASELINE_IMPORT], _base_environment())
    for name in spec_names:
        _, package = SPECS[name]
        kept = scratch / f"{name}-kept"
        env = _environment(kept)
        imports.append((Timing(f"import {package}.models", [sys.executable, "-c", MODELS_IMPORT.format(package=package)], env), baseline))
        if (kept / package / "client.py").exists():
            client = [sys.executable, "-c", CLIENT_IMPORT.format(package=package)]
            imports.append((Timing(f"import {package}.client+Client()", client, env), baseline))
    return generation, imports


def measure(pairs: list[tuple[Timing, Timing]], runs: int) -> None:
    """One warm-up run of every command, then ``runs`` rounds running every command once."""
    commands = list(dict.fromkeys(timing for pair in pairs for timing in pair))
    for timing in commands:
        timing.run(record=False)
    for _ in range(runs):
        for timing in commands:
            timing.run(record=True)


def report(generation: list[tuple[Timing, Timing]], imports: list[tuple[Timing, Timing]], runs: int, spec_names: list[str]) -> dict:
    rows = []
    print(f"\n{runs} runs each after a warm-up; wall clock of whole processes, seconds (median, spread)\n")
    header = f"{'ours':<42} {'median':>7} {'spread':>20}   {'theirs':<28} {'median':>7}   {'ours/theirs':>11}"
    print(header)
    print("-" * len(header))
    for ours, theirs in generation + imports:
        ratio = ours.median / theirs.median
        print(f"{ours.label:<42} {ours.median:7.3f} {ours.spread():>20}   {theirs.label:<28} {theirs.median:7.3f}   {ratio:10.2f}x")
        rows.append({"ours": ours.label, "ours_s": ours.seconds, "theirs": theirs.label, "theirs_s": theirs.seconds, "ratio": ratio})
    for ours, _ in imports:
        if ours.label.endswith("Client()"):
            print(f"  {ours.label}: FastAPI imported: {ours.stdout.strip()}")
    for name in spec_names:
        package = SPECS[name][1]
        if not any(ours.label == f"import {package}.client+Client()" for ours, _ in imports):
            print(f"  {package} has no client.py with a Client yet: models import only")
    medians = {ours.label: ours.median for ours, _ in generation + imports}
    ratios = {ours.label: ours.median / theirs.median for ours, theirs in generation + imports}
    targets = [
        ("phone: generate <= 0.2x datamodel-codegen", ratios.get("generate phone"), 0.2),
        ("tools: generate <= 0.15x datamodel-codegen", ratios.get("generate tools"), 0.15),
        ("import phone client + Client() <= 1.2x httpx + pydantic", ratios.get("import vapi_phone_numbers.client+Client()"), 1.2),
    ]
    for name in spec_names:
        if f"check {name} (no change)" in medians:
            ratio = medians[f"check {name} (no change)"] / medians[f"generate {name}"]
            targets.append((f"{name}: check (no change) <= generate", ratio, 1.0))
    print("\ntargets")
    for title, ratio, limit in targets:
        verdict = "not measured" if ratio is None else f"{ratio:.2f}x  {'met' if ratio <= limit else 'MISSED'}"
        print(f"  {title:<58} {verdict}")
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
        result = report(generation, imports, runs, names)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / time.strftime("%Y%m%d-%H%M%S.json")).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
