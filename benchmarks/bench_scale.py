"""Scale benchmark (issue 9): graphkit against Raphtory, pandas + networkx and naive Python.

W2 and W3 measure by the rule of ``graphkit.model.measure`` (issue 12): PageRank on the pairs
with a positive monthly score (unweighted), level / flow / score and the decayed score per
dyad and month; Raphtory runs W1 and W4 only (see ``approaches.py`` for why).

Run from the project root::

    .venv/bin/python benchmarks/bench_scale.py --n 1000000 --m 2000 --years 10 --repeats 3
    .venv/bin/python benchmarks/bench_scale.py --check      # do all approaches agree?

Each (workload, approach) runs in a fresh subprocess, which generates the seeded
synthetic data (``benchmarks/generate.py``), prepares its inputs (untimed: for W2-W4
the validated graph, the Raphtory graph, Python records), then times the workload.
Time is the median of ``--repeats`` runs (W4: the median latency over ``--dates``
random dates). Peak memory is the process's peak resident set size during the timed
runs (Linux ``VmHWM``, reset just before them), so it includes the inputs held in
memory; ``+MB`` is the growth over the resident size before the timed runs.

The naive approach is slow: W2 runs it on every ``--naive-every``-th month and
scales the time up to all months, W4 on ``--naive-dates`` dates; the table marks
extrapolated times with ``*``. The printed table is also written to
``benchmarks/results/`` (with a JSON copy); ``--baseline FILE.json`` (a 1M run) adds the
10M scaling targets.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import approaches as A  # noqa: E402
from generate import generate  # noqa: E402

import graphkit  # noqa: E402

WORKLOADS = {
    "W1": "build",
    "W2": "window metrics",
    "W3": "dyad series",
    "W3u": "dyads undirected",
    "W4": "snapshot",
}
APPROACHES = {
    "W1": ["graphkit", "raphtory", "pandas+networkx", "naive"],
    # Raphtory cannot express the measurement rule of W2 and W3 (see approaches.py)
    "W2": ["graphkit", "pandas+networkx", "naive"],
    "W3": ["graphkit", "pandas+networkx", "naive"],
    "W3u": ["graphkit", "pandas+networkx", "pandas-groupby"],
    "W4": ["graphkit", "raphtory", "raphtory-lazy", "pandas+networkx", "naive"],
}
RESULTS = HERE / "results"


# ------------------------------------------------------------------ memory probes


def _status(field: str) -> float:
    """A ``/proc/self/status`` size field, in MB."""
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass


# ------------------------------------------------------------------------ worker


def run_worker(args: argparse.Namespace) -> dict:
    """Time one approach on one workload, in this (fresh) process."""
    workload, approach = args.worker, args.approach
    entities, relations = generate(args.n, args.m, args.years, args.seed)
    scale, note = 1.0, ""
    if workload == "W1":
        function = {"graphkit": A.w1_graphkit, "pandas+networkx": A.w1_pandas,
                    "naive": A.w1_naive, "raphtory": A.w1_raphtory}[approach]
        calls = [lambda: function(entities, relations)] * args.repeats
    else:
        tg = graphkit.TemporalGraph.from_frames(entities, relations)
        del entities, relations
        graph = A.raphtory_graph(tg.relations) if approach.startswith("raphtory") else None
        if workload == "W2":
            if approach == "naive":
                records = A.naive_records(tg)
                n_months = len(A.month_table(tg))
                every = max(1, args.naive_every)
                done = len(range(0, n_months, every))
                scale = n_months / done
                note = f"{done} of {n_months} months, scaled" if scale != 1 else ""
                calls = [lambda: A.w2_naive(tg, records, every)] * args.naive_repeats
            else:
                function = {"graphkit": lambda: A.w2_graphkit(tg),
                            "pandas+networkx": lambda: A.w2_pandas(tg)}
                calls = [function[approach]] * args.repeats
        elif workload == "W3":
            if approach == "naive":
                records = A.naive_records(tg)
                calls = [lambda: A.w3_naive(tg, records)] * args.naive_repeats
            else:
                function = {"graphkit": lambda: A.w3_graphkit(tg),
                            "pandas+networkx": lambda: A.w3_pandas(tg)}
                calls = [function[approach]] * args.repeats
        elif workload == "W3u":
            if approach == "pandas-groupby":  # the relation-months made untimed
                periods = A.month_table(tg)
                months = A.explode_months(tg.relations, periods, directed=False, decay=False)
                calls = [lambda: A.w3u_groupby(months, periods)] * args.repeats
            else:
                function = {"graphkit": lambda: A.w3u_graphkit(tg),
                            "pandas+networkx": lambda: A.w3u_pandas(tg)}
                calls = [function[approach]] * args.repeats
        else:
            k = args.naive_dates if approach == "naive" else args.dates
            dates = A.snapshot_dates(tg, k, seed=args.seed + 1)
            if approach == "naive":
                records = tg.relations.to_dict("records")
                note = f"{k} dates"
            function = {
                "graphkit": lambda d: A.w4_graphkit(tg, d),
                "pandas+networkx": lambda d: A.w4_pandas(tg, d),
                "naive": lambda d: A.w4_naive(tg, records, d),
                "raphtory": lambda d: A.w4_raphtory(graph, d),
                "raphtory-lazy": lambda d: A.w4_raphtory_lazy(graph, d),
            }[approach]
            calls = [(lambda d=d: function(d)) for d in dates]
    gc.collect()
    pa.default_memory_pool().release_unused()  # give freed Arrow buffers back first
    before = _status("VmRSS")
    _reset_peak()
    times = []
    for call in calls:
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
        del result
    peak = _status("VmHWM")
    return {"workload": workload, "approach": approach, "time": statistics.median(times) * scale,
            "runs": len(times), "extrapolated": scale != 1, "note": note,
            "peak_mb": peak, "rss_before_mb": before}


# ------------------------------------------------------------------------ parent


def run_all(args: argparse.Namespace) -> list[dict]:
    rows = []
    for workload in args.workloads:
        for approach in APPROACHES[workload]:
            if not any(approach.startswith(a) for a in args.approaches):
                continue
            command = [sys.executable, str(Path(__file__).resolve()), "--worker", workload,
                       "--approach", approach, "--n", str(args.n), "--m", str(args.m),
                       "--years", str(args.years), "--seed", str(args.seed),
                       "--repeats", str(args.repeats), "--naive-every", str(args.naive_every),
                       "--naive-repeats", str(args.naive_repeats), "--dates", str(args.dates),
                       "--naive-dates", str(args.naive_dates)]
            print(f"[{dt.datetime.now():%H:%M:%S}] {workload} {approach} ...", file=sys.stderr,
                  flush=True)
            done = subprocess.run(command, capture_output=True, text=True,
                                  timeout=args.timeout)
            if done.returncode:
                print(done.stderr[-3000:], file=sys.stderr)
                rows.append({"workload": workload, "approach": approach, "time": float("nan"),
                             "peak_mb": float("nan"), "rss_before_mb": float("nan"),
                             "extrapolated": False, "note": "failed", "runs": 0})
                continue
            row = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"    {row['time']:.3f} s, peak {row['peak_mb']:.0f} MB", file=sys.stderr)
            rows.append(row)
    return rows


def targets(rows: list[dict], baseline: list[dict] | None = None) -> list[tuple[str, str, bool]]:
    """(target, measured, met) for the targets of issue 9."""
    t = {(r["workload"], r["approach"]): r for r in rows}

    def time_of(w, a):
        return t.get((w, a), {}).get("time", float("nan"))

    out = []
    for w, other, rule, factor in [
        ("W1", "raphtory", "faster than Raphtory", 1.0),
        ("W2", "pandas+networkx", "at most half the pandas + networkx time", 0.5),
        ("W3", "pandas+networkx", "(half-life) at most half the pandas group-by + decay loop",
         0.5),
        ("W3u", "pandas+networkx", "at most half the pandas time (months, terms, group-by)",
         0.5),
        ("W3u", "pandas-groupby", "at most half the pandas group-by alone", 0.5),
        ("W4", "raphtory", "faster than Raphtory (materialised snapshot)", 1.0),
    ]:
        g, o = time_of(w, "graphkit"), time_of(w, other)
        if np.isfinite(g) and np.isfinite(o):
            ok = g < o if factor == 1.0 else g <= factor * o
            out.append((f"{w} {rule}", f"graphkit {g:.3g} s vs {o:.3g} s ({g / o:.2f}x)", ok))
    for w in WORKLOADS:
        g, o = time_of(w, "graphkit"), time_of(w, "naive")
        if np.isfinite(g) and np.isfinite(o):
            out.append((f"{w} at least 20x faster than naive", f"{o / g:.0f}x", o / g >= 20))
    if baseline:
        b = {(r["workload"], r["approach"]): r for r in baseline}
        for w in WORKLOADS:
            if (w, "graphkit") in t and (w, "graphkit") in b:
                g, base = t[w, "graphkit"], b[w, "graphkit"]
                ratio = g["time"] / base["time"]
                out.append((f"{w} time at most 12x that of the baseline run",
                            f"{ratio:.1f}x ({base['time']:.3g} s -> {g['time']:.3g} s)",
                            ratio <= 12))
        peak = max((r["peak_mb"] for r in rows if r["approach"] == "graphkit"), default=np.nan)
        out.append(("graphkit peak memory under 4 GB", f"{peak:,.0f} MB", peak < 4096))
    return out


def render(rows: list[dict], args: argparse.Namespace, goals) -> str:
    t = {(r["workload"], r["approach"]): r["time"] for r in rows}
    lines = [
        f"graphkit scale benchmark: N={args.n:,} relations, M={args.m:,} actors, "
        f"Y={args.years} years, seed {args.seed}",
        f"{dt.datetime.now():%Y-%m-%d %H:%M} | {platform.machine()}, {os.cpu_count()} cores | "
        f"python {platform.python_version()}, pandas {pd.__version__}, "
        f"networkx {__import__('networkx').__version__}, raphtory {_raphtory_version()}",
        "",
        f"{'workload':<20} {'approach':<17} {'time (s)':>10} {'peak MB':>9} {'+MB':>7} "
        f"{'x graphkit':>11}  note",
    ]
    for r in rows:
        g = t.get((r["workload"], "graphkit"), float("nan"))
        ratio = r["time"] / g if g and np.isfinite(g) else float("nan")
        star = "*" if r.get("extrapolated") else " "
        label = f"{r['workload']} {WORKLOADS[r['workload']]}"
        lines.append(
            f"{label:<20} {r['approach']:<17} {r['time']:>9.3f}{star} {r['peak_mb']:>9,.0f} "
            f"{r['peak_mb'] - r['rss_before_mb']:>7,.0f} {ratio:>10.1f}x  {r.get('note', '')}")
    lines += ["", "* extrapolated linearly from a subsample (see note)", "", "targets:"]
    for name, measured, ok in goals:
        lines.append(f"  [{'met' if ok else 'MISSED'}] {name}: {measured}")
    command = " ".join(["python", "benchmarks/bench_scale.py", *args.argv])
    lines += ["", f"command: {command}"]
    return "\n".join(lines)


def _raphtory_version() -> str:
    try:
        import raphtory

        return raphtory.__version__
    except ImportError:
        return "not installed"


# ------------------------------------------------------------------------- check


def check(n: int = 3000, m: int = 40, years: int = 2, seed: int = 3,  # noqa: C901 - one check per approach and workload, in a row
          raphtory: bool | None = None, dates: int = 12) -> list[str]:
    """Run every approach at a small size; return the disagreements (empty: all agree)."""
    if raphtory is None:
        try:
            import raphtory as _  # noqa: F401

            raphtory = True
        except ImportError:
            raphtory = False
    problems: list[str] = []
    entities, relations = generate(n, m, years, seed)

    # W1: the validated tables agree
    tg = A.w1_graphkit(entities, relations)
    columns = ["source", "target", "type", "t_start", "t_end", "signed_weight"]
    ours = tg.relations[columns].reset_index(drop=True).astype({c: object for c in columns[:3]})
    theirs = {"pandas+networkx": A.w1_pandas(entities, relations)[columns],
              "naive": pd.DataFrame(A.w1_naive(entities, relations))[columns]}
    for name, table in theirs.items():
        table = table.reset_index(drop=True).astype({c: object for c in columns[:3]})
        table = table.astype({"t_start": "datetime64[s]", "t_end": "datetime64[s]"})
        if not ours.equals(table):
            problems.append(f"W1 {name}: validated table differs")
    if raphtory:
        graph = A.w1_raphtory(entities, relations)
        expected = _mirrored(tg.relations)
        got = A.raphtory_snapshot_edges(graph)
        if got != expected:
            problems.append(f"W1 raphtory: {len(got ^ expected)} edges differ")
        graph = A.raphtory_graph(tg.relations)

    # W2: degrees exactly, PageRank (unweighted, pairs with a positive score) to 1e-6
    ref = A.w2_graphkit(tg)
    others = {"pandas+networkx": A.w2_pandas(tg), "naive": A.w2_naive(tg, A.naive_records(tg))}
    for name, table in others.items():
        problems += _compare(f"W2 {name}", ref, table, ["period", "entity"],
                             {"in_degree": 0, "out_degree": 0, "pagerank": 1e-6})
    # W3: level, flow, score and decayed score per directed dyad and month
    # (Raphtory cannot express the rule of W2 and W3: see approaches.py)
    ref = A.w3_graphkit(tg)
    others = {"pandas+networkx": A.w3_pandas(tg), "naive": A.w3_naive(tg, A.naive_records(tg))}
    for name, table in others.items():
        problems += _compare(f"W3 {name}", ref, table, ["period", "source", "target"],
                             dict.fromkeys(A.W3_COLUMNS, 1e-9))
    ref = A.w3_graphkit(tg)
    problems += _compare("W3 pandas+networkx (every column)", ref, A.w3_pandas(tg),
                         ["period", "source", "target"],
                         dict.fromkeys([*A.W3U_COLUMNS, "decayed_flow"], 1e-9))
    # W3u: every column of the undirected table without decay
    problems += _compare("W3u pandas+networkx", A.w3u_graphkit(tg), A.w3u_pandas(tg),
                         ["period", "source", "target"], dict.fromkeys(A.W3U_COLUMNS, 1e-9))

    # W4: the same relations on random dates
    records = tg.relations.to_dict("records")
    for date in A.snapshot_dates(tg, dates, seed=seed):
        expected = A.snapshot_edges(A.w4_graphkit(tg, date))
        size = A.w4_graphkit(tg, date).number_of_edges()
        for name, graph_ in {"pandas+networkx": A.w4_pandas(tg, date),
                             "naive": A.w4_naive(tg, records, date)}.items():
            if A.snapshot_edges(graph_) != expected or graph_.number_of_edges() != size:
                problems.append(f"W4 {name}: snapshot of {date:%Y-%m-%d} differs")
            if graph_.number_of_nodes() != len(tg.entities):
                problems.append(f"W4 {name}: snapshot lacks entities")
        if raphtory:
            got = A.raphtory_snapshot_edges(A.w4_raphtory(graph, date))
            if got != expected:
                problems.append(f"W4 raphtory: snapshot of {date:%Y-%m-%d} differs "
                                f"({len(got ^ expected)} edges)")
            if A.w4_raphtory_lazy(graph, date) != len({(s, t) for s, t, _ in expected}) and \
                    A.w4_raphtory_lazy(graph, date) != len(expected):
                problems.append(f"W4 raphtory-lazy: edge count of {date:%Y-%m-%d} differs")
    return problems


def _mirrored(relations: pd.DataFrame) -> set[tuple[str, str, str]]:
    edges = set(zip(relations["source"], relations["target"], relations["type"], strict=True))
    undirected = relations[~relations["directed"]]
    return edges | set(zip(undirected["target"], undirected["source"], undirected["type"],
                           strict=True))


def _compare(name: str, ref: pd.DataFrame, other: pd.DataFrame, keys: list[str],
             tolerances: dict[str, float]) -> list[str]:
    ref = ref.assign(**{k: ref[k].astype(str) for k in keys})
    other = other.assign(**{k: other[k].astype(str) for k in keys})
    merged = ref[keys + list(tolerances)].merge(other[keys + list(tolerances)], on=keys,
                                                how="outer", suffixes=("", "_other"),
                                                indicator=True)
    unmatched = int((merged["_merge"] != "both").sum())
    if unmatched:
        return [f"{name}: {unmatched} rows in one table only"]
    out = []
    for column, tol in tolerances.items():
        diff = np.abs(merged[column].to_numpy(dtype=float)
                      - merged[column + "_other"].to_numpy(dtype=float))
        if not (diff <= tol).all():
            out.append(f"{name}: {column} differs by up to {np.nanmax(diff):.3g}")
    return out


# -------------------------------------------------------------------------- main


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="relations (default 1M)")
    parser.add_argument("--m", type=int, default=2000, help="actors (default 2000)")
    parser.add_argument("--years", type=int, default=10, help="years (default 10)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3, help="timed runs (median)")
    parser.add_argument("--workloads", nargs="+", default=list(WORKLOADS),
                        choices=list(WORKLOADS))
    parser.add_argument("--approaches", nargs="+", default=A.APPROACHES,
                        choices=A.APPROACHES)
    parser.add_argument("--naive-every", type=int, default=10,
                        help="naive W2: time every k-th month and scale up (default 10)")
    parser.add_argument("--naive-repeats", type=int, default=1)
    parser.add_argument("--dates", type=int, default=50, help="W4: random dates (default 50)")
    parser.add_argument("--naive-dates", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=3 * 3600)
    parser.add_argument("--baseline", help="JSON of an earlier run: adds the 10M targets")
    parser.add_argument("--check", action="store_true",
                        help="check at a small size that all approaches agree, then exit")
    parser.add_argument("--worker", choices=list(WORKLOADS), help=argparse.SUPPRESS)
    parser.add_argument("--approach", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.worker:
        print(json.dumps(run_worker(args)))
        return 0
    if args.check:
        problems = check()
        for line in problems:
            print("DISAGREE", line)
        print("all approaches agree" if not problems else f"{len(problems)} disagreements")
        return 1 if problems else 0
    rows = run_all(args)
    baseline = json.loads(Path(args.baseline).read_text())["rows"] if args.baseline else None
    goals = targets(rows, baseline)
    text = render(rows, args, goals)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    stem = f"scale_n{args.n}_m{args.m}_y{args.years}_{dt.datetime.now():%Y%m%d-%H%M%S}"
    (RESULTS / f"{stem}.txt").write_text(text + "\n")
    (RESULTS / f"{stem}.json").write_text(json.dumps(
        {"args": {k: v for k, v in vars(args).items() if k != "argv"}, "rows": rows,
         "targets": [list(g) for g in goals]}, indent=1, default=str))
    print(f"\nwritten to {RESULTS / stem}.txt and .json", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
