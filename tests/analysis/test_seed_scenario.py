"""The source article's domino on the real seed data: OpenAI fails; who falls next?

The seeds are loaded the way a user's first start loads them (a real SQLite store seeded
from seeds/), and POST /analysis/stress's function runs on its snapshot. Every expected
number below is worked out by hand from the seed figures, each written out with where it
comes from; the test first checks that the seeds still hold that figure.

DebtRank (Battiston et al. 2012): W[i, openai] = min(1, X[i, openai] / buffer_i), where X
is what i stands to lose if OpenAI fails (receivables from OpenAI plus stakes in it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from graph.imports import open_source
from graph.queries import run_stress
from graph.settings import Settings
from graph.snapshot import Snapshot
from schemas import FinancialMetric
from schemas.stress import EntityStress, StressReport, StressRequest
from tests.helpers import SEEDS

BEFORE_PAUSE = dt.date(2026, 1, 29)  # Nvidia's up-to-$100B letter of intent counts
AFTER_PAUSE = dt.date(2026, 1, 31)  # paused on 2026-01-30 (WSJ): it no longer counts
B = 1e9
FIVE = {"oracle", "coreweave", "microsoft", "amd", "nvidia"}  # the article's dominoes

# Buffers: book equity from the seed financials (entities/core.yaml), USD.
ORACLE_EQUITY = 24.666e9  # 2025-08-31, Q1 FY2026 Form 10-Q (Reportify summary)
AMD_EQUITY = 57.568e9  # 2024-12-28, FY2024 Form 10-K (StockSift)
MICROSOFT_EQUITY = 390.875e9  # 2025-12-31, Form 10-Q (StockAnalysis copy)
NVIDIA_EQUITY = 157.29e9  # 2026-01-25, FY2026 Form 10-K (WallStreetNumbers copy)
AMD_MARKET_CAP = 330.6e9  # 2025-10-06 close (MobileAppDaily)

# What each loses if OpenAI fails (commitments/openai.yaml), USD.
ORACLE_X = 300e9  # openai-oracle-oci-2025: "about $300 billion over about five years"
AMD_X = 100e9  # openai-amd-2025: Bank of America's "more than $100 billion" (an estimate)
MICROSOFT_X = 250e9 + 13e9 + 1e9  # Azure 2025, the 2019 investment, the 2024 round
NVIDIA_LOI = 100e9  # nvidia-openai-loi-2025: "up to $100 billion", paused 2026-01-30
NVIDIA_STAKE = 0.1e9  # nvidia-openai-2024: "about $100 million" in the 2024 round
# Nvidia's stakes in CoreWeave that count on 2026-01-29: the $6.3B capacity backstop, the
# $2B of January 2026, $250M at the IPO and the 2023 $100M.
NVIDIA_IN_COREWEAVE = (6.3 + 2 + 0.25 + 0.1) * B
# CoreWeave has no equity figure ("Book equity not found"), so its buffer is its total
# exposure (MISSING_BUFFER_RULE): OpenAI 11.9 + 4 + 6.5, Meta 14.2, Microsoft 10, Nvidia 1.3.
COREWEAVE_FROM_OPENAI = (11.9 + 4 + 6.5) * B
COREWEAVE_BUFFER = COREWEAVE_FROM_OPENAI + 14.2 * B + 10 * B + 1.3 * B


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Snapshot]:
    data_dir: Path = tmp_path_factory.mktemp("seeded") / "data"
    settings = Settings(data_dir=data_dir, seed_dir=SEEDS, seed_on_start=True, _env_file=None)
    source = open_source(settings)  # a first start: the seeds go into a real SQLite file
    try:
        yield source.current()
    finally:
        source.close()


def domino(
    seeds: Snapshot, as_of: dt.date, *, buffer: str = "equity", max_rounds: int = 100
) -> StressReport:
    request = StressRequest.model_validate(
        {
            "shocks": [{"entity": "openai", "severity": 1}],
            "model": "debtrank",
            "as_of": as_of,
            "buffer": buffer,
            "max_rounds": max_rounds,
        }
    )
    return run_stress(seeds, request, today=dt.date(2026, 11, 25))


def by_id(report: StressReport) -> dict[str, EntityStress]:
    return {e.id: e for e in report.entities}


def test_the_seeds_hold_the_figures_used_here(seeds: Snapshot) -> None:
    def equity(entity: str) -> Decimal:
        fact = seeds.entities[entity].latest(FinancialMetric.EQUITY, BEFORE_PAUSE)
        assert fact is not None, entity
        return fact.usd

    assert equity("oracle") == Decimal("24.666e9")
    assert equity("amd") == Decimal("57.568e9")
    assert equity("microsoft") == Decimal("390.875e9")
    assert equity("nvidia") == Decimal("157.29e9")
    assert seeds.entities["coreweave"].latest(FinancialMetric.EQUITY, BEFORE_PAUSE) is None
    amounts = {c.id: c.total_usd() for c in seeds.commitments.values()}
    assert amounts["openai-oracle-oci-2025"] == Decimal("300e9")
    assert amounts["openai-amd-2025"] == Decimal("100e9")
    assert amounts["nvidia-openai-loi-2025"] == Decimal("100e9")
    assert seeds.commitments["nvidia-openai-loi-2025"].counts_at(BEFORE_PAUSE)
    assert not seeds.commitments["nvidia-openai-loi-2025"].counts_at(AFTER_PAUSE)


def test_first_round_hits_oracle_coreweave_microsoft_amd_and_nvidia(seeds: Snapshot) -> None:
    """After one round only OpenAI has passed distress on: h_i = min(1, X[i, openai] / buffer_i)."""
    hit = by_id(domino(seeds, BEFORE_PAUSE, max_rounds=1))
    expected = {
        "oracle": min(1, ORACLE_X / ORACLE_EQUITY),  # 300 / 24.666: wiped out
        "amd": min(1, AMD_X / AMD_EQUITY),  # 100 / 57.568: wiped out
        "microsoft": MICROSOFT_X / MICROSOFT_EQUITY,  # 264 / 390.875 = 0.6754
        "nvidia": (NVIDIA_LOI + NVIDIA_STAKE) / NVIDIA_EQUITY,  # 100.1 / 157.29 = 0.6364
        "coreweave": COREWEAVE_FROM_OPENAI / COREWEAVE_BUFFER,  # 22.4 / 47.9 = 0.4676
    }
    for entity, distress in expected.items():
        assert hit[entity].distress == pytest.approx(distress), entity
        assert hit[entity].round == 1, entity
    assert hit["oracle"].loss_usd == pytest.approx(ORACLE_EQUITY)
    assert hit["amd"].loss_usd == pytest.approx(AMD_EQUITY)
    assert hit["microsoft"].loss_usd == pytest.approx(MICROSOFT_X)
    assert hit["oracle"].defaulted and hit["amd"].defaulted
    assert not hit["microsoft"].defaulted


def test_full_run_ranks_them_and_coreweave_feels_nvidia(seeds: Snapshot) -> None:
    """Oracle, AMD and Microsoft are exposed to nobody else who is hit, so they keep their
    first-round distress. CoreWeave is also a supplier of Microsoft (10B) and Nvidia (1.3B),
    both hit in round 1, so in round 2 it gains 10 x 0.6754 and 1.3 x 0.6364 (of 47.9)."""
    report = domino(seeds, BEFORE_PAUSE)
    hit = by_id(report)
    h_microsoft = MICROSOFT_X / MICROSOFT_EQUITY
    h_nvidia_round_1 = (NVIDIA_LOI + NVIDIA_STAKE) / NVIDIA_EQUITY
    coreweave_loss = COREWEAVE_FROM_OPENAI + 10 * B * h_microsoft + 1.3 * B * h_nvidia_round_1
    assert hit["coreweave"].loss_usd == pytest.approx(coreweave_loss)  # 29.98B
    assert hit["coreweave"].distress == pytest.approx(coreweave_loss / COREWEAVE_BUFFER)
    assert hit["coreweave"].buffer_usd is None and "coreweave" in report.missing_buffers
    assert hit["microsoft"].distress == pytest.approx(h_microsoft)
    assert (hit["oracle"].distress, hit["amd"].distress) == (1.0, 1.0)
    assert set(hit) >= FIVE
    ranked = [e.id for e in report.entities if e.id in FIVE]
    # Nvidia gets at least its first round, Oracle's wiped-out 40B of chips in round 2 and
    # its CoreWeave positions at CoreWeave's first-round distress: 0.6364 + 0.2543 + 0.0257.
    nvidia_at_least = (
        h_nvidia_round_1
        + 40 * B / NVIDIA_EQUITY
        + NVIDIA_IN_COREWEAVE * (COREWEAVE_FROM_OPENAI / COREWEAVE_BUFFER) / NVIDIA_EQUITY
    )
    assert hit["nvidia"].distress >= nvidia_at_least - 1e-9
    # Wiped out first (AMD's larger loss before Oracle's), then Nvidia (>= 0.916),
    # Microsoft 0.675, CoreWeave 0.626.
    assert ranked == ["amd", "oracle", "nvidia", "microsoft", "coreweave"]


def test_pausing_nvidias_letter_of_intent_changes_nvidias_figure(seeds: Snapshot) -> None:
    """Nvidia's only change between the two dates is the paused LOI: the rest of its loss
    (Oracle's 40B of chips, its CoreWeave, Intel and Nscale positions, its 0.1B stake)
    reaches it in later rounds from entities whose distress does not depend on Nvidia's.
    So its loss falls by exactly the LOI's $100B, its distress by 100 / 157.29 = 0.6358
    (Nvidia is not wiped out on either day, so no cap hides part of it)."""
    before = by_id(domino(seeds, BEFORE_PAUSE))["nvidia"]
    after = by_id(domino(seeds, AFTER_PAUSE))["nvidia"]
    assert before.distress < 1 and not before.defaulted
    assert before.loss_usd - after.loss_usd == pytest.approx(NVIDIA_LOI)
    assert before.distress - after.distress == pytest.approx(NVIDIA_LOI / NVIDIA_EQUITY)
    first_round = by_id(domino(seeds, AFTER_PAUSE, max_rounds=1))["nvidia"]
    assert first_round.distress == pytest.approx(NVIDIA_STAKE / NVIDIA_EQUITY)  # 0.1 / 157.29
    # CoreWeave's round-2 gain from Nvidia shrinks with it: 1.3 x 0.1 / 157.29 instead.
    coreweave = by_id(domino(seeds, AFTER_PAUSE))["coreweave"]
    h_microsoft = MICROSOFT_X / MICROSOFT_EQUITY
    expected = COREWEAVE_FROM_OPENAI + 10 * B * h_microsoft + 1.3 * B * NVIDIA_STAKE / NVIDIA_EQUITY
    assert coreweave.loss_usd == pytest.approx(expected)  # 29.15B


def test_with_market_cap_as_buffer_amd_loses_a_third(seeds: Snapshot) -> None:
    """AMD's market capitalisation (330.6B) absorbs the estimated 100B: h = 100 / 330.6."""
    amd = by_id(domino(seeds, BEFORE_PAUSE, buffer="market_cap"))["amd"]
    assert amd.distress == pytest.approx(AMD_X / AMD_MARKET_CAP)
    assert amd.loss_usd == pytest.approx(AMD_X)
    assert amd.buffer_usd == pytest.approx(AMD_MARKET_CAP)
    assert not amd.defaulted
