"""The `aifg` command: the same graph/ functions as the API, for the terminal and scripts.

Exit codes: 0 success, 1 data error (invalid file, unknown id), 2 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from cli import stress
from cli.table import render, usd
from graph import service
from graph.analysis.concentration import ConcentrationSort, concentration
from graph.errors import AifgError, DataError, InvalidQueryError, NotFoundError
from graph.settings import Settings, get_settings
from graph.store.embedded import EmbeddedStore
from graph.store.neo4j import Neo4jStore
from schemas.commitments import Commitment
from schemas.dataset import dataset_json_schema
from schemas.enums import CommitmentKind, Direction, EntityKind, Status, ValueBasis

Handler = Callable[[argparse.Namespace, Settings], int]


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _bool(text: str) -> bool:
    if text.lower() in ("true", "yes", "1"):
        return True
    if text.lower() in ("false", "no", "0"):
        return False
    raise argparse.ArgumentTypeError(f"not true/false: {text!r}")


def _print_json(value: Any) -> None:
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", by_alias=True)
    elif isinstance(value, list):
        value = [
            v.model_dump(mode="json", by_alias=True) if isinstance(v, BaseModel) else v
            for v in value
        ]
    print(json.dumps(value, ensure_ascii=False, indent=2))


def _store(settings: Settings) -> EmbeddedStore | Neo4jStore:
    return service.open_store(settings)


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(settings) if args.with_store else None
    try:
        files = service.validate_paths(args.paths, store, max_bytes=settings.max_file_bytes)
    finally:
        if store is not None:
            store.close()
    counts = [
        (len(f.dataset.entities), len(f.dataset.commitments), len(f.dataset.events)) for f in files
    ]
    totals = [sum(c[i] for c in counts) for i in range(3)]
    print(
        f"ok: {len(files)} file(s), {totals[0]} entities, {totals[1]} commitments, "
        f"{totals[2]} events"
    )
    return 0


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(settings)
    try:
        summary = service.import_paths(
            store, args.paths, dry_run=args.dry_run, max_bytes=settings.max_file_bytes
        )
    finally:
        store.close()
    if args.json:
        _print_json(summary)
        return 0
    rows = [
        (kind, c.added, c.updated, c.unchanged)
        for kind, c in (
            ("entities", summary.entities),
            ("commitments", summary.commitments),
            ("events", summary.events),
        )
    ]
    print(render(("", "added", "updated", "unchanged"), rows))
    print("dry run: nothing written" if args.dry_run else "imported")
    return 0


def cmd_entities(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(settings)
    page = service.search_entities(
        store.snapshot(),
        q=args.q,
        kind=args.kind,
        sector=args.sector,
        limit=args.limit,
        offset=args.offset,
    )
    store.close()
    if args.json:
        _print_json({"total": page.total, "items": [e.model_dump(mode="json") for e in page.items]})
        return 0
    print(
        render(
            ("id", "name", "kind", "country", "aliases"),
            [
                (e.id, e.name, e.kind.value, e.country or "", ", ".join(e.aliases[:3]))
                for e in page.items
            ],
        )
    )
    print(f"{page.total} match(es)")
    return 0


def _amount_cell(c: Commitment) -> str:
    """The total, marked when it is a ceiling or a third party's estimate, not a disclosure."""
    assert c.amount is not None
    marks = ("up to " if c.amount.up_to else "") + ("est. " if c.amount.estimate else "")
    return marks + usd(float(c.total_usd()))


def cmd_commitments(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(settings)
    where = service.CommitmentFilter(
        entity=args.entity,
        counterparty=args.counterparty,
        kind=args.kind,
        status=args.status,
        binding=args.binding,
        min_usd=args.min_usd,
        as_of=args.as_of,
    )
    try:
        page = service.list_commitments(
            store.snapshot(), where, limit=args.limit, offset=args.offset
        )
    finally:
        store.close()
    if args.json:
        _print_json(
            {
                "total": page.total,
                "items": [c.model_dump(mode="json", by_alias=True) for c in page.items],
            }
        )
        return 0
    print(
        render(
            ("id", "from", "to", "kind", "usd", "announced", "status"),
            [
                (
                    c.id,
                    c.from_,
                    c.to,
                    c.kind.value,
                    _amount_cell(c) if c.amount else "n/d",
                    c.announced,
                    c.status[-1].status.value,
                )
                for c in page.items
            ],
        )
    )
    print(f"{page.total} match(es)")
    return 0


def cmd_exposure(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(settings)
    try:
        report = store.exposure(
            args.entity,
            as_of=args.as_of,
            direction=args.direction,
            basis=args.basis,
            depth=args.depth,
            limit=args.limit,
        )
    finally:
        store.close()
    if args.json:
        _print_json(report)
        return 0
    what = (
        "stands to lose if each counterparty fails"
        if report.direction is Direction.OUT
        else "is what each entity stands to lose if it fails"
    )
    print(
        f"{report.name} ({report.entity}) at {report.as_of}, basis {report.basis.value}: "
        f"{usd(report.total_usd)} {what}"
    )
    print(
        render(
            ("counterparty", "usd", "share", "kinds", "commitments"),
            [
                (
                    c.id,
                    usd(c.usd),
                    f"{c.share:.1%}",
                    ",".join(k.value for k in c.kinds),
                    ", ".join(c.commitments),
                )
                for c in report.counterparties
            ],
        )
    )
    if len(report.counterparties) < report.counterparty_count:
        print(f"(the largest {len(report.counterparties)} of {report.counterparty_count})")
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
            print(f"(the largest {len(report.look_through)} of {report.look_through_count})")
    return 0


def cmd_cycles(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(settings)
    try:
        report = store.cycles(
            as_of=args.as_of,
            basis=args.basis,
            max_length=args.max_length,
            entity=args.entity,
            limit=args.limit,
        )
    finally:
        store.close()
    if args.json:
        _print_json(report)
        return 0
    print(
        render(
            ("round trip", "loop"),
            [(usd(c.round_trip_usd), " -> ".join(c.entities)) for c in report.cycles],
        )
    )
    print(f"{len(report.cycles)} loop(s){' (more exist)' if report.truncated else ''}")
    return 0


def cmd_concentration(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(settings)
    try:
        report = concentration(
            store.snapshot(), as_of=args.as_of, basis=args.basis, sort=args.sort, limit=args.limit
        )
    finally:
        store.close()
    if args.json:
        _print_json(report)
        return 0
    print(
        render(
            ("entity", "at stake", "exposed", "exposure", "largest", "share", "HHI"),
            [
                (
                    r.id,
                    usd(r.at_stake_usd),
                    r.exposed_entities,
                    usd(r.exposure_usd),
                    r.largest_counterparty or "",
                    f"{r.largest_share:.0%}",
                    f"{r.hhi:.2f}",
                )
                for r in report.rows
            ],
        )
    )
    return 0


def cmd_timeline(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(settings)
    try:
        entries = store.timeline(since=args.since, until=args.until, entity=args.entity)
    finally:
        store.close()
    if args.json:
        _print_json(entries)
        return 0
    print(
        render(
            ("date", "what", "source"),
            [(e.date, e.title, e.source_publisher or "") for e in entries],
        )
    )
    return 0


def cmd_schema(args: argparse.Namespace, settings: Settings) -> int:
    text = json.dumps(dataset_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from cli.serve import serve  # the API stack loads only for this command

    return serve(settings, host=args.host, port=args.port)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aifg", description="AI Financing Graph: map and stress-test AI financing deals."
    )
    parser.add_argument("--data-dir", type=Path, help="embedded store directory (AIFG_DATA_DIR)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    today = dt.date.today()

    def command(name: str, handler: Handler, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(handler=handler)
        return p

    p = command("validate", cmd_validate, "check YAML dataset files or folders")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument(
        "--with-store",
        action="store_true",
        help="let references point to entities already in the store",
    )

    p = command("import", cmd_import, "import YAML files into the store, all or nothing")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    p.add_argument("--json", action="store_true")

    p = command("entities", cmd_entities, "search entities by name or alias (any language)")
    p.add_argument("--q", help="text to find in ids, names and aliases")
    p.add_argument("--kind", type=EntityKind, choices=list(EntityKind))
    p.add_argument("--sector")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--json", action="store_true")

    p = command("commitments", cmd_commitments, "list commitments, filtered")
    p.add_argument("--entity")
    p.add_argument("--counterparty")
    p.add_argument("--kind", type=CommitmentKind, choices=list(CommitmentKind))
    p.add_argument("--status", type=Status, choices=list(Status))
    p.add_argument("--binding", type=_bool)
    p.add_argument("--min-usd", type=float)
    p.add_argument("--as-of", type=_date)
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--json", action="store_true")

    p = command("exposure", cmd_exposure, "who an entity is exposed to, or who is exposed to it")
    p.add_argument("entity")
    p.add_argument(
        "--direction",
        type=Direction,
        choices=list(Direction),
        default=Direction.OUT,
        help="out: what it stands to lose; in: who stands to lose if it fails",
    )
    p.add_argument("--as-of", type=_date, default=today)
    p.add_argument("--basis", type=ValueBasis, choices=list(ValueBasis), default=ValueBasis.POINT)
    p.add_argument("--depth", type=int, default=1, help="look-through depth, 1..6")
    p.add_argument("--limit", type=int, help="list only the largest N of each list")
    p.add_argument("--json", action="store_true")

    p = command("cycles", cmd_cycles, "circular financing loops, largest round trip first")
    p.add_argument("--entity")
    p.add_argument("--max-length", type=int, default=6)
    p.add_argument("--as-of", type=_date, default=today)
    p.add_argument("--basis", type=ValueBasis, choices=list(ValueBasis), default=ValueBasis.POINT)
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true")

    p = command("concentration", cmd_concentration, "who is most depended upon or concentrated")
    p.add_argument("--as-of", type=_date, default=today)
    p.add_argument("--basis", type=ValueBasis, choices=list(ValueBasis), default=ValueBasis.POINT)
    p.add_argument(
        "--sort",
        type=ConcentrationSort,
        choices=list(ConcentrationSort),
        default=ConcentrationSort.MOST_DEPENDED_UPON,
    )
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true")

    p = command("stress", stress.cmd_stress, stress.HELP)
    stress.add_arguments(p, date=_date)

    p = command("timeline", cmd_timeline, "announcements, status changes and events by date")
    p.add_argument("--since", type=_date)
    p.add_argument("--until", type=_date)
    p.add_argument("--entity")
    p.add_argument("--json", action="store_true")

    p = command("schema", cmd_schema, "print the JSON Schema of the dataset file")
    p.add_argument("--output", "-o", help="write to this file instead of stdout")

    p = command("serve", cmd_serve, "serve the REST API and the explorer page")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # The Neo4j driver logs each retry and lost connection; a failure ends up as our own
    # one-line error, so its log would only repeat it (the API's server log keeps it).
    if args.command != "serve":
        logging.getLogger("neo4j").setLevel(logging.CRITICAL)
    settings = get_settings()
    if args.data_dir is not None:
        settings = settings.model_copy(update={"data_dir": args.data_dir})
    try:
        code: int = args.handler(args, settings)
        sys.stdout.flush()  # a reader gone away shows here, inside the try, not at exit
    except DataError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    except NotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except InvalidQueryError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except AifgError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # `aifg stress ... | head` stopped reading: not an error. Point stdout at devnull so
        # the interpreter's final flush does not fail again (Python docs, "SIGPIPE").
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return code


if __name__ == "__main__":
    sys.exit(main())
