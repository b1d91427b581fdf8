"""Every security scheme, end to end: the generated client sends exactly what an operation's
requirement needs, the generated server checks exactly that and passes the principal on.

The spec is ``tests/golden/specs/vault.yaml``: an API key in a header (the document's requirement),
in the query or in a cookie (two alternatives), HTTP basic, HTTP bearer, OAuth2 client credentials
(a token fetched from a relative token URL, which the test app serves), no security, optional
security (``{}``) and two schemes at once. Each scenario runs with the sync and the async client,
in process and over uvicorn on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hmac
import itertools
import json
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import anyio.from_thread
import httpx
import pytest
from fastapi import Request
from fastapi.responses import JSONResponse

from ..conftest import ROOT, generate_into, import_fresh
from ..server_support import submodule, uvicorn_server
from .test_end_to_end import PortalASGITransport, settle

VAULT_SPEC = ROOT / "tests" / "golden" / "specs" / "vault.yaml"
HEADER_KEY, QUERY_KEY, COOKIE_KEY = "hk-secret", "qk-secret", "ck-secret"
USERNAME, PASSWORD = "ada", "pa:ss wörd"  # a colon and a non-ASCII letter in the password
TOKEN = "bearer-secret"
CLIENT_ID, CLIENT_SECRET = "vault-client", "client-secret"
EVERY_CREDENTIAL = {
    "header_key": HEADER_KEY, "query_key": QUERY_KEY, "cookie_key": COOKIE_KEY, "username": USERNAME,
    "password": PASSWORD, "token": TOKEN, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
}
SECRET_TEXTS = [HEADER_KEY, QUERY_KEY, COOKIE_KEY, PASSWORD, TOKEN, CLIENT_SECRET]


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("vault")
    generate_into(VAULT_SPEC, out, "vault")
    return import_fresh(out, "vault")


def same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


class Issuer:
    """The OAuth2 token endpoint of the test app: checks the client with HTTP basic, issues tokens."""

    def __init__(self, lifetime: float = 3600) -> None:
        self.lifetime = lifetime
        self.valid: set[str] = set()
        self.refuse_every_token = False
        self.scopes: list[str] = []
        self._numbers = itertools.count(1)

    async def token(self, request: Request) -> Any:
        form = dict(await request.form())
        scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
        client = base64.b64decode(encoded).decode() if scheme == "Basic" else ""
        if form.get("grant_type") != "client_credentials" or client != f"{CLIENT_ID}:{CLIENT_SECRET}":
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        token = f"access-{next(self._numbers)}"
        self.valid.add(token)
        self.scopes.append(str(form.get("scope")))
        return {"access_token": token, "token_type": "Bearer", "expires_in": self.lifetime}

    def revoke_all(self) -> None:
        self.valid.clear()

    def accepts(self, token: str) -> bool:
        return token in self.valid and not self.refuse_every_token


def authenticators(issuer: Issuer) -> dict[str, Callable[[Any], Any]]:
    """One per scheme; each returns the principal, or None. The cookie's is async."""

    async def cookie(key: str) -> str | None:
        return "cookie-account" if same(key, COOKIE_KEY) else None

    return {
        "headerKey": lambda key: "header-account" if same(key, HEADER_KEY) else None,
        "queryKey": lambda key: "query-account" if same(key, QUERY_KEY) else None,
        "cookieKey": cookie,
        "basic": lambda basic: f"user:{basic.username}" if same(basic.username, USERNAME) and same(basic.password, PASSWORD) else None,
        "bearer": lambda token: "bearer-account" if same(token, TOKEN) else None,
        "oauth": lambda token: "oauth-client" if issuer.accepts(token) else None,
    }


def recording_service(vault: Any) -> Any:
    """The generated mock, with each method also recording the principal it was given."""
    mock = submodule(vault, "mock")

    class Recording(mock.MockService):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.principals: list[tuple[str, Any]] = []

        async def create(self, body: Any, *, principal: Any) -> Any:
            self.principals.append(("create", principal))
            return await super().create(body)

        async def find_all(self, *, limit: Any = None, principal: Any = None) -> Any:
            self.principals.append(("find_all", principal))
            return await super().find_all(limit=limit)

        async def find_one(self, id: str, **extra: Any) -> Any:  # **kwargs receives the principal too
            self.principals.append(("find_one", extra["principal"]))
            return await super().find_one(id)

        async def update(self, id: str, body: Any, principal: Any = None) -> Any:
            self.principals.append(("update", principal))
            return await super().update(id, body)

        async def remove(self, id: str) -> Any:  # declares no principal: called without one
            return await super().remove(id)

        async def health(self) -> Any:
            return {"ok": True}

        async def status(self, *, principal: Any = None) -> Any:
            return {"ok": True, "principal": principal}

        async def admin(self, *, principal: Any) -> Any:
            return {"ok": True, "principal": json.dumps(principal)}

    return Recording()


class World:
    """The app under test (generated server + recording mock + token endpoint) and what reached it."""

    def __init__(self, vault: Any, lifetime: float = 3600) -> None:
        server = submodule(vault, "server")
        self.issuer = Issuer(lifetime)
        self.service = recording_service(vault)
        self.app = server.create_app(self.service, authenticate=authenticators(self.issuer))
        self.app.add_api_route("/oauth/token", self.issuer.token, methods=["POST"])
        self.seen: list[dict[str, Any]] = []

        @self.app.middleware("http")
        async def record(request: Any, call_next: Any) -> Any:
            self.seen.append({"path": request.url.path, "headers": dict(request.headers), "query": dict(request.query_params)})
            return await call_next(request)

    def last(self, path: str) -> dict[str, Any]:
        return [seen for seen in self.seen if seen["path"] == path][-1]


@contextlib.asynccontextmanager
async def open_client(vault: Any, world: World, flavour: str, where: str, **options: Any) -> AsyncIterator[Any]:
    """A client of ``flavour`` talking to ``world.app``: in process (``asgi``) or over uvicorn."""
    if where == "uvicorn":
        with uvicorn_server(world.app) as base_url:
            if flavour == "async":
                async with vault.AsyncClient(base_url=base_url, **options) as client:
                    yield client
            else:
                with vault.Client(base_url=base_url, **options) as client:
                    yield client
        return
    if flavour == "async":
        transport = httpx.ASGITransport(app=world.app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport) as http, vault.AsyncClient(base_url="http://vault", httpx_client=http, **options) as client:
            yield client
        return
    with anyio.from_thread.start_blocking_portal() as portal:
        with httpx.Client(transport=PortalASGITransport(world.app, portal)) as http, vault.Client(base_url="http://vault", httpx_client=http, **options) as client:
            yield client


FLAVOURS = ["sync", "async"]
PLACES = ["asgi", "uvicorn"]


def run(scenario: Callable[[], Any]) -> None:
    anyio.run(scenario)


# --- every scheme accepted when right, with the principal reaching the service ---------------------


@pytest.mark.parametrize("where", PLACES)
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_each_scheme_is_sent_checked_and_passes_its_principal(vault: Any, flavour: str, where: str) -> None:
    world = World(vault)

    async def scenario() -> None:
        async with open_client(vault, world, flavour, where, **EVERY_CREDENTIAL) as client:
            secrets = client.secrets
            created = await settle(secrets.create({"name": "db", "value": "hunter2"}))  # OAuth2
            token_sent = world.last("/secret")["headers"]["authorization"]
            assert token_sent.startswith("Bearer access-") and token_sent.removeprefix("Bearer ") in world.issuer.valid
            assert world.issuer.scopes == ["secrets:write"]
            options = {"extra_headers": {"X-Trace": "t-1"}, "extra_query": {"limit": 5}}
            assert [item.id for item in await settle(secrets.find_all(options=options))] == [created.id]  # header key
            listing = world.last("/secret")
            assert listing["headers"]["x-api-key"] == HEADER_KEY
            assert listing["headers"]["x-trace"] == "t-1" and listing["query"] == {"limit": "5"}  # extras reach the server
            assert (await settle(secrets.find_one(created.id))).value == "hunter2"  # the query key: first alternative
            item = world.last(f"/secret/{created.id}")
            assert item["query"] == {"api_key": QUERY_KEY} and "cookie" not in item["headers"]
            assert (await settle(secrets.update(created.id, {"value": "s3cret"}))).value == "s3cret"  # basic
            assert (await settle(secrets.remove(created.id))).id == created.id  # bearer
            assert world.last(f"/secret/{created.id}")["headers"]["authorization"] == f"Bearer {TOKEN}"
            assert world.service.principals == [
                ("create", "oauth-client"),
                ("find_all", "header-account"),
                ("find_one", "query-account"),
                ("update", f"user:{USERNAME}"),
            ]
            assert (await settle(client.service.admin())).principal == json.dumps(["header-account", f"user:{USERNAME}"])
            assert (await settle(client.service.status())).principal == "bearer-account"  # the first alternative it can meet
            assert (await settle(client.service.health())).ok is True
            health = world.last("/health")["headers"]
            assert not {"authorization", "x-api-key", "cookie"} & set(health)  # no security: nothing sent
            assert health["user-agent"] == "vault/2.1.0"

    run(scenario)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_the_cookie_alternative_and_anonymous_access(vault: Any, flavour: str) -> None:
    world = World(vault)

    async def scenario() -> None:
        async with open_client(vault, world, flavour, "asgi", cookie_key=COOKIE_KEY, token=TOKEN) as client:
            created = world.service._secret.create(vault.CreateSecret(name="n", value="v"))
            assert (await settle(client.secrets.find_one(created.id))).value == "v"
            seen = world.last(f"/secret/{created.id}")
            assert seen["headers"]["cookie"] == f"session={COOKIE_KEY}" and seen["query"] == {}
            assert world.service.principals == [("find_one", "cookie-account")]
        async with open_client(vault, world, flavour, "asgi") as anonymous:
            status = await settle(anonymous.service.status())
            assert status.ok is True and status.principal is None
            assert "authorization" not in world.last("/status")["headers"]

    run(scenario)


# --- refused when wrong ------------------------------------------------------------------------------


WRONG = {
    "find_all": ({"header_key": "nope"}, "invalid API key 'X-API-Key' (in the header)"),
    "find_one": ({"query_key": "nope"}, "invalid API key 'api_key' (in the query)"),
    "update": ({"username": USERNAME, "password": "nope"}, "invalid basic credentials"),
    "remove": ({"token": "nope"}, "invalid bearer token"),
    "create": ({}, "missing bearer token"),
}


@pytest.mark.parametrize("where", PLACES)
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_wrong_or_missing_credentials_are_refused_before_the_service(vault: Any, flavour: str, where: str) -> None:
    world = World(vault)
    calls = {
        "find_all": lambda c: c.secrets.find_all(),
        "find_one": lambda c: c.secrets.find_one("x"),
        "update": lambda c: c.secrets.update("x", {"value": "v"}),
        "remove": lambda c: c.secrets.remove("x"),
        "create": lambda c: c.secrets.create({"name": "n", "value": "v"}),
    }

    async def scenario() -> None:
        for operation, (credentials, message) in WRONG.items():
            async with open_client(vault, world, flavour, where, max_retries=0, **credentials) as client:
                with pytest.raises(vault.AuthenticationError) as refused:
                    await settle(calls[operation](client))
                assert refused.value.status_code == 401
                assert refused.value.body == {"statusCode": 401, "error": "Unauthorized", "message": message}
        assert world.service.principals == []
        async with open_client(vault, world, flavour, where, header_key=HEADER_KEY) as client:
            with pytest.raises(vault.AuthenticationError) as refused:
                await settle(client.service.admin())  # needs basic as well
            assert refused.value.headers["www-authenticate"] == "Basic"

    run(scenario)


def test_malformed_credentials_never_reach_authenticate(vault: Any) -> None:
    world = World(vault)
    basic = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
    refused = {
        "no colon": "Basic " + base64.b64encode(b"adapassword").decode(),
        "not base64": "Basic ???",
        "two spaces": "Basic  " + basic,
        "not UTF-8": "Basic " + base64.b64encode(b"ada:\xff").decode(),
        "bearer for basic": f"Bearer {TOKEN}",
    }

    async def scenario() -> None:
        transport = httpx.ASGITransport(app=world.app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://vault") as http:
            for label, header in refused.items():
                answer = await http.patch("/secret/x", json={"value": "v"}, headers={"Authorization": header})
                assert answer.status_code == 401, label
            accepted = await http.patch("/secret/x", json={"value": "v"}, headers={"Authorization": "basic " + basic})
            assert accepted.status_code == 404  # through the guard; the mock has no such secret
            query = await http.get("/secret/x", params={"api_key": QUERY_KEY, "other": "1"})
            assert query.status_code == 422  # the key's parameter is allowed, others still are not

    run(scenario)


# --- OAuth2 client credentials: cached, refreshed once on 401 -----------------------------------------


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_the_token_is_cached_then_fetched_again_once_when_refused(vault: Any, flavour: str) -> None:
    world = World(vault)

    async def scenario() -> None:
        async with open_client(vault, world, flavour, "asgi", client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as client:
            for name in ("a", "b"):
                await settle(client.secrets.create({"name": name, "value": "v"}))
            assert len(world.issuer.scopes) == 1  # one token for both
            world.issuer.revoke_all()  # the server forgets it: 401, a new token, the request again
            await settle(client.secrets.create({"name": "c", "value": "v"}))
            assert len(world.issuer.scopes) == 2
            assert [path for path in (s["path"] for s in world.seen)].count("/oauth/token") == 2

        world.issuer.refuse_every_token = True
        async with open_client(vault, world, flavour, "asgi", client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as client:
            with pytest.raises(vault.AuthenticationError):
                await settle(client.secrets.create({"name": "d", "value": "v"}))
            assert len(world.issuer.scopes) == 4  # fetched, refused, fetched once more, refused: given up

    run(scenario)


def test_concurrent_async_requests_share_one_token_fetch(vault: Any) -> None:
    world = World(vault)

    async def scenario() -> None:
        async with open_client(vault, world, "async", "asgi", client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as client:
            await asyncio.gather(*(client.secrets.create({"name": str(n), "value": "v"}) for n in range(4)))
        assert len(world.issuer.scopes) == 1

    run(scenario)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_an_expiring_token_is_fetched_again_and_a_bad_client_is_an_error(vault: Any, flavour: str) -> None:
    world = World(vault, lifetime=10)  # within the expiry margin: never reused

    async def scenario() -> None:
        async with open_client(vault, world, flavour, "asgi", client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as client:
            for name in ("a", "b"):
                await settle(client.secrets.create({"name": name, "value": "v"}))
            assert len(world.issuer.scopes) == 2
        async with open_client(vault, world, flavour, "asgi", client_id=CLIENT_ID, client_secret="wrong") as client:
            with pytest.raises(vault.AuthenticationError) as refused:
                await settle(client.secrets.create({"name": "c", "value": "v"}))
            assert refused.value.body == {"error": "invalid_client"}

    run(scenario)


# --- credentials as functions --------------------------------------------------------------------------


def test_credential_functions_are_called_for_each_request(vault: Any) -> None:
    world = World(vault)
    calls: list[str] = []

    def header_key() -> str:
        calls.append("sync")
        return HEADER_KEY

    async def token() -> str:
        calls.append("async")
        return TOKEN

    async def scenario() -> None:
        async with open_client(vault, world, "sync", "asgi", header_key=header_key) as client:
            await settle(client.secrets.find_all())
            await settle(client.secrets.find_all())
        async with open_client(vault, world, "async", "asgi", header_key=header_key, token=token) as client:
            await settle(client.secrets.find_all())
            assert (await settle(client.service.status())).principal == "bearer-account"
        assert calls == ["sync", "sync", "sync", "async"]
        assert world.last("/status")["headers"]["authorization"] == f"Bearer {TOKEN}"  # not "Bearer <function ...>"

    run(scenario)


# --- configuration -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def vault_env(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The vault package with environment variables configured: a prefix, and one name of its own."""
    from vapi_codegen.output.writer import write
    from vapi_codegen.pipeline import generate_files
    from vapi_codegen.settings import EnvironmentSettings

    out = tmp_path_factory.mktemp("vault_env")
    settings = EnvironmentSettings(prefix="VAULT", names=(("token", "VAULT_BEARER_TOKEN"),))
    write(out, generate_files(VAULT_SPEC, "vault_env", environment=settings).files, stale=[])
    return import_fresh(out, "vault_env")


def test_credentials_and_base_url_come_from_the_environment_when_not_passed(vault_env: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    world = World(vault_env)
    with uvicorn_server(world.app) as base_url:
        monkeypatch.setenv("VAULT_BASE_URL", base_url)
        monkeypatch.setenv("VAULT_HEADER_KEY", HEADER_KEY)
        monkeypatch.setenv("VAULT_BEARER_TOKEN", TOKEN)
        monkeypatch.setenv("VAULT_TOKEN", "not-this-one")  # the explicit name wins over the prefix
        with vault_env.Client() as client:
            assert client.base_url == base_url
            assert client.secrets.find_all() == []
            assert client.service.status().principal == "bearer-account"
        with vault_env.Client(header_key="nope", max_retries=0) as client:  # what is passed wins
            with pytest.raises(vault_env.AuthenticationError):
                client.secrets.find_all()
    assert vault_env.Client(environment="sandbox").base_url == "https://sandbox.vault.example.com"


def test_environments_come_from_the_spec_servers(vault: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VAULT_BASE_URL", "http://ignored")  # this package reads no environment variables
    assert vault.Client().base_url == "https://api.vault.example.com"
    assert vault.Client(environment="production").base_url == "https://api.vault.example.com"
    assert vault.AsyncClient(environment="sandbox").base_url == "https://sandbox.vault.example.com"
    with pytest.raises(ValueError, match="unknown environment 'staging'.*'production', 'sandbox'"):
        vault.Client(environment="staging")
    with pytest.raises(ValueError, match="not both"):
        vault.Client(environment="sandbox", base_url="http://localhost")


def test_an_env_name_for_no_keyword_is_an_error(tmp_path: Path) -> None:
    from vapi_codegen.diagnostics import SpecError
    from vapi_codegen.pipeline import generate_files
    from vapi_codegen.settings import EnvironmentSettings

    with pytest.raises(SpecError, match="names 'api_key', which is no client keyword"):
        generate_files(VAULT_SPEC, "vault_bad", environment=EnvironmentSettings(names=(("api_key", "X"),)))


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_extra_query_headers_and_body_are_really_sent(vault: Any, flavour: str) -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        secret = {"id": "s-1", "name": "n", "value": "v", "createdAt": "2024-05-01T12:00:00Z"}
        if request.url.path == "/secret":
            return httpx.Response(200, json=[secret])
        return httpx.Response(200, json=secret if request.url.path.startswith("/secret/") else {"ok": True})

    options = {"extra_query": {"trace": "t-1", "limit": 3}, "extra_headers": {"X-Extra": "yes"}, "extra_body": {"note": "added"}}

    async def scenario() -> None:
        if flavour == "async":
            http: Any = httpx.AsyncClient(transport=httpx.MockTransport(answer))
            client: Any = vault.AsyncClient(base_url="http://vault", httpx_client=http, header_key=HEADER_KEY, token=TOKEN)
        else:
            http = httpx.Client(transport=httpx.MockTransport(answer))
            client = vault.Client(base_url="http://vault", httpx_client=http, header_key=HEADER_KEY, token=TOKEN)
        await settle(client.secrets.find_all(limit=5, options=options))
        await settle(client.secrets.update("s-1", {"value": "w"}, options={**options, "extra_query": {}}))
        await settle(client.service.status(options=options))
        listing, update, status = sent
        assert listing.url.params.multi_items() == [("limit", "3"), ("trace", "t-1")]  # an extra value replaces the declared one
        assert listing.headers["x-extra"] == "yes" and listing.headers["x-api-key"] == HEADER_KEY
        assert json.loads(update.content) == {"value": "w", "note": "added"}
        assert json.loads(status.content) == {"note": "added"}  # an operation without a body gets one
        assert status.url.params["trace"] == "t-1"

    run(scenario)


def test_requests_are_logged_with_credentials_redacted(vault: Any, caplog: pytest.LogCaptureFixture) -> None:
    world = World(vault)

    async def scenario() -> None:
        async with open_client(vault, world, "async", "asgi", **EVERY_CREDENTIAL) as client:
            created = await settle(client.secrets.create({"name": "db", "value": "v"}))
            await settle(client.secrets.find_all())
            await settle(client.secrets.find_one(created.id))
            await settle(client.secrets.update(created.id, {"value": "w"}))
            await settle(client.secrets.remove(created.id))
        async with open_client(vault, world, "async", "asgi", cookie_key=COOKIE_KEY) as client:
            with contextlib.suppress(vault.NotFoundError):
                await settle(client.secrets.find_one("gone"))

    with caplog.at_level(logging.DEBUG, logger="vault"):
        run(scenario)
    lines = [record.getMessage() for record in caplog.records if record.name == "vault"]
    text = "\n".join(lines)
    assert len([line for line in lines if line.startswith("request: ")]) == 7  # one token fetch, six calls
    assert "response: POST http://vault/secret -> 201 Created" in text
    assert "api_key=%5BREDACTED%5D" in text and "'x-api-key': '[REDACTED]'" in text
    assert "'authorization': '[REDACTED]'" in text and "'cookie': '[REDACTED]'" in text
    assert not [secret for secret in SECRET_TEXTS if secret in text]
    assert not [token for token in world.issuer.valid if token in text]


# --- typing ------------------------------------------------------------------------------------------------

USAGE = """
from typing import Optional

from vault import AsyncClient, Client, RequestOptions, Secret, Status
from vault.mock import MockService
from vault.server import Authenticators, BasicCredentials, create_app


def header_key() -> str:
    return "hk"


async def token() -> str:
    return "t"


def listing(client: Client) -> list[Secret]:
    options: RequestOptions = {"extra_query": {"trace": "1"}, "extra_headers": {"X-Trace": "1"}, "extra_body": {"note": 1}}
    return client.secrets.find_all(limit=5, options=options)


def use() -> None:
    with Client(header_key=header_key, username="ada", password="pw", environment="sandbox", timeout=5.0) as client:
        print(listing(client))
    with Client(client_id="id", client_secret=lambda: "secret", base_url="http://localhost:8000", max_retries=0) as client:
        client.secrets.create({"name": "n", "value": "v"})


async def use_async() -> None:
    async with AsyncClient(token=token, query_key="qk", cookie_key=lambda: "ck", sleep=None or _sleep) as client:
        status: Status = await client.service.status()
        print(status.principal)


async def _sleep(seconds: float) -> None:
    return None


def check_basic(credentials: BasicCredentials) -> Optional[str]:
    return credentials.username if credentials.password == "pw" else None


async def check_token(token: str) -> Optional[str]:
    return "someone" if token else None


class Vault(MockService):
    async def status(self, *, principal: Optional[str] = None) -> Status:
        return Status(ok=True, principal=principal)


authenticate: Authenticators = {"basic": check_basic, "bearer": check_token, "headerKey": lambda key: key == "hk"}
app = create_app(Vault(), authenticate=authenticate)
one_for_all = create_app(MockService(), authenticate=lambda credential: credential)
"""

MISUSE = """
from vault import Client

Client(environment="staging")
Client(tokn="t")
Client(token=42)
"""


def test_mypy_strict_accepts_typed_auth_use_and_refuses_misuse(vault: Any, tmp_path: Path) -> None:
    import subprocess
    import sys
    import textwrap

    out = Path(vault.__file__).parent.parent
    (out / "auth_usage.py").write_text(textwrap.dedent(USAGE), encoding="utf-8")
    (out / "auth_misuse.py").write_text(textwrap.dedent(MISUSE), encoding="utf-8")

    def mypy(*targets: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), *targets]
        return subprocess.run(command, cwd=out, capture_output=True, text=True, check=False)

    accepted = mypy("vault", "auth_usage.py")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    refused = mypy("auth_misuse.py")
    assert refused.returncode == 1
    assert 'Argument "environment" to "Client" has incompatible type "Literal[\'staging\']"' in refused.stdout
    assert 'Unexpected keyword argument "tokn" for "Client"' in refused.stdout
    assert 'Argument "token" to "Client" has incompatible type "int"' in refused.stdout
