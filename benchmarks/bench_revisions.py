"""graphkit's W2 and W3 before and after a revision, timed in the same run (issue 12).

Run from the project root, with a checkout of the older code beside it::

    git worktree add ../wt-old 0cf6cd0          # the code before the measurement model
    .venv/bin/python benchmarks/bench_revisions.py --old ../wt-old

The two versions cannot share a process (both are the package ``graphkit``), so two
resident worker processes each put one checkout first on ``sys.path`` (and check that
``graphkit`` was imported from it), generate the seeded synthetic data
(``benchmarks/generate.py`` of this checkout, the same for both) and build the graph
(untimed). The parent then asks them for one call at a time, old and new back to back
(which goes first alternates), ``--pairs`` times per workload. On a shared machine whose
load swings within minutes, the ratio of the two calls of a pair is what is comparable:
the headline is the median of the paired ratios new / old (the median times and their
ratio are shown too). Each call's CPU time (``time.process_time``: the calls are
single-threaded numpy and pandas) is recorded beside its wall time and gets the same
table: at a load of several times the cores, a wall time is mostly time spent waiting for
a core, and the paired CPU ratios are the steadier comparison.

The workloads are the same calls in both versions (only what they compute changed):

* W2: ``metrics.centrality(tg, "M", measures=["in_degree", "out_degree", "pagerank"],
  weighted=False, tol=1e-10)``: old, PageRank on the cooperative (``sign > 0``)
  relations; new, on the pairs whose monthly score (level + flow) is positive.
* W3: ``metrics.dyad_scores(tg, "M", half_life="90D")``: old, per-period sums of signed
  weights and a per-period decay; new, level / flow / score by the rule of
  ``graphkit.model.measure`` and the exactly integrated decayed flow.

The table is written to ``benchmarks/results/revisions_*.txt`` (and ``.json``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
WORKLOADS = {"W2": "window metrics", "W3": "dyad series"}


def _status(field: str) -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def worker(args: argparse.Namespace) -> None:
    """Build the graph with one checkout's graphkit, then time the calls the parent asks for."""
    code = Path(args.code).resolve()
    sys.path[:0] = [str(code)]
    sys.path.append(str(HERE))  # generate.py (no graphkit import)
    from generate import generate

    import graphkit

    # graphkit.metrics moved to graphkit.analysis.metrics (issue 15). Ask for the module the
    # checkout has: a missing submodule would otherwise be found by the editable install's
    # finder, in another checkout.
    if (code / "graphkit" / "analysis" / "metrics.py").exists():
        metrics = importlib.import_module("graphkit.analysis.metrics")
    else:
        metrics = importlib.import_module("graphkit.metrics")
    for module in (graphkit, metrics):
        where = Path(module.__file__).resolve()
        if code not in where.parents:
            raise SystemExit(f"{module.__name__} imported from {where}, not from {code}")
    where = Path(graphkit.__file__).resolve()
    entities, relations = generate(args.n, args.m, args.years, args.seed)
    tg = graphkit.TemporalGraph.from_frames(entities, relations)
    del entities, relations
    calls = {
        "W2": lambda: metrics.centrality(tg, "M",
                                         measures=["in_degree", "out_degree", "pagerank"],
                                         weighted=False, tol=1e-10),
        "W3": lambda: metrics.dyad_scores(tg, "M", half_life="90D"),
    }
    gc.collect()
    print(json.dumps({"graphkit": str(where), "relations": len(tg.relations)}), flush=True)
    for line in sys.stdin:  # one workload name per line
        w = line.strip()
        if w not in calls:
            break
        start, cpu = time.perf_counter(), time.process_time()
        result = calls[w]()
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        rows = len(result)
        del result
        gc.collect()
        print(json.dumps({"time": elapsed, "cpu": cpu, "rows": rows,
                          "peak_mb": _status("VmHWM")}),
              flush=True)


def run(args: argparse.Namespace) -> dict:
    """Two resident workers (old, new); one call at a time, old and new back to back."""
    versions = {"old": str(Path(args.old).resolve()), "new": str(Path(args.new).resolve())}
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    workers, info = {}, {}
    for version, code in versions.items():
        command = [sys.executable, str(Path(__file__).resolve()), "--worker", "--code", code,
                   "--n", str(args.n), "--m", str(args.m), "--years", str(args.years),
                   "--seed", str(args.seed)]
        workers[version] = subprocess.Popen(command, stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, text=True, env=env)
    for version, proc in workers.items():  # both build their graph (untimed), in parallel
        line = proc.stdout.readline()
        if not line:
            raise SystemExit(f"the {version} worker failed")
        info[version] = json.loads(line)
    print(f"[{dt.datetime.now():%H:%M:%S}] both graphs built", file=sys.stderr, flush=True)
    runs = []
    for k in range(args.pairs):
        for i, w in enumerate(args.workloads):
            order = ["old", "new"] if (k + i) % 2 == 0 else ["new", "old"]
            pair = {}
            for version in order:
                proc = workers[version]
                proc.stdin.write(w + "\n")
                proc.stdin.flush()
                pair[version] = json.loads(proc.stdout.readline())
            runs.append({"pair": k + 1, "workload": w, "first": order[0],
                         **{f"{v}_{x}": pair[v][x] for v in pair for x in pair[v]}})
            print(f"    pair {k + 1} {w}: old {pair['old']['time']:.3f} s, new "
                  f"{pair['new']['time']:.3f} s, new/old "
                  f"{pair['new']['time'] / pair['old']['time']:.2f} (CPU "
                  f"{pair['new']['cpu'] / pair['old']['cpu']:.2f})", file=sys.stderr,
                  flush=True)
    for proc in workers.values():
        proc.stdin.write("quit\n")
        proc.stdin.close()
        proc.wait()
    return {"versions": versions, "workers": info, "runs": runs}


def summarise(data: dict, args: argparse.Namespace) -> tuple[str, dict]:
    runs = data["runs"]
    lines = [
        f"graphkit before/after: N={args.n:,} relations, M={args.m:,} actors, "
        f"Y={args.years} years, seed {args.seed}",
        f"{dt.datetime.now():%Y-%m-%d %H:%M} | {platform.machine()}, {os.cpu_count()} cores | "
        f"python {platform.python_version()} | {args.pairs} paired calls per workload, "
        "old/new alternating first",
        f"old: {data['versions']['old']} ({_commit(data['versions']['old'])})",
        f"new: {data['versions']['new']} ({_commit(data['versions']['new'])})",
        "",
        f"{'workload, clock':<24} {'old (s)':>8} {'new (s)':>8} {'new/old':>8}  "
        f"{'paired ratios: range (quartiles)':<33} {'rows old':>9} {'rows new':>9}",
    ]
    summary = {}
    for w in args.workloads:
        mine = [r for r in runs if r["workload"] == w]
        rows = {v: mine[0][f"{v}_rows"] for v in ("old", "new")}
        summary[w] = {"rows": rows}
        for clock, label in (("time", "wall"), ("cpu", "CPU")):
            median = {v: statistics.median(r[f"{v}_{clock}"] for r in mine)
                      for v in ("old", "new")}
            ratios = sorted(r[f"new_{clock}"] / r[f"old_{clock}"] for r in mine)
            quart = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else ratios * 3
            ratio = statistics.median(ratios)
            summary[w][clock] = {"old": median["old"], "new": median["new"], "ratio": ratio,
                                 "ratio_of_medians": median["new"] / median["old"],
                                 "pair_ratios": ratios, "met": ratio <= 1.10}
            spread = f"{ratios[0]:.2f}-{ratios[-1]:.2f} ({quart[0]:.2f}-{quart[-1]:.2f})"
            lines.append(
                f"{w + ' ' + WORKLOADS[w] + ', ' + label:<24} {median['old']:>8.3f} "
                f"{median['new']:>8.3f} {ratio:>7.2f}x  {spread:<33} {rows['old']:>9,} "
                f"{rows['new']:>9,}")
    peak = {v: max(r[f"{v}_peak_mb"] for r in runs) for v in ("old", "new")}
    lines += ["", "new/old: median of the paired ratios; times: medians (wall: elapsed; CPU: "
              "process CPU time)",
              f"peak RSS per process: old {peak['old']:,.0f} MB, new {peak['new']:,.0f} MB",
              f"load average (1, 5, 15 min) at the end: "
              f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}",
              "", "target (issue 12): new within 10 % of old"]
    for w, s in summary.items():
        for clock, label in (("time", "wall"), ("cpu", "CPU")):
            c = s[clock]
            lines.append(f"  [{'met' if c['met'] else 'MISSED'}] {w} ({label} time): median "
                         f"paired new/old {c['ratio']:.3f} (ratio of median times "
                         f"{c['ratio_of_medians']:.3f})")
    command = " ".join(["python", "benchmarks/bench_revisions.py", *args.argv])
    lines += ["", f"command: {command}"]
    return "\n".join(lines), summary


def _commit(path: str) -> str:
    done = subprocess.run(["git", "-C", path, "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", path, "status", "--porcelain", "--", "graphkit"],
                           capture_output=True, text=True).stdout.strip()
    return done.stdout.strip() + (" + uncommitted graphkit changes" if dirty else "")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", help="checkout of the older code (without it: nothing to do)")
    parser.add_argument("--new", default=str(HERE.parent),
                        help="checkout of the newer code (default: this one)")
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--m", type=int, default=2000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pairs", type=int, default=9,
                        help="paired (old, new) calls per workload (default 9)")
    parser.add_argument("--workloads", nargs="+", default=list(WORKLOADS),
                        choices=list(WORKLOADS))
    parser.add_argument("--out", help="result file stem (default revisions_n..._DATE)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--code", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.worker:
        worker(args)
        return 0
    if not args.old:  # e.g. from `scripts/dev.py bench`, which runs every bench_*.py
        print("bench_revisions.py: skipped, give --old PATH (a checkout of the older code)",
              file=sys.stderr)
        return 0
    data = run(args)
    text, summary = summarise(data, args)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    stem = args.out or f"revisions_n{args.n}_m{args.m}_y{args.years}_" \
                       f"{dt.datetime.now():%Y%m%d-%H%M%S}"
    (RESULTS / f"{stem}.txt").write_text(text + "\n")
    (RESULTS / f"{stem}.json").write_text(json.dumps(
        {"args": {k: v for k, v in vars(args).items() if k != "argv"}, "summary": summary,
         **data}, indent=1))
    print(f"\nwritten to {RESULTS / stem}.txt and .json", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
