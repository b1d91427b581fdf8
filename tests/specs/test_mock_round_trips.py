"""Every real Vapi spec: the generated package imports, and each resource-shaped one completes a
create -> get -> list -> update -> delete round trip through its generated client against its
generated mock (``mock_round_trip``). The table in the README ("Mocks of the Vapi specs") is this one.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from vapi_codegen.model import ir
from vapi_codegen.model.sample_values import sample_value

from ..conftest import SHARED_SPECS
from ..server_support import submodule
from .mock_round_trip import STEPS, load, round_trip

pytestmark = pytest.mark.skipif(not SHARED_SPECS.is_dir(), reason=f"real specs not found at {SHARED_SPECS}")

# spec key -> (collection path, the round trip's steps) per resource; no entry: no mock
EXPECTED: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "assistants": [("/assistant", STEPS)],
    "calls": [("/call", ("create", "get", "list", "update", "delete"))],  # DELETE /call/{id} declares no id: read as one
    "campaigns": [("/campaign", STEPS)],
    "chats": [("/chat", ("create", "get", "list", "delete"))],  # the spec has no update
    "eval": [("/eval", STEPS)],
    "files": [("/file", STEPS)],
    "insight": [("/reporting/insight", STEPS)],
    "observability": [("/observability/scorecard", STEPS)],
    "phone-numbers": [("/phone-number", STEPS)],
    "provider-resources": [("/provider/{provider}/{resourceName}", STEPS)],
    "sessions": [("/session", STEPS)],
    "squads": [("/squad", STEPS)],
    "structured-outputs": [("/structured-output", STEPS)],
    "tools": [("/tool", STEPS)],
}
KEYS = sorted(p.name.removeprefix("vapi-").removesuffix("-api-openapi.yml") for p in SHARED_SPECS.glob("*.yml"))


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], tuple[ir.Api, ModuleType]]]:
    cache: dict[str, tuple[ir.Api, ModuleType]] = {}
    root = tmp_path_factory.mktemp("trips")

    def load_key(key: str) -> tuple[ir.Api, ModuleType]:
        if key not in cache:
            cache[key] = load(SHARED_SPECS / f"vapi-{key}-api-openapi.yml", root)
        return cache[key]

    yield load_key


def test_every_spec_is_in_the_table() -> None:
    assert len(KEYS) == 15 and set(EXPECTED) <= set(KEYS)


@pytest.mark.parametrize("key", KEYS)
def test_round_trip_against_the_mock(loaded: Callable[[str], tuple[ir.Api, ModuleType]], key: str) -> None:
    api, package = loaded(key)
    assert package.Client and package.models.__all__  # generated and importable
    has_mock = (Path(package.__file__).parent / "mock.py").is_file()
    assert has_mock == (key in EXPECTED)
    done = [(r.collection_path, tuple(dict.fromkeys(asyncio.run(round_trip(api, package, r)).steps))) for r in api.resources]
    assert done == EXPECTED.get(key, [])


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_what_the_mock_cannot_serve_answers_501_saying_why(loaded: Callable[[str], tuple[ir.Api, ModuleType]], key: str) -> None:
    api, package = loaded(key)
    mock = submodule(package, "mock")
    service = mock.MockService()
    unserved = [op for op in api.operations if not any(r.role_of(op) for r in api.resources)]
    for operation in unserved:
        method = getattr(service, operation.names.service_method)
        parameters = inspect.signature(method).parameters.values()
        positional = [None for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD]
        keywords = {p.name: None for p in parameters if p.kind is p.KEYWORD_ONLY and p.default is p.empty}
        with pytest.raises(submodule(package, "_mock").NotImplementedByMock) as refused:
            asyncio.run(method(*positional, **keywords))
        assert refused.value.status_code == 501
        assert refused.value.message.startswith(f"{operation.method.upper()} {operation.path} ")


def test_a_501_over_http_is_json_and_says_why(loaded: Callable[[str], tuple[ir.Api, ModuleType]]) -> None:
    api, package = loaded("eval")
    run = next(op for op in api.operations if op.method is ir.HttpMethod.POST and op.path == "/eval/run")
    assert run.body is not None
    app = submodule(package, "server").create_app(submodule(package, "mock").MockService(), authenticate=lambda token: True)

    async def scenario() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
            body: Any = sample_value(api.declarations, run.body.type)  # type: ignore[union-attr]
            return await client.post("/eval/run", json=body, headers={"Authorization": "Bearer t"})

    answer = asyncio.run(scenario())
    assert answer.status_code == 501, answer.text
    assert answer.json() == {
        "statusCode": 501,
        "error": "Not Implemented",
        "message": "POST /eval/run answers no body, so there is no resource the mock could store and read back",
    }
