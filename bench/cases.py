"""The in-process measurements: import, exposure, stress and cycles on one dataset.

Each returns a plain dict for results.json: the median of several runs, the baseline
measured the same way on the same data in the same run, and their ratio.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
import itertools
import shutil
import statistics
import tempfile
import time
import timeit
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import numpy.typing as npt
import yaml
from scipy import sparse

from bench import reference
from graph import imports, queries
from graph.analysis import contagion
from graph.counting import exposure_pair
from graph.load import DEFAULT_MAX_BYTES, yaml_files
from graph.queries.exposure import walk
from graph.queries.stress import buffers_with_rule, financial_figures
from graph.snapshot import Snapshot, SnapshotSource, Views
from graph.store.embedded import EmbeddedStore
from schemas.enums import MONEY_FLOW_KINDS, Direction, FinancialMetric, ValueBasis
from schemas.queries import MAX_LIMIT, CycleQuery, ExposureQuery
from schemas.stress import Cut, Shock, StressModel, StressRequest

# The article's date: the Nvidia-OpenAI plan still counts; generated deals are announced
# from 2023 to the end of 2025, so most of them count too.
AS_OF = dt.date(2026, 1, 29)
# Look-through materiality for the depth-3 figure: paths worth less than this share of
# the hub's direct exposure are left out (and, going out, not extended).
MATERIALITY = 1e-4
CYCLE_BOUND = 4
CYCLE_LIMIT = 100
Result = dict[str, Any]


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def per_call(fn: Callable[[], object]) -> float:
    """Mean seconds per call over a batch of at least 0.2 s (timeit's autorange): a model
    run can take well under a millisecond, where one timed call is mostly timer noise."""
    number, total = timeit.Timer(fn).autorange()
    return total / number


def compare(runs: list[float], baseline_runs: list[float], **extra: Any) -> Result:
    """Median seconds of `runs` and of `baseline_runs`, and their ratio."""
    median, base = statistics.median(runs), statistics.median(baseline_runs)
    return {
        "seconds": median,
        "baseline_seconds": base,
        "ratio": median / base if base > 0 else None,
        "runs": runs,
        "baseline_runs": baseline_runs,
        **extra,
    }


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p99 of `samples` (nearest rank)."""
    ordered = sorted(samples)
    n = len(ordered)
    return ordered[(n - 1) // 2], ordered[min(n - 1, int(0.99 * n))]


def latency(fn: Callable[[], object], *, calls: int, budget_s: float) -> list[float]:
    """Latencies of up to `calls` calls of `fn`, stopping once `budget_s` is spent."""
    samples: list[float] = []
    deadline = time.perf_counter() + budget_s
    while len(samples) < calls and (len(samples) < 5 or time.perf_counter() < deadline):
        samples.append(timed(fn))
    return samples


def compare_latency(
    fn: Callable[[], object], base: Callable[[], object], *, calls: int, budget_s: float
) -> Result:
    runs = latency(fn, calls=calls, budget_s=budget_s)
    base_runs = latency(base, calls=calls, budget_s=budget_s)
    p50, p99 = percentiles(runs)
    b50, b99 = percentiles(base_runs)
    return {
        "p50_s": p50,
        "p99_s": p99,
        "baseline_p50_s": b50,
        "baseline_p99_s": b99,
        "ratio": p50 / b50 if b50 > 0 else None,
        "calls": len(runs),
    }


# -- import ------------------------------------------------------------------------------


def bare_parse(path: Path) -> None:
    """The baseline: only parse each file with PyYAML's C loader, as a user would."""
    for file in yaml_files([path]):
        yaml.load(file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def import_into(path: Path, data_dir: Path) -> SnapshotSource:
    """Validate and import `path` (a file or folder) into a new embedded store, as
    `aifg import` does with its default file size limit."""
    source = SnapshotSource(EmbeddedStore.in_dir(data_dir))
    imports.import_paths(source, [path], dry_run=False, max_bytes=DEFAULT_MAX_BYTES)
    return source


def exposure(
    snapshot: Snapshot, hub: str, direction: Direction = Direction.OUT, **options: Any
) -> Any:
    """The hub's exposure report, as GET /entities/{hub}/exposure answers it."""
    query = ExposureQuery(as_of=AS_OF, direction=direction, **options)
    return queries.exposure(snapshot, hub, query, today=AS_OF)


def first_loops(snapshot: Snapshot) -> Any:
    query = CycleQuery(as_of=AS_OF, max_length=CYCLE_BOUND, limit=CYCLE_LIMIT)
    return queries.cycles(snapshot, query, today=AS_OF, scan_limit=CYCLE_LIMIT)


def measure_import(path: Path, work: Path, repeat: int) -> tuple[Result, SnapshotSource]:
    """Import vs bare parse, interleaved so both see the same machine load; the last
    import's store stays open (and on disk in `work`) for the other measurements."""
    runs: list[float] = []
    base_runs: list[float] = []
    store: SnapshotSource | None = None
    for attempt in range(repeat):
        if store is not None:  # the baseline parses in a process that holds no snapshot
            store.close()
            store = None
            gc.collect()
        base_runs.append(timed(lambda: bare_parse(path)))
        target = work / "store"
        shutil.rmtree(target, ignore_errors=True)
        start = time.perf_counter()
        store = import_into(path, target)
        runs.append(time.perf_counter() - start)
        del attempt
    assert store is not None
    size = sum(file.stat().st_size for file in yaml_files([path]))
    return compare(runs, base_runs, file_bytes=size), store


# -- exposure ----------------------------------------------------------------------------


def largest_hub(snapshot: Snapshot) -> str:
    """The entity with the most commitments (either side)."""
    counts = Counter(
        itertools.chain.from_iterable((c.from_, c.to) for c in snapshot.commitments.values())
    )
    return max(counts, key=lambda entity: (counts[entity], entity))


def _float_adjacency(snapshot: Snapshot) -> dict[str, dict[str, float]]:
    return {
        a: {b: float(edge.usd) for b, edge in row.items()}
        for a, row in snapshot.exposure(AS_OF, ValueBasis.POINT).items()
    }


def reference_direct(adjacency: dict[str, dict[str, float]], hub: str) -> list[tuple[str, float]]:
    """Plain dicts: the hub's counterparties, largest first."""
    row = adjacency.get(hub, {})
    return sorted(row.items(), key=lambda item: (-item[1], item[0]))


def reference_look_through(
    adjacency: dict[str, dict[str, float]],
    totals: dict[str, float],
    hub: str,
    depth: int,
    min_usd: float,
) -> dict[str, float]:
    """Plain dicts: look-through USD per end entity, paths worth min_usd or less pruned."""
    found: dict[str, float] = {}
    stack: list[tuple[tuple[str, ...], float]] = [((hub,), 0.0)]
    while stack:
        path, value = stack.pop()
        head = path[-1]
        for nxt, usd in adjacency.get(head, {}).items():
            if nxt in path:
                continue
            if len(path) > 1:
                if totals[head] <= 0:
                    continue
                usd = value * usd / totals[head]
            if usd <= min_usd:
                continue
            found[nxt] = found.get(nxt, 0.0) + usd
            if len(path) < depth:
                stack.append(((*path, nxt), usd))
    return found


def first_question(snapshot: Snapshot, hub: str) -> float:
    """Seconds to the hub's exposure on a snapshot of the same records with nothing derived
    yet (the counting table, the views), as a server's first question after it loads the
    data, whichever figures ran on `snapshot` before."""
    fresh = dataclasses.replace(snapshot, views=Views(snapshot.views.capacity), _suggesters={})
    return timed(lambda: exposure(fresh, hub, Direction.IN))


def measure_exposure(snapshot: Snapshot, hub: str, *, calls: int, budget_s: float) -> Result:
    cold = first_question(snapshot, hub)
    adjacency = _float_adjacency(snapshot)
    totals = {a: sum(row.values()) for a, row in adjacency.items()}
    direct_total = sum(adjacency.get(hub, {}).values())
    min_usd = MATERIALITY * direct_total
    out: Result = {"hub": hub, "cold_first_query_s": cold, "materiality_usd": min_usd}
    for direction in (Direction.OUT, Direction.IN):
        out[f"direct_{direction.value}"] = compare_latency(
            functools.partial(exposure, snapshot, hub, direction),
            lambda: reference_direct(adjacency, hub),
            calls=calls,
            budget_s=budget_s,
        )
    # The default answer lists the largest 50 counterparties (a page); the longest page
    # lists up to 1,000, each with its commitments, beside the same baseline.
    out["direct_out_longest_page"] = compare_latency(
        functools.partial(exposure, snapshot, hub, Direction.OUT, limit=MAX_LIMIT),
        lambda: reference_direct(adjacency, hub),
        calls=calls,
        budget_s=budget_s,
    )
    report = exposure(snapshot, hub, depth=3, min_usd=min_usd)
    look_through = functools.partial(exposure, snapshot, hub, depth=3, min_usd=min_usd)
    out["look_through_3_out"] = compare_latency(
        look_through,
        lambda: reference_look_through(adjacency, totals, hub, 3, min_usd),
        calls=max(5, calls // 5),
        budget_s=budget_s,
    )
    out["look_through_3_out"]["paths"] = sum(r.path_count for r in report.look_through)
    out["look_through_3_out_scipy"] = _versus_scipy(
        snapshot, hub, report, look_through, min_usd, calls=max(5, calls // 5), budget_s=budget_s
    )
    return out


def _versus_scipy(
    snapshot: Snapshot,
    hub: str,
    report: Any,
    look_through: Callable[[], object],
    min_usd: float,
    *,
    calls: int,
    budget_s: float,
) -> Result:
    """The depth-3 look-through against the plain SciPy reference of the same definition
    (bench.reference.look_through) on the same matrix, and how far their sums per end
    entity differ (relative to the largest)."""
    network = snapshot.network(AS_OF, ValueBasis.POINT)
    row = network.index[hub]
    out = compare_latency(
        look_through,
        lambda: reference.look_through(network.exposure, row, 3, min_usd),
        calls=calls,
        budget_s=budget_s,
    )
    # The walk alone computes what the reference does; the answer adds the report (every
    # direct counterparty's row, the largest paths per end entity).
    matrix = snapshot.exposure_matrix(AS_OF, ValueBasis.POINT)
    entity = matrix.table.entity_index[hub]
    out["walk_only"] = compare_latency(
        lambda: walk(matrix, entity, depth=3, direction=Direction.OUT, min_usd=min_usd),
        lambda: reference.look_through(network.exposure, row, 3, min_usd),
        calls=calls,
        budget_s=budget_s,
    )
    # The answer lists a page of end entities (the largest): each listed sum against the
    # reference's, and the page against the reference's largest.
    expected = reference.look_through(network.exposure, row, 3, min_usd)
    listed = np.array([network.index[end.id] for end in report.look_through], dtype=np.intp)
    got = np.array([end.usd for end in report.look_through])
    scale = max(1.0, float(np.max(np.abs(expected), initial=0.0)))
    out["max_difference"] = float(np.max(np.abs(got - expected[listed]), initial=0.0)) / scale
    unlisted = np.delete(expected, listed)
    out["page_is_the_largest"] = bool(
        not listed.size or np.max(unlisted, initial=0.0) <= np.min(got) * (1 + 1e-12)
    )
    return out


# -- a new date --------------------------------------------------------------------------


@dataclass(frozen=True)
class DatedRows:
    """The reference's inputs for a new date, read from the records (not from the
    counting table): every money-flow commitment's counting intervals as day numbers,
    its exposure pair's number and its amount."""

    interval_row: npt.NDArray[np.int64]
    interval_start: npt.NDArray[np.int64]
    interval_end: npt.NDArray[np.int64]
    pair_of_row: npt.NDArray[np.int64]
    usd: npt.NDArray[np.float64]
    pairs: list[tuple[str, str]]

    @classmethod
    def of(cls, snapshot: Snapshot) -> DatedRows:
        rows = [c for c in snapshot.commitments.values() if c.kind in MONEY_FLOW_KINDS]
        pair_number: dict[tuple[str, str], int] = {}
        owner, starts, ends = [], [], []
        for k, c in enumerate(rows):
            for begin, end in c.counting_intervals():
                owner.append(k)
                starts.append(begin.toordinal())
                ends.append(dt.date.max.toordinal() + 1 if end is None else end.toordinal())
        pair_of_row = [pair_number.setdefault(exposure_pair(c), len(pair_number)) for c in rows]
        usd = [0.0 if c.amount is None else float(c.total_usd(ValueBasis.POINT)) for c in rows]
        return cls(
            np.asarray(owner, dtype=np.int64),
            np.asarray(starts, dtype=np.int64),
            np.asarray(ends, dtype=np.int64),
            np.asarray(pair_of_row, dtype=np.int64),
            np.asarray(usd, dtype=np.float64),
            list(pair_number),
        )

    def at(self, day: dt.date) -> npt.NDArray[np.float64]:
        return reference.usd_per_pair_at(
            day.toordinal(),
            self.interval_row,
            self.interval_start,
            self.interval_end,
            self.pair_of_row,
            self.usd,
            len(self.pairs),
        )


def new_dates(repeat: int) -> list[dt.date]:
    """Dates no question has asked yet (a week apart before AS_OF), one per run."""
    return [AS_OF - dt.timedelta(days=7 * (k + 1)) for k in range(repeat)]


def measure_new_date(snapshot: Snapshot, hub: str, repeat: int) -> Result:
    """E at a date not asked before (the snapshot's counting table already built, as
    after the first question) vs the plain NumPy reference: the same status intervals
    filtered, the same pairs summed. Also the hub's whole exposure answer at a new date,
    and the counting table's one-off build on this snapshot."""
    table_s = timed(lambda: snapshot.counting)
    dated = DatedRows.of(snapshot)
    runs: list[float] = []
    base_runs: list[float] = []
    answers: list[float] = []
    for day in new_dates(repeat):
        base_runs.append(timed(functools.partial(dated.at, day)))
        runs.append(timed(functools.partial(snapshot.exposure_matrix, day, ValueBasis.POINT)))
    for k, day in enumerate(new_dates(repeat)):
        later = day + dt.timedelta(days=3 + k)  # not asked by the loop above either
        answers.append(timed(functools.partial(_exposure_at, snapshot, hub, later)))
    day = new_dates(1)[0]
    matrix = snapshot.exposure_matrix(day, ValueBasis.POINT)
    ids = matrix.table.entity_ids
    got = {
        (ids[a], ids[b]): usd
        for a, b, usd in zip(
            matrix.exposed.tolist(), matrix.counterparty.tolist(), matrix.usd.tolist(), strict=True
        )
    }
    expected = dated.at(day)
    scale = max(1.0, float(np.max(expected, initial=0.0)))
    difference = max(
        (
            abs(got.get(pair, 0.0) - usd) / scale
            for pair, usd in zip(dated.pairs, expected.tolist(), strict=True)
        ),
        default=0.0,
    )
    return compare(
        runs,
        base_runs,
        counting_table_build_s=table_s,
        hub_answer_at_new_date_s=statistics.median(answers),
        hub_answer_runs=answers,
        pairs=len(dated.pairs),
        max_difference=difference,
    )


def _exposure_at(snapshot: Snapshot, hub: str, as_of: dt.date) -> Any:
    return queries.exposure(snapshot, hub, ExposureQuery(as_of=as_of), today=as_of)


# -- stress ------------------------------------------------------------------------------


def measure_stress(snapshot: Snapshot, hub: str, repeat: int) -> Result:
    """The four models on the whole network vs the plain references, same inputs. The
    pull-back runs on the liabilities as flows (what i pays j), the hub cutting all it pays."""
    network_s = timed(lambda: snapshot.network(AS_OF, ValueBasis.POINT))
    network = snapshot.network(AS_OF, ValueBasis.POINT)
    figures = financial_figures(snapshot, network.ids, FinancialMetric.EQUITY, AS_OF)
    buffers, _missing = buffers_with_rule(network, figures)
    shock = np.zeros(network.size)
    shock[network.index[hub]] = 1.0
    owed = np.asarray(network.liabilities.sum(axis=1)).ravel()
    assets = np.array([owed[i] if f is None else f for i, f in enumerate(figures)]) * (1 - shock)
    x, liabilities = network.exposure, network.liabilities
    hub_row = network.index[hub]
    flows = liabilities  # already float64
    keep = sparse.diags_array((np.arange(network.size) == hub_row).astype(np.float64))
    hub_cuts = sparse.csr_array(keep @ flows)
    pass_through = np.full(network.size, 0.8)
    cases: dict[str, tuple[Callable[[], Any], Callable[[], reference.Reference]]] = {
        "debtrank": (
            lambda: contagion.debtrank(x, buffers, shock, max_rounds=100),
            lambda: reference.debtrank(x, buffers, shock, max_rounds=100),
        ),
        "differential_debtrank": (
            lambda: contagion.differential_debtrank(x, buffers, shock, max_rounds=100),
            lambda: reference.differential_debtrank(x, buffers, shock, max_rounds=100),
        ),
        "eisenberg_noe": (
            lambda: contagion.eisenberg_noe(liabilities, assets, max_rounds=100),
            lambda: reference.eisenberg_noe(liabilities, assets),
        ),
        "pull_back": (
            lambda: contagion.pull_back(flows, hub_cuts, pass_through, max_rounds=1000),
            lambda: reference.pull_back(flows, hub_cuts, pass_through, max_rounds=1000),
        ),
    }
    out: Result = {
        "entities": network.size,
        "exposure_pairs": int(network.exposure.nnz),
        "liability_pairs": int(liabilities.nnz),
        "network_build_s": network_s,
    }
    for name, (model, plain) in cases.items():
        runs, base_runs = [], []
        for _ in range(repeat):
            runs.append(per_call(model))
            base_runs.append(per_call(plain))
        result, ref = model(), plain()
        values = {"eisenberg_noe": "payments", "pull_back": "lost"}.get(name, "h")
        values = getattr(result, values)
        scale = max(1.0, float(np.max(np.abs(ref.values)))) if ref.values.size else 1.0
        out[name] = compare(
            runs,
            base_runs,
            rounds=int(result.rounds),
            reference_rounds=ref.rounds,
            max_difference=float(np.max(np.abs(values - ref.values)) / scale),
        )
    # The whole use case as the API runs it (matrices cached, report built), for scale.
    requests: dict[StressModel, dict[str, Any]] = {
        StressModel.DEBTRANK: {"shocks": [Shock(entity=hub, severity=1.0)]},
        StressModel.EISENBERG_NOE: {"shocks": [Shock(entity=hub, severity=1.0)]},
        StressModel.PULL_BACK: {"cuts": [Cut(entity=hub)]},
    }
    for stress_model, what in requests.items():
        request = StressRequest(as_of=AS_OF, model=stress_model, **what)
        run = functools.partial(queries.run_stress, snapshot, request, today=AS_OF)
        out[f"run_stress_{stress_model.value}_s"] = statistics.median(
            timed(run) for _ in range(repeat)
        )
    return out


# -- cycles ------------------------------------------------------------------------------


def measure_cycles(snapshot: Snapshot, repeat: int) -> Result:
    """Time to the first 100 loops of at most 4 hops vs networkx's bare enumeration."""
    cold = timed(lambda: first_loops(snapshot))
    flow = snapshot.money_flow(AS_OF, ValueBasis.POINT)
    runs, base_runs = [], []
    for _ in range(repeat):
        runs.append(timed(lambda: first_loops(snapshot)))
        base_runs.append(
            timed(
                lambda: list(
                    itertools.islice(nx.simple_cycles(flow, length_bound=CYCLE_BOUND), CYCLE_LIMIT)
                )
            )
        )
    found = first_loops(snapshot)
    return compare(
        runs,
        base_runs,
        cold_first_query_s=cold,
        loops=len(found.cycles),
        bound=CYCLE_BOUND,
        limit=CYCLE_LIMIT,
    )


def scratch_dir(root: Path | None) -> Path:
    """A fresh working folder under `root` (bench/.data) or the system temp folder."""
    if root is not None:
        root.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="aifg-bench-", dir=root))
