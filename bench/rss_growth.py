"""Resident memory of the console over time at ``ui_latency.py``'s load, and what grows.

The app headless as ``ui_latency.py`` runs it (a wide terminal, four ladders, ``--symbols``
linear books at orderbook.50 at ``--speed``, the simulator in a child process). Prints RSS
every ``--every`` seconds and the growth per minute after the first minute (caches and the
trade windows fill in that minute; what still grows after it is a leak). With ``--trace``,
Python allocations are traced from the end of the first minute (slower from then on) and
the lines whose memory grew most since are printed; with ``--census``, the Python
containers that grew in number over the same span, by type (cheap enough for the full
load, where tracing slows the app until the simulator drops it).

Each read also says where the memory is (pymalloc's live bytes and arenas, glibc malloc's
used and free bytes) and what the cycle collector freed: a flat live total under a rising
RSS is the allocators keeping freed memory, not a leak. ``--caches`` prints the lru caches
that still fill, against their bounds; ``--garbage S`` keeps S seconds of cyclic garbage
and names the cycles that held it; ``--trim`` calls ``malloc_trim`` before each read.

Run: ``python bench/rss_growth.py [--minutes 10] [--speed 10] [--symbols 10] [--census]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import functools
import gc
import os
import re
import subprocess
import sys
import tempfile
import time
import tracemalloc
import types
from collections import Counter
from pathlib import Path
from typing import Any, NamedTuple

from stream_e2e import linear_instruments, rss_mb, serve_sim
from ui_latency import TERMINAL, external_services, settings_for
from ui_startup import machine_pace

WARM_UP_SECONDS = 60.0


async def watch(args: argparse.Namespace, names: list[str], ws_url: str) -> None:
    from console.domain.plausibility import SIMULATED_AHEAD_MS, allow_ahead
    from console.tui.app import ConsoleApp

    # What the console does for a simulator it starts itself (console/services.py): at a
    # speed above 1 its market clock runs ahead, and every trade would be refused as from
    # the future (a lighter load than the console's, with a warning per frame).
    allow_ahead(SIMULATED_AHEAD_MS)

    with tempfile.TemporaryDirectory() as data:
        app = ConsoleApp(
            settings_for(names, args.speed, Path(data)), services_factory=external_services(ws_url)
        )
        async with app.run_test(size=TERMINAL) as pilot:
            started = time.time()
            series: list[tuple[float, float]] = []
            warm: tracemalloc.Snapshot | None = None
            census: Counter[str] | None = None
            caches: dict[str, tuple[int, int]] | None = None
            garbage: Counter[str] | None = None
            collector = CollectorTally()
            while (elapsed := time.time() - started) < args.minutes * 60:
                if args.trim:
                    trim_malloc()
                series.append((elapsed, rss_mb()))
                print(
                    f"  {elapsed / 60:5.1f} min  RSS {series[-1][1]:6.1f} MB  {heap()}  "
                    f"{collector.since_last()}",
                    flush=True,
                )
                if elapsed >= WARM_UP_SECONDS:
                    if args.garbage and garbage is None:
                        garbage = await cyclic_garbage(pilot, args.garbage)
                    if args.trace and warm is None:
                        tracemalloc.start(args.frames)
                        warm = tracemalloc.take_snapshot()
                    if args.census and census is None:
                        census = count_objects()
                    if args.caches and caches is None:
                        caches = cache_sizes()
                await pilot.pause(args.every)
            series.append((time.time() - started, rss_mb()))
            print(f"  {series[-1][0] / 60:5.1f} min  RSS {series[-1][1]:6.1f} MB  {heap()}")
            end = tracemalloc.take_snapshot() if args.trace else None
            final = count_objects() if args.census else None
            caches_end = cache_sizes() if args.caches else None
    after = [(t, rss) for t, rss in series if t >= WARM_UP_SECONDS]
    if len(after) >= 2:
        (t0, r0), (t1, r1) = after[0], after[-1]
        slope = (r1 - r0) / ((t1 - t0) / 60)
        print(
            f"RSS {series[0][1]:.1f} MB at start, {r0:.1f} MB after the first minute, "
            f"{r1:.1f} MB at {t1 / 60:.1f} min: {slope:+.2f} MB/min after the first minute"
        )
        tm, rm = next((t, rss) for t, rss in after if t >= (t0 + t1) / 2)
        if t1 > tm:
            print(
                f"  second half ({tm / 60:.1f}-{t1 / 60:.1f} min): {rm:.1f} -> {r1:.1f} MB, "
                f"{(r1 - rm) / ((t1 - tm) / 60):+.2f} MB/min"
            )
    if census is not None and final is not None:
        print("containers that grew in number after the first minute (gc census), by type:")
        grown = final.copy()
        grown.subtract(census)
        for name, count in grown.most_common(args.top):
            print(f"  {count:+8d}  {name} (now {final[name]:,})")
    if garbage is not None:
        print(f"cyclic garbage made in {args.garbage:g} s (what only the collector frees):")
        for name, count in garbage.most_common(args.top):
            print(f"  {count:8,d}  {name}")
    if caches is not None and caches_end is not None:
        print("caches that grew after the first minute (entries now / bound):")
        for name, (size, bound) in sorted(caches_end.items(), key=lambda kv: -kv[1][0]):
            before = caches.get(name, (0, bound))[0]
            if size != before:
                print(f"  {size - before:+7d}  {size:,} / {bound or 'unbounded'}  {name}")
    if warm is not None and end is not None:
        print("Python allocations that grew most after the first minute (tracemalloc):")
        for stat in end.compare_to(warm, "traceback")[: args.top]:
            frames = " <- ".join(
                f"{Path(frame.filename).name}:{frame.lineno}" for frame in stat.traceback[:6]
            )
            print(f"  {stat.size_diff / 1024:+9.1f} KiB {stat.count_diff:+7d} blocks  {frames}")


class Heap(NamedTuple):
    """Where the resident memory is: Python's small-object allocator (pymalloc) and C's."""

    py_live_mb: float
    """Bytes in live pymalloc blocks (objects up to 512 bytes)."""
    py_arenas_mb: float
    """pymalloc's arenas held from the system: live blocks plus the free room inside them."""
    malloc_used_mb: float
    """glibc malloc's bytes in use (larger objects, C libraries), all its arenas."""
    malloc_free_mb: float
    """glibc malloc's bytes held but free (fragmentation that RSS still counts)."""

    def __str__(self) -> str:
        return (
            f"pymalloc {self.py_live_mb:5.1f} live in {self.py_arenas_mb:5.1f} arenas, "
            f"malloc {self.malloc_used_mb:5.1f} used + {self.malloc_free_mb:5.1f} free"
        )


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd",
            "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost",
        )
    ]  # fmt: skip


def heap() -> Heap:
    """The allocators' own accounts: a live total that stays flat under a rising RSS is
    fragmentation (memory freed but not given back), not a leak."""
    with tempfile.TemporaryFile() as out:
        saved = os.dup(2)
        os.dup2(out.fileno(), 2)
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        out.seek(0)
        text = out.read().decode()

    def figure(pattern: str) -> float:
        found = re.search(pattern + r"\s*=\s*([\d,]+)", text)
        return int(found.group(1).replace(",", "")) / 2**20 if found else float("nan")

    used = free = float("nan")
    try:
        libc = ctypes.CDLL(None)
        libc.mallinfo2.restype = _MallInfo2
        info = libc.mallinfo2()
        used = (info.uordblks + info.hblkhd) / 2**20
        free = info.fordblks / 2**20
    except (AttributeError, OSError):  # not glibc >= 2.33
        pass
    return Heap(
        figure(r"# bytes in allocated blocks"),
        figure(r"arenas \* \d+ bytes/arena"),
        used,
        free,
    )


def trim_malloc() -> None:
    """Give glibc malloc's free pages back to the system (``malloc_trim``): with it, what
    RSS still gains is held by live objects or by pymalloc's arenas."""
    with contextlib.suppress(AttributeError, OSError):  # not glibc
        ctypes.CDLL(None).malloc_trim(0)


def cache_sizes() -> dict[str, tuple[int, int]]:
    """Entries and bound of every ``functools.lru_cache`` in rich, textual and console
    (module functions and class attributes), and of the Textual ``LRUCache``/``FIFOCache``
    objects the collector sees, summed by type: which caches still fill, and to what bound.

    Start-up objects are frozen out of ``gc.get_objects`` (``settle_for_steady_state``), so
    the module-level caches are found through the modules instead."""
    from textual.cache import FIFOCache, LRUCache

    sizes: dict[str, tuple[int, int]] = {}
    for module_name, module in list(sys.modules.items()):
        if module is None or not module_name.startswith(("rich", "textual", "console")):
            continue
        places: list[tuple[str, object]] = list(vars(module).items())
        for name, value in list(places):
            if isinstance(value, type) and value.__module__ == module_name:
                places.extend((f"{name}.{attr}", item) for attr, item in vars(value).items())
        for _, value in places:
            function = getattr(value, "__func__", value)  # a classmethod's function
            if isinstance(function, functools._lru_cache_wrapper):
                info = function.cache_info()
                key = f"{function.__module__}.{function.__qualname__}"
                sizes[key] = (info.currsize, info.maxsize or 0)
    gc.collect()
    entries: Counter[str] = Counter()
    bounds: Counter[str] = Counter()
    for item in gc.get_objects():
        if isinstance(item, (LRUCache, FIFOCache)):
            kind = type(item).__name__
            entries[f"entries of all {kind}s"] += len(item)
            bounds[f"entries of all {kind}s"] += item._maxsize
            entries[f"number of {kind}s"] += 1
    for kind, size in entries.items():
        sizes[kind] = (size, bounds[kind])
    return sizes


class CollectorTally:
    """The cyclic collector's runs and the objects it freed, per generation, between reads."""

    def __init__(self) -> None:
        self._last = gc.get_stats()

    def since_last(self) -> str:
        now = gc.get_stats()
        runs = [n["collections"] - o["collections"] for n, o in zip(now, self._last, strict=True)]
        freed = [n["collected"] - o["collected"] for n, o in zip(now, self._last, strict=True)]
        self._last = now
        return "gc runs {} freed {}".format(
            "/".join(map(str, runs)), "/".join(f"{count:,}" for count in freed)
        )


async def cyclic_garbage(pilot: Any, seconds: float) -> Counter[str]:
    """What the app leaves for the cyclic collector over ``seconds``, by type and bytes.

    Garbage in reference cycles waits for a collection (the young generation's threshold is
    raised in the app), so it sets the high-water mark that pymalloc's arenas keep."""
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        await pilot.pause(seconds)
        gc.collect()
    finally:
        gc.set_debug(0)
    found = cycles_by_kind(gc.garbage)
    gc.garbage.clear()
    return found


def cycles_by_kind(garbage: list[Any]) -> Counter[str]:
    """Group collected garbage by the reference cycle that held it: each cycle (a strongly
    connected part of the garbage) is named by its members' types, and counts every object
    only it reached (shallow bytes, and objects)."""
    index = {id(item): number for number, item in enumerate(garbage)}
    edges = [
        [index[id(child)] for child in gc.get_referents(item) if id(child) in index]
        for item in garbage
    ]
    component = strongly_connected(edges)
    names: dict[int, str] = {}
    members: dict[int, Counter[str]] = {}
    for number, item in enumerate(garbage):
        members.setdefault(component[number], Counter())[_type_name(item)] += 1
    for part, kinds in members.items():
        names[part] = ", ".join(f"{count} {name}" for name, count in kinds.most_common(4))
    owner = [-1] * len(garbage)
    cycles = [part for part, kinds in members.items() if sum(kinds.values()) > 1]
    for part in cycles:
        stack = [number for number, found in enumerate(component) if found == part]
        while stack:
            number = stack.pop()
            if owner[number] == -1:
                owner[number] = part
                stack.extend(edges[number])
    found: Counter[str] = Counter()
    for number, item in enumerate(garbage):
        name = names.get(owner[number], "outside any cycle")
        found[f"bytes kept by: {name}"] += sys.getsizeof(item)
        found[f"objects kept by: {name}"] += 1
    for part in cycles:
        found[f"cycles of: {names[part]}"] += 1
    return found


def strongly_connected(edges: list[list[int]]) -> list[int]:
    """Tarjan's components of the graph ``edges`` (node -> successors), iteratively (the
    garbage graph is deeper than the recursion limit); returns each node's component."""
    order = [-1] * len(edges)
    low = [0] * len(edges)
    component = [-1] * len(edges)
    on_stack = [False] * len(edges)
    stack: list[int] = []
    counter = 0
    for root in range(len(edges)):
        if order[root] != -1:
            continue
        work = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                order[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack[node] = True
            descended = False
            for position in range(child, len(edges[node])):
                successor = edges[node][position]
                if order[successor] == -1:
                    work.append((node, position + 1))
                    work.append((successor, 0))
                    descended = True
                    break
                if on_stack[successor]:
                    low[node] = min(low[node], order[successor])
            if descended:
                continue
            if low[node] == order[node]:
                while True:
                    member = stack.pop()
                    on_stack[member] = False
                    component[member] = node
                    if member == node:
                        break
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return component


def _type_name(item: object) -> str:
    if isinstance(item, types.FunctionType):  # a closure in a cycle: which one
        return f"function {item.__module__}.{item.__qualname__}"
    return f"{type(item).__module__}.{type(item).__qualname__}"


def count_objects() -> Counter[str]:
    gc.collect()
    return Counter(
        f"{type(item).__module__}.{type(item).__qualname__}" for item in gc.get_objects()
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--every", type=float, default=30.0, help="seconds between RSS reads")
    parser.add_argument("--speed", type=float, default=10.0)
    parser.add_argument("--symbols", type=int, default=10)
    parser.add_argument("--trace", action="store_true", help="trace allocations (slower)")
    parser.add_argument("--census", action="store_true", help="count containers by type")
    parser.add_argument("--caches", action="store_true", help="entries in lru caches")
    parser.add_argument(
        "--trim", action="store_true", help="malloc_trim before each read (diagnosis)"
    )
    parser.add_argument(
        "--garbage", type=float, default=0.0, help="seconds to keep cyclic garbage for a census"
    )
    parser.add_argument("--frames", type=int, default=4, help="traceback depth with --trace")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--serve-sim", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_sim:
        serve_sim(args.speed, args.symbols)
        return
    print(f"machine pace: a 3M-step Python loop takes {machine_pace():.3f} s of CPU")
    names = [f"{book.base}/USDT:USDT" for book in linear_instruments(args.symbols)]
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve-sim", "--speed", str(args.speed),
         "--symbols", str(args.symbols)],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert child.stdout is not None
        ws_url = child.stdout.readline().strip()
        print(
            f"{len(names)} symbols at orderbook.50, speed {args.speed}x, terminal "
            f"{TERMINAL[0]}x{TERMINAL[1]}, {args.minutes:g} min"
            + (", allocations traced" if args.trace else "")
        )
        asyncio.run(watch(args, names, ws_url))
    finally:
        child.terminate()
        child.wait(10)


if __name__ == "__main__":
    main()
