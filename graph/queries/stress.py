"""Stress scenarios on the exposure network: shocks in, each entity's loss out.

Builds the inputs the published models need from a snapshot (matrices, buffers,
shocks), runs one model from graph.analysis.contagion, and reports the result in USD
and relative to each entity's buffer, with the rules it applied.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt

from graph.analysis import contagion
from graph.errors import InvalidQueryError
from graph.snapshot import Snapshot
from graph.validate import suggest
from graph.views import Network
from schemas.enums import FinancialMetric
from schemas.queries import resolve_as_of
from schemas.stress import EntityStress, StressModel, StressReport, StressRequest

FloatArray = npt.NDArray[np.float64]

# Rules the reports quote, so a reader knows how the numbers were built.
LIABILITY_RULE = (
    "Eisenberg-Noe liabilities: purchase and supply contracts are owed by the payer to the "
    "recipient, one year's worth (per-year figures as given, totals divided by term_years; "
    "a total without a term counts as owed in full); loans are owed by the borrower to the "
    "lender in full; equity, warrants and backstops are not liabilities."
)
MISSING_BUFFER_RULE = (
    "An entity without the chosen financial figure dated on or before as_of gets a buffer "
    "equal to its total exposure (sum of X[i, :]): it is wiped out only if everything it is "
    "exposed to is lost. It is listed in missing_buffers."
)
MISSING_ASSETS_RULE = (
    "Eisenberg-Noe external assets are the chosen financial figure; an entity without one "
    "is assumed able to pay what it owes from outside the network (assets = what it owes)."
)
# Market capitalisation has a private-market counterpart: the last round's valuation.
FALLBACKS = {FinancialMetric.MARKET_CAP: (FinancialMetric.VALUATION,)}


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


EXPOSURE_RULE = (
    "Exposure X[i, j] is what i stands to lose if j fails: receivables from "
    "buyers and stakes in investees, summed over the commitments that count at as_of."
)


def _shock_vector(network: Network, request: StressRequest) -> FloatArray:
    shock = np.zeros(network.size, dtype=np.float64)
    for position, item in enumerate(request.shocks):
        index = network.index.get(item.entity)
        if index is None:
            hint = suggest(item.entity, network.ids)
            did_you_mean = f"; did you mean {', '.join(hint)}?" if hint else ""
            raise InvalidQueryError(
                f"unknown entity {item.entity!r}{did_you_mean}",
                field=f"shocks.{position}.entity",
            )
        shock[index] = max(shock[index], item.severity)
    return shock


def run_stress(snapshot: Snapshot, request: StressRequest, *, today: dt.date) -> StressReport:
    """The scenario `request` on the network at its date (default `today`), USD throughout.

    A shock of severity s costs its entity s x its buffer at once: DebtRank starts it at
    h = s; the cascade lowers its buffer to (1 - s) and defaults it at s = 1; Eisenberg-Noe
    lowers its outside assets to (1 - s). So a larger severity on the same entities never
    yields less loss under any model, and shocking more entities never yields less under
    differential DebtRank, Eisenberg-Noe and the cascade, but may under the 2012 DebtRank
    (see `contagion.debtrank`; tests/analysis/test_stress_properties.py checks all four).
    Raises InvalidQueryError naming `shocks.N.entity` for an unknown entity.
    """
    as_of = resolve_as_of(request.as_of, today)
    network = snapshot.network(as_of, request.basis)
    shock = _shock_vector(network, request)
    figures = financial_figures(snapshot, network.ids, request.buffer, as_of)
    buffers, missing = buffers_with_rule(network, figures)
    rules = [EXPOSURE_RULE, MISSING_BUFFER_RULE]
    unpriced = sum(
        edge.undisclosed
        for row in snapshot.exposure(as_of, request.basis).values()
        for edge in row.values()
    )
    if unpriced:
        rules.append(
            f"{unpriced} commitments that count at {as_of} have no disclosed figure: they are "
            "not in the matrices (their amounts are unknown, not zero), so every loss here "
            "is a lower bound for what they would add."
        )
    parameters: dict[str, float | int | str] = {"max_rounds": request.max_rounds}
    payments: FloatArray | None = None
    owed: FloatArray | None = None
    debtrank_value: float | None = None

    if request.model in (StressModel.DEBTRANK, StressModel.DIFFERENTIAL_DEBTRANK):
        run = (
            contagion.debtrank
            if request.model is StressModel.DEBTRANK
            else contagion.differential_debtrank
        )
        result = run(network.exposure, buffers, shock, max_rounds=request.max_rounds)
        distress = np.asarray(result.h, dtype=np.float64)
        loss = distress * buffers
        first_round = np.asarray(result.first_distressed_round)
        defaulted = distress >= 1.0
        rounds = int(result.rounds)
        debtrank_value = float(result.debtrank)
    elif request.model is StressModel.DEFAULT_CASCADE:
        parameters["theta"] = request.theta
        # A shocked entity loses severity x its buffer at once; a full shock defaults it.
        result_c = contagion.default_cascade(
            network.exposure,
            buffers * (1 - shock),
            shock >= 1.0,
            loss_given_default=request.theta,
            max_rounds=request.max_rounds,
        )
        defaulted = np.asarray(result_c.defaulted, dtype=bool)
        loss = np.asarray(result_c.losses, dtype=np.float64) + shock * buffers
        with np.errstate(divide="ignore", invalid="ignore"):
            distress = np.where(buffers > 0, np.minimum(1.0, loss / buffers), defaulted * 1.0)
        first_round = np.asarray(result_c.default_round)
        rounds = int(result_c.rounds)
    else:
        rules.append(LIABILITY_RULE)
        rules.append(MISSING_ASSETS_RULE)
        owed_now: FloatArray = np.asarray(network.liabilities.sum(axis=1), dtype=np.float64).ravel()
        owed = owed_now
        assets = np.array(
            [owed_now[i] if f is None else f for i, f in enumerate(figures)], dtype=np.float64
        )
        assets = assets * (1 - shock)
        result_en = contagion.eisenberg_noe(
            network.liabilities, assets, max_rounds=request.max_rounds
        )
        payments = np.asarray(result_en.payments, dtype=np.float64)
        shortfall = owed_now - payments
        # What each creditor does not receive: its share of each debtor's shortfall.
        with np.errstate(divide="ignore", invalid="ignore"):
            unpaid_share = np.where(owed_now > 0, shortfall / owed_now, 0.0)
        loss = network.liabilities.T @ unpaid_share + shock * buffers
        defaulted = np.asarray(result_en.defaulted, dtype=bool)
        with np.errstate(divide="ignore", invalid="ignore"):
            distress = np.where(buffers > 0, np.minimum(1.0, loss / buffers), defaulted * 1.0)
        first_round = np.asarray(result_en.default_round)
        rounds = int(result_en.rounds)

    hit = (distress > 0) | defaulted | (loss > 0)
    entities = []
    for i in np.flatnonzero(hit):
        entity_id = network.ids[i]
        round_hit = int(first_round[i])
        entities.append(
            EntityStress(
                id=entity_id,
                name=snapshot.entities[entity_id].name,
                buffer_usd=None if missing[i] else float(buffers[i]),
                buffer_rule="total exposure (no figure)" if missing[i] else "financials",
                distress=float(min(1.0, max(0.0, distress[i]))),
                loss_usd=float(loss[i]),
                round=round_hit if round_hit >= 0 else None,
                defaulted=bool(defaulted[i]),
                payments_usd=None if payments is None else float(payments[i]),
                owed_usd=None if owed is None else float(owed[i]),
            )
        )
    entities.sort(key=lambda e: (-e.distress, -e.loss_usd, e.id))
    return StressReport(
        model=request.model,
        as_of=as_of,
        basis=request.basis,
        buffer=request.buffer,
        parameters=parameters,
        shocks=request.shocks,
        rounds=rounds,
        debtrank=debtrank_value,
        total_loss_usd=float(loss.sum()),
        missing_buffers=sorted(network.ids[i] for i in np.flatnonzero(missing) if hit[i]),
        rules=rules,
        entities=entities,
    )
