"""Small helpers for tests that drive the real `aifg` command and read the real SQLite file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SEEDS = ROOT / "seeds"

# One valid commitment between two of tests/data/toy.yaml's entities, for tests that
# break one line of it.
GOOD_COMMITMENT = """\
version: 1
commitments:
  - id: labco-chipco-chips
    from: labco
    to: chipco
    kind: chip_supply
    amount: {usd: 5e9}
    announced: 2025-05-01
    status: [{date: 2025-05-01, status: signed}]
    sources: [{url: "https://example.com/x", publisher: Example}]
"""


def run_cli(
    *args: str,
    data_dir: Path,
    seed: bool = False,
    timeout: float = 120,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`aifg ARGS` in a subprocess, with only the AIFG_ settings given here (and in `env`)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AIFG_")}
    clean["AIFG_DATA_DIR"] = str(data_dir)
    clean["AIFG_SEED_ON_START"] = "true" if seed else "false"
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        cwd=ROOT,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def dump_db(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the data tables, to compare a store before and after."""
    with sqlite3.connect(path) as conn:
        return {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            for table in ("entities", "commitments", "events")
        }
