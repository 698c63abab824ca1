"""The commands that read files: validate, import, schema."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from cli.output import opened, print_json
from cli.table import render
from graph import imports, review
from graph.settings import Settings
from graph.validate import merge
from schemas.dataset import dataset_json_schema


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    if args.with_store:
        with opened(settings) as source:
            files = imports.validate_paths(
                args.paths, source.current(), max_bytes=settings.max_file_bytes
            )
    else:
        files = imports.validate_paths(args.paths, max_bytes=settings.max_file_bytes)
    counts = [
        (len(f.dataset.entities), len(f.dataset.commitments), len(f.dataset.events)) for f in files
    ]
    totals = [sum(c[i] for c in counts) for i in range(3)]
    print(
        f"ok: {len(files)} file(s), {totals[0]} entities, {totals[1]} commitments, "
        f"{totals[2]} events"
    )
    dataset = merge(files)
    report = review.sources(dataset)
    kinds = ", ".join(f"{n} {kind}" for kind, n in report.lead_kinds.most_common())
    print(f"figures: {report.figures}, by lead source: {kinds}")
    print(f"figures resting on copies only: {report.copy_only} (cite the originals where found)")
    warnings = [*review.likely_overlaps(dataset.commitments), *report.warnings]
    for warning in warnings:
        print(f"warning: {warning}")
    if warnings:
        print(f"{len(warnings)} warning(s): the files are valid; look at these before publishing")
    return 0


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    # An explicit import never seeds first: it writes what it is given and nothing else,
    # so its counts are the counts of those files.
    with opened(settings, seed=False) as source:
        summary = imports.import_paths(
            source, args.paths, dry_run=args.dry_run, max_bytes=settings.max_file_bytes
        )
    if args.json:
        print_json(summary)
        return 0
    counted = (
        ("entities", summary.entities),
        ("commitments", summary.commitments),
        ("events", summary.events),
    )
    headers = ["", "added", "updated", "unchanged"]
    rows = [[kind, c.added, c.updated, c.unchanged] for kind, c in counted]
    if any(c.withdrawn for _, c in counted):  # kept out of the data: withdrawn earlier
        headers.append("withdrawn (kept out)")
        for row, (_, c) in zip(rows, counted, strict=True):
            row.append(c.withdrawn)
    print(render(headers, rows))
    print("dry run: nothing written" if args.dry_run else "imported")
    return 0


def cmd_schema(args: argparse.Namespace, settings: Settings) -> int:
    text = json.dumps(dataset_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("validate", help="check YAML dataset files or folders")
    p.set_defaults(handler=cmd_validate)
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument(
        "--with-store",
        action="store_true",
        help="let references point to entities already in the store",
    )

    p = sub.add_parser("import", help="import YAML files into the store, all or nothing")
    p.set_defaults(handler=cmd_import)
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    p.add_argument("--json", action="store_true", help="print the API's JSON answer")

    p = sub.add_parser("schema", help="print the JSON Schema of the dataset file")
    p.set_defaults(handler=cmd_schema)
    p.add_argument("--output", "-o", help="write to this file instead of stdout")
