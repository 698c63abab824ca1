"""graph.references reads a record's links from its model and from a file's data alike: the
same links, at the same paths, for a commitment and an event holding one of each."""

from __future__ import annotations

from graph import references
from graph.load import RejectedFile, parse_bytes, read_text

EVERY_LINK = b"""version: 1
commitments:
  - id: a-b-loan
    from: a
    to: b
    kind: loan
    amount: {usd: 5e9}
    announced: 2025-05-01
    status: [{date: 2025-05-01, status: signed}]
    sources: [{url: "https://example.com/x", publisher: Example}]
    part_of: a-b-programme
    replaced_by: {commitment: a-b-loan-2, date: 2025-06-01}
    overlaps: [{commitment: a-b-other, usd: 1e9}, {commitment: a-b-third, usd: 2e9}]
    distinct_from: [a-b-bond]
    round: {name: Series A, leads: [c, d]}
events:
  - id: e1
    date: 2025-05-01
    kind: market_move
    title: A move
    entities: [a, b]
    commitments: [a-b-loan]
    disputed_by: [e2]
    sources: [{url: "https://example.com/x", publisher: Example}]
"""

# By hand from EVERY_LINK: every link, at the path the file writes it.
EXPECTED = {
    "commitment": [
        (("from",), "entity", "a"),
        (("to",), "entity", "b"),
        (("part_of",), "commitment", "a-b-programme"),
        (("replaced_by", "commitment"), "commitment", "a-b-loan-2"),
        (("overlaps", 0, "commitment"), "commitment", "a-b-other"),
        (("overlaps", 1, "commitment"), "commitment", "a-b-third"),
        (("distinct_from", 0), "commitment", "a-b-bond"),
        (("round", "leads", 0), "entity", "c"),
        (("round", "leads", 1), "entity", "d"),
    ],
    "event": [
        (("entities", 0), "entity", "a"),
        (("entities", 1), "entity", "b"),
        (("commitments", 0), "commitment", "a-b-loan"),
        (("disputed_by", 0), "event", "e2"),
    ],
}


def test_a_model_and_a_files_data_give_the_same_links() -> None:
    dataset = parse_bytes(EVERY_LINK, "links.yaml").dataset
    assert (
        list(references.of_record("commitment", dataset.commitments[0])) == (EXPECTED["commitment"])
    )
    assert list(references.of_record("event", dataset.events[0])) == EXPECTED["event"]
    # The same file made invalid elsewhere: its data still gives every link.
    rejected = read_text(EVERY_LINK.decode().replace("title: A move", "title: ''"), "bad.yaml")
    assert isinstance(rejected, RejectedFile) and rejected.data is not None
    [commitment] = rejected.data["commitments"]
    [event] = rejected.data["events"]
    assert sorted(references.in_data("commitment", commitment)) == sorted(EXPECTED["commitment"])
    assert list(references.in_data("event", event)) == EXPECTED["event"]
