"""Load test of the generated mock: requests/s, p50/p99 latency and the server's memory, at 10,000 and
50,000 stored resources.

    python bench/load.py [--items 10000 50000] [--requests 3000] [--seconds 30] [--concurrency 8]

For each size it generates the phone spec's package into a temporary directory, starts the mock in
a child process (uvicorn on 127.0.0.1 only, an ephemeral port), fills it with that many resources
through ``MockService`` itself (not over HTTP), then sends a fixed mix of requests over loopback:
40 % GET of one resource, 40 % GET of a page of 100 (a random page of the ``/v2`` listing), 10 %
GET of the newest 100, 10 % POST of a new resource. Each run stops after ``--requests`` requests
or ``--seconds`` seconds, whichever comes first, and the child is stopped whatever happens. The
client and the server share the machine, so the figures are for the two together. Prints a table
and writes the raw figures as JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import random
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "vapi-phone-numbers-api-openapi.yml"
PACKAGE = "vapi_phone_numbers"
TOKEN = "bench"
HEADERS = {"Authorization": f"Bearer {TOKEN}"}
BODY = {"provider": "vapi", "name": "Load test", "sipUri": "sip:load@example.sip.vapi.ai"}
READY = "listening on port "
START_SECONDS = 300  # for the child to fill itself and start listening


def serve(package_dir: Path, items: int) -> None:
    """The child: the mock holding ``items`` resources, on 127.0.0.1 and a free port it prints."""
    import socket

    import uvicorn

    sys.path.insert(0, str(package_dir))
    server = importlib.import_module(f"{PACKAGE}.server")
    mock = importlib.import_module(f"{PACKAGE}.mock")
    models = importlib.import_module(f"{PACKAGE}.models")
    from pydantic import TypeAdapter

    service = mock.MockService(max_items=items + 100_000)
    body = TypeAdapter(models.PhoneNumberCreateBody).validate_python(BODY)

    async def fill() -> None:
        for _ in range(items):
            await service.create(body)

    asyncio.run(fill())
    app = server.create_app(service, authenticate=lambda token: token == TOKEN)
    listener = socket.create_server(("127.0.0.1", 0))
    print(READY + str(listener.getsockname()[1]), flush=True)
    uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False)).run(sockets=[listener])


def rss_mib(pid: int) -> float:
    """The resident memory of process ``pid`` in MiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def load(base_url: str, items: int, requests: int, seconds: float, concurrency: int) -> dict[str, Any]:
    """Send the mix until ``requests`` are done or ``seconds`` have passed; latencies in seconds."""
    import httpx

    latencies: list[float] = []
    failures = 0
    pages = max(1, items // 100)
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=base_url, headers=HEADERS, timeout=30) as client:
        ids = [item["id"] for item in (await client.get("/v2/phone-number", params={"limit": 1000})).json()["results"]]
        budget = iter(range(requests))

        async def worker() -> None:
            nonlocal failures
            for _ in budget:
                if time.monotonic() > deadline:
                    return
                pick = random.random()
                start = time.perf_counter()
                if pick < 0.4:
                    answer = await client.get(f"/phone-number/{random.choice(ids)}")
                elif pick < 0.8:
                    answer = await client.get("/v2/phone-number", params={"page": random.randint(1, pages), "limit": 100})
                elif pick < 0.9:
                    answer = await client.get("/phone-number", params={"limit": 100})
                else:
                    answer = await client.post("/phone-number", json=BODY)
                latencies.append(time.perf_counter() - start)
                failures += answer.status_code >= 400

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "failures": failures,
        "seconds": elapsed,
        "requests_per_second": len(latencies) / elapsed,
        "p50_ms": quantiles[49] * 1000,
        "p99_ms": quantiles[98] * 1000,
    }


def run_size(package_dir: Path, items: int, arguments: argparse.Namespace) -> dict[str, Any]:
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(package_dir), "--items", str(items)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert child.stdout is not None
        ready, _, _ = select.select([child.stdout], [], [], START_SECONDS)
        line = child.stdout.readline() if ready else ""  # the child prints READY once filled, or ends
        if not line.startswith(READY):
            raise SystemExit(f"the mock did not start within {START_SECONDS} s: {line!r}")
        base_url = f"http://127.0.0.1:{int(line[len(READY):])}"
        filled = rss_mib(child.pid)
        result = asyncio.run(load(base_url, items, arguments.requests, arguments.seconds, arguments.concurrency))
        return {"items": items, "rss_filled_mib": filled, "rss_after_mib": rss_mib(child.pid), **result}
    finally:
        child.terminate()
        try:
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            child.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--requests", type=int, default=3000, help="at most this many requests per size")
    parser.add_argument("--seconds", type=float, default=30.0, help="at most this long per size")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)  # the child's mode
    arguments = parser.parse_args()
    if arguments.serve:
        serve(arguments.serve, arguments.items[0])
        return
    sys.path.insert(0, str(ROOT / "generator"))
    from vapi_codegen.output.writer import write
    from vapi_codegen.pipeline import generate_files

    with tempfile.TemporaryDirectory(prefix="vapi-codegen-load-") as directory:
        write(Path(directory), generate_files(SPEC, PACKAGE).files, stale=[])
        results = [run_size(Path(directory), items, arguments) for items in arguments.items]
    print("| stored | requests | req/s | p50 | p99 | errors | RSS filled | RSS after |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        print(
            f"| {r['items']:,} | {r['requests']} | {r['requests_per_second']:.0f} | {r['p50_ms']:.1f} ms | {r['p99_ms']:.1f} ms"
            f" | {r['failures']} | {r['rss_filled_mib']:.0f} MiB | {r['rss_after_mib']:.0f} MiB |"
        )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    report = {"arguments": {k: v for k, v in vars(arguments).items() if k != "serve"}, "results": results}
    (out / time.strftime("load-%Y%m%d-%H%M%S.json")).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
