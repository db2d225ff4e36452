"""What a reader's book snapshot costs after each delta: this tree against a baseline revision.

A seeded 50-level-per-side book takes deltas shaped like Bybit's ``orderbook.50`` pushes
(three sizes changed, and often a level added at the top or deep and another removed); after
each delta a reader asks for the top 50 (``OrderBook.snapshot(50)``), as the ladder and the
paper engine do. Also: reads after an empty delta (nothing to convert), and after a full
snapshot (everything to convert). Per read, microseconds of CPU, best of ``--rounds`` fresh
processes per variant, alternating; the baseline is extracted with ``git archive``.

    python bench/book_snapshot.py [--reads 5000] [--rounds 5] [--baseline 90f0704]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from paper_matching import extract, machine_pace

from console.domain import OrderBook

Pair = list[str]


def price(tick: int) -> str:
    return f"{tick / 10:.1f}"


def deltas(count: int, seed: int) -> tuple[list[Pair], list[Pair], list[tuple[list[Pair], ...]]]:
    """A 50-level snapshot around 1000.0 and ``count`` deltas that keep it near 50 levels."""
    rng = random.Random(seed)
    bids = {10_000 - i: rng.randint(1, 5000) for i in range(50)}
    asks = {10_001 + i: rng.randint(1, 5000) for i in range(50)}
    first = (
        [[price(t), str(s / 1000)] for t, s in bids.items()],
        [[price(t), str(s / 1000)] for t, s in asks.items()],
    )
    out = []
    for _ in range(count):
        changed: list[list[Pair]] = []
        for side, best, sign in ((bids, max, -1), (asks, min, 1)):
            levels: list[Pair] = []
            for tick in rng.sample(sorted(side), 3):
                side[tick] = rng.randint(1, 5000)
                levels.append([price(tick), str(side[tick] / 1000)])
            top = best(side)
            # a new level just better than the best (if the spread has room), or a deep one
            new = top - sign * rng.randint(1, 3) if rng.random() < 0.5 else top + sign * 60
            uncrossed = new < min(asks) if side is bids else new > max(bids)
            if new not in side and uncrossed:
                side[new] = rng.randint(1, 5000)
                levels.append([price(new), str(side[new] / 1000)])
            if len(side) > 50:
                gone = rng.choice(sorted(set(side) - {new}))
                del side[gone]
                levels.append([price(gone), "0"])
            changed.append(levels)
        out.append((changed[0], changed[1]))
    return first[0], first[1], out


def child(reads: int) -> None:
    """Print microseconds per read for: deltas, empty deltas, full snapshots."""
    bids, asks, changes = deltas(reads, seed=7)
    book = OrderBook("BTC/USDT:USDT")
    book.apply_snapshot(bids, asks, 1)
    book.snapshot(50)
    started = time.process_time()
    for sequence, (b, a) in enumerate(changes, start=2):
        book.apply_delta(b, a, sequence)
        book.snapshot(50)
    delta_us = (time.process_time() - started) / reads * 1e6
    sequence = book.sequence or 0
    started = time.process_time()
    for _ in range(reads):
        sequence += 1
        book.apply_delta([], [], sequence)
        book.snapshot(50)
    empty_us = (time.process_time() - started) / reads * 1e6
    started = time.process_time()
    for _ in range(reads // 5):
        sequence += 1
        book.apply_snapshot(bids, asks, sequence)
        book.snapshot(50)
    full_us = (time.process_time() - started) / (reads // 5) * 1e6
    print(f"{delta_us:.2f} {empty_us:.2f} {full_us:.2f}")


def run_child(source: Path, reads: int) -> list[float]:
    env = dict(os.environ, PYTHONPATH=str(source))
    done = subprocess.run(
        [sys.executable, __file__, "--child", "--reads", str(reads)],
        check=False,
        capture_output=True,
        text=True,
        env=env,
    )
    if done.returncode != 0:
        raise SystemExit(f"the reader bench failed under {source}:\n{done.stderr}")
    return [float(x) for x in done.stdout.split()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--baseline", default="90f0704", help="git revision to compare with")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.reads)
        return
    print(f"machine pace: a 3M-step Python loop takes {machine_pace():.3f} s of CPU (ref 0.10)")
    print(f"baseline {args.baseline}, best of {args.rounds} alternating fresh runs")
    here = Path(__file__).resolve().parents[1]
    old = [float("inf")] * 3
    new = [float("inf")] * 3
    with tempfile.TemporaryDirectory() as folder:
        baseline = extract(args.baseline, Path(folder))
        for _ in range(args.rounds):
            old = [min(a, b) for a, b in zip(old, run_child(baseline, args.reads), strict=True)]
            new = [min(a, b) for a, b in zip(new, run_child(here, args.reads), strict=True)]
    print(f"{'read of the top 50 after':<34}{'baseline us':>12}{'new us':>10}{'new/base':>10}")
    names = ("a delta (~5 levels per side)", "an empty delta", "a full snapshot")
    for name, before, after in zip(names, old, new, strict=True):
        print(f"{name:<34}{before:>12.1f}{after:>10.1f}{after / before:>9.2f}x")


if __name__ == "__main__":
    main()
