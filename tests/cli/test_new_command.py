"""`aifg new commitment|entity` prints a commented file to start from: imported as printed,
every placeholder left is an error at its line; filled in, it imports."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.helpers import dump_db, run_cli
from tests.news_story import BASE

# What a writer puts in place of each placeholder, for a deal the store's entities allow.
COMMITMENT_FILLED = {
    "<payer-recipient-what-year>": "thrive-capital-openai-2026",
    "<payer-id>": "thrive-capital",
    "<recipient-id>": "openai",
    "<kind>": "equity_investment",
    "<figure>": "1e9",
    "<the figure as the source writes it>": "$1 billion",
    "<YYYY-MM-DD>": "2026-01-05",
    "<status>": "announced",
    "<https://...>": "https://www.reuters.com/x",
    "<publisher>": "Reuters",
}
ENTITY_FILLED = {"<id>": "thrive-capital", "<name>": "Thrive Capital"}


def printed(record: str, tmp_path: Path) -> str:
    result = run_cli("new", record, data_dir=tmp_path / "unused")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"# A new {record}: ")
    return result.stdout


def fill(template: str, values: dict[str, str]) -> str:
    for placeholder, value in values.items():
        template = template.replace(placeholder, value)
    return template


def placeholder_lines(text: str) -> set[int]:
    """The lines holding a placeholder outside a comment."""
    return {
        number
        for number, line in enumerate(text.splitlines(), 1)
        if not line.lstrip().startswith("#") and re.search("<[^>]+>", line.split("  #")[0])
    }


def store_with_base(tmp_path: Path) -> Path:
    data_dir = tmp_path / "data"
    base = tmp_path / "base.yaml"
    base.write_bytes(BASE)
    assert run_cli("import", str(base), data_dir=data_dir).returncode == 0
    return data_dir


def test_the_commitment_template_as_printed_fails_at_every_placeholder(tmp_path: Path) -> None:
    text = printed("commitment", tmp_path)
    new = tmp_path / "new.yaml"
    new.write_text(text)
    data_dir = store_with_base(tmp_path)
    before = dump_db(data_dir / "aifg.sqlite3")

    result = run_cli("import", str(new), data_dir=data_dir)

    assert result.returncode == 1, result.stdout
    errors = result.stderr.splitlines()
    reported = {int(line.split(":")[2]) for line in errors}
    assert reported == placeholder_lines(text)
    line_of = {
        p: n for n, line in enumerate(text.splitlines(), 1) for p in re.findall("<[^>]+>", line)
    }
    assert (
        f"error: {new}:{line_of['<payer-id>']}:11: commitments[0].from: replace the template's "
        "placeholder <payer-id>: '<payer-id>' is not an id: an id is lower-case letters a-z "
        "and digits, words joined by single hyphens (no capitals, spaces, underscores or "
        "accents): write from: microsoft"
    ) in errors
    assert (
        f"error: {new}:{line_of['<publisher>']}:20: commitments[0].sources[0].publisher: "
        "replace the template's placeholder <publisher> with what the source says, "
        "e.g. publisher: Reuters"
    ) in errors
    assert dump_db(data_dir / "aifg.sqlite3") == before


def test_both_templates_filled_in_import(tmp_path: Path) -> None:
    data_dir = store_with_base(tmp_path)
    entity = tmp_path / "entity.yaml"
    entity.write_text(fill(printed("entity", tmp_path), ENTITY_FILLED))
    deal = tmp_path / "deal.yaml"
    deal.write_text(fill(printed("commitment", tmp_path), COMMITMENT_FILLED))

    result = run_cli("import", str(entity), str(deal), "--json", data_dir=data_dir)

    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["entities"]["added"], summary["commitments"]["added"]) == (1, 1)
    shown = json.loads(
        run_cli("commitment", "thrive-capital-openai-2026", data_dir=data_dir).stdout
    )
    assert (shown["from"], shown["to"], shown["amount"]["as_written"]) == (
        "thrive-capital",
        "openai",
        "$1 billion",
    )
