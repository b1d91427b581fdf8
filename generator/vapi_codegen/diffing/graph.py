"""Reachability backwards over a directed graph given as adjacency lists."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def reaching(edges: Mapping[K, Iterable[K]], targets: Iterable[K]) -> set[K]:
    """The targets and every node of ``edges`` from which one of them can be reached."""
    parents: dict[K, list[K]] = {}
    for node, children in edges.items():
        for child in children:
            parents.setdefault(child, []).append(node)
    found = set(targets)
    stack = list(found)
    while stack:
        for parent in parents.get(stack.pop(), ()):
            if parent not in found:
                found.add(parent)
                stack.append(parent)
    return found
