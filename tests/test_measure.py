"""The one measurement rule: scores mean the same at every resolution (issue 12's proof)."""

from __future__ import annotations

import datetime as dt
import os
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import partial_date

import graphkit
from graphkit.analysis import balance, metrics, shifts
from graphkit.core import timespec
from graphkit.model import measure

IDS = ["A", "B", "C", "D"]
ENTITIES = pd.DataFrame({"id": IDS, "name": IDS, "type": "state"})
EVENT_TYPES = ["meeting", "criticism", "aid", "military_action", "cooperation"]
TIE_TYPES = ["alliance", "sanctions"]
SETTINGS = settings(max_examples=int(os.environ.get("GRAPHKIT_EXAMPLES", 25)),
                    suppress_health_check=[HealthCheck.too_slow], deadline=None)
FREQS = ["D", "W", "M", "Q", "Y"]


@st.composite
def graphs(draw, max_size=15, ties=True):
    rows = []
    for _ in range(draw(st.integers(1, max_size))):
        source, target = draw(st.permutations(IDS))[:2]
        kinds = EVENT_TYPES + (TIE_TYPES if ties else [])
        start = draw(partial_date())
        end = draw(st.one_of(st.just(""), st.just(""), partial_date()))
        if end and end < start:
            start, end = end, start
        rows.append({"source": source, "target": target, "type": draw(st.sampled_from(kinds)),
                     "start": start, "end": "" if end == start else end,
                     "weight": draw(st.sampled_from(["", "1.5", "-3.25", "7", "-10"])),
                     "confidence": draw(st.sampled_from(["", "0.4", "0.7", "0.9"]))})
    return graphkit.TemporalGraph.from_frames(ENTITIES, pd.DataFrame(rows))


def lengths(scores: pd.DataFrame) -> np.ndarray:
    """Each row's period length in days."""
    period = pd.PeriodIndex(scores["period"])
    return np.asarray(((period + 1).start_time - period.start_time).days, dtype=float)


# --------------------------------------------------------------- the rule itself


@SETTINGS
@given(graphs(ties=False), st.sampled_from(FREQS))
def test_event_mass_is_conserved_at_every_freq(tg, freq):
    scores = metrics.dyad_scores(tg, freq, directed=False)
    mass = (scores["flow"] * lengths(scores) / measure.FLOW_DAYS).sum()
    assert mass == pytest.approx(tg.relations["signed_weight"].sum(), abs=1e-9)
    assert scores["events"].sum() == pytest.approx(len(tg.relations))
    assert scores["level"].abs().max() == 0


@SETTINGS
@given(st.dates(dt.date(2020, 1, 1), dt.date(2022, 12, 31)), st.integers(40, 900),
       st.sampled_from(["-8", "5.5", "8"]))
def test_a_standing_tie_has_its_weight_as_level_at_every_freq(first, days, weight):
    last = first + dt.timedelta(days=days)
    tg = graphkit.TemporalGraph.from_frames(ENTITIES, pd.DataFrame([{
        "source": "A", "target": "B", "type": "alliance", "start": first.isoformat(),
        "end": last.isoformat(), "weight": weight, "sign": np.sign(float(weight))}]))
    t0, t1 = tg.relations["t_start"].iloc[0], tg.relations["t_end"].iloc[0]
    for freq in FREQS:
        scores = metrics.dyad_scores(tg, freq, directed=False)
        period = pd.PeriodIndex(scores["period"])
        inside = np.asarray((period.start_time >= t0) & ((period + 1).start_time <= t1))
        assert np.allclose(scores["level"][inside], float(weight))
        assert np.allclose(scores["ties"][inside], 1.0)
        # and the mean level over the periods, weighted by length, is the tie's mass
        mass = (scores["level"] * lengths(scores)).sum()
        assert mass == pytest.approx(float(weight) * (t1 - t0).days)


@SETTINGS
@given(graphs(), st.booleans(), st.sampled_from([None, "confidence"]))
def test_compare_is_the_same_at_every_freq(tg, directed, weight_by):
    before, after = ("2021-03-10", "2022-07-01"), ("2022-09-15", "2023-11-01")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", shifts.GraphkitWarning)
        tables = [shifts.compare(tg, before, after, directed=directed, freq=freq,
                                 weight_by=weight_by, n_boot=50)
                  for freq in ("D", "W", "M")]
    columns = ["before", "after", "change", "level_before", "level_after", "flow_before",
               "flow_after", "ci_low", "ci_high"]
    for other in tables[1:]:
        pd.testing.assert_frame_equal(tables[0][["source", "target"]],
                                      other[["source", "target"]])
        np.testing.assert_allclose(tables[0][columns], other[columns], atol=1e-9)


@SETTINGS
@given(graphs(), st.sampled_from(["M", "Q"]), st.sampled_from(["20D", "90D"]))
def test_decayed_scores_never_rise_without_new_mass(tg, freq, half_life):
    scores = metrics.dyad_scores(tg, freq, half_life=half_life, fill="all", directed=False)
    h = timespec.half_life_seconds(half_life)
    ends = (pd.PeriodIndex(scores["period"]) + 1).start_time
    scores = scores.assign(end=ends)
    for _, series in scores.groupby(["source", "target"]):
        series = series.sort_values("end")
        flow = series["decayed_flow"].to_numpy()
        gap = np.diff(series["end"].to_numpy()).astype("timedelta64[s]").astype(float)
        quiet = series["events"].to_numpy()[1:] == 0
        expected = flow[:-1] * np.exp2(-gap / h)
        np.testing.assert_allclose(flow[1:][quiet], expected[quiet], atol=1e-9)
        assert (np.abs(flow[1:][quiet]) <= np.abs(flow[:-1][quiet]) + 1e-12).all()


def test_decayed_flow_of_a_steady_stream_is_the_stream():
    days = pd.date_range("2020-01-01", "2023-12-31", freq="10D")
    tg = graphkit.TemporalGraph.from_frames(ENTITIES, pd.DataFrame({
        "source": "A", "target": "B", "type": "meeting", "weight": 2.0,
        "start": days.strftime("%Y-%m-%d")}))
    scores = metrics.dyad_scores(tg, "M", half_life="60D", directed=False)
    late = scores[scores["period"] >= pd.Period("2023-01", "M")]
    # three events of 2 per 30 days: a flow of 6, decayed or not (month ends fall at
    # different points between two events, hence the wobble)
    assert late["decayed_flow"].mean() == pytest.approx(6.0, rel=0.03)
    assert late["decayed_flow"].to_numpy() == pytest.approx(6.0, rel=0.1)


def test_worked_example_of_the_readme():
    tg = graphkit.TemporalGraph.from_frames(ENTITIES, pd.DataFrame([
        {"source": "A", "target": "B", "type": "alliance", "start": "2023-01-01",
         "weight": 8},
        {"source": "A", "target": "B", "type": "criticism", "start": "2023-09-12",
         "weight": -2},
        {"source": "B", "target": "A", "type": "criticism", "start": "2023-09-20",
         "weight": -2},
        {"source": "A", "target": "B", "type": "criticism", "start": "2023-10",
         "weight": -3},
    ]))
    scores = metrics.dyad_scores(tg, "M", directed=False).set_index("period")
    september = scores.loc[pd.Period("2023-09", "M")]
    assert (september["level"], september["flow"], september["score"]) == (8, -4, 4)
    daily = metrics.dyad_scores(tg, "D", directed=False)
    in_september = daily[(daily["period"] >= pd.Period("2023-09-01", "D"))
                         & (daily["period"] <= pd.Period("2023-09-30", "D"))]
    assert in_september["flow"].sum() / 30 == pytest.approx(-4)
    assert in_september.loc[in_september["flow"] < 0, "flow"].tolist() == [-60, -60]
    # a month-precision event spreads 1/31 of its weight over each day of October
    october = daily[daily["period"] >= pd.Period("2023-10-01", "D")]
    assert october["events"].to_numpy() == pytest.approx(1 / 31)
    monthly = scores.loc[pd.Period("2023-10", "M"), "flow"]
    assert monthly == pytest.approx(-3 * 30 / 31)
    assert october["flow"].mean() == pytest.approx(monthly)  # same rate at both resolutions
    yearly = metrics.dyad_scores(tg, "Y", directed=False).iloc[0]
    assert yearly["level"] == pytest.approx(8)  # in force all of 2023
    assert yearly["flow"] == pytest.approx(-7 * 30 / 365)


# ------------------------------------------------------------- every module agrees


def test_to_networkx_balance_and_dyad_scores_agree():
    tg = graphkit.load(DATA)
    window = tg.window("2023-01-01", "2024-01-01")
    graph = window.to_networkx(directed=False)
    scores = metrics.dyad_scores(tg, "Y", directed=False)
    year = scores[scores["period"] == pd.Period("2023", "Y")]
    assert len(year) == graph.number_of_edges()
    for row in year.itertuples():
        edge = graph[row.source][row.target]
        assert edge["weight"] == pytest.approx(row.score)
        assert edge["level"] == pytest.approx(row.level)
        assert edge["flow"] == pytest.approx(row.flow)
    table = balance.over_time(tg, "Y")
    got = table.set_index("period").loc[pd.Period("2023", "Y")]
    signed = year[year["score"].abs() > 1e-9]
    assert got["positive"] == (signed["score"] > 0).sum()
    assert got["negative"] == (signed["score"] < 0).sum()
    assert balance.frustration_index(window).value == got["frustration"]


def test_centrality_strength_is_the_sum_of_dyad_scores():
    tg = graphkit.load(DATA)
    for freq in ("W", "Y"):
        scores = metrics.dyad_scores(tg, freq, directed=False)
        strength = metrics.centrality(tg, freq, measures=["strength"])
        both = pd.concat([scores.rename(columns={"source": "entity"}),
                          scores.rename(columns={"target": "entity"})])
        expected = both.groupby(["period", "entity"])["score"].sum()
        got = strength.set_index(["period", "entity"])["strength"]
        np.testing.assert_allclose(got.reindex(expected.index), expected, atol=1e-9)


def test_weight_by_confidence_multiplies_weights():
    tg = graphkit.load(DATA)
    weighted = metrics.dyad_scores(tg, "Y", directed=False, weight_by="confidence")
    scaled = tg.relations.assign(
        weight=tg.relations["weight"] * tg.relations["confidence"], confidence=1.0)
    rescaled = graphkit.TemporalGraph(tg.entities, scaled.assign(
        signed_weight=scaled["sign"] * scaled["weight"].abs()), tg.vocabulary)
    expected = metrics.dyad_scores(rescaled, "Y", directed=False)
    np.testing.assert_allclose(weighted["score"], expected["score"], atol=1e-9)
    with pytest.raises(ValueError, match="weight_by"):
        metrics.dyad_scores(tg, weight_by="importance")


# ------------------------------------------------------------------ robustness


def _flip(extra_negative: int) -> graphkit.TemporalGraph:
    """A: meetings (+2.8 each) before; after, one large crafted hostile act (row 8 or
    later), or many small ones."""
    rows = [{"id": f"m{m}", "source": "A", "target": "B", "type": "meeting",
             "start": f"2022-0{m}-10"} for m in range(1, 7)]
    rows.append({"id": "m7", "source": "A", "target": "B", "type": "meeting",
                 "start": "2023-03-05"})
    if extra_negative == 1:
        rows.append({"id": "crafted", "source": "A", "target": "B", "type": "criticism",
                     "start": "2023-03-20", "weight": -4, "confidence": 0.9})
    else:
        rows += [{"id": f"c{d}", "source": "A", "target": "B", "type": "criticism",
                  "start": f"2023-03-{d:02d}", "weight": -2} for d in range(11, 31, 2)]
    return graphkit.TemporalGraph.from_frames(ENTITIES, pd.DataFrame(rows))


def test_a_flip_resting_on_one_relation_is_fragile_and_names_it():
    table = shifts.compare(_flip(1), ("2022-01-01", "2022-07-01"),
                           ("2023-03-01", "2023-04-01"))
    row = table.iloc[0]
    assert row["sign_flip"] and not row["robust"]
    assert row["rests_on"] == "crafted"
    line = shifts.narrate(_flip(1), table)[0]
    assert "fragile" in line and "crafted" in line


def test_a_flip_carried_by_many_relations_is_robust():
    table = shifts.compare(_flip(10), ("2022-01-01", "2022-07-01"),
                           ("2023-03-01", "2023-04-01"))
    row = table.iloc[0]
    assert row["sign_flip"] and row["robust"] and row["rests_on"] == ""
    assert row["ci_low"] <= row["change"] <= row["ci_high"] < 0
    assert "fragile" not in shifts.narrate(_flip(10), table)[0]


def test_low_confidence_relations_can_make_a_shift_fragile():
    rows = [{"id": f"x{i}", "source": "A", "target": "B", "type": "criticism",
             "start": f"2023-03-{10 + i}", "confidence": 0.3} for i in range(4)]
    rows.append({"id": "y", "source": "A", "target": "B", "type": "meeting",
                 "start": "2023-03-02"})
    tg = graphkit.TemporalGraph.from_frames(ENTITIES, pd.DataFrame(rows))
    with pytest.warns(shifts.GraphkitWarning, match="before range"):
        row = shifts.compare(tg, ("2022-01-01", "2022-02-01"),
                             ("2023-03-01", "2023-04-01")).iloc[0]
    assert row["change"] < 0 and not row["robust"]
    assert row["rests_on"].split(";") == ["x0", "x1", "x2", "x3"]


def test_bootstrap_is_seeded_and_settable():
    tg = graphkit.load(DATA)
    before, after = ("2020-11-10", "2023-07-01"), ("2023-09-01", "2023-10-01")
    a = shifts.compare(tg, before, after, n_boot=300, seed=4)
    b = shifts.compare(tg, before, after, n_boot=300, seed=4)
    pd.testing.assert_frame_equal(a, b)
    assert ((a["ci_low"] <= a["change"] + 1e-9) & (a["change"] <= a["ci_high"] + 1e-9)).all()
    none = shifts.compare(tg, before, after, n_boot=0)
    assert none["ci_low"].isna().all()
    ties_only = a[(a["flow_before"] == 0) & (a["flow_after"] == 0)]
    assert (ties_only["ci_low"] == ties_only["change"]).all()


def test_relation_ids_default_to_rows_and_must_be_unique():
    tg = graphkit.load(DATA)
    assert tg.relations["id"].is_unique
    frame = pd.DataFrame({"id": ["a", "a", ""], "source": "A", "target": "B",
                          "type": "meeting", "start": "2023"})
    with pytest.raises(graphkit.ValidationError) as caught:
        graphkit.TemporalGraph.from_frames(ENTITIES, frame)
    problems = caught.value.problems
    assert set(problems["column"]) == {"id"}
    assert sorted(problems["row"]) == [2, 3, 4]
    plain = graphkit.TemporalGraph.from_frames(ENTITIES, frame.drop(columns="id"))
    assert plain.relations["id"].tolist() == [2, 3, 4]


# --------------------------------------------------------------- change points


def _series(values) -> pd.DataFrame:
    periods = pd.period_range("2020-01", periods=len(values), freq="M")
    return pd.DataFrame({"period": periods, "source": "A", "target": "B", "score": values})


@pytest.mark.parametrize("at", [5, 17, 30])
def test_spikes_and_steps_are_dated_to_their_own_period(at):
    rng = np.random.default_rng(at)
    noise = rng.normal(0, 1, 40)
    spike = noise.copy()
    spike[at] += 12
    got = shifts.change_points(_series(spike))
    assert pd.Period("2020-01", "M") + at in set(got["period"])
    step = noise.copy()
    step[at:] += 8
    got = shifts.change_points(_series(step))
    assert got["period"].tolist() == [pd.Period("2020-01", "M") + at]
    clean = np.zeros(40)
    clean[at:] = -10  # a war that starts: a standing tie, no noise
    got = shifts.change_points(_series(clean))
    assert got["period"].tolist() == [pd.Period("2020-01", "M") + at]


def test_a_single_event_in_a_sparse_series_is_no_break():
    sparse = np.zeros(40)
    sparse[12] = -4
    sparse[25] = 3
    assert shifts.change_points(_series(sparse)).empty


# --------------------------------------------------------------------- defaults


@SETTINGS
@given(graphs(max_size=6), st.sampled_from(["W", "M", "Q"]))
def test_suggested_periods_are_always_valid(tg, freq):
    before, after = shifts.suggest_periods(tg, freq)
    for start, end in (before, after):
        assert pd.Timestamp(start) < pd.Timestamp(end)
    assert pd.Timestamp(before[1]) <= pd.Timestamp(after[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", shifts.GraphkitWarning)
        shifts.compare(tg, before, after, n_boot=20)


def test_one_relation_report(tmp_path):
    from graphkit.report import build_report

    tg = graphkit.TemporalGraph.from_frames(ENTITIES, pd.DataFrame([{
        "source": "A", "target": "B", "type": "criticism", "start": "2023-05-04"}]))
    with pytest.warns(shifts.GraphkitWarning, match="holds no relation"):
        report = build_report(tg, tmp_path / "report")
    assert (tmp_path / "report" / "index.html").exists()
    assert report.after == ("2023-05-01", "2023-06-01")


DATA = Path(__file__).resolve().parents[1] / "data" / "nagorno_karabakh"
