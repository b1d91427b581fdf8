"""The one reading of a spec that ``generate`` (the model builder) and ``diff`` (the differ) share.

Everything either of them needs to know about the raw document beyond a single schema's own keywords is
read here, once, by one rule:

- ``$ref``: resolved through the document's ``Registry`` (``refs``);
- ``allOf``: parts merged in order, the later part winning over the earlier ones and the schema's own
  keywords and properties winning over all parts; ``required`` is the union (``all_of``);
- parameters: the path item's merged into each operation's, the operation's winning by (name, in)
  (``operations``);
- media types: the first JSON media type of a ``content`` map, else its first (``preferred_media_type``);
- nullability: ``nullable: true`` (3.0), ``"null"`` among the ``type``s (3.1), null-only oneOf/anyOf
  members and a null ``enum`` value, read into one ``Nullability`` (``nullability``);
- security: the schemes, and each operation's requirements (its own ``security``, else the
  document's) as alternatives (``security``).

Both stages therefore see the same properties, parameters and schemas: a change the generated code
shows is a change the differ reports.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from vapi_codegen.diagnostics import Diagnostics
from vapi_codegen.loading.document import Document
from vapi_codegen.normalising.all_of import MergedSchema, merge_all_of
from vapi_codegen.normalising.operations import Operation, read_operations
from vapi_codegen.normalising.refs import Registry
from vapi_codegen.normalising.schema_view import SchemaView, view_of
from vapi_codegen.normalising.security import Requirement, Scheme, read_requirements, read_schemes


class Normaliser:
    """Normalised reads of one document; problems go to its registry's diagnostics."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self._views: dict[str, SchemaView] = {}

    @classmethod
    def for_document(cls, document: Document, diagnostics: Diagnostics) -> Normaliser:
        """The normaliser of ``document``; a JSON Schema page gets lenient references (see ``Registry``)."""
        return cls(Registry(document.data, diagnostics, lenient_refs=not document.is_openapi))

    def operations(self, section: str = "paths") -> Iterator[Operation]:
        """The operations of ``paths`` or ``webhooks``, parameters merged and bodies resolved."""
        return read_operations(self.registry, section)

    def security_schemes(self) -> list[Scheme]:
        """The document's security schemes, ``$ref`` followed."""
        return read_schemes(self.registry)

    def security_requirements(self, operation: Operation) -> list[Requirement]:
        """The alternatives of ``operation``'s security: its own ``security``, else the document's."""
        return read_requirements(self.registry, operation.node, operation.pointer)

    def merged(self, schema: dict[str, Any], pointer: str) -> MergedSchema:
        """The schema at ``pointer`` ($refs followed) with its ``allOf`` parts merged in."""
        return merge_all_of(self.registry, schema, pointer)

    def view(self, node: Any, pointer: str) -> SchemaView:
        """The flat view of the schema written at ``pointer``; one view per place, so it always reads the same."""
        if pointer not in self._views:
            self._views[pointer] = view_of(self.registry, node, pointer)
        return self._views[pointer]
