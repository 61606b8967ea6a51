"""Resources graphkit takes on hostile or huge inputs (issue 14): time and peak memory.

Each case runs one ``graphkit`` command in a child process and reports its exit code,
wall time and peak resident memory (``ru_maxrss`` of that child alone, from
``os.wait4``), with the first line of what it printed to stderr:

* ``columns_20000``: ``validate`` on a relations.csv whose header has 20,000 extra
  columns (over ``MAX_COLUMNS``: a located problem), and ``columns_5000``: 5,000 extra
  columns (within the limit: loaded, extra columns kept);
* ``row_20000_fields``: one row with 20,000 fields more than the header;
* ``gzip_short_lines``: ``import gdelt`` of a ~31 KB gzip holding one good GDELT row and
  16M short bad lines;
* ``gzip_one_line``: ``import gdelt`` of a ~1 MB gzip holding one 1 GiB line;
* ``report_200k``: ``report`` on 200,000 synthetic relations (``generate.py``), and
  ``metrics_200k``: ``metrics --csv`` on them without ``--top`` (bounded print).

Run from the project root: ``.venv/bin/python benchmarks/bench_limits.py [--only NAME]
[--relations N]``. Results go to stdout; keep them in ``results/limits_DATE.txt``.
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

ENTITIES = "id,name,type,aliases\nARM,Armenia,state,\nAZE,Azerbaijan,state,\n"
HEADER = "source,target,type,start"
ROW = "ARM,AZE,criticism,2023-09"
GDELT_ROW = (ROOT / "tests" / "fixtures" / "events" / "gdelt2.tsv").read_bytes() \
    .split(b"\n")[0] + b"\n"


def run(argv: list[str]) -> dict:
    """Run ``graphkit argv`` in a child: exit code, wall and CPU seconds (the CPU time is
the meaningful one on a shared machine), peak MiB, first stderr line."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as out:
        child = subprocess.Popen([sys.executable, "-m", "graphkit", *argv], stdout=out,
                                 stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        first = next((line for line in err.read().decode("utf-8", "replace").splitlines()
                      if line.strip()), "")
    return {"exit": child.returncode, "seconds": seconds,
            "cpu": usage.ru_utime + usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024,
            "stderr": first[:110]}


def folder(base: Path, name: str, relations: str) -> Path:
    path = base / name
    path.mkdir()
    (path / "entities.csv").write_text(ENTITIES)
    (path / "relations.csv").write_text(relations)
    return path


def case_columns(base: Path, extra: int) -> list[str]:
    names = ",".join(f"x{i}" for i in range(extra))
    values = "," * extra
    path = folder(base, f"columns_{extra}", f"{HEADER},{names}\n{ROW}{values}\n")
    return ["validate", str(path)]


def case_row_fields(base: Path) -> list[str]:
    path = folder(base, "row_fields", f"{HEADER}\n{ROW}{',x' * 20_000}\n")
    return ["validate", str(path)]


def case_gzip_short_lines(base: Path) -> list[str]:
    path = base / "short.tsv.gz"
    with gzip.open(path, "wb", compresslevel=9) as handle:
        handle.write(GDELT_ROW)  # a good first line: the file is read as GDELT
        chunk = b"x\n" * 1_000_000
        for _ in range(16):
            handle.write(chunk)
    return ["import", "gdelt", str(path), "-o", str(base / "short_out"), "--no-progress"]


def case_gzip_one_line(base: Path) -> list[str]:
    path = base / "line.tsv.gz"
    with gzip.open(path, "wb", compresslevel=9) as handle:
        handle.write(GDELT_ROW)
        block = b"x" * (1 << 24)
        for _ in range(64):  # 1 GiB without a newline
            handle.write(block)
    return ["import", "gdelt", str(path), "-o", str(base / "line_out"), "--no-progress"]


def synthetic(base: Path, n: int) -> Path:
    from generate import generate

    entities, relations = generate(n, 200, 10, seed=14)
    path = base / f"synthetic_{n}"
    path.mkdir()
    entities.to_csv(path / "entities.csv", index=False)
    relations.to_csv(path / "relations.csv", index=False)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", metavar="NAME", help="run only these cases")
    parser.add_argument("--relations", type=int, default=200_000,
                        help="relations in the report case (default 200,000)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gk-limits-") as tmp:
        base = Path(tmp)
        cases = {
            "columns_20000": lambda: case_columns(base, 20_000),
            "columns_5000": lambda: case_columns(base, 5_000),
            "row_20000_fields": lambda: case_row_fields(base),
            "gzip_short_lines": lambda: case_gzip_short_lines(base),
            "gzip_one_line": lambda: case_gzip_one_line(base),
        }
        data: list[Path] = []

        def data_path() -> Path:
            if not data:
                data.append(synthetic(base, args.relations))
            return data[0]

        cases[f"report_{args.relations // 1000}k"] = lambda: [
            "report", str(data_path()), "-o", str(base / "report")]
        cases[f"metrics_{args.relations // 1000}k"] = lambda: [
            "metrics", str(data_path()), "--csv", str(base / "metrics.csv")]
        print(f"{'case':<18} {'exit':>4} {'seconds':>8} {'cpu s':>7} {'peak MiB':>9}  "
              "stderr (first line)")
        for name, make in cases.items():
            if args.only and name not in args.only:
                continue
            argv_case = make()
            if name.startswith("gzip"):
                size = Path(argv_case[2]).stat().st_size
                name_shown = f"{name} ({size // 1024} KB)"
            else:
                name_shown = name
            result = run(argv_case)
            print(f"{name_shown:<18} {result['exit']:>4} {result['seconds']:>8.1f} "
                  f"{result['cpu']:>7.1f} {result['peak_mib']:>9.0f}  {result['stderr']}",
                  flush=True)


if __name__ == "__main__":
    main()
