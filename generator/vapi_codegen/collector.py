"""Python's cyclic garbage collector, paused while a document is turned into code."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off, then restore it as it was.

    Loading, building and rendering make millions of objects that live until the end and almost no
    cyclic garbage, so every collection scans them for nothing: on Microsoft Graph (20 MB) the
    collector took ~45% of the run, and turning it off changed the peak memory by less than 1%.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
