"""The pull-back scenario: cuts in, lost inflows and induced cuts out (the source article's
domino: Nvidia invests less in OpenAI, OpenAI buys less from CoreWeave, CoreWeave buys
fewer Nvidia chips). The model is graph.analysis.contagion.pull_back; this module builds
its inputs from a snapshot and reads its result back as a report."""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from scipy import sparse

from graph.analysis.contagion.pull_back import PullBackResult, pull_back
from graph.counting import counted
from graph.errors import InvalidQueryError
from graph.lookup import unknown_in_request
from graph.snapshot import Snapshot
from schemas.commitments import Commitment
from schemas.enums import CommitmentKind, FinancialMetric, ValueBasis
from schemas.stress import (
    Boomerang,
    CommitmentCut,
    CutPath,
    PassThroughRule,
    PullBackEntity,
    PullBackReport,
    StressReport,
    StressRequest,
)

# What moves money from payer to recipient and can be cut: not warrants (value flows from
# the issuer to the holder) nor backstops (money moves only if they are called).
FLOW_KINDS = frozenset(
    {
        CommitmentKind.EQUITY_INVESTMENT,
        CommitmentKind.LOAN,
        CommitmentKind.COMPUTE_PURCHASE,
        CommitmentKind.CLOUD_CONTRACT,
        CommitmentKind.CHIP_SUPPLY,
        CommitmentKind.OTHER,
    }
)
FLOW_RULE = (
    "Flows F[u, v] are what u commits to pay or invest in v at as_of, as they count (USD, "
    "totals over their terms): investments, loans and purchase contracts; warrants and "
    "backstops are not money paid, and undisclosed amounts are not in F."
)
SPREAD_RULE = (
    "An entity that loses inflow cuts its remaining outgoing commitments by the share it "
    "passes on, spread in proportion to their size, never by more than a commitment's "
    "amount; round by round until nothing moves (graph.analysis.contagion.pull_back)."
)
PATH_RULE = (
    "Paths follow the cut from its first cutter, each hop carrying the pass-through share "
    "of the part spread onto it; where a cap binds, an entity's total is less than the sum "
    "of its paths."
)
PATHS_PER_ENTITY = 3
MAX_PATH_HOPS = 6
MAX_PATH_STEPS = 20_000


def _flows(
    snapshot: Snapshot, as_of: dt.date, basis: ValueBasis
) -> tuple[dict[tuple[str, str], list[tuple[Commitment, Decimal]]], list[Commitment]]:
    """The priced flow commitments per (payer, recipient), and the unpriced ones."""
    edges: dict[tuple[str, str], list[tuple[Commitment, Decimal]]] = defaultdict(list)
    unpriced = []
    for item in counted(snapshot.commitments, as_of, basis):
        c = item.commitment
        if c.kind not in FLOW_KINDS:
            continue
        if item.usd is None:
            unpriced.append(c)
        elif item.usd > 0:
            edges[c.from_, c.to].append((c, item.usd))
    return edges, unpriced


def _cuts(
    snapshot: Snapshot,
    request: StressRequest,
    edges: dict[tuple[str, str], list[tuple[Commitment, Decimal]]],
    as_of: dt.date,
) -> dict[str, float]:
    """The initial cut of each commitment, USD (commitment id -> cut)."""
    amount = {c.id: float(usd) for group in edges.values() for c, usd in group}
    out: dict[str, float] = defaultdict(float)
    for n, cut in enumerate(request.cuts):
        if cut.commitment is not None:
            c = snapshot.commitments.get(cut.commitment)
            where = f"cuts.{n}.commitment"
            if c is None:
                raise unknown_in_request(snapshot, "commitment", cut.commitment, where)
            if c.id not in amount:
                why = (
                    "has no disclosed figure, so its cut cannot be sized"
                    if c.amount is None and c.counts_at(as_of)
                    else f"moves no money that counts at {as_of}"
                )
                raise InvalidQueryError(f"{c.id} {why}", field=where)
            out[c.id] = max(out[c.id], cut.fraction * amount[c.id])
            continue
        assert cut.entity is not None
        if cut.entity not in snapshot.entities:
            raise unknown_in_request(snapshot, "entity", cut.entity, f"cuts.{n}.entity")
        for (payer, _), group in edges.items():
            if payer != cut.entity:
                continue
            for c, _ in group:
                if cut.kinds is None or c.kind in cut.kinds:
                    out[c.id] = max(out[c.id], cut.fraction * amount[c.id])
    return out


@dataclass(frozen=True)
class _PassThrough:
    """Per entity: the share p it passes on, the rule behind it, whether the fixed share
    stands in for a revenue figure the financials rule lacks, and the revenue used."""

    p: np.ndarray
    rules: list[str]
    stands_in: list[bool]
    revenues: list[float | None]


def _pass_through(
    snapshot: Snapshot, request: StressRequest, ids: list[str], f: sparse.csr_array, as_of: dt.date
) -> _PassThrough:
    fixed = request.pass_through
    out_total = np.asarray(f.sum(axis=1)).ravel()
    in_total = np.asarray(f.sum(axis=0)).ravel()
    p = np.full(len(ids), fixed, dtype=np.float64)
    rules = [f"fixed {fixed:g}"] * len(ids)
    stands_in = [False] * len(ids)
    revenues: list[float | None] = []
    for i, entity_id in enumerate(ids):
        fact = snapshot.entities[entity_id].latest(FinancialMetric.REVENUE, as_of)
        revenue = None if fact is None else float(fact.usd)
        revenues.append(revenue)
        if request.pass_through_rule is PassThroughRule.FIXED:
            continue
        if revenue is None:
            rules[i] = f"fixed {fixed:g} (no revenue figure)"
            stands_in[i] = True
            continue
        means = in_total[i] + revenue
        p[i] = min(1.0, out_total[i] / means) if means > 0 else 0.0
        rules[i] = "commitments / (inflows + revenue), capped at 1"
    return _PassThrough(p, rules, stands_in, revenues)


def question(snapshot: Snapshot, request: StressRequest) -> str:
    parts = []
    for cut in request.cuts:
        share = "" if cut.fraction >= 1 else f"{cut.fraction:.0%} of "
        if cut.commitment is not None:
            c = snapshot.commitments.get(cut.commitment)
            payer = snapshot.entities[c.from_].name if c and c.from_ in snapshot.entities else "?"
            to = snapshot.entities[c.to].name if c and c.to in snapshot.entities else "?"
            parts.append(f"{payer} withdrew {share}{cut.commitment} (to {to})")
        else:
            entity = snapshot.entities.get(cut.entity or "")
            name = entity.name if entity else str(cut.entity)
            kinds = ", ".join(k.value.replace("_", " ") for k in cut.kinds) if cut.kinds else ""
            parts.append(f"{name} cut {share}its {kinds + ' ' if kinds else ''}commitments")
    rule = (
        f"passing on {request.pass_through:.0%} of a lost inflow"
        if request.pass_through_rule is PassThroughRule.FIXED
        else "passing on the share of its spending that its inflows fund"
    )
    return (
        f"If {' and '.join(parts)}, how much inflow would each entity lose, and how much "
        f"would it cut in turn, {rule}?"
    )


def report(
    snapshot: Snapshot,
    request: StressRequest,
    *,
    as_of: dt.date,
    rules: list[str],
    common: dict[str, object],
) -> StressReport:
    edges, unpriced = _flows(snapshot, as_of, request.basis)
    initial = _cuts(snapshot, request, edges, as_of)
    ids = sorted(snapshot.entities)
    index = {entity_id: i for i, entity_id in enumerate(ids)}
    rows, cols, flow, cut = [], [], [], []
    for (payer, recipient), group in edges.items():
        rows.append(index[payer])
        cols.append(index[recipient])
        flow.append(float(sum(usd for _, usd in group)))
        cut.append(sum(initial.get(c.id, 0.0) for c, _ in group))
    n = len(ids)
    f = sparse.csr_array((flow, (rows, cols)), shape=(n, n))
    c0 = sparse.csr_array((cut, (rows, cols)), shape=(n, n))
    passing = _pass_through(snapshot, request, ids, f, as_of)
    result = pull_back(f, c0, passing.p, max_rounds=request.max_rounds)
    return StressReport.model_validate(
        {
            **common,
            "parameters": {
                "max_rounds": request.max_rounds,
                "pass_through": request.pass_through,
                "pass_through_rule": request.pass_through_rule.value,
            },
            "rounds": result.rounds,
            "converged": result.converged,
            "total_loss_usd": float(result.lost.sum()),
            "defaulted": 0,
            "not_judged": 0,
            "rule_buffer_loss_share": 0.0,
            "missing_buffers": [],
            "rules": [*rules, FLOW_RULE, SPREAD_RULE, PATH_RULE],
            "entities": [],
            "pull_back": _section(snapshot, ids, edges, unpriced, f, c0, passing, result),
        }
    )


def _section(
    snapshot: Snapshot,
    ids: list[str],
    edges: dict[tuple[str, str], list[tuple[Commitment, Decimal]]],
    unpriced: list[Commitment],
    f: sparse.csr_array,
    c0: sparse.csr_array,
    passing: _PassThrough,
    result: PullBackResult,
) -> PullBackReport:
    index = {entity_id: i for i, entity_id in enumerate(ids)}
    paths = _paths(ids, f, c0, passing.p)
    entities = []
    for i in np.flatnonzero((result.lost > 0) | (result.initial > 0)):
        lost = float(result.lost[i])
        revenue = passing.revenues[i]
        first = int(result.first_round[i])
        entities.append(
            PullBackEntity(
                id=ids[i],
                name=snapshot.entities[ids[i]].name,
                lost_inflow_usd=lost,
                cut_usd=float(result.induced[i]),
                initial_cut_usd=float(result.initial[i]),
                pass_through=float(passing.p[i]),
                pass_through_rule=passing.rules[i],
                pass_through_stands_in=passing.stands_in[i],
                revenue_usd=revenue,
                lost_share_of_revenue=lost / revenue if revenue else None,
                round=first if first >= 0 else None,
                paths=paths.get(ids[i], []),
            )
        )
    entities.sort(key=lambda e: (-e.lost_inflow_usd, -e.initial_cut_usd, e.id))
    coo = result.edge_cuts.tocoo()
    coo.sum_duplicates()
    # One read of the cut matrix, not one indexing per pair (slow in scipy at 10k pairs).
    cut_of = {
        (int(u), int(v)): float(x) for u, v, x in zip(coo.row, coo.col, coo.data, strict=True)
    }
    commitments = []
    for (payer, recipient), group in edges.items():
        edge_cut = cut_of.get((index[payer], index[recipient]), 0.0)
        if edge_cut <= 0:
            continue
        total = float(sum(usd for _, usd in group))
        for c, usd in group:
            share = edge_cut / total
            commitments.append(
                CommitmentCut.model_validate(
                    {"commitment": c.id, "from_": c.from_, "to": c.to, "usd": float(usd),
                     "cut_usd": share * float(usd), "share": share}
                )
            )  # fmt: skip
    commitments.sort(key=lambda x: (-x.cut_usd, x.commitment))
    cutters = {ids[i] for i in np.flatnonzero((result.induced > 0) | (result.initial > 0))}
    boomerang = [
        Boomerang(
            entity=ids[i],
            initial_cut_usd=float(result.initial[i]),
            returned_usd=float(result.lost[i]),
            share=float(result.lost[i] / result.initial[i]),
        )
        for i in np.flatnonzero(result.initial > 0)
    ]
    return PullBackReport(
        total_initial_cut_usd=float(result.initial.sum()),
        total_lost_inflow_usd=float(result.lost.sum()),
        entities=entities,
        commitments=commitments,
        boomerang=boomerang,
        unpriced=sorted(c.id for c in unpriced if c.from_ in cutters),
    )


def _paths(
    ids: list[str], f: sparse.csr_array, c0: sparse.csr_array, p: np.ndarray
) -> dict[str, list[CutPath]]:
    """The largest paths of the cut to each entity: from an initial cut on (u, v), a hop
    v -> w carries p_v x its share of v's remaining outflows; a path may come back to its
    first cutter (the boomerang) and ends there.

    Best first, label-setting as for the k best paths: paths leave the heap largest first
    and a hop never adds value, so the first PATHS_PER_ENTITY paths to reach an entity
    are the largest found, and only those are extended (a hub of a large web has more
    paths than can be walked; an entity's largest path then extends one of its
    predecessor's largest). At most MAX_PATH_STEPS paths are taken from the heap."""
    remaining = (f - c0).tocsr()
    out_total = np.asarray(remaining.sum(axis=1)).ravel()
    total = float(c0.sum()) or 1.0
    floor = 1e-6 * total
    best: dict[str, list[CutPath]] = defaultdict(list)
    starts = c0.tocoo()
    heap: list[tuple[float, tuple[int, ...]]] = [
        (-float(cut), (int(u), int(v)))
        for u, v, cut in zip(starts.row, starts.col, starts.data, strict=True)
        if cut > 0
    ]
    heapq.heapify(heap)
    for _ in range(MAX_PATH_STEPS):
        if not heap:
            break
        negative, path = heapq.heappop(heap)
        head = path[-1]
        found = best[ids[head]]
        if len(found) >= PATHS_PER_ENTITY:
            continue
        found.append(CutPath(path=[ids[i] for i in path], usd=-negative))
        if len(path) > MAX_PATH_HOPS or head == path[0] or out_total[head] <= 0:
            continue
        start, end = remaining.indptr[head], remaining.indptr[head + 1]
        share = -negative * p[head] / out_total[head]
        for nxt, usd in zip(remaining.indices[start:end], remaining.data[start:end], strict=True):
            carried = share * usd
            if carried > floor and (int(nxt) == path[0] or int(nxt) not in path):
                heapq.heappush(heap, (-carried, (*path, int(nxt))))
    return dict(best)
