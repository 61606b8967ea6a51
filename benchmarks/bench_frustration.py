"""Benchmark: exact frustration index of the 51 Doreian-Mrvar inter-state networks.

For every four-year window 1946-1999 of ``../shared/datasets/signed/
doreian_mrvar_states_1946_1999.csv`` (64-155 states, up to ~1,300 signed ties), this
computes the exact frustration index twice, in one invocation and window by window
(alternating which goes first, so load on the machine hits both alike):

* **baseline**: the plain textbook integer program, written here as a peer would: a
  binary camp per state, a binary "frustrated" variable per tie with
  ``f >= |x_u - x_v|`` (positive ties) or ``f >= 1 - |x_u - x_v|`` (negative ties),
  minimise the sum, solved by ``scipy.optimize.milp`` (HiGHS) with default options;
* **graphkit**: :func:`graphkit.balance.frustration_index` with its defaults.

It checks that the values are identical, and prints per-window values and times, the
total time of each, and their ratio. Exit status 1 if any value differs.

Run from the project root::

    .venv/bin/python benchmarks/bench_frustration.py            # all 51 windows
    .venv/bin/python benchmarks/bench_frustration.py --limit 5  # a quick look
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from graphkit.balance import frustration_index

DATA = (Path(__file__).resolve().parents[2] / "shared" / "datasets" / "signed"
        / "doreian_mrvar_states_1946_1999.csv")


def textbook_frustration(G: nx.Graph) -> int:
    """Frustration index by the plain binary integer program (the peer baseline)."""
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
    res = milp(np.r_[np.zeros(n), np.ones(m)], constraints=LinearConstraint(a, lower, np.inf),
               integrality=np.ones(n + m), bounds=Bounds(0, 1))
    if res.status != 0:
        raise RuntimeError(f"baseline did not solve: {res.message}")
    return round(res.fun)


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
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"data not found: {args.data}", file=sys.stderr)
        return 2
    graphs = windows(args.data)[: args.limit]
    rows = []
    for i, (name, G) in enumerate(graphs):
        timings = {}
        runs = [("baseline", textbook_frustration), ("graphkit", frustration_index)]
        for label, func in runs if i % 2 == 0 else runs[::-1]:
            start = time.perf_counter()
            out = func(G)
            timings[label] = (time.perf_counter() - start, out)
        base_s, base_value = timings["baseline"]
        gk_s, result = timings["graphkit"]
        negative = sum(1 for *_, d in G.edges(data=True) if d["sign"] < 0)
        rows.append({
            "window": name, "states": G.number_of_nodes(), "ties": G.number_of_edges(),
            "negative": negative, "baseline_L": base_value, "graphkit_L": result.value,
            "exact": result.exact, "baseline_s": base_s, "graphkit_s": gk_s,
            "speedup": base_s / gk_s,
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
    print(f"ratio baseline / graphkit: {base_total / gk_total:8.1f}x")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
