"""The server view's transports by media type (all PyCode, for ``views.server`` and ``views.mock``).

- a multipart body whose schema is an object: one parameter per part, a file as FastAPI's
  ``UploadFile`` (a list of them for an array of files), a form field by its schema (an object as
  JSON text, ``Json[...]``); the service gets them as keyword arguments;
- a form body (``application/x-www-form-urlencoded``) whose schema is a model: the model, from ``Form()``;
- any other body that is not JSON: its bytes;
- a download answers what the service returns through ``_server_media.download_answer``; server-sent
  events through ``_server_media.event_answer`` (a JSON answer, when the service returns one, as is).

The runtime names are reached through the ``_server_media`` module, so no model can shadow them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from vapi_codegen.model import ir
from vapi_codegen.rendering.pycode import PyCode, code, identifier, string_literal
from vapi_codegen.rendering.type_expressions import Annotator, constraint_arguments, split_constraints

MEDIA = "_server_media"  # server.py imports the runtime module under this name
_UPLOAD = PyCode(f"{MEDIA}.UploadFile")


@dataclass
class Answer:
    """How a route turns what the service returned into the answer: ``wrapper(result, arguments)``."""

    wrapper: PyCode
    arguments: PyCode


def reads_raw_body(body: ir.RequestBody | None, declarations: Mapping[str, ir.Declaration]) -> bool:
    """Whether the service gets the body's bytes (a body neither JSON, nor form fields it can be given as)."""
    if body is None or body.kind is ir.MediaKind.JSON or body.form_fields:
        return False
    return not is_form_model(body, declarations)


def is_form_model(body: ir.RequestBody, declarations: Mapping[str, ir.Declaration]) -> bool:
    """A form body whose schema is a model: FastAPI reads it into the model."""
    target = declarations.get(body.type.name) if isinstance(body.type, ir.Ref) else None
    return body.kind is ir.MediaKind.FORM and isinstance(target, ir.ModelDecl)


def service_parts(body: ir.RequestBody, annotate: Annotator) -> list[PyCode]:
    """The service method's keyword parameters for the parts of a multipart body."""
    parameters = []
    for part in body.form_fields:
        annotation = _part_type(part, annotate)
        if part.required:
            parameters.append(code(identifier(part.name), ": ", annotation))
        else:
            annotate.used.add("Optional")
            parameters.append(code(identifier(part.name), ": Optional[", annotation, "] = None"))
    return parameters


def route_parts(body: ir.RequestBody, annotate: Annotator) -> list[PyCode]:
    """The route's parameters for the parts of a multipart body: ``File()`` or ``Form()`` each."""
    annotate.used.add("Annotated")
    parameters = []
    for part in body.form_fields:
        marker = "File" if part.is_file else "Form"
        arguments = [code("alias=", string_literal(part.json_name))]
        if not part.is_file:
            arguments.extend(constraint_arguments(split_constraints(part.type)[1], annotate.used))
        if part.description:
            arguments.append(code("description=", string_literal(part.description)))
        annotation = _part_type(part, annotate, json_text=True)
        if not part.required:
            annotate.used.add("Optional")
            annotation = code("Optional[", annotation, "]")
        default = "" if part.required else " = None"
        marked = code(MEDIA, ".", marker, "(", ", ".join(arguments), ")")
        parameters.append(code(identifier(part.name), ": Annotated[", annotation, ", ", marked, "]", default))
    return parameters


def _part_type(part: ir.FormField, annotate: Annotator, json_text: bool = False) -> PyCode:
    """A part's type: ``UploadFile`` (or a list of them); a form field's own type, which the route
    reads from JSON text (``json_text``) when it is structured."""
    inner = part.type.inner if isinstance(part.type, ir.Nullable) else part.type
    if part.is_file:
        return code("list[", _UPLOAD, "]") if isinstance(inner, ir.ArrayType) else _UPLOAD
    inner = split_constraints(inner)[0]
    if isinstance(inner, ir.ArrayType):
        return code("list[", _field_type(inner.items, annotate, json_text), "]")
    return _field_type(inner, annotate, json_text)


def _field_type(type_ref: ir.TypeRef, annotate: Annotator, json_text: bool) -> PyCode:
    structured = isinstance(type_ref, (ir.Ref, ir.MapType, ir.UnionType, ir.ArrayType)) and not _is_enum(type_ref, annotate)
    if json_text and structured:
        return code(MEDIA, ".Json[", annotate(type_ref), "]")
    return annotate(type_ref)


def _is_enum(type_ref: ir.TypeRef, annotate: Annotator) -> bool:
    return isinstance(type_ref, ir.Ref) and isinstance(annotate.declarations.get(type_ref.name), ir.EnumDecl)


def service_returns(operation: ir.Operation, annotate: Annotator) -> PyCode | None:
    """What a service method returns for a download or an event stream; None for a JSON answer."""
    success = operation.success
    if success is None:
        return None
    if success.binary:
        return PyCode(f"{MEDIA}.Download")
    if success.events is None:
        return None
    source = code(MEDIA, ".EventSource[", annotate(success.events), "]")
    if success.type is None:
        return source
    annotate.used.add("Union")
    return code("Union[", annotate(success.type), ", ", source, "]")


def answer(operation: ir.Operation, annotate: Annotator, status: int) -> Answer | None:
    """How the route answers a download or an event stream; None for a JSON answer."""
    success = operation.success
    if success is None:
        return None
    if success.binary:
        media_type = string_literal(success.media_type or "application/octet-stream")
        return Answer(PyCode(f"{MEDIA}.download_answer"), code(media_type, ", ", str(status)))
    if success.events is None:
        return None
    text = isinstance(success.events, ir.Primitive) and success.events.kind is ir.PrimitiveKind.STR
    arguments = code(annotate(success.events), ", ", str(status), ", text=True" if text else "")
    return Answer(PyCode(f"{MEDIA}.event_answer"), arguments)
