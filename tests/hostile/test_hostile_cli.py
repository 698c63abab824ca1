"""Hostile files through `aifg import`: exit 1, one located line each, the store unchanged."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest

from graph.errors import MAX_PROBLEMS
from tests.helpers import ROOT, dump_db
from tests.hostile.cases import (
    BASE,
    ODD_BUT_FINE_YAML,
    SAMPLE,
    Case,
    many_wrong_entries,
    unknown_references,
)

AIFG = Path(sys.executable).parent / "aifg"


def aifg(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIFG_")}
    env["AIFG_SEED_ON_START"] = "false"
    return subprocess.run(
        [str(AIFG), "--data-dir", str(data_dir), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def printable(output: str) -> bool:
    """Nothing a terminal would obey: no control character but newline."""
    return all(c == "\n" or unicodedata.category(c) != "Cc" for c in output)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    base = tmp_path / "base.yaml"
    base.write_text(BASE, encoding="utf-8")
    data = tmp_path / "data"
    result = aifg("import", str(base), data_dir=data)
    assert result.returncode == 0, result.stderr
    return data


def rejected(data_dir: Path, bad: Path) -> subprocess.CompletedProcess[str]:
    before = dump_db(data_dir / "aifg.sqlite3")
    result = aifg("import", str(bad), data_dir=data_dir)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert printable(result.stderr), repr(result.stderr)
    assert dump_db(data_dir / "aifg.sqlite3") == before
    return result


@pytest.mark.parametrize("case", SAMPLE, ids=lambda c: c.id)
def test_a_hostile_file_is_one_located_error(case: Case, data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(case.text, encoding="utf-8")
    start = time.perf_counter()
    result = rejected(data_dir, bad)
    assert time.perf_counter() - start < 30  # a process start; the import itself is ms
    [line] = result.stderr.splitlines()
    where = f"{bad}:{case.line}:" + (f"{case.column}:" if case.column else "")
    assert line.startswith(f"error: {where}"), line
    if case.field:
        assert f": {case.field}: " in line, line
    assert case.words in line, line


def test_a_million_wrong_entries_print_a_hundred_lines_and_the_count(
    data_dir: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "million.yaml"
    bad.write_bytes(many_wrong_entries())
    result = rejected(data_dir, bad)
    lines = result.stderr.splitlines()
    assert len(lines) == MAX_PROBLEMS + 1
    assert lines[0].startswith(f"error: {bad}:3:")
    assert "999,900 more problems not listed (1,000,000 in all" in lines[-1]


def test_a_thousand_unknown_references_answer_at_once(data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "refs.yaml"
    bad.write_bytes(unknown_references())
    start = time.perf_counter()
    result = rejected(data_dir, bad)
    assert time.perf_counter() - start < 30  # over five minutes before
    lines = result.stderr.splitlines()
    assert len(lines) == MAX_PROBLEMS + 1 and "900 more problems" in lines[-1]
    assert f"{bad}:" in lines[0] and "unknown entity 'unknown-ent-0'" in lines[0]


def test_odd_names_print_escaped_and_reload(data_dir: Path, tmp_path: Path) -> None:
    odd = tmp_path / "odd.yaml"
    odd.write_text(ODD_BUT_FINE_YAML, encoding="utf-8")
    assert aifg("import", str(odd), data_dir=data_dir).returncode == 0
    result = aifg("entities", "--q", "odd", data_dir=data_dir)  # a new process: a reload
    assert result.returncode == 0, result.stderr
    assert printable(result.stdout)
    assert "\u202e" not in result.stdout and "\u2066" not in result.stdout
    assert "\\u202e\\u2066" in result.stdout and "英偉達" in result.stdout
