"""Paths -> operations of the intermediate model."""

from __future__ import annotations

from typing import Any

from vapi_codegen.model import ir
from vapi_codegen.model.resource_detection import is_json
from vapi_codegen.naming.identifiers import pascal_case
from vapi_codegen.model.schemas import SchemaParser
from vapi_codegen.model.security import SecurityReader
from vapi_codegen.normalising import operations as normalised
from vapi_codegen.normalising.refs import child
from vapi_codegen.normalising.schema_facts import description, spec_text


class OperationParser:
    """Normalised operations -> operations of the intermediate model, their schemas through ``parser``."""

    def __init__(self, parser: SchemaParser, data: dict[str, Any]):
        self.parser = parser
        self.normaliser = parser.normaliser
        self.diagnostics = parser.diagnostics
        self.data = data
        self.security = SecurityReader(self.normaliser, self.diagnostics)
        self._seen_ids: dict[str, str] = {}  # operationId -> pointer, unique across paths and webhooks

    def operations(self) -> list[ir.Operation]:
        """The operations under ``paths``."""
        return self._collect("paths")

    def webhooks(self) -> list[ir.Operation]:
        """The requests the API sends to its users (OpenAPI 3.1 ``webhooks``); ``path`` is the webhook's name."""
        return self._collect("webhooks")

    def _collect(self, section: str) -> list[ir.Operation]:
        result: list[ir.Operation] = []
        for read in self.normaliser.operations(section):
            operation = self.operation(read)
            if operation.unique_id in self._seen_ids:
                self.diagnostics.error(
                    child(read.pointer, "operationId"),
                    f"duplicate operationId {operation.unique_id!r} (also at {self._seen_ids[operation.unique_id]})",
                )
            self._seen_ids[operation.unique_id] = read.pointer
            result.append(operation)
        return result

    def operation(self, read: normalised.Operation) -> ir.Operation:
        op, method, path = read.node, read.method, read.path
        operation_id = op.get("operationId") if isinstance(op.get("operationId"), str) else None
        hint = pascal_case(operation_id.replace("Controller_", "_")) if operation_id else pascal_case(f"{method} {path}")
        tags = op.get("tags") if isinstance(op.get("tags"), list) else []
        tag = str(tags[0]) if tags else "default"
        security = self.security.requirements(self.normaliser.security_requirements(read))
        redirects = any(status.startswith("3") for status in read.responses)
        return ir.Operation(
            method=ir.HttpMethod(method),
            path=path,
            operation_id=operation_id,
            tag=tag,
            summary=spec_text(op.get("summary")),
            description=description(op),
            parameters=self.parameters(read.parameters, hint),
            body=self.body(read.body, hint),
            responses=self.responses(read.responses, hint, redirects),
            secured=bool(security) and all(requirement.schemes for requirement in security),
            deprecated=op.get("deprecated") is True,
            redirects=redirects,
            security=security,
        )

    def parameters(self, parameters: list[normalised.Parameter], hint: str) -> list[ir.Parameter]:
        result: list[ir.Parameter] = []
        for param in parameters:
            schema = param.schema if param.schema is not None else {}
            style = self.style(param)
            param_type = self.parser.type_of(schema, param.schema_pointer(param.listed_at), hint + pascal_case(param.name))
            result.append(
                ir.Parameter(
                    json_name=param.name,
                    location=ir.ParameterLocation(param.location),
                    type=param_type,
                    required=param.required,
                    description=description(param.node),
                    style=style,
                    explode=_explode(param.node, style),
                )
            )
        return result

    def style(self, param: normalised.Parameter) -> ir.ParameterStyle:
        """How the parameter's value is written: its ``style`` (the location's default when it has
        none, or an unknown one, with a warning); ``JSON`` when it is declared by a JSON ``content``."""
        if param.schema_path[0] == "content" and is_json(param.schema_path[1]):
            return ir.ParameterStyle.JSON
        default = ir.ParameterStyle.SIMPLE if param.location in ("path", "header") else ir.ParameterStyle.FORM
        written = param.node.get("style", default)
        try:
            style = ir.ParameterStyle(written)
        except ValueError:
            style = ir.ParameterStyle.JSON  # not a style one may write: warned below
        if style is ir.ParameterStyle.JSON:
            self.diagnostics.warn(child(param.pointer, "style"), f"unknown style {written!r}; {default} is used")
            return default
        return style

    def body(self, body: normalised.Message | None, hint: str) -> ir.RequestBody | None:
        if body is None or body.content is None:
            return None
        body_type = self.parser.named_type_of(_schema(body.content), body.content.pointer, hint + "Body")
        multipart = ir.media_kind(body.content.media_type) is ir.MediaKind.MULTIPART
        return ir.RequestBody(
            type=body_type,
            required=body.node.get("required") is True,
            content_type=body.content.media_type,
            description=description(body.node),
            form_fields=self._form_fields(body_type) if multipart else [],
        )

    def _form_fields(self, body_type: ir.TypeRef) -> list[ir.FormField]:
        """The parts of a multipart body whose schema is an object model, required ones first."""
        model = self.parser.declarations.get(body_type.name) if isinstance(body_type, ir.Ref) else None
        if not isinstance(model, ir.ModelDecl):
            return []
        parts = [
            ir.FormField(f.json_name, f.type, f.required, _is_file(f.type), f.description)
            for f in model.fields
            if not f.read_only
        ]
        return sorted(parts, key=lambda part: not part.required)

    def responses(self, responses: dict[str, normalised.Message], hint: str, redirects: bool) -> list[ir.Response]:
        """The responses; a success without content is raw bytes when the operation documents a redirect
        (what it redirects to, a recording or a file, is what the call returns)."""
        result: list[ir.Response] = []
        for status, response in responses.items():
            name = hint + "Response" + ("" if status.startswith("2") else pascal_case(status))
            read = ir.Response(status, None, description(response.node), binary=redirects and status.startswith("2"))
            if response.content is not None:
                read = self._typed_response(read, response, name)
            result.append(read)
        return result

    def _typed_response(self, read: ir.Response, response: normalised.Message, name: str) -> ir.Response:
        """``read`` typed by its content: JSON, events (``itemSchema``, else the schema, is each event's
        data) or raw bytes."""
        assert response.content is not None
        read.media_type = response.content.media_type
        kind = ir.media_kind(read.media_type)
        read.binary = kind in (ir.MediaKind.BINARY, ir.MediaKind.MULTIPART, ir.MediaKind.FORM)
        if kind is ir.MediaKind.JSON:
            read.type = self.parser.named_type_of(_schema(response.content), response.content.pointer, name)
        stream = next((c for c in response.contents.values() if ir.media_kind(c.media_type) is ir.MediaKind.EVENT_STREAM), None)
        if stream is not None:
            schema, pointer = self._event_data(stream)
            read.events = self.parser.named_type_of(schema, pointer, name + "Event")
        return read

    def _event_data(self, stream: normalised.Content) -> tuple[Any, str]:
        """The schema of an event's data, and where it is written: of the ``data`` of the ``itemSchema``
        (its ``contentSchema`` when the data is JSON text), else the ``itemSchema`` itself, else the schema."""
        if stream.item_schema is None:
            return _schema(stream), stream.pointer
        resolved = self.normaliser.registry.deref_mapping(stream.item_schema, stream.item_pointer)
        if resolved is None:
            return stream.item_schema, stream.item_pointer
        pointer, item = resolved
        properties = item.get("properties")
        data = properties.get("data") if isinstance(properties, dict) else None
        if not isinstance(data, dict):
            return item, pointer
        data_pointer = child(pointer, "properties", "data")
        if "contentSchema" in data:
            return data["contentSchema"], child(data_pointer, "contentSchema")
        return data, data_pointer


def _is_file(type_ref: ir.TypeRef) -> bool:
    """A binary string (``format: binary``), or an array of them, maybe nullable."""
    if isinstance(type_ref, ir.Nullable):
        return _is_file(type_ref.inner)
    if isinstance(type_ref, ir.ArrayType):
        return _is_file(type_ref.items)
    return isinstance(type_ref, ir.Primitive) and type_ref.kind is ir.PrimitiveKind.BYTES


def _explode(node: dict[str, Any], style: ir.ParameterStyle) -> bool:
    """The parameter's ``explode``: as written, else true for the form style only."""
    explode = node.get("explode")
    return explode if isinstance(explode, bool) else style is ir.ParameterStyle.FORM


def _schema(content: normalised.Content) -> Any:
    """The schema a media type declares; any value (``{}``) when it declares none."""
    return content.schema if content.schema is not None else {}

