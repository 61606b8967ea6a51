"""The README's examples run as written.

* Every ```python block runs, in order, in one namespace, in a subprocess whose working
  directory is a scratch copy of the project root (``data/`` and ``tests/fixtures/``), so
  examples read ``data/...`` and write ``build/...`` exactly as at the project root and
  nothing lands in the tree. A traceback points at the README line. A block whose first
  line is ``# not run in tests`` (for example one that needs ``../shared`` or starts a
  cluster) is skipped.
* A ```python block written as a doctest session (its first line starts with ``>>> ``)
  runs in the same namespace through :mod:`doctest`: every output it shows is compared
  with what the code returns (``...`` matches anything, whitespace may differ), so the
  README cannot show an output the code does not produce. Warnings fail it too.
* Every ``graphkit ...`` command of the ```bash and ```console blocks runs as
  ``python -m graphkit`` does (``runpy`` of ``graphkit.__main__``), in another scratch
  copy, each in its own process forked from one runner that imported graphkit once (the
  imports cost about as much as the short commands), and must exit 0, or ``N`` when the
  line ends with ``# exits N``. In ```console blocks, every output line shown (other than
  ``...``) must appear in what the command printed.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SKIP_MARKER = "# not run in tests"
COPIED = ("data", "tests/fixtures")
FENCE = re.compile(r"^```(\w*)\s*$")
EXITS = re.compile(r"#\s*exits\s+(\d+)\s*$")


@dataclass
class Block:
    lang: str
    line: int  # README line number of the block's first line of content
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


@dataclass
class Command:
    line: int
    text: str
    expected_output: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        match = EXITS.search(self.text)
        return int(match.group(1)) if match else 0


def blocks(path: Path = README) -> list[Block]:
    out, current = [], None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = FENCE.match(line)
        if current is None and match:
            current = Block(match.group(1), number + 1)
        elif current is not None and line.strip() == "```":
            out.append(current)
            current = None
        elif current is not None:
            current.lines.append(line)
    assert current is None, f"README.md: code block opened on line {current.line - 1} not closed"
    return out


def python_blocks() -> list[Block]:
    return [b for b in blocks() if b.lang == "python"]


def commands() -> list[list[Command]]:
    """``graphkit`` commands, grouped by block (a block's commands run in order)."""
    groups = []
    for block in blocks():
        if block.lang not in ("bash", "console"):
            continue
        found: list[Command] = []
        pending = ""
        for offset, raw in enumerate(block.lines):
            line = raw.rstrip()
            if block.lang == "console":
                if line.startswith("$ "):
                    found.append(Command(block.line + offset, line[2:]))
                elif found:
                    found[-1].expected_output.append(line)
                continue
            if pending or line.endswith("\\"):  # bash continuation lines
                pending += line.rstrip("\\") + " "
                if line.endswith("\\"):
                    continue
                line, pending = pending.strip(), ""
            if line and not line.lstrip().startswith("#"):
                found.append(Command(block.line + offset, line.strip()))
        found = [c for c in found if shlex.split(c.text, comments=True)[:1] == ["graphkit"]]
        if found:
            groups.append(found)
    return groups


def scratch_project(tmp_path: Path) -> Path:
    """A copy of what the examples read, standing in for the project root."""
    root = tmp_path / "project"
    for name in COPIED:
        shutil.copytree(ROOT / name, root / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return root


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    env["MPLBACKEND"] = "Agg"
    return env


RUNNER = """
import doctest, json, sys, warnings
warnings.simplefilter("error")  # an example printing a warning is a failing example
blocks = json.loads(sys.stdin.read())
namespace = {"__name__": "__readme__"}
flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
checked = 0
for line, text in blocks:
    if text.lstrip().startswith(">>> "):
        test = doctest.DocTestParser().get_doctest(text, namespace, f"README.md:{line}",
                                                    sys.argv[1], line - 1)
        runner = doctest.DocTestRunner(optionflags=flags)
        report = []
        test.globs = namespace  # get_doctest copies the names: share them with the blocks
        result = runner.run(test, out=report.append, clear_globs=False)
        if result.failed:
            sys.exit("".join(report))
        checked += sum(1 for example in test.examples if example.want)
        continue
    code = compile("\\n" * (line - 1) + text, sys.argv[1], "exec")
    exec(code, namespace)
print("README python blocks:", len(blocks))
print("README outputs checked:", checked)
"""


def test_readme_has_examples():
    assert len(python_blocks()) >= 8
    assert sum(len(group) for group in commands()) >= 10


@pytest.mark.slow
def test_readme_python_blocks_run(tmp_path):
    runnable = [(b.line, b.text) for b in python_blocks()
                if not b.text.lstrip().startswith(SKIP_MARKER)]
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, str(README)], input=json.dumps(runnable),
        cwd=scratch_project(tmp_path), env=environment(), capture_output=True, text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-6000:]
    assert f"README python blocks: {len(runnable)}" in result.stdout
    shown = sum(1 for b in python_blocks() if b.text.lstrip().startswith(">>> ")
                for line in b.lines if line.strip() and not line.startswith((">>>", "...")))
    checked = int(re.search(r"README outputs checked: (\d+)", result.stdout).group(1))
    assert checked >= 10 and shown >= checked, result.stdout


def test_doctest_blocks_compare_outputs(tmp_path):
    """The doctest blocks fail when a shown output differs: the check can fail."""
    fake = [(1, "x = 1 + 1\n"), (3, ">>> x\n3\n")]
    result = subprocess.run([sys.executable, "-c", RUNNER, "README.md"],
                            input=json.dumps(fake), cwd=tmp_path, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1
    assert "Expected:\n    3\nGot:\n    2" in result.stderr


COMMAND_RUNNER = """
import json, os, runpy, sys, traceback
# What every command needs, imported once: each command then runs in a child forked
# from here, so commands stay as isolated as separate `python -m graphkit` processes.
import graphkit.cli, graphkit.report, graphkit.views
graphkit.cli.build_parser()

def start(argv, out, err):
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        for fd, path in ((1, out), (2, err)):
            os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), fd)
        sys.argv = ["graphkit", *argv]
        try:
            runpy.run_module("graphkit", run_name="__main__", alter_sys=True)
            code = 0
        except SystemExit as exit:  # as the interpreter reads sys.exit's argument
            if exit.code is None or isinstance(exit.code, int):
                code = exit.code or 0
            else:
                print(exit.code, file=sys.stderr)
        except BaseException:
            traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)

groups, scratch = json.loads(sys.stdin.read()), sys.argv[1]
results = [[None] * len(group) for group in groups]
waiting, running = list(range(len(groups))), {}

def launch(g, i):
    out, err = (os.path.join(scratch, f"{g}-{i}.{kind}") for kind in ("out", "err"))
    running[start(groups[g][i], out, err)] = (g, i, out, err)

while waiting or running:
    while waiting and len(running) < 2:  # two blocks at a time, each in order
        launch(waiting.pop(0), 0)
    pid, status = os.wait()
    g, i, out, err = running.pop(pid)
    with open(out, encoding="utf-8") as o, open(err, encoding="utf-8") as e:
        results[g][i] = [os.waitstatus_to_exitcode(status), o.read(), e.read()]
    if i + 1 < len(groups[g]):
        launch(g, i + 1)
print(json.dumps(results))
"""


def _failure(command: Command, code: int, stdout: str, stderr: str) -> str | None:
    where = f"README.md:{command.line}: {command.text}"
    printed = {line.rstrip() for line in (stdout + stderr).splitlines()}
    if code != command.exit_code:
        return f"{where}\n  exit code {code}, expected {command.exit_code}\n{stderr[-3000:]}"
    missing = [line for line in command.expected_output
               if line.strip() and line.strip() != "..." and line.rstrip() not in printed]
    if missing:
        return (f"{where}\n  output lacks: {missing}\n  printed:\n"
                f"{stdout[-3000:]}{stderr[-3000:]}")
    return None


@pytest.mark.slow
def test_readme_commands_run(tmp_path):
    cwd = scratch_project(tmp_path)
    groups = commands()
    argvs = [[shlex.split(c.text, comments=True)[1:] for c in group] for group in groups]
    (tmp_path / "outputs").mkdir()
    result = subprocess.run([sys.executable, "-c", COMMAND_RUNNER, str(tmp_path / "outputs")],
                            input=json.dumps(argvs), cwd=cwd, env=environment(),
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-6000:]
    runs = json.loads(result.stdout)
    failures = [_failure(command, *run) for group, ran in zip(groups, runs, strict=True)
                for command, run in zip(group, ran, strict=True)]
    assert not [f for f in failures if f], "\n\n".join(f for f in failures if f)


def test_command_runner_reports_exit_codes_and_output(tmp_path):
    """The runner behind test_readme_commands_run: exit codes and output as a process."""
    argvs = [[["summary", "no_such_folder"], ["--version"]], [[]]]
    (tmp_path / "outputs").mkdir()
    result = subprocess.run([sys.executable, "-c", COMMAND_RUNNER, str(tmp_path / "outputs")],
                            input=json.dumps(argvs), cwd=tmp_path, env=environment(),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    (missing, version), (bare,) = json.loads(result.stdout)
    assert missing[0] == 2 and "no_such_folder" in missing[2]
    assert version[0] == 0 and version[1].startswith("graphkit ")
    assert bare[0] == 2 and "summary" in bare[1] + bare[2]
    assert _failure(Command(1, "graphkit summary x"), *missing) is not None


def test_console_blocks_mark_commands():
    """A console block without a ``$ `` prompt would silently test nothing."""
    for block in blocks():
        if block.lang == "console":
            assert any(line.startswith("$ ") for line in block.lines), (
                f"README.md:{block.line}: console block without a $ command")


@pytest.mark.parametrize("text, code", [
    ("graphkit validate x   # exits 1", 1), ("graphkit summary x", 0),
])
def test_exit_code_marker(text, code):
    assert Command(1, text).exit_code == code
