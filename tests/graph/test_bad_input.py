"""Bad input: an error naming file, line and field, exit code 1, and the store untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import DataError
from graph.load import parse_bytes
from tests.helpers import DATA, GOOD_COMMITMENT, dump_db, run_cli

# Each case: YAML text with `#<` at the end of the line the error must name, the field
# the error must name (or None where no field applies), and words the message must hold.
CASES: dict[str, tuple[str, str | None, str]] = {
    "malformed YAML": (
        "version: 1\nentities:\n  - id: x\n    name: [unclosed\n  - id: y #<\n",
        None,
        "invalid YAML",
    ),
    "python tag": (
        "version: 1\nentities:\n  - id: x\n    name: !!python/object:os.system x #<\n",
        None,
        "not allowed",
    ),
    "unknown field": (
        GOOD_COMMITMENT.replace("    binding", "").replace(
            "    kind: chip_supply\n", "    kind: chip_supply\n    amout: 3 #<\n"
        ),
        "commitments[0].amout",
        "unknown field",
    ),
    "duplicate key": (
        GOOD_COMMITMENT.replace("    to: chipco\n", "    to: chipco\n    to: neoco #<\n"),
        "commitments[0].to",
        "duplicate key 'to' (first on line 5): write each key once; delete one of them",
    ),
    "wrong type": (
        GOOD_COMMITMENT.replace(
            "    kind: chip_supply\n", "    kind: chip_supply\n    binding: maybe #<\n"
        ),
        "commitments[0].binding",
        "'maybe' is not true or false: write binding: true or binding: false",
    ),
    "negative amount": (
        GOOD_COMMITMENT.replace("amount: {usd: 5e9}", "amount: {usd: -5e9} #<"),
        "commitments[0].amount.usd",
        "greater than or equal to 0",
    ),
    "non-numeric amount": (
        GOOD_COMMITMENT.replace("amount: {usd: 5e9}", "amount: {usd: lots} #<"),
        "commitments[0].amount.usd",
        "'lots' is not a number: write usd: a number, e.g. 5e9",
    ),
    "unknown entity": (
        GOOD_COMMITMENT.replace("    to: chipco", "    to: chipcoo #<"),
        "commitments[0].to",
        "did you mean 'chipco'",
    ),
    "unknown distinct_from": (
        GOOD_COMMITMENT.replace(
            "    kind: chip_supply\n",
            "    kind: chip_supply\n    distinct_from: [labco-chipco-chip] #<\n",
        ),
        "commitments[0].distinct_from[0]",
        "did you mean 'labco-chipco-chips'",
    ),
    "duplicate id": (
        GOOD_COMMITMENT
        + GOOD_COMMITMENT.split("commitments:\n")[1].replace(
            "  - id: labco-chipco-chips", "  - id: labco-chipco-chips #<"
        ),
        "commitments[1].id",
        "duplicate id",
    ),
    "impossible date": (
        GOOD_COMMITMENT.replace("    announced: 2025-05-01", "    announced: 2025-13-01 #<"),
        "commitments[0].announced",
        "month",
    ),
    "status before announced": (
        GOOD_COMMITMENT.replace("    announced: 2025-05-01", "    announced: 2025-06-01").replace(
            "    status: [", "    status: [ #<\n      "
        ),
        "commitments[0].status",
        "before announced",
    ),
    "empty file": ("#<\n", None, "empty"),
    "alias bomb": (
        "a: &a [x, x, x, x, x, x, x, x, x, x] #<\n"
        + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n"
            for i in range(8)
        ),
        None,
        "alias bomb",
    ),
}


def expected_line(text: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.endswith("#<"))


@pytest.fixture
def toy_store_dir(tmp_path: Path) -> Path:
    data_dir = tmp_path / "data"
    result = run_cli("import", str(DATA / "toy.yaml"), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return data_dir


def check_rejected(
    data_dir: Path, bad: Path, line: int | None, field: str | None, words: str
) -> None:
    before = dump_db(data_dir / "aifg.sqlite3")
    result = run_cli("import", str(bad), data_dir=data_dir)
    assert result.returncode == 1, result.stdout + result.stderr
    location = f"{bad}:{line}" if line is not None else str(bad)
    assert location in result.stderr
    if field is not None:
        assert f": {field}: " in result.stderr
    assert words in result.stderr
    assert dump_db(data_dir / "aifg.sqlite3") == before


@pytest.mark.parametrize("case", CASES)
def test_bad_file_is_rejected_whole(case: str, toy_store_dir: Path, tmp_path: Path) -> None:
    text, field, words = CASES[case]
    # A good record before the bad one must not be imported either.
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    check_rejected(toy_store_dir, bad, expected_line(text), field, words)


def test_not_utf8(toy_store_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("version: 1\nentities:\n  - id: x\n    name: Caf\xe9\n".encode("latin-1"))
    check_rejected(toy_store_dir, bad, 4, None, "not UTF-8")


def test_a_50_mb_file_is_refused_with_the_limit_named(toy_store_dir: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    row = "  - {id: e%d, name: Entity}\n"
    with big.open("w") as out:
        out.write("version: 1\nentities:\n")
        i = 0
        while out.tell() < 50 * 2**20:
            out.writelines(row % (i + k) for k in range(10_000))
            i += 10_000
    check_rejected(toy_store_dir, big, None, None, "over the 32 MiB limit")


def test_good_records_before_a_bad_one_are_not_imported(
    toy_store_dir: Path, tmp_path: Path
) -> None:
    text = GOOD_COMMITMENT + "  - id: second #<\n    from: labco\n"
    bad = tmp_path / "half.yaml"
    bad.write_text(text)
    check_rejected(
        toy_store_dir, bad, expected_line(text), "commitments[1].to", "missing: add to: openai"
    )


def test_every_problem_is_listed_not_just_the_first() -> None:
    text = GOOD_COMMITMENT.replace("{usd: 5e9}", "{usd: -1}").replace("2025-05-01", "2025-02-30")
    with pytest.raises(DataError) as caught:
        parse_bytes(text.encode(), "two.yaml")
    fields = {p.field for p in caught.value.problems}
    assert {"commitments[0].amount.usd", "commitments[0].announced"} <= fields


def test_yaml_12_numbers_and_booleans() -> None:
    text = GOOD_COMMITMENT.replace("{usd: 5e9}", "{usd: 300e9}").replace(
        "    kind: chip_supply\n", "    kind: chip_supply\n    binding: true\n    notes: NO\n"
    )
    dataset = parse_bytes(text.encode(), "ok.yaml").dataset
    commitment = dataset.commitments[0]
    assert commitment.total_usd() == 300_000_000_000
    assert commitment.notes == "NO"  # YAML 1.1 would have made this False
    assert commitment.binding is True
