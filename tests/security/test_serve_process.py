"""`vapi-codegen serve` as a process: it announces the port it really listens on, a port in use is one
line and exit 2 before anything is announced, and SIGTERM ends it cleanly, its temporary directory
removed."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from ..conftest import ROOT, SPEC
from ..server_support import CREATE_BODIES


def start_serve(*arguments: str, temporary: Path) -> subprocess.Popen[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "generator"), "TMPDIR": str(temporary)}
    return subprocess.Popen(
        [sys.executable, "-m", "vapi_codegen", "serve", str(SPEC), *arguments],
        env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def announced_url(process: subprocess.Popen[str], lines: queue.Queue[str]) -> str:
    """The URL of the ``mock of ... on URL`` line serve writes to stderr (read by a thread into ``lines``)."""
    assert process.stderr is not None
    stream = process.stderr
    threading.Thread(target=lambda: [lines.put(line) for line in stream], daemon=True).start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            assert process.poll() is None, "serve ended before announcing"
            continue
        if match := re.match(r"mock of \S+ on (http://\S+)", line):
            return match.group(1)
    raise AssertionError("serve did not announce its URL")


def test_port_0_announces_the_port_it_listens_on(tmp_path: Path) -> None:
    process = start_serve("--port", "0", "--token", "t", temporary=tmp_path)
    try:
        url = announced_url(process, queue.Queue())
        assert int(url.rsplit(":", 1)[1]) != 0
        created = httpx.post(f"{url}/phone-number", json=CREATE_BODIES["vapi"], headers={"Authorization": "Bearer t"}, timeout=10)
        assert created.status_code == 201
    finally:
        process.kill()
        process.wait(timeout=30)


def test_sigterm_ends_serve_cleanly_and_removes_its_temporary_directory(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = start_serve("--port", str(port), temporary=tmp_path)
    try:
        assert announced_url(process, queue.Queue()) == f"http://127.0.0.1:{port}"
        [directory] = tmp_path.iterdir()
        assert directory.name.startswith("vapi-codegen-serve-")
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert list(tmp_path.iterdir()) == []


def test_a_port_in_use_is_one_line_and_exit_2_before_any_announcement(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = start_serve("--port", str(port), temporary=tmp_path)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 2
    assert stderr == f"vapi-codegen: error: cannot listen on 127.0.0.1:{port}: Address already in use\n"
    assert list(tmp_path.iterdir()) == []


def test_an_address_not_on_this_machine_is_one_line_and_exit_2(tmp_path: Path) -> None:
    process = start_serve("--host", "192.0.2.1", "--port", "0", temporary=tmp_path)  # TEST-NET-1: never local
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 2
    assert stderr.startswith("vapi-codegen: error: cannot listen on 192.0.2.1:0: ")
    assert stderr.count("\n") == 1

