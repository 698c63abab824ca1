"""The data in memory: a snapshot of the store's records, its derived views, and the
source that keeps it in step with the store.

Every question is answered from a `Snapshot`, never from a store. `SnapshotSource.current()`
asks the store for its data version before each answer (a row read in SQLite, one query
in Neo4j) and reloads when another process or connection changed the data, so a server
sees an `aifg import` made in a terminal on its next request.

This module is also the one home of the memory and collector policy that a large
snapshot needs, which nothing else repeats:

- records are compacted as they are loaded (graph.compact), so a million commitments
  fit in the RSS budget of the README's benchmarks;
- bulk work (parsing, validating, loading, building a view) runs with Python's cyclic
  collector paused: those steps allocate millions of objects that all stay alive, so
  collections during them free nothing and cost most of the time;
- a loaded snapshot's records are moved out of the collector's sight (gc.freeze), so
  its full passes do not walk them again and again; when a snapshot is replaced, the
  frozen objects are handed back and collected once (gc.unfreeze, gc.collect) before
  the new one is frozen, so nothing of the old snapshot outlives it, not even the
  reference cycles a networkx view forms once it is used.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal, TypeVar

import networkx as nx

from graph import views as derived
from graph.compact import compact_records
from graph.counting import Counted
from graph.counting_table import CountingTable
from graph.store.base import ImportResult, RecordRef, Store, WithdrawalWrite
from graph.suggest import Suggester
from schemas.changes import Withdrawal
from schemas.commitments import Commitment
from schemas.dataset import Dataset
from schemas.entities import Entity
from schemas.enums import ValueBasis
from schemas.events import Event
from schemas.results import ImportSummary

T = TypeVar("T")
DEFAULT_VIEW_CACHE = 32

_pause_lock = threading.Lock()
_pauses = 0
_enable_after = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off; it comes back on when the last of
    any overlapping blocks (other threads included) ends, if it was on before the first.
    Reference counting still frees everything as usual meanwhile."""
    global _pauses, _enable_after
    with _pause_lock:
        if _pauses == 0:
            _enable_after = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _enable_after:
                gc.enable()


class Views:
    """Derived data of one snapshot per (view, date, basis), built once on first use and
    kept for the `capacity` most recently used keys (a date slider visits many dates)."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._cache: OrderedDict[tuple[str, dt.date, ValueBasis], object] = OrderedDict()
        self._lock = threading.Lock()
        # Whether a view that forms reference cycles (a networkx graph, once used) was
        # built: only then does dropping this snapshot leave garbage to collect.
        self.formed_cycles = False

    def __len__(self) -> int:
        """How many views are kept now (never more than `capacity`)."""
        return len(self._cache)

    def get(self, key: tuple[str, dt.date, ValueBasis], build: Callable[[], T]) -> T:
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]  # type: ignore[return-value]
        # Built outside the lock: another thread may build the same view meanwhile, and
        # both results are equal; the cache keeps one.
        with collector_paused():
            value = build()
        with self._lock:
            self.formed_cycles |= isinstance(value, nx.Graph)
            self._cache[key] = value
            self._cache.move_to_end(key)
            while len(self._cache) > self.capacity:
                self._cache.popitem(last=False)
        return value


RecordKind = Literal["entity", "commitment"]
"""The kinds of record a "did you mean" is offered for."""


@dataclass(frozen=True, eq=False)
class Snapshot:
    """One consistent view of the data at one data `version`; readers hold it while the
    source swaps in the next. Records are in id order."""

    entities: Mapping[str, Entity]
    commitments: Mapping[str, Commitment]
    events: Mapping[str, Event]
    version: str = ""
    views: Views = field(default_factory=lambda: Views(DEFAULT_VIEW_CACHE), repr=False)
    withdrawn: Mapping[RecordRef, Withdrawal] = field(default_factory=dict, repr=False)
    """Records taken out of the data, by (kind, id): no answer counts them."""
    _suggesters: dict[str, Suggester] = field(default_factory=dict, repr=False)

    def close_ids(self, kind: RecordKind, wanted: str) -> list[str]:
        """Ids of `kind` close to `wanted`, for a "did you mean": the pool is sorted once
        per snapshot, so each answer costs a lookup even at a million ids."""
        suggester = self._suggesters.get(kind)
        if suggester is None:  # two threads may both build one; either is right
            pools = {"entity": self.entities, "commitment": self.commitments}
            suggester = self._suggesters[kind] = Suggester(pools[kind].keys())
        return suggester(wanted)

    @functools.cached_property
    def counting(self) -> CountingTable:
        """The commitments as arrays for counting at any date (graph.counting_table),
        built once per snapshot, on first use."""
        with collector_paused():
            return CountingTable(self.commitments.values(), self.entities)

    def exposure_matrix(self, as_of: dt.date, basis: ValueBasis) -> derived.ExposureMatrix:
        """E at `as_of` as arrays, both ways (graph.views.ExposureMatrix)."""
        return self.views.get(
            ("exposure", as_of, basis), lambda: derived.exposure(self.counting, as_of, basis)
        )

    def exposure(self, as_of: dt.date, basis: ValueBasis) -> derived.Adjacency:
        """E[a][b] for every pair with something at stake at `as_of`."""
        return self.exposure_matrix(as_of, basis).outgoing

    def exposure_in(self, as_of: dt.date, basis: ValueBasis) -> derived.Adjacency:
        """E reversed: in[b][a] = E[a][b], who is exposed to b."""
        return self.exposure_matrix(as_of, basis).incoming

    def adjustments(self, as_of: dt.date, basis: ValueBasis) -> Mapping[str, Counted]:
        """The commitments that count at less than their own amount at `as_of`, and why."""
        return self.views.get(
            ("adjustments", as_of, basis),
            lambda: derived.adjustments(self.exposure_matrix(as_of, basis)),
        )

    def money_flow(self, as_of: dt.date, basis: ValueBasis) -> nx.DiGraph[str]:
        return self.views.get(
            ("money_flow", as_of, basis),
            lambda: derived.money_flow(self.exposure_matrix(as_of, basis)),
        )

    def network(self, as_of: dt.date, basis: ValueBasis) -> derived.Network:
        return self.views.get(
            ("network", as_of, basis),
            lambda: derived.network(self.entities, self.exposure_matrix(as_of, basis), basis),
        )


def snapshot_of(
    entities: Iterable[Entity],
    commitments: Iterable[Commitment],
    events: Iterable[Event] = (),
    *,
    version: str = "",
    view_cache: int = DEFAULT_VIEW_CACHE,
    withdrawn: Iterable[Withdrawal] = (),
) -> Snapshot:
    """A snapshot of these records (any order; kept in id order), e.g. of files not
    imported anywhere, as `aifg validate` and the seed tests read them."""
    return Snapshot(
        {e.id: e for e in sorted(entities, key=_by_id)},
        {c.id: c for c in sorted(commitments, key=_by_id)},
        {e.id: e for e in sorted(events, key=_by_id)},
        version,
        Views(view_cache),
        {(w.kind, w.id): w for w in withdrawn},
    )


def _by_id(record: Entity | Commitment | Event) -> str:
    return record.id


class SnapshotSource:
    """The current snapshot of a store, reloaded when the store's data version changes;
    imports go through it, so the importing process updates its snapshot in place."""

    def __init__(self, store: Store, *, view_cache: int = DEFAULT_VIEW_CACHE) -> None:
        self.store = store
        self.view_cache = view_cache
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()

    @property
    def kind(self) -> str:
        return self.store.kind

    def current(self) -> Snapshot:
        """The snapshot at the store's version now (reloaded first if it changed)."""
        version = self.store.version()
        snapshot = self._snapshot
        if snapshot is not None and snapshot.version == version:
            return snapshot
        with self._lock:
            snapshot = self._snapshot
            if snapshot is None or snapshot.version != self.store.version():
                self._retire()
                snapshot = self._load()
                self._settle(snapshot)
            return snapshot

    def import_dataset(
        self, dataset: Dataset, *, files: list[str], dry_run: bool = False, flag: str | None = None
    ) -> ImportSummary:
        """Import through the store (all or nothing), then follow: in place when the
        import was planned against this snapshot's version, else by a reload."""
        with collector_paused():
            result = self.store.import_dataset(dataset, files=files, dry_run=dry_run, flag=flag)
        if result.version != result.base_version:
            with self._lock:
                current = self._snapshot
                if current is not None and current.version == result.base_version:
                    with collector_paused():
                        updated = self._updated(current, result)
                    del current
                    self._retire()
                    self._settle(updated)
                else:
                    self._retire()
        return result.summary

    def close(self) -> None:
        with self._lock:
            self._retire()
        self.store.close()

    def _load(self) -> Snapshot:
        with collector_paused(), self.store.read() as data:
            return snapshot_of(
                compact_records(data.entities),
                compact_records(data.commitments),
                compact_records(data.events),
                version=data.version,
                view_cache=self.view_cache,
                withdrawn=data.withdrawn,
            )

    def _updated(self, base: Snapshot, result: ImportResult) -> Snapshot:
        entities = dict(base.entities)
        entities.update((e.id, e) for e in compact_records(result.entities))
        commitments = dict(base.commitments)
        commitments.update((c.id, c) for c in compact_records(result.commitments))
        events = dict(base.events)
        events.update((e.id, e) for e in compact_records(result.events))
        return snapshot_of(
            entities.values(),
            commitments.values(),
            events.values(),
            version=result.version,
            view_cache=self.view_cache,
            withdrawn=base.withdrawn.values(),
        )

    def followed(self, write: Callable[[Store], WithdrawalWrite]) -> WithdrawalWrite:
        """A write other than an import (a withdrawal, a restore) through the store; the
        snapshot is reloaded on the next question, as these writes are rare and small."""
        with collector_paused():
            result = write(self.store)
        with self._lock:
            self._retire()
        return result

    def _retire(self) -> None:
        """Drop the current snapshot and collect what only it held, frozen or not.

        Its records and most views hold no reference cycles, so reference counting frees
        them at once, frozen or not; a full collection (which walks every object of the
        process) runs only when a view that forms cycles was built."""
        old, self._snapshot = self._snapshot, None
        if old is not None and old.views.formed_cycles:
            del old
            gc.unfreeze()
            gc.collect()

    def _settle(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        gc.freeze()
