"""The client view's transports by media type: how an operation's body is passed and encoded, and what
a call returns when the answer is not JSON (all PyCode, for ``views.resources``).

- a multipart body whose schema is an object: one keyword argument per part, a file typed
  ``_rt.FileInput`` (a list of them for an array of files), the others by their schema;
- a raw body (``application/octet-stream``...): ``body: _rt.BinaryInput``;
- a download (``ir.Operation.downloads``): ``_rt.BinaryResponse``, and the ``with_streaming_response`` variant;
- server-sent events: an ``_rt.Events`` constant, and ``_rt.Stream[...]`` / ``_rt.AsyncStream[...]``.
"""

from __future__ import annotations

from dataclasses import dataclass

from vapi_codegen.model import ir
from vapi_codegen.model.vapi_conventions import STREAM_FLAG_FIELDS
from vapi_codegen.rendering.pycode import PyCode, code, identifier, string_literal
from vapi_codegen.rendering.input_types import InputAnnotator
from vapi_codegen.rendering.type_expressions import Annotator

BINARY_RESPONSE = PyCode("_rt.BinaryResponse")
_FILE = PyCode("_rt.FileInput")
_ENCODINGS = {ir.MediaKind.MULTIPART: "multipart", ir.MediaKind.FORM: "form", ir.MediaKind.BINARY: "binary", ir.MediaKind.EVENT_STREAM: "binary"}


@dataclass
class EventsView:
    name: PyCode  # the module constant
    data: PyCode  # the type of each event's data
    arguments: list[PyCode]


@dataclass
class BodyArguments:
    """How a method takes its body: positional parameters (after the path's), keyword-only ones, and
    the ``body=`` argument passing them on to the runtime."""

    positional: list[PyCode]
    keywords: list[PyCode]
    call: list[PyCode]


def transport_arguments(operation: ir.Operation) -> list[PyCode]:
    """The ``Endpoint`` arguments describing the body's encoding, a download and redirects."""
    arguments: list[PyCode] = []
    body = operation.body
    encoding = _ENCODINGS.get(body.kind) if body is not None else None
    if body is not None and encoding is not None:
        arguments.append(code("encoding=", string_literal(encoding)))
        if body.kind is ir.MediaKind.MULTIPART:
            files = [string_literal(part.json_name) for part in body.form_fields if part.is_file]
            if files:
                arguments.append(code("files=(", ", ".join(files), ",)"))
        elif encoding == "binary":
            arguments.append(code("content_type=", string_literal(body.content_type)))
    success = operation.success
    if success is not None and success.binary:
        arguments.append(PyCode("download=True"))
        arguments.append(code("accept=", string_literal(success.media_type or "*/*")))
    if operation.redirects:
        arguments.append(PyCode("redirects=True"))
    return arguments


def validates_body(body: ir.RequestBody) -> bool:
    """Whether the runtime validates the body against its type (JSON and form bodies); parts and raw
    bytes are sent as given."""
    return body.kind in (ir.MediaKind.JSON, ir.MediaKind.FORM)


def body_arguments(body: ir.RequestBody, inputs: InputAnnotator) -> BodyArguments:
    """The parameters taking ``body`` and how they reach the runtime; a model may also be passed as
    its TypedDict (``...Params``), an enum as its value."""
    if body.form_fields:
        keywords = [_part_parameter(part, inputs) for part in body.form_fields]
        values = ", ".join(code(string_literal(p.json_name), ": ", identifier(p.name)) for p in body.form_fields)
        return BodyArguments([], keywords, [code("body={", values, "}")])
    used = inputs.annotate.used
    if body.kind is ir.MediaKind.MULTIPART:
        used.update({"Mapping", "Any"})
        annotation = PyCode("Mapping[str, Any]")
    elif validates_body(body):
        annotation = inputs.accepted(body.type)
    else:
        annotation = PyCode("_rt.BinaryInput")
    if not body.required:
        used.add("Optional")
        return BodyArguments([code("body: Optional[", annotation, "] = None")], [], [PyCode("body=body")])
    return BodyArguments([code("body: ", annotation)], [], [PyCode("body=body")])


def _part_parameter(part: ir.FormField, inputs: InputAnnotator) -> PyCode:
    """A multipart part as a keyword-only parameter."""
    inner = part.type.inner if isinstance(part.type, ir.Nullable) else part.type
    if part.is_file:
        annotation = inputs.annotate.list_of(_FILE) if isinstance(inner, ir.ArrayType) else _FILE
    else:
        annotation = inputs.accepted(inner)
    if part.required:
        return code(identifier(part.name), ": ", annotation)
    inputs.annotate.used.add("Optional")
    return code(identifier(part.name), ": Optional[", annotation, "] = None")


def events_view(operation: ir.Operation, api: ir.Api, lazy: Annotator, data: PyCode) -> EventsView | None:
    """The ``_rt.Events`` constant of an operation that may answer server-sent events (``data``: the
    annotation of its events' data)."""
    events = operation.events
    if events is None or operation.names.events is None:
        return None
    arguments = [code("lambda: ", lazy(events))]
    if isinstance(events, ir.Primitive) and events.kind is ir.PrimitiveKind.STR:
        arguments.append(PyCode("text=True"))
    flag = _stream_flag(operation, api)
    if flag is not None:
        arguments.append(code("flag=", string_literal(flag)))
    return EventsView(identifier(operation.names.events), data, arguments)


def _stream_flag(operation: ir.Operation, api: ir.Api) -> str | None:
    """The boolean body field asking for the stream, when the operation also answers JSON."""
    success = operation.success
    if success is None or success.type is None or operation.body is None:
        return None
    body_type = ir.resolve_alias(api.declarations, operation.body.type)
    model = api.declarations.get(body_type.name) if isinstance(body_type, ir.Ref) else None
    if not isinstance(model, ir.ModelDecl):
        return None
    for name in STREAM_FLAG_FIELDS:
        found = model.field_by_json(name)
        inner = found.type.inner if found is not None and isinstance(found.type, ir.Nullable) else (found.type if found else None)
        if isinstance(inner, ir.Primitive) and inner.kind is ir.PrimitiveKind.BOOL:
            return name
    return None


def stream_types(data: PyCode) -> tuple[PyCode, PyCode]:
    """What a streaming call returns, sync and async."""
    return code("_rt.Stream[", data, "]"), code("_rt.AsyncStream[", data, "]")
