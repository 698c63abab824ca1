"""`aifg exposure` as a subprocess on a real store seeded from seeds/: the foundation
issue's checks, as a user types them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import run_cli


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("exposure-cli") / "data"


def rows(output: str) -> list[list[str]]:
    """The table's rows (after the header and its rule), split on runs of spaces."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("---")) + 1
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return [line.split() for line in lines[start:end] if not line.startswith("(")]


def test_oracle_is_exposed_to_openai_first(data_dir: Path) -> None:
    result = run_cli("exposure", "oracle", "--as-of", "2026-01-29", data_dir=data_dir, seed=True)
    assert result.returncode == 0, result.stderr
    # $300B over about five years: $60B a year; all of Oracle's exposure; over five times
    # Oracle's FY2025 revenue ($57.4B).
    assert rows(result.stdout)[0][:5] == ["openai", "$300.00B", "$60.00B", "100.0%", "523%"]


def test_nvidias_plan_counts_until_the_pause(data_dir: Path) -> None:
    def nvidia(day: str) -> float:
        result = run_cli(
            "exposure", "openai", "--direction", "in", "--as-of", day, "--json",
            data_dir=data_dir, seed=True,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        return next(r["usd"] for r in report["counterparties"] if r["id"] == "nvidia")

    # The up-to-$100B letter of intent counts on 2026-01-29 and is paused on 2026-01-30.
    assert nvidia("2026-01-29") - nvidia("2026-01-31") == 100e9


def test_limit_lists_the_largest_and_says_how_many_there_are(data_dir: Path) -> None:
    result = run_cli(
        "exposure", "openai", "--direction", "in", "--as-of", "2026-01-29", "--limit", "2",
        data_dir=data_dir, seed=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    listed = rows(result.stdout)
    assert [r[0] for r in listed] == ["oracle", "microsoft"]
    everyone = run_cli(
        "exposure", "openai", "--direction", "in", "--as-of", "2026-01-29", "--json",
        data_dir=data_dir, seed=True,
    )  # fmt: skip
    count = json.loads(everyone.stdout)["counterparty_count"]
    assert count > 2 and f"(the largest 2 of {count}; --limit, --offset for more)" in result.stdout
    second = run_cli(
        "exposure", "openai", "--direction", "in", "--as-of", "2026-01-29", "--limit", "2",
        "--offset", "2", data_dir=data_dir, seed=True,
    )  # fmt: skip
    assert f"(rows 3-4 of {count}, largest first; --limit, --offset)" in second.stdout
    assert [r[0] for r in rows(second.stdout)] == [
        c["id"] for c in json.loads(everyone.stdout)["counterparties"][2:4]
    ]


def test_a_year_says_how_many_commitments_it_covers(data_dir: Path) -> None:
    # Of OpenAI's three CoreWeave contracts only the first, $11.9B over five years, has a
    # term: $2.38B a year of 1 of 3, not a year's worth of all three.
    result = run_cli(
        "exposure", "coreweave", "--as-of", "2026-01-29", "--items", "1",
        data_dir=data_dir, seed=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stdout.splitlines() if line.startswith("openai ")]
    assert "$2.38B (1 of 3)" in line
    # One of the three listed (--items 1), the largest ($11.9B); the others counted only.
    assert line.rstrip().endswith("openai-coreweave-2025-03 and 2 more (--items)")
    # An equity stake has no term: Nvidia's $5B in Intel has no year's worth, not known.
    result = run_cli("exposure", "nvidia", "--as-of", "2026-01-29", data_dir=data_dir, seed=True)
    assert result.returncode == 0, result.stderr
    [intel] = [line.split() for line in result.stdout.splitlines() if line.startswith("intel ")]
    assert intel[1:4] == ["$5.00B", "n/k", "3.0%"]
    # Nvidia's stake in Crusoe has no figure: its share of the total and of revenue are
    # not known, never blank.
    [crusoe] = [line for line in result.stdout.splitlines() if line.startswith("crusoe ")]
    assert crusoe.split()[1:7] == ["n/d", "(1", "undisclosed)", "n/k", "n/k", "n/k"]


def test_a_concentration_without_figures_is_not_known(data_dir: Path) -> None:
    """Vantage's one counterparty has no disclosed figure: its largest share and HHI are
    not known (n/k). Anthropic stands to lose nothing from anyone: nothing to measure."""
    args = ["concentration", "--as-of", "2026-01-29", "--limit", "1000"]
    result = run_cli(*args, data_dir=data_dir, seed=True)
    assert result.returncode == 0, result.stderr
    by_id = {row[0]: row for row in rows(result.stdout)}
    report = json.loads(run_cli(*args, "--json", data_dir=data_dir, seed=True).stdout)
    vantage = next(r for r in report["rows"] if r["id"] == "vantage-data-centers")
    assert vantage["counterparties"] == 1 and vantage["hhi"] is None
    assert by_id["vantage-data-centers"][-2:] == ["n/k", "n/k"]
    anthropic = next(r for r in report["rows"] if r["id"] == "anthropic")
    assert anthropic["counterparties"] == 0
    assert "n/k" not in by_id["anthropic"]
    assert "n/k = not known, as none of its figures is disclosed" in result.stdout
