"""Stress scenarios: shocks (who fails) or cuts (what is withdrawn) in, each entity's loss out.

Builds the inputs the published models need from a snapshot (matrices, buffers, shocks),
runs one model of graph.analysis.contagion, and reports the result in USD and relative
to each entity's buffer, with the rules it applied and the question it answers. An
entity whose buffer is a rule (no balance-sheet figure) is never judged to default.
The pull-back model's inputs and report are in graph.queries.pull_back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from pydantic import ValidationError

from graph import budget
from graph.analysis import contagion
from graph.errors import InvalidQueryError
from graph.lookup import unknown_in_request
from graph.queries import pull_back as pulling
from graph.snapshot import Snapshot
from graph.views import Network
from schemas.bounds import MAX_SERIES_POINTS
from schemas.enums import FinancialMetric, ValueBasis
from schemas.queries import resolve_as_of
from schemas.stress import (
    Band,
    CompareRequest,
    EntityStress,
    SeriesPoint,
    SeriesRequest,
    StressComparison,
    StressModel,
    StressReport,
    StressRequest,
    StressSeries,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# Rules the reports quote, so a reader knows how the numbers were built.
EXPOSURE_RULE = (
    "Exposure X[i, j] is what i stands to lose if j fails: receivables from buyers and "
    "stakes in investees, summed over the commitments that count at as_of, as they count."
)
LIABILITY_RULE = (
    "Eisenberg-Noe liabilities: purchase and supply contracts are owed by the payer to the "
    "recipient, one year's worth (per-year figures as given, totals divided by term_years; "
    "a total without a term counts as owed in full); loans are owed by the borrower to the "
    "lender in full; equity, warrants and backstops are not liabilities."
)
MISSING_BUFFER_RULE = (
    "An entity without the chosen financial figure dated on or before as_of gets a buffer "
    "equal to its total exposure (sum of X[i, :]); it is not judged (no balance sheet): "
    "never reported as defaulted, and listed in missing_buffers."
)
MISSING_ASSETS_RULE = (
    "Eisenberg-Noe external assets are the chosen financial figure; an entity without one "
    "is assumed able to pay what it owes from outside the network (assets = what it owes)."
)
DEFAULT_RULE = (
    "Defaulted: loss exceeds the buffer (DebtRank: distress reaches 100%); a loss equal to "
    "the buffer leaves the entity standing."
)
# Market capitalisation has a private-market counterpart: the last round's valuation.
FALLBACKS = {FinancialMetric.MARKET_CAP: (FinancialMetric.VALUATION,)}
NOT_JUDGED = "not judged (no balance sheet)"


def financial_figures(
    snapshot: Snapshot, ids: list[str], metric: FinancialMetric, as_of: dt.date
) -> list[float | None]:
    """Each entity's latest `metric` dated on or before `as_of` (or a fallback), else None."""
    figures: list[float | None] = []
    for entity_id in ids:
        entity = snapshot.entities[entity_id]
        found = None
        for candidate in (metric, *FALLBACKS.get(metric, ())):
            fact = entity.latest(candidate, as_of)
            if fact is not None:
                found = float(fact.usd)
                break
        figures.append(found)
    return figures


def buffers_with_rule(
    network: Network, figures: list[float | None]
) -> tuple[FloatArray, list[bool]]:
    """Buffers in USD, and which entities got MISSING_BUFFER_RULE."""
    total_exposure = np.asarray(network.exposure.sum(axis=1)).ravel()
    missing = [f is None for f in figures]
    buffers = np.array(
        [total_exposure[i] if f is None else f for i, f in enumerate(figures)], dtype=np.float64
    )
    return buffers, missing


def _shock_vector(snapshot: Snapshot, network: Network, request: StressRequest) -> FloatArray:
    shock = np.zeros(network.size, dtype=np.float64)
    for position, item in enumerate(request.shocks):
        index = network.index.get(item.entity)
        if index is None:
            raise unknown_in_request(snapshot, "entity", item.entity, f"shocks.{position}.entity")
        shock[index] = max(shock[index], item.severity)
    return shock


@dataclass(frozen=True)
class Outcome:
    """What a default model leaves, per entity (arrays indexed like the network)."""

    loss: FloatArray
    distress: FloatArray
    defaulted: npt.NDArray[np.bool_]
    first_round: IntArray
    rounds: int
    converged: bool
    debtrank: float | None = None
    payments: FloatArray | None = None
    owed: FloatArray | None = None


def _first_hit(network: Network, default_round: IntArray, shock: FloatArray) -> IntArray:
    """The round each entity is first hit: 0 if shocked, else one after the earliest
    default among those it is exposed to (-1 if none defaults)."""
    x = network.exposure
    hit = np.where(shock > 0, 0, -1).astype(np.int64)
    failed = np.flatnonzero(default_round >= 0)
    if failed.size:
        rows, cols = x.nonzero()
        mask = np.isin(cols, failed)
        for i, j in zip(rows[mask], cols[mask], strict=True):
            candidate = int(default_round[j]) + 1
            if hit[i] < 0 or candidate < hit[i]:
                hit[i] = candidate
    return hit


def _debtrank(
    network: Network, buffers: FloatArray, shock: FloatArray, request: StressRequest
) -> Outcome:
    run = (
        contagion.debtrank
        if request.model is StressModel.DEBTRANK
        else contagion.differential_debtrank
    )
    result = run(network.exposure, buffers, shock, max_rounds=request.max_rounds)
    distress = np.asarray(result.h, dtype=np.float64)
    return Outcome(
        loss=distress * buffers,
        distress=distress,
        defaulted=distress >= 1.0,
        first_round=np.asarray(result.first_distressed_round, dtype=np.int64),
        rounds=int(result.rounds),
        converged=bool(result.converged),
        debtrank=float(result.debtrank),
    )


def _cascade(
    network: Network, buffers: FloatArray, shock: FloatArray, request: StressRequest
) -> Outcome:
    # A shocked entity loses severity x its buffer at once; a full shock defaults it.
    result = contagion.default_cascade(
        network.exposure,
        buffers * (1 - shock),
        shock >= 1.0,
        loss_given_default=request.theta,
        max_rounds=request.max_rounds,
    )
    defaulted = np.asarray(result.defaulted, dtype=bool)
    loss = np.asarray(result.losses, dtype=np.float64) + shock * buffers
    with np.errstate(divide="ignore", invalid="ignore"):
        distress = np.where(buffers > 0, np.minimum(1.0, loss / buffers), defaulted * 1.0)
    default_round = np.asarray(result.default_round, dtype=np.int64)
    return Outcome(
        loss=loss,
        distress=distress,
        defaulted=defaulted,
        first_round=_first_hit(network, default_round, shock),
        rounds=int(result.rounds),
        converged=bool(result.converged),
    )


def _clearing(
    network: Network,
    buffers: FloatArray,
    shock: FloatArray,
    figures: list[float | None],
    request: StressRequest,
) -> Outcome:
    owed: FloatArray = np.asarray(network.liabilities.sum(axis=1), dtype=np.float64).ravel()
    assets = np.array(
        [owed[i] if f is None else f for i, f in enumerate(figures)], dtype=np.float64
    )
    result = contagion.eisenberg_noe(
        network.liabilities, assets * (1 - shock), max_rounds=request.max_rounds
    )
    payments = np.asarray(result.payments, dtype=np.float64)
    # What each creditor does not receive: its share of each debtor's shortfall.
    with np.errstate(divide="ignore", invalid="ignore"):
        unpaid_share = np.where(owed > 0, (owed - payments) / owed, 0.0)
    loss = network.liabilities.T @ unpaid_share + shock * buffers
    with np.errstate(divide="ignore", invalid="ignore"):
        distress = np.where(buffers > 0, np.minimum(1.0, loss / buffers), 0.0)
    # Default as in every model here: the loss exceeds the buffer. Whether the entity
    # still pays all it owes at the clearing is reported beside (pays_in_full).
    default_round = np.asarray(result.default_round, dtype=np.int64)
    short = np.asarray(result.defaulted, dtype=bool)
    return Outcome(
        loss=loss,
        distress=distress,
        defaulted=loss > buffers,
        first_round=_first_hit(network, np.where(short, default_round, -1), shock),
        rounds=int(result.rounds),
        converged=bool(result.converged),
        payments=payments,
        owed=owed,
    )


def question(snapshot: Snapshot, request: StressRequest) -> str:
    """What the model asks, in one sentence, with the scenario's own names."""

    def who() -> str:
        names = [
            snapshot.entities[s.entity].name
            for s in request.shocks
            if s.entity in snapshot.entities
        ]
        full = all(s.severity >= 1 for s in request.shocks)
        return (" and ".join(names) or "the shocked entities") + ("" if full else " (in part)")

    if request.model is StressModel.PULL_BACK:
        return pulling.question(snapshot, request)
    their = "its" if len(request.shocks) == 1 else "their"
    if request.model is StressModel.EISENBERG_NOE:
        return (
            f"If {who()} could pay only what {their} own assets cover, how much of a year's "
            "obligations would everyone be paid when all debts clear at once, and who "
            "would lose more than its buffer? (Eisenberg-Noe 2001)"
        )
    if request.model is StressModel.DEFAULT_CASCADE:
        return (
            f"If {who()} failed, who would fail next, each failure costing its creditors "
            f"{request.theta:.0%} of what they have at stake? (Furfine 2003)"
        )
    once = (
        "each entity passing its distress on once (Battiston et al. 2012)"
        if request.model is StressModel.DEBTRANK
        else "every increase in distress passed on (Bardoscia et al. 2015)"
    )
    them = "it" if their == "its" else "them"
    return (
        f"If {who()} lost {their} buffer at once and the stakes in and claims on {them} lost "
        f"value with it, how much of each entity's {request.buffer.value} would be lost, {once}?"
    )


def run_stress(snapshot: Snapshot, request: StressRequest, *, today: dt.date) -> StressReport:
    """The scenario `request` on the network at its date (default `today`), USD throughout.

    A shock of severity s costs its entity s x its buffer at once: DebtRank starts it at
    h = s; the cascade lowers its buffer to (1 - s) and defaults it at s = 1; Eisenberg-Noe
    lowers its outside assets to (1 - s). So a larger severity on the same entities never
    yields less loss under any model, and shocking more entities never yields less under
    differential DebtRank, Eisenberg-Noe and the cascade, but may under the 2012 DebtRank
    (see `contagion.debtrank`; tests/analysis/test_stress_properties.py checks all four).
    Raises InvalidQueryError naming `shocks.N.entity` (or `cuts.N...`) for an unknown id.
    """
    report = _run(snapshot, request, today=today)
    if not request.band or request.basis is not ValueBasis.POINT:
        return report
    low, high = (
        _run(snapshot, request.model_copy(update={"basis": basis}), today=today).total_loss_usd
        for basis in (ValueBasis.LOW, ValueBasis.HIGH)
    )
    return report.model_copy(update={"band": Band(low_total_usd=low, high_total_usd=high)})


def _run(snapshot: Snapshot, request: StressRequest, *, today: dt.date) -> StressReport:
    as_of = resolve_as_of(request.as_of, today)
    network = snapshot.network(as_of, request.basis)
    rules = [EXPOSURE_RULE]
    unpriced = int(snapshot.exposure_matrix(as_of, request.basis).undisclosed.sum())
    if unpriced:
        rules.append(
            f"{unpriced} commitments that count at {as_of} have no disclosed figure: they are "
            "not in the matrices (their amounts are unknown, not zero), so every loss here "
            "is a lower bound for what they would add."
        )
    common = {
        "model": request.model,
        "question": question(snapshot, request),
        "as_of": as_of,
        "basis": request.basis,
        "buffer": request.buffer,
        "shocks": request.shocks,
        "cuts": request.cuts,
    }
    if request.model is StressModel.PULL_BACK:
        return pulling.report(snapshot, request, as_of=as_of, rules=rules, common=common)
    shock = _shock_vector(snapshot, network, request)
    figures = financial_figures(snapshot, network.ids, request.buffer, as_of)
    buffers, missing = buffers_with_rule(network, figures)
    rules += [MISSING_BUFFER_RULE, DEFAULT_RULE]
    parameters: dict[str, float | int | str] = {"max_rounds": request.max_rounds}
    if request.model is StressModel.DEFAULT_CASCADE:
        parameters["theta"] = request.theta
        outcome = _cascade(network, buffers, shock, request)
    elif request.model is StressModel.EISENBERG_NOE:
        rules += [LIABILITY_RULE, MISSING_ASSETS_RULE]
        outcome = _clearing(network, buffers, shock, figures, request)
    else:
        outcome = _debtrank(network, buffers, shock, request)
    return _report(snapshot, network, outcome, buffers, missing, rules, parameters, common)


def _report(
    snapshot: Snapshot,
    network: Network,
    outcome: Outcome,
    buffers: FloatArray,
    missing: list[bool],
    rules: list[str],
    parameters: dict[str, float | int | str],
    common: dict[str, object],
) -> StressReport:
    loss, distress = outcome.loss, outcome.distress
    hit = (distress > 0) | outcome.defaulted | (loss > 0)
    entities = []
    for i in np.flatnonzero(hit):
        entity_id = network.ids[i]
        round_hit = int(outcome.first_round[i])
        judged = not missing[i]
        defaulted = bool(outcome.defaulted[i]) if judged else None
        entities.append(
            EntityStress(
                id=entity_id,
                name=snapshot.entities[entity_id].name,
                buffer_usd=float(buffers[i]) if judged else None,
                buffer_rule="financials" if judged else "total exposure (no figure)",
                distress=float(min(1.0, max(0.0, distress[i]))),
                loss_usd=float(loss[i]),
                round=round_hit if round_hit >= 0 else None,
                defaulted=defaulted,
                verdict=NOT_JUDGED
                if defaulted is None
                else ("defaulted" if defaulted else "not defaulted"),
                payments_usd=None if outcome.payments is None else float(outcome.payments[i]),
                owed_usd=None if outcome.owed is None else float(outcome.owed[i]),
                pays_in_full=None
                if outcome.payments is None or outcome.owed is None
                else bool(outcome.payments[i] >= outcome.owed[i] * (1 - 1e-12)),
            )
        )
    entities.sort(key=lambda e: (-e.distress, -e.loss_usd, e.id))
    total = float(loss.sum())
    on_rules = float(sum(loss[i] for i in np.flatnonzero(missing) if hit[i]))
    return StressReport.model_validate(
        {
            **common,
            "parameters": parameters,
            "rounds": outcome.rounds,
            "converged": outcome.converged,
            "debtrank": outcome.debtrank,
            "total_loss_usd": total,
            "defaulted": sum(1 for e in entities if e.defaulted),
            "not_judged": sum(1 for e in entities if e.defaulted is None),
            "rule_buffer_loss_share": on_rules / total if total else 0.0,
            "missing_buffers": sorted(network.ids[i] for i in np.flatnonzero(missing) if hit[i]),
            "rules": rules,
            "entities": entities,
        }
    )


# What each model counts, for a reader comparing their totals side by side.
WHAT_IT_COUNTS = {
    StressModel.DEBTRANK: "counts each entity's distress passed on once, capped at its buffer",
    StressModel.DIFFERENTIAL_DEBTRANK: "passes on every increase in distress, so it finds at "
    "least as much loss as DebtRank 2012 on the same shocks",
    StressModel.EISENBERG_NOE: "counts only a year's obligations of contracts and loans that "
    "go unpaid when all debts clear at once; stakes lose nothing",
    StressModel.DEFAULT_CASCADE: "counts only the losses from entities that fail outright, "
    "at loss given default theta",
    StressModel.PULL_BACK: "counts lost inflows when spending is cut, not losses from failure",
}


def compare(snapshot: Snapshot, request: CompareRequest, *, today: dt.date) -> StressComparison:
    """One scenario under several models, with what each counts beside its total."""
    reports = []
    for position, model in enumerate(request.models):
        try:
            scenario = StressRequest.model_validate(
                request.scenario.model_dump() | {"model": model}
            )
        except ValidationError as error:
            message = error.errors(include_url=False)[0]["msg"].removeprefix("Value error, ")
            raise InvalidQueryError(message, field=f"models.{position}") from None
        reports.append(run_stress(snapshot, scenario, today=today))
    differences = [
        f"{r.model.value}: {WHAT_IT_COUNTS[r.model]}; total ${r.total_loss_usd / 1e9:,.1f}B, "
        f"{r.defaulted} judged to default, {r.not_judged} not judged"
        for r in reports
    ]
    return StressComparison(reports=reports, differences=differences)


def series(snapshot: Snapshot, request: SeriesRequest, *, today: dt.date) -> StressSeries:
    """The scenario at the first of each month: how fragile the web was over time."""
    dates = months(request.since, request.until or today)
    if len(dates) > MAX_SERIES_POINTS:
        raise InvalidQueryError(
            f"{len(dates)} months: at most {MAX_SERIES_POINTS} in one series", field="since"
        )
    points = []
    for day in dates:
        budget.check(
            "since",
            f"a series of {len(dates)} months is more than that here; ask for fewer months "
            "(a later since or an earlier until)",
        )
        r = _run(snapshot, request.scenario.model_copy(update={"as_of": day}), today=today)
        points.append(
            SeriesPoint(
                as_of=day,
                total_loss_usd=r.total_loss_usd,
                defaulted=r.defaulted,
                not_judged=r.not_judged,
                converged=r.converged,
            )
        )
    return StressSeries(model=request.scenario.model, points=points)


def months(since: dt.date, until: dt.date) -> list[dt.date]:
    """The first of each month from `since`'s month to `until` (the series' default step).

    >>> [d.isoformat() for d in months(dt.date(2025, 11, 15), dt.date(2026, 2, 1))]
    ['2025-11-01', '2025-12-01', '2026-01-01', '2026-02-01']
    """
    out, day = [], since.replace(day=1)
    while day <= until:
        out.append(day)
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out
