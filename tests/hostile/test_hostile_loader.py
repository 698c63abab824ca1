"""Hostile files straight into the loader: each one a located error, refused by the rule
that names it (a digit limit, a ceiling, a forbidden character) before any figure is
converted, so none of them can stall a reader (speed itself is measured in bench/)."""

from __future__ import annotations

import pytest

from graph.errors import MAX_PROBLEMS, DataError
from graph.load import parse_bytes
from graph.suggest import NEIGHBOURS, Suggester, suggest
from graph.validate import check_files
from tests.hostile.cases import (
    ALL,
    BASE,
    ODD_BUT_FINE_YAML,
    ODD_NAME,
    ODD_NOTES,
    Case,
    many_wrong_entries,
    unknown_references,
)


def refused(case: Case) -> DataError:
    with pytest.raises(DataError) as caught:
        parse_bytes(case.text.encode(), "hostile.yaml")
    return caught.value


def test_the_base_file_is_valid() -> None:
    assert parse_bytes(BASE.encode(), "base.yaml").dataset.commitments


@pytest.mark.parametrize("case", ALL, ids=lambda c: c.id)
def test_hostile_input_is_a_located_error(case: Case) -> None:
    error = refused(case)
    [problem] = error.problems
    assert (problem.file, problem.line) == ("hostile.yaml", case.line), problem
    assert problem.field == case.field, problem
    assert case.words in problem.message, problem
    if case.column is not None:
        assert problem.column == case.column, problem
    assert problem.message.isprintable(), problem  # no control character echoed back
    assert str(problem).isprintable()


def test_a_file_of_a_million_wrong_entries_lists_a_hundred_and_counts_the_rest() -> None:
    with pytest.raises(DataError) as caught:
        parse_bytes(many_wrong_entries(), "million.yaml")
    error = caught.value
    assert len(error.listed) == MAX_PROBLEMS
    assert error.total == 1_000_000
    assert [p.line for p in error.listed[:3]] == [3, 4, 5]
    assert "999,900 more problems" in error.problems[-1].message
    assert "(and 999,999 more)" in str(error)
    # Before, all million were listed: 26 s, 2.8 GB and a 138 MB answer.


def test_a_thousand_unknown_references_are_counted_and_the_first_hundred_hinted() -> None:
    # Over 5 minutes before (difflib against every id for each); each hint now compares a
    # bounded number of neighbours (the next test), and only listed problems get one.
    [file] = [parse_bytes(unknown_references(), "refs.yaml")]
    with pytest.raises(DataError) as caught:
        check_files([file])
    error = caught.value
    assert (len(error.listed), error.total) == (MAX_PROBLEMS, 1000)
    first = error.listed[0]
    assert first.field == "commitments[0].to" and first.line is not None
    assert "unknown entity 'unknown-ent-0'" in first.message


def typos(word: str) -> list[str]:
    middle = len(word) // 2
    return [
        word[:middle] + word[middle + 1 :],  # a letter left out
        word[:middle] + word[middle + 1] + word[middle] + word[middle + 2 :],  # two swapped
        word[:middle] + word[middle] + word[middle:],  # one doubled
        "x" + word[1:],  # the first one wrong
    ]


def test_suggestions_find_typos_among_many_ids_at_the_cost_of_a_lookup() -> None:
    real = sorted(parse_seed_entity_ids())
    pool = real + [f"company-{i:06d}" for i in range(200_000)]
    hints = Suggester(pool)
    missed = [(typo, word) for word in real for typo in typos(word) if word not in hints(typo)]
    asked = 4 * len(real)
    assert len(missed) <= asked // 20, missed  # difflib over everything misses some too
    # The cost of a lookup: each typo is compared with a bounded set of neighbours, not
    # with the 200,000 ids of the pool.
    compared = max(len(hints.neighbours(typo)) for word in real for typo in typos(word))
    assert compared <= 4 * NEIGHBOURS
    assert suggest("chipcoo", ["chipco", "labco", "cloudco"]) == ["chipco"]
    assert suggest("x" * 10_000, ["x"]) == []  # difflib is quadratic: no hint past a length


def parse_seed_entity_ids() -> set[str]:
    from graph.load import parse_files
    from tests.helpers import SEEDS

    return {e.id for f in parse_files([SEEDS]) for e in f.dataset.entities if len(e.id) > 4}


def test_odd_but_valid_text_and_edge_figures_are_kept_exactly() -> None:
    dataset = parse_bytes(ODD_BUT_FINE_YAML.encode(), "odd.yaml").dataset
    odd = dataset.entities[0]
    assert (odd.name, odd.notes) == (ODD_NAME, ODD_NOTES)
    commitment = dataset.commitments[0]
    assert commitment.amount is not None
    assert str(commitment.amount.usd) == "999999999999999"
    assert commitment.term_years is not None and commitment.term_years.is_signed() is False


def test_problems_of_several_files_are_bounded_together(tmp_path: pytest.TempPathFactory) -> None:
    from pathlib import Path

    from graph.load import parse_files

    folder = Path(str(tmp_path))
    for n in range(3):
        (folder / f"f{n}.yaml").write_bytes(many_wrong_entries(60))
    with pytest.raises(DataError) as caught:
        parse_files([folder])
    assert (len(caught.value.listed), caught.value.total) == (MAX_PROBLEMS, 180)
