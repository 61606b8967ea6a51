"""Cost of the bootstrap interval in ``shifts.compare`` (issue 12), on the 1M synthetic set.

Run from the project root::

    .venv/bin/python benchmarks/bench_compare.py                 # 1M events, 2,000 actors
    .venv/bin/python benchmarks/bench_compare.py --n 100000      # quicker

Generates the seeded synthetic data (``benchmarks/generate.py``, 10 years from 2015),
builds the graph (untimed), then times ``shifts.compare(tg, before, after)`` with
``n_boot=0`` (no interval) and with the default ``n_boot=1000``, alternating in the same
process, ``--repeats`` times each; the result is the ratio of the medians. The ranges are
realistic for an analyst: a 12-month ``before`` (default 2023) and a 3-month ``after`` late
in the range (default 2024-09-01 to 2024-12-01), unordered dyads (``compare``'s default).
The relations, events and dyads in the ranges are reported with the times, and the two
tables are checked to agree on everything but the interval.

Target (issue 12): with the bootstrap, at most 5x the time without. The table is written to
``benchmarks/results/compare_*.txt`` (and ``.json``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from generate import generate  # noqa: E402

import graphkit  # noqa: E402
from graphkit.analysis import shifts  # noqa: E402
from graphkit.model import measure  # noqa: E402

RESULTS = HERE / "results"


def _status(field: str) -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def sizes(tg: graphkit.TemporalGraph, before: tuple[str, str], after: tuple[str, str],
          table: pd.DataFrame) -> dict:
    """Relations, events and dyads in each range; the events the bootstrap resamples."""
    rel = tg.relations
    out = {}
    moving = np.zeros(len(rel), dtype=bool)
    contribution = {}
    for name, (a, b) in {"before": before, "after": after}.items():
        part = measure.range_contributions(rel, pd.Timestamp(a), pd.Timestamp(b))
        inside = part["inside"].to_numpy()
        events = inside & ~rel["durable"].to_numpy(bool)
        out[f"relations_{name}"] = int(inside.sum())
        out[f"events_{name}"] = int(events.sum())
        out[f"dyads_{name}"] = int((table[f"events_{name}"] > 0).sum())
        moving |= events
        contribution[name] = (part["level"] + part["flow"]).to_numpy()
    x = contribution["after"] - contribution["before"]
    out["bootstrap_events"] = int((moving & (x != 0)).sum())
    out["dyads"] = len(table)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--m", type=int, default=2000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--before", default="2023-01-01:2024-01-01")
    parser.add_argument("--after", default="2024-09-01:2024-12-01")
    parser.add_argument("--n-boot", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", help="result file stem (default compare_n..._DATE)")
    args = parser.parse_args(argv)
    before, after = tuple(args.before.split(":")), tuple(args.after.split(":"))

    entities, relations = generate(args.n, args.m, args.years, args.seed)
    tg = graphkit.TemporalGraph.from_frames(entities, relations)
    del entities, relations
    times = {0: [], args.n_boot: []}
    tables = {}
    gc.collect()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a range without relations would be a bad benchmark
        for _ in range(args.repeats):
            for n_boot in times:
                start = time.perf_counter()
                tables[n_boot] = shifts.compare(tg, before, after, n_boot=n_boot)
                times[n_boot].append(time.perf_counter() - start)
                gc.collect()
    plain, boot = tables[0], tables[args.n_boot]
    same = plain.drop(columns=["ci_low", "ci_high"]).equals(
        boot.drop(columns=["ci_low", "ci_high"]))
    inside = ((boot["ci_low"] <= boot["change"] + 1e-9)
              & (boot["change"] <= boot["ci_high"] + 1e-9)).mean()
    counts = sizes(tg, before, after, boot)
    median = {k: statistics.median(v) for k, v in times.items()}
    ratio = median[args.n_boot] / median[0]
    per_pair = [b / a for a, b in zip(times[0], times[args.n_boot], strict=True)]
    lines = [
        f"shifts.compare with and without the bootstrap: N={args.n:,} relations, "
        f"M={args.m:,} actors, Y={args.years} years, seed {args.seed}",
        f"{dt.datetime.now():%Y-%m-%d %H:%M} | {platform.machine()}, {os.cpu_count()} cores | "
        f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}",
        f"before {args.before}, after {args.after} (unordered dyads), "
        f"{args.repeats} alternating repeats, medians",
        "",
        f"in the ranges: relations {counts['relations_before']:,} before / "
        f"{counts['relations_after']:,} after; events {counts['events_before']:,} / "
        f"{counts['events_after']:,}; dyads {counts['dyads_before']:,} / "
        f"{counts['dyads_after']:,}; {counts['dyads']:,} dyads in the table; "
        f"{counts['bootstrap_events']:,} events resampled",
        "",
        f"{'n_boot':>7} {'time (s)':>9}  runs",
        f"{0:>7} {median[0]:>9.3f}  {' '.join(f'{t:.3f}' for t in times[0])}",
        f"{args.n_boot:>7} {median[args.n_boot]:>9.3f}  "
        f"{' '.join(f'{t:.3f}' for t in times[args.n_boot])}",
        "",
        f"ratio n_boot={args.n_boot} / n_boot=0: {ratio:.2f}x (per pair "
        f"{min(per_pair):.2f}-{max(per_pair):.2f}x); bootstrap adds "
        f"{median[args.n_boot] - median[0]:.3f} s",
        f"tables agree apart from the interval: {same}; change inside [ci_low, ci_high] in "
        f"{inside:.1%} of dyads; peak RSS {_status('VmHWM'):,.0f} MB",
        "",
        f"target (issue 12): with the bootstrap at most 5x without: "
        f"[{'met' if ratio <= 5 else 'MISSED'}] {ratio:.2f}x",
        "",
        "command: " + " ".join(["python", "benchmarks/bench_compare.py",
                                *(sys.argv[1:] if argv is None else argv)]),
    ]
    text = "\n".join(lines)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    stem = args.out or f"compare_n{args.n}_m{args.m}_y{args.years}_" \
                       f"{dt.datetime.now():%Y%m%d-%H%M%S}"
    (RESULTS / f"{stem}.txt").write_text(text + "\n")
    (RESULTS / f"{stem}.json").write_text(json.dumps(
        {"args": vars(args), "times": {str(k): v for k, v in times.items()},
         "median": {str(k): v for k, v in median.items()}, "ratio": ratio,
         "sizes": counts, "agree": bool(same)}, indent=1))
    print(f"\nwritten to {RESULTS / stem}.txt and .json", file=sys.stderr)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
