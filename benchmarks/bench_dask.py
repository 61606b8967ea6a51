"""Out-of-core dyad scores with graphkit.dask: N synthetic events in Parquet partitions.

Steps (each timed and reported):

1. ``prepare``: generate N relations among M actors over Y years with
   ``benchmarks/generate.py`` in chunks (a new seed per chunk), validate each chunk with
   ``TemporalGraph.from_frames`` and write its canonical relations as one Parquet
   partition (``graphkit.dask.write_relations``). Never more than one chunk in memory.
   Skipped when the folder already holds the partitions.
2. ``in-memory`` (in a child process, so its memory is its own): the first
   ``--memory-n`` relations (default 10M) read into one pandas table and scored with the
   in-memory route (``metrics.dyad_scores`` on a TemporalGraph holding that table); then
   the in-memory scores of the check subset (``--check-n`` relations, default 1M: the
   first rows of each of the first ``--check-parts`` partitions), saved for step 4.
3. ``dask``: the scores of all N relations from the Parquet partitions on a
   ``LocalCluster`` (``--workers`` processes, one thread each, ``--memory-limit`` per
   worker, spilling under ``--scratch``) with ``graphkit.dask.dyad_scores(...,
   output="dask")``, written as Parquet with ``graphkit.dask.write_scores`` (the finish
   stays on the workers; nothing but counts comes back).
4. ``check``: ``graphkit.dask.dyad_scores`` (pandas output) of the check subset, compared
   with step 2's in-memory scores of the same relations.

Memory: the peak resident set of each process (``ru_maxrss``: the client, each worker,
the in-memory child), and the peak of the sum over the client, the nannies and the
workers, sampled every half second with psutil. The result goes to
``benchmarks/results/dask_n<N>_...txt`` and ``.json``.

Run: ``python benchmarks/bench_dask.py --n 100000000 --data /tmp/gk_dask_100m``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import resource
import shutil
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from generate import generate  # noqa: E402

import graphkit.dask as gdask  # noqa: E402
from graphkit.analysis import metrics  # noqa: E402
from graphkit.core.atomic import is_graphkit_folder  # noqa: E402
from graphkit.model.temporal import TemporalGraph  # noqa: E402

KEYS = ["period", "source", "target"]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _files(args: argparse.Namespace) -> list[Path]:
    return sorted(Path(args.data).glob("part-*.parquet"))[: -(-args.n // args.chunk)]


def prepare(args: argparse.Namespace) -> dict:
    folder = Path(args.data)
    chunks = -(-args.n // args.chunk)
    done = sorted(folder.glob("part-*.parquet")) if folder.exists() else []
    if len(done) >= chunks and (folder / "entities.csv").exists():  # the first `chunks`
        return {"prepare_s": None, "input_partitions": chunks, "reused": True}
    t0 = time.perf_counter()
    entities, _ = generate(10, args.m, args.years, seed=0)
    for k in range(chunks):  # (write_relations makes and marks the folder)
        size = min(args.chunk, args.n - k * args.chunk)
        _, raw = generate(size, args.m, args.years, seed=1000 + k)
        rel = TemporalGraph.from_frames(entities, raw).relations
        gdask.write_relations(rel, str(folder), k)
        print(f"  partition {k + 1}/{chunks} written ({time.perf_counter() - t0:.0f} s)",
              file=sys.stderr, flush=True)
    entities.to_csv(folder / "entities.csv", index=False)
    return {"prepare_s": time.perf_counter() - t0, "input_partitions": chunks,
            "reused": False}


def _check_rows(args: argparse.Namespace) -> int:
    """Rows taken from each of the first ``check_parts`` partitions for the check."""
    return -(-args.check_n // args.check_parts)


def _in_memory(args: argparse.Namespace, expected_path: str) -> dict:
    """Step 2, run in a child process."""
    entities = pd.read_csv(Path(args.data) / "entities.csv", dtype=str,
                           keep_default_na=False).assign(aliases="")
    files = _files(args)[: -(-args.memory_n // args.chunk)]
    t0 = time.perf_counter()
    rel = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    rel = rel.iloc[: args.memory_n]
    read_s = time.perf_counter() - t0
    tg = TemporalGraph(entities, rel)
    t0 = time.perf_counter()
    scores = metrics.dyad_scores(tg, "M", half_life=args.half_life)
    out = {"memory_n": len(rel), "memory_read_s": read_s,
           "memory_scores_s": time.perf_counter() - t0, "memory_rows": len(scores)}
    del tg, rel, scores
    out["memory_peak_mb"] = _peak_mb()
    take = _check_rows(args)
    subset = pd.concat([pd.read_parquet(f).iloc[:take]
                        for f in _files(args)[: args.check_parts]], ignore_index=True)
    expected = metrics.dyad_scores(TemporalGraph(entities, subset), "M",
                                   half_life=args.half_life)
    expected.to_parquet(expected_path, index=False)
    out["check_n"] = len(subset)
    return out


def in_memory(args: argparse.Namespace, expected_path: str) -> dict:
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_in_memory, args, expected_path).result()


class MemoryWatch:
    """Peak of the summed resident memory of this process and all its descendants."""

    def __init__(self, interval: float = 0.5):
        import psutil

        self.me = psutil.Process()
        self.interval = interval
        self.peak = 0
        self.peak_processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            total, count = 0, 0
            for proc in [self.me, *self.me.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                    count += 1
                except psutil.Error:
                    continue
            if total > self.peak:
                self.peak, self.peak_processes = total, count
            self._stop.wait(self.interval)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def _subset(part: pd.DataFrame, rows: int) -> pd.DataFrame:
    return part.iloc[:rows]


def out_of_core(args: argparse.Namespace, ids: list[str], expected_path: str) -> dict:
    from dask.distributed import Client, LocalCluster

    scratch = Path(args.scratch)
    scratch.mkdir(parents=True, exist_ok=True)
    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                           memory_limit=args.memory_limit, dashboard_address=":0",
                           local_directory=str(scratch / "workers"), silence_logs=40)
    out: dict = {}
    scores_dir = scratch / "scores"
    with MemoryWatch() as watch, Client(cluster) as client:
        frame = gdask.read_relations([str(f) for f in _files(args)])
        out["partitions"] = frame.npartitions
        split_out = args.split_out or frame.npartitions
        out["split_out"] = split_out
        t0 = time.perf_counter()
        scores = gdask.dyad_scores(frame, "M", half_life=args.half_life, entities=ids,
                                   split_out=split_out, output="dask")
        gdask.write_scores(scores, scores_dir, progress=args.progress)
        out["dask_s"] = time.perf_counter() - t0
        out["dask_peak_total_mb"] = watch.peak / 2**20
        out["dask_peak_processes"] = watch.peak_processes
        import pyarrow.parquet as pq

        written = sorted(scores_dir.glob("*.parquet"))
        out["dask_rows"] = sum(pq.read_metadata(f).num_rows for f in written)
        out["dask_output_files"] = len(written)
        out["dask_output_mb"] = sum(f.stat().st_size for f in written) / 2**20
        out["dask_events"] = float(dd_sum(scores_dir, "events"))
        worker_mb = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                               / 1024)
        out["worker_peak_mb"] = sorted(worker_mb.values())
        out["workers_alive"] = len(client.scheduler_info()["workers"])

        rows = _check_rows(args)
        part = frame.partitions[: args.check_parts].map_partitions(
            _subset, rows, meta=frame._meta)
        t0 = time.perf_counter()
        check = gdask.dyad_scores(part, "M", half_life=args.half_life, entities=ids,
                                  progress=False)
        out["dask_check_s"] = time.perf_counter() - t0
        out["client_peak_mb"] = _peak_mb()
    cluster.close()
    expected = pd.read_parquet(expected_path)
    out["check_rows"] = len(check)
    same_keys = check[KEYS].equals(expected[KEYS])  # the same rows in the same order
    numeric = [c for c in check.columns if c not in KEYS]
    a, b = check[numeric].to_numpy(float), expected[numeric].to_numpy(float)
    out["check_max_abs_diff"] = float(np.abs(a - b).max()) if len(a) else 0.0
    out["check_equal"] = bool(same_keys and list(check.columns) == list(expected.columns)
                              and np.allclose(a, b, rtol=1e-9, atol=1e-9))
    if not args.keep_scores and is_graphkit_folder(scores_dir):  # written by this run
        shutil.rmtree(scores_dir)
    return out


def dd_sum(folder: Path, column: str) -> float:
    import dask.dataframe as dd

    return dd.read_parquet(str(folder), columns=[column])[column].sum().compute()


def render(args: argparse.Namespace, prep: dict, mem: dict, ooc: dict) -> str:
    n = args.n
    per_m_dask = ooc["dask_s"] / (n / 1e6)
    per_m_mem = mem["memory_scores_s"] / (mem["memory_n"] / 1e6)
    workers = ", ".join(f"{mb:,.0f}" for mb in ooc["worker_peak_mb"])
    lines = [
        f"graphkit.dask benchmark: N={n:,} events, M={args.m:,} actors, Y={args.years} "
        f"years, monthly dyad scores, half_life {args.half_life}",
        f"{time.strftime('%Y-%m-%d %H:%M')} | {platform.machine()}, {os.cpu_count()} cores "
        f"(shared with other jobs; load average at the end "
        f"{os.getloadavg()[0]:.1f}) | python {platform.python_version()}, pandas "
        f"{pd.__version__}, dask {_dask_version()}",
        "",
        f"prepare (generate + validate + write {prep['input_partitions']} Parquet "
        "partitions): " + ("reused" if prep["reused"] else f"{prep['prepare_s']:.0f} s"),
        f"in memory, {mem['memory_n']:,} events (metrics.dyad_scores): read "
        f"{mem['memory_read_s']:.1f} s, scores {mem['memory_scores_s']:.1f} s "
        f"({per_m_mem:.2f} s per million), {mem['memory_rows']:,} rows, process peak "
        f"{mem['memory_peak_mb']:,.0f} MB",
        f"dask out of core, {n:,} events in {ooc['partitions']} partitions, "
        f"{args.workers} workers x 1 thread, memory limit {args.memory_limit} each, "
        f"split_out {ooc['split_out']}, output='dask' written with write_scores: "
        f"{ooc['dask_s']:.1f} s ({per_m_dask:.2f} s per million, "
        f"{per_m_dask / per_m_mem:.2f}x the in-memory time per million)",
        f"  {ooc['dask_rows']:,} (period, dyad) rows in {ooc['dask_output_files']} Parquet "
        f"files ({ooc['dask_output_mb']:,.0f} MB); events counted {ooc['dask_events']:,.0f}",
        f"  peak memory: client + nannies + workers together {ooc['dask_peak_total_mb']:,.0f}"
        f" MB (sampled every 0.5 s, {ooc['dask_peak_processes']} processes); per process: "
        f"client {ooc['client_peak_mb']:,.0f} MB, workers {workers} MB; "
        f"{ooc['workers_alive']} of {args.workers} workers alive at the end",
        f"check: dask (output='pandas') on {mem['check_n']:,} events (the first rows of "
        f"{args.check_parts} partitions): {ooc['dask_check_s']:.1f} s, {ooc['check_rows']:,}"
        f" rows; equal to metrics.dyad_scores of the same events (same rows in the same "
        f"order, rtol 1e-9): {ooc['check_equal']} (largest difference "
        f"{ooc['check_max_abs_diff']:.1e})",
        "",
        "command: python benchmarks/bench_dask.py " + " ".join(sys.argv[1:]),
    ]
    return "\n".join(lines) + "\n"


def _dask_version() -> str:
    import dask

    return dask.__version__


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000_000, help="events (default 100M)")
    parser.add_argument("--m", type=int, default=2000, help="actors (default 2000)")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--chunk", type=int, default=1_000_000,
                        help="relations per Parquet partition (default 1M)")
    parser.add_argument("--half-life", default="90D",
                        help="half-life of the decayed flow (default 90D)")
    parser.add_argument("--memory-n", type=int, default=10_000_000,
                        help="events of the in-memory comparison (default 10M)")
    parser.add_argument("--check-n", type=int, default=1_000_000,
                        help="events of the equality check (default 1M)")
    parser.add_argument("--check-parts", type=int, default=4,
                        help="partitions the check's events come from (default 4)")
    parser.add_argument("--data", default="/tmp/graphkit_dask_bench",
                        help="folder of the Parquet partitions (reused when complete)")
    parser.add_argument("--scratch", default="/tmp/graphkit_dask_scratch",
                        help="folder for the workers' spill files and the scores")
    parser.add_argument("--keep-scores", action="store_true",
                        help="keep the scores written under --scratch")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-limit", default="7GB")
    parser.add_argument("--split-out", type=int, default=None,
                        help="partitions of the shuffle by dyad (default: one per input "
                        "partition)")
    parser.add_argument("--progress", action="store_true", help="show the progress bar")
    parser.add_argument("--out", default=str(HERE / "results"))
    args = parser.parse_args(argv)
    if min(args.n, args.chunk, args.memory_n, args.check_n, args.check_parts) < 1:
        parser.error("--n, --chunk, --memory-n, --check-n and --check-parts must be >= 1")
    if args.check_parts > -(-args.n // args.chunk):
        parser.error("--check-parts is larger than the number of partitions")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    prep = prepare(args)
    entities = pd.read_csv(Path(args.data) / "entities.csv", dtype=str,
                           keep_default_na=False)
    Path(args.scratch).mkdir(parents=True, exist_ok=True)
    expected_path = str(Path(args.scratch) / "check_expected.parquet")
    mem = in_memory(args, expected_path)
    print(f"in memory done: {mem}", file=sys.stderr, flush=True)
    ooc = out_of_core(args, entities["id"].tolist(), expected_path)
    text = render(args, prep, mem, ooc)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    print(text, flush=True)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    base = Path(args.out) / f"dask_n{args.n}_m{args.m}_y{args.years}_{stamp}"
    base.with_suffix(".txt").write_text(text, encoding="utf-8")
    base.with_suffix(".json").write_text(json.dumps(
        {"args": vars(args), **prep, **mem, **ooc}, indent=2, default=str), encoding="utf-8")
    return 0 if ooc["check_equal"] else 1


if __name__ == "__main__":
    sys.exit(main())
