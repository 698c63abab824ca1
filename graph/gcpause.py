"""Pause Python's cyclic garbage collector while a bulk step allocates millions of objects.

Parsing a dataset, validating it and building a snapshot create objects that all stay
alive, so every collection the allocations trigger walks a growing heap and frees
nothing: on 100k commitments the collector took about four fifths of the YAML parse.
Reference counting still frees everything as usual while paused; the collector runs
again afterwards, as before. Nested or concurrent pauses are harmless: only the
outermost one that found the collector enabled enables it again.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["keep_out_of_collections", "paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the block with the cyclic collector off (if it was on), and turn it back on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def keep_out_of_collections() -> None:
    """Move every object alive now out of the collector's sight (gc.freeze).

    For a process that has just built a snapshot it will hold for a long time: the
    collector's full passes would otherwise walk those millions of objects again and
    again (at 100k commitments a pass took over a second: a request that triggered one
    waited that long). Frozen objects are still freed by reference counting when the
    snapshot is replaced; only reference cycles alive at this moment stay for good.
    """
    gc.freeze()
