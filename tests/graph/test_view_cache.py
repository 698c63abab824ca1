"""The views of a snapshot are cached per date and basis, at most AIFG_VIEW_CACHE of them,
least recently used out: a run of questions at distinct dates keeps memory flat (the
issue's attack: 468 dates grew a server from 166 MB to 1.3 GB). bench/ reports the RSS."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from graph import queries
from graph.imports import open_source
from graph.settings import Settings
from schemas.queries import ExposureQuery
from tests.api.support import TOY_YAML

FIRST = dt.date(2025, 1, 1)


def test_questions_at_many_dates_keep_at_most_the_setting_of_views(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "toy.yaml").write_bytes(TOY_YAML)
    settings = Settings(
        data_dir=tmp_path / "data", seed_dir=tmp_path / "seeds", view_cache=6, _env_file=None
    )
    source = open_source(settings)
    try:
        snapshot = source.current()
        for day in range(200):
            as_of = FIRST + dt.timedelta(days=day)
            queries.exposure(snapshot, "labco", ExposureQuery(depth=2, as_of=as_of), today=as_of)
            assert len(snapshot.views) <= 6
        assert len(snapshot.views) == 6
        # The latest date's views are kept: asking again reuses them, not a new build.
        last = FIRST + dt.timedelta(days=199)
        assert snapshot.exposure(last, ExposureQuery().basis) is snapshot.exposure(
            last, ExposureQuery().basis
        )
        kept = snapshot.exposure(last, ExposureQuery().basis)
        # The first date's were dropped: asking again builds them anew (an equal copy).
        first = snapshot.exposure(FIRST, ExposureQuery().basis)
        assert len(snapshot.views) == 6
        assert first == snapshot.exposure(FIRST, ExposureQuery().basis)
        assert kept is snapshot.exposure(last, ExposureQuery().basis)
    finally:
        source.close()
