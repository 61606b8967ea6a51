"""The command line: exit codes and messages, never a traceback for user errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

import graphkit
from graphkit.cli import main


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graphkit", *args], capture_output=True,
                          text=True, check=False)


def test_validate_lists_all_ten_problems_and_exits_1():
    result = run("validate", "tests/fixtures/ten_problems")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == "10 problems found"
    assert "relations.csv:5: column 'start': value '2023-02-30': impossible date" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_clean_exits_0(small_frames, tmp_path, capsys):
    graphkit.save(graphkit.TemporalGraph.from_frames(*small_frames), tmp_path / "ok")
    assert main(["validate", str(tmp_path / "ok")]) == 0
    assert "no problems" in capsys.readouterr().out


def test_validate_writes_problems_csv(tmp_path):
    assert main(["validate", "tests/fixtures/ten_problems", "--csv",
                 str(tmp_path / "p.csv")]) == 1
    assert len((tmp_path / "p.csv").read_text().strip().splitlines()) == 11


def test_usage_errors_exit_2():
    assert run("validate").returncode == 2
    assert run("no-such-command").returncode == 2


def test_missing_path_is_a_usage_error_not_a_traceback():
    result = run("validate", "does/not/exist")
    assert result.returncode == 2
    assert "no such file or folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_summary(small_frames, tmp_path, capsys):
    graphkit.save(graphkit.TemporalGraph.from_frames(*small_frames), tmp_path / "ok")
    assert main(["summary", str(tmp_path / "ok")]) == 0
    out = capsys.readouterr().out
    assert "relations" in out and "criticism" in out


@pytest.mark.parametrize("command", ["validate", "summary"])
def test_help(command):
    result = run(command, "--help")
    assert result.returncode == 0
    assert "usage" in result.stdout
