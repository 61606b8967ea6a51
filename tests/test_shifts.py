"""Relationship shifts: comparison, change points, realignment, narratives, CLI."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import graphkit
from graphkit.analysis import shifts
from graphkit.cli import main

NK = "data/nagorno_karabakh"
BEFORE = ("2020-11-10", "2023-07-01")
AFTER = ("2023-09-01", "2023-10-01")


@pytest.fixture(scope="module")
def nk():
    return graphkit.load(NK)


@pytest.fixture(scope="module")
def nk_shifts(nk):
    return shifts.compare(nk, BEFORE, AFTER)


def row(table, a, b):
    pair = table[((table["source"] == a) & (table["target"] == b))
                 | ((table["source"] == b) & (table["target"] == a))]
    assert len(pair) == 1, f"{a}-{b} missing"
    return pair.iloc[0]


def test_armenia_breaks_with_russia_and_turns_to_the_united_states(nk_shifts):
    top3 = nk_shifts.head(3)
    rus, usa = row(nk_shifts, "ARM", "RUS"), row(nk_shifts, "ARM", "USA")
    assert rus["rank"] <= 3 and usa["rank"] <= 3, top3
    assert rus["before"] > 0 > rus["after"] and rus["sign_flip"]
    assert "accusation" in rus["gained"].split(";")
    assert rus["drivers"].split(";")[0] in {"criticism", "accusation", "threat"}
    assert rus["level_before"] == rus["level_after"] > 0  # the standing ties held
    assert rus["flow_after"] < 0 < rus["flow_before"]  # the events turned hostile
    assert usa["change"] > 0 and usa["after"] > usa["before"]
    assert "aid" in usa["gained"]


def test_armenia_breaks_with_the_csto(nk_shifts):
    csto = row(nk_shifts, "ARM", "CSTO")
    assert csto["change"] < 0 and csto["after"] < 0
    assert "criticism" in csto["drivers"]


def test_narrative_lines_are_built_from_the_numbers(nk, nk_shifts):
    lines = shifts.narrate(nk, nk_shifts, BEFORE, AFTER, top=3)
    assert len(lines) == 3
    russia = next(line for line in lines if "Russia" in line)
    r = row(nk_shifts, "ARM", "RUS")
    assert f"{r['change']:+.1f}" in russia
    assert "changed sign" in russia and "criticism" in russia
    assert "between 2020-11-10 and 2023-07-01" in russia and "per 30 days" in russia
    assert f"level {r['level_after']:+.1f}, flow {r['flow_after']:+.1f}" in russia
    assert f"interval {r['ci_low']:+.1f} to {r['ci_high']:+.1f}" in russia
    if not r["robust"]:
        assert "fragile" in russia and r["rests_on"].split(";")[0] in russia


def test_compare_columns_and_ranking(nk_shifts):
    assert list(nk_shifts.columns) == [*shifts.SHIFT_COLUMNS, "rank"]
    changes = nk_shifts["change"].abs().to_numpy()
    assert (np.diff(changes) <= 1e-12).all()
    assert (nk_shifts["change"] == nk_shifts["after"] - nk_shifts["before"]).all()


def test_compare_scores_by_hand():
    entities = pd.DataFrame({"id": ["A", "B", "C"], "name": ["A", "B", "C"], "type": "state"})
    relations = pd.DataFrame({
        "source": ["A", "A", "B", "A"], "target": ["B", "B", "A", "C"],
        "type": ["alliance", "criticism", "criticism", "aid"],
        "start": ["2019-01", "2020-02-03", "2020-03", "2020-03-10"],
        "end": ["2020-03-15", "", "", ""],
    })
    tg = graphkit.TemporalGraph.from_frames(entities, relations)
    table = shifts.compare(tg, ("2019-01-01", "2020-01-01"), ("2020-02-01", "2020-04-01"))
    ab = row(table, "A", "B")
    assert ab["before"] == pytest.approx(8.0)  # alliance in force all of 2019
    # 60 days (February 2020 has 29): the alliance is in force 29 + 15 of them (to
    # 15 March inclusive); two criticisms of -2 are a flow of -4 per 60 days.
    assert ab["level_after"] == pytest.approx(8.0 * 44 / 60)
    assert ab["flow_after"] == pytest.approx(-4 * 30 / 60)
    assert ab["after"] == pytest.approx(8.0 * 44 / 60 - 2.0)
    ac = row(table, "A", "C")
    assert (ac["before"], ac["after"]) == (0.0, pytest.approx(7 * 30 / 60))
    assert ac["gained"] == "aid" and ab["gained"] == "criticism"
    directed = shifts.compare(tg, ("2019-01-01", "2020-01-01"), ("2020-02-01", "2020-04-01"),
                              directed=True)
    ba = directed[(directed["source"] == "B") & (directed["target"] == "A")].iloc[0]
    # the alliance counts both ways, only B's criticism (March) from B to A
    assert ba["after"] == pytest.approx(8.0 * 44 / 60 - 2 * 30 / 60)


def _series(n1, n2, height, direction, seed):
    rng = np.random.default_rng(seed)
    signal = np.r_[np.zeros(n1), np.full(n2, direction * height)] + rng.normal(0, 1, n1 + n2)
    periods = pd.period_range("2015-01", periods=n1 + n2, freq="M")
    return periods, pd.DataFrame({"period": periods, "source": "A", "target": "B",
                                  "score": signal})


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=8, max_value=40), st.integers(min_value=8, max_value=40),
       st.floats(min_value=6, max_value=10), st.sampled_from([-1, 1]),
       st.integers(min_value=0, max_value=10_000))
def test_change_point_within_one_period_of_truth(n1, n2, height, direction, seed):
    # A break of 6 noise standard deviations or more: both methods find it within one
    # period. (At 4 sigma, two unlucky draws next to the break can move the
    # least-squares optimum two periods away; see the exactness test below.)
    periods, scores = _series(n1, n2, height, direction, seed)
    for method in ("pelt", "binseg"):
        breaks = shifts.change_points(scores, method=method)
        assert len(breaks) >= 1
        largest = breaks.iloc[breaks["change"].abs().argmax()]
        assert abs((largest["period"] - periods[n1]).n) <= 1
        assert np.sign(largest["change"]) == direction


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=4, max_value=30), st.integers(min_value=4, max_value=30),
       st.floats(min_value=0, max_value=10), st.sampled_from([-1, 1]),
       st.integers(min_value=0, max_value=10_000))
def test_single_break_is_the_least_squares_optimum(n1, n2, height, direction, seed):
    periods, scores = _series(n1, n2, height, direction, seed)
    y = scores["score"].to_numpy()
    cost = {k: ((y[:k] - y[:k].mean()) ** 2).sum() + ((y[k:] - y[k:].mean()) ** 2).sum()
            for k in range(1, len(y))}
    best = min(cost.values())
    breaks = shifts.change_points(scores, method="binseg", n_breaks=1)
    assert len(breaks) == 1
    found = periods.get_loc(breaks.iloc[0]["period"])
    assert cost[found] == pytest.approx(best, rel=1e-9, abs=1e-9)


def test_change_points_levels_and_no_break_in_flat_series():
    periods = pd.period_range("2020-01", periods=24, freq="M")
    values = np.r_[np.full(10, 4.0), np.full(14, -2.0)]
    scores = pd.concat([
        pd.DataFrame({"period": periods, "source": "A", "target": "B", "score": values}),
        pd.DataFrame({"period": periods, "source": "A", "target": "C", "score": 1.0}),
    ])
    breaks = shifts.change_points(scores)
    assert len(breaks) == 1
    b = breaks.iloc[0]
    assert (b["source"], b["target"], str(b["period"])) == ("A", "B", "2020-11")
    assert (b["mean_before"], b["mean_after"], b["change"]) == (4.0, -2.0, -6.0)
    assert b["date"] == pd.Timestamp("2020-11-01")
    binseg = shifts.change_points(scores, method="binseg", n_breaks=1)
    assert list(binseg["period"].astype(str)) == ["2020-11"]


def test_rank_breaks_on_the_bundled_case(nk):
    ranked = shifts.rank_breaks(nk, "M", start="2020-01-01", end="2024-01-01")
    assert ranked["rank"].tolist() == list(range(1, len(ranked) + 1))
    assert (ranked["date"] >= pd.Timestamp("2020-01-01")).all()
    # Russian peacekeepers arrive in Karabakh after the November 2020 ceasefire: a new
    # standing tie, dated to the first month at the new level
    arrival = ranked[(ranked["source"] == "ARTSAKH") & (ranked["target"] == "RUS")]
    assert len(arrival) == 1 and str(arrival.iloc[0]["period"]) == "2020-11"
    assert arrival.iloc[0]["change"] > 0


def test_alignment_toward_russia_falls_and_toward_the_us_rises(nk):
    table = shifts.alignment(nk, ["RUS", "USA"], freq="M")
    armenia = table[table["entity"] == "ARM"].set_index(["period", "reference"])
    tie = armenia["tie"].unstack()
    assert tie.loc[pd.Period("2023-06", "M"), "RUS"] > tie.loc[pd.Period("2023-06", "M"), "USA"]
    assert tie.loc[pd.Period("2023-09", "M"), "USA"] > tie.loc[pd.Period("2023-09", "M"), "RUS"]
    assert table["similarity"].dropna().between(-1 - 1e-9, 1 + 1e-9).all()


def test_alignment_similarity_by_hand():
    entities = pd.DataFrame({"id": list("ABCDR"), "name": list("ABCDR"), "type": "state"})
    relations = pd.DataFrame({
        "source": ["A", "A", "R", "R", "B"], "target": ["C", "D", "C", "D", "C"],
        "type": ["aid", "criticism", "aid", "criticism", "criticism"],
        "start": "2020-01-15",
    })
    tg = graphkit.TemporalGraph.from_frames(entities, relations)
    table = shifts.alignment(tg, ["R"], freq="M").set_index("entity")
    assert table.loc["A", "similarity"] == pytest.approx(1.0)   # same friends and foes
    # B's profile over third parties is C: -2; R's is C: +7, D: -2
    assert table.loc["B", "similarity"] == pytest.approx(-14 / (2 * np.sqrt(53)))


def test_camp_changes_relative_to_an_anchor():
    entities = pd.DataFrame({"id": list("ABCD"), "name": list("ABCD"), "type": "state"})
    relations = pd.DataFrame({
        "source": ["A", "A", "B", "A", "A", "B"],
        "target": ["B", "C", "C", "B", "C", "C"],
        "type": ["alliance", "military_action", "military_action",
                 "military_action", "alliance", "military_action"],
        "start": ["2020-01", "2020-02", "2020-03", "2021-02", "2021-03", "2021-04"],
        "end": ["2020-12", "", "", "", "2021-12", ""],
    })
    tg = graphkit.TemporalGraph.from_frames(entities, relations)
    changes = shifts.camp_changes(tg, "A", freq="Y")
    moved = changes.set_index("entity")
    assert set(moved.index) == {"B", "C"}
    assert (moved.loc["B", "side_before"], moved.loc["B", "side_after"]) == ("with", "against")
    assert (moved.loc["C", "side_before"], moved.loc["C", "side_after"]) == ("against", "with")


def test_suggest_periods(nk):
    before, after = shifts.suggest_periods(nk)
    assert after == ("2023-09-01", "2023-10-01")
    assert before[1] == "2023-08-01"


def test_cli_table_json_csv(tmp_path, capsys):
    args = ["shifts", NK, "--before", "2020-11-10:2023-07-01", "--after",
            "2023-09-01:2023-10-01"]
    assert main([*args, "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "ARM" in out and "RUS" in out and "- Armenia" in out
    assert main([*args, "--json", "--top", "2", "--csv", str(tmp_path / "s.csv")]) == 0
    document = json.loads(capsys.readouterr().out)
    assert len(document["shifts"]) == 2 and "narrative" in document["shifts"][0]
    full = pd.read_csv(tmp_path / "s.csv")
    assert len(full) > 2 and {"before", "after", "change"} <= set(full.columns)
    assert main([*args, "--entity", "Yerevan", "--top", "50"]) == 0
    assert "AZE" in capsys.readouterr().out


def test_cli_usage_errors(capsys):
    assert main(["shifts", NK, "--before", "2020-01-01:2021-01-01"]) == 2
    assert "both --before and --after" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["shifts", NK, "--before", "yesterday:today", "--after", "2023:2024"])
    assert info.value.code == 2
    assert main(["shifts", NK, "--entity", "Atlantis"]) == 2
