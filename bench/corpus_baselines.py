"""vapi-codegen side by side with datamodel-code-generator and openapi-python-client on the corpus.

    python bench/corpus_baselines.py [--sample N] [--timeout S] [--jobs 1|2] [--corpus DIR]
                                     [--datamodel-codegen PATH] [--openapi-python-client PATH] [--out FILE]

The documents are those of ``bench/corpus.py --sample N`` (default 60). Each tool runs on each
document as a whole process, as a user would run it, with the same time limit (the tools take turns,
in an order that rotates from one document to the next, so the machine's load falls on all alike):

* vapi-codegen (this checkout): ``python -m vapi_codegen generate DOC --out TMP --package corpus_api``
  (models, sync and async clients, server skeleton, mock);
* datamodel-code-generator: ``datamodel-codegen --input DOC --input-file-type openapi --openapi-scopes
  schemas paths parameters --output-model-type pydantic_v2.BaseModel --output TMP/models.py`` (models
  only; the scopes, as in bench/run.py, reach the schemas written inline in operations);
* openapi-python-client: ``openapi-python-client generate --path DOC --output-path TMP/opc_api
  --overwrite --meta none`` (attrs models and httpx client functions; ``--meta none`` writes the bare
  package, no pyproject).

Each run ends ``ok`` (exit 0 and every module of the output imports, in a fresh interpreter of the
tool's own environment), ``refused`` (a non-zero exit without a traceback), ``fault`` (a traceback,
death by a signal, no output, or output that does not import) or ``timeout``. Wall time and CPU time
(user + system, of the process and the processes it waited for, from ``os.wait4``) cover the tool's
process only, not the import check. The Markdown table goes to ``--out`` (default
bench/results/corpus-baselines.md), the records to the .json next to it.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from corpus import (
    CORPUS_SCRIPT,
    MAX_JOBS,
    ROOT,
    TRACEBACK_LINES,
    child_environment,
    default_corpus,
    exit_status,
    git_commit,
    percentile,
    positive,
    run_process,
    select_documents,
)

DEFAULT_OUT = ROOT / "bench" / "results" / "corpus-baselines.md"
OUTCOMES = ("ok", "refused", "fault", "timeout")
OURS = "vapi-codegen"


@dataclass
class Tool:
    """One generator: how to run it on a document, what its output is, where it runs."""

    name: str
    version: str
    program: list[str]  # the command that runs it
    options: str  # its options, space-separated, with {doc} for the document and {out} for the output folder
    output: str  # the module or package it writes in the output folder
    python: str  # the interpreter of the tool's environment: it imports the output
    env: dict[str, str]
    partial: str | None = None  # what it prints when it leaves parts of the API out

    def command(self, document: Path, folder: Path) -> list[str]:
        """The command line for ``document``, writing below ``folder``."""
        return [*self.program, *(option.format(doc=document, out=folder) for option in self.options.split())]


def tool_environment(executable: Path) -> dict[str, str]:
    """The caller's environment with ``executable``'s folder first on PATH (for the tools it runs itself)."""
    return dict(os.environ) | {"PATH": os.pathsep.join([str(executable.parent), os.environ.get("PATH", "")])}


def locate(option: str | None, name: str) -> Path:
    """The executable given, else ``name`` on PATH, else next to this interpreter."""
    found = option or shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if not found:
        raise SystemExit(f"{name} not found: install it or pass --{name} PATH")
    return Path(found).absolute()


def interpreter_of(executable: Path) -> str:
    """The Python next to a console script (its environment's), else this one."""
    python = executable.parent / "python"
    return str(python) if python.exists() else sys.executable


def version_of(command: list[str], env: dict[str, str]) -> str:
    """The last word of what ``command`` prints (``X --version`` answers "name version X.Y.Z")."""
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    words = (result.stdout + result.stderr).split()
    return words[-1] if result.returncode == 0 and words else "unknown"


def make_tools(datamodel: Path, opc: Path) -> list[Tool]:
    """The three tools, vapi-codegen first."""
    ours = [sys.executable, "-m", "vapi_codegen"]
    dm_env, opc_env = tool_environment(datamodel), tool_environment(opc)
    return [
        Tool(
            OURS,
            f"{version_of([*ours, '--version'], child_environment())} ({git_commit()})",
            ours,
            "generate {doc} --out {out} --package corpus_api",
            "corpus_api",
            sys.executable,
            child_environment(),
        ),
        Tool(
            "datamodel-code-generator",
            version_of([str(datamodel), "--version"], dm_env),
            [str(datamodel)],
            "--input {doc} --input-file-type openapi --openapi-scopes schemas paths parameters"
            " --output-model-type pydantic_v2.BaseModel --output {out}/models.py",
            "models",
            interpreter_of(datamodel),
            dm_env,
        ),
        Tool(
            "openapi-python-client",
            version_of([str(opc), "--version"], opc_env),
            [str(opc)],
            "generate --path {doc} --output-path {out}/opc_api --overwrite --meta none",
            "opc_api",
            interpreter_of(opc),
            opc_env,
            partial="some pieces may be missing",
        ),
    ]


# --- in a child interpreter: does the output import? ---------------------------------------------


def import_main(folder: Path, name: str) -> int:
    """Import module or package ``name`` from ``folder`` and, for a package, every module in it."""
    sys.path.insert(0, str(folder))
    modules = [name]
    package = folder / name
    if package.is_dir():
        files = sorted(package.rglob("*.py"))
        modules += [".".join(f.relative_to(folder).with_suffix("").parts).removesuffix(".__init__") for f in files]
    for module in modules:
        importlib.import_module(module)
    print(f"imported {len(set(modules))} module(s)")
    return 0


# --- in the parent process -----------------------------------------------------------------------


def tail(log: Path) -> str:
    """The last lines of what a process printed."""
    lines = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return "\n".join(lines[-TRACEBACK_LINES:])


def last_line(text: str) -> str:
    """The last non-empty line (for a traceback: the exception)."""
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1].strip()[:500] if lines else ""


_EXCEPTION = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit)\b")


def exception_text(text: str) -> str:
    """The exception a traceback ends with, its lines joined (rich tracebacks wrap it), else the last line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    starts = [index for index, line in enumerate(lines) if _EXCEPTION.match(line)]
    return " ".join(lines[starts[-1] :])[:500] if starts else last_line(text)


def first_error(text: str) -> str:
    """The first line that says ``error`` (a refusal's reason), else the last line."""
    errors = [line.strip() for line in text.splitlines() if "error" in line.lower()]
    return errors[0][:500] if errors else last_line(text)


def run_tool(tool: Tool, document: Path, timeout: float) -> dict[str, Any]:
    """Run ``tool`` on ``document`` in a scratch folder, then import its output: the run's record."""
    with tempfile.TemporaryDirectory(prefix="vapi-baselines-") as scratch:
        folder, log = Path(scratch) / "out", Path(scratch) / "output.txt"
        folder.mkdir()
        finished = run_process(tool.command(document, folder), Path(scratch), tool.env, timeout, log)
        usage = finished.usage
        record: dict[str, Any] = {
            "document": document.stem,
            "tool": tool.name,
            "seconds": round(finished.seconds, 3),
            "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "returncode": finished.returncode,
            "output": tail(log),
        }
        output, full = record["output"], log.read_text(encoding="utf-8", errors="replace")
        if tool.partial:
            record["partial"] = tool.partial in full
        if finished.timed_out:
            return record | {"outcome": "timeout", "message": f"no answer within {timeout:g} s"}
        if finished.returncode != 0:
            faulted = "Traceback (most recent call last)" in full or finished.returncode < 0
            message = exception_text(output) if faulted else first_error(output)
            return record | {"outcome": "fault" if faulted else "refused", "message": message or exit_status(finished.returncode)}
        if not (folder / tool.output).exists() and not (folder / f"{tool.output}.py").exists():
            return record | {"outcome": "fault", "message": "exit 0 but no output"}
        return record | import_check(tool, folder, timeout, Path(scratch) / "import.txt")


def import_check(tool: Tool, folder: Path, timeout: float, log: Path) -> dict[str, Any]:
    """``ok``, or a fault naming the error, by importing the output in the tool's environment."""
    command = [tool.python, str(Path(__file__).resolve()), "--import-check", str(folder), tool.output]
    finished = run_process(command, folder, tool.env, timeout, log)
    if finished.returncode == 0:
        return {"outcome": "ok"}
    why = "timed out" if finished.timed_out else exception_text(tail(log)) or exit_status(finished.returncode)
    return {"outcome": "fault", "message": f"output does not import: {why}", "import_output": tail(log)}


def run_document(index: int, document: Path, tools: list[Tool], timeout: float) -> list[dict[str, Any]]:
    """Run every tool on ``document``, the first one rotating with ``index``."""
    turn = index % len(tools)
    return [run_tool(tool, document, timeout) for tool in tools[turn:] + tools[:turn]]


def run_all(documents: list[Path], tools: list[Tool], jobs: int, timeout: float) -> list[dict[str, Any]]:
    """Every tool on every document, ``jobs`` documents at a time, one progress line per document."""
    records: list[dict[str, Any]] = []
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        batches = pool.map(lambda item: run_document(item[0], item[1], tools, timeout), enumerate(documents))
        for done, batch in enumerate(batches, start=1):
            records += batch
            states = "  ".join(f"{r['tool'].split('-')[0]} {r['outcome']} {r['seconds']:.1f}s" for r in batch)
            print(f"[{done}/{len(documents)}] {batch[0]['document']}: {states}", file=sys.stderr, flush=True)
    return records


# --- the report ----------------------------------------------------------------------------------


def time_cells(records: list[dict[str, Any]], key: str) -> str:
    """``total / p50 / p95 / max`` of the records' ``key`` (seconds)."""
    values = [r[key] for r in records]
    if not values:
        return "-"
    return f"{sum(values):.1f} / {percentile(values, 0.5):.2f} / {percentile(values, 0.95):.2f} / {max(values):.2f}"


def outcome_table(records: list[dict[str, Any]], tools: list[Tool]) -> list[str]:
    """Markdown rows, one per tool: outcome counts, then wall and CPU time over every run."""
    rows = [
        "| tool | ok | refused | fault | timeout | wall total / p50 / p95 / max (s) | CPU total / p50 / p95 / max (s) |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for tool in tools:
        mine = [r for r in records if r["tool"] == tool.name]
        counts = Counter(r["outcome"] for r in mine)
        ok = f"{counts['ok']} ({100 * counts['ok'] / len(mine):.0f}%)" if mine else "0"
        outcomes = f"{ok} | {counts['refused']} | {counts['fault']} | {counts['timeout']}"
        rows.append(f"| {tool.name} {tool.version} | {outcomes} | {time_cells(mine, 'seconds')} | {time_cells(mine, 'cpu_seconds')} |")
    return rows


def by_document(records: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    """document -> tool -> record."""
    table: dict[str, dict[str, dict[str, Any]]] = {}
    for record in records:
        table.setdefault(record["document"], {})[record["tool"]] = record
    return table


def common_ok_lines(records: list[dict[str, Any]], tools: list[Tool]) -> list[str]:
    """Markdown rows: wall and CPU time on the documents every tool generated ok (like for like)."""
    documents = {d for d, runs in by_document(records).items() if all(r["outcome"] == "ok" for r in runs.values())}
    rows = [
        f"On the {len(documents)} documents all {len(tools)} tools generate ok:",
        "",
        "| tool | wall total / p50 / p95 / max (s) | CPU total / p50 / p95 / max (s) |",
        "|---|---|---|",
    ]
    for tool in tools:
        mine = [r for r in records if r["tool"] == tool.name and r["document"] in documents]
        rows.append(f"| {tool.name} | {time_cells(mine, 'seconds')} | {time_cells(mine, 'cpu_seconds')} |")
    return rows


def contrast_lines(records: list[dict[str, Any]], tools: list[Tool]) -> list[str]:
    """Markdown lists: where vapi-codegen is not ok but a baseline is, and where a baseline faults or
    times out but vapi-codegen is ok."""
    lines = ["Documents where vapi-codegen is not ok but a baseline is:", ""]
    table = by_document(records)
    worse = [
        f"- {document}: vapi-codegen {runs[OURS]['outcome']} ({runs[OURS].get('message', '')}); ok: "
        + ", ".join(t for t, r in runs.items() if t != OURS and r["outcome"] == "ok")
        for document, runs in sorted(table.items())
        if runs[OURS]["outcome"] != "ok" and any(r["outcome"] == "ok" for t, r in runs.items() if t != OURS)
    ]
    lines += (worse or ["- none"]) + ["", "Documents where a baseline faults or times out but vapi-codegen is ok:", ""]
    for tool in tools[1:]:
        names = [d for d, runs in sorted(table.items()) if runs[OURS]["outcome"] == "ok" and runs[tool.name]["outcome"] in ("fault", "timeout")]
        lines.append(f"- {tool.name} ({len(names)}): {', '.join(names) or 'none'}")
    return lines


def quoted(text: str) -> str:
    """``text`` safe inside Markdown backquotes."""
    return text.replace("`", "'")


def message_lines(records: list[dict[str, Any]], tools: list[Tool]) -> list[str]:
    """Markdown lists: each tool's runs that are not ok, with their message; the ok ones that left parts out."""
    lines = []
    for tool in tools:
        bad = [r for r in records if r["tool"] == tool.name and r["outcome"] != "ok"]
        lines += [f"### {tool.name}: {len(bad)} not ok", ""]
        lines += [f"- {r['document']}: {r['outcome']}: `{quoted(r.get('message', ''))}`" for r in bad] + [""]
        partial = [r["document"] for r in records if r["tool"] == tool.name and r["outcome"] == "ok" and r.get("partial")]
        if tool.partial:
            lines += [f"ok but said {tool.partial!r}: {len(partial)} ({', '.join(partial) or 'none'})", ""]
    return lines


def summary(records: list[dict[str, Any]], tools: list[Tool], meta: dict[str, Any]) -> str:
    """The Markdown report."""
    lines = [
        "# vapi-codegen and baselines on the corpus sample",
        "",
        f"{meta['documents']} documents from `{meta['corpus']}` ({meta['selection']}), {meta['jobs']} job(s), "
        f"timeout {meta['timeout']:g} s per run, {meta['finished']} ({meta['elapsed_minutes']:.1f} min).",
        f"Command: `{meta['command']}`",
        "",
        *(f"- {name}: `{tool['command']}`" for name, tool in meta["tools"].items()),
        "",
        *outcome_table(records, tools),
        "",
        *common_ok_lines(records, tools),
        "",
        *contrast_lines(records, tools),
        "",
        "## Runs that are not ok",
        "",
        *message_lines(records, tools),
    ]
    return "\n".join(lines)


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help=f"folder of JSON documents (default: what {CORPUS_SCRIPT} prints)")
    parser.add_argument("--sample", type=positive, default=60, metavar="N", help="N documents spread evenly over the sorted names (default 60)")
    parser.add_argument("--jobs", type=int, default=1, choices=range(1, MAX_JOBS + 1), help="documents run at once (default 1)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per run (default 120)")
    parser.add_argument("--datamodel-codegen", metavar="PATH", help="the datamodel-codegen executable (default: on PATH)")
    parser.add_argument("--openapi-python-client", metavar="PATH", help="the openapi-python-client executable (default: on PATH)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="Markdown report; the records go to the .json next to it")
    parser.add_argument("--import-check", nargs=2, metavar=("FOLDER", "NAME"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the tools on the sample, write the reports, print the table."""
    args = parse_arguments(argv)
    if args.import_check:
        return import_main(Path(args.import_check[0]), args.import_check[1])
    started = datetime.now(timezone.utc)
    tools = make_tools(locate(args.datamodel_codegen, "datamodel-codegen"), locate(args.openapi_python_client, "openapi-python-client"))
    corpus = (args.corpus or default_corpus()).resolve()
    documents = select_documents(corpus, args.sample, None)
    records = run_all(documents, tools, args.jobs, args.timeout)
    finished = datetime.now(timezone.utc)
    meta = {
        "corpus": str(corpus), "selection": f"--sample {args.sample}", "documents": len(documents), "jobs": args.jobs,
        "timeout": args.timeout, "finished": finished.strftime("%Y-%m-%d %H:%M UTC"),
        "elapsed_minutes": (finished - started).total_seconds() / 60, "command": " ".join(["python", *sys.argv]),
        "tools": {t.name: {"version": t.version, "python": t.python, "command": " ".join(t.command(Path("DOC"), Path("TMP")))} for t in tools},
    }  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(summary(records, tools, meta), encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps({"meta": meta, "records": records}, indent=1), encoding="utf-8")
    print("\n".join(outcome_table(records, tools)))
    print(f"report: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
