"""What a curator should look at in valid data: money that is probably counted twice, and
figures a journalist could not cite as they stand. `aifg validate` prints these as
warnings; they never refuse a file."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from schemas.commitments import Commitment
from schemas.common import Source
from schemas.dataset import Dataset
from schemas.enums import MONEY_FLOW_KINDS, SourceKind

# Pages that are not where a story or a filing lives: proxies, personal or CDN copies of
# filings, repositories. A source on one of these should cite the original instead.
NOT_CITABLE = (
    ("proxies?url=", "a proxy"),
    ("vuink.com", "a proxy"),
    ("github.io", "a personal mirror"),
    ("raw.githubusercontent.com", "a repository file"),
    ("supabase.co", "a personal mirror"),
    ("cloudfront.net", "a CDN copy"),
)


SAME_NEWS_DAYS = 31


@dataclass(frozen=True)
class Warning:
    where: str  # a record id, or a record id and field
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class SourceReport:
    """How the figures are sourced: by the kind of their lead source, and how many rest on
    copies only."""

    lead_kinds: Counter[str]
    copy_only: int
    figures: int
    warnings: list[Warning]


def likely_overlaps(commitments: Iterable[Commitment]) -> Iterator[Warning]:
    """Pairs with the same parties and kind, announced within a month of each other and
    counting at the same time, with no part_of, replaced_by or overlaps linking them and
    neither saying the other is `distinct_from` it: perhaps the same money reported twice
    (successive deals of the same parties, months apart, are usually new money and are not
    flagged)."""
    by_pair: dict[tuple[str, str, str], list[Commitment]] = {}
    for c in commitments:
        if c.kind in MONEY_FLOW_KINDS and c.amount is not None:
            by_pair.setdefault((c.from_, c.to, c.kind.value), []).append(c)
    for group in by_pair.values():
        for a, b in itertools.combinations(sorted(group, key=lambda c: c.id), 2):
            near = abs((a.announced - b.announced).days) <= SAME_NEWS_DAYS
            if not near or _linked(a, b) or _said_distinct(a, b) or not _periods_meet(a, b):
                continue
            yield Warning(
                f"{a.id} and {b.id}",
                f"same parties and kind ({a.kind.value}), counting at the same time: if they "
                "are the same money, say so with part_of, replaced_by or overlaps; if not, say "
                "so with distinct_from and why in notes",
            )


def _linked(a: Commitment, b: Commitment) -> bool:
    def points(x: Commitment, y: Commitment) -> bool:
        return (
            x.part_of == y.id
            or (x.replaced_by is not None and x.replaced_by.commitment == y.id)
            or any(o.commitment == y.id for o in x.overlaps)
        )

    return points(a, b) or points(b, a) or (a.part_of is not None and a.part_of == b.part_of)


def _said_distinct(a: Commitment, b: Commitment) -> bool:
    return b.id in a.distinct_from or a.id in b.distinct_from


def _periods_meet(a: Commitment, b: Commitment) -> bool:
    for (s1, e1), (s2, e2) in itertools.product(a.counting_intervals(), b.counting_intervals()):
        if (e1 is None or s2 < e1) and (e2 is None or s1 < e2):
            return True
    return False


def _not_citable(source: Source) -> str | None:
    for pattern, what in NOT_CITABLE:
        if pattern in source.url:
            return what
    parts = urlsplit(source.url)
    if parts.path in ("", "/") and not parts.query:
        return "a home page, not the page with the figure"
    return None


def sources(dataset: Dataset) -> SourceReport:
    """Each figure (a commitment's amount, a dated financial, an event's figures) by the
    kind of its lead source; the ones whose every source is a copy; hosts not to cite."""
    lead: Counter[str] = Counter()
    copy_only = figures = 0
    warnings: list[Warning] = []

    def figure(where: str, cited: list[Source]) -> None:
        nonlocal copy_only, figures
        figures += 1
        lead[cited[0].kind.value] += 1
        if all(s.kind is SourceKind.COPY for s in cited):
            copy_only += 1

    for c in dataset.commitments:
        if c.amount is not None:
            figure(c.id, c.sources)
    for e in dataset.entities:
        for f in e.financials:
            figure(f"{e.id} {f.metric.value} {f.as_of}", [f.source, *f.other_sources])
    for ev in dataset.events:
        if ev.figures:
            figure(ev.id, ev.sources)
    for where, source in _all_sources(dataset):
        what = _not_citable(source)
        if what:
            warnings.append(Warning(where, f"{source.url} is {what}: cite the original"))
    return SourceReport(lead, copy_only, figures, warnings)


def _all_sources(dataset: Dataset) -> Iterator[tuple[str, Source]]:
    for c in dataset.commitments:
        yield from ((c.id, s) for s in c.sources)
        yield from ((f"{c.id} status {s.date}", s.source) for s in c.status if s.source)
    for e in dataset.entities:
        for f in e.financials:
            where = f"{e.id} {f.metric.value} {f.as_of}"
            yield from ((where, s) for s in (f.source, *f.other_sources))
    for ev in dataset.events:
        yield from ((ev.id, s) for s in ev.sources)
