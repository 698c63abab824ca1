"""Benchmarks: import, memory, exposure, stress, cycles and the API, at 1k to 1M commitments.

    .venv/bin/python bench/run.py            # 1k, 10k, 100k, 1M (long: see README)
    .venv/bin/python bench/run.py --quick    # 1k and 10k, seeds API: about a minute

(`python -m bench.run` works as well.)

Every figure is the median of several runs with a ratio against a baseline measured in
the same run on the same data (README, "Benchmarks"). Prints a table and writes
bench/results.json (with --quick, bench/out/results-quick.json: git-ignored, so a quick
run leaves the README's figures alone). Generated datasets are kept in bench/.data
(git-ignored) and reused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as `python bench/run.py`: import from the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import api_load, cases, neo4j_import
from bench.generate import write_dataset_folder
from graph.store.embedded import DB_FILE

HERE = Path(__file__).resolve().parent
SIZES = (1_000, 10_000, 100_000, 1_000_000)
QUICK_SIZES = (1_000, 10_000)
API_SIZES = (100_000,)  # besides the seeds
SEED = 1
PER_FILE = 50_000
FIGURES = ("memory", "new_date", "exposure", "stress", "cycles", "api", "neo4j")


def entities_for(commitments: int) -> int:
    """Ten commitments per entity on average (hubs hold far more), at least 50."""
    return max(50, commitments // 10)


def dataset(data_dir: Path, commitments: int) -> Path:
    """The generated folder for `commitments` (files of at most PER_FILE commitments, each
    within the default import limit), written once and reused: same seed, same files."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / f"commitments-{commitments}-seed{SEED}"
    if not path.exists():
        partial = data_dir / f"{path.name}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        write_dataset_folder(
            partial,
            entities=entities_for(commitments),
            commitments=commitments,
            seed=SEED,
            per_file=PER_FILE,
        )
        partial.rename(path)
    return path


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except OSError:
        memory_kb = 0
    versions = {
        name: metadata.version(name)
        for name in ("pydantic", "PyYAML", "networkx", "numpy", "scipy", "fastapi", "uvicorn")
    }
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kb / 2**20, 1),
        "load_average_at_start": os.getloadavg(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": versions,
        "commit": commit,
    }


def run_size(commitments: int, args: argparse.Namespace, log: Any) -> dict[str, Any]:
    repeat = args.heavy_repeat if commitments >= 1_000_000 else args.repeat
    path = dataset(args.data_dir, commitments)
    work = cases.scratch_dir(args.data_dir)
    log(f"{commitments:,} commitments: import x{repeat}")
    result: dict[str, Any] = {
        "commitments": commitments,
        "entities": entities_for(commitments),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "load_average_at_start": os.getloadavg(),
        "repeat": repeat,
    }
    result["import"], store = cases.measure_import(path, work, repeat)
    gc.collect()
    snapshot = store.current()
    db = work / "store" / DB_FILE
    hub = cases.largest_hub(snapshot)
    result["hub"] = hub
    if "memory" in args.figures:
        log(f"{commitments:,}: memory probe x{repeat}")
        result["memory"] = _memory(db, hub, repeat, commitments, result["import"]["file_bytes"])
    if "new_date" in args.figures:
        log(f"{commitments:,}: a new date x{args.repeat}")
        result["new_date"] = cases.measure_new_date(snapshot, hub, args.repeat)
    if "exposure" in args.figures:
        log(f"{commitments:,}: exposure")
        result["exposure"] = cases.measure_exposure(
            snapshot, hub, calls=args.calls, budget_s=args.latency_budget
        )
    if "stress" in args.figures:
        log(f"{commitments:,}: stress x{repeat}")
        result["stress"] = cases.measure_stress(snapshot, hub, repeat)
    if "cycles" in args.figures:
        log(f"{commitments:,}: cycles x{repeat}")
        result["cycles"] = cases.measure_cycles(snapshot, repeat)
    if args.api and "api" in args.figures and commitments in API_SIZES:
        log(f"{commitments:,}: API x{args.repeat}")
        result["api"] = api_load.measure_api(
            ["--db", str(db)],
            hub,
            cases.AS_OF.isoformat(),
            seconds=args.api_seconds,
            repeat=args.repeat,
        )
    if "neo4j" in args.figures and commitments in neo4j_import.SIZES:
        if neo4j_import.available():
            log(f"{commitments:,}: Neo4j import x{repeat}")
            result["neo4j_import"] = neo4j_import.measure(path, repeat)
        else:
            log(f"{commitments:,}: Neo4j import skipped: NEO4J_URI is not set")
    store.close()
    if not args.keep:
        _remove(work)
    return result


def _memory(db: Path, hub: str, repeat: int, commitments: int, file_bytes: int) -> dict[str, Any]:
    """Peak RSS of a process that opens the store and answers the hub's exposure once
    (median of `repeat` probes), per commitment and against the YAML's bytes per one."""
    probes = [api_load.probe_memory(db, hub, cases.AS_OF.isoformat()) for _ in range(repeat)]
    peak = sorted(p["peak_rss"] for p in probes)[(len(probes) - 1) // 2]
    bytes_per = file_bytes / commitments
    return {
        "peak_rss_bytes": peak,
        "bytes_per_commitment": peak / commitments,
        "held_rss_bytes": probes[0]["held_rss"],
        "empty_process_rss_bytes": probes[0]["empty_rss"],
        "baseline_yaml_bytes_per_commitment": bytes_per,
        "ratio": peak / commitments / bytes_per,
        "runs": [p["peak_rss"] for p in probes],
    }


def _remove(folder: Path) -> None:
    for child in sorted(folder.rglob("*"), reverse=True):
        child.rmdir() if child.is_dir() else child.unlink()
    folder.rmdir()


def _merged(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """`new`, plus the sizes, figures and seeds API figures of `old` that `new` did not
    measure."""
    earlier = {size["commitments"]: size for size in old.get("sizes", [])}
    for size in new["sizes"]:  # a run of some figures keeps the size's other figures
        earlier[size["commitments"]] = {**earlier.get(size["commitments"], {}), **size}
    new["sizes"] = sorted(earlier.values(), key=lambda size: size["commitments"])
    if "seeds_api" not in new and "seeds_api" in old:
        new["seeds_api"] = old["seeds_api"]
    new["earlier_runs"] = [*old.get("earlier_runs", []), old.get("command", "")]
    return new


# -- the table ---------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.3g} ms" if seconds < 1 else f"{seconds:.3g} s"


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def rows(results: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    """(figure, {column: cell}) for every figure of every size, in table order."""
    out: dict[str, dict[str, str]] = {}

    def put(figure: str, column: str, cell: str) -> None:
        out.setdefault(figure, {})[column] = cell

    for size in results["sizes"]:
        col = f"{size['commitments']:,}"
        imp = size["import"]
        put("import (vs C-loader parse)", col, f"{_ms(imp['seconds'])} ({_ratio(imp['ratio'])})")
        if "memory" in size:
            mem = size["memory"]
            put(
                "peak RSS / commitment (vs YAML bytes)",
                col,
                f"{mem['bytes_per_commitment'] / 1024:.2f} KB ({_ratio(mem['ratio'])})",
            )
        if "new_date" in size:
            new = size["new_date"]
            put(
                "E at a new date (vs NumPy reference)",
                col,
                f"{_ms(new['seconds'])} ({_ratio(new['ratio'])})",
            )
            put("hub's exposure at a new date", col, _ms(new["hub_answer_at_new_date_s"]))
            put("counting table, once per snapshot", col, _ms(new["counting_table_build_s"]))
        if "exposure" in size:
            exp = size["exposure"]
            put("first question on a fresh snapshot", col, _ms(exp["cold_first_query_s"]))
            for key, label in (
                ("direct_out", "exposure direct out p50/p99 (vs plain dicts)"),
                ("direct_in", "exposure direct in p50/p99 (vs plain dicts)"),
                (
                    "direct_out_longest_page",
                    "exposure direct out, up to 1,000 rows p50/p99 (vs plain dicts)",
                ),
                ("look_through_3_out", "look-through depth 3 p50/p99 (vs plain dicts)"),
                ("look_through_3_out_scipy", "look-through depth 3 p50/p99 (vs SciPy reference)"),
            ):
                if key in exp:
                    e = exp[key]
                    put(label, col, f"{_ms(e['p50_s'])}/{_ms(e['p99_s'])} ({_ratio(e['ratio'])})")
            walk = exp.get("look_through_3_out_scipy", {}).get("walk_only")
            if walk is not None:
                put(
                    "look-through depth 3, the walk alone p50 (vs SciPy reference)",
                    col,
                    f"{_ms(walk['p50_s'])} ({_ratio(walk['ratio'])})",
                )
        for model in ("debtrank", "differential_debtrank", "eisenberg_noe", "pull_back"):
            if model not in size.get("stress", {}):  # runs before a model was added
                continue
            s = size["stress"][model]
            put(
                f"{model} (vs SciPy reference), rounds",
                col,
                f"{_ms(s['seconds'])} ({_ratio(s['ratio'])}), "
                f"{s['rounds']}/{s['reference_rounds']}",
            )
        if "cycles" in size:
            cyc = size["cycles"]
            put(
                f"first {cyc['limit']} loops <= {cyc['bound']} hops (vs networkx)",
                col,
                f"{_ms(cyc['seconds'])} ({_ratio(cyc['ratio'])})",
            )
        if "neo4j_import" in size:
            neo = size["neo4j_import"]
            put(
                "Neo4j import, commitments/s (vs bare UNWIND CREATE), server heap",
                col,
                f"{_ms(neo['seconds'])}, {neo['commitments_per_s']:,.0f}/s "
                f"({_ratio(neo['ratio'])}), {neo['server_heap_bytes'] / 2**30:.2g} GiB",
            )
        if "api" in size:
            _api_rows(put, col, size["api"])
    if "seeds_api" in results:
        _api_rows(put, "seeds", results["seeds_api"])
    return list(out.items())


def _api_rows(put: Any, col: str, api: dict[str, Any]) -> None:
    exp, health = api["exposure"], api["health"]
    put(
        "API exposure rps (vs /health), p50/p99",
        col,
        f"{exp['rps']:.0f} ({api['ratio'] * 100:.0f}%), {_ms(exp['p50_s'])}/{_ms(exp['p99_s'])}",
    )
    if "not_modified" in api:
        again = api["not_modified"]
        put(
            "API exposure with If-None-Match: 304 rps (vs /health), p50/p99",
            col,
            f"{again['rps']:.0f} ({api['not_modified_ratio'] * 100:.0f}%), "
            f"{_ms(again['p50_s'])}/{_ms(again['p99_s'])}",
        )
        put("API exposure, first request", col, _ms(api["first_request_s"]))
    put(
        "API /health rps, p50/p99",
        col,
        f"{health['rps']:.0f}, {_ms(health['p50_s'])}/{_ms(health['p99_s'])}",
    )
    beside = api.get("health_beside")
    if beside is not None:
        put(
            "API /health p50/p99, one client beside a depth-6 look-through (p99 vs alone)",
            col,
            f"{_ms(beside['p50_s'])}/{_ms(beside['p99_s'])} ({api['beside_ratio']:.1f}x)",
        )
    dates = api.get("dates")
    if dates is not None:
        put(
            f"API server RSS after {dates['dates']} distinct dates (vs after 20)",
            col,
            f"{dates['rss_after_all_bytes'] / 2**20:.0f} MB ({dates['ratio']:.2f}x)",
        )


def table(results: dict[str, Any]) -> str:
    """A Markdown table: one row per figure, one column per size (and the seeds)."""
    body = rows(results)
    columns: list[str] = []
    for _, cells in body:
        columns.extend(c for c in cells if c not in columns)
    lines = [
        "| figure | " + " | ".join(columns) + " |",
        "| --- |" + " --- |" * len(columns),
    ]
    for figure, cells in body:
        lines.append(f"| {figure} | " + " | ".join(cells.get(c, "") for c in columns) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1k and 10k only, short API runs")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--heavy-repeat", type=int, default=3, help="runs per figure at 1M")
    parser.add_argument("--calls", type=int, default=200, help="calls per latency figure")
    parser.add_argument("--latency-budget", type=float, default=5.0, help="seconds per figure")
    parser.add_argument("--api-seconds", type=float, default=5.0, help="seconds per API run")
    parser.add_argument("--no-api", dest="api", action="store_false")
    parser.add_argument(
        "--figures",
        type=lambda s: set(s.split(",")),
        default=set(FIGURES),
        help=f"comma-separated, of {','.join(FIGURES)} (default: all; import always runs)",
    )
    parser.add_argument("--data-dir", type=Path, default=HERE / ".data")
    parser.add_argument("--keep", action="store_true", help="keep the imported stores")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        help="default: bench/results.json (the README's table), or with --quick "
        "bench/out/results-quick.json, so a quick run leaves the full results alone",
    )
    parser.add_argument(
        "--update",
        action="store_true",
        help="keep the sizes (and seeds API figures) of --output that this run does not redo",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.calls, args.latency_budget, args.api_seconds = 50, 1.0, 2.0
    if args.output is None:
        args.output = HERE / "out" / "results-quick.json" if args.quick else HERE / "results.json"
    sizes = args.sizes or (QUICK_SIZES if args.quick else SIZES)
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:7.1f} s] {message}", file=sys.stderr, flush=True)

    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": " ".join(["python -m bench.run", *(argv if argv is not None else sys.argv[1:])]),
        "machine": machine(),
        "settings": {
            "repeat": args.repeat,
            "heavy_repeat": args.heavy_repeat,
            "as_of": cases.AS_OF.isoformat(),
            "materiality_share": cases.MATERIALITY,
            "api_clients": api_load.CLIENTS,
            "api_seconds": args.api_seconds,
        },
        "sizes": [],
    }
    if args.api:
        log("seeds: API")
        results["seeds_api"] = api_load.measure_api(
            ["--seeds"],
            "openai",
            cases.AS_OF.isoformat(),
            seconds=args.api_seconds,
            repeat=args.repeat,
        )
    for commitments in sizes:
        results["sizes"].append(run_size(commitments, args, log))
        gc.collect()
    results["total_seconds"] = time.perf_counter() - started
    if args.update and args.output.exists():
        results = _merged(json.loads(args.output.read_text(encoding="utf-8")), results)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    log(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
