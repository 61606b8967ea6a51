"""Benchmark: exact frustration index, Doreian-Mrvar inter-state networks and Bitcoin Alpha.

For every four-year window 1946-1999 of ``../shared/datasets/signed/
doreian_mrvar_states_1946_1999.csv`` (64-155 states, up to ~1,300 signed ties), this
computes the exact frustration index twice, in one invocation and window by window
(alternating which goes first, so load on the machine hits both alike):

* **baseline**: the plain textbook integer program, written here as a peer would: a
  binary camp per state, a binary "frustrated" variable per tie with
  ``f >= |x_u - x_v|`` (positive ties) or ``f >= 1 - |x_u - x_v|`` (negative ties),
  minimise the sum, solved by ``scipy.optimize.milp`` (HiGHS) with default options;
* **graphkit**: :func:`graphkit.analysis.balance.frustration_index` with its defaults.

It checks that the values are identical, and prints per-window values and times, the
total time of each, and their ratio. Exit status 1 if any value differs.

Then the trust-network case: SNAP's Bitcoin Alpha ratings (``../shared/datasets/signed/
bitcoin_alpha_ratings.csv``), made undirected as ``../shared/datasets/README.md`` says (the signs of
both directions of a pair summed, pairs summing to zero dropped: 3,774 users, 13,876
ties), solved by both. The plain model needs about 25 minutes of CPU for it, so it runs
with a time cap (``--cap``, default 600 s; ``--cap 0`` for no cap): when the cap ends it
first, its best value and proven bound are printed, and the check is that graphkit's
proven value lies between them.

``--otc FILE`` adds SNAP's Bitcoin OTC ratings (``soc-sign-bitcoinotc.csv``, not in
``../shared``: 5,881 users, 35,592 ratings; 5,863 users and 21,134 ties once made
undirected the same way), solved by both in the same way. ``--extra FILE`` adds any
other SNAP-style ratings file (columns ``from, to, rating``, a header row first), solved
by graphkit alone.

Run from the project root::

    .venv/bin/python benchmarks/bench_frustration.py            # windows, then Bitcoin Alpha
    .venv/bin/python benchmarks/bench_frustration.py --limit 5  # a quick look
    .venv/bin/python benchmarks/bench_frustration.py --cases bitcoin --cap 300
    .venv/bin/python benchmarks/bench_frustration.py --cases --otc soc-sign-bitcoinotc.csv

Times are wall-clock and CPU seconds of this process (HiGHS's threads included): on a
shared machine the CPU times compare fairly, the wall times and the cap do not.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from graphkit.analysis.balance import frustration_index

SIGNED = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "signed"
DATA = SIGNED / "doreian_mrvar_states_1946_1999.csv"
BITCOIN_ALPHA = SIGNED / "bitcoin_alpha_ratings.csv"


def textbook_frustration(G: nx.Graph) -> int:
    """Frustration index by the plain binary integer program (the peer baseline)."""
    res = textbook_milp(G, None)
    if res.status != 0:
        raise RuntimeError(f"baseline did not solve: {res.message}")
    return round(res.fun)


def textbook_milp(G: nx.Graph, time_limit: float | None):
    """The plain binary integer program, solved by ``scipy.optimize.milp`` (HiGHS)."""
    nodes = sorted(G)
    index = {node: i for i, node in enumerate(nodes)}
    n, m = len(nodes), G.number_of_edges()
    u = np.array([index[a] for a, _ in G.edges()])
    v = np.array([index[b] for _, b in G.edges()])
    positive = np.array([d["sign"] > 0 for *_, d in G.edges(data=True)])
    k = np.arange(m)
    f = n + k
    r0, r1 = 2 * k, 2 * k + 1
    rows = np.r_[r0, r0, r0, r1, r1, r1]
    cols = np.r_[f, u, v, f, u, v]
    # positive: f - x_u + x_v >= 0 and f + x_u - x_v >= 0
    # negative: f - x_u - x_v >= -1 and f + x_u + x_v >= 1
    vals = np.r_[np.ones(m), -np.ones(m), np.where(positive, 1.0, -1.0),
                 np.ones(m), np.ones(m), np.where(positive, -1.0, 1.0)]
    lower = np.empty(2 * m)
    lower[0::2] = np.where(positive, 0.0, -1.0)
    lower[1::2] = np.where(positive, 0.0, 1.0)
    a = sparse.csr_array((vals, (rows, cols)), shape=(2 * m, n + m))
    options = {} if time_limit is None else {"time_limit": float(time_limit)}
    return milp(np.r_[np.zeros(n), np.ones(m)], constraints=LinearConstraint(a, lower, np.inf),
                integrality=np.ones(n + m), bounds=Bounds(0, 1), options=options)


def ratings_graph(path: Path) -> nx.Graph:
    """A SNAP who-trusts-whom ratings file as an undirected signed graph.

    The signs of both directions of a pair are summed; the sign of the sum is the tie's
    sign, and pairs summing to zero are dropped (and users left without a tie).
    """
    data = pd.read_csv(path)
    if data.shape[1] < 3:
        raise ValueError(f"{path}: expected columns from, to, rating (a SNAP ratings file), "
                         f"found {list(data.columns)}")
    for i in range(3):
        column = pd.to_numeric(data.iloc[:, i], errors="coerce")
        bad = np.flatnonzero(column.isna().to_numpy())
        if len(bad):
            raise ValueError(f"{path}: row {bad[0] + 2}, column {data.columns[i]!r}: "
                             f"{data.iloc[bad[0], i]!r} is not a number")
    src, dst, rating = (data.iloc[:, i].to_numpy() for i in range(3))
    sign = np.sign(rating).astype(np.int64)
    pairs = pd.DataFrame({"a": np.minimum(src, dst), "b": np.maximum(src, dst), "s": sign})
    pairs = pairs[pairs["a"] != pairs["b"]].groupby(["a", "b"], sort=True)["s"].sum()
    pairs = pairs[pairs != 0]
    G = nx.Graph()
    G.add_edges_from((int(a), int(b), {"sign": 1 if t > 0 else -1})
                     for (a, b), t in pairs.items())
    return G


def trust_case(name: str, path: Path, cap: float | None, baseline: bool,
               time_limit: float) -> bool:
    """Solve one ratings network by graphkit (and the capped plain model); print it."""
    G = ratings_graph(path)
    negative = sum(1 for *_, d in G.edges(data=True) if d["sign"] < 0)
    print(f"\n{name} ({path.name}): {G.number_of_nodes()} users, {G.number_of_edges()} "
          f"ties ({negative} negative); load average {_load()}")
    start, cpu = time.perf_counter(), time.process_time()
    result = frustration_index(G, exact=True, time_limit=time_limit)
    gk_s, gk_cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"graphkit frustration_index(exact=True, time_limit={time_limit:g}): "
          f"value {result.value}, exact {result.exact}, lower_bound {result.lower_bound}, "
          f"{gk_s:.2f} s ({gk_cpu:.2f} s CPU)")
    if not baseline:
        return result.exact
    print(f"plain milp starts (cap {'none' if cap is None else f'{cap:g} s'}); "
          f"load average {_load()}", flush=True)
    start, cpu = time.perf_counter(), time.process_time()
    res = textbook_milp(G, cap)
    base_s, base_cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"plain milp ends; load average {_load()}")
    dual = getattr(res, "mip_dual_bound", None)
    if res.status == 0:
        base_value = round(res.fun)
        ok = result.exact and base_value == result.value
        print(f"baseline (textbook milp): optimal value {base_value}, {base_s:.2f} s "
              f"({base_cpu:.2f} s CPU)")
        print(f"identical values: {'yes' if ok else 'NO'}   ratio baseline / graphkit: "
              f"{base_s / gk_s:.1f}x ({base_cpu / gk_cpu:.1f}x in CPU time)")
        return ok
    found = None if res.x is None else round(res.fun)
    bound = None if dual is None or not np.isfinite(dual) else float(dual)
    ok = (result.exact and (found is None or result.value <= found)
          and (bound is None or bound <= result.value + 1e-6))
    print(f"baseline (textbook milp): stopped after {base_s:.2f} s ({base_cpu:.2f} s CPU; "
          f"{res.message.strip()}); best value found {found}, proven lower bound "
          f"{'none' if bound is None else f'{bound:.2f}'}")
    print(f"graphkit's proven value within the baseline's bounds: {'yes' if ok else 'NO'}   "
          f"ratio baseline / graphkit: > {base_s / gk_s:.1f}x (> {base_cpu / gk_cpu:.1f}x in "
          f"CPU time; the baseline is unfinished)")
    return ok


def _load() -> str:
    return "{:.1f}, {:.1f}, {:.1f} (1, 5, 15 min)".format(*os.getloadavg())


def windows(path: Path) -> list[tuple[str, nx.Graph]]:
    data = pd.read_csv(path)
    out = []
    for name, rows in data.groupby("window", sort=False):
        G = nx.Graph()
        G.add_edges_from((a, b, {"sign": int(s)}) for a, b, s in
                         zip(rows["state1"], rows["state2"], rows["sign"], strict=True))
        out.append((str(name), G))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N windows")
    parser.add_argument("--data", type=Path, default=DATA, help="the windows CSV")
    parser.add_argument("--bitcoin", type=Path, default=BITCOIN_ALPHA,
                        help="the Bitcoin Alpha ratings CSV")
    parser.add_argument("--cap", type=float, default=600.0,
                        help="seconds for the plain model on Bitcoin Alpha and OTC (0: no cap)")
    parser.add_argument("--cases", nargs="*", choices=["windows", "bitcoin"],
                        default=["windows", "bitcoin"],
                        help="which cases to run (none: only --otc and --extra)")
    parser.add_argument("--otc", type=Path,
                        help="SNAP's soc-sign-bitcoinotc.csv: solved by graphkit and the "
                             "plain model (capped by --cap)")
    parser.add_argument("--time-limit", type=float, default=120.0,
                        help="seconds graphkit may take for each ratings network")
    parser.add_argument("--extra", type=Path, action="append", default=[],
                        help="another ratings CSV (from, to, rating) for graphkit alone")
    args = parser.parse_args(argv)
    needed = ([args.data] if "windows" in args.cases else []) + (
        [args.bitcoin] if "bitcoin" in args.cases else [])
    for path in [*needed, *([args.otc] if args.otc else []), *args.extra]:
        if not path.is_file():
            print(f"data not found: {path}", file=sys.stderr)
            return 2
    if not args.time_limit > 0:
        print(f"--time-limit must be a positive number of seconds, not {args.time_limit}",
              file=sys.stderr)
        return 2
    if args.cap < 0:
        print(f"--cap must be 0 or a positive number of seconds, not {args.cap}",
              file=sys.stderr)
        return 2
    same = True
    if "windows" in args.cases:
        same &= windows_case(args.data, args.limit)
    try:
        if "bitcoin" in args.cases:
            same &= trust_case("Bitcoin Alpha", args.bitcoin, args.cap or None, baseline=True,
                               time_limit=args.time_limit)
        if args.otc:
            same &= trust_case("Bitcoin OTC", args.otc, args.cap or None, baseline=True,
                               time_limit=args.time_limit)
        for path in args.extra:
            same &= trust_case(path.name, path, None, baseline=False,
                               time_limit=args.time_limit)
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as err:
        print(f"bad ratings file: {err}", file=sys.stderr)
        return 1
    print(f"\nmachine load (1, 5, 15 min) at the end: {os.getloadavg()}")
    return 0 if same else 1


def windows_case(path: Path, limit: int | None) -> bool:
    """The 51 (or ``limit``) inter-state windows by both; print them; all identical?"""
    graphs = windows(path)[:limit]
    if not graphs:
        return True
    rows = []
    for i, (name, G) in enumerate(graphs):
        timings, cpus = {}, {}
        runs = [("baseline", textbook_frustration), ("graphkit", frustration_index)]
        for label, func in runs if i % 2 == 0 else runs[::-1]:
            start, cpu = time.perf_counter(), time.process_time()
            out = func(G)
            timings[label] = (time.perf_counter() - start, out)
            cpus[label] = time.process_time() - cpu
        base_s, base_value = timings["baseline"]
        gk_s, result = timings["graphkit"]
        negative = sum(1 for *_, d in G.edges(data=True) if d["sign"] < 0)
        rows.append({
            "window": name, "states": G.number_of_nodes(), "ties": G.number_of_edges(),
            "negative": negative, "baseline_L": base_value, "graphkit_L": result.value,
            "exact": result.exact, "baseline_s": base_s, "graphkit_s": gk_s,
            "speedup": base_s / gk_s, "baseline_cpu": cpus["baseline"],
            "graphkit_cpu": cpus["graphkit"],
        })
    table = pd.DataFrame(rows)
    same = bool((table["baseline_L"] == table["graphkit_L"]).all() and table["exact"].all())
    with pd.option_context("display.max_rows", 100, "display.width", 120):
        print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    base_total, gk_total = table["baseline_s"].sum(), table["graphkit_s"].sum()
    print()
    print(f"windows: {len(table)}   identical values: {'yes' if same else 'NO'}")
    print(f"baseline (textbook milp) total: {base_total:8.2f} s")
    print(f"graphkit frustration_index total: {gk_total:8.2f} s")
    print(f"ratio baseline / graphkit: {base_total / gk_total:8.1f}x "
          f"({table['baseline_cpu'].sum() / table['graphkit_cpu'].sum():.1f}x in CPU time)")
    return same


if __name__ == "__main__":
    sys.exit(main())
