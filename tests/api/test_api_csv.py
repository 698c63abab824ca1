"""Answers as CSV from a real server: `format=csv` or `Accept: text/csv`, read back by
Python's csv module and by pandas (a spreadsheet-like reader), safe against formula
injection, with undisclosed amounts as empty cells; the CLI's --csv prints the same text.

The data: tests/data/toy.yaml and tests/data/spreadsheet-hostile.yaml. Who stands to
lose if labco fails on 2026-01-29, by hand: cloudco $250B (its contract), chipco $100B
(its "up to" letter, paused the next day), neoco $20B ($10B a year for two years), plusco
$1B, and evilco an amount never disclosed: $371B and one undisclosed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pandas as pd
import pytest

from tests.api.support import TOY_YAML, LiveServer, run_server
from tests.helpers import DATA, run_cli

DAY = "2026-01-29"
CSV = "text/csv; charset=utf-8; header=present"
HOSTILE = (DATA / "spreadsheet-hostile.yaml").read_bytes()
EXPOSURE = ("/entities/labco/exposure", {"direction": "in", "as_of": DAY})


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    seeds = {"toy.yaml": TOY_YAML, "spreadsheet-hostile.yaml": HOSTILE}
    with run_server(tmp_path_factory.mktemp("csv"), seed_files=seeds) as s:
        yield s


def get_csv(server: LiveServer, path: str, params: dict[str, str]) -> str:
    with server.client() as http:
        response = http.get(path, params={**params, "format": "csv"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == CSV
    return response.text


def text_mode(text: str) -> str:
    """What run_cli's text-mode pipe makes of the same bytes (universal newlines: the
    CSV's CRLF line ends read as LF)."""
    return text.replace("\r\n", "\n")


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_exposure_csv_by_hand_with_undisclosed_empty(server: LiveServer) -> None:
    table = rows(get_csv(server, *EXPOSURE))
    assert [(r["counterparty"], r["usd"], r["undisclosed"]) for r in table] == [
        ("cloudco", "250000000000.0", "0"),
        ("chipco", "100000000000.0", "0"),
        ("neoco", "20000000000.0", "0"),
        ("plusco", "1000000000.0", "0"),
        ("evilco", "", "1"),  # unknown is an empty cell, never 0
    ]
    assert [r["up_to"] for r in table] == ["false", "true", "false", "false", "false"]
    assert float(table[0]["share"]) == pytest.approx(250 / 371)
    assert table[4]["share"] == ""


def test_pandas_reads_the_csv_with_unknown_as_missing(server: LiveServer) -> None:
    frame = pd.read_csv(io.StringIO(get_csv(server, *EXPOSURE)))
    assert frame["usd"].sum() == 371e9  # pandas skips the missing one: the "at least" total
    assert frame["usd"].isna().tolist() == [False, False, False, False, True]
    assert frame["as_of"].unique().tolist() == [DAY]


def test_formula_cells_are_text(server: LiveServer) -> None:
    table = rows(get_csv(server, *EXPOSURE))
    names = {r["counterparty"]: r["name"] for r in table}
    assert names["evilco"] == '\'=HYPERLINK("https://example.com","click")'
    assert names["plusco"] == "'+cmd|' /C calc'!A0"
    commitments = {r["id"]: r for r in rows(get_csv(server, "/commitments", {"entity": "plusco"}))}
    assert commitments["plusco-labco-stake"]["as_written"] == "'@SUM(1+1)"
    # Numbers are not text: a negative would stay a number (none here), a figure is plain.
    assert commitments["plusco-labco-stake"]["usd"] == "1000000000.0"
    secret = rows(get_csv(server, "/commitments", {"entity": "evilco"}))
    assert [(r["id"], r["usd"], r["usd_low"], r["usd_high"]) for r in secret] == [
        ("evilco-labco-secret", "", "", "")
    ]


def test_cycles_and_concentration_csv(server: LiveServer) -> None:
    loops = rows(get_csv(server, "/analysis/cycles", {"as_of": DAY}))
    loop = next(r for r in loops if r["loop"] == "chipco -> labco -> neoco -> chipco")
    # The smallest hop: min($100B, $20B, $30B).
    assert (loop["hops"], loop["round_trip_usd"], loop["priced"]) == ("3", "20000000000.0", "true")
    assert loop["hop_usd"] == "100000000000.0; 20000000000.0; 30000000000.0"
    with server.client() as http:
        response = http.get(
            "/analysis/concentration", params={"as_of": DAY}, headers={"Accept": "text/csv"}
        )
    assert response.headers["content-type"] == CSV
    by_id = {r["id"]: r for r in rows(response.text)}
    assert float(by_id["labco"]["at_stake_usd"]) == 371e9
    assert by_id["labco"]["at_stake_undisclosed"] == "1"
    assert by_id["labco"]["exposed_entities"] == "5"


def test_stress_csv_is_the_json_answer_as_rows(server: LiveServer) -> None:
    body = {"shocks": [{"entity": "labco", "severity": 1}], "as_of": DAY}
    with server.client() as http:
        as_json = http.post("/analysis/stress", json=body).json()
        response = http.post("/analysis/stress", json=body, params={"format": "csv"})
    assert response.headers["content-type"] == CSV
    table = rows(response.text)
    assert [r["id"] for r in table] == [e["id"] for e in as_json["entities"]]
    assert [float(r["loss_usd"]) for r in table] == [e["loss_usd"] for e in as_json["entities"]]
    for row, entity in zip(table, as_json["entities"], strict=True):
        assert row["buffer_usd"] == (
            "" if entity["buffer_usd"] is None else repr(entity["buffer_usd"])
        )


@pytest.mark.parametrize(
    ("accept", "params", "expected"),
    [
        ("text/csv", {}, CSV),
        ("text/csv;q=0.5, application/json", {}, "application/json"),
        ("*/*", {}, "application/json"),
        ("text/csv", {"format": "json"}, "application/json"),
        ("application/json", {"format": "csv"}, CSV),
    ],
)
def test_format_beats_accept_and_json_stays_the_default(
    server: LiveServer, accept: str, params: dict[str, str], expected: str
) -> None:
    with server.client() as http:
        response = http.get("/analysis/cycles", params=params, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"] == expected
    assert response.headers["vary"] == "Accept"  # a cache keeps CSV and JSON apart


def test_an_unknown_format_is_a_problem_naming_it(server: LiveServer) -> None:
    with server.client() as http:
        response = http.get("/analysis/cycles", params={"format": "xlsx"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.format"


@pytest.mark.parametrize(
    ("args", "path", "params"),
    [
        (["exposure", "labco", "--direction", "in", "--as-of", DAY], *EXPOSURE),
        (["commitments", "--as-of", DAY], "/commitments", {"as_of": DAY}),
        (["cycles", "--as-of", DAY], "/analysis/cycles", {"as_of": DAY}),
        (["concentration", "--as-of", DAY], "/analysis/concentration", {"as_of": DAY}),
    ],
)
def test_the_cli_prints_the_apis_csv(
    server: LiveServer, args: list[str], path: str, params: dict[str, str]
) -> None:
    done = run_cli(*args, "--csv", data_dir=server.data_dir)
    assert done.returncode == 0, done.stderr
    assert done.stdout == text_mode(get_csv(server, path, params))


def test_the_cli_stress_csv_and_what_it_refuses(server: LiveServer) -> None:
    done = run_cli("stress", "--shock", "labco", "--as-of", DAY, "--csv", data_dir=server.data_dir)
    assert done.returncode == 0, done.stderr
    with server.client() as http:
        api = http.post(
            "/analysis/stress",
            json={"shocks": [{"entity": "labco", "severity": 1}], "as_of": DAY},
            params={"format": "csv"},
        ).text
    assert done.stdout == text_mode(api)
    refused = run_cli(
        "stress", "--shock", "labco", "--compare", "debtrank,eisenberg_noe", "--csv",
        data_dir=server.data_dir,
    )  # fmt: skip
    assert refused.returncode == 2
    assert "--csv: one scenario's entities" in refused.stderr
