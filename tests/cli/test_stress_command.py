"""`aifg stress` run as a subprocess on a real SQLite store holding tests/data/stress.yaml.

The web (USD): LabCo (equity 100B) owes CloudCo (equity 50B) 200B of cloud and ChipCo
(equity 40B) 10B of chips; ChipCo holds a 20B stake in LabCo until it is paused on
2026-01-30; CloudCo owes NeoCo (no figure) 30B of GPUs. So X[cloudco][labco] = 200B,
X[chipco][labco] = 30B on 2026-01-29 and 10B on 2026-01-31, X[neoco][cloudco] = 30B, and
NeoCo's buffer is its total exposure, 30B (the missing-buffer rule).

DebtRank, LabCo wiped out (h = 1) on 2026-01-29, worked by hand:
  impacts W = min(1, X / buffer): cloudco<-labco min(1, 200/50) = 1,
  chipco<-labco 30/40 = 0.75, neoco<-cloudco min(1, 30/30) = 1
  round 1: cloudco 1, chipco 0.75; round 2: neoco 1 (chipco passes to nobody)
  losses h x buffer: labco 100B, cloudco 50B, neoco 30B, chipco 30B
  R = sum v (h - h(1)) with v = buffer / 220B: (50 + 0.75 x 40 + 30) / 220 = 0.5
On 2026-01-31 chipco's impact is 10/40 = 0.25 (loss 10B) and R = (50 + 10 + 30) / 220.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.api.support import run_server
from tests.helpers import ROOT, dump_db, run_cli

WEB = ROOT / "tests" / "data" / "stress.yaml"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the web; every test here only reads it."""
    work = tmp_path_factory.mktemp("stress-cli")
    result = run_cli("import", str(WEB), data_dir=work / "data")
    assert result.returncode == 0, result.stderr
    return work


def stress(workdir: Path, *args: str) -> tuple[int, str, str]:
    result = run_cli("stress", *args, data_dir=workdir / "data")
    return result.returncode, result.stdout, result.stderr


def table(stdout: str) -> dict[str, list[str]]:
    """The ranked rows of the text table by entity id: [rank, id, distress, loss, ...]."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("#  ")) + 2
    rows: dict[str, list[str]] = {}
    for line in lines[start:]:
        if not line.strip():
            break
        cells = line.split()
        rows[cells[1]] = cells
    return rows


def test_debtrank_table_ranks_the_hand_computed_losses(workdir: Path) -> None:
    code, out, err = stress(workdir, "--shock", "labco", "--as-of", "2026-01-29")
    assert code == 0, err
    assert out.splitlines()[:5] == [
        "If LabCo lost its buffer at once and the stakes in and claims on it lost value with "
        "it, how much of each entity's equity would be lost, each entity passing its distress "
        "on once (Battiston et al. 2012)?",
        "DebtRank (Battiston et al. 2012) at 2026-01-29, point estimates, buffer equity; "
        "max_rounds 100",
        "shocks: labco=1",
        "2 round(s), total loss $210.00B, R = 0.5000 (share of all buffers lost beyond the shock)",
        # NeoCo has no balance sheet: its buffer is a rule, so it is not judged.
        "2 judged to default; 1 not judged (no balance sheet), carrying 14% of the loss",
    ]
    rows = table(out)
    # Ranked by distress, then loss: NeoCo and ChipCo both lose 30B, NeoCo is wiped out of
    # its rule buffer, which says nothing about a balance sheet nobody disclosed.
    assert [cells[1] for cells in rows.values()] == ["labco", "cloudco", "neoco", "chipco"]
    assert rows["labco"] == ["1", "labco", "100.0%", "$100.00B", "$100.00B", "defaulted", "0"]
    assert rows["cloudco"] == ["2", "cloudco", "100.0%", "$50.00B", "$50.00B", "defaulted", "1"]
    assert rows["neoco"] == [
        "3", "neoco", "100.0%", "$30.00B", "none", "(rule)", "not", "judged", "(no", "balance",
        "sheet)", "2",
    ]  # fmt: skip
    assert rows["chipco"] == ["4", "chipco", "75.0%", "$30.00B", "$40.00B", "not", "defaulted", "1"]
    assert "no equity figure on or before 2026-01-29 (buffer by rule, not judged): neoco" in out
    assert "buffer equal to its total exposure" in out  # the rule itself is printed


def test_the_paused_stake_lowers_chipco_on_2026_01_31(workdir: Path) -> None:
    code, out, err = stress(workdir, "--shock", "labco=1", "--as-of", "2026-01-31", "--json")
    assert code == 0, err
    report = json.loads(out)
    chipco = next(e for e in report["entities"] if e["id"] == "chipco")
    assert chipco["distress"] == pytest.approx(10 / 40)
    assert chipco["loss_usd"] == pytest.approx(10e9)
    assert report["debtrank"] == pytest.approx((50 + 10 + 30) / 220)
    assert report["missing_buffers"] == ["neoco"]


def test_half_a_shock_halves_every_distress(workdir: Path) -> None:
    """Every impact along the chain is <= 1 and no node is hit twice, so h scales with it."""
    code, out, err = stress(workdir, "--shock", "labco=0.5", "--as-of", "2026-01-29", "--json")
    assert code == 0, err
    distress = {e["id"]: e["distress"] for e in json.loads(out)["entities"]}
    assert distress == pytest.approx({"labco": 0.5, "cloudco": 0.5, "neoco": 0.5, "chipco": 0.375})


def test_default_cascade_says_who_defaulted_in_which_round(workdir: Path) -> None:
    """Furfine, theta 1: CloudCo loses 200B > 50B and fails in round 1; NeoCo, first hit in
    round 2, loses 30B, all of its rule buffer: not judged; ChipCo 10B < 40B survives
    (2026-01-31). Losses are credit losses, not capped."""
    args = ("--shock", "labco", "--as-of", "2026-01-31", "--model", "default_cascade")
    code, out, err = stress(workdir, *args)
    assert code == 0, err
    assert out.splitlines()[1].endswith("buffer equity; max_rounds 100, theta 1.0")
    rows = table(out)
    assert rows["cloudco"][2:] == ["100.0%", "$200.00B", "$50.00B", "defaulted", "1"]
    assert rows["neoco"][2:] == [
        "100.0%", "$30.00B", "none", "(rule)", "not", "judged", "(no", "balance", "sheet)", "2"
    ]  # fmt: skip
    assert rows["chipco"][2:] == ["25.0%", "$10.00B", "$40.00B", "not", "defaulted", "1"]


def test_json_is_what_the_api_answers(workdir: Path) -> None:
    """The same request to POST /analysis/stress of a real server over the same SQLite file."""
    body = {
        "shocks": [{"entity": "labco", "severity": 1}, {"entity": "chipco", "severity": 0.2}],
        "model": "differential_debtrank",
        "as_of": "2026-01-29",
        "basis": "high",
        "buffer": "equity",
        "theta": 0.5,
        "max_rounds": 7,
    }
    args = ["--shock", "labco", "--shock", "chipco=0.2", "--model", "differential_debtrank"]
    args += ["--as-of", "2026-01-29", "--basis", "high", "--theta", "0.5", "--max-rounds", "7"]
    code, out, err = stress(workdir, *args, "--json")
    assert code == 0, err
    with run_server(workdir) as server, server.client() as http:
        response = http.post("/analysis/stress", json=body)
    assert response.status_code == 200, response.text
    assert json.loads(out) == response.json()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["--shock", "labc"],
            2,
            "error: --shock labc: unknown entity 'labc'; did you mean 'labco'?",
        ),
        (
            ["--shock", "labco=1.5"],
            2,
            "error: --shock labco=1.5: Input should be less than or equal to 1 (got 1.5)",
        ),
        (
            ["--shock", "labco=-0.1"],
            2,
            "error: --shock labco=-0.1: Input should be greater than or equal to 0 (got -0.1)",
        ),
        (
            ["--shock", "labco=half"],
            2,
            "error: --shock labco=half: 'half' is not a number from 0 to 1",
        ),
        (
            ["--shock", "labco", "--model", "contagion"],
            2,
            "error: --model: Input should be 'debtrank', 'differential_debtrank', "
            "'eisenberg_noe', 'default_cascade' or 'pull_back' (got 'contagion')",
        ),
        (["--shock", "labco", "--theta", "2"], 2, "error: --theta: "),
    ],
)
def test_a_bad_scenario_is_one_line_and_changes_nothing(
    workdir: Path, args: list[str], code: int, message: str
) -> None:
    before = dump_db(workdir / "data" / "aifg.sqlite3")
    result_code, out, err = stress(workdir, *args)
    assert result_code == code
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith(message)
    assert dump_db(workdir / "data" / "aifg.sqlite3") == before


def test_a_reader_that_went_away_is_not_an_error(workdir: Path) -> None:
    """`aifg stress ... | head -1` once head has exited: writing fails with EPIPE."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIFG_")}
    env.update({"AIFG_DATA_DIR": str(workdir / "data"), "AIFG_SEED_ON_START": "false"})
    command = [sys.executable, "-m", "cli.main", "stress", "--shock", "labco"]
    with subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # the only reader is gone before anything is written
        assert proc.stderr.read() == b""  # no traceback, no "Exception ignored"
        assert proc.wait(timeout=120) == 0


def test_a_pull_back_by_hand_and_its_json_is_the_apis(workdir: Path) -> None:
    """ChipCo withdraws its $20B stake in LabCo on 2026-01-29, everyone passing on all of
    a lost inflow. LabCo loses 20 and cuts 20 of its 210: CloudCo 20 x 200/210 = 19.05,
    ChipCo 20 x 10/210 = 0.95 (the boomerang: 4.8% of its cut); CloudCo cuts 19.05 of its
    30 of GPUs, all NeoCo's loss. ChipCo has nothing left to cut."""
    args = ["--cut", "chipco-labco-stake", "--as-of", "2026-01-29"]
    args += ["--pass-through-rule", "fixed", "--pass-through", "1"]
    code, out, err = stress(workdir, *args, "--json")
    assert code == 0, err
    report = json.loads(out)
    lost = {e["id"]: e["lost_inflow_usd"] for e in report["pull_back"]["entities"]}
    assert lost == pytest.approx(
        {"labco": 20e9, "cloudco": 20e9 * 200 / 210, "neoco": 20e9 * 200 / 210,
         "chipco": 20e9 * 10 / 210}
    )  # fmt: skip
    [back] = report["pull_back"]["boomerang"]
    assert back["share"] == pytest.approx(10 / 210)
    body = {
        "model": "pull_back",
        "cuts": [{"commitment": "chipco-labco-stake"}],
        "as_of": "2026-01-29",
        "pass_through_rule": "fixed",
        "pass_through": 1,
    }
    with run_server(workdir) as server, server.client() as http:
        response = http.post("/analysis/stress", json=body)
    assert response.status_code == 200, response.text
    assert report == response.json()
    code, out, err = stress(workdir, *args)
    assert code == 0, err
    assert "boomerang: $952.38M of chipco's $20.00B cut comes back to it as lost inflow" in out


def test_a_pass_through_that_stands_in_for_a_revenue_figure_is_marked(workdir: Path) -> None:
    """No entity of the web has a revenue figure, so under the financials rule each passes
    on the fixed share: LabCo loses ChipCo's 20B stake and cuts half of it, 10B."""
    args = ["--cut", "chipco-labco-stake", "--as-of", "2026-01-29", "--pass-through", "0.5"]
    code, out, err = stress(workdir, *args)
    assert code == 0, err
    [labco] = [line.split() for line in out.splitlines() if line.split()[1:2] == ["labco"]]
    assert labco[2:6] == ["$20.00B", "$10.00B", "50%*", "n/k"]
    assert "* no revenue figure at the date: the fixed share (50%, --pass-through)" in out
    assert "n/k: not known, for want of a revenue figure at the date" in out
    code, out, err = stress(workdir, *args, "--json")
    assert code == 0, err
    entities = json.loads(out)["pull_back"]["entities"]
    assert entities and all(e["pass_through_stands_in"] for e in entities)
    # Where the fixed share is the rule asked for, it stands in for nothing.
    code, out, err = stress(workdir, *args, "--pass-through-rule", "fixed")
    assert code == 0, err
    [labco] = [line.split() for line in out.splitlines() if line.split()[1:2] == ["labco"]]
    assert labco[2:6] == ["$20.00B", "$10.00B", "50%", "n/k"]
    assert "no revenue figure at the date: the fixed share" not in out
    code, out, err = stress(workdir, *args, "--pass-through-rule", "fixed", "--json")
    assert code == 0, err
    assert not any(e["pass_through_stands_in"] for e in json.loads(out)["pull_back"]["entities"])


def test_models_side_by_side_and_a_series_over_months(workdir: Path) -> None:
    code, out, err = stress(
        workdir, "--shock", "labco", "--as-of", "2026-01-29",
        "--compare", "debtrank,default_cascade", "--json",
    )  # fmt: skip
    assert code == 0, err
    compared = json.loads(out)
    assert [r["model"] for r in compared["reports"]] == ["debtrank", "default_cascade"]
    assert compared["differences"][0].startswith("debtrank: counts each entity's distress")
    code, out, err = stress(
        workdir, "--shock", "labco", "--series-since", "2026-01-01",
        "--series-until", "2026-03-01", "--json",
    )  # fmt: skip
    assert code == 0, err
    points = json.loads(out)["points"]
    assert [p["as_of"] for p in points] == ["2026-01-01", "2026-02-01", "2026-03-01"]
    # ChipCo's stake in LabCo counts in January only (paused 2026-01-30): the web's loss
    # from LabCo's failure falls by ChipCo's $20B at-risk figure times its distress.
    assert points[0]["total_loss_usd"] > points[1]["total_loss_usd"]
