"""``vapi-codegen serve``: generate the package into a temporary directory and run its mock with uvicorn."""

from __future__ import annotations

import hmac
import importlib
import inspect
import signal
import socket
import sys
import tempfile
from pathlib import Path
from typing import Any
from collections.abc import Callable

import click

from vapi_codegen.commands.common import run_command
from vapi_codegen.settings import resolve_settings
from vapi_codegen.diagnostics import fail
from vapi_codegen.pipeline import generate_files
from vapi_codegen.output.writer import write


def import_generated(directory: Path, package: str) -> Any:
    """Import ``package`` from ``directory``, dropping any earlier import of a package of that name."""
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        del sys.modules[name]
    sys.path.insert(0, str(directory))
    try:
        importlib.invalidate_caches()
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(directory))


def load_mock_app(
    spec: Path, package: str, directory: Path, token: str | None, docs: bool = False, overlays: tuple[Path, ...] = ()
) -> Any:
    """Generate ``spec`` into ``directory``, import it and build the FastAPI app around its mock service.

    With ``token`` only that secret is accepted, whatever the scheme (see ``token_authenticator``);
    without, any credential is. ``docs`` serves FastAPI's interactive docs (not authenticated) too.
    """
    generation = generate_files(spec, package, overlays=overlays)
    if f"{package}/mock.py" not in generation.files:
        raise fail(str(spec), "/paths", "no resource-shaped operations (a collection POST with an item GET): nothing to mock")
    write(directory, generation.files, stale=[])
    import_generated(directory, package)
    server = importlib.import_module(f"{package}.server")
    mock = importlib.import_module(f"{package}.mock")
    if "authenticate" not in inspect.signature(server.create_app).parameters:
        return server.create_app(mock.MockService(), docs=docs)
    return server.create_app(mock.MockService(), authenticate=token_authenticator(token), docs=docs)


def token_authenticator(token: str | None) -> Callable[[Any], bool]:
    """The mock's ``authenticate``, for every scheme: without ``token`` any credential; else a bearer
    token or API key equal to it, or basic credentials whose password is (compared in constant time,
    so the answer's timing tells nothing about how much of a guess was right)."""
    if token is None:
        return lambda given: True
    expected = token.encode("utf-8", "surrogateescape")  # a command-line argument may hold any bytes

    def authenticate(credential: Any) -> bool:
        secret = getattr(credential, "password", credential)  # BasicCredentials: the password
        return hmac.compare_digest(str(secret).encode("utf-8", "surrogateescape"), expected)

    return authenticate


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` (0: a free port); SpecError, one line, when it cannot be
    (the port is taken, the address is not this machine's...)."""
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        listener = socket.socket(family, kind, protocol)
    except OSError as error:
        raise fail("vapi-codegen", "", f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # not a port in use: one in TIME_WAIT
        listener.bind(address)
    except OSError as error:
        listener.close()
        raise fail("vapi-codegen", "", f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    return listener


def _exit_cleanly(signal_number: int, frame: Any) -> None:
    # uvicorn shuts down gracefully on SIGTERM, then raises it again for the handler it found: this
    # one, so the temporary directory is removed on the way out instead of the process dying at once.
    raise SystemExit(0)


@click.command()
@click.argument("spec", required=False)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind (only this machine by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--token", default=None, help="The only bearer token, API key or basic password accepted (default: any).")
@click.option("--docs", is_flag=True, help="Also serve the interactive docs at /docs (not authenticated).")
@click.option("--overlay", "overlays", multiple=True, help="An Overlay 1.0 document to apply to SPEC first (repeatable).")
def serve(spec: str | None, host: str, port: int, token: str | None, docs: bool, overlays: tuple[str, ...]) -> None:
    """Run a stateful in-memory mock of the API in SPEC (generated on the fly) with uvicorn."""

    def action() -> int:
        try:
            import fastapi  # noqa: F401  (the generated server needs it)
            import uvicorn
        except ImportError as error:
            hint = "install vapi-codegen with its runtime extra (pip install '.[runtime]' in its checkout)"
            raise fail("vapi-codegen", "", f"serve needs {error.name}: {hint}") from None

        signal.signal(signal.SIGTERM, _exit_cleanly)
        settings = resolve_settings(spec, None, None, overlays=overlays)
        listener = listening_socket(host, port)
        with listener, tempfile.TemporaryDirectory(prefix="vapi-codegen-serve-") as directory:
            app = load_mock_app(settings.spec, settings.package, Path(directory), token, docs, settings.overlays)
            bound = listener.getsockname()[1]
            where = f"http://{f'[{host}]' if ':' in host else host}:{bound}" + (" (docs at /docs)" if docs else "")
            click.echo(f"mock of {settings.spec.name} on {where}", err=True)
            server = uvicorn.Server(uvicorn.Config(app, log_level="info"))
            server.run(sockets=[listener])  # until SIGINT/SIGTERM
        return 0

    run_command(action)
