"""The read commands: each asks one question of graph.queries, as the API route does, and
prints a table for people or, with --json, exactly the API's JSON body."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from cli.options import add_model_options, model_from
from cli.output import json_text, opened, print_json
from cli.table import AMOUNTS, NOT_KNOWN, at_least, percent, render, usd
from graph import queries
from graph.errors import InvalidQueryError
from graph.formats import tables
from graph.formats.csv import to_csv
from graph.settings import Settings
from graph.snapshot import Snapshot
from schemas.commitments import Commitment
from schemas.enums import Direction
from schemas.queries import (
    CommitmentQuery,
    ConcentrationQuery,
    CycleQuery,
    EntityQuery,
    ExportFormat,
    ExportQuery,
    ExposureQuery,
    TimelineQuery,
)
from schemas.results import CounterpartyExposure, TimelineEntry

Sub = "argparse._SubParsersAction[argparse.ArgumentParser]"


Q = TypeVar("Q", bound=BaseModel)
R = TypeVar("R")


def output_flags(p: argparse.ArgumentParser, *, csv: bool = False) -> None:
    """--json, and --csv where the answer is a table (the API's `format=csv`)."""
    group = p.add_mutually_exclusive_group()
    group.add_argument("--json", action="store_true", help="print the API's JSON answer")
    if csv:
        group.add_argument(
            "--csv", action="store_true", help="print the API's CSV answer (format=csv)"
        )


def print_csv(table: tables.Table) -> None:
    sys.stdout.write(to_csv(table))


def ask(
    args: argparse.Namespace,
    settings: Settings,
    model: type[Q],
    question: Callable[[Snapshot, Q], R],
    as_type: Any = None,
    table: Callable[[R], tables.Table] | None = None,
) -> R | None:
    """The answer to the question the options ask, or None once --json or --csv has
    printed it."""
    query = model_from(model, args)
    with opened(settings) as source:
        answer = question(source.current(), query)
    if args.json:
        print_json(answer, as_type)
        return None
    if table is not None and getattr(args, "csv", False):
        print_csv(table(answer))
        return None
    return answer


def cmd_entities(args: argparse.Namespace, settings: Settings) -> int:
    page = ask(args, settings, EntityQuery, queries.search_entities)
    if page is None:
        return 0
    rows = [
        (e.id, e.name, e.kind.value, e.country or "", ", ".join(e.aliases[:3])) for e in page.items
    ]
    print(render(("id", "name", "kind", "country", "aliases"), rows))
    print(_shown(len(page.items), page.total, "match(es)"))
    return 0


def cmd_entity(args: argparse.Namespace, settings: Settings) -> int:
    with opened(settings) as source:
        detail = queries.entity_detail(source.current(), args.id)
    if args.json:
        print_json(detail)
        return 0
    e = detail.entity
    facts = [e.kind.value, ", ".join(e.sectors), e.country or "", e.ticker or ""]
    print(f"{e.name} ({e.id}): " + " · ".join(f for f in facts if f))
    if e.aliases:
        print("aliases: " + ", ".join(e.aliases))
    for title, items in (
        ("pays or invests", detail.commitments_out),
        ("receives", detail.commitments_in),
    ):
        print(f"\n{title}:")
        print(_commitment_table(items) if items else "(none)")
    return 0


def _amount_cell(c: Commitment) -> str:
    """The total, marked when it is a ceiling or a third party's estimate, not a disclosure."""
    if c.amount is None:
        return "n/d"
    marks = ("up to " if c.amount.up_to else "") + ("est. " if c.amount.estimate else "")
    return marks + usd(float(c.total_usd()))


def _commitment_table(items: list[Commitment], as_of: dt.date | None = None) -> str:
    return render(
        ("id", "from", "to", "kind", "usd", "announced", "status"),
        [
            (
                c.id,
                c.from_,
                c.to,
                c.kind.value,
                _amount_cell(c),
                c.announced,
                (c.status_at(as_of) if as_of else c.status[-1].status) or "",
            )
            for c in items
        ],
    )


def _today() -> dt.date:
    """The default `as_of` of every question: the date when it is asked."""
    return dt.date.today()


def _shown(shown: int, total: int, what: str) -> str:
    return (
        f"{total} {what}"
        if shown == total
        else f"{total} {what}, {shown} shown (--limit, --offset)"
    )


def cmd_commitments(args: argparse.Namespace, settings: Settings) -> int:
    as_of = model_from(CommitmentQuery, args).as_of
    page = ask(
        args,
        settings,
        CommitmentQuery,
        queries.list_commitments,
        table=lambda answer: tables.commitments_table(answer.items, as_of=as_of),
    )
    if page is None:
        return 0
    # With a date, each row shows the status at that date (not a later one).
    print(_commitment_table(page.items, as_of))
    print(_shown(len(page.items), page.total, "match(es)"))
    return 0


def cmd_commitment(args: argparse.Namespace, settings: Settings) -> int:
    with opened(settings) as source:
        commitment = queries.get_commitment(source.current(), args.id)
    # One record reads best as the JSON it is, in either mode.
    print_json(commitment)
    return 0


def cmd_exposure(args: argparse.Namespace, settings: Settings) -> int:
    report = ask(
        args,
        settings,
        ExposureQuery,
        lambda snapshot, query: queries.exposure(snapshot, args.entity, query, today=_today()),
        table=tables.exposure_table,
    )
    if report is None:
        return 0
    what = (
        "stands to lose if each counterparty fails"
        if report.direction is Direction.OUT
        else "is what each entity stands to lose if it fails"
    )
    print(
        f"{report.name} ({report.entity}) at {report.as_of}, {AMOUNTS[report.basis]}: "
        f"{at_least(report.total_usd, report.undisclosed)} {what}"
    )
    print(
        render(
            ("counterparty", "usd", "per year", "share", "of revenue", "kinds", "commitments"),
            [
                (
                    c.id,
                    _marked(c),
                    _per_year(c),
                    percent(c.share, 1),
                    percent(c.share_of_revenue),
                    ",".join(k.value for k in c.kinds),
                    _commitments(c),
                )
                for c in report.counterparties
            ],
        )
    )
    if len(report.counterparties) < report.counterparty_count:
        print(_page(report.offset, len(report.counterparties), report.counterparty_count))
    print()
    if report.ceilings:
        print(f'{report.ceilings} of the figures are "up to" ceilings, not expectations')
    revenue = next((c.exposed_revenue for c in report.counterparties if c.exposed_revenue), None)
    if report.direction is Direction.OUT and revenue:
        print(f"of revenue: {report.name}'s {usd(revenue.usd)} ({revenue.period or revenue.as_of})")
    if report.look_through:
        print(f"\nlook-through to depth {report.depth}:")
        print(
            render(
                ("entity", "usd", "paths", "largest path"),
                [
                    (r.id, usd(r.usd), r.path_count, " -> ".join(r.paths[0].path))
                    for r in report.look_through
                ],
            )
        )
        if len(report.look_through) < report.look_through_count:
            print(_page(report.offset, len(report.look_through), report.look_through_count))
    return 0


def _page(offset: int, shown: int, total: int) -> str:
    if not shown:
        return f"(none from row {offset + 1} of {total}: --offset is past the end)"
    if not offset:
        return f"(the largest {shown} of {total}; --limit, --offset for more)"
    return f"(rows {offset + 1}-{offset + shown} of {total}, largest first; --limit, --offset)"


def _marked(row: CounterpartyExposure) -> str:
    marks = ("up to " if row.up_to else "") + ("est. " if row.estimate else "")
    return marks + at_least(row.usd, row.undisclosed)


def _per_year(row: CounterpartyExposure) -> str:
    """A year's worth of the row, saying how many of its commitments it covers when not
    all (the others have no term or no figure); n/k when none has both."""
    if row.usd_per_year is None:
        return NOT_KNOWN
    if row.per_year_count < row.commitment_count:
        return f"{usd(row.usd_per_year)} ({row.per_year_count} of {row.commitment_count})"
    return usd(row.usd_per_year)


def _commitments(row: CounterpartyExposure) -> str:
    more = row.commitment_count - len(row.commitments)
    return ", ".join(row.commitments) + (f" and {more} more (--items)" if more else "")


def cmd_cycles(args: argparse.Namespace, settings: Settings) -> int:
    report = ask(
        args,
        settings,
        CycleQuery,
        lambda s, q: queries.cycles(s, q, today=_today()),
        table=tables.cycles_table,
    )
    if report is None:
        return 0
    print(
        render(
            ("round trip", "loop", "note"),
            [(usd(c.round_trip_usd), " -> ".join(c.entities), c.note or "") for c in report.cycles],
        )
    )
    print(f"{len(report.cycles)} loop(s){' (more exist)' if report.truncated else ''}")
    return 0


CONCENTRATION_LEGEND = (
    "at stake: what others stand to lose if it fails; exposed: how many they are; exposure: "
    "what it stands to lose if others fail; largest, share: its largest counterparty and "
    "that one's share of its exposure; HHI: sum of squared shares (1 = all with one, 1/n = "
    "spread over n). Disclosed figures only; n/d = not disclosed; n/k = not known, as none "
    "of its figures is disclosed."
)


def cmd_concentration(args: argparse.Namespace, settings: Settings) -> int:
    report = ask(
        args,
        settings,
        ConcentrationQuery,
        lambda s, q: queries.concentration(s, q, today=_today()),
        table=tables.concentration_table,
    )
    if report is None:
        return 0
    print(
        render(
            ("entity", "at stake", "exposed", "exposure", "largest", "share", "HHI"),
            [
                (
                    r.id,
                    at_least(r.at_stake_usd, r.at_stake_undisclosed),
                    r.exposed_entities,
                    at_least(r.exposure_usd, r.exposure_undisclosed),
                    r.largest_counterparty or "",
                    # Nothing to measure without counterparties; n/k without figures.
                    "" if not r.counterparties else percent(r.largest_share),
                    "" if not r.counterparties else NOT_KNOWN if r.hhi is None else f"{r.hhi:.2f}",
                )
                for r in report.rows
            ],
        )
    )
    print(CONCENTRATION_LEGEND)
    return 0


def cmd_timeline(args: argparse.Namespace, settings: Settings) -> int:
    entries = ask(
        args,
        settings,
        TimelineQuery,
        queries.timeline,
        list[TimelineEntry],
        table=tables.timeline_table,
    )
    if entries is None:
        return 0
    print(
        render(
            ("date", "what", "source"),
            [(e.date, e.title, e.source_publisher or "") for e in entries],
        )
    )
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    query = model_from(ExportQuery, args)
    if args.json and query.format is not ExportFormat.JSON:
        raise InvalidQueryError("--json is the json format: leave out --format", field="format")
    output: Path | None = args.output
    if query.format is ExportFormat.DATAPACKAGE and output is None and sys.stdout.isatty():
        raise InvalidQueryError(
            "--format datapackage is a zip file: add --output FILE (or redirect stdout)",
            field="output",
        )
    with opened(settings) as source:
        exported = queries.export(source.current(), query, today=_today())
    content = exported.content
    if exported.format is ExportFormat.JSON:
        content = json_text(content, dict)
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    if output is not None:
        output.write_bytes(data)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
    return 0


Handler = Callable[[argparse.Namespace, Settings], int]
# name, handler, help, the query model its options come from, a positional (name, help).
COMMANDS: list[tuple[str, Handler, str, type[BaseModel] | None, tuple[str, str] | None]] = [
    (
        "entities",
        cmd_entities,
        "search entities by name or alias (any language)",
        EntityQuery,
        None,
    ),
    (
        "entity",
        cmd_entity,
        "one entity and its commitments either way",
        None,
        ("id", "e.g. nvidia"),
    ),
    ("commitments", cmd_commitments, "list commitments, filtered", CommitmentQuery, None),
    (
        "commitment",
        cmd_commitment,
        "one commitment, as JSON",
        None,
        ("id", "e.g. nvidia-openai-loi-2025"),
    ),
    (
        "exposure",
        cmd_exposure,
        "who an entity is exposed to, or who is exposed to it",
        ExposureQuery,
        ("entity", "entity id, e.g. oracle"),
    ),
    ("cycles", cmd_cycles, "circular financing loops, largest round trip first", CycleQuery, None),
    (
        "concentration",
        cmd_concentration,
        "who is most depended upon or concentrated",
        ConcentrationQuery,
        None,
    ),
    (
        "timeline",
        cmd_timeline,
        "announcements, status changes and events by date",
        TimelineQuery,
        None,
    ),
]


# The questions whose answers are tables: --csv prints what the API's format=csv sends.
CSV_COMMANDS = {"commitments", "exposure", "cycles", "concentration", "timeline"}


def add_commands(sub: Sub) -> None:  # type: ignore[valid-type]
    """The read commands and their options (from the query models)."""
    for name, handler, help_text, model, positional in COMMANDS:
        p = sub.add_parser(name, help=help_text, description=help_text)  # type: ignore[attr-defined]
        p.set_defaults(handler=handler)
        if positional:
            p.add_argument(positional[0], help=positional[1])
        if model:
            add_model_options(p, model)
        output_flags(p, csv=name in CSV_COMMANDS)
    help_text = (
        "the graph as node-link JSON, GraphML, GEXF with time, a Cypher script, "
        "FollowTheMoney JSON lines or a zipped data package of CSVs"
    )
    p = sub.add_parser("export", help=help_text, description=help_text)  # type: ignore[attr-defined]
    p.set_defaults(handler=cmd_export)
    add_model_options(p, ExportQuery)
    p.add_argument("--json", action="store_true", help="node-link JSON (the default --format)")
    p.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout")
