"""A seeded generator of valid dataset YAML with a realistic shape, for benchmarks.

Heavy-tailed degrees (Zipf-like endpoint weights: a few hubs like Nvidia or Microsoft,
many small firms), every commitment kind, amounts log-uniform from 1e6 to 1e11 USD,
ranges, "up to" and per-year figures, status histories (proposed, announced, signed,
active, paused, cancelled, completed), sources with quotes, financials for the stress
models' buffers, and loops (every 50th commitment runs against the hubs' usual
direction, so hubs both buy from and invest in each other). The same arguments always
give the same file; a million commitments take about a minute.

    python bench/generate.py --entities 1000 --commitments 10000 --seed 1 -o out.yaml
    python bench/generate.py --entities 100000 --commitments 1000000 --per-file 50000 -o big/
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

KINDS = [
    ("compute_purchase", 0.25),
    ("cloud_contract", 0.2),
    ("chip_supply", 0.2),
    ("equity_investment", 0.2),
    ("loan", 0.07),
    ("warrant", 0.03),
    ("backstop", 0.03),
    ("other", 0.015),
    ("stock_merger", 0.005),
]
ENTITY_KINDS = ["company"] * 16 + ["fund", "fund", "project", "government", "commodity"]
START = dt.date(2023, 1, 1)


def _entity_id(i: int) -> str:
    return f"firm-{i}"


def _pick_endpoints(rng: random.Random, cumulative: list[float]) -> tuple[int, int]:
    """Two distinct entities drawn by weight (binary search: O(log n) a draw)."""
    total = cumulative[-1]
    last = len(cumulative) - 1
    while True:
        a = bisect.bisect(cumulative, rng.random() * total, 0, last)
        b = bisect.bisect(cumulative, rng.random() * total, 0, last)
        if a != b:
            return a, b


def entity_lines(rng: random.Random, n: int) -> Iterator[str]:
    for i in range(n):
        kind = rng.choice(ENTITY_KINDS)
        financials = ""
        if i % 5 == 0:  # some entities carry a buffer figure for the stress models
            usd = round(10 ** rng.uniform(8, 12))
            financials = (
                f", financials: [{{metric: equity, usd: {usd}, as_of: 2025-12-31, "
                f"source: {{url: 'https://example.org/f/{i}', publisher: Generated}}}}]"
            )
        yield (
            f"  - {{id: {_entity_id(i)}, name: Firm {i}, kind: {kind}, "
            f"sectors: [sector-{i % 17}], aliases: [F{i}]{financials}}}\n"
        )


def commitment_lines(rng: random.Random, n_entities: int, n_commitments: int) -> Iterator[str]:
    # Zipf-like weights give a few hubs most of the commitments.
    weights = [1.0 / (rank + 1) ** 1.1 for rank in range(n_entities)]
    cumulative = list(itertools.accumulate(weights))
    kinds, kind_weights = zip(*KINDS, strict=True)
    kind_cumulative = list(itertools.accumulate(kind_weights))
    for i in range(n_commitments):
        a, b = _pick_endpoints(rng, cumulative)
        if i % 50 == 0:  # close loops between hubs
            a, b = b, a
        kind = rng.choices(kinds, cum_weights=kind_cumulative)[0]
        day = START + dt.timedelta(days=rng.randrange(0, 3 * 365))
        usd = round(10 ** rng.uniform(6, 11))
        years = rng.randint(1, 10)
        roll = rng.random()
        if roll < 0.1:
            amount = f"{{low: {usd}, high: {usd * 2}}}"
        elif roll < 0.2:
            amount = f"{{usd: {usd}, up_to: true, as_written: 'up to ${usd:,}'}}"
        elif roll < 0.25:
            amount = f"{{usd: {usd}, basis: per_year}}"
        else:
            amount = f"{{usd: {usd}}}"
        yield (
            f"  - {{id: deal-{i}, from: {_entity_id(a)}, to: {_entity_id(b)}, kind: {kind}, "
            f"amount: {amount}, {_extras(rng, roll < 0.25 or rng.random() < 0.5, years)}"
            f"announced: {day}, binding: {'true' if rng.random() < 0.8 else 'false'}, "
            f"status: [{_history(rng, day)}], sources: [{_source(rng, i, day)}]}}\n"
        )


def _extras(rng: random.Random, with_term: bool, years: int) -> str:
    term = f"term_years: {years}, " if with_term else ""
    capacity = f"capacity_gw: {rng.randint(1, 10) / 2}, " if rng.random() < 0.05 else ""
    return term + capacity


# Status paths after the first report, with their shares: most deals are signed; some
# stall, some end; about one in twenty starts as talks (proposed) and is not live.
HISTORIES = [
    (("announced",), 0.25),
    (("announced", "signed"), 0.3),
    (("announced", "signed", "active"), 0.15),
    (("announced", "paused"), 0.08),
    (("announced", "signed", "paused", "active"), 0.02),
    (("announced", "cancelled"), 0.05),
    (("announced", "signed", "completed"), 0.1),
    (("proposed",), 0.03),
    (("proposed", "announced", "signed"), 0.02),
]
_HISTORY_CUMULATIVE = list(itertools.accumulate(w for _, w in HISTORIES))


def _history(rng: random.Random, day: dt.date) -> str:
    path = rng.choices([p for p, _ in HISTORIES], cum_weights=_HISTORY_CUMULATIVE)[0]
    changes = []
    for status in path:
        changes.append(f"{{date: {day}, status: {status}}}")
        day += dt.timedelta(days=rng.randrange(1, 200))
    return ", ".join(changes)


def _source(rng: random.Random, i: int, day: dt.date) -> str:
    quote = ", quote: 'The parties agreed terms.'" if rng.random() < 0.1 else ""
    return f"{{url: 'https://example.org/d/{i}', publisher: Generated, date: {day}{quote}}}"


def write_dataset(out: TextIO, *, entities: int, commitments: int, seed: int) -> None:
    rng = random.Random(seed)
    out.write("# Generated by bench/generate.py: synthetic, not real deals.\nversion: 1\n")
    out.write("entities:\n")
    out.writelines(entity_lines(rng, entities))
    out.write("commitments:\n")
    out.writelines(commitment_lines(rng, entities, commitments))


def write_dataset_folder(
    folder: Path, *, entities: int, commitments: int, seed: int, per_file: int = 50_000
) -> list[Path]:
    """The same dataset as `write_dataset`, split into files of at most `per_file`
    commitments (part-000.yaml holds the entities too), as a user would keep a large
    dataset: each file within the default 32 MiB import limit, the folder imported whole.
    """
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    # Lazy: it draws from rng only once the entities below have been written.
    lines = commitment_lines(rng, entities, commitments)
    paths = []
    for part in range(max(1, -(-commitments // per_file))):
        path = folder / f"part-{part:03d}.yaml"
        with path.open("w", encoding="utf-8") as out:
            out.write("# Generated by bench/generate.py: synthetic, not real deals.\nversion: 1\n")
            if part == 0:
                out.write("entities:\n")
                out.writelines(entity_lines(rng, entities))
            out.write("commitments:\n")
            out.writelines(itertools.islice(lines, per_file))
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=1000)
    parser.add_argument("--commitments", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    parser.add_argument(
        "--per-file", type=int, help="write a folder (--output) of files of this many commitments"
    )
    args = parser.parse_args(argv)
    if args.per_file:
        write_dataset_folder(
            args.output or Path("generated"),
            entities=args.entities,
            commitments=args.commitments,
            seed=args.seed,
            per_file=args.per_file,
        )
    elif args.output is None:
        write_dataset(
            sys.stdout, entities=args.entities, commitments=args.commitments, seed=args.seed
        )
    else:
        with args.output.open("w", encoding="utf-8") as out:
            write_dataset(out, entities=args.entities, commitments=args.commitments, seed=args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
