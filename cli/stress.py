"""`aifg stress`: a domino scenario from the terminal, by the same function as the API.

The options are the fields of the body of POST /analysis/stress (schemas.stress.
StressRequest), validated by that model and run by graph.queries.run_stress, so `--json`
prints exactly what the API answers. Errors are one line naming the option.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from cli.options import add_model_options, model_from, option_name
from cli.output import opened, print_json
from cli.table import AMOUNTS, render, usd
from graph import queries
from graph.errors import InvalidQueryError
from graph.settings import Settings
from schemas.stress import EntityStress, StressModel, StressReport, StressRequest

HELP = "propagate shocks through the exposure network (DebtRank, Eisenberg-Noe, cascade)"

MODEL_NAMES = {
    StressModel.DEBTRANK: "DebtRank (Battiston et al. 2012)",
    StressModel.DIFFERENTIAL_DEBTRANK: "differential DebtRank (Bardoscia et al. 2015)",
    StressModel.EISENBERG_NOE: "Eisenberg-Noe clearing (2001)",
    StressModel.DEFAULT_CASCADE: "default cascade (Furfine 2003)",
}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--shock",
        action="append",
        required=True,
        metavar="ENTITY[=SEVERITY]",
        help="an entity losing SEVERITY (0..1, default 1) of its buffer at once; repeatable",
    )
    add_model_options(p, StressRequest, skip=("shocks",))
    p.add_argument("--json", action="store_true", help="print the API's JSON answer")


def _split_shock(text: str) -> dict[str, Any]:
    entity, equals, severity = text.partition("=")
    if not equals:
        return {"entity": entity, "severity": 1.0}
    try:
        return {"entity": entity, "severity": float(severity)}
    except ValueError:
        raise InvalidQueryError(
            f"--shock {text}: severity {severity!r} is not a number from 0 to 1",
            field="shocks",
        ) from None


def _spell(args: argparse.Namespace, field: str) -> str:
    """The command-line spelling of a request field, e.g. `--shock openai=2` for shocks.0."""
    parts = field.split(".")
    if parts[0] == "shocks" and len(parts) > 1 and parts[1].isdigit():
        return f"--shock {args.shock[int(parts[1])]}"
    return option_name(parts[0])


def cmd_stress(args: argparse.Namespace, settings: Settings) -> int:
    shocks = [_split_shock(text) for text in args.shock]
    request = model_from(
        StressRequest,
        args,
        extra={"shocks": shocks},
        spell=lambda loc: _spell(args, ".".join(map(str, loc))),
    )
    with opened(settings) as source:
        try:
            report = queries.run_stress(source.current(), request, today=dt.date.today())
        except InvalidQueryError as error:  # an unknown shock entity, with a did-you-mean
            where = _spell(args, error.field) if error.field else "--shock"
            raise InvalidQueryError(f"{where}: {error}", field=error.field) from None
    if args.json:
        print_json(report)
    else:
        print(describe(report))
    return 0


def _buffer_cell(row: EntityStress) -> str:
    return usd(row.buffer_usd) if row.buffer_usd is not None else "none (rule)"


def describe(report: StressReport) -> str:
    """The report for people: what produced it, then the entities hit, worst first."""
    shocks = ", ".join(f"{s.entity}={s.severity:g}" for s in report.shocks)
    parameters = ", ".join(f"{k} {v}" for k, v in report.parameters.items())
    lines = [
        f"{MODEL_NAMES[report.model]} at {report.as_of}, {AMOUNTS[report.basis]}, "
        f"buffer {report.buffer.value}; {parameters}",
        f"shocks: {shocks}",
    ]
    summary = f"{report.rounds} round(s), total loss {usd(report.total_loss_usd)}"
    if report.debtrank is not None:
        summary += f", R = {report.debtrank:.4f} (share of all buffers lost beyond the shock)"
    lines += [summary, ""]
    clearing = report.model is StressModel.EISENBERG_NOE
    headers = ["#", "entity", "distress", "loss", "buffer", "defaulted", "round"]
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
            "yes" if row.defaulted else "no",
            "" if row.round is None else row.round,
        ]
        if clearing:
            cells += [usd(row.payments_usd or 0.0), usd(row.owed_usd or 0.0)]
        rows.append(cells)
    lines.append(render(headers, rows) if rows else "nobody is hit")
    if report.missing_buffers:
        lines += [
            "",
            f"no {report.buffer.value} figure on or before {report.as_of} (buffer by rule): "
            + ", ".join(report.missing_buffers),
        ]
    lines += ["", "rules:", *(f"- {rule}" for rule in report.rules)]
    return "\n".join(lines)
