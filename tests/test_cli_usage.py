"""Exit codes of every command (2 usage, 1 data problems) and option order.

List options (``--types``, ``--measures``, ``--entity``, ``--reference``) take one value
per use, comma-separated or repeated, so they never swallow the positional path after them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphkit.cli import build_parser, main

DATA = "data/nagorno_karabakh"
BAD = "tests/fixtures/ten_problems"


def commands(path: str, out: Path) -> dict[str, list[str]]:
    """A call of every command reading ``path`` and writing under ``out``."""
    return {
        "validate": ["validate", path],
        "summary": ["summary", path],
        "shifts": ["shifts", path, "--n-boot", "0"],
        "report": ["report", path, "-o", str(out / "report"), "--n-boot", "0"],
        "balance": ["balance", path],
        "view": ["view", path, "-o", str(out / "v.html")],
        "timeline": ["timeline", path, "--dyad", "ARM:AZE", "-o", str(out / "t.html")],
        "metrics": ["metrics", path],
        "export": ["export", "gexf", path, "-o", str(out / "g.gexf")],
        "import": ["import", "gdelt", path, "-o", str(out / "imported"), "--no-progress"],
    }


def test_every_command_is_covered():
    parser = build_parser()
    names = set(parser._subparsers._group_actions[0].choices)
    assert names == set(commands("x", Path("y")))


@pytest.mark.parametrize("command", sorted(commands("x", Path("y"))))
def test_missing_input_path_is_a_usage_error(command, tmp_path, capsys):
    missing = str(tmp_path / "does-not-exist")
    assert main(commands(missing, tmp_path)[command]) == 2
    err = capsys.readouterr().err
    assert "does-not-exist: no such file or folder" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", sorted(set(commands("x", Path("y"))) - {"import"}))
def test_data_problems_exit_1(command, tmp_path, capsys):
    assert main(commands(BAD, tmp_path)[command]) == 1
    assert "problems found" in capsys.readouterr().err


@pytest.mark.parametrize("command", sorted(commands("x", Path("y"))))
def test_unknown_option_is_a_usage_error(command, tmp_path):
    with pytest.raises(SystemExit) as exit_:
        main([*commands(DATA, tmp_path)[command], "--no-such-option"])
    assert exit_.value.code == 2


def test_graphkit_alone_lists_the_commands(capsys):
    assert main([]) == 2
    err = capsys.readouterr().err
    for name in ("validate", "report", "metrics", "import", "export", "timeline"):
        assert f"    {name}" in err


@pytest.mark.parametrize("option, value", [("--types", "criticism"),
                                           ("--measures", "degree")])
def test_list_option_before_the_path_keeps_the_path(option, value, capsys):
    assert main(["metrics", option, value, DATA, "--freq", "Y", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)


def test_list_options_take_commas_and_repeats_alike(capsys):
    assert main(["metrics", DATA, "--types", "criticism,aid", "--json"]) == 0
    commas = capsys.readouterr().out
    assert main(["metrics", "--types", "criticism", "--types", "aid", DATA, "--json"]) == 0
    assert capsys.readouterr().out == commas


def test_entity_and_reference_lists(tmp_path, capsys):
    assert main(["shifts", "--entity", "ARM,RUS", DATA, "--n-boot", "0", "--json"]) == 0
    table = json.loads(capsys.readouterr().out)["shifts"]
    assert table and all({"ARM", "RUS"} & {r["source"], r["target"]} for r in table)


def test_empty_list_value_is_a_usage_error():
    with pytest.raises(SystemExit) as exit_:
        main(["metrics", DATA, "--types", ","])
    assert exit_.value.code == 2


@pytest.mark.parametrize("freq", ["y", "Y", "q"])
def test_freq_is_case_insensitive(freq, capsys):
    assert main(["metrics", DATA, "--freq", freq, "--top", "1", "--json"]) == 0
    periods = {r["period"] for r in json.loads(capsys.readouterr().out)}
    assert all(("Q" in p) == (freq.upper() == "Q") for p in periods)


def test_text_table_is_bounded_json_and_csv_are_full(tmp_path, capsys):
    assert main(["metrics", DATA, "--csv", str(tmp_path / "m.csv")]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) <= 101  # header + DEFAULT_LIMIT rows
    assert "--csv FILE writes all" in captured.err
    full = (tmp_path / "m.csv").read_text().splitlines()
    assert main(["metrics", DATA, "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == len(full) - 1 > 101
