"""Withdrawals, restores and the log of writes, on both stores (a real SQLite file; a
real Neo4j): a withdrawn record leaves every answer, answers Gone with its reason, stays
out of later imports, comes back as it was, and every write is in the log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph import changes, queries
from graph.errors import ConflictError, DataError, GoneError, InvalidQueryError, NotFoundError
from graph.imports import import_paths
from graph.lookup import require_commitment, require_entity
from graph.snapshot import SnapshotSource
from graph.store.embedded import EmbeddedStore
from schemas.changes import RestoreRequest, WithdrawalRequest
from schemas.enums import Direction
from schemas.queries import ExposureQuery
from tests.helpers import DATA
from tests.stores import contents

MAX = 32 * 2**20
TODAY = dt.date(2026, 12, 1)
DAY = dt.date(2025, 12, 1)


def toy(source: SnapshotSource) -> None:
    import_paths(source, [DATA / "toy.yaml"], dry_run=False, max_bytes=MAX)


def withdrawal(
    *ids: str, reason: str = "a wrong deal", on: dt.date | None = None
) -> WithdrawalRequest:
    return WithdrawalRequest.model_validate(
        {"records": [{"id": i} for i in ids], "reason": reason, "on": on}
    )


def restoration(*ids: str, reason: str = "it was right") -> RestoreRequest:
    return RestoreRequest.model_validate({"records": [{"id": i} for i in ids], "reason": reason})


def counterparties_of_labco(source: SnapshotSource) -> set[str]:
    query = ExposureQuery(as_of=DAY, direction=Direction.IN)
    report = queries.exposure(source.current(), "labco", query, today=DAY)
    return {c.id for c in report.counterparties}


def test_a_withdrawn_commitment_leaves_the_answers_and_answers_gone(
    any_source: SnapshotSource,
) -> None:
    toy(any_source)
    # Who loses if labco fails (toy.yaml): cloudco (the cloud contract), neoco (compute)
    # and chipco (its letter of intent to invest, live until its pause on 2026-01-30).
    assert counterparties_of_labco(any_source) == {"chipco", "cloudco", "neoco"}
    result = changes.withdraw(
        any_source, withdrawal("labco-cloudco-cloud", on=dt.date(2026, 11, 30)), today=TODAY
    )
    assert [(r.kind, r.id, r.on) for r in result.records] == [
        ("commitment", "labco-cloudco-cloud", dt.date(2026, 11, 30))
    ]
    snapshot = any_source.current()
    assert snapshot.version == result.version
    assert "labco-cloudco-cloud" not in snapshot.commitments
    assert counterparties_of_labco(any_source) == {"chipco", "neoco"}
    with pytest.raises(GoneError) as gone:
        require_commitment(snapshot, "labco-cloudco-cloud")
    assert str(gone.value) == (
        "commitment 'labco-cloudco-cloud' was withdrawn on 2026-11-30: a wrong deal"
    )


def test_a_reimport_keeps_the_withdrawn_out_and_says_so(any_source: SnapshotSource) -> None:
    toy(any_source)
    changes.withdraw(any_source, withdrawal("labco-cloudco-cloud"), today=TODAY)
    before = contents(any_source.store)
    again = import_paths(any_source, [DATA / "toy.yaml"], dry_run=False, max_bytes=MAX)
    assert again.commitments.model_dump() == {
        "added": 0,
        "updated": 0,
        "unchanged": 4,
        "withdrawn": 1,
    }
    assert not again.changed
    assert contents(any_source.store) == before
    assert "labco-cloudco-cloud" not in any_source.current().commitments


def test_a_restore_brings_back_the_record_as_it_was(any_source: SnapshotSource) -> None:
    toy(any_source)
    original = any_source.current().commitments["labco-cloudco-cloud"]
    changes.withdraw(any_source, withdrawal("labco-cloudco-cloud"), today=TODAY)
    changes.restore(any_source, restoration("labco-cloudco-cloud"))
    assert any_source.current().commitments["labco-cloudco-cloud"] == original
    assert counterparties_of_labco(any_source) == {"chipco", "cloudco", "neoco"}
    assert not any_source.current().withdrawn


def test_an_entity_with_commitments_left_is_not_withdrawn(any_source: SnapshotSource) -> None:
    toy(any_source)
    before = contents(any_source.store)
    with pytest.raises(InvalidQueryError) as refused:
        changes.withdraw(any_source, withdrawal("cloudco"), today=TODAY)
    assert str(refused.value) == (
        "nothing withdrawn: commitment 'labco-cloudco-cloud' (to) points to entity "
        "'cloudco'. Withdraw those in the same request, or correct them first"
    )
    assert refused.value.field == "records"
    assert contents(any_source.store) == before


def test_an_entity_goes_with_its_commitments_and_imports_may_not_point_to_it(
    any_source: SnapshotSource, tmp_path: Path
) -> None:
    toy(any_source)
    changes.withdraw(
        any_source,
        withdrawal("cloudco", "labco-cloudco-cloud", reason="a typo in an id"),
        today=TODAY,
    )
    with pytest.raises(GoneError):
        require_entity(any_source.current(), "cloudco")
    new = tmp_path / "new.yaml"
    new.write_text(
        "version: 1\n"
        "commitments:\n"
        "  - id: labco-cloudco-more\n"
        "    from: labco\n"
        "    to: cloudco\n"
        "    kind: cloud_contract\n"
        "    announced: 2026-01-05\n"
        "    status: [{date: 2026-01-05, status: signed}]\n"
        "    sources: [{url: 'https://example.com/more', publisher: Example}]\n"
    )
    before = contents(any_source.store)
    with pytest.raises(DataError) as refused:
        import_paths(any_source, [new], dry_run=False, max_bytes=MAX)
    [problem] = refused.value.problems
    assert (problem.line, problem.field) == (5, "commitments[0].to")
    assert problem.message == (
        "entity 'cloudco' was withdrawn on 2026-12-01 (a typo in an id): point to another "
        "entity, or restore it first (aifg restore cloudco)"
    )
    assert contents(any_source.store) == before


def test_a_restore_needs_what_the_record_points_to(any_source: SnapshotSource) -> None:
    toy(any_source)
    changes.withdraw(any_source, withdrawal("cloudco", "labco-cloudco-cloud"), today=TODAY)
    with pytest.raises(InvalidQueryError) as refused:
        changes.restore(any_source, restoration("labco-cloudco-cloud"))
    assert str(refused.value) == (
        "nothing restored: commitment 'labco-cloudco-cloud' (to) points to entity "
        "'cloudco', which is not in the data. Restore it in the same request"
    )
    changes.restore(any_source, restoration("labco-cloudco-cloud", "cloudco"))
    assert "cloudco" in any_source.current().entities


def test_requests_that_name_nothing_withdrawable_say_why(any_source: SnapshotSource) -> None:
    toy(any_source)
    with pytest.raises(InvalidQueryError) as unknown:
        changes.withdraw(any_source, withdrawal("labco-cloudco-clod"), today=TODAY)
    assert str(unknown.value).startswith(
        "no entity or commitment or event with id 'labco-cloudco-clod'; did you mean "
        "'labco-cloudco-cloud'"
    )
    assert unknown.value.field == "records.0.id"
    changes.withdraw(any_source, withdrawal("labco-cloudco-cloud"), today=TODAY)
    with pytest.raises(InvalidQueryError) as twice:
        changes.withdraw(any_source, withdrawal("labco-cloudco-cloud"), today=TODAY)
    assert str(twice.value) == (
        "commitment 'labco-cloudco-cloud' was already withdrawn on 2026-12-01: a wrong deal"
    )
    with pytest.raises(InvalidQueryError) as live:
        changes.restore(any_source, restoration("labco"))
    assert str(live.value) == "'labco' is not withdrawn: there is nothing to restore"


def test_a_write_checked_against_an_old_version_is_refused(any_source: SnapshotSource) -> None:
    toy(any_source)
    old = any_source.current().version
    changes.withdraw(any_source, withdrawal("chipco-labco-loi"), today=TODAY)
    before = contents(any_source.store)
    with pytest.raises(ConflictError):
        any_source.store.withdraw(
            [("commitment", "labco-cloudco-cloud")], reason="stale", on=TODAY, expected_version=old
        )
    assert contents(any_source.store) == before


def test_the_log_and_what_changed_since(any_source: SnapshotSource, tmp_path: Path) -> None:
    toy(any_source)
    first = any_source.current().version
    changed = tmp_path / "changed.yaml"
    changed.write_text((DATA / "toy.yaml").read_text().replace("{usd: 30e9}", "{usd: 31e9}"))
    import_paths(any_source, [changed], dry_run=False, max_bytes=MAX)
    changes.withdraw(any_source, withdrawal("chipco-labco-loi"), today=TODAY)
    changes.withdraw(any_source, withdrawal("labco-cloudco-cloud"), today=TODAY)
    changes.restore(any_source, restoration("labco-cloudco-cloud"))

    log = changes.history(any_source)
    assert [(e.seq, e.action) for e in log] == [
        (1, "import"),
        (2, "import"),
        (3, "withdraw"),
        (4, "withdraw"),
        (5, "restore"),
    ]
    assert log[-1].version == any_source.current().version
    rows = changes.import_log(any_source)
    assert [(r.seq, r.files, r.commitments.added, r.commitments.updated) for r in rows] == [
        (1, [str(DATA / "toy.yaml")], 5, 0),
        (2, [str(changed)], 0, 1),
    ]

    since = changes.changes_since(any_source, first)
    assert [e.seq for e in since.writes] == [2, 3, 4, 5]
    # Updated, withdrawn; the cloud contract withdrawn and restored nets to nothing.
    assert since.updated.commitments == ["neoco-chipco-gpus"]
    assert since.withdrawn.commitments == ["chipco-labco-loi"]
    assert since.restored.commitments == []
    assert since.added.commitments == []
    today = changes.changes_since(any_source, dt.datetime.now(dt.UTC).date().isoformat())
    assert len(today.added.commitments) == 4  # five added, one withdrawn since
    assert len(today.added.entities) == 4
    with pytest.raises(InvalidQueryError) as bad:
        changes.changes_since(any_source, "last week")
    assert bad.value.field == "since"
    with pytest.raises(NotFoundError) as unknown:
        changes.changes_since(any_source, "00000000-0000-4000-8000-000000000000")
    assert str(unknown.value) == ("no data version with id '00000000-0000-4000-8000-000000000000'")


def test_withdrawals_outlive_the_process(tmp_path: Path) -> None:
    store = EmbeddedStore.in_dir(tmp_path)
    source = SnapshotSource(store)
    toy(source)
    changes.withdraw(source, withdrawal("labco-cloudco-cloud"), today=TODAY)
    source.close()
    reopened = SnapshotSource(EmbeddedStore.in_dir(tmp_path))
    try:
        with pytest.raises(GoneError):
            require_commitment(reopened.current(), "labco-cloudco-cloud")
        assert [e.action for e in changes.history(reopened)] == ["import", "withdraw"]
    finally:
        reopened.close()
