#!/usr/bin/env python3
"""Check that graphkit's dependency floors are true: test on the lowest allowed versions.

    python3 scripts/floors.py                  # resolve, install, test; exit as pytest does
    python3 scripts/floors.py --report docs/floors.md   # also write the result as Markdown
    python3 scripts/floors.py -- -k measure    # extra pytest options after "--"

The script creates a temporary virtual environment, installs graphkit there with
``uv pip install --resolution lowest-direct -e .[test]`` (every direct dependency at the
lowest version ``pyproject.toml`` allows; their own dependencies at the newest that fit)
and runs the test suite without the real-browser and notebook tests (``-m "not browser
and not notebook"``): unit, property and doctests. Those two groups drive Chromium and
Jupyter kernels, whose versions the floors of graphkit's own dependencies do not decide.

It needs `uv <https://docs.astral.sh/uv/>`_: the ``uv`` command on ``PATH`` or the ``uv``
package in the Python running this script. Install it with ``python3 -m pip install uv``
(or ``pipx install uv``). uv reads the package index from ``UV_INDEX_URL`` /
``UV_DEFAULT_INDEX`` (default: PyPI); a mirror without the lowest versions makes the
resolution fail with a message naming the missing version.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The tests left out: they need Chromium or a Jupyter kernel, not graphkit's floors.
MARKERS = "not browser and not notebook"


def find_uv() -> list[str]:
    """The command running uv, or exit saying how to install it."""
    found = shutil.which("uv")
    if found:
        return [found]
    if importlib.util.find_spec("uv") is not None:
        return [sys.executable, "-m", "uv"]
    sibling = Path(sys.executable).with_name("uv")
    if sibling.exists():
        return [str(sibling)]
    sys.exit("scripts/floors.py needs uv: install it with `python3 -m pip install uv` "
             "(or `pipx install uv`), then run this again.")


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    print("+", " ".join(cmd), flush=True)
    return subprocess.run(cmd, cwd=ROOT, check=False, **kwargs)


def direct_dependencies(extra: str = "test") -> list[str]:
    """Names of the direct dependencies: ``[project] dependencies`` plus one extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = [*project["dependencies"], *project["optional-dependencies"][extra]]
    names = [re.match(r"[A-Za-z0-9_.\-]+", spec)[0] for spec in specs]
    return sorted({n.lower().replace("_", "-") for n in names})


def resolved_versions(uv: list[str], python: Path) -> dict[str, str]:
    """``{name: version}`` of everything installed in the environment of ``python``."""
    out = run([*uv, "pip", "freeze", "--python", str(python)], capture_output=True,
              text=True)
    versions = {}
    for line in out.stdout.splitlines():
        if "==" in line:
            name, version = line.split("==", 1)
            versions[name.lower().replace("_", "-")] = version.strip()
    return versions


def summary_line(output: str) -> str:
    """pytest's last line (``N passed, M failed ... in Xs``), without the ``=`` rule."""
    for line in reversed(output.strip().splitlines()):
        if re.search(r"\b(passed|failed|error|errors|no tests ran)\b", line):
            return line.strip("= ").strip()
    return "(no pytest summary line)"


def failures(output: str) -> list[str]:
    """The ``FAILED``/``ERROR`` lines of pytest's short summary."""
    return [line for line in output.splitlines() if line.startswith(("FAILED ", "ERROR "))]


def write_report(path: Path, *, versions: dict[str, str], direct: list[str], code: int,
                 output: str, pytest_cmd: list[str]) -> None:
    rows = "\n".join(f"| {name} | {versions.get(name, '(not installed)')} |"
                     for name in direct)
    failed = failures(output)
    lines = [
        "# Dependency floors",
        "",
        "`python3 scripts/floors.py --report docs/floors.md` installs graphkit with every",
        "direct dependency at the lowest version `pyproject.toml` allows",
        "(`uv pip install --resolution lowest-direct -e .[test]`) in a temporary virtual",
        "environment and runs the tests without the browser and notebook groups",
        f"(`-m \"{MARKERS}\"`).",
        "",
        f"- Run: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}, Python "
        f"{platform.python_version()} on {platform.system()} {platform.machine()}",
        f"- Command: `{' '.join(pytest_cmd)}`",
        f"- Result: **{'passed' if code == 0 else f'FAILED (exit {code})'}**: "
        f"{summary_line(output)}",
        "",
        "Versions resolved for the direct dependencies:",
        "",
        "| package | version |",
        "| --- | --- |",
        rows,
        "",
    ]
    if failed:
        lines += ["Failures:", "", "```", *failed, "```", ""]
    path.write_text("\n".join(lines))
    print(f"wrote {path}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--report", type=Path, help="write the result as Markdown here")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary environment (its path is printed)")
    parser.add_argument("-n", "--workers", default="auto",
                        help="pytest-xdist workers (default: auto)")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest options, after --")
    args = parser.parse_args(argv)
    uv = find_uv()
    folder = Path(tempfile.mkdtemp(prefix="graphkit-floors-"))
    try:
        env_dir = folder / "venv"
        python = env_dir / "bin" / "python"
        if run([*uv, "venv", "--quiet", "--python", sys.executable, str(env_dir)]).returncode:
            return 2
        install = run([*uv, "pip", "install", "--python", str(python),
                       "--resolution", "lowest-direct", "-e", ".[test]"])
        if install.returncode:
            print("the lowest versions could not be installed (see uv's message above)",
                  file=sys.stderr)
            return 2
        versions = resolved_versions(uv, python)
        direct = direct_dependencies()
        print("lowest direct versions:", ", ".join(
            f"{n}=={versions.get(n, '?')}" for n in direct), flush=True)
        pytest_cmd = [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider",
                      "-n", args.workers, "-m", MARKERS, *args.pytest_args]
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        print("+", " ".join(pytest_cmd), flush=True)
        proc = subprocess.Popen(pytest_cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        captured = []
        for line in proc.stdout:
            sys.stdout.write(line)
            captured.append(line)
        code = proc.wait()
        if args.report:
            shown = ["python", *pytest_cmd[1:]]
            write_report(args.report, versions=versions, direct=direct, code=code,
                         output="".join(captured), pytest_cmd=shown)
        return code
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
