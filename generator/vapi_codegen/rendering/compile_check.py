"""Check that the generated modules compile, piece by piece as they are rendered.

Compiling is the biggest single cost of generating a huge API (Microsoft Graph beta: ~150 MB of
code, ~13 s of ``compile``). Once the output grows past ``PARALLEL_FROM`` characters, the pieces
are compiled in worker processes (``compile_worker.py``) on the other cores while the rendering
goes on; a smaller output is compiled in process, where starting workers would cost more than it
saves. Compiling takes ~50 times the memory of the source, and a process keeps its high-water
mark: every piece of ``BIG_PIECE`` characters or more goes to the same worker, so one worker at
most holds that much.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

from vapi_codegen.rendering.compile_worker import compile_error, encode_piece

PARALLEL_FROM = 4_000_000  # characters of generated code
BIG_PIECE = 1_000_000  # characters
MAX_WORKERS = 2
_WORKER_SCRIPT = Path(__file__).with_name("compile_worker.py")


class InvalidGeneratedCode(RuntimeError):
    """The renderer produced a module that is not valid Python: an internal error of vapi-codegen."""


class CompileChecks:
    """The compile checks of one generation: ``add`` each piece of each module in order (a piece is
    whole top-level statements), then ``wait``; the first piece added that does not compile is the
    one reported, however the work was shared out."""

    def __init__(self, parallel_from: int | None = None) -> None:
        self._parallel_from = PARALLEL_FROM if parallel_from is None else parallel_from
        self._added = 0  # characters
        self._next_line: dict[str, int] = {}  # module -> the line its next piece starts at
        self._pieces = 0
        self._in_process: list[tuple[str, str, int]] = []  # (name, piece, first line)
        self._workers: list[_Worker] | None = None  # None: not asked for yet
        self._failures: list[tuple[int, str]] = []  # (sequence number, message) from ended workers

    def add(self, name: str, piece: str) -> None:
        """Queue the check of ``piece``, the next part of module ``name``."""
        first_line = self._next_line.get(name, 1)
        self._next_line[name] = first_line + piece.count("\n")
        self._added += len(piece)
        sequence, self._pieces = self._pieces, self._pieces + 1
        if self._workers is None and self._added >= self._parallel_from:
            self._workers = _start_workers()
        if not self._workers:
            self._in_process.append((name, piece, first_line))
            return
        big = len(piece) >= BIG_PIECE
        worker = self._workers[0] if big else min(self._workers, key=lambda candidate: candidate.sent)  # the least busy
        worker.send(encode_piece(sequence, name, piece, first_line), len(piece))

    def wait_for_workers(self) -> None:
        """Let the workers finish their checks and end (``wait`` reports what they found): the
        memory they hold is free again."""
        workers, self._workers = self._workers or [], []
        try:
            self._failures.extend(failure for worker in workers for failure in worker.finish())
        finally:
            for worker in workers:
                worker.stop()

    def wait(self) -> None:
        """Finish the checks; raise ``InvalidGeneratedCode`` for the first failing piece."""
        self.wait_for_workers()
        in_process, self._in_process = self._in_process, []
        for name, piece, first_line in in_process:  # all added before any went to the workers
            _raise_if(compile_error(name, piece, first_line))
        failures, self._failures = sorted(self._failures), []
        _raise_if(failures[0][1] if failures else None)

    def cancel(self) -> None:
        """Stop the workers, dropping the checks not yet done."""
        self._in_process = []
        workers, self._workers = self._workers or [], []
        for worker in workers:
            worker.stop()


class _Worker:
    """One ``compile_worker.py`` process, fed by a thread so that rendering never waits for it."""

    def __init__(self) -> None:
        self.sent = 0  # characters
        self._process = subprocess.Popen(
            [sys.executable, "-I", str(_WORKER_SCRIPT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        self._queue: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._feeder = threading.Thread(target=self._feed, name="vapi-codegen-compile-feeder", daemon=True)
        self._feeder.start()
        self._output: tuple[bytes, bytes] | None = None  # once it has ended

    def send(self, message: bytes, size: int) -> None:
        self.sent += size
        self._queue.put(message)

    def finish(self) -> list[tuple[int, str]]:
        """Wait for the worker: the first piece it failed on (sequence number, message), if any."""
        out, err = self._end()
        failures = [(int(result["seq"]), str(result["error"])) for result in map(json.loads, out.splitlines())]
        if self._process.returncode != 0 and not failures:
            detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit status {self._process.returncode}"]
            raise InvalidGeneratedCode(f"internal error: the compile check of the generated code failed: {detail[0]}")
        return failures

    def stop(self) -> None:
        """Kill the worker unless it has ended."""
        if self._output is None:
            self._process.kill()
            self._end()

    def _end(self) -> tuple[bytes, bytes]:
        if self._output is None:
            self._queue.put(None)
            self._feeder.join()
            assert self._process.stdout is not None and self._process.stderr is not None
            # its input is closed by the feeder: read its output (errors are a line or a traceback)
            with self._process.stdout as out, self._process.stderr as err:
                self._output = out.read(), err.read()
            self._process.wait()
        return self._output

    def _feed(self) -> None:
        stdin = self._process.stdin
        assert stdin is not None
        try:
            while (message := self._queue.get()) is not None:
                stdin.write(message)
        except BrokenPipeError:  # the worker was killed (``stop``)
            pass
        finally:
            with contextlib.suppress(BrokenPipeError):
                stdin.close()


def _start_workers() -> list[_Worker]:
    """Worker processes for the checks; none on a machine with a single core, or where processes
    cannot be started (the checks then run in process)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    workers: list[_Worker] = []
    try:
        while sys.executable and cores > 1 and len(workers) < min(cores, MAX_WORKERS):
            workers.append(_Worker())
    except OSError:
        for worker in workers:
            worker.stop()
        return []
    return workers


def _raise_if(error: str | None) -> None:
    if error is not None:
        raise InvalidGeneratedCode(error)
