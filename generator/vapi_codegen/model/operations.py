"""Paths -> operations of the intermediate model."""

from __future__ import annotations

from typing import Any

from vapi_codegen.model import ir
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
        return ir.Operation(
            method=ir.HttpMethod(method),
            path=path,
            operation_id=operation_id,
            tag=tag,
            summary=spec_text(op.get("summary")),
            description=description(op),
            parameters=self.parameters(read.parameters, hint),
            body=self.body(read.body, hint),
            responses=self.responses(read.responses, hint),
            secured=bool(security) and all(requirement.schemes for requirement in security),
            deprecated=op.get("deprecated") is True,
            security=security,
        )

    def parameters(self, parameters: list[normalised.Parameter], hint: str) -> list[ir.Parameter]:
        result: list[ir.Parameter] = []
        for param in parameters:
            schema = param.schema if param.schema is not None else {}
            param_type = self.parser.type_of(schema, param.schema_pointer(param.listed_at), hint + pascal_case(param.name))
            result.append(
                ir.Parameter(
                    json_name=param.name,
                    location=ir.ParameterLocation(param.location),
                    type=param_type,
                    required=param.required,
                    description=description(param.node),
                )
            )
        return result

    def body(self, body: normalised.Message | None, hint: str) -> ir.RequestBody | None:
        if body is None or body.content is None:
            return None
        return ir.RequestBody(
            type=self.parser.named_type_of(_schema(body.content), body.content.pointer, hint + "Body"),
            required=body.node.get("required") is True,
            content_type=body.content.media_type,
            description=description(body.node),
        )

    def responses(self, responses: dict[str, normalised.Message], hint: str) -> list[ir.Response]:
        result: list[ir.Response] = []
        for status, response in responses.items():
            response_type = None
            if response.content is not None:
                name = hint + "Response" + ("" if status.startswith("2") else pascal_case(status))
                response_type = self.parser.named_type_of(_schema(response.content), response.content.pointer, name)
            result.append(ir.Response(status, response_type, description(response.node)))
        return result


def _schema(content: normalised.Content) -> Any:
    """The schema a media type declares; any value (``{}``) when it declares none."""
    return content.schema if content.schema is not None else {}

