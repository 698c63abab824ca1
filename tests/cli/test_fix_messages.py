"""`aifg import` of a deal written from a news story: one run lists every problem, each at
its file:line:column and field, saying what to write instead; the store is untouched; the
file with that advice taken imports."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import dump_db, run_cli
from tests.news_story import BASE, FIXED, PROBLEMS, STORY


def store_with_base(tmp_path: Path) -> Path:
    data_dir = tmp_path / "data"
    base = tmp_path / "base.yaml"
    base.write_bytes(BASE)
    result = run_cli("import", str(base), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return data_dir


def test_one_run_lists_every_problem_of_the_story_word_for_word(tmp_path: Path) -> None:
    data_dir = store_with_base(tmp_path)
    story = tmp_path / "story.yaml"
    story.write_bytes(STORY)
    before = dump_db(data_dir / "aifg.sqlite3")

    result = run_cli("import", str(story), data_dir=data_dir)

    assert result.returncode == 1, result.stdout + result.stderr
    expected = [f"error: {story}:{p.line}:{p.column}: {p.field}: {p.message}" for p in PROBLEMS]
    assert result.stderr.splitlines() == expected
    assert dump_db(data_dir / "aifg.sqlite3") == before


def test_validate_lists_the_same_problems(tmp_path: Path) -> None:
    data_dir = store_with_base(tmp_path)
    story = tmp_path / "story.yaml"
    story.write_bytes(STORY)
    result = run_cli("validate", "--with-store", str(story), data_dir=data_dir)
    assert result.returncode == 1
    expected = [f"error: {story}:{p.line}:{p.column}: {p.field}: {p.message}" for p in PROBLEMS]
    assert result.stderr.splitlines() == expected


def test_the_story_with_the_advice_taken_imports(tmp_path: Path) -> None:
    data_dir = store_with_base(tmp_path)
    fixed = tmp_path / "fixed.yaml"
    fixed.write_bytes(FIXED)
    result = run_cli("import", str(fixed), "--json", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    shown = run_cli("commitment", "microsoft-openai-azure-2026", data_dir=data_dir)
    assert shown.returncode == 0, shown.stderr
    assert '"binding": true' in shown.stdout
