"""The robustness corpus: small specs in tests/corpus/, one per real-world shape or bad input.

Each spec either generates a package that is imported and exercised (payloads validated and dumped
back), or fails through the CLI with exit status 2, one line per problem naming the file and the
JSON pointer, no traceback, and the output directory untouched.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Optional

import httpx
import pytest
import yaml
from click.testing import CliRunner
from fastapi.testclient import TestClient
from pydantic import TypeAdapter, ValidationError

from vapi_codegen.cli import main
from vapi_codegen.diagnostics import Diagnostics
from vapi_codegen.loading.document import load_document
from vapi_codegen.model.build import build_api
from vapi_codegen.pipeline import generate_files
from vapi_codegen.output.writer import write

from ..conftest import import_fresh

CORPUS = Path(__file__).parent


@dataclass
class Generates:
    """The spec generates; ``valid`` holds (type name, payload, class of the result or None)."""

    valid: list[tuple[str, Any, str | None]]
    invalid: list[tuple[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # each must be the end of one warning line
    check: Callable[[Any], None] | None = None  # further assertions on the imported package


@dataclass
class Fails:
    """The CLI exits with status 2 printing exactly these lines."""

    lines: list[str]


def _check_odd_names(package: Any) -> None:
    fields = package.Moderation.model_fields
    assert fields["hate_threatening_2"].serialization_alias == "hate/threatening"
    assert fields["hate_threatening"].serialization_alias is None  # the verbatim name wins
    names = ("files_0", "parent", "field_1", "field_1_2", "parameter1_name", "field")
    assert {fields[n].validation_alias for n in names} == {"files[0]", "$parent", "+1", "-1", "Parameter1.Name", ""}
    assert {fields[n].serialization_alias for n in names} == {"files[0]", "$parent", "+1", "-1", "Parameter1.Name", ""}
    assert fields["field_model_config"].serialization_alias == "model_config"


def _check_builtin_names(package: Any) -> None:
    models = package.models
    assert models.datetime is datetime and models.Optional is Optional and models.ApiModel is package._base.ApiModel
    assert not hasattr(models, "str") and not hasattr(models, "list") and not hasattr(models, "type")
    for name in ("strModel", "listModel", "typeModel", "ClientModel", "BaseModelModel", "FieldModel",
                 "OptionalModel", "datetimeModel", "NoneModel", "TrueModel", "AnyModel", "ApiModelModel",
                 "model_configModel", "schemaModel", "BoundedModel", "ItemCountModel", "TypedDictModel", "RequiredModel"):
        assert name in package.__all__, name


def _check_webhooks(package: Any) -> None:
    document = load_document(CORPUS / "oas31_webhooks.yaml")
    api = build_api(document, Diagnostics(document.name))
    assert api.operations == []
    hooks = {(w.path, w.method): w for w in api.webhooks}
    assert set(hooks) == {("newPet", "post"), ("petGone", "post")}
    assert hooks["newPet", "post"].operation_id == "onNewPet"
    assert hooks["newPet", "post"].body.type.name == "Pet"
    assert hooks["petGone", "post"].body.type.name == "PostPetGoneBody"
    assert package.PostPetGoneBody.model_fields["id"].is_required()


def _check_duplicate_parameter(package: Any) -> None:
    document = load_document(CORPUS / "duplicate_parameter.yaml")
    api = build_api(document, Diagnostics(document.name))
    (operation,) = api.operations
    parameters = {p.json_name: p for p in operation.parameters}
    assert sorted(parameters) == ["id", "limit"]
    assert parameters["limit"].type.kind == "int"  # the first declaration
    assert parameters["id"].type.kind == "int"  # the operation's own declaration beats the path item's


class _Recorder:
    """A service answering every operation with ``answer``, recording the arguments of each call."""

    def __init__(self, answer: Any = None) -> None:
        self.answer = answer
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Callable[..., Any]:
        async def operation(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((name, args, kwargs))
            return self.answer

        return operation


def _serve(package: Any, service: Any) -> TestClient:
    """A test client of the package's app around ``service`` (whose OpenAPI document must build)."""
    app = importlib.import_module(f"{package.__name__}.server").create_app(service)
    app.openapi()
    return TestClient(app)


def _check_optional_form_bodies(package: Any) -> None:
    service = _Recorder({"isin": "X1"})
    http = _serve(package, service)  # the document builds
    assert http.post("/search/deep", data={"isin": "X1"}).json() == {"isin": "X1"}
    assert service.calls[-1][1][0].isin == "X1"
    assert http.post("/search").status_code == 200 and service.calls[-1][1][0].isin is None  # no form: an empty one


def _check_text_id_integer_parameter(package: Any) -> None:
    mock = importlib.import_module(f"{package.__name__}.mock").MockService()
    http = _serve(package, mock)
    created = http.post("/Groups", json={"displayName": "ops"}).json()
    assert created["id"] == "1"  # text, and a number the integer path parameter reads back
    assert http.get(f"/Groups/{created['id']}").json() == created


def _check_route_parameter_order(package: Any) -> None:
    service = _Recorder({"name": "made"})
    http = _serve(package, service)
    created = http.post("/items?mode=fast", headers={"X-Key": "k"})  # optional body left out
    assert (created.status_code, created.json()) == (201, {"name": "made"})
    assert service.calls[-1] == ("create_item", (None,), {"mode": "fast", "x_key": "k", "note": None})
    assert http.post("/items", json={"name": "n"}, headers={"X-Key": "k"}).status_code == 422  # mode is required
    service.answer = None
    deleted = http.delete("/items/a")
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert http.head("/items/a").status_code == 200


def _client(package: Any, answer: Callable[[httpx.Request], httpx.Response]) -> Any:
    """The package's sync client, its requests answered by ``answer``."""
    return package.Client(httpx_client=httpx.Client(transport=httpx.MockTransport(answer)))


def _check_tag_names(package: Any) -> None:
    sent: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(f"{request.method} {request.url.path}")
        return httpx.Response(200, json={"days": 16}) if request.url.path == "/forecast" else httpx.Response(204)

    client = _client(package, answer)
    assert client.tag_16_day_daily_forecast.daily_forecast().days == 16
    client.tag_1_login.login()
    client.import_.import_data()
    client.async_.list_jobs()
    client.global_.get_settings()
    assert sent == ["GET /forecast", "POST /login", "POST /import", "GET /jobs", "GET /settings"]


def _check_tag_prefixed_operations(package: Any) -> None:
    """A group's methods are called without the group's name, or all keep it when one would be left a
    name the annotations use, a keyword, a leading digit or another method's name; the server keeps
    the API-wide names."""
    sent: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(f"{request.method} {request.url.path}")
        return httpx.Response(204)

    client = _client(package, answer)
    client.virtual_machines.list_all()
    client.virtual_machines.get("m1")
    client.virtual_machines.close("m1")
    client.virtual_machines.request()
    client.kinds.kinds_str()
    client.kinds.kinds_create()
    client.jobs.jobs_import()
    client.jobs.jobs_create()
    client.runs.runs_2_start()
    client.runs.runs_create()
    client.users_user.users_user_list_user()
    client.users_user.users_user_create_user()
    client.users_user.list_user()
    client.groups_group.list_group()
    client.groups_group.delta_groups()
    client.items.create()
    client.items.get_items()
    client.items.get_items_2()
    assert len(sent) == 18 and sent[:4] == ["GET /machines", "GET /machines/m1", "POST /machines/m1/close", "POST /machines/request"]
    assert sent[-3:] == ["POST /items", "GET /items", "GET /items/"]
    asynchronous = package.AsyncClient(httpx_client=httpx.AsyncClient(transport=httpx.MockTransport(answer)))
    assert asyncio.run(asynchronous.virtual_machines.list_all()) is None
    assert asyncio.run(asynchronous.virtual_machines.close("m2")) is None and sent[-1] == "POST /machines/m2/close"
    client.close()  # still the client's own
    _check_methods_named_list(package)
    service = _Recorder()
    app = _serve(package, service)
    assert app.get("/machines/m1").status_code == 204 and app.post("/machines/m1/close").status_code == 204
    assert service.calls == [("virtual_machines_get", ("m1",), {}), ("virtual_machines_close", ("m1",), {})]


def _check_methods_named_list(package: Any) -> None:
    """A resource may have methods named ``list``, ``dict`` and ``validate``: they take and return
    lists, and the package passes ``mypy --strict`` with them (its annotations say ``List``, which a
    method named ``list`` would hide); no method is named like a class its annotations name (``book``)."""
    sent: list[httpx.URL] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.url)
        return httpx.Response(200, json=["d1"]) if request.url.path == "/disks" and request.method == "GET" else httpx.Response(204)

    client = _client(package, answer)
    assert client.disks.list(names=["a", "b"], labels={"k": "v"}) == ["d1"]
    assert client.disks.with_raw_response.list().data == ["d1"]
    client.disks.validate()
    client.disks.dict()
    client.disks.create(["d2"])
    asynchronous = package.AsyncClient(httpx_client=httpx.AsyncClient(transport=httpx.MockTransport(answer)))
    assert asyncio.run(asynchronous.disks.list(names=["c"])) == ["d1"]
    assert [url.path for url in sent] == ["/disks", "/disks", "/disks/validate", "/disks/dict", "/disks", "/disks"]
    assert sent[0].params.get_list("names") == ["a", "b"] and sent[0].params["labels[k]"] == "v"
    assert "shelves_book" in dir(client.shelves) and "shelves_list" in dir(client.shelves)  # book is a class
    assert "book_2" in dir(client.books) and "book" not in dir(client.books)
    # mypy, as a user of the package runs it: a method named list hides the builtin in the class body
    root = Path(package.__file__).parent.parent
    usage = root / "typed_usage.py"
    usage.write_text(
        f"from {package.__name__} import Client\n\n\n"
        "def use(client: Client) -> list[str]:\n"
        "    client.disks.validate()\n"
        "    return client.disks.list(names=['a'], labels={'k': 'v'})\n",
        encoding="utf-8",
    )
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull, package.__name__, usage.name],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def _check_module_names(package: Any) -> None:
    assert package.models.annotations.compiler_flag  # still the __future__ feature
    assert package.models.__name__.endswith(".models")
    service = _Recorder({"notes": [{"text": "n"}], "check": {"flag": True}})
    answer = _serve(package, service).post("/notes", json={"text": "t"})
    assert answer.json() == {"notes": [{"text": "n"}], "check": {"flag": True}}
    assert type(service.calls[-1][1][0]).__name__ == "annotationsModel"


def _check_path_query_same_name(package: Any) -> None:
    service = _Recorder(["s1"])
    assert _serve(package, service).get("/cgmlst/strains?scheme=mlst").json() == ["s1"]
    assert service.calls[-1] == ("list_strains", ("cgmlst",), {"scheme_2": "mlst"})
    sent: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        return httpx.Response(200, json=[])

    _client(package, answer).default.list_strains("cgmlst", scheme_2="mlst")
    assert sent == ["https://api.example.com/cgmlst/strains?scheme=mlst"]


def _check_structured_values(package: Any) -> None:
    service = _Recorder([{"corner": {"x": 5}, "kind": ["huge"]}])
    answer = _serve(package, service).get("/boxes?sizes=4&sizes=5")
    assert answer.json() == [{"corner": {"x": 5}, "kind": ["huge"]}]
    assert service.calls[-1] == ("list_boxes", (), {"sizes": [4, 5]})


def _check_structured_parameters(package: Any) -> None:
    service = _Recorder({})
    http = _serve(package, service)
    client = package.Client(base_url="http://testserver", httpx_client=http)
    sent: list[httpx.Request] = []
    http.event_hooks["request"].append(sent.append)
    client.default.find_things(
        filter={"status": "new", "range": {"min": 1}},
        point=package.Point(x=3),
        where={"zeta": {"level": 2}},
        tags=[{"name": "a"}, {"name": "b"}],
        corner={"x": 1, "y": 2},
        x_context={"trace": "t1", "depth": 4},
        limit=5,
    )
    assert str(sent[-1].url).split("?")[1] == (
        "filter%5Bstatus%5D=new&filter%5Brange%5D%5Bmin%5D=1&x=3&where=%7B%22zeta%22%3A%7B%22level%22%3A2%7D%7D"
        "&tags=%7B%22name%22%3A%22a%22%7D&tags=%7B%22name%22%3A%22b%22%7D&corner=x%2C1%2Cy%2C2&limit=5"
    )
    assert sent[-1].headers["X-Context"] == "trace,t1,depth,4"
    name, _, arguments = service.calls[-1]
    assert name == "find_things"
    assert {key: _dump(TypeAdapter(Any), value) for key, value in arguments.items()} == {
        "filter": {"status": "new", "range": {"min": 1}}, "point": {"x": 3}, "where": {"zeta": {"level": 2}},
        "tags": [{"name": "a"}, {"name": "b"}], "corner": {"x": 1, "y": 2}, "x_context": {"trace": "t1", "depth": 4},
        "limit": 5,
    }  # fmt: skip
    assert type(arguments["where"].zeta).__name__ == "Zeta"
    assert http.get("/things").status_code == 200 and service.calls[-1][2]["filter"] is None
    refused = http.get("/things?filter[size]=big&x=1").json()["detail"]
    assert [error["loc"] for error in refused] == [["query", "filter", "size"]]
    assert http.get("/things?where={").status_code == 422 and http.get("/things?other=1").status_code == 422
    client.default.get_things([1, 2], meta={"a": "b", "c": "d"})
    assert sent[-1].url.path == "/things/1,2" and sent[-1].url.query == b"a=b&c=d"
    assert service.calls[-1][1:] == (([1, 2],), {"meta": {"a": "b", "c": "d"}})
    assert http.get("/things/1,x?a=b").status_code == 422
    assert http.get("/things/1").json()["detail"][0]["loc"] == ["query", "meta"]  # required, and absent
    client.default.get_lists(["a b", "c"])
    assert sent[-1].url.raw_path == b"/lists/a%20b,c" and service.calls[-1][1] == (["a b", "c"],)


def _check_mock_undeclared_id(package: Any) -> None:
    http = _serve(package, importlib.import_module(f"{package.__name__}.mock").MockService())
    created = http.post("/lists", json={"name": "news"})
    assert (created.status_code, created.json()) == (201, {"name": "news", "id": 1})  # numbered: the path takes an integer
    assert http.get("/lists/1").json() == {"name": "news", "id": 1}


def _check_mock_unserved_names(package: Any) -> None:
    mock = importlib.import_module(f"{package.__name__}.mock")
    source = inspect.getsource(mock)
    assert source.count("_mock.not_served(") == 2 and "Service.not_served," in source  # no signature written again
    assert str(inspect.signature(mock.MockService().not_served)) == "(*, verbose: Optional[bool] = None) -> dict[str, typing.Any]"
    http = _serve(package, mock.MockService())
    reason = "is not a create, read, list, update or delete of a resource the mock keeps"
    for path, query in (("/health", "?verbose=true"), ("/status", "")):
        answer = http.get(path + query)
        assert (answer.status_code, answer.json()["message"]) == (501, f"GET {path} {reason}")
    assert http.get("/health?verbose=maybe").status_code == 422  # the route still validates first
    created = http.post("/lists", json={"name": "news"}).json()
    assert http.get(f"/lists/{created['id']}").json() == created


def _check_yaml_scalar_keys(package: Any) -> None:
    thing = package.models.Thing
    assert sorted(field.alias or name for name, field in thing.model_fields.items()) == ["made", "null", "true"]
    assert thing.model_fields["made"].examples in (None, ["2021-02-30"])  # kept as the text it is, if at all


CASES: dict[str, Generates | Fails] = {
    # --- OpenAPI 3.1 and 3.0 keywords ------------------------------------------------------------
    "oas31_types.yaml": Generates(
        valid=[
            ("Reading", {"label": None, "value": 3, "level": 9.5, "code": "A"}, "Reading"),
            ("Reading", {"label": "x", "value": "three", "level": 0.1, "code": "B", "tags": None, "kind": "sensor"}, None),
            ("Reading", {"label": "x", "value": 1, "level": 1, "code": "C", "choice": None, "maybe": None}, None),
            ("Reading", {"label": "x", "value": 1, "level": 1, "code": "C", "choice": {"x": 2}, "maybe": 4}, None),
            ("MaybePet", {"kind": "dog"}, "Dog"),
            ("MaybePet", {"kind": "cat", "lives": 9}, "Cat"),
            ("MaybePet", None, None),
        ],
        invalid=[
            ("Reading", {"value": 3, "level": 1, "code": "A"}),  # label is required even though nullable
            ("Reading", {"label": None, "value": 3, "level": 0, "code": "A"}),  # exclusiveMinimum: 0
            ("Reading", {"label": None, "value": 3, "level": 10, "code": "A"}),  # exclusiveMaximum: 10
            ("Reading", {"label": None, "value": 3.5, "level": 1, "code": "A"}),
            ("Reading", {"label": None, "value": 3, "level": 1, "code": "A", "kind": "other"}),  # const
            ("Reading", {"label": None, "value": 3, "level": 1, "code": "A", "note": "not null"}),
            ("MaybePet", {"kind": "cow"}),
            ("MaybePet", {"kind": "cat", "lives": 10}),
        ],
    ),
    "oas31_defs.yaml": Generates(
        valid=[("Shape", {"outline": {"width": 2}, "colour": "green"}, "Shape")],
        invalid=[("Shape", {"outline": {"width": 0}}), ("Shape", {"outline": {"width": 1}, "colour": "blue"})],
    ),
    "oas31_webhooks.yaml": Generates(
        valid=[("Pet", {"name": "Rex"}, "Pet"), ("PostPetGoneBody", {"id": 3, "reason": "ran"}, "PostPetGoneBody")],
        invalid=[("PostPetGoneBody", {"reason": "no id"})],
        check=_check_webhooks,
    ),
    "oas30_nullable_bounds.yaml": Generates(
        valid=[
            ("Measure", {"ratio": 0.5, "note": None, "ref": None}, "Measure"),
            ("Measure", {"ratio": 0.5, "note": "n", "ref": "m", "count": 5, "unit": "s"}, "Measure"),
        ],
        invalid=[
            ("Measure", {"ratio": 0, "note": None, "ref": None}),  # exclusiveMinimum: true
            ("Measure", {"ratio": 1, "note": None, "ref": None}),  # exclusiveMaximum: true
            ("Measure", {"ratio": 0.5, "note": None, "ref": None, "count": 6}),  # exclusiveMaximum: false
            ("Measure", {"ratio": 0.5, "ref": None}),  # nullable yet required
            ("Measure", {"ratio": 0.5, "note": None, "ref": "km"}),
        ],
    ),
    # --- real-world shapes -------------------------------------------------------------------------
    "recursion.yaml": Generates(
        valid=[
            ("Node", {"value": 1, "children": [{"value": 2, "children": [{"value": 3}]}], "parent": {"value": 0}}, "Node"),
            ("Node", {"value": 1, "byName": {"a": {"value": 2, "byName": {}}}}, "Node"),
            ("Company", {"staff": [{"name": "a", "employer": {"staff": []}}], "owner": {"staff": [], "owner": {"name": "b"}}}, "Company"),
            ("Expression", {"op": "sum", "terms": [{"op": "lit", "value": 1}, {"op": "sum", "terms": []}]}, "Sum"),
            ("Chain", [[], [[[]]]], None),
        ],
        invalid=[
            ("Node", {"value": 1, "children": [{"value": "deep"}]}),
            ("Expression", {"op": "sum", "terms": [{"op": "mul"}]}),
            ("Chain", [[1]]),
        ],
    ),
    "self_reference.yaml": Generates(
        valid=[("A", {"any": [1]}, None), ("B", 2.5, None), ("C", "x", None), ("D", [[], [[]]], None)],
        invalid=[("D", [1]), ("D", "x")],
        warnings=[
            "#/components/schemas/A: warning: schema is defined only by itself; any value is accepted",
            "#/components/schemas/B: warning: schema is defined only by itself; any value is accepted",
        ],
    ),
    "allof_overrides.yaml": Generates(
        valid=[("Item", {"id": "a", "size": 3, "label": "abc", "extra": True}, "Item")],
        invalid=[
            ("Item", {"id": "a", "size": "big", "label": "abc"}),  # Sized overrides Base's string size
            ("Item", {"id": "a", "size": 1, "label": "abcd"}),  # own maxLength overrides Base's label
            ("Item", {"id": "a", "size": 1}),  # own `required` adds label
            ("Item", {"size": 1, "label": "a"}),  # Base's `required` is kept
        ],
    ),
    "odd_property_names.yaml": Generates(
        valid=[
            (
                "Moderation",
                {
                    "hate/threatening": True, "hate_threatening": "x", "files[0]": "f", "$parent": "p", "+1": 1,
                    "-1": -1, "Parameter1.Name": "n", "": "empty", "class": "c", "model_config": "m",
                    "schema": "s", "Field": "F", "str": "s", "123": "n", "ünïcode": "u", "self": "me",
                },
                "Moderation",
            ),
            ("Moderation", {"hate/threatening": False, "": ""}, None),
        ],
        invalid=[("Moderation", {"hate/threatening": True}), ("Moderation", {"": "x"})],
        check=_check_odd_names,
    ),
    "duplicate_parameter.yaml": Generates(
        valid=[("Item", {"id": "x"}, "Item")],
        warnings=["#/paths/~1items~1{id}/get/parameters/1: warning: parameter 'limit' in query is declared twice; the first declaration is used"],
        check=_check_duplicate_parameter,
    ),
    "empty_enum.yaml": Generates(
        valid=[("Holder", {"code": 7, "free": [1], "named": "anything"}, "Holder")],
        invalid=[("Holder", {"code": "seven"})],
        warnings=[
            "#/components/schemas/Nothing/enum: warning: empty enum ignored; the declared type is used",
            "#/components/schemas/Holder/properties/code/enum: warning: empty enum ignored; the declared type is used",
        ],
    ),
    "defaults.yaml": Generates(
        valid=[("Settings", {}, "Settings"), ("Settings", {"bogus": 2, "wrongMode": "fast"}, "Settings")],
        invalid=[("Settings", {"bogus": "many"}), ("Settings", {"wrongMode": "medium"})],
        warnings=[
            "#/components/schemas/Settings/properties/retries/default: warning: default '3' read as 3",
            "#/components/schemas/Settings/properties/bogus/default: warning: default 'many' does not fit the declared type; ignored",
            "#/components/schemas/Settings/properties/wrongMode/default: warning: default 'medium' does not fit the declared type; ignored",
        ],
        check=lambda package: _assert_defaults(package.Settings()),
    ),
    "builtin_names.yaml": Generates(
        valid=[
            ("Holder", {"s": {"value": "v"}, "l": [{"value": "w"}], "t": "a", "when": {"at": "2024-01-02T03:04:05Z"}, "none": {"id": "n"}, "any": "x", "field": {"id": "f"}}, "Holder"),
            ("listModel", [{"value": "x"}], None),
            ("Uses", {"config": {"a": 1}, "schema": {"id": "s"}}, "Uses"),
            ("RequiredModel", {"c": ["abc", "d"]}, "RequiredModel"),
            ("TypedDictModel", {"n": 5}, "TypedDictModel"),
        ],
        invalid=[
            ("Holder", {"s": {"value": "v"}, "l": [], "t": "c"}),
            ("Holder", {"s": "plain", "l": [], "t": "a"}),
            ("RequiredModel", {"c": ["a", "b", "c"]}),
            ("RequiredModel", {"c": ["abcd"]}),
            ("TypedDictModel", {"n": 6}),
        ],
        check=_check_builtin_names,
    ),
    "json_schema_page.json": Generates(
        valid=[("CreateByoPhoneNumberDTO", {"provider": "byo-phone-number", "credentialId": "c", "fallbackDestination": {"type": "number"}, "hooks": [{"on": "x"}]}, "CreateByoPhoneNumberDTO")],
        invalid=[
            ("CreateByoPhoneNumberDTO", {"provider": "byo-phone-number"}),
            ("CreateByoPhoneNumberDTO", {"provider": "twilio", "credentialId": "c"}),
            ("CreateByoPhoneNumberDTO", {"provider": "byo-phone-number", "credentialId": "c", "number": "12"}),
        ],
        warnings=[
            "#/properties/fallbackDestination/oneOf/0/$ref: warning: $ref '#/components/schemas/TransferDestinationNumber' points to nothing; any value is accepted there",
            "#/properties/server/allOf/0/$ref: warning: $ref '#/components/schemas/Server' points to nothing; any value is accepted there",
        ],
    ),
    "route_parameter_order.yaml": Generates(valid=[("Item", {"name": "x"}, "Item")], check=_check_route_parameter_order),
    "tag_names.yaml": Generates(valid=[], check=_check_tag_names),
    "tag_prefixed_operations.yaml": Generates(valid=[], check=_check_tag_prefixed_operations),
    "module_names.yaml": Generates(
        valid=[
            ("modelsModel", {"notes": [{"text": "a"}], "check": {"flag": False}, "module": {"name": "m"}}, "modelsModel"),
            ("TYPE_CHECKINGModel", {"flag": True}, "TYPE_CHECKINGModel"),
            ("import_moduleModel", {"name": "m"}, "import_moduleModel"),
        ],
        check=_check_module_names,
    ),
    "path_query_same_name.yaml": Generates(valid=[], check=_check_path_query_same_name),
    "optional_form_bodies.yaml": Generates(valid=[], check=_check_optional_form_bodies),
    "text_id_integer_parameter.yaml": Generates(valid=[], check=_check_text_id_integer_parameter),
    "structured_values.yaml": Generates(
        valid=[("Pair", [5, 6], None), ("Box", {"corner": {"x": 2}, "origin": {}, "label": 3, "kind": "medium"}, "Box")],
        invalid=[("Pair", ["a"]), ("Box", {"corner": [1]})],
        warnings=[
            "#/components/schemas/Pair/enum: warning: enum values that are arrays or objects are not enforced; the declared type is used",
            "#/components/schemas/Box/properties/corner/enum: warning: enum values that are arrays or objects are not enforced; the declared type is used",
            "#/components/schemas/Box/properties/origin/const: warning: const values that are arrays or objects are not enforced; the declared type is used",
            "#/components/schemas/Box/properties/label/type: warning: `type` is not a type name; any value is accepted",
            "#/paths/~1boxes/get/parameters/0/schema/enum: warning: enum values that are arrays or objects are not enforced; the declared type is used",
        ],
        check=_check_structured_values,
    ),
    "structured_parameters.yaml": Generates(valid=[("Filter", {"range": {"max": 2}}, "Filter")], check=_check_structured_parameters),
    "discriminator_through_refs.yaml": Generates(
        valid=[("Pet", {"kind": "cat", "lives": 9}, "AnimalCat"), ("Pet", {"kind": "dog"}, "Dog"), ("Zoo", {"animals": [{"kind": "dog"}]}, "Zoo")],
        invalid=[("Pet", {"kind": "cow"}), ("Pet", {"kind": "cat", "lives": "many"})],
        warnings=[
            (
                "#/components/schemas/Pet/discriminator/mapping/cat: warning: $ref '#/components/schemas/Zoo/properties/animals/items/oneOf/0' "
                "runs through other references; read by following each of them"
            )
        ],
    ),
    "mock_undeclared_id.yaml": Generates(valid=[("EmailList", {"name": "n"}, "EmailList")], check=_check_mock_undeclared_id),
    "mock_unserved_names.yaml": Generates(valid=[], check=_check_mock_unserved_names),
    "yaml_scalar_keys.yaml": Generates(
        valid=[("Thing", {"null": "n", "true": True, "made": "2021-02-03"}, "Thing"), ("Missing", {"message": "gone"}, "Missing")],
        check=_check_yaml_scalar_keys,
    ),
    # --- bad input ---------------------------------------------------------------------------------
    "repeated_path_variable.yaml": Fails([
        "repeated_path_variable.yaml#/paths/~1a~1{id}~1{id}: error: the path names {id} more than once; each variable must be named once"
    ]),
    "bad_yaml.yaml": Fails(["bad_yaml.yaml: error: invalid YAML at line 3, column 1: did not find expected ',' or '}'"]),
    "bad_json.json": Fails(["bad_json.json: error: invalid JSON at line 1, column 49: Expecting property name enclosed in double quotes"]),
    "not_openapi.yaml": Fails(["not_openapi.yaml: error: not an OpenAPI document: no 'openapi' field (and not a JSON Schema either)"]),
    "swagger2.yaml": Fails(["swagger2.yaml#/swagger: error: Swagger 2.0 is not supported: convert the document to OpenAPI 3"]),
    "unsupported_version.yaml": Fails(["unsupported_version.yaml#/openapi: error: unsupported OpenAPI version '4.0.0': 3.0 or 3.1 is required"]),
    "dangling_ref.yaml": Fails(["dangling_ref.yaml#/components/schemas/Owner/properties/pet/$ref: error: $ref '#/components/schemas/Pet' points to nothing"]),
    "external_ref.yaml": Fails([
        (
            "external_ref.yaml#/components/schemas/Owner/properties/pet/$ref: error: external $ref 'pets.yaml#/components/schemas/Pet' "
            "cannot be resolved: only local references ('#/...') are supported"
        )
    ]),
    "discriminator_missing.yaml": Fails([
        "discriminator_missing.yaml#/components/schemas/Pet/discriminator/mapping/dog: error: $ref '#/components/schemas/Dog' points to nothing"
    ]),
    "duplicate_operation_id.yaml": Fails([
        "duplicate_operation_id.yaml#/paths/~1b/get/operationId: error: duplicate operationId 'fetch' (also at /paths/~1a/get)"
    ]),
}


def _assert_defaults(settings: Any) -> None:
    assert (settings.retries, settings.ratio, settings.enabled, settings.limit) == (3, 0.5, True, 10)
    assert type(settings.retries) is int and type(settings.limit) is int
    assert settings.bogus is None and settings.wrong_mode is None
    assert settings.tags == ["a"] and settings.mode.value == "slow"


def test_every_corpus_file_has_an_expectation() -> None:
    assert sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".yaml", ".json")) == sorted(CASES)


def _package_name(spec_name: str) -> str:
    return "corpus_" + spec_name.split(".")[0]


def _run_cli(args: list[str], out: Path) -> tuple[int, list[str]]:
    """Run the CLI; assert it ended by exiting (no traceback) and left ``out`` untouched when it failed."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "keep.txt").write_text("mine")
    result = CliRunner().invoke(main, args + ["--out", str(out)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    if result.exit_code != 0:
        assert sorted(p.name for p in out.iterdir()) == ["keep.txt"], "output touched on failure"
    return result.exit_code, result.stderr.splitlines()


def _dump(adapter: TypeAdapter[Any], value: Any) -> Any:
    # Any, on models the server validated inside lists: they must serialise though their classes were deferred
    return adapter.dump_python(value, mode="json", by_alias=True, exclude_unset=True)


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if isinstance(c, Generates)])
def test_corpus_spec_generates_working_code(name: str, tmp_path: Path) -> None:
    expected = CASES[name]
    assert isinstance(expected, Generates)
    package_name = _package_name(name)
    generation = generate_files(CORPUS / name, package_name)
    warnings = [str(w) for w in generation.warnings]
    for line in expected.warnings:
        assert f"{name}{line}" in warnings, (line, warnings)
    write(tmp_path, generation.files, stale=[])
    package = import_fresh(tmp_path, package_name)
    for type_name, payload, class_name in expected.valid:
        adapter = TypeAdapter(getattr(package, type_name))
        value = adapter.validate_python(payload)
        if class_name is not None:
            assert type(value).__name__ == class_name
        assert _dump(adapter, value) == payload, type_name
    for type_name, payload in expected.invalid:
        with pytest.raises(ValidationError):
            TypeAdapter(getattr(package, type_name)).validate_python(payload)
    if expected.check:
        expected.check(package)


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if isinstance(c, Fails)])
def test_corpus_spec_fails_cleanly(name: str, tmp_path: Path) -> None:
    expected = CASES[name]
    assert isinstance(expected, Fails)
    code, lines = _run_cli(["generate", str(CORPUS / name), "--package", "corpus_bad"], tmp_path / "out")
    assert code == 2
    assert lines == expected.lines


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if isinstance(c, Generates) and c.warnings])
def test_strict_turns_warnings_into_errors(name: str, tmp_path: Path) -> None:
    expected = CASES[name]
    assert isinstance(expected, Generates)
    code, lines = _run_cli(["generate", str(CORPUS / name), "--package", "corpus_strict", "--strict"], tmp_path / "out")
    assert code == 2
    assert all(": error: " in line and line.startswith(name) for line in lines), lines
    for line in expected.warnings:
        assert f"{name}{line}".replace(": warning: ", ": error: ", 1) in lines


def test_without_strict_warnings_are_printed_and_code_written(tmp_path: Path) -> None:
    code, lines = _run_cli(["generate", str(CORPUS / "empty_enum.yaml"), "--package", "corpus_lenient"], tmp_path / "out")
    assert code == 0
    assert "empty_enum.yaml#/components/schemas/Nothing/enum: warning: empty enum ignored; the declared type is used" in lines
    assert (tmp_path / "out" / "corpus_lenient" / "models.py").is_file()


def test_unreadable_spec_is_a_clean_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    code, lines = _run_cli(["generate", str(missing), "--package", "p"], tmp_path / "out1")
    assert (code, lines) == (2, [f"{missing}: error: cannot read spec: No such file or directory"])
    code, lines = _run_cli(["generate", str(tmp_path), "--package", "p"], tmp_path / "out2")
    assert (code, lines) == (2, [f"{tmp_path}: error: cannot read spec: Is a directory"])
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"openapi: 3.0.0\n\xff\xfe\n")
    code, lines = _run_cli(["generate", str(binary), "--package", "p"], tmp_path / "out3")
    assert (code, lines) == (2, ["binary.yaml: error: spec is not UTF-8 text (byte 15)"])


def _write_spec(path: Path, schemas: dict[str, Any]) -> Path:
    document = {"openapi": "3.0.3", "info": {"title": path.stem, "version": "1"}, "paths": {}, "components": {"schemas": schemas}}
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def test_huge_spec_generates_in_reasonable_time(tmp_path: Path) -> None:
    count = 2000
    schemas: dict[str, Any] = {
        f"Thing{i}": {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "integer"},
                "children": {"type": "array", "items": {"$ref": f"#/components/schemas/Thing{child}"}},
            }
            if 2 * i + 2 < count
            else {"id": {"type": "integer"}, "root": {"$ref": "#/components/schemas/Thing0"}},
        }
        for i in range(count)
        for child in [2 * i + 1]
    }
    spec = _write_spec(tmp_path / "huge.yaml", schemas)
    started = time.perf_counter()
    generation = generate_files(spec, "corpus_huge")
    elapsed = time.perf_counter() - started
    assert elapsed < 60, f"{count} schemas took {elapsed:.1f}s"
    write(tmp_path / "out", generation.files, stale=[])
    package = import_fresh(tmp_path / "out", "corpus_huge")
    assert len([n for n in package.__all__ if n.startswith("Thing")]) == count
    value = package.Thing0.model_validate({"id": 0, "children": [{"id": 1, "children": [{"id": 3}]}]})
    assert value.children[0].children[0].id == 3
    with pytest.raises(ValidationError):
        package.Thing1999.model_validate({"id": 1999, "root": {"id": "x"}})


def test_long_ref_chain_does_not_exhaust_the_stack(tmp_path: Path) -> None:
    """Schema i holds schema i+1: the generator must not recurse once per link."""
    count = 1500
    schemas = {f"Link{i}": {"$ref": f"#/components/schemas/Link{i + 1}"} for i in range(count)}
    schemas[f"Link{count}"] = {"type": "object", "properties": {"end": {"type": "boolean"}}}
    spec = _write_spec(tmp_path / "chain.yaml", schemas)
    write(tmp_path / "out", generate_files(spec, "corpus_chain").files, stale=[])
    package = import_fresh(tmp_path / "out", "corpus_chain")
    assert TypeAdapter(package.Link0).validate_python({"end": True}).end is True


def test_deeply_nested_inline_schemas_generate(tmp_path: Path) -> None:
    depth = 38  # 19 arrays and 19 objects: 63 levels of YAML, within loading.shape.MAX_DEPTH
    inner: dict[str, Any] = {"type": "string"}
    for level in range(depth):
        inner = {"type": "object", "properties": {f"level{level}": inner}} if level % 2 else {"type": "array", "items": inner}
    spec = _write_spec(tmp_path / "deep.yaml", {"Deep": {"type": "object", "properties": {"root": inner}}})
    write(tmp_path / "out", generate_files(spec, "corpus_deep").files, stale=[])
    package = import_fresh(tmp_path / "out", "corpus_deep")
    payload: Any = "leaf"
    for level in range(depth):
        payload = {f"level{level}": payload} if level % 2 else [payload]
    value = package.Deep.model_validate({"root": payload})
    assert value.to_json_dict() == {"root": payload}
