"""The commands of change and correction: imports, changes, withdraw, restore.

They call graph.changes as the API does, so `--json` prints the API's answer.
"""

from __future__ import annotations

import argparse
import datetime as dt

from cli.options import model_from
from cli.output import opened, print_json
from cli.table import render
from graph import changes
from graph.errors import InvalidQueryError
from graph.settings import Settings
from schemas.changes import (
    RECORD_KINDS,
    ChangesAnswer,
    ImportLogRow,
    RecordIds,
    RestoreRequest,
    WithdrawalRequest,
    WithdrawalResult,
)


def cmd_imports(args: argparse.Namespace, settings: Settings) -> int:
    with opened(settings, seed=False) as source:
        rows = changes.import_log(source)
    if args.json:
        print_json(rows, list[ImportLogRow])
        return 0
    table = [
        (
            r.seq,
            r.at.isoformat(timespec="seconds"),
            _counts(r.entities.added, r.entities.updated),
            _counts(r.commitments.added, r.commitments.updated),
            _counts(r.events.added, r.events.updated),
            _files(r.files),
        )
        for r in rows
    ]
    headers = ("#", "at (UTC)", "entities +/~", "commitments +/~", "events +/~", "files")
    print(render(headers, table) if table else "no imports yet")
    return 0


SHOWN = 10


def _files(files: list[str]) -> str:
    more = f" and {len(files) - 2} more" if len(files) > 2 else ""
    return ", ".join(files[:2]) + more


def _ids(ids: list[str]) -> str:
    more = f", and {len(ids) - SHOWN} more (--json lists all)" if len(ids) > SHOWN else ""
    return ", ".join(ids[:SHOWN]) + more


def _counts(added: int, updated: int) -> str:
    return f"+{added} ~{updated}"


def cmd_changes(args: argparse.Namespace, settings: Settings) -> int:
    with opened(settings, seed=False) as source:
        answer = changes.changes_since(source, args.since)
    if args.json:
        print_json(answer, ChangesAnswer)
        return 0
    print(f"{len(answer.writes)} write(s) since {answer.since}")
    for label in ("added", "updated", "withdrawn", "restored"):
        ids: RecordIds = getattr(answer, label)
        for plural in ("entities", "commitments", "events"):
            listed = getattr(ids, plural)
            if listed:
                print(f"{label} {plural} ({len(listed)}): {_ids(listed)}")
    if answer.untracked_imports:
        print(f"{answer.untracked_imports} import(s) logged before ids were kept: not listed")
    return 0


def _date_or_version(text: str) -> dt.date | str:
    try:
        return changes.parse_since(text)
    except InvalidQueryError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _records(args: argparse.Namespace) -> list[dict[str, str | None]]:
    return [{"id": record_id, "kind": args.kind} for record_id in args.ids]


def cmd_withdraw(args: argparse.Namespace, settings: Settings) -> int:
    request = model_from(WithdrawalRequest, args, extra={"records": _records(args)}, spell=_spell)
    with opened(settings, seed=False) as source:
        result = changes.withdraw(source, request, today=dt.date.today())
    return _report(args, result)


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    request = model_from(RestoreRequest, args, extra={"records": _records(args)}, spell=_spell)
    with opened(settings, seed=False) as source:
        result = changes.restore(source, request)
    return _report(args, result)


def _spell(loc: tuple[int | str, ...]) -> str:
    return "ID" if loc and loc[0] == "records" else f"--{loc[0]}" if loc else "options"


def _report(args: argparse.Namespace, result: WithdrawalResult) -> int:
    if args.json:
        print_json(result)
        return 0
    for record in result.records:
        withdrawal = f"on {record.on.isoformat()}: {record.reason}"
        if result.action == "withdraw":
            print(f"withdrawn: {record.kind} {record.id} ({withdrawal})")
        else:
            print(f"restored: {record.kind} {record.id} (withdrawn {withdrawal})")
    return 0


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("imports", help="list the imports that changed the store")
    p.set_defaults(handler=cmd_imports)
    p.add_argument("--json", action="store_true", help="print the API's JSON answer")

    p = sub.add_parser("changes", help="what was added, updated or withdrawn since a date")
    p.set_defaults(handler=cmd_changes)
    p.add_argument(
        "--since",
        required=True,
        type=_date_or_version,
        help="a date (YYYY-MM-DD, from 00:00 UTC) or a data version (aifg imports lists them)",
    )
    p.add_argument("--json", action="store_true", help="print the API's JSON answer")

    for name, help_text, handler in (
        ("withdraw", "take records out of the data, keeping them with a reason", cmd_withdraw),
        ("restore", "bring withdrawn records back as they were", cmd_restore),
    ):
        p = sub.add_parser(name, help=help_text)
        p.set_defaults(handler=handler)
        p.add_argument("ids", nargs="+", metavar="ID")
        p.add_argument("--reason", required=True, help="why, in one line (kept with the record)")
        p.add_argument("--kind", choices=RECORD_KINDS, help="where an id names two kinds")
        p.add_argument("--json", action="store_true", help="print the API's JSON answer")
        if name == "withdraw":
            p.add_argument(
                "--on", type=dt.date.fromisoformat, help="the date it takes effect (default today)"
            )
