"""A spec's bounds hold for what is sent, not for what is received: the client reads an answer whose
list has more items than ``maxItems``, whose list items or named strings break their ``maxLength`` or
``pattern``; a request beyond them is refused by the client and by the generated server."""

from __future__ import annotations

import asyncio
import importlib
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from ..conftest import package_from_spec_text
from ..server_support import asgi_client

SPEC = """
openapi: 3.0.3
info: {title: bounds, version: "1"}
servers: [{url: "https://bounds.example"}]
paths:
  /boards:
    post:
      operationId: createBoard
      tags: [boards]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Board"}}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Board"}}}
components:
  schemas:
    Board:
      type: object
      required: [cards]
      properties:
        cards: {type: array, minItems: 1, maxItems: 2, items: {$ref: "#/components/schemas/Card"}}
        labels:
          type: array
          nullable: true
          maxItems: 2
          items: {type: string, maxLength: 3}
        code: {$ref: "#/components/schemas/Code"}
    Card:
      type: object
      required: [title]
      properties:
        title: {type: string}
    Code: {type: string, pattern: "^[A-Z]+$"}
"""

BEYOND = {"cards": [{"title": "a"}, {"title": "b"}, {"title": "c"}], "labels": ["long", "a", "b"], "code": "abc"}
WITHIN = {"cards": [{"title": "a"}], "labels": ["ok"], "code": "ABC"}


@pytest.fixture(scope="module")
def bounds(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return package_from_spec_text(tmp_path_factory.mktemp("bounds"), SPEC, "bounds")


def _client(bounds: Any, answer: Any, sent: list[httpx.Request]) -> Any:
    def reply(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=answer)

    http = httpx.Client(transport=httpx.MockTransport(reply))
    return importlib.import_module(f"{bounds.__name__}.client").Client(httpx_client=http).boards


def test_an_answer_beyond_the_bounds_is_read_with_its_items_typed(bounds: Any) -> None:
    sent: list[httpx.Request] = []
    board = _client(bounds, BEYOND, sent).create_board({"cards": [{"title": "x"}]})
    assert [type(card).__name__ for card in board.cards] == ["Card", "Card", "Card"]
    assert (board.labels, board.code) == (["long", "a", "b"], "abc")
    assert board.model_dump(mode="json", exclude_unset=True) == BEYOND


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ({**WITHIN, "cards": BEYOND["cards"]}, "too_long"),
        ({**WITHIN, "cards": []}, "too_short"),
        ({**WITHIN, "labels": ["a", "b", "c"]}, "too_long"),
        ({**WITHIN, "labels": ["long"]}, "string_too_long"),
        ({**WITHIN, "code": "abc"}, "string_pattern_mismatch"),
    ],
)
def test_what_is_sent_is_held_to_the_bounds(bounds: Any, body: Any, kind: str) -> None:
    with pytest.raises(ValidationError) as caught:
        bounds.Board.model_validate(body)
    assert [error["type"] for error in caught.value.errors()] == [kind]
    sent: list[httpx.Request] = []
    with pytest.raises(bounds.RequestValidationError):
        _client(bounds, WITHIN, sent).create_board(body)
    assert sent == []
    assert _post(bounds, body).status_code == 422


def test_within_the_bounds_the_server_answers_and_documents_them(bounds: Any) -> None:
    answer = _post(bounds, WITHIN)
    assert answer.status_code == 200, answer.text
    assert answer.json() == WITHIN
    schemas = _app(bounds).openapi()["components"]["schemas"]
    cards = schemas["Board"]["properties"]["cards"]
    assert (cards["minItems"], cards["maxItems"]) == (1, 2)
    labels = schemas["Board"]["properties"]["labels"]["anyOf"][0]
    assert (labels["maxItems"], labels["items"]["maxLength"]) == (2, 3)


class _Echo:
    async def create_board(self, body: Any) -> Any:
        return body


def _app(bounds: Any) -> Any:
    return importlib.import_module(f"{bounds.__name__}.server").create_app(_Echo())


def _post(bounds: Any, body: Any) -> httpx.Response:
    async def scenario() -> httpx.Response:
        async with asgi_client(_app(bounds)) as client:
            return await client.post("/boards", json=body)

    return asyncio.run(scenario())


def test_the_bounds_are_written_once_into_the_models(bounds: Any) -> None:
    source = Path(bounds.__file__).with_name("models.py").read_text(encoding="utf-8")
    assert "Annotated[list[Card], ItemCount(min_length=1, max_length=2)]" in source
    assert "Annotated[str, Field(max_length=3), Bounded]" in source
