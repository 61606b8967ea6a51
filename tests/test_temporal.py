"""Time views: snapshot, window, periods, filter, to_networkx, ego."""

from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import graphkit
from graphkit.core.vocabulary import default_vocabulary

VOCAB = default_vocabulary()
TYPES = sorted(t.name for t in VOCAB)
IDS = ["A", "B", "C", "D", "E"]


def unit_bounds(text: str) -> tuple[dt.date, dt.date]:
    """Brute-force interval of a partial date, with the standard library only."""
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0] + 1, 1, 1)
    if len(parts) == 2:
        y, m = parts
        last = calendar.monthrange(y, m)[1]
        return dt.date(y, m, 1), dt.date(y, m, last) + dt.timedelta(days=1)
    day = dt.date(*parts)
    return day, day + dt.timedelta(days=1)


def brute_interval(row) -> tuple[dt.date, dt.date]:
    start, start_end = unit_bounds(row["start"])
    if row["end"]:
        return start, unit_bounds(row["end"])[1]
    if VOCAB[row["type"]].durable:
        return start, dt.date(9999, 12, 31)
    return start, start_end


@st.composite
def partial_date(draw, lo=2018, hi=2024):
    day = draw(st.dates(min_value=dt.date(lo, 1, 1), max_value=dt.date(hi, 12, 31)))
    precision = draw(st.sampled_from(["Y", "M", "D"]))
    return {"Y": f"{day.year}", "M": f"{day:%Y-%m}", "D": day.isoformat()}[precision]


@st.composite
def relation_tables(draw):
    n = draw(st.integers(min_value=0, max_value=25))
    rows = []
    for _ in range(n):
        source, target = draw(st.permutations(IDS))[:2]
        start = draw(partial_date())
        end = draw(st.one_of(st.just(""), partial_date()))
        if end and unit_bounds(end)[1] <= unit_bounds(start)[0]:
            end = ""
        rows.append({"source": source, "target": target, "type": draw(st.sampled_from(TYPES)),
                     "start": start, "end": end})
    relations = pd.DataFrame(rows, columns=["source", "target", "type", "start", "end"])
    entities = pd.DataFrame({"id": IDS, "name": IDS, "type": "state"})
    return graphkit.TemporalGraph.from_frames(entities, relations), rows


days = st.dates(min_value=dt.date(2017, 6, 1), max_value=dt.date(2026, 1, 1))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(relation_tables(), days)
def test_snapshot_equals_brute_force(table, day):
    tg, rows = table
    graph = tg.snapshot(day.isoformat())
    expected = {i for i, r in enumerate(rows)
                if brute_interval(r)[0] <= day < brute_interval(r)[1]}
    assert {k for _, _, k in graph.edges(keys=True)} == expected
    assert set(graph.nodes) == set(IDS)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(relation_tables(), days, st.integers(min_value=1, max_value=800))
def test_window_equals_brute_force(table, day, length):
    tg, rows = table
    end = day + dt.timedelta(days=length)
    got = tg.window(day.isoformat(), end.isoformat())
    expected = {i for i, r in enumerate(rows)
                if brute_interval(r)[0] < end and brute_interval(r)[1] > day}
    assert set(got.relations.index) == expected
    assert isinstance(got, graphkit.TemporalGraph)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(relation_tables(), st.sampled_from(["M", "Q", "Y"]), st.sampled_from([None, 1, 3]))
def test_periods_equal_windows(table, freq, window):
    """Each period's view holds what a window over its bounds holds: the relations whose
    brute-force interval overlaps them (test_window_equals_brute_force ties the two)."""
    tg, rows = table
    if tg.relations.empty:
        return
    bounds = tg.period_table(freq, window=window)
    assert bounds["start"].is_monotonic_increasing
    intervals = [brute_interval(r) for r in rows]
    views = tg.periods(freq, window=window)
    for (label, view), row in zip(views, bounds.itertuples(), strict=True):
        assert label == row.period
        start, end = row.start.date(), row.end.date()
        assert (row.start, row.end) == (pd.Timestamp(start), pd.Timestamp(end))
        expected = {i for i, (a, b) in enumerate(intervals) if a < end and b > start}
        assert set(view.relations.index) == expected


def test_snapshot_lookback_and_decay(small_frames):
    tg = graphkit.TemporalGraph.from_frames(*small_frames)
    plain = tg.snapshot("2023-10-15")
    assert {d["type"] for *_, d in plain.edges(data=True)} == {"membership", "alliance",
                                                               "peacekeeping"}
    recent = tg.snapshot("2023-10-15", lookback="30D")
    assert {d["type"] for *_, d in recent.edges(data=True)} >= {"aid", "military_action"}
    decayed = tg.snapshot("2023-10-26", half_life="30D")
    aid = next(d for *_, d in decayed.edges(data=True) if d["type"] == "aid")
    assert aid["decay"] == pytest.approx(0.5)
    assert aid["decayed_weight"] == pytest.approx(aid["signed_weight"] / 2)
    alliance = next(d for *_, d in decayed.edges(data=True) if d["type"] == "alliance")
    assert alliance["decay"] == 1.0
    assert decayed.nodes["ARM"]["name"] == "Armenia"


def test_partial_month_event_is_active_all_month(small_frames):
    tg = graphkit.TemporalGraph.from_frames(*small_frames)
    crit = tg.relations.index[(tg.relations["type"] == "criticism")
                              & (tg.relations["start"] == "2023-09")][0]
    for day in ("2023-09-01", "2023-09-30"):
        assert crit in tg.at(day).relations.index
    assert crit not in tg.at("2023-10-01").relations.index


def test_filter(small_frames):
    tg = graphkit.TemporalGraph.from_frames(*small_frames)
    assert set(tg.filter(types=["criticism"]).relations["type"]) == {"criticism"}
    pair = tg.filter(entities=["Yerevan", "moscow"])
    assert set(pair.entities["id"]) == {"ARM", "RUS"}
    assert set(pair.relations[["source", "target"]].stack()) == {"ARM", "RUS"}
    assert len(tg.filter(min_confidence=1.0)) == len(tg)
    with pytest.raises(KeyError, match="Atlantis"):
        tg.filter(entities=["Atlantis"])
    with pytest.raises(KeyError, match="teleport"):
        tg.filter(types=["teleport"])


def test_to_networkx_aggregates_by_the_sign_of_the_sum(small_frames):
    tg = graphkit.TemporalGraph.from_frames(*small_frames)
    september = tg.window("2023-09-01", "2023-10-01")  # 30 days: flows are the weights
    directed = september.to_networkx(directed=True)
    # alliance (+8, undirected) counts in both directions
    assert directed["ARM"]["RUS"]["weight"] == pytest.approx(8.0 - 2.0)
    assert directed["RUS"]["ARM"]["weight"] == pytest.approx(8.0 + 8.5 - 3.0)
    undirected = september.to_networkx(directed=False)
    edge = undirected["ARM"]["RUS"]
    assert edge["weight"] == pytest.approx(8.0 - 2.0 + 8.5 - 3.0)
    assert (edge["level"], edge["flow"]) == (pytest.approx(16.5), pytest.approx(-5.0))
    assert edge["count"] == 4
    # over two months the standing ties keep their level, the events' flow halves
    two = tg.window("2023-09-01", "2023-10-31").to_networkx(directed=False)["ARM"]["RUS"]
    assert (two["level"], two["flow"]) == (pytest.approx(16.5), pytest.approx(-5.0 * 30 / 60))
    # the whole graph is measured over its span (2 June 1997 ... 30 September 2023)
    whole = tg.to_networkx(directed=False)["ARM"]["RUS"]
    assert whole["level"] < 16.5 and whole["flow"] > -0.1
    assert undirected["ARM"]["AZE"]["sign"] == -1
    undirected = tg.to_networkx(directed=False)
    assert undirected["ARM"]["RUS"]["types"] == ["alliance", "criticism", "peacekeeping"]
    multi = tg.to_networkx(directed=False, aggregate=False)
    assert isinstance(multi, nx.MultiGraph)
    assert multi.number_of_edges() == len(tg)


def test_ego(small_frames):
    tg = graphkit.TemporalGraph.from_frames(*small_frames)
    ego = tg.ego("Baku", radius=1)
    assert set(ego.nodes) == {"AZE", "ARM"}
    assert set(tg.ego("AZE", radius=2).nodes) == {"AZE", "ARM", "RUS", "CSTO", "USA"}
    assert set(tg.ego("USA", at="2023-01-01").nodes) == {"USA"}


def test_period_bounds_rolling():
    bounds = graphkit.core.timespec.period_bounds(pd.Timestamp("2023-01-15"),
                                             pd.Timestamp("2023-04-02"), "M", window=3)
    assert list(bounds["start"].dt.strftime("%Y-%m-%d")) == [
        "2023-01-01", "2023-01-01", "2023-01-01", "2023-02-01"]
    assert list(bounds["end"].dt.strftime("%Y-%m-%d")) == [
        "2023-02-01", "2023-03-01", "2023-04-01", "2023-05-01"]
    with pytest.raises(ValueError, match="freq"):
        graphkit.core.timespec.period_bounds(pd.Timestamp("2023"), pd.Timestamp("2024"), "H")


def test_display(small_frames):
    tg = graphkit.TemporalGraph.from_frames(*small_frames)
    assert "entities=5" in repr(tg)
    html = tg._repr_html_()
    assert "<table>" in html and "criticism" in html


def test_empty_tables_make_an_empty_graph_every_view_accepts():
    entities = pd.DataFrame(columns=["id", "name", "type", "aliases"])
    relations = pd.DataFrame(columns=["source", "target", "type", "start"])
    tg = graphkit.TemporalGraph.from_frames(entities, relations)
    assert (len(tg.entities), len(tg.relations)) == (0, 0)
    assert tg.snapshot("2020-01-01").number_of_edges() == 0
    assert graphkit.analysis.metrics.dyad_scores(tg, "M", half_life="90D").empty
    with pytest.raises(ValueError, match="no relations"):
        tg.span  # noqa: B018


def test_only_unknown_references_are_all_reported():
    entities = pd.DataFrame({"id": ["A"], "name": ["a"], "type": ["state"], "aliases": [""]})
    relations = pd.DataFrame({"source": ["X"], "target": ["Y"], "type": ["alliance"],
                              "start": ["2020"]})
    with pytest.raises(graphkit.ValidationError) as err:
        graphkit.TemporalGraph.from_frames(entities, relations)
    problems = err.value.problems
    assert list(zip(problems["column"], problems["value"], strict=True)) == [
        ("source", "X"), ("target", "Y")]


def test_an_aligned_window_measures_its_periods_as_the_whole_graph_does():
    tg = graphkit.load(Path(__file__).resolve().parents[1] / "data" / "nagorno_karabakh")
    view = tg.window("2020-11-10", "2023-07-01", align="M")
    assert view.bounds == (pd.Timestamp("2020-11-01"), pd.Timestamp("2023-07-01"))
    table = view.period_table("M")
    assert (table["period"].iloc[0], table["period"].iloc[-1]) == (
        pd.Period("2020-11", "M"), pd.Period("2023-06", "M"))
    whole = graphkit.analysis.metrics.dyad_scores(tg, "M", directed=False)
    inside = whole[(whole["period"] >= pd.Period("2020-11", "M"))
                   & (whole["period"] <= pd.Period("2023-06", "M"))]
    part = graphkit.analysis.metrics.dyad_scores(view, "M", directed=False)
    pd.testing.assert_frame_equal(part.reset_index(drop=True), inside.reset_index(drop=True))
