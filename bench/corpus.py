"""Corpus runner: vapi-codegen against the APIs-guru directory of public OpenAPI documents.

    python bench/corpus.py [--sample N | --only NAME] [--jobs 1|2] [--timeout S] [--corpus DIR]
                           [--out FILE] [--allow-faults]

The corpus is the folder ``../shared/corpus/apis-guru.sh`` prints (``--corpus`` overrides it). Each
document is checked in a fresh Python process (running vapi-codegen from this checkout) with a time
limit: generate the package in memory, write it to a temporary directory, import every module,
construct the sync client, build the server app (and the webhook app) around a service that
implements nothing and call ``app.openapi()``, then, when there is a mock, one round trip through
it with FastAPI's TestClient (create the first resource from a minimal body and read it back, or
list the collection when no body can be built).

Each document ends in one outcome: ``ok``; ``rejected`` (a SpecError: the clean exit-2 refusal of
the CLI); ``generator-fault``, ``import-fault``, ``client-fault``, ``server-fault``,
``openapi-fault`` or ``mock-fault`` (an exception in that step); ``timeout``; ``crash`` (the process
died, or ran out of memory). The summary (``--out``, default bench/results/corpus.md) counts the
outcomes, groups the messages into clusters (numbers, quoted names, JSON pointers and paths
stripped) with example documents, and gives the time (p50/p95/max) and peak memory; the records of
every document go to a JSON file next to it.

``--sample N`` checks N documents spread evenly over the sorted names (the same ones every time):
``--sample 60`` is the quick run for CI. The exit status is 1 when any document ends in a fault
(anything but ok or rejected), unless ``--allow-faults``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "generator"
CORPUS_SCRIPT = Path("..") / "shared" / "corpus" / "apis-guru.sh"  # relative to ROOT
DEFAULT_OUT = ROOT / "bench" / "results" / "corpus.md"
PACKAGE = "corpus_api"
MAX_JOBS = 2
CLEAN_OUTCOMES = ("ok", "rejected")
FAULT_OUTCOMES = (
    "generator-fault", "import-fault", "client-fault", "server-fault", "openapi-fault", "mock-fault",
    "timeout", "crash",
)  # fmt: skip
MESSAGE_LIMIT = 4000  # characters of an error message kept in a record
TRACEBACK_LINES = 16  # lines of the end of a traceback kept in a record
EXAMPLES_PER_CLUSTER = 3


# --- in the child process: one document -----------------------------------------------------------


class Rejected(Exception):
    """The generator refused the document cleanly (it raised SpecError)."""


class _NoExample(Exception):
    """No minimal value could be built for a request body schema."""


@dataclass
class Run:
    """What the steps of one document's check share."""

    spec: Path
    directory: Path
    files: dict[str, str] = field(default_factory=dict)
    modules: dict[str, Any] = field(default_factory=dict)  # short module name -> module
    apps: list[Any] = field(default_factory=list)
    openapi: dict[str, Any] = field(default_factory=dict)  # the main app's, for the mock round trip
    notes: dict[str, Any] = field(default_factory=dict)


def step_generate(run: Run) -> None:
    """Render the package in memory and write it; a SpecError becomes ``Rejected``."""
    from vapi_codegen.diagnostics import SpecError
    from vapi_codegen.output.writer import write
    from vapi_codegen.pipeline import generate_files

    try:
        generation = generate_files(run.spec, PACKAGE)
    except SpecError as error:
        run.notes["diagnostics"] = [str(d) for d in error.diagnostics]
        raise Rejected(str(error.diagnostics[0]) if error.diagnostics else str(error)) from None
    run.files = generation.files
    run.notes["warnings"] = [d.message for d in generation.warnings]
    run.notes["files"] = len(generation.files)
    write(run.directory, generation.files, stale=[])


def step_import(run: Run) -> None:
    """Import every module of the generated package: the public ones first, then the rest."""
    from vapi_codegen.commands.serve import import_generated

    import_generated(run.directory, PACKAGE)
    first = ["models", "client", "server", "mock"]
    names = [
        Path(p).relative_to(PACKAGE).with_suffix("").as_posix()
        for p in run.files
        if p.startswith(f"{PACKAGE}/") and p.endswith(".py")
    ]
    names = [n for n in first if n in names] + sorted(n for n in names if n not in first)
    for name in names:
        dotted = ".".join([PACKAGE, *(part for part in name.split("/") if part != "__init__")])
        run.modules[name] = importlib.import_module(dotted)


def step_client(run: Run) -> None:
    """Construct the sync client, touch each of its resource groups and close it."""
    import functools
    import inspect

    client_type = run.modules["client"].Client
    required = [
        p for p in inspect.signature(client_type).parameters.values()
        if p.default is p.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]  # fmt: skip
    arguments = {p.name: "token" for p in required} | {"base_url": "http://127.0.0.1:9"}
    client = client_type(**arguments)
    for name, value in vars(client_type).items():
        if isinstance(value, functools.cached_property):
            getattr(client, name)
    client.close()


class NothingService:
    """A service (or webhook receiver) whose every operation raises NotImplementedError."""

    def __getattr__(self, name: str) -> Callable[..., Any]:
        async def operation(*args: Any, **kwargs: Any) -> Any:
            raise NotImplementedError(name)

        return operation


def create_app(server: Any, service: Any) -> Any:
    """``server.create_app`` around ``service``, accepting any bearer token when the API is secured."""
    import inspect

    if "authenticate" in inspect.signature(server.create_app).parameters:
        return server.create_app(service, authenticate=lambda token: True)
    return server.create_app(service)


def step_server(run: Run) -> None:
    """Build the app (and the webhook app, when there is one) around a service implementing nothing."""
    server = run.modules["server"]
    run.apps.append(create_app(server, NothingService()))
    if hasattr(server, "create_webhook_app"):
        run.apps.append(server.create_webhook_app(NothingService()))


def step_openapi(run: Run) -> None:
    """Have FastAPI describe each app as an OpenAPI document, serialisable as JSON."""
    for app in run.apps:
        json.dumps(app.openapi())
    run.openapi = run.apps[0].openapi()  # FastAPI keeps it: not computed again
    run.notes["paths"] = len(run.openapi.get("paths", {}))


def step_mock(run: Run) -> None:
    """One round trip through the mock, when there is one: see ``mock_round_trip``.

    The mock's app has the routes of the app ``step_openapi`` described, so its document is reused.
    """
    if "mock" not in run.modules:
        run.notes["mock"] = "no mock"
        return
    from fastapi.testclient import TestClient

    service = run.modules["mock"].MockService()
    app = create_app(run.modules["server"], service)
    with TestClient(app, headers={"Authorization": "Bearer corpus"}) as client:
        run.notes["mock"] = mock_round_trip(client, run.openapi, service)


STEPS: list[tuple[str, Callable[[Run], None]]] = [
    ("generator-fault", step_generate),
    ("import-fault", step_import),
    ("client-fault", step_client),
    ("server-fault", step_server),
    ("openapi-fault", step_openapi),
    ("mock-fault", step_mock),
]


def mock_round_trip(client: Any, schema: dict[str, Any], service: Any) -> str:
    """Create the first resource from a minimal body and read it back; list it when that is not possible.

    Answers a note like ``POST /pets 201, GET /pets/{id} 200``. A 5xx answer (but 501), or a created
    resource that cannot be read back, raises AssertionError (the server's own exceptions propagate).
    """
    resource = first_resource(schema)
    if resource is None:
        return "no resource in the app's OpenAPI document"
    collection, item = resource
    caller = MockCaller(client, schema)
    try:
        body = minimal_value(request_schema(schema["paths"][collection]["post"]), caller.components)
    except _NoExample:
        return list_round_trip(caller, collection, "no minimal body")
    created = caller.send("post", collection, body=body)
    if not created.is_success:
        why = f"POST {collection} {created.status_code} ({short_detail(created)})"
        return list_round_trip(caller, collection, why)
    item_id = created_id(created.json(), service)
    if item_id is None:
        return f"POST {collection} {created.status_code}, no id in the answer"
    read = caller.send("get", item, path=item[: item.rindex("{")] + str(item_id))
    assert read.status_code == 200, f"GET {item} of the created resource answered {read.status_code}: {read.text[:500]}"
    return f"POST {collection} {created.status_code}, GET {item} {read.status_code}"


def list_round_trip(caller: MockCaller, collection: str, why: str) -> str:
    """List the collection when it can be listed; answers the note."""
    if "get" not in caller.schema["paths"][collection]:
        return f"{why}; no list"
    listed = caller.send("get", collection)
    return f"{why}; GET {collection} {listed.status_code}"


@dataclass
class MockCaller:
    """Sends requests to the mock's app, with minimal values for the required query and header
    parameters of each operation."""

    client: Any  # a TestClient
    schema: dict[str, Any]  # the app's OpenAPI document

    @property
    def components(self) -> dict[str, Any]:
        """The document's schemas, by name."""
        components: dict[str, Any] = self.schema.get("components", {}).get("schemas", {})
        return components

    def send(self, method: str, template: str, path: str | None = None, body: Any = None) -> Any:
        """Call the operation at ``template`` (on ``path``, the template filled in, when given)."""
        query, headers = required_parameters(self.schema["paths"][template][method], self.components)
        response = self.client.request(method.upper(), path or template, params=query, headers=headers, json=body)
        return checked(response, f"{method.upper()} {template}")


def required_parameters(operation: dict[str, Any], components: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Minimal values for the required query and header parameters of ``operation``, as text (but an
    ``Authorization`` header: the caller's bearer token stays)."""
    query: dict[str, Any] = {}
    headers: dict[str, str] = {}
    for parameter in operation.get("parameters", []):
        if not parameter.get("required") or parameter.get("in") not in ("query", "header"):
            continue
        if parameter["in"] == "header" and parameter["name"].lower() == "authorization":
            continue
        try:
            value = minimal_value(parameter.get("schema", {}), components)
        except _NoExample:
            continue
        if parameter["in"] == "header":
            headers[parameter["name"]] = parameter_text(value)
        else:
            query[parameter["name"]] = (
                [parameter_text(v) for v in value] if isinstance(value, list) else parameter_text(value)
            )
    return query, headers


def parameter_text(value: Any) -> str:
    """A parameter value as it travels in a URL or header."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value) if isinstance(value, dict) else str(value)


def checked(response: Any, label: str) -> Any:
    """``response``, unless it is a 5xx answer (AssertionError); 501, an operation the mock does not
    serve (one outside the resources the generator found), is an answer like a 4xx."""
    failed = response.status_code >= 500 and response.status_code != 501
    assert not failed, f"{label} answered {response.status_code}: {response.text[:500]}"
    return response


def short_detail(response: Any) -> str:
    """The first problem a 4xx answer names (FastAPI's validation detail or the service's message)."""
    try:
        body = response.json()
    except ValueError:
        return f"{response.text}"[:200]
    detail = body.get("detail", body.get("message", "")) if isinstance(body, dict) else body
    if isinstance(detail, list) and detail and isinstance(detail[0], dict):
        return f"{'.'.join(map(str, detail[0].get('loc', [])))}: {detail[0].get('msg', '')}"
    return f"{detail}"[:200]


def first_resource(schema: dict[str, Any]) -> tuple[str, str] | None:
    """(collection path, item path) of the first collection with a JSON POST and an item GET."""
    paths = schema.get("paths", {})
    for collection, operations in paths.items():
        if "{" in collection or "post" not in operations or request_schema(operations["post"]) is None:
            continue
        for item, item_operations in paths.items():
            if "get" in item_operations and re.fullmatch(re.escape(collection) + r"/\{[^{}/]+\}", item):
                return collection, item
    return None


def request_schema(operation: dict[str, Any]) -> dict[str, Any] | None:
    """The JSON schema of an operation's JSON request body, if it has one."""
    content = operation.get("requestBody", {}).get("content", {})
    for media, entry in content.items():
        if media.split(";")[0].strip().endswith("json"):
            schema: dict[str, Any] = entry.get("schema", {})
            return schema
    return None


def created_id(answer: Any, service: Any) -> Any:
    """The id of a created resource: the first id field of the mock's collections found in ``answer``."""
    if not isinstance(answer, dict):
        return None
    id_fields = [value.id_field for value in vars(service).values() if hasattr(value, "id_field")]
    return next((answer[name] for name in id_fields if answer.get(name) is not None), None)


STRING_FORMATS = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "00:00:00",
    "duration": "P1D",
    "uuid": "00000000-0000-4000-8000-000000000001",
    "email": "corpus@example.com",
    "uri": "https://example.com",
    "url": "https://example.com",
    "hostname": "example.com",
    "ipv4": "127.0.0.1",
    "ipv6": "::1",
    "byte": "eA==",
}


def minimal_value(schema: dict[str, Any] | None, components: dict[str, Any], depth: int = 0) -> Any:
    """A small value valid for ``schema`` (FastAPI's JSON schema): required fields only, first branches."""
    if schema is None or depth > 20:
        raise _NoExample
    if "$ref" in schema:
        return minimal_value(components.get(schema["$ref"].rsplit("/", 1)[-1]), components, depth + 1)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("oneOf", "anyOf"):
        if schema.get(key):
            branches = [b for b in schema[key] if b.get("type") != "null"] or schema[key]
            return minimal_value(branches[0], components, depth + 1)
    if schema.get("allOf"):
        parts = [minimal_value(part, components, depth + 1) for part in schema["allOf"]]
        merged = [part for part in parts if isinstance(part, dict)]
        return {k: v for part in merged for k, v in part.items()} if len(merged) == len(parts) else parts[0]
    return minimal_typed(schema, components, depth)


def minimal_typed(schema: dict[str, Any], components: dict[str, Any], depth: int) -> Any:
    """``minimal_value`` for a schema without combinators, by its ``type``."""
    kind = schema.get("type", "object" if "properties" in schema else None)
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        properties = schema.get("properties", {})
        return {
            name: minimal_value(properties.get(name, {}), components, depth + 1) for name in schema.get("required", [])
        }
    if kind == "array":
        return [minimal_value(schema.get("items", {}), components, depth + 1) for _ in range(schema.get("minItems", 0))]
    if kind in ("integer", "number"):
        return minimal_number(schema, kind)
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    return STRING_FORMATS.get(schema.get("format", ""), "x" * max(1, schema.get("minLength", 0)))


def minimal_number(schema: dict[str, Any], kind: str) -> int | float:
    """The smallest non-negative number the bounds allow (the largest allowed, when they are all negative)."""
    value: float = 0
    if "minimum" in schema:
        value = max(value, schema["minimum"]) if schema.get("maximum", 0) >= 0 else schema["minimum"]
    if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
        value = schema["exclusiveMinimum"] + 1
    if "maximum" in schema and value > schema["maximum"]:
        value = schema["maximum"]
    if schema.get("multipleOf"):
        value = math.ceil(value / schema["multipleOf"]) * schema["multipleOf"]
    return int(value) if kind == "integer" else value


_OUR_FILE = re.compile(r".*?[/\\]((?:vapi_codegen|" + PACKAGE + r")[/\\].*)")


def where_raised(error: BaseException) -> str:
    """The innermost frame of the generator or the generated package (else the innermost frame)."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [(frame, match.group(1)) for frame in frames if (match := _OUR_FILE.match(frame.filename))]
    if ours:
        frame, name = ours[-1]
    elif frames:
        frame, name = frames[-1], Path(frames[-1].filename).name
    else:
        return ""
    return f"{name}:{frame.lineno} in {frame.name}"


def describe(error: BaseException) -> dict[str, Any]:
    """Type, message, place raised and traceback tail of an exception."""
    lines = "".join(traceback.format_exception(type(error), error, error.__traceback__)).rstrip().splitlines()
    return {
        "type": type(error).__name__,
        "message": str(error)[:MESSAGE_LIMIT],
        "where": where_raised(error),
        "traceback": "\n".join(lines[-TRACEBACK_LINES:]),
    }


def check_document(spec: Path) -> dict[str, Any]:
    """Run every step on ``spec`` until one fails; answers the record (outcome, message, notes, step times)."""
    record: dict[str, Any] = {"outcome": "ok", "steps": {}}
    with tempfile.TemporaryDirectory(prefix="vapi-corpus-out-") as directory:
        run = Run(spec, Path(directory))
        for outcome, step in STEPS:
            start = time.perf_counter()
            try:
                step(run)
            except Rejected as rejection:
                record |= {"outcome": "rejected", "message": str(rejection)}
            except MemoryError as error:
                record |= {"outcome": "crash"} | describe(error)
            except Exception as error:  # noqa: BLE001  (every other exception is a fault of this step)
                record |= {"outcome": outcome} | describe(error)
            record["steps"][step.__name__.removeprefix("step_")] = round(time.perf_counter() - start, 3)
            if record["outcome"] != "ok":
                break
    record["notes"] = run.notes
    return record


def child_main(spec: Path, result: Path) -> int:
    """The child process: check one document and write its record as JSON to ``result``.

    Python warnings raised meanwhile (pydantic's about the generated models, say) are noted, except
    deprecations (the libraries raise some on every document).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        record = check_document(spec)
    shown = {f"{w.category.__name__}: {w.message}" for w in caught if "Deprecation" not in w.category.__name__}
    record["notes"]["python_warnings"] = sorted(shown)
    result.write_text(json.dumps(record), encoding="utf-8")
    return 0


# --- in the parent process: choosing, running and reporting --------------------------------------


def default_corpus() -> Path:
    """The folder the corpus script prints (it unpacks the corpus on first use)."""
    script = ROOT / CORPUS_SCRIPT
    result = subprocess.run([str(script)], cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{CORPUS_SCRIPT} failed ({result.returncode}): {result.stderr.strip()}")
    return Path(result.stdout.strip())


def select_documents(corpus: Path, sample: int | None, only: str | None) -> list[Path]:
    """The documents to check: all of them sorted by name, an even sample of them, or the one named."""
    documents = sorted(corpus.glob("*.json"))
    if not documents:
        raise SystemExit(f"{corpus}: no *.json documents")
    if only is not None:
        wanted = only if only.endswith(".json") else f"{only}.json"
        chosen = [d for d in documents if d.name == wanted]
        if not chosen:
            raise SystemExit(f"{corpus}: no document named {wanted}")
        return chosen
    if sample is not None and sample < len(documents):
        return [documents[index * len(documents) // sample] for index in range(sample)]
    return documents


def child_environment() -> dict[str, str]:
    """The caller's environment, with this checkout's generator first on the import path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(GENERATOR), env.get("PYTHONPATH", "")) if p)
    return env


@dataclass
class Finished:
    """How a process run by ``run_process`` ended."""

    returncode: int
    seconds: float  # wall time, process start to end
    usage: Any  # the process's own resource.struct_rusage (with its waited-for descendants)
    timed_out: bool


def run_process(command: list[str], cwd: Path, env: dict[str, str], timeout: float, log: Path) -> Finished:
    """Run ``command`` in a new session, its output to ``log``; its whole process group is killed after
    ``timeout`` seconds."""
    timed_out = threading.Event()

    def kill() -> None:
        timed_out.set()
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    with log.open("wb") as output:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=output, stderr=output, start_new_session=True
        )
        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        timer.cancel()
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return Finished(process.returncode, seconds, usage, timed_out.is_set())


def run_document(spec: Path, timeout: float) -> dict[str, Any]:
    """Check ``spec`` in a fresh process (its whole process group killed after ``timeout`` seconds).

    Adds the document's name, wall time and peak RSS (the child's own rusage) to its record.
    """
    with tempfile.TemporaryDirectory(prefix="vapi-corpus-") as scratch:
        result, log = Path(scratch) / "record.json", Path(scratch) / "output.txt"
        command = [sys.executable, str(Path(__file__).resolve()), "--child", str(spec), str(result)]
        finished = run_process(command, Path(scratch), child_environment(), timeout, log)
        if finished.timed_out:
            record = unfinished_record("timeout", f"no answer within {timeout:g} s", log)
        elif not result.exists():
            record = unfinished_record("crash", exit_status(finished.returncode), log)
        else:
            record = json.loads(result.read_text(encoding="utf-8"))
    return {
        "document": spec.stem,
        **record,
        "seconds": round(finished.seconds, 2),
        "peak_rss_mb": round(finished.usage.ru_maxrss / 1024, 1),
    }


def exit_status(returncode: int) -> str:
    """How a process ended, in words."""
    if returncode < 0:
        return f"killed by {signal.Signals(-returncode).name}"
    return f"exited with status {returncode}"


def unfinished_record(outcome: str, message: str, log: Path) -> dict[str, Any]:
    """The record of a child that wrote none, with the end of what it printed as its traceback."""
    output = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return {"outcome": outcome, "message": message, "traceback": "\n".join(output[-TRACEBACK_LINES:])}


def run_all(documents: list[Path], jobs: int, timeout: float) -> list[dict[str, Any]]:
    """Check the documents, ``jobs`` at a time, printing one line per document as it ends."""
    records = []
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(run_document, spec, timeout) for spec in documents]
        for done, future in enumerate(as_completed(futures), start=1):
            record = future.result()
            records.append(record)
            print(
                f"[{done}/{len(documents)}] {record['outcome']:<15} {record['seconds']:6.1f}s  {record['document']}",
                file=sys.stderr,
                flush=True,
            )
    return sorted(records, key=lambda r: r["document"])


# --- the summary --------------------------------------------------------------------------------

_NORMALISERS = [
    (re.compile(r"^\S+\.json(#.*?)?: (error|warning): "), ""),  # the diagnostic's location
    (re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`|«[^»\n]*»"), "<q>"),
    (re.compile(r"#/\S*"), "<ptr>"),
    (re.compile(r"(?<![\w<])(?:[A-Za-z]:)?[\\/][\w.~{}\\/-]+"), "<path>"),
    (re.compile(r"0x[0-9a-fA-F]+"), "<hex>"),
    (re.compile(r"\d+(\.\d+)?"), "<n>"),
]


def normalise(message: str) -> str:
    """The first line of ``message`` with numbers, quoted names, JSON pointers and paths stripped."""
    line = message.strip().splitlines()[0] if message.strip() else ""
    for pattern, replacement in _NORMALISERS:
        line = pattern.sub(replacement, line)
    return line[:300]


def cluster_key(record: dict[str, Any]) -> str:
    """What groups a record with others like it: outcome, exception type, message shape, place."""
    parts = [record["outcome"]]
    if record.get("type"):
        parts.append(record["type"] + ":")
    parts.append(normalise(record.get("message", "")))
    if record.get("where"):
        parts.append("@ " + re.sub(r":\d+ in ", " in ", record["where"]))
    return " ".join(parts)


def clusters(records: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The records that are not ok grouped by ``cluster_key``: faults first, then larger groups first."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        if record["outcome"] != "ok":
            groups[cluster_key(record)].append(record)
    return sorted(groups.items(), key=lambda item: (item[1][0]["outcome"] == "rejected", -len(item[1]), item[0]))


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of non-empty ``values``."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def outcome_table(records: list[dict[str, Any]]) -> list[str]:
    """Markdown rows: count and share of each outcome."""
    counts = Counter(r["outcome"] for r in records)
    rows = ["| outcome | documents | share |", "|---|---:|---:|"]
    for outcome in CLEAN_OUTCOMES + FAULT_OUTCOMES:
        rows.append(f"| {outcome} | {counts[outcome]} | {100 * counts[outcome] / len(records):.1f}% |")
    rows.append(f"| **total** | {len(records)} | |")
    return rows


def resource_lines(records: list[dict[str, Any]]) -> list[str]:
    """Markdown lines: time percentiles, peak memory, the slowest documents."""
    seconds = [r["seconds"] for r in records]
    biggest = max(records, key=lambda r: r["peak_rss_mb"])
    slowest = sorted(records, key=lambda r: -r["seconds"])[:5]
    lines = [
        (
            f"Wall time per document (process start to end): p50 {percentile(seconds, 0.5):.1f} s, "
            f"p95 {percentile(seconds, 0.95):.1f} s, max {max(seconds):.1f} s; total {sum(seconds) / 60:.1f} min."
        ),
        (
            f"Peak RSS: max {biggest['peak_rss_mb']:.0f} MB ({biggest['document']}), "
            f"p50 {percentile([r['peak_rss_mb'] for r in records], 0.5):.0f} MB."
        ),
        "",
        "Slowest: " + ", ".join(f"{r['document']} {r['seconds']:.1f} s" for r in slowest),
    ]
    return lines


def mock_lines(records: list[dict[str, Any]]) -> list[str]:
    """Markdown rows: how the mock round trips of ok documents went, by note shape."""
    notes = Counter(normalise(r["notes"].get("mock", "")) for r in records if r["outcome"] == "ok")
    rows = ["| mock round trip (ok documents) | documents |", "|---|---:|"]
    rows += [f"| {note.replace('|', '/')} | {count} |" for note, count in notes.most_common(15)]
    return rows


def warning_lines(records: list[dict[str, Any]], note: str, title: str) -> list[str]:
    """Markdown rows: the most frequent messages of a list ``note`` of the records, by shape, with
    how many documents have each."""
    shapes: Counter[str] = Counter()
    for record in records:
        shapes.update({normalise(message) for message in record.get("notes", {}).get(note, [])})
    rows = [f"| {title} | documents |", "|---|---:|"]
    rows += [f"| {shape.replace('|', '/')} | {count} |" for shape, count in shapes.most_common(20)]
    return rows


def cluster_lines(records: list[dict[str, Any]]) -> list[str]:
    """Markdown sections, one per cluster, with example documents and the first example's details."""
    lines = []
    for index, (key, members) in enumerate(clusters(records), start=1):
        first = members[0]
        examples = ", ".join(r["document"] for r in members[:EXAMPLES_PER_CLUSTER])
        lines += [
            f"### {index}. {first['outcome']}: {len(members)} document(s)",
            "",
            f"`{key}`",
            "",
            f"Examples: {examples}",
            "",
        ]
        lines += ["```", first.get("message", "").strip()[:1500], "```", ""]
        if first.get("traceback"):
            lines += [
                "<details><summary>traceback tail</summary>",
                "",
                "```",
                first["traceback"],
                "```",
                "</details>",
                "",
            ]
    return lines


def summary(records: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    """The Markdown report."""
    lines = [
        "# vapi-codegen corpus run",
        "",
        (
            f"{meta['documents']} documents from `{meta['corpus']}` ({meta['selection']}), generator at "
            f"{meta['commit']}, {meta['jobs']} job(s), timeout {meta['timeout']:g} s, {meta['finished']}."
        ),
        "",
        *outcome_table(records),
        "",
        *resource_lines(records),
        "",
        "## Failure clusters",
        "",
        *cluster_lines(records),
        "## Mock round trips",
        "",
        *mock_lines(records),
        "",
        "## Generator warnings",
        "",
        *warning_lines(records, "warnings", "warning"),
        "",
        "## Python warnings (importing and running the generated code)",
        "",
        *warning_lines(records, "python_warnings", "warning"),
        "",
    ]
    return "\n".join(lines)


def git_commit() -> str:
    """The checkout's commit (with ``+changes`` when the work tree differs from it)."""
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "generator", "templates"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return (head or "unknown") + ("+changes" if dirty else "")


def write_reports(out: Path, records: list[dict[str, Any]], meta: dict[str, Any]) -> None:
    """Write the Markdown summary to ``out`` and the records as JSON next to it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(summary(records, meta), encoding="utf-8")
    out.with_suffix(".json").write_text(json.dumps({"meta": meta, "records": records}, indent=1), encoding="utf-8")


def positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return value


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help=f"folder of JSON documents (default: what {CORPUS_SCRIPT} prints)")
    choose = parser.add_mutually_exclusive_group()
    choose.add_argument(
        "--sample", type=positive, metavar="N", help="check N documents spread evenly over the sorted names"
    )
    choose.add_argument("--only", metavar="NAME", help="check the one document NAME (file name, .json optional)")
    parser.add_argument(
        "--jobs",
        type=int,
        default=MAX_JOBS,
        choices=range(1, MAX_JOBS + 1),
        help="documents checked at once (default 2)",
    )
    parser.add_argument("--timeout", type=float, default=120, help="seconds per document (default 120)")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="Markdown summary; the records go to the .json next to it"
    )
    parser.add_argument("--allow-faults", action="store_true", help="exit 0 even when documents end in a fault")
    parser.add_argument("--child", nargs=2, metavar=("SPEC", "RESULT"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Check the chosen documents, write the reports, print the outcome counts."""
    args = parse_arguments(argv)
    if args.child:
        return child_main(Path(args.child[0]), Path(args.child[1]))
    corpus = (args.corpus or default_corpus()).resolve()
    documents = select_documents(corpus, args.sample, args.only)
    records = run_all(documents, args.jobs, args.timeout)
    selection = f"--only {args.only}" if args.only else f"--sample {args.sample}" if args.sample else "all"
    meta = {
        "corpus": str(corpus), "selection": selection, "documents": len(records), "commit": git_commit(),
        "jobs": args.jobs, "timeout": args.timeout, "finished": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }  # fmt: skip
    write_reports(args.out, records, meta)
    print("\n".join(outcome_table(records)))
    print(f"summary: {args.out}")
    faults = sum(r["outcome"] in FAULT_OUTCOMES for r in records)
    return 1 if faults and not args.allow_faults else 0


if __name__ == "__main__":
    sys.exit(main())
