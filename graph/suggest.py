"""Close ids for "did you mean" hints: one home for the rule, used by the validator (unknown
references in files) and by lookups (an unknown id in a request)."""

from __future__ import annotations

import bisect
import difflib
import threading
from collections import OrderedDict
from collections.abc import Collection

NEIGHBOURS = 16
"""Candidates compared per wanted id, on each side of it, in each of two orders."""
MAX_WANTED_CHARS = 200  # difflib is quadratic in the length: no hint for a longer id
KNOWN_ANSWERS = 4096  # answers kept per pool, least recently asked dropped first


class Suggester:
    """Close ids for "did you mean" hints, at the cost of a lookup each.

    Comparing a wanted id with every candidate (difflib over the pool) took seconds for
    a thousand unknown references into a large store. Here the pool is sorted once, by
    its ids and by its ids reversed; only the NEIGHBOURS ids on either side of the wanted
    id in each order (those sharing its longest beginning or ending) are compared, and
    each answer is kept. A typo leaves either the start or the end of an id intact, so
    the id meant is among those neighbours unless many ids share that part of it.
    """

    def __init__(self, candidates: Collection[str]) -> None:
        self._candidates = candidates
        self._forward: list[str] | None = None
        self._backward: list[str] = []
        self._known: OrderedDict[tuple[str, int], list[str]] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, wanted: str, n: int = 3) -> list[str]:
        key = (wanted, n)
        with self._lock:
            found = self._known.get(key)
            if found is not None:
                self._known.move_to_end(key)
                return found
            if self._forward is None:
                self._forward = sorted(set(self._candidates))
                self._backward = sorted(c[::-1] for c in self._forward)
        found = self._suggest(wanted, n)
        with self._lock:
            self._known[key] = found
            while len(self._known) > KNOWN_ANSWERS:  # a stream of unknown ids stays bounded
                self._known.popitem(last=False)
        return found

    def neighbours(self, wanted: str) -> list[str]:
        """The candidates compared with `wanted`: at most 4 x NEIGHBOURS, whatever the
        size of the pool (the bound that makes a hint cost a lookup)."""
        if self._forward is None:
            self(wanted)
        assert self._forward is not None
        near = set(_around(self._forward, wanted))
        near.update(c[::-1] for c in _around(self._backward, wanted[::-1]))
        return sorted(near)

    def _suggest(self, wanted: str, n: int) -> list[str]:
        if len(wanted) > MAX_WANTED_CHARS or self._forward is None:
            return []
        return difflib.get_close_matches(wanted, self.neighbours(wanted), n=n, cutoff=0.6)


def _around(ordered: list[str], wanted: str) -> list[str]:
    at = bisect.bisect_left(ordered, wanted)
    return ordered[max(0, at - NEIGHBOURS) : at + NEIGHBOURS]


def suggest(wanted: str, candidates: Collection[str], n: int = 3) -> list[str]:
    """Close ids for a "did you mean" hint. Sorts the pool: to ask many times of one
    pool, keep a `Suggester` of it instead (a snapshot keeps one per kind of record)."""
    return Suggester(candidates)(wanted, n)


def did_you_mean(hints: list[str]) -> str:
    """ "; did you mean a or b?" to end a message, or nothing without hints."""
    return f"; did you mean {' or '.join(repr(h) for h in hints)}?" if hints else ""
