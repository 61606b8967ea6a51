"""Out-of-core dyad scores with graphkit.dask: N synthetic events in Parquet partitions.

Steps (each timed and reported):

1. ``prepare``: generate N relations among M actors over Y years with
   ``benchmarks/generate.py`` in chunks (a new seed per chunk), validate each chunk with
   ``TemporalGraph.from_frames`` and write its canonical relations as one Parquet
   partition (``graphkit.dask.write_relations``). Never more than one chunk in memory.
   Skipped when the folder already holds the partitions.
2. ``in-memory``: the first ``--memory-n`` relations (default 10M) read into one pandas
   table and scored with the in-memory route (``metrics.dyad_scores`` on a
   TemporalGraph holding that table).
3. ``dask``: the same scores of all N relations from the Parquet partitions on a
   ``LocalCluster`` (``--workers`` processes, one thread each, ``--memory-limit`` per
   worker), with ``graphkit.dask.dyad_scores``; and of the first ``--memory-n``
   relations, checked equal to step 2.

Peak memory: the largest resident set of the client process and of each worker
(``ru_maxrss``). The result goes to ``benchmarks/results/dask_n<N>_...txt`` and
``.json``.

Run: ``python benchmarks/bench_dask.py --n 100000000 --data /tmp/gk_dask_100m``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from generate import generate  # noqa: E402

import graphkit  # noqa: E402
import graphkit.dask as gdask  # noqa: E402
from graphkit.analysis import metrics  # noqa: E402
from graphkit.model.temporal import TemporalGraph  # noqa: E402


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare(args: argparse.Namespace) -> dict:
    folder = Path(args.data)
    chunks = -(-args.n // args.chunk)
    done = sorted(folder.glob("part-*.parquet")) if folder.exists() else []
    if len(done) >= chunks and (folder / "entities.csv").exists():  # the first `chunks`
        return {"prepare_s": None, "partitions": chunks, "reused": True}
    t0 = time.perf_counter()
    entities, _ = generate(10, args.m, args.years, seed=0)
    folder.mkdir(parents=True, exist_ok=True)
    entities.to_csv(folder / "entities.csv", index=False)
    for k in range(chunks):
        size = min(args.chunk, args.n - k * args.chunk)
        _, raw = generate(size, args.m, args.years, seed=1000 + k)
        rel = TemporalGraph.from_frames(entities, raw).relations
        gdask.write_relations(rel, str(folder), k)
        print(f"  partition {k + 1}/{chunks} written ({time.perf_counter() - t0:.0f} s)",
              file=sys.stderr, flush=True)
    return {"prepare_s": time.perf_counter() - t0, "partitions": chunks, "reused": False}


def in_memory(args: argparse.Namespace, entities: pd.DataFrame) -> tuple[dict, pd.DataFrame]:
    files = sorted(Path(args.data).glob("part-*.parquet"))[: -(-args.memory_n // args.chunk)]
    t0 = time.perf_counter()
    rel = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    read_s = time.perf_counter() - t0
    tg = TemporalGraph(entities.assign(aliases=""), rel)
    t0 = time.perf_counter()
    scores = metrics.dyad_scores(tg, "M")
    seconds = time.perf_counter() - t0
    return {"memory_n": len(rel), "memory_read_s": read_s, "memory_scores_s": seconds,
            "memory_peak_mb": _peak_mb(), "memory_rows": len(scores)}, scores


def out_of_core(args: argparse.Namespace, ids: list[str], subset: pd.DataFrame
                ) -> dict:
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                           memory_limit=args.memory_limit, dashboard_address=None,
                           silence_logs=40)
    out: dict = {}
    with Client(cluster) as client:
        files = sorted(str(f) for f in Path(args.data).glob("part-*.parquet"))
        frame = gdask.read_relations(files[: -(-args.n // args.chunk)])
        out["partitions"] = frame.npartitions
        split_out = args.split_out or frame.npartitions
        out["split_out"] = split_out
        t0 = time.perf_counter()
        scores = gdask.dyad_scores(frame, "M", entities=ids, progress=args.progress,
                                   split_out=split_out)
        out["dask_s"] = time.perf_counter() - t0
        out["dask_rows"] = len(scores)
        out["dask_events"] = float(scores["events"].sum())
        n_sub = -(-args.memory_n // args.chunk)
        part = frame.partitions[:n_sub]
        t0 = time.perf_counter()
        check = gdask.dyad_scores(part, "M", entities=ids, progress=False,
                                  split_out=min(split_out, n_sub))
        out["dask_subset_s"] = time.perf_counter() - t0
        keys = ["period", "source", "target"]
        a = check.sort_values(keys, ignore_index=True)
        b = subset.sort_values(keys, ignore_index=True)
        same_keys = a[keys].equals(b[keys])
        numeric = [c for c in a.columns if c not in keys]
        out["subset_equal"] = bool(same_keys and np.allclose(
            a[numeric].to_numpy(float), b[numeric].to_numpy(float), rtol=1e-9, atol=1e-9))
        worker_mb = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                               / 1024)
        out["worker_peak_mb"] = max(worker_mb.values())
        out["client_peak_mb"] = _peak_mb()
    cluster.close()
    return out


def render(args: argparse.Namespace, prep: dict, mem: dict, ooc: dict) -> str:
    n = args.n
    per_m_dask = ooc["dask_s"] / (n / 1e6)
    per_m_mem = mem["memory_scores_s"] / (mem["memory_n"] / 1e6)
    lines = [
        f"graphkit.dask benchmark: N={n:,} events, M={args.m:,} actors, Y={args.years} "
        f"years, monthly dyad scores",
        f"{time.strftime('%Y-%m-%d %H:%M')} | {platform.machine()}, {os.cpu_count()} cores "
        f"(shared) | python {platform.python_version()}, pandas {pd.__version__}, "
        f"graphkit {graphkit.__version__ if hasattr(graphkit, '__version__') else ''}",
        "",
        f"prepare (generate + validate + write {prep['partitions']} Parquet partitions): "
        + ("reused" if prep["reused"] else f"{prep['prepare_s']:.0f} s"),
        f"in memory, {mem['memory_n']:,} events: read {mem['memory_read_s']:.1f} s, scores "
        f"{mem['memory_scores_s']:.1f} s ({per_m_mem:.2f} s per million), process peak "
        f"{mem['memory_peak_mb']:,.0f} MB",
        f"dask out of core, {n:,} events in {ooc['partitions']} partitions, "
        f"{args.workers} workers x 1 thread, memory limit {args.memory_limit} each, "
        f"split_out {ooc['split_out']}: "
        f"{ooc['dask_s']:.1f} s ({per_m_dask:.2f} s per million, "
        f"{per_m_dask / per_m_mem:.2f}x the in-memory time per million)",
        f"  peak memory: client {ooc['client_peak_mb']:,.0f} MB (includes the in-memory "
        f"step), largest worker {ooc['worker_peak_mb']:,.0f} MB",
        f"  {ooc['dask_rows']:,} (period, dyad) rows; events counted {ooc['dask_events']:,.0f}",
        f"dask on the first {mem['memory_n']:,} events: {ooc['dask_subset_s']:.1f} s; equal "
        f"to the in-memory result (rtol 1e-9): {ooc['subset_equal']}",
        "",
        "command: python benchmarks/bench_dask.py " + " ".join(sys.argv[1:]),
    ]
    return "\n".join(lines) + "\n"


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000_000, help="events (default 100M)")
    parser.add_argument("--m", type=int, default=2000, help="actors (default 2000)")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--chunk", type=int, default=2_000_000,
                        help="relations per Parquet partition (default 2M)")
    parser.add_argument("--memory-n", type=int, default=10_000_000,
                        help="events of the in-memory comparison (default 10M)")
    parser.add_argument("--data", default="/tmp/graphkit_dask_bench",
                        help="folder of the Parquet partitions (reused when complete)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-limit", default="4GB")
    parser.add_argument("--split-out", type=int, default=None,
                        help="partitions of the summed (period, dyad) table (default: one "
                        "per input partition; 1 collects it on one worker, which ran out "
                        "of memory at 20M events with 6 GB workers)")
    parser.add_argument("--progress", action="store_true", help="show the progress bar")
    parser.add_argument("--out", default=str(HERE / "results"))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    prep = prepare(args)
    entities = pd.read_csv(Path(args.data) / "entities.csv", dtype=str,
                           keep_default_na=False)
    mem, subset = in_memory(args, entities)
    ooc = out_of_core(args, entities["id"].tolist(), subset)
    text = render(args, prep, mem, ooc)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    base = Path(args.out) / f"dask_n{args.n}_m{args.m}_y{args.years}_{stamp}"
    base.with_suffix(".txt").write_text(text, encoding="utf-8")
    base.with_suffix(".json").write_text(json.dumps(
        {"args": vars(args), **prep, **mem, **ooc}, indent=2, default=str), encoding="utf-8")
    print(text)
    return 0 if ooc["subset_equal"] else 1


if __name__ == "__main__":
    sys.exit(main())
