"""A worker process compiling pieces of generated code: ``python compile_worker.py``.

Standard library only, run by path in isolated mode (``-I``), so it starts fast and needs nothing
of the caller's environment. It reads pieces from standard input, each a JSON header line
(``seq``, ``name``, ``first_line``, ``size``) and then ``size`` bytes of UTF-8 source, and writes
one JSON line (``seq``, ``error``) for the first piece that does not compile; after that it only
drains its input.
"""

from __future__ import annotations

import json
import sys
from typing import BinaryIO


def compile_error(name: str, source: str, first_line: int = 1) -> str | None:
    """Why ``source`` (the part of module ``name`` starting at line ``first_line``) does not
    compile, naming the module, the line and its text; None when it compiles."""
    try:
        compile(source, name, "exec", dont_inherit=True)
    except SyntaxError as error:
        lines = source.splitlines()
        text = lines[error.lineno - 1].strip() if error.lineno and error.lineno <= len(lines) else ""
        line = error.lineno + first_line - 1 if error.lineno else None
        return (
            f"internal error: vapi-codegen generated invalid Python in {name}, line {line}: "
            f"{error.msg}: {text[:200]!r} (please report this with the spec)"
        )
    except (ValueError, RecursionError, MemoryError) as crash:  # a null byte, nesting too deep, too big
        return f"internal error: vapi-codegen could not compile {name}: {type(crash).__name__}: {crash} (please report this with the spec)"
    return None


def encode_piece(seq: int, name: str, piece: str, first_line: int) -> bytes:
    """One piece as the worker reads it."""
    source = piece.encode("utf-8")
    header = {"seq": seq, "name": name, "first_line": first_line, "size": len(source)}
    return json.dumps(header).encode("ascii") + b"\n" + source


def serve(pieces: BinaryIO, results: BinaryIO) -> None:
    """Compile the pieces read from ``pieces`` until its end, reporting the first failure to ``results``."""
    failed = False
    while line := pieces.readline():
        header = json.loads(line)
        source = pieces.read(header["size"]).decode("utf-8")
        if failed:
            continue
        error = compile_error(header["name"], source, header["first_line"])
        if error is not None:
            results.write(json.dumps({"seq": header["seq"], "error": error}).encode("utf-8") + b"\n")
            results.flush()
            failed = True


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
