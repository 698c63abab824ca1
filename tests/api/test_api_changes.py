"""Change and correction over HTTP, on a real server over each store: a withdrawn
commitment answers 410 Gone with its date and reason, GET /imports and GET /changes say
what was written when, a refused withdrawal changes nothing, and the CLI's withdrawal is
seen by the server on its next answer (and kept out of the CLI's next import)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.api.support import API_KEY, TOY_YAML, assert_problem, run_server
from tests.helpers import ROOT
from tests.stores import STORE_KINDS

KEY = {"X-API-Key": API_KEY}
CLOUD = "labco-cloudco-cloud"


@pytest.mark.parametrize("store", STORE_KINDS)
def test_withdraw_answer_gone_list_changes_restore(tmp_path: Path, store: str) -> None:
    with (
        run_server(tmp_path, seed_files={"toy.yaml": TOY_YAML}, store=store) as server,
        server.client() as http,
    ):
        seeded = http.get("/health").json()["data_version"]
        [seeding] = http.get("/imports").json()
        assert (seeding["seq"], seeding["version"]) == (1, seeded)
        assert (seeding["entities"]["added"], seeding["commitments"]["added"]) == (4, 5)

        # Refused: the entity still has a commitment; nothing changes.
        entity = {"records": [{"id": "cloudco"}], "reason": "a typo in an id"}
        refused = assert_problem(http.post("/withdrawals", json=entity, headers=KEY), 422)
        assert refused["errors"][0]["field"] == "records"
        assert f"commitment '{CLOUD}' (to) points to entity 'cloudco'" in refused["detail"]
        assert_problem(http.post("/withdrawals", json={**entity, "reason": ""}, headers=KEY), 422)
        assert http.get("/health").json()["data_version"] == seeded

        body = {"records": [{"id": CLOUD}], "reason": "a wrong deal", "on": "2026-11-30"}
        assert_problem(http.post("/withdrawals", json=body), 401)
        done = http.post("/withdrawals", json=body, headers=KEY)
        assert done.status_code == 200, done.text
        assert done.json()["records"][0]["kind"] == "commitment"

        gone = assert_problem(http.get(f"/commitments/{CLOUD}"), 410)
        assert gone["detail"] == f"commitment '{CLOUD}' was withdrawn on 2026-11-30: a wrong deal"
        assert (gone["withdrawn_on"], gone["reason"]) == ("2026-11-30", "a wrong deal")
        listed = [c["id"] for c in http.get("/commitments").json()["items"]]
        assert CLOUD not in listed and len(listed) == 4

        since = http.get("/changes", params={"since": seeded}).json()
        assert [w["action"] for w in since["writes"]] == ["withdraw"]
        assert since["withdrawn"]["commitments"] == [CLOUD]
        assert since["version"] == http.get("/health").json()["data_version"]
        today = dt.datetime.now(dt.UTC).date().isoformat()
        assert len(http.get("/changes", params={"since": today}).json()["added"]["entities"]) == 4
        assert_problem(http.get("/changes", params={"since": "yesterday"}), 422)
        unknown = "00000000-0000-4000-8000-000000000000"
        assert_problem(http.get("/changes", params={"since": unknown}), 404)

        back = http.post(
            "/restorations",
            json={"records": [{"id": CLOUD}], "reason": "it was right"},
            headers=KEY,
        )
        assert back.status_code == 200, back.text
        assert http.get(f"/commitments/{CLOUD}").json()["amount"]["usd"] == 250e9


def test_the_clis_withdrawal_is_seen_by_the_server(tmp_path: Path) -> None:
    with (
        run_server(tmp_path, seed_files={"toy.yaml": TOY_YAML}) as server,
        server.client() as http,
    ):
        assert http.get(f"/commitments/{CLOUD}").status_code == 200
        env = {k: v for k, v in os.environ.items() if not k.startswith("AIFG_")}
        env.pop("NEO4J_URI", None)
        done = subprocess.run(
            [sys.executable, "-m", "cli.main", "withdraw", CLOUD, "--reason", "a wrong deal"],
            cwd=ROOT,
            env={**env, "AIFG_DATA_DIR": str(server.data_dir)},
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(f"withdrawn: commitment {CLOUD} (on ")
        assert_problem(http.get(f"/commitments/{CLOUD}"), 410)
        again = subprocess.run(
            [sys.executable, "-m", "cli.main", "import", str(ROOT / "tests/data/toy.yaml")],
            cwd=ROOT,
            env={**env, "AIFG_DATA_DIR": str(server.data_dir)},
            capture_output=True,
            text=True,
            check=False,
        )
        assert again.returncode == 0, again.stderr
        assert "withdrawn (kept out)" in again.stdout
        assert again.stdout.splitlines()[3].split() == ["commitments", "0", "0", "4", "1"]
