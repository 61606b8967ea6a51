#!/usr/bin/env python3
"""Set up and run graphkit's jobs with nothing but Python 3.11+.

    python3 scripts/dev.py demo    # environment + the analyst report on the bundled data
    python3 scripts/dev.py test    # environment + lint (ruff, then the import contracts
                                   # with lint-imports) + the whole test suite (unit,
                                   # property, notebook and real-browser tests), run in
                                   # parallel on every core (pytest -n auto, work
                                   # stealing; pass -n 1 or other pytest options
                                   # after "test")
    python3 scripts/dev.py bench   # environment + the benchmarks (slow)

Each job creates (or refreshes) the virtual environment ``.venv`` when ``pyproject.toml``
changed since it was built. The browser tests need Debian's Chromium at
``/usr/bin/chromium``: the test job installs it with apt-get when it runs as root, and
otherwise says which command to run.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
BIN = VENV / "bin"
CHROMIUM = Path("/usr/bin/chromium")
# The demo environment runs every notebook, notebook 03 included (it needs dask: "scale").
EXTRAS = {"demo": "notebook,scale", "test": "test,notebook,scale",
          "bench": "test,notebook,scale,bench"}
#: pytest's workers: the suite runs in parallel (pytest-xdist), one worker per core; an
#: idle worker takes tests queued for a busy one (``--dist worksteal`` in pyproject.toml,
#: and tests/conftest.py queues the long tests first).
PYTEST_WORKERS = ["-n", "auto"]
REPORT_DIR = ROOT / "build" / "report"


def run(*cmd: str | os.PathLike, check: bool = True, **kwargs) -> int:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, check=False, **kwargs)
    if check and result.returncode != 0:
        sys.exit(result.returncode)
    return result.returncode


def ensure_env(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older python3
        sys.exit(f"graphkit needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / ".graphkit-installed"
    installed = stamp.read_text().split() if stamp.exists() else []
    if digest in installed and (BIN / "python").exists():
        return
    if not (BIN / "python").exists():
        print(f"+ creating {VENV.relative_to(ROOT)}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
        run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    # no --quiet: the first install takes minutes, and pip's progress shows it is working
    print(f"+ installing graphkit[{extras}] and its dependencies (a few minutes the first "
          "time)", flush=True)
    run(BIN / "python", "-m", "pip", "install", "--progress-bar", "on", "-e", f".[{extras}]")
    stamp.write_text("\n".join([*installed, digest]) + "\n")


def ensure_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        run("apt-get", "update", "-qq", env=env)
        run("apt-get", "install", "-y", "-qq", "chromium", env=env)
        return
    sys.exit("The browser tests need Debian's Chromium at /usr/bin/chromium: run "
             "`sudo apt-get install -y chromium` (Playwright's own browser download is not "
             "used), then run this again.")


def demo() -> None:
    ensure_env(EXTRAS["demo"])
    data = ROOT / "data" / "nagorno_karabakh"
    run(BIN / "graphkit", "validate", data)
    # build/report is the demo's own folder (git ignores build/): --force lets a report
    # written by a graphkit without output markers be replaced once.
    run(BIN / "graphkit", "report", data, "-o", REPORT_DIR,
        "--before", "2020-11-10:2023-07-01", "--after", "2023-09-01:2023-10-01",
        "--reference", "RUS", "--reference", "USA", "--force")


def test(pytest_args: list[str]) -> None:
    ensure_env(EXTRAS["test"])
    ensure_chromium()
    run(BIN / "ruff", "check", "graphkit", "tests", "benchmarks", "scripts")
    # The layer and no-cycle contracts of pyproject.toml [tool.importlinter]; a broken
    # contract fails the job before the tests run.
    run(BIN / "lint-imports")
    workers = [] if any(a == "-n" or a.startswith(("-n=", "--numprocesses")) or
                        (a.startswith("-n") and a[2:].isdigit()) for a in pytest_args) \
        else PYTEST_WORKERS
    code = run(BIN / "python", "-m", "pytest", *workers, *pytest_args, check=False)
    if code == 5:
        sys.exit("pytest collected no tests: that is a failure here")
    sys.exit(code)


def bench(args: list[str]) -> None:
    ensure_env(EXTRAS["bench"])
    for script in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        run(BIN / "python", script, *args)


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in {"demo", "test", "bench", "setup"}:
        sys.exit(__doc__)
    job, rest = argv[0], argv[1:]
    if job == "demo":
        demo()
    elif job == "test":
        test(rest)
    elif job == "bench":
        bench(rest)
    else:
        ensure_env(EXTRAS["bench"] if "--bench" in rest else EXTRAS["test"])


if __name__ == "__main__":
    main(sys.argv[1:])
