"""`import aifg` over a real store of each kind and over YAML without a store, against the
toy web's exposures worked out by hand (tests/data/toy.yaml, as in tests/graph/
test_exposure.py): who stands to lose if labco fails, on 2026-01-29, is cloudco (its
$250B contract), chipco (its "up to" $100B letter, paused on 2026-01-30) and neoco ($10B a
year for 2 years): $370B in all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from pydantic import ValidationError

import aifg
from graph.settings import Settings
from schemas.results import CycleReport, ExposureReport
from tests.helpers import DATA
from tests.stores import STORE_KINDS, clear_neo4j, neo4j_settings

DAY = dt.date(2026, 1, 29)
IN = "in"


@pytest.fixture(params=STORE_KINDS)
def opened(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[aifg.Graph]:
    """aifg.open() on a store seeded with the toy web, as `aifg serve` would seed it."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "toy.yaml").write_bytes((DATA / "toy.yaml").read_bytes())
    if request.param == "embedded":
        settings = Settings(data_dir=tmp_path / "data", seed_dir=seeds, _env_file=None)
    else:
        settings = neo4j_settings(seed_dir=seeds, seed_on_start=True)
        clear_neo4j()
    with aifg.open(settings=settings, today=DAY) as web:
        yield web


def test_exposure_from_a_store_by_hand(opened: aifg.Graph) -> None:
    report = opened.exposure("labco", direction=IN)
    assert isinstance(report, ExposureReport)
    assert report.as_of == DAY  # the Graph's today
    assert report.total_usd == 370e9
    assert report.ceilings == 1
    frame = report.to_pandas()
    assert frame["counterparty"].tolist() == ["cloudco", "chipco", "neoco"]
    assert frame["usd"].tolist() == [250e9, 100e9, 20e9]
    assert frame["up_to"].tolist() == [False, True, False]
    assert frame["share"].tolist() == pytest.approx([250 / 370, 100 / 370, 20 / 370])
    after_pause = opened.exposure("labco", direction=IN, as_of="2026-01-31")
    assert [c.id for c in after_pause.counterparties] == ["cloudco", "neoco"]


def test_yaml_folder_without_a_store_answers_the_same() -> None:
    web = aifg.read(DATA / "toy.yaml", today=DAY)
    assert web.exposure("labco", direction=IN).total_usd == 370e9
    page = web.commitments(entity="chipco")
    assert page.total == 3  # `entity` is either party: chipco pays two, receives one
    frame = page.to_pandas()
    assert sorted(frame["id"]) == ["chipco-labco-loi", "chipco-neoco-stake", "neoco-chipco-gpus"]
    # Every amount of the toy web is disclosed: low and high fall back to the point value.
    loi = frame.set_index("id").loc["chipco-labco-loi"]
    assert (loi["usd"], loi["usd_low"], loi["usd_high"]) == (100e9, 100e9, 100e9)


def test_undisclosed_amount_is_na_not_zero() -> None:
    web = aifg.read(Path("seeds"), today=dt.date(2026, 1, 29))
    frame = web.exposure("oracle").to_pandas().set_index("counterparty")
    # Oracle's commitment to Stargate has no disclosed figure (seeds/commitments/openai.yaml).
    assert pd.isna(frame.loc["stargate", "usd"])
    assert frame.loc["stargate", "undisclosed"] == 1
    assert str(frame["usd"].dtype) == "Float64"


def test_cycles_stress_timeline_and_network_on_the_toy_web() -> None:
    web = aifg.read(DATA / "toy.yaml", today=DAY)
    cycles = web.cycles()
    assert isinstance(cycles, CycleReport)
    # chipco -> labco -> neoco -> chipco is the toy's money loop: money flows chipco to
    # labco ($100B), labco to neoco ($20B over two years), neoco to chipco ($30B).
    loops = cycles.to_pandas()["loop"].tolist()
    assert "chipco -> labco -> neoco -> chipco" in loops
    timeline = web.timeline(since="2026-01-01").to_pandas()
    assert timeline["commitment"].tolist() == ["chipco-labco-loi"]
    assert timeline["new_status"].tolist() == ["paused"]
    graph = web.network()
    assert graph.number_of_nodes() == 4
    assert set(graph["chipco"]["labco"]) == {"chipco-labco-loi"}
    assert graph.edges["chipco", "labco", "chipco-labco-loi"]["usd"] == 100e9
    stress = web.stress(shocks=[{"entity": "labco", "severity": 1}])
    assert "chipco" in stress.to_pandas()["id"].tolist()


def test_a_bad_parameter_names_itself() -> None:
    web = aifg.read(DATA / "toy.yaml", today=DAY)
    with pytest.raises(ValidationError, match="depth"):
        web.exposure("labco", depth=99)
    with pytest.raises(ValidationError, match=r"as-of|extra"):
        web.cycles(**{"as-of": "2026-01-01"})
