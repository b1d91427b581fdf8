"""Helpers of the server, mock and schemathesis tests: payloads per provider and a real uvicorn run."""

from __future__ import annotations

import contextlib
import importlib
import threading
import time
from typing import Any, Iterator

import httpx

TOKEN = "test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

# One valid create body per provider, with a searchable name; ``update`` is what the official SDK
# sends for a rename (it always includes the provider).
CREATE_BODIES: dict[str, dict[str, Any]] = {
    "byo-phone-number": {"provider": "byo-phone-number", "credentialId": "cred-byo", "number": "+14155550101", "name": "Front Desk"},
    "twilio": {"provider": "twilio", "number": "+14155550102", "twilioAccountSid": "AC0001", "twilioAuthToken": "tok", "name": "Sales Line"},
    "vonage": {"provider": "vonage", "number": "+14155550103", "credentialId": "cred-vonage", "name": "Support"},
    "vapi": {"provider": "vapi", "sipUri": "sip:Reception@example.sip.vapi.ai", "name": "Reception"},
    "telnyx": {"provider": "telnyx", "number": "+14155550105", "credentialId": "cred-telnyx", "name": "Billing"},
}
PROVIDERS = list(CREATE_BODIES)


def submodule(package: Any, name: str) -> Any:
    """``package.name`` imported from the package's own directory."""
    return importlib.import_module(f"{package.__name__}.{name}")


def mock_app(package: Any) -> Any:
    """The generated app serving a fresh mock, accepting only ``TOKEN``."""
    server = submodule(package, "server")
    mock = submodule(package, "mock")
    return server.create_app(mock.MockService(), authenticate=lambda token: token == TOKEN)


def asgi_client(app: Any, **kwargs: Any) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://mock", **kwargs)


@contextlib.contextmanager
def uvicorn_server(app: Any) -> Iterator[str]:
    """Run ``app`` with uvicorn on 127.0.0.1 and an ephemeral port in a thread; yields the base URL."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 15
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        host, port = server.servers[0].sockets[0].getsockname()[:2]
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
