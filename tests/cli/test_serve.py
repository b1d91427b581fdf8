"""`vapi-codegen serve`: the mock generated on the fly and run by uvicorn in a subprocess."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from ..conftest import ROOT, SPEC
from ..server_support import CREATE_BODIES


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "generator")}
    return subprocess.Popen(
        [sys.executable, "-m", "vapi_codegen", *args], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_serve_runs_the_mock_on_localhost(tmp_path: Path) -> None:
    port = _free_port()
    process = _cli("serve", str(SPEC), "--port", str(port), "--token", "t0k3n", cwd=tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.communicate()[1]
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.1)
        auth = {"Authorization": "Bearer t0k3n"}
        created = httpx.post(f"{base}/phone-number", json=CREATE_BODIES["vonage"], headers=auth, timeout=5)
        assert created.status_code == 201
        fetched = httpx.get(f"{base}/phone-number/{created.json()['id']}", headers=auth, timeout=5)
        assert fetched.json() == created.json()
        assert httpx.get(f"{base}/phone-number", headers={"Authorization": "Bearer other"}, timeout=5).status_code == 401
        assert httpx.get(f"{base}/docs", timeout=5).status_code == 404  # no unauthenticated route without --docs
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=15)
    assert f"http://127.0.0.1:{port}" in stderr


def test_serve_reports_a_bad_spec_in_one_line(tmp_path: Path) -> None:
    spec = tmp_path / "broken.yml"
    spec.write_text("openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n"
                    "        '200': {description: ok, content: {application/json: {schema: {$ref: '#/nope'}}}}\n")
    process = _cli("serve", str(spec), "--port", str(_free_port()), cwd=tmp_path)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 2
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1
    assert "broken.yml" in stderr


def test_serve_refuses_an_api_without_resources(tmp_path: Path) -> None:
    spec = tmp_path / "ping.yml"
    spec.write_text("openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /ping:\n    get:\n      responses:\n"
                    "        '200': {description: ok, content: {application/json: {schema: {type: object, properties: {ok: {type: boolean}}}}}}\n")
    process = _cli("serve", str(spec), "--port", str(_free_port()), cwd=tmp_path)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 2 and "nothing to mock" in stderr and "Traceback" not in stderr


def test_serve_token_guards_api_keys_and_basic_too(tmp_path: Path) -> None:
    """``--token`` with a spec of every scheme (in process: ``load_mock_app`` is what ``serve`` runs)."""
    import asyncio
    import base64

    from vapi_codegen.commands.serve import load_mock_app

    app = load_mock_app(ROOT / "tests" / "golden" / "specs" / "vault.yaml", "vault_served", tmp_path, token="s3cret")

    def basic(password: str) -> dict[str, str]:
        return {"Authorization": "Basic " + base64.b64encode(f"anyone:{password}".encode()).decode()}

    async def scenario() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
            assert (await client.get("/secret", headers={"X-API-Key": "s3cret"})).status_code == 200
            assert (await client.get("/secret", headers={"X-API-Key": "other"})).status_code == 401
            assert (await client.get("/secret/x", params={"api_key": "s3cret"})).status_code == 404  # through the guard
            assert (await client.get("/secret/x", headers={"Cookie": "session=other"})).status_code == 401
            assert (await client.patch("/secret/x", json={}, headers=basic("s3cret"))).status_code == 404
            assert (await client.patch("/secret/x", json={}, headers=basic("other"))).status_code == 401
            assert (await client.delete("/secret/x", headers={"Authorization": "Bearer s3cret"})).status_code == 404

    asyncio.run(scenario())
