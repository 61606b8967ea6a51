"""``graphkit metrics``: centrality and dyad scores from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import graphkit
from graphkit.analysis import metrics
from graphkit.cli import main

DATA = Path(__file__).resolve().parents[1] / "data" / "nagorno_karabakh"


def test_centrality_table(capsys):
    assert main(["metrics", str(DATA), "--freq", "Y", "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "pagerank" in out and "entity" in out
    lines = [line for line in out.splitlines()[1:] if line.strip()]
    years = [line.split()[0] for line in lines]
    assert max(years.count(y) for y in set(years)) == 3


def test_csv_gets_the_full_table_and_json_the_shown_rows(tmp_path, capsys):
    target = tmp_path / "c.csv"
    code = main(["metrics", str(DATA), "--freq", "Q", "--measures", "degree,pagerank",
                 "--types", "aid", "--types", "criticism,military_action", "--window", "2",
                 "--csv", str(target), "--json", "--top", "2"])
    assert code == 0
    shown = json.loads(capsys.readouterr().out)
    full = pd.read_csv(target)
    tg = graphkit.load(DATA)
    expected = metrics.centrality(tg, "Q", measures=["degree", "pagerank"], window=2,
                                  types=["aid", "criticism", "military_action"])
    assert len(full) == len(expected)
    assert list(full.columns) == ["period", "entity", "degree", "pagerank"]
    assert len(shown) == 2 * expected["period"].nunique()
    first = expected[expected["period"] == expected["period"].iloc[0]]
    assert shown[0]["pagerank"] == pytest.approx(first["pagerank"].max(), abs=1e-6)


def test_dyads(capsys, tmp_path):
    target = tmp_path / "d.csv"
    assert main(["metrics", str(DATA), "--kind", "dyads", "--freq", "Y", "--half-life",
                 "365D", "--undirected", "--csv", str(target), "--top", "1"]) == 0
    out = capsys.readouterr().out
    assert "decayed" in out and "material_conflict" in out
    full = pd.read_csv(target)
    tg = graphkit.load(DATA)
    expected = metrics.dyad_scores(tg, "Y", half_life="365D", directed=False)
    assert len(full) == len(expected)
    assert (full["source"] < full["target"]).all()


@pytest.mark.parametrize("argv", [
    ["--kind", "dyads", "--measures", "degree"],
    ["--undirected"],
    ["--measures", "closeness"],
    ["--by", "nothing"],
    ["--types", "no_such_type"],
    ["--half-life", "soon"],
])
def test_usage_errors(argv, capsys):
    assert main(["metrics", str(DATA), *argv]) == 2
    assert "graphkit metrics: error" in capsys.readouterr().err


def test_bad_window_is_rejected_by_argparse(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["metrics", str(DATA), "--window", "0"])
    assert caught.value.code == 2


def test_half_life_in_days_or_as_a_duration(tmp_path, capsys):
    """A bare number is days (as in the Python API), not pandas' nanoseconds."""
    days, text = tmp_path / "days.csv", tmp_path / "text.csv"
    for value, target in (("90", days), ("90D", text)):
        assert main(["metrics", str(DATA), "--kind", "dyads", "--freq", "Y", "--half-life",
                     value, "--csv", str(target)]) == 0
    capsys.readouterr()
    assert days.read_text() == text.read_text()
    for bad in ("soon", "0", "-5D"):
        assert main(["metrics", str(DATA), f"--half-life={bad}"]) == 2
        assert "--half-life" in capsys.readouterr().err


def test_start_and_end_bound_the_periods_and_a_far_span_warns(tmp_path, capsys):
    """A relation dated 9000 makes 84,000 months: the CLI names it and --start/--end cut
    the tables to whole periods of the span asked for."""
    folder = tmp_path / "far"
    folder.mkdir()
    (folder / "entities.csv").write_text("id,name,type\nA,A,state\nB,B,state\nC,C,state\n")
    (folder / "relations.csv").write_text(
        "source,target,type,start,end\nA,C,alliance,2020,\nA,B,criticism,2023-02-03,\n"
        "A,B,aid,2023-09-12,\nB,C,criticism,9000-01,\n")
    out = tmp_path / "dyads.csv"
    assert main(["metrics", str(folder), "--kind", "dyads", "--start", "2023-01-10",
                 "--end", "2023-11-20", "--csv", str(out)]) == 0
    periods = pd.read_csv(out)["period"]
    # whole months, to the last dated relation inside the span (the data's own end)
    assert (periods.min(), periods.max()) == ("2023-01", "2023-09")
    assert main(["metrics", str(folder), "--kind", "dyads", "--start", "2022-12-31",
                 "--end", "2023-02-15", "--csv", str(out)]) == 0
    periods = pd.read_csv(out)["period"]
    assert sorted(periods.unique()) == ["2022-12", "2023-01", "2023-02"]
    assert "warning" not in capsys.readouterr().err
    assert main(["balance", str(folder), "--freq", "M", "--start", "2023-01",
                 "--end", "2023-03"]) == 0
    assert "warning" not in capsys.readouterr().err
    assert main(["balance", str(folder), "--freq", "Y"]) == 0
    err = capsys.readouterr().err
    assert "6,981 periods" in err and "(id 5) 9000-01" in err and "--start and --end" in err
    assert main(["metrics", str(folder), "--start", "2023-05", "--end", "2023-02"]) == 2
    assert "--end 2023-02 is not after --start 2023-05" in capsys.readouterr().err
