"""`aifg validate`'s warnings: money probably counted twice, and sources not to cite."""

from __future__ import annotations

from typing import Any

from graph import review
from schemas.commitments import Commitment
from schemas.dataset import Dataset
from tests.factories import SOURCE
from tests.helpers import run_cli


def deal(id: str, announced: str, **extra: Any) -> Commitment:
    return Commitment.model_validate(
        {
            "id": id,
            "from": "fund",
            "to": "lab",
            "kind": "equity_investment",
            "amount": {"usd": 1e9},
            "announced": announced,
            "status": [{"date": announced, "status": "signed"}],
            "sources": [SOURCE],
            **extra,
        }
    )


def test_same_parties_same_news_unlinked_is_a_warning() -> None:
    found = list(
        review.likely_overlaps(
            [
                deal("a", "2026-01-05"),
                deal("b", "2026-01-20"),  # two weeks later: perhaps the same money
                deal("c", "2026-01-10", part_of="a"),  # linked: said in data
                deal("d", "2026-09-01"),  # months later: new money
            ]
        )
    )
    assert [w.where for w in found] == ["a and b", "b and c"]
    assert "part_of, replaced_by or overlaps" in found[0].message


def test_a_pair_said_to_be_other_money_is_not_a_warning() -> None:
    # Two notes in one filing: same parties, kind and day, but two securities.
    notes = deal("notes-2031", "2026-04-01", distinct_from=["converts-2032"])
    converts = deal("converts-2032", "2026-04-01")
    third = deal("term-loan", "2026-04-02")  # not said: still asked about
    found = [w.where for w in review.likely_overlaps([notes, converts, third])]
    assert found == ["converts-2032 and term-loan", "notes-2031 and term-loan"]
    assert list(review.likely_overlaps([converts, notes])) == []  # either side may say it


def test_copies_proxies_mirrors_and_home_pages_are_reported() -> None:
    copy = {"url": "https://aggregator.example/x", "publisher": "Agg", "kind": "copy",
            "original": {"publisher": "Reuters"}}  # fmt: skip
    data = Dataset.model_validate(
        {
            "entities": [{"id": "fund", "name": "Fund"}, {"id": "lab", "name": "Lab"}],
            "commitments": [
                deal("a", "2026-01-05", sources=[copy]).model_dump(by_alias=True),
                deal(
                    "b",
                    "2026-03-05",
                    sources=[
                        {"url": "https://www.reuters.com/", "publisher": "Reuters"},
                        {
                            "url": "http://proxy.example/proxies?url=https%3A%2F%2Fft.com%2Fx",
                            "publisher": "FT",
                        },
                    ],
                ).model_dump(by_alias=True),
            ],
        }
    )
    report = review.sources(data)
    assert (report.figures, report.copy_only) == (2, 1)
    assert report.lead_kinds == {"copy": 1, "reporting": 1}
    assert [str(w) for w in report.warnings] == [
        "b: https://www.reuters.com/ is a home page, not the page with the figure: cite the "
        "original",
        "b: http://proxy.example/proxies?url=https%3A%2F%2Fft.com%2Fx is a proxy: cite the "
        "original",
    ]


def test_a_financial_led_by_its_filing_keeps_the_copy_and_is_not_copy_only() -> None:
    copy = {"url": "https://aggregator.example/bs", "publisher": "Agg", "kind": "copy",
            "original": {"publisher": "Lab Form 10-K"}}  # fmt: skip
    filing = {"url": "https://www.sec.gov/Archives/edgar/data/1/x.htm", "publisher": "Lab 10-K",
              "kind": "filing"}  # fmt: skip
    equity = {"metric": "equity", "usd": 5e9, "as_of": "2025-12-31"}
    data = Dataset.model_validate(
        {
            "entities": [
                {"id": "lab", "name": "Lab", "financials": [
                    {**equity, "source": filing, "other_sources": [copy]},
                    {**equity, "as_of": "2024-12-31", "source": copy},
                ]},
                {"id": "mirror", "name": "Mirror", "financials": [
                    {**equity, "source": filing,
                     "other_sources": [{**copy, "url": "https://x.github.io/bs"}]},
                ]},
            ]
        }
    )  # fmt: skip
    report = review.sources(data)
    assert (report.figures, report.copy_only) == (3, 1)
    assert report.lead_kinds == {"filing": 2, "copy": 1}
    # a further source is checked like the lead one
    assert [w.where for w in report.warnings] == ["mirror equity 2025-12-31"]


def test_validate_prints_the_source_report_and_warnings(tmp_path: Any) -> None:
    path = tmp_path / "deals.yaml"
    path.write_text(
        "version: 1\nentities: [{id: fund, name: Fund}, {id: lab, name: Lab}]\ncommitments:\n"
        + "".join(
            f"  - {{id: {i}, from: fund, to: lab, kind: loan, amount: {{usd: 1e9}}, "
            f"announced: 2026-01-0{n}, status: [{{date: 2026-01-0{n}, status: signed}}], "
            "sources: [{url: 'https://example.com/a', publisher: Example}]}\n"
            for n, i in ((1, "x"), (2, "y"))
        )
    )
    done = run_cli("validate", str(path), data_dir=tmp_path / "data")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "ok: 1 file(s), 2 entities, 2 commitments, 0 events"
    assert lines[1] == "figures: 2, by lead source: 2 reporting"
    assert lines[2].startswith("figures resting on copies only: 0")
    assert lines[3].startswith("warning: x and y: same parties and kind (loan)")
