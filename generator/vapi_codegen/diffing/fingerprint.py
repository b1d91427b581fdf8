"""What a schema says, as one digest: two schemas with the same digest accept the same values.

``$ref``s are followed (so a renamed component and an inline copy of it digest alike) and annotations
(titles, descriptions, examples, ``x-`` extensions) are left out. A reference back into a schema being
digested counts as "a cycle", whatever its name. Digests of referenced schemas are kept per document.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from vapi_codegen.normalising.refs import Registry, child
from vapi_codegen.normalising.schema_view import ANNOTATIONS

_IGNORED = ANNOTATIONS - {"readOnly", "writeOnly", "nullable"}
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_LITERALS = ("enum", "const", "default", "required", "type", "format", "pattern")


class Fingerprints:
    """Digests of the schemas of one document."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self._by_pointer: dict[str, str] = {}

    def of(self, node: Any, pointer: str) -> str:
        """The digest of the schema ``node`` written at ``pointer``."""
        return self._schema(node, pointer, ())

    def _schema(self, node: Any, pointer: str, stack: tuple[str, ...]) -> str:
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            resolved = self.registry.deref(node, pointer)
            if resolved is None:
                return _hash(["unresolved", node["$ref"]])
            target = resolved[0]
            if target in stack:
                return "cycle"
            if target not in self._by_pointer:
                self._by_pointer[target] = self._schema(resolved[1], target, (*stack, target))
            return self._by_pointer[target]
        if not isinstance(node, dict):
            return _hash(node)
        parts: list[Any] = []
        for key in sorted(node):
            value = node[key]
            if key in _IGNORED or key.startswith("x-") or key == "$ref":
                continue
            at = child(pointer, key)
            if key in _LITERALS:
                parts.append((key, _hash(value)))
            elif key == "discriminator" and isinstance(value, dict):
                mapping = value.get("mapping")
                parts.append((key, value.get("propertyName"), sorted(mapping) if isinstance(mapping, dict) else None))
            elif key in _SCHEMA_MAPS and isinstance(value, dict):
                parts.append((key, [(name, self._schema(value[name], child(at, name), stack)) for name in sorted(value)]))
            elif isinstance(value, list):
                parts.append((key, [self._schema(item, child(at, index), stack) for index, item in enumerate(value)]))
            else:
                parts.append((key, self._schema(value, at, stack)))
        return _hash(parts)


def _hash(value: Any) -> str:
    return hashlib.sha1(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()
