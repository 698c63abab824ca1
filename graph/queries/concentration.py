"""Who is most depended upon, most concentrated, most exposed, at a date."""

from __future__ import annotations

import datetime as dt
import functools

from graph.analysis.concentration import SORT_KEYS, concentration_rows
from graph.lookup import name_of
from graph.snapshot import Snapshot
from schemas.queries import ConcentrationQuery, resolve_as_of
from schemas.results import ConcentrationReport


def concentration(
    snapshot: Snapshot, query: ConcentrationQuery, *, today: dt.date
) -> ConcentrationReport:
    as_of = resolve_as_of(query.as_of, today)
    rows = concentration_rows(
        snapshot.exposure_matrix(as_of, query.basis),
        functools.partial(name_of, snapshot),
    )
    rows.sort(key=SORT_KEYS[query.sort])
    return ConcentrationReport(
        as_of=as_of, basis=query.basis, sort=query.sort.value, rows=rows[: query.limit]
    )
