"""YAML reading: libyaml's fast parser, anchors that may be redefined, and aliases that cannot explode.

The document is composed into nodes first (an alias is the node of its anchor again), its shape is
checked (``shape.check_shape``: depth, and how many nodes the aliases expand to), and only then are
the Python values built, every mapping key as a string: JSON has no other keys, and a spec's
``404:`` (an integer to YAML) means the status ``"404"``.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import Composer, ComposerError
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import Node
from yaml.resolver import Resolver

from vapi_codegen.loading.shape import check_shape, yaml_children

ALIAS_ALLOWANCE = 100_000
"""Nodes aliases may add to a document. A document without aliases has no more nodes than it has
characters, so one of ``n`` characters may expand to ``n + ALIAS_ALLOWANCE`` nodes and no more."""


class _SpecConstructor(SafeConstructor):
    """The safe constructor, with mapping keys that are not strings written as JSON would write them,
    and a date that is no date (``2021-02-30``) kept as the text it is."""

    def construct_yaml_timestamp(self, node: Any) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep)
        if all(isinstance(key, str) for key in mapping):
            return mapping
        return {_key_text(key): value for key, value in mapping.items()}


# (registered by class: the base class registered its own function, not the method)
_SpecConstructor.add_constructor("tag:yaml.org,2002:timestamp", _SpecConstructor.construct_yaml_timestamp)  # type: ignore[type-var]


def _key_text(key: Any) -> str:
    if isinstance(key, str):
        return key
    if key is None or isinstance(key, bool):
        return {None: "null", True: "true", False: "false"}[key]
    return str(key)


class _RedefinableAnchors(Composer):
    """Composes a document in which an anchor may be defined again (YAML 1.2 allows it, and real specs
    do it): an alias refers to the latest definition before it."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[attr-defined]  # the parser's, beside this composer
        if not isinstance(event, AliasEvent) and event.anchor is not None:
            self.anchors.pop(event.anchor, None)
        return super().compose_node(parent, index)


try:  # libyaml's parser is 7-10x faster on these files
    from yaml.cyaml import CParser  # type: ignore[attr-defined]

    class _FastLoader(CParser, _SpecConstructor, Resolver):  # yaml.CSafeLoader, with string keys
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _SpecConstructor.__init__(self)
            Resolver.__init__(self)

    class _AnchorRedefiningLoader(_RedefinableAnchors, CParser, _SpecConstructor, Resolver):
        """libyaml's parser under a composer that accepts redefined anchors."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _RedefinableAnchors.__init__(self)
            _SpecConstructor.__init__(self)
            Resolver.__init__(self)

except ImportError:  # pragma: no cover - pyyaml built without libyaml

    class _AnchorRedefiningLoader(_RedefinableAnchors, _SpecConstructor, yaml.SafeLoader):  # type: ignore[no-redef]
        """PyYAML's own safe loader with a composer that accepts redefined anchors."""

    _FastLoader = _AnchorRedefiningLoader  # type: ignore[misc, assignment]


def load_yaml(text: str, file: str) -> Any:
    """The value of the YAML document ``text``; raises ``yaml.YAMLError`` when it is not valid YAML and
    SpecError when it nests too deep or its aliases expand too far."""
    try:
        return _load(_FastLoader(text), text, file)
    except ComposerError as error:
        if "duplicate anchor" not in str(error.context):
            raise
    return _load(_AnchorRedefiningLoader(text), text, file)


def _load(loader: Any, text: str, file: str) -> Any:
    try:
        node = loader.get_single_node()
        if node is None:  # an empty document
            return None
        check_shape(node, yaml_children, file, max_nodes=len(text) + ALIAS_ALLOWANCE)
        return loader.construct_document(node)
    finally:
        loader.dispose()
