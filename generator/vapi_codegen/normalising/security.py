"""Security as the spec writes it: ``components.securitySchemes`` and ``security`` requirement lists.

Schemes are read with their ``$ref`` followed; a requirement list is the operation's own ``security``
when it has one (``[]`` included: no security), else the document's. Each requirement object is one
alternative, mapping scheme names to the scopes it needs; ``{}`` is the anonymous alternative.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vapi_codegen.normalising.refs import Registry, child


@dataclass(frozen=True)
class Scheme:
    """One security scheme object, ``$ref`` followed; ``pointer`` is where it is listed."""

    key: str
    node: dict[str, Any]
    pointer: str


@dataclass(frozen=True)
class Requirement:
    """One alternative: scheme name -> scopes, in the order written; ``pointer`` is where it is written."""

    schemes: tuple[tuple[str, tuple[str, ...]], ...]
    pointer: str


def read_schemes(registry: Registry) -> list[Scheme]:
    """The document's security schemes, in document order (unreadable entries are reported and skipped)."""
    components = registry.data.get("components")
    raw = components.get("securitySchemes") if isinstance(components, dict) else None
    if raw is None:
        return []
    root = "/components/securitySchemes"
    if not isinstance(raw, dict):
        registry.diagnostics.error(root, "securitySchemes must be a mapping")
        return []
    schemes = []
    for key, node in raw.items():
        resolved = registry.deref_mapping(node, child(root, key))
        if resolved is None:
            registry.diagnostics.warn(child(root, key), "security scheme is not an object; requirements naming it are never satisfied")
            continue
        schemes.append(Scheme(str(key), resolved[1], child(root, key)))
    return schemes


def applying_security(document: dict[str, Any], operation: dict[str, Any], pointer: str) -> tuple[Any, str]:
    """The ``security`` that applies to an operation and where it is written: its own, else the
    document's, also when its own has no value (failing closed: that does not open the route)."""
    if operation.get("security") is not None:
        return operation["security"], child(pointer, "security")
    return document.get("security"), "/security"


def read_requirements(registry: Registry, operation: dict[str, Any], pointer: str) -> list[Requirement]:
    """The alternatives of an operation (``operation`` is its object, ``pointer`` where it is written)."""
    raw, at = applying_security(registry.data, operation, pointer)
    if "security" in operation and operation["security"] is None:
        registry.diagnostics.warn(child(pointer, "security"), "security has no value: the document's security applies (write [] for none)")
    if raw is None:
        return []
    if not isinstance(raw, list):
        registry.diagnostics.error(at, "security must be a list of requirement objects")
        return []
    requirements = []
    for index, entry in enumerate(raw):
        where = child(at, index)
        if not isinstance(entry, dict):
            registry.diagnostics.error(where, "a security requirement must be an object")
            continue
        schemes = tuple((str(name), _scopes(scopes)) for name, scopes in entry.items())
        requirements.append(Requirement(schemes, where))
    return requirements


def _scopes(raw: Any) -> tuple[str, ...]:
    return tuple(str(scope) for scope in raw) if isinstance(raw, list) else ()
