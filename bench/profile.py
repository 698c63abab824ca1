"""Profile one benchmark phase with pyinstrument (a dev dependency).

    .venv/bin/python -m bench.profile import --size 100000
    .venv/bin/python -m bench.profile load --size 100000     # reopen a store, as `serve`
    .venv/bin/python -m bench.profile exposure --size 100000 # the hub, depth 1 and 3
    .venv/bin/python -m bench.profile stress --size 100000

Writes bench/out/profile-PHASE-SIZE.txt (git-ignored) and prints it. The data are the
benchmark's own generated files (bench/.data).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from pyinstrument import Profiler

from bench import cases, run
from graph import queries
from graph.snapshot import Snapshot, SnapshotSource
from graph.store.embedded import EmbeddedStore
from schemas.enums import Direction
from schemas.stress import Shock, StressModel, StressRequest

PHASES = ("import", "load", "exposure", "stress")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("phase", choices=PHASES)
    parser.add_argument("--size", type=int, default=100_000, help="commitments")
    parser.add_argument("--data-dir", type=Path, default=run.HERE / ".data")
    args = parser.parse_args(argv)
    path = run.dataset(args.data_dir, args.size)
    work = args.data_dir / f"profile-store-{args.size}"
    if args.phase == "import" or not (work / "aifg.sqlite3").exists():
        shutil.rmtree(work, ignore_errors=True)
        if args.phase != "import":
            cases.import_into(path, work).close()
    snapshot: Snapshot | None = None
    if args.phase not in ("import", "load"):
        snapshot = SnapshotSource(EmbeddedStore.in_dir(work)).current()
    target: Callable[[], object]
    if args.phase == "import":
        target = lambda: cases.import_into(path, work).close()  # noqa: E731
    elif args.phase == "load":
        target = lambda: SnapshotSource(EmbeddedStore.in_dir(work)).current()  # noqa: E731
    else:
        assert snapshot is not None
        hub = cases.largest_hub(snapshot)
        target = _exposure(snapshot, hub) if args.phase == "exposure" else _stress(snapshot, hub)
    profiler = Profiler()
    with profiler:
        target()
    text = profiler.output_text(unicode=True, color=False)
    out = run.HERE / "out" / f"profile-{args.phase}-{args.size}.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(text)
    return 0


def _exposure(snapshot: Snapshot, hub: str) -> Callable[[], object]:
    def go() -> None:
        for direction in (Direction.OUT, Direction.IN):
            cases.exposure(snapshot, hub, direction)
        total = cases.exposure(snapshot, hub).total_usd
        cases.exposure(snapshot, hub, depth=3, min_usd=cases.MATERIALITY * total)

    return go


def _stress(snapshot: Snapshot, hub: str) -> Callable[[], object]:
    def go() -> None:
        for model in StressModel:
            request = StressRequest(shocks=[Shock(entity=hub, severity=1.0)], model=model)
            queries.run_stress(snapshot, request, today=cases.AS_OF)

    return go


if __name__ == "__main__":
    sys.exit(main())
