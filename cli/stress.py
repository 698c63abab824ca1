"""`aifg stress`: a domino scenario from the terminal, by the same function as the API.

The options mirror the body of POST /analysis/stress; the request is validated by the
same model (schemas.stress.StressRequest) and run by graph.analysis.stress.run_stress,
so `--json` prints exactly what the API answers. Errors are one line naming the option.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from cli.table import render, usd
from graph import service
from graph.analysis.stress import run_stress
from graph.errors import InvalidQueryError
from graph.settings import Settings
from schemas.enums import FinancialMetric, ValueBasis
from schemas.stress import EntityStress, StressModel, StressReport, StressRequest

HELP = "propagate shocks through the exposure network (DebtRank, Eisenberg-Noe, cascade)"

MODEL_NAMES = {
    StressModel.DEBTRANK: "DebtRank (Battiston et al. 2012)",
    StressModel.DIFFERENTIAL_DEBTRANK: "differential DebtRank (Bardoscia et al. 2015)",
    StressModel.EISENBERG_NOE: "Eisenberg-Noe clearing (2001)",
    StressModel.DEFAULT_CASCADE: "default cascade (Furfine 2003)",
}
MODEL_CHOICES = ", ".join(m.value for m in StressModel)


def add_arguments(p: argparse.ArgumentParser, *, date: Callable[[str], dt.date]) -> None:
    p.add_argument(
        "--shock",
        action="append",
        required=True,
        metavar="ENTITY[=SEVERITY]",
        help="an entity losing SEVERITY (0..1, default 1) of its buffer at once; repeatable",
    )
    # Model, severity and the numbers are checked by StressRequest (as in the API), so a
    # bad value is one line naming the option rather than argparse's usage screen.
    p.add_argument("--model", default=StressModel.DEBTRANK.value, help=MODEL_CHOICES)
    p.add_argument("--as-of", type=date, help="YYYY-MM-DD (default: today)")
    p.add_argument("--basis", type=ValueBasis, choices=list(ValueBasis), default=ValueBasis.POINT)
    p.add_argument(
        "--buffer",
        type=FinancialMetric,
        choices=list(FinancialMetric),
        default=FinancialMetric.EQUITY,
        help="the financial figure each entity can lose before it fails",
    )
    p.add_argument("--theta", type=float, default=1.0, help="loss given default, 0..1 (cascade)")
    p.add_argument("--max-rounds", type=int, default=100)
    p.add_argument("--json", action="store_true", help="the API's JSON")


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


def _option(loc: tuple[int | str, ...], args: argparse.Namespace) -> str:
    """The command-line spelling of a StressRequest field, e.g. `--shock openai=2`."""
    if loc[0] == "shocks" and len(loc) > 1 and isinstance(loc[1], int):
        return f"--shock {args.shock[loc[1]]}"
    return "--" + str(loc[0]).replace("_", "-")


def _request(args: argparse.Namespace, *, skip_entity_errors: bool) -> StressRequest | None:
    """The API's request model built from the options; None if only entity ids were bad.

    An id that is not even a slug (`OpenAI`) is left to the store lookup, which answers
    with the ids it resembles; every other error is raised as one line.
    """
    body = {
        "shocks": [_split_shock(text) for text in args.shock],
        "model": args.model,
        "as_of": args.as_of,
        "basis": args.basis,
        "buffer": args.buffer,
        "theta": args.theta,
        "max_rounds": args.max_rounds,
    }
    try:
        return StressRequest.model_validate(body)
    except ValidationError as error:
        problems: list[tuple[str, str]] = []  # (field, message)
        for item in error.errors():
            loc = item["loc"]
            if skip_entity_errors and loc[0] == "shocks" and loc[-1] == "entity":
                continue
            if loc[0] == "model":
                message = f"--model: unknown model {args.model!r}; choose {MODEL_CHOICES}"
            elif loc[-1] == "severity":
                message = f"{_option(loc, args)}: severity must be from 0 to 1"
            else:
                message = f"{_option(loc, args)}: {item['msg']}"
            problems.append((".".join(map(str, loc)), message))
        if problems:
            raise InvalidQueryError(
                "; ".join(message for _, message in problems), field=problems[0][0]
            ) from None
        return None


def cmd_stress(args: argparse.Namespace, settings: Settings) -> int:
    _request(args, skip_entity_errors=True)  # usage errors before opening the store
    store = service.open_store(settings)
    try:
        snapshot = store.snapshot()
    finally:
        store.close()
    for text in args.shock:
        service.get_entity(snapshot, _split_shock(text)["entity"])  # "did you mean" on a typo
    request = _request(args, skip_entity_errors=False)
    assert request is not None  # entity ids are known by now, so every field is valid
    report = run_stress(snapshot, request, today=dt.date.today())
    if args.json:
        print(json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2))
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
        f"{MODEL_NAMES[report.model]} at {report.as_of}, basis {report.basis.value}, "
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
