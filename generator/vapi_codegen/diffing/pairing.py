"""Pairing things across versions in passes of keys: the one matching rule for union variants and classes.

Each pass computes a key for every thing not paired yet, on each side (None: no key), and pairs the
things whose key is found exactly once on each side: a pass pairs only what it tells apart. What is
left after the last pass was removed (old side) or added (new side).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

T = TypeVar("T")
KeyOf = Callable[[T], Hashable]


def pair_in_passes(old: Sequence[T], new: Sequence[T], passes: Sequence[tuple[KeyOf[T], KeyOf[T]]]) -> tuple[list[tuple[T, T]], list[T], list[T]]:
    """(pairs, unpaired old, unpaired new), each list in the order given."""
    pairs: list[tuple[T, T]] = []
    left, right = list(old), list(new)
    for old_key, new_key in passes:
        if not left or not right:
            break
        olds, news = _once(left, old_key), _once(right, new_key)
        found = [(thing, news[key]) for key, thing in olds.items() if key in news]
        pairs += found
        paired_old, paired_new = {id(o) for o, _ in found}, {id(n) for _, n in found}
        left = [thing for thing in left if id(thing) not in paired_old]
        right = [thing for thing in right if id(thing) not in paired_new]
    return pairs, left, right


def _once(things: list[T], key_of: KeyOf[T]) -> dict[Hashable, T]:
    """key -> thing, for the keys exactly one thing has."""
    counted: dict[Hashable, list[T]] = {}
    for thing in things:
        key = key_of(thing)
        if key is not None:
            counted.setdefault(key, []).append(thing)
    return {key: found[0] for key, found in counted.items() if len(found) == 1}
