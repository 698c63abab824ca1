"""`aifg stress`: a domino scenario from the terminal, by the same functions as the API.

The options are the fields of the body of POST /analysis/stress (schemas.stress.
StressRequest), validated by that model and run by graph.queries.run_stress, so `--json`
prints exactly what the API answers. `--compare` and `--series-since` are the bodies of
POST /analysis/stress/compare and /series. Errors are one line naming the option.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from cli.options import add_model_options, model_from, option_name
from cli.output import opened, print_json
from cli.questions import output_flags, print_csv
from cli.table import AMOUNTS, percent, render, usd
from graph import queries
from graph.errors import InvalidQueryError
from graph.formats import tables
from graph.settings import Settings
from graph.snapshot import Snapshot
from graph.suggest import did_you_mean
from schemas.stress import (
    CompareRequest,
    EntityStress,
    SeriesRequest,
    StressComparison,
    StressModel,
    StressReport,
    StressRequest,
    StressSeries,
)

HELP = (
    "propagate a failure (--shock: DebtRank, Eisenberg-Noe, cascade) or a withdrawal "
    "(--cut: the pull-back model) through the web"
)

MODEL_NAMES = {
    StressModel.DEBTRANK: "DebtRank (Battiston et al. 2012)",
    StressModel.DIFFERENTIAL_DEBTRANK: "differential DebtRank (Bardoscia et al. 2015)",
    StressModel.EISENBERG_NOE: "Eisenberg-Noe clearing (2001)",
    StressModel.DEFAULT_CASCADE: "default cascade (Furfine 2003)",
    StressModel.PULL_BACK: "pull-back (demand-driven, after Leontief)",
}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--shock",
        action="append",
        default=[],
        metavar="ENTITY[=SEVERITY]",
        help="an entity losing SEVERITY (0..1, default 1) of its buffer at once; repeatable",
    )
    p.add_argument(
        "--cut",
        action="append",
        default=[],
        metavar="ID[=FRACTION]",
        help="a commitment withdrawn, or an entity cutting its outgoing commitments, by "
        "FRACTION (0..1, default 1); repeatable; implies --model pull_back",
    )
    add_model_options(p, StressRequest, skip=("shocks", "cuts"))
    p.add_argument(
        "--compare", metavar="MODEL,MODEL", help="run these models side by side on the scenario"
    )
    p.add_argument(
        "--series-since",
        metavar="DATE",
        help="run the scenario at the first of each month from DATE (to --series-until)",
    )
    p.add_argument("--series-until", metavar="DATE", help="last month of --series-since")
    output_flags(p, csv=True)


def _split(option: str, text: str, key: str, value: str) -> dict[str, Any]:
    target, equals, number = text.partition("=")
    if not equals:
        return {key: target, value: 1.0}
    try:
        return {key: target, value: float(number)}
    except ValueError:
        raise InvalidQueryError(
            f"{option} {text}: {number!r} is not a number from 0 to 1", field=option
        ) from None


def _cut(snapshot: Snapshot, text: str) -> dict[str, Any]:
    """A --cut as the API's Cut: a commitment id or an entity id, whichever it is."""
    cut = _split("--cut", text, "id", "fraction")
    target = cut.pop("id")
    if target in snapshot.commitments:
        return {"commitment": target, **cut}
    if target in snapshot.entities:
        return {"entity": target, **cut}
    hints = snapshot.close_ids("commitment", target) + snapshot.close_ids("entity", target)
    raise InvalidQueryError(
        f"--cut {text}: no commitment or entity {target!r}{did_you_mean(hints)}", field="cuts"
    )


def _spell(args: argparse.Namespace, field: str) -> str:
    """The command-line spelling of a request field, e.g. `--shock openai=2` for shocks.0."""
    parts = field.split(".")
    for name in ("shock", "cut"):
        if parts[0] == f"{name}s" and len(parts) > 1 and parts[1].isdigit():
            return f"--{name} {getattr(args, name)[int(parts[1])]}"
    return option_name(parts[0])


def cmd_stress(args: argparse.Namespace, settings: Settings) -> int:
    shocks = [_split("--shock", text, "entity", "severity") for text in args.shock]
    with opened(settings) as source:
        snapshot = source.current()
        extra: dict[str, Any] = {"shocks": shocks, "cuts": [_cut(snapshot, t) for t in args.cut]}
        if args.cut and not hasattr(args, "model"):
            extra["model"] = StressModel.PULL_BACK
        request = model_from(
            StressRequest,
            args,
            extra=extra,
            spell=lambda loc: _spell(args, ".".join(map(str, loc))),
        )
        try:
            answer = _answer(snapshot, request, args)
        except InvalidQueryError as error:  # an unknown id, a model that does not fit
            where = _spell(args, error.field) if error.field else "--shock"
            raise InvalidQueryError(f"{where}: {error}", field=error.field) from None
    if args.json:
        print_json(answer)
    elif args.csv:
        if not isinstance(answer, StressReport):
            raise InvalidQueryError(
                "--csv: one scenario's entities; leave out --compare and --series-since "
                "(or use --json)",
                field="csv",
            )
        print_csv(tables.stress_table(answer))
    elif isinstance(answer, StressReport):
        print(describe(answer))
    elif isinstance(answer, StressComparison):
        print("\n\n".join([*(describe(r) for r in answer.reports), *answer.differences]))
    else:
        print(describe_series(answer))
    return 0


def _answer(
    snapshot: Snapshot, request: StressRequest, args: argparse.Namespace
) -> StressReport | StressComparison | StressSeries:
    today = dt.date.today()
    if args.compare:
        models = [m.strip() for m in args.compare.split(",")]
        compare = model_from(CompareRequest, argparse.Namespace(), extra={
            "scenario": request, "models": models})  # fmt: skip
        return queries.compare(snapshot, compare, today=today)
    if args.series_since:
        body = {"scenario": request, "since": args.series_since, "until": args.series_until}
        series = model_from(SeriesRequest, argparse.Namespace(), extra=body)
        return queries.series(snapshot, series, today=today)
    return queries.run_stress(snapshot, request, today=today)


def _buffer_cell(row: EntityStress) -> str:
    return usd(row.buffer_usd) if row.buffer_usd is not None else "none (rule)"


def _head(report: StressReport) -> list[str]:
    parameters = ", ".join(f"{k} {v}" for k, v in report.parameters.items())
    buffer = "" if report.pull_back else f", buffer {report.buffer.value}"
    lines = [
        report.question,
        f"{MODEL_NAMES[report.model]} at {report.as_of}, {AMOUNTS[report.basis]}{buffer}; "
        f"{parameters}",
    ]
    if not report.converged:
        lines.append(
            f"WARNING: stopped after max_rounds {report.parameters.get('max_rounds')} while "
            "still moving: the figures are not final (raise --max-rounds)"
        )
    return lines


def describe(report: StressReport) -> str:
    """The report for people: the question, what produced it, then who is hit, worst first."""
    if report.pull_back is not None:
        return describe_pull_back(report)
    shocks = ", ".join(f"{s.entity}={s.severity:g}" for s in report.shocks)
    lines = [*_head(report), f"shocks: {shocks}"]
    summary = f"{report.rounds} round(s), total loss {usd(report.total_loss_usd)}"
    if report.debtrank is not None:
        summary += f", R = {report.debtrank:.4f} (share of all buffers lost beyond the shock)"
    lines.append(summary)
    lines.append(
        f"{report.defaulted} judged to default; {report.not_judged} not judged (no balance "
        f"sheet), carrying {report.rule_buffer_loss_share:.0%} of the loss"
    )
    if report.band is not None:
        lines.append(
            f"on the ranges' low and high ends: {usd(report.band.low_total_usd)} to "
            f"{usd(report.band.high_total_usd)}"
        )
    lines.append("")
    clearing = report.model is StressModel.EISENBERG_NOE
    headers = ["#", "entity", "distress", "loss", "buffer", "verdict", "round"]
    if clearing:
        headers += ["paid", "owed"]
    rows = []
    for rank, row in enumerate(report.entities, 1):
        cells: list[object] = [
            rank,
            row.id,
            f"{row.distress:.1%}",
            usd(row.loss_usd),
            _buffer_cell(row),
            row.verdict,
            "" if row.round is None else row.round,
        ]
        if clearing:
            cells += [usd(row.payments_usd or 0.0), usd(row.owed_usd or 0.0)]
        rows.append(cells)
    lines.append(render(headers, rows) if rows else "nobody is hit")
    if report.missing_buffers:
        lines += [
            "",
            f"no {report.buffer.value} figure on or before {report.as_of} (buffer by rule, "
            "not judged): " + ", ".join(report.missing_buffers),
        ]
    lines += ["", "rules:", *(f"- {rule}" for rule in report.rules)]
    return "\n".join(lines)


def describe_pull_back(report: StressReport) -> str:
    section = report.pull_back
    assert section is not None
    lines = [
        *_head(report),
        f"{report.rounds} round(s): {usd(section.total_initial_cut_usd)} cut at first, "
        f"{usd(section.total_lost_inflow_usd)} of inflow lost in all",
    ]
    for back in section.boomerang:
        lines.append(
            f"boomerang: {usd(back.returned_usd)} of {back.entity}'s "
            f"{usd(back.initial_cut_usd)} cut comes back to it as lost inflow ({back.share:.1%})"
        )
    lines.append("")
    # A share that stands in for missing financials is marked beside the number.
    stand_in = {e.id for e in section.entities if e.pass_through_stands_in}
    rows = [
        (
            rank,
            e.id,
            usd(e.lost_inflow_usd),
            usd(e.cut_usd + e.initial_cut_usd),
            f"{e.pass_through:.0%}" + ("*" if e.id in stand_in else ""),
            percent(e.lost_share_of_revenue, 1),
            "" if e.round is None else e.round,
            " -> ".join(e.paths[0].path) if e.paths else "",
        )
        for rank, e in enumerate(section.entities, 1)
    ]
    lines.append(
        render(
            ("#", "entity", "lost inflow", "cuts", "passes on", "of revenue", "round", "path"),
            rows,
        )
    )
    if stand_in:
        lines.append(
            f"* no revenue figure at the date: the fixed share "
            f"({report.parameters['pass_through']:.0%}, --pass-through) stands in for the "
            "share of its spending that its inflows fund"
        )
    if any(e.lost_share_of_revenue is None for e in section.entities):
        lines.append("n/k: not known, for want of a revenue figure at the date")
    if section.unpriced:
        lines += [
            "",
            "the cut may also travel along these, which have no disclosed figure: "
            + ", ".join(section.unpriced),
        ]
    lines += ["", "rules:", *(f"- {rule}" for rule in report.rules)]
    return "\n".join(lines)


def describe_series(series: StressSeries) -> str:
    rows = [
        (p.as_of, usd(p.total_loss_usd), p.defaulted, p.not_judged, "" if p.converged else "no")
        for p in series.points
    ]
    head = f"{MODEL_NAMES[series.model]}, the same scenario at the first of each month"
    return head + "\n" + render(("as of", "loss", "defaulted", "not judged", "converged"), rows)
