"""Paths -> operations of the intermediate model."""

from __future__ import annotations

from typing import Any

from vapi_codegen.model import ir
from vapi_codegen.naming.identifiers import pascal_case
from vapi_codegen.normalising.refs import child
from vapi_codegen.model.schemas import SchemaParser
from vapi_codegen.normalising.schema_facts import description, preferred_media_type, spec_text

HTTP_METHODS = tuple(method.value for method in ir.HttpMethod)
_LOCATIONS = frozenset(location.value for location in ir.ParameterLocation)


class OperationParser:
    def __init__(self, parser: SchemaParser, data: dict[str, Any]):
        self.parser = parser
        self.registry = parser.registry
        self.diagnostics = parser.diagnostics
        self.data = data
        self._seen_ids: dict[str, str] = {}  # operationId -> pointer, unique across paths and webhooks

    def operations(self) -> list[ir.Operation]:
        """The operations under ``paths``."""
        return self._collect("/paths", "paths")

    def webhooks(self) -> list[ir.Operation]:
        """The requests the API sends to its users (OpenAPI 3.1 ``webhooks``); ``path`` is the webhook's name."""
        return self._collect("/webhooks", "webhooks")

    def _collect(self, root: str, key: str) -> list[ir.Operation]:
        items = self.data.get(key) or {}
        if not isinstance(items, dict):
            self.diagnostics.error(root, f"{key} must be a mapping")
            return []
        global_security = self.data.get("security")
        result: list[ir.Operation] = []
        for path, item in items.items():
            item_pointer = child(root, path)
            resolved = self.registry.deref_mapping(item, item_pointer)
            if resolved is None:
                continue
            item = resolved[1]
            for method in HTTP_METHODS:
                if not isinstance(item.get(method), dict):
                    continue
                op_pointer = child(item_pointer, method)
                operation = self.operation(str(path), method, item, item[method], op_pointer, global_security)
                if operation.unique_id in self._seen_ids:
                    self.diagnostics.error(
                        child(op_pointer, "operationId"),
                        f"duplicate operationId {operation.unique_id!r} (also at {self._seen_ids[operation.unique_id]})",
                    )
                self._seen_ids[operation.unique_id] = op_pointer
                result.append(operation)
        return result

    def operation(
        self, path: str, method: str, item: dict[str, Any], op: dict[str, Any], pointer: str, global_security: Any
    ) -> ir.Operation:
        operation_id = op.get("operationId") if isinstance(op.get("operationId"), str) else None
        hint = pascal_case(operation_id.replace("Controller_", "_")) if operation_id else pascal_case(f"{method} {path}")
        tags = op.get("tags") if isinstance(op.get("tags"), list) else []
        tag = str(tags[0]) if tags else "default"
        security = op.get("security", global_security)
        return ir.Operation(
            method=ir.HttpMethod(method),
            path=path,
            operation_id=operation_id,
            tag=tag,
            summary=spec_text(op.get("summary")),
            description=description(op),
            parameters=self.parameters(item, op, pointer, hint),
            body=self.body(op, pointer, hint),
            responses=self.responses(op, pointer, hint),
            secured=bool(security),
            deprecated=op.get("deprecated") is True,
        )

    def parameters(self, item: dict[str, Any], op: dict[str, Any], pointer: str, hint: str) -> list[ir.Parameter]:
        collected: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        sources = [(item.get("parameters"), child(pointer.rsplit("/", 1)[0], "parameters")), (op.get("parameters"), child(pointer, "parameters"))]
        for level, (params, params_pointer) in enumerate(sources):
            seen_here: set[tuple[str, str]] = set()
            for index, raw in enumerate(params if isinstance(params, list) else []):
                at = child(params_pointer, index)
                resolved = self.registry.deref_mapping(raw, at)
                if resolved is None:
                    continue
                param = resolved[1]
                key = (str(param.get("name", "")), str(param.get("in", "")))
                if key in seen_here:
                    self.diagnostics.warn(at, f"parameter {key[0]!r} in {key[1]} is declared twice; the first declaration is used")
                    continue
                seen_here.add(key)
                collected[key] = (param, at)
        result: list[ir.Parameter] = []
        for (json_name, location), (param, at) in collected.items():
            if location not in _LOCATIONS:
                self.diagnostics.warn(child(at, "in"), f"unknown parameter location {location!r}; parameter ignored")
                continue
            schema = param.get("schema", {})
            if "schema" not in param and isinstance(param.get("content"), dict):
                media = next(iter(param["content"].values()), {})
                schema = media.get("schema", {}) if isinstance(media, dict) else {}
            param_type = self.parser.type_of(schema, child(at, "schema"), hint + pascal_case(json_name))
            result.append(
                ir.Parameter(
                    json_name=json_name,
                    location=ir.ParameterLocation(location),
                    type=param_type,
                    required=location == ir.ParameterLocation.PATH or param.get("required") is True,
                    description=description(param),
                )
            )
        return result

    def body(self, op: dict[str, Any], pointer: str, hint: str) -> ir.RequestBody | None:
        if "requestBody" not in op:
            return None
        resolved = self.registry.deref_mapping(op["requestBody"], child(pointer, "requestBody"))
        if resolved is None:
            return None
        body_pointer, body = resolved
        content_type, schema, schema_pointer = self._content(body, body_pointer)
        if content_type is None:
            return None
        return ir.RequestBody(
            type=self.parser.named_type_of(schema, schema_pointer, hint + "Body"),
            required=body.get("required") is True,
            content_type=content_type,
            description=description(body),
        )

    def responses(self, op: dict[str, Any], pointer: str, hint: str) -> list[ir.Response]:
        responses = op.get("responses") if isinstance(op.get("responses"), dict) else {}
        result: list[ir.Response] = []
        for status, raw in responses.items():
            at = child(pointer, "responses", status)
            resolved = self.registry.deref_mapping(raw, at)
            if resolved is None:
                continue
            response_pointer, response = resolved
            content_type, schema, schema_pointer = self._content(response, response_pointer)
            response_type = None
            if content_type is not None:
                name = hint + "Response" + ("" if str(status).startswith("2") else pascal_case(str(status)))
                response_type = self.parser.named_type_of(schema, schema_pointer, name)
            result.append(ir.Response(str(status), response_type, description(response)))
        return result

    def _content(self, holder: dict[str, Any], pointer: str) -> tuple[str | None, Any, str]:
        content = holder.get("content")
        if not isinstance(content, dict) or not content:
            return None, None, ""
        content_type = str(preferred_media_type(content))
        media = content[content_type] if isinstance(content[content_type], dict) else {}
        return content_type, media.get("schema", {}), child(pointer, "content", content_type, "schema")

