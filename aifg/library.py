"""`aifg.Graph`: the questions the API answers, asked from Python over one snapshot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self

import networkx as nx

from aifg.answers import Commitments, Concentration, Cycles, Exposure, Stress, Timeline
from graph import queries
from graph.formats.network import export_graph
from graph.imports import open_source, validate_paths
from graph.settings import Settings, get_settings
from graph.snapshot import Snapshot, SnapshotSource, snapshot_of
from graph.validate import merge
from schemas.queries import (
    CommitmentQuery,
    ConcentrationQuery,
    CycleQuery,
    ExposureQuery,
    TimelineQuery,
    resolve_as_of,
)
from schemas.stress import StressRequest


class Graph:
    """The data at one data version, and the API's questions as methods.

    Each method takes the API's query parameters as keyword arguments (the same names,
    defaults and bounds: `as_of`, `basis`, `depth`, ...; a bad one raises pydantic's
    ValidationError naming it) and returns the API's answer, with `.to_pandas()`. Dates
    default to `today` (the date the Graph was opened, unless given), so answers do not
    change under a notebook that stays open past midnight.

    A Graph opened on a store holds it open: use it in a `with` block or call close().
    """

    def __init__(
        self,
        snapshot: Snapshot,
        *,
        source: SnapshotSource | None = None,
        today: dt.date | None = None,
    ) -> None:
        self.snapshot = snapshot
        self.today = today or dt.date.today()
        self._source = source

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._source is not None:
            self._source.close()
            self._source = None

    def __repr__(self) -> str:
        s = self.snapshot
        return (
            f"<aifg.Graph: {len(s.entities)} entities, {len(s.commitments)} commitments, "
            f"{len(s.events)} events; today={self.today}>"
        )

    def commitments(self, **query: Any) -> Commitments:
        """GET /commitments: `entity`, `counterparty`, `kind`, `status`, `binding`,
        `min_usd`, `as_of`, `limit` (default 50, at most 1000), `offset`."""
        page = queries.list_commitments(self.snapshot, CommitmentQuery(**query))
        return Commitments.of(page)

    def exposure(self, entity: str, **query: Any) -> Exposure:
        """GET /entities/{entity}/exposure: `direction` (out: what `entity` stands to lose;
        in: who stands to lose if it fails), `as_of`, `basis`, `depth`, `min_usd`, `limit`
        (each list's rows, default 50, at most 1000), `offset`."""
        report = queries.exposure(self.snapshot, entity, ExposureQuery(**query), today=self.today)
        return Exposure.of(report)

    def cycles(self, **query: Any) -> Cycles:
        """GET /analysis/cycles: `entity`, `max_length`, `as_of`, `basis`, `limit`."""
        return Cycles.of(queries.cycles(self.snapshot, CycleQuery(**query), today=self.today))

    def concentration(self, **query: Any) -> Concentration:
        """GET /analysis/concentration: `as_of`, `basis`, `sort`, `limit`."""
        report = queries.concentration(self.snapshot, ConcentrationQuery(**query), today=self.today)
        return Concentration.of(report)

    def stress(self, **request: Any) -> Stress:
        """POST /analysis/stress: `shocks=[{"entity": "openai", "severity": 1}]` or
        `cuts=[{"commitment": ...}]` with `model="pull_back"`, and `model`, `as_of`,
        `basis`, `buffer`, ... as in the API's body."""
        report = queries.run_stress(
            self.snapshot, StressRequest.model_validate(request), today=self.today
        )
        return Stress.of(report)

    def timeline(self, **query: Any) -> Timeline:
        """GET /timeline: `since`, `until`, `entity`."""
        return Timeline(queries.timeline(self.snapshot, TimelineQuery(**query)))

    def network(
        self, as_of: dt.date | str | None = None, *, live_only: bool = False
    ) -> nx.MultiDiGraph[str]:
        """The graph at `as_of` as networkx: a node per entity, an edge per commitment
        announced by then (keyed by its id), with the attributes of the JSON export
        (`usd` None when undisclosed, `counts`, `counted_usd`, `status` then, ...);
        `live_only` keeps only the commitments that count at `as_of`."""
        day = resolve_as_of(
            dt.date.fromisoformat(as_of) if isinstance(as_of, str) else as_of, self.today
        )
        return export_graph(self.snapshot, as_of=day, live_only=live_only)


def open(  # `aifg.open()`: the package's entry point, shadowing the builtin on purpose
    *,
    store: Literal["embedded", "neo4j"] | None = None,
    data_dir: Path | str | None = None,
    settings: Settings | None = None,
    today: dt.date | None = None,
) -> Graph:
    """The store the settings name (AIFG_STORE, AIFG_DATA_DIR, NEO4J_URI, ...), as `aifg
    serve` opens it: the embedded store by default, seeded on first use; `store="neo4j"`
    for the Neo4j at NEO4J_URI. `data_dir` points the embedded store elsewhere."""
    chosen = settings or get_settings()
    overrides: dict[str, Any] = {}
    if store is not None:
        overrides["store"] = store
    if data_dir is not None:
        overrides["data_dir"] = Path(data_dir)
    if overrides:
        chosen = chosen.model_copy(update=overrides)
    source = open_source(chosen)
    try:
        return Graph(source.current(), source=source, today=today)
    except BaseException:
        source.close()
        raise


def read(
    paths: Path | str | Sequence[Path | str],
    *,
    today: dt.date | None = None,
    max_file_mb: int | None = None,
) -> Graph:
    """YAML files or folders (e.g. the repository's seeds/), read and validated as
    `aifg validate` reads them, without any store. A bad file raises graph.errors.DataError
    with every problem's file, line and field."""
    listed = [paths] if isinstance(paths, Path | str) else list(paths)
    limit = max_file_mb or get_settings().max_file_mb
    files = validate_paths([Path(p) for p in listed], max_bytes=limit * 1024 * 1024)
    dataset = merge(files)
    return Graph(snapshot_of(dataset.entities, dataset.commitments, dataset.events), today=today)
