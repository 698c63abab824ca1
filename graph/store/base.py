"""The Store protocol: what the API and CLI need from a backend."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from graph.build import Snapshot
from schemas.dataset import Dataset
from schemas.enums import Direction, ValueBasis
from schemas.results import CycleReport, ExposureReport, ImportSummary, TimelineEntry


class Store(Protocol):
    """A place the graph lives. Imports are atomic and idempotent; reads see whole imports."""

    kind: str

    def snapshot(self) -> Snapshot:
        """The current data in memory, for whole-network analysis and listings."""
        ...

    def import_dataset(
        self, dataset: Dataset, *, files: list[str], dry_run: bool = False
    ) -> ImportSummary:
        """Add or update every record of `dataset` (validated against the store) or none."""
        ...

    def exposure(
        self,
        entity: str,
        *,
        as_of: dt.date,
        direction: Direction,
        basis: ValueBasis,
        depth: int,
        min_usd: float = 0.0,
        limit: int | None = None,
    ) -> ExposureReport: ...

    def cycles(
        self,
        *,
        as_of: dt.date,
        basis: ValueBasis,
        max_length: int,
        entity: str | None,
        limit: int,
    ) -> CycleReport: ...

    def timeline(
        self, *, since: dt.date | None, until: dt.date | None, entity: str | None
    ) -> list[TimelineEntry]: ...

    def close(self) -> None: ...
