"""Metrics over time: centrality and dyad scores equal a brute force per period."""

from __future__ import annotations

import os
from collections import defaultdict
from functools import lru_cache

import brute
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import partial_date

import graphkit
import graphkit.model.measure
from graphkit.analysis import metrics
from graphkit.analysis.aggregate import QUAD_COLUMNS, expand
from graphkit.core.vocabulary import default_vocabulary

VOCAB = default_vocabulary()
TYPES = sorted(t.name for t in VOCAB)
IDS = ["A", "B", "C", "D", "E", "F"]
# GRAPHKIT_EXAMPLES=500 for a longer search
SETTINGS = settings(max_examples=int(os.environ.get("GRAPHKIT_EXAMPLES", 40)),
                    suppress_health_check=[HealthCheck.too_slow], deadline=None)


# --------------------------------------------------------------------- strategies


@st.composite
def graphs(draw, min_size=1, max_size=30, ongoing=True):
    n = draw(st.integers(min_value=min_size, max_value=max_size))
    rows = []
    for _ in range(n):
        source, target = draw(st.permutations(IDS))[:2]
        type_ = draw(st.sampled_from(TYPES))
        start = draw(partial_date())
        end = draw(st.one_of(st.just(""), partial_date()))
        if end and end < start:
            start, end = end, start
        if not end and VOCAB[type_].durable and not ongoing:
            end = "2023-12"
        rows.append({
            "source": source, "target": target, "type": type_, "start": start, "end": end,
            "weight": draw(st.sampled_from(["", "", "0", "1.5", "-3.25", "7"])),
            "directed": draw(st.sampled_from(["", "true", "false"])),
            "quad_class": draw(st.sampled_from(["", "", "0", "1", "2", "3", "4"])),
        })
    relations = pd.DataFrame(rows)
    entities = pd.DataFrame({"id": IDS, "name": IDS, "type": "state"})
    return graphkit.TemporalGraph.from_frames(entities, relations)


# ------------------------------------------------------------------- brute force


def period_rows(tg, freq, window):
    """(period, start, end, relations overlapping [start, end)) of each period.

    The relations are plain records read once per graph and selected by the overlap
    rule in Python (not with graphkit's window), so the brute force shares no code with
    the time views it checks.
    """
    records = list(tg.relations.itertuples())
    table = tg.period_table(freq, window=window)
    for label, start, end in zip(table["period"], table["start"], table["end"], strict=True):
        yield label, start, end, [r for r in records if r.t_start < end and r.t_end > start]


def dyad_keys(r, directed: bool) -> list[tuple[str, str]]:
    if not directed:
        return [tuple(sorted((r.source, r.target)))]
    return [(r.source, r.target)] + ([] if r.directed else [(r.target, r.source)])


def brute_weights(records, start, end, directed, half_life=None):
    """{pair: score} of every pair over [start, end), decayed with a half-life (pairs
    with a relation starting before ``end``, as the filled decayed table has them).

    ``records`` are all the relations (``itertuples`` rows); without a half-life only
    those overlapping the range count.
    """
    out = defaultdict(float)
    if half_life is None:
        for r in records:
            if r.t_start < end and r.t_end > start:
                level, flow, _ = brute.part(r, start, end)
                for key in dyad_keys(r, directed):
                    out[key] += level + flow
        return out
    seconds = graphkit.core.timespec.half_life_seconds(half_life)
    by_pair = defaultdict(list)
    for r in records:
        if r.t_start < end:
            for key in dyad_keys(r, directed):
                by_pair[key].append(r)
    for key, rels in by_pair.items():
        out[key] = (sum(brute.part(r, start, end)[0] for r in rels)
                    + brute.decayed_flow(rels, end, seconds))
    return out


# networkx on the same few edges gives the same answer: each distinct graph (nodes IDS,
# edges with their exact weights) is solved once. Periods without a change repeat them.
@lru_cache(maxsize=4096)
def betweenness_of(edges: frozenset) -> dict[str, float]:
    every = nx.Graph()
    every.add_nodes_from(IDS)
    every.add_edges_from(edges)
    return nx.betweenness_centrality(every)


@lru_cache(maxsize=4096)
def pagerank_of(edges: tuple) -> dict[str, float]:
    coop = nx.DiGraph()
    coop.add_nodes_from(IDS)
    coop.add_weighted_edges_from(edges)
    return nx.pagerank(coop, weight="weight", tol=1e-14, max_iter=10000)


@lru_cache(maxsize=4096)
def eigenvector_of(edges: tuple) -> dict[str, float]:
    coop_und = nx.Graph()
    coop_und.add_nodes_from(IDS)
    coop_und.add_weighted_edges_from(edges)
    if coop_und.size(weight="weight") <= 0:
        return dict.fromkeys(IDS, 0.0)
    # Scaling the weights leaves the eigenvector alone; it keeps networkx's shift by I
    # from slowing its iteration when (decayed) weights are tiny.
    top = max(d for _, d in coop_und.degree(weight="weight"))
    scaled = nx.Graph()
    scaled.add_nodes_from(IDS)
    scaled.add_weighted_edges_from((a, b, w / top) for a, b, w in coop_und.edges(data="weight"))
    try:
        return nx.eigenvector_centrality(scaled, weight="weight", max_iter=20000, tol=1e-14)
    except nx.PowerIterationFailedConvergence:  # nearly equal leading eigenvalues
        return limit_of_power_iteration(scaled)


def brute_centrality(tg, freq="M", window=None, half_life=None, weighted=True):
    rows = []
    records = list(tg.relations.itertuples())
    for label, start, end, active in period_rows(tg, freq, window):
        und, out_, in_ = defaultdict(set), defaultdict(set), defaultdict(set)
        pos, neg = defaultdict(set), defaultdict(set)
        every = set()
        for r in active:
            s, t = r.source, r.target
            und[s].add(t)
            und[t].add(s)
            out_[s].add(t)
            in_[t].add(s)
            if not r.directed:
                out_[t].add(s)
                in_[s].add(t)
            if r.sign > 0:
                pos[s].add(t)
                pos[t].add(s)
            if r.sign < 0:
                neg[s].add(t)
                neg[t].add(s)
            every.add(tuple(sorted((s, t))))
        directed = brute_weights(records, start, end, True, half_life)
        undirected = brute_weights(records, start, end, False, half_life)
        strength, out_s, in_s = defaultdict(float), defaultdict(float), defaultdict(float)
        for (a, b), w in undirected.items():
            strength[a] += w
            strength[b] += w
        for (a, b), w in directed.items():
            out_s[a] += w
            in_s[b] += w
        between = betweenness_of(frozenset(every))
        pagerank = pagerank_of(tuple(sorted((a, b, w if weighted else 1.0)
                                            for (a, b), w in directed.items() if w > 1e-12)))
        eigen = eigenvector_of(tuple(sorted((a, b, w if weighted else 1.0)
                                            for (a, b), w in undirected.items() if w > 1e-12)))
        for e in IDS:
            rows.append({
                "period": label, "entity": e, "degree": len(und[e]),
                "in_degree": len(in_[e]), "out_degree": len(out_[e]),
                "positive_degree": len(pos[e]), "negative_degree": len(neg[e]),
                "strength": strength[e], "in_strength": in_s[e], "out_strength": out_s[e],
                "betweenness": between[e], "pagerank": pagerank[e], "eigenvector": eigen[e],
            })
    return pd.DataFrame(rows)


def limit_of_power_iteration(graph: nx.Graph) -> dict[str, float]:
    """Where networkx's iteration on A + I from ones goes: ones projected on the top
    eigenspace (eigenvalues within 1e-9 of the largest count as equal), normalised."""
    matrix = nx.to_numpy_array(graph, nodelist=IDS, weight="weight")
    values, vectors = np.linalg.eigh(matrix)
    top = vectors[:, values >= values[-1] * (1 - 1e-9)]
    x = np.abs(top @ (top.T @ np.ones(len(IDS))))
    return dict(zip(IDS, x / np.linalg.norm(x), strict=True))


def brute_dyads(tg, freq="M", window=None, half_life=None, directed=True):
    table = tg.period_table(freq, window=window)
    records = list(tg.relations.itertuples())
    per = defaultdict(dict)
    for label, start, end, active in period_rows(tg, freq, window):
        for r in active:
            level, flow, share = brute.part(r, start, end)
            for key in dyad_keys(r, directed):
                cell = per[key].setdefault(label, defaultdict(float))
                cell["level"] += level
                cell["flow"] += flow
                cell["ties" if r.durable else "events"] += share
                cell[{1: "positive", -1: "negative", 0: "neutral"}[int(r.sign)]] += share
                if r.quad_class in QUAD_COLUMNS:
                    cell[QUAD_COLUMNS[r.quad_class]] += share
    rows = []
    for (s, t), cells in per.items():
        mine = [r for r in records if (s, t) in dyad_keys(r, directed)]
        for label, end in zip(table["period"], table["end"], strict=True):
            cell = cells.get(label)
            if cell is None:
                continue
            row = {"period": label, "source": s, "target": t,
                   "score": cell["level"] + cell["flow"], "level": cell["level"],
                   "flow": cell["flow"], "count": cell["events"] + cell["ties"]}
            for c in ["events", "ties", "positive", "negative", "neutral",
                      *QUAD_COLUMNS.values()]:
                row[c] = cell[c]
            if half_life is not None:
                seconds = graphkit.core.timespec.half_life_seconds(half_life)
                row["decayed_flow"] = brute.decayed_flow(mine, end, seconds)
                row["decayed"] = row["level"] + row["decayed_flow"]
            rows.append(row)
    return pd.DataFrame(rows)


def assert_same(got: pd.DataFrame, expected: pd.DataFrame, keys, atol=1e-9):
    assert list(got.columns)[: len(keys)] == keys
    got = got.sort_values(keys, ignore_index=True)
    expected = expected.sort_values(keys, ignore_index=True)[list(got.columns)]
    assert len(got) == len(expected)
    for column in got.columns:
        if column in keys:
            assert list(got[column].astype(str)) == list(expected[column].astype(str)), column
        elif pd.api.types.is_integer_dtype(got[column]):
            np.testing.assert_array_equal(got[column].to_numpy(),
                                          expected[column].to_numpy(dtype=np.int64), column)
        else:
            np.testing.assert_allclose(got[column].to_numpy(dtype=float),
                                       expected[column].to_numpy(dtype=float),
                                       atol=atol, rtol=1e-9, err_msg=column)


# ------------------------------------------------------------------------- tests


def test_expand_matches_overlap_rule():
    rng = np.random.default_rng(0)
    starts = np.sort(rng.choice(1000, size=30, replace=False)).astype(np.int64)
    ends = np.append(starts[1:], 1100)
    lagged = np.maximum(np.roll(starts, 2), starts[0])  # a rolling window of 3
    lagged[:2] = starts[0]
    t0 = rng.integers(-50, 1150, size=200)
    t1 = t0 + rng.integers(1, 300, size=200)
    for s in (starts, lagged):
        period, row = expand(t0, t1, s, ends)
        got = set(zip(period.tolist(), row.tolist(), strict=True))
        expected = {(p, r) for r in range(200) for p in range(30)
                    if t0[r] < ends[p] and t1[r] > s[p]}
        assert got == expected


@SETTINGS
@given(graphs(max_size=20, ongoing=False), st.sampled_from(["M", "Q", "Y"]),
       st.sampled_from([None, 1, 3]), st.sampled_from([None, "45D"]))
def test_centrality_equals_brute_force(tg, freq, window, half_life):
    got = metrics.centrality(tg, freq, measures=list(metrics.CENTRALITY_MEASURES),
                             window=window, half_life=half_life)
    expected = brute_centrality(tg, freq, window, half_life)
    assert_same(got, expected, ["period", "entity"], atol=1e-8)


@SETTINGS
@given(graphs(max_size=25), st.sampled_from(["Q", "Y"]))
def test_centrality_unweighted_with_ongoing_relations(tg, freq):
    got = metrics.centrality(tg, freq, measures=["degree", "pagerank", "eigenvector"],
                             weighted=False)
    expected = brute_centrality(tg, freq, weighted=False)
    assert_same(got, expected, ["period", "entity"], atol=1e-8)


@SETTINGS
@given(graphs(max_size=25), st.sampled_from(["M", "Q", "Y"]), st.sampled_from([None, 2]),
       st.sampled_from([None, "30D", "400D"]), st.booleans())
def test_dyad_scores_equal_brute_force(tg, freq, window, half_life, directed):
    got = metrics.dyad_scores(tg, freq, half_life=half_life, directed=directed, window=window)
    expected = brute_dyads(tg, freq, window, half_life, directed)
    assert_same(got, expected, ["period", "source", "target"])


def test_pagerank_matches_networkx_on_a_larger_graph():
    rng = np.random.default_rng(7)
    ids = [f"E{i:02d}" for i in range(60)]
    n = 3000
    src = rng.integers(0, 60, n)
    dst = (src + rng.integers(1, 60, n)) % 60
    days = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    relations = pd.DataFrame({
        "source": np.array(ids)[src], "target": np.array(ids)[dst],
        "type": rng.choice(["meeting", "aid", "criticism", "cooperation"], n),
        "start": days.strftime("%Y-%m-%d"), "weight": rng.uniform(0.5, 9, n).round(2),
    })
    tg = graphkit.TemporalGraph.from_frames(
        pd.DataFrame({"id": ids, "name": ids, "type": "state"}), relations)
    got = metrics.centrality(tg, "Q", measures=["pagerank", "eigenvector"])
    table = tg.period_table("Q")
    for (label, view), (_, part), start, end in zip(
            tg.periods("Q"), got.groupby("period"), table["start"], table["end"], strict=True):
        records = list(view.relations.itertuples())
        graph = nx.DiGraph()  # ties with a positive score, weighted by it
        graph.add_nodes_from(ids)
        graph.add_weighted_edges_from(
            (a, b, w) for (a, b), w in brute_weights(records, start, end, True).items() if w > 0)
        # networkx's default stop (L1 change < N * 1e-6) leaves errors near 1e-6 at N=60
        expected = nx.pagerank(graph, weight="weight", tol=1e-12)
        np.testing.assert_allclose(part["pagerank"], [expected[e] for e in ids], atol=1e-9)
        rough = nx.pagerank(graph, weight="weight")
        np.testing.assert_allclose(part["pagerank"], [rough[e] for e in ids], atol=1e-5)
        und = nx.Graph()  # each relation once
        und.add_nodes_from(ids)
        und.add_weighted_edges_from(
            (a, b, w) for (a, b), w in brute_weights(records, start, end, False).items() if w > 0)
        expected = nx.eigenvector_centrality(und, weight="weight", tol=1e-12, max_iter=10000)
        np.testing.assert_allclose(part["eigenvector"], [expected[e] for e in ids], atol=1e-8)
        assert label == part["period"].iloc[0]
        assert part["pagerank"].sum() == pytest.approx(1.0)
    assert (got["eigenvector"] >= 0).all()


def _events(rows):
    entities = pd.DataFrame({"id": ["A", "B", "C"], "name": ["A", "B", "C"], "type": "state"})
    return graphkit.TemporalGraph.from_frames(entities, pd.DataFrame(rows))


def test_decay_is_carried_across_empty_periods():
    tg = _events([
        {"source": "A", "target": "B", "type": "aid", "start": "2023-01-10", "weight": 8},
        {"source": "A", "target": "B", "type": "aid", "start": "2023-04-02", "weight": 2},
        {"source": "B", "target": "C", "type": "aid", "start": "2023-02-02", "weight": 1},
    ])
    got = metrics.dyad_scores(tg, "M", half_life="30D")
    ab = got[(got.source == "A") & (got.target == "B")].set_index("period")
    assert list(ab.index.astype(str)) == ["2023-01", "2023-04"]

    def at(day: str, weight: float, end: str) -> float:
        # one day's weight, decayed to ``end``, as a rate per 30 days
        age = (pd.Timestamp(end) - pd.Timestamp(day)).days
        return weight * 30 * (0.5 ** ((age - 1) / 30) - 0.5 ** (age / 30))

    assert ab.loc[pd.Period("2023-04", "M"), "decayed"] == pytest.approx(
        at("2023-01-10", 8, "2023-05-01") + at("2023-04-02", 2, "2023-05-01"))

    full = metrics.dyad_scores(tg, "M", half_life="30D", fill="all")
    ab = full[(full.source == "A") & (full.target == "B")].set_index("period")["decayed"]
    assert list(ab.index.astype(str)) == ["2023-01", "2023-02", "2023-03", "2023-04"]
    assert ab.iloc[1] == pytest.approx(ab.iloc[0] * 0.5 ** (28 / 30))
    assert ab.iloc[2] == pytest.approx(ab.iloc[0] * 0.5 ** (59 / 30))
    assert ab.iloc[0] > ab.iloc[1] > ab.iloc[2]
    quiet = full[(full.source == "A") & (full.target == "B") & (full["count"] == 0)]
    assert (quiet["score"] == 0).all() and (quiet["flow"] == 0).all()
    # the filled table's active rows are the default table
    active = full[full["count"] > 0].reset_index(drop=True)
    pd.testing.assert_frame_equal(active, got)


@SETTINGS
@given(graphs(max_size=25), st.sampled_from(["M", "Y"]))
def test_undirected_is_the_sum_of_both_directions(tg, freq):
    # with every relation directed, the undirected table sums the two directions
    rel = tg.relations.assign(directed=True)
    tg = graphkit.TemporalGraph(tg.entities, rel)
    directed = metrics.dyad_scores(tg, freq, half_life="60D")
    undirected = metrics.dyad_scores(tg, freq, half_life="60D", directed=False)
    lo = np.minimum(directed["source"], directed["target"])
    hi = np.maximum(directed["source"], directed["target"])
    columns = ["score", "level", "flow", "count", "events", "ties", "positive", "negative",
               "neutral", *QUAD_COLUMNS.values()]
    summed = directed.assign(source=lo, target=hi).groupby(
        ["period", "source", "target"], as_index=False)[columns].sum()
    pd.testing.assert_frame_equal(
        undirected[["period", "source", "target", *columns]].astype({"source": object,
                                                                     "target": object}),
        summed.astype({"source": object, "target": object}), check_dtype=False,
        check_exact=False, rtol=1e-9, atol=1e-9)


def test_undirected_relation_counts_once_undirected_and_twice_directed():
    tg = _events([{"source": "B", "target": "A", "type": "meeting", "start": "2023-01-10"}])
    directed = metrics.dyad_scores(tg, "M")
    assert set(zip(directed.source, directed.target, strict=True)) == {("A", "B"), ("B", "A")}
    undirected = metrics.dyad_scores(tg, "M", directed=False)
    assert list(zip(undirected.source, undirected.target, strict=True)) == [("A", "B")]
    assert undirected["count"].tolist() == [1]
    assert undirected["verbal_cooperation"].tolist() == [1]


def test_types_filter_equals_filtered_graph():
    tg = graphkit.load(graphkit_data())
    kept = ["criticism", "military_action", "aid", "alliance"]
    for function in (metrics.centrality, metrics.dyad_scores):
        got = function(tg, "Y", types=kept)
        pd.testing.assert_frame_equal(got, function(tg.filter(types=kept), "Y"))
    assert metrics.dyad_scores(tg, "Y", types="aid")["positive"].max() >= 1
    with pytest.raises(KeyError, match="no_such_type"):
        metrics.centrality(tg, types=["no_such_type"])


def test_window_sums_consecutive_periods():
    tg = _events([
        {"source": "A", "target": "B", "type": "criticism", "start": "2023-01-10"},
        {"source": "A", "target": "B", "type": "criticism", "start": "2023-03-10"},
    ])
    rolling = metrics.dyad_scores(tg, "M", window=2)
    assert rolling.set_index("period")["count"].to_dict() == {
        pd.Period("2023-01", "M"): 1, pd.Period("2023-02", "M"): 1,
        pd.Period("2023-03", "M"): 1}
    # a window's flow is its events' weight per 30 days of the whole window
    assert rolling["flow"].tolist() == pytest.approx([-2 * 30 / 31, -2 * 30 / 59,
                                                      -2 * 30 / 59])
    wide = metrics.centrality(tg, "M", window=3, measures=["out_degree", "out_strength"])
    a = wide[wide.entity == "A"].set_index("period")
    assert a["out_strength"].tolist() == pytest.approx([-2 * 30 / 31, -2 * 30 / 59,
                                                        -4 * 30 / 90])
    assert a["out_degree"].tolist() == [1, 1, 1]


def test_every_entity_every_period():
    tg = _events([
        {"source": "A", "target": "B", "type": "aid", "start": "2023-01-10"},
        {"source": "A", "target": "B", "type": "aid", "start": "2023-03-10"},
    ])
    got = metrics.centrality(tg, "M")
    assert len(got) == 3 * 3
    february = got[got.period == pd.Period("2023-02", "M")]
    assert february[["degree", "strength", "eigenvector"]].eq(0).all().all()
    assert february["pagerank"].tolist() == pytest.approx([1 / 3] * 3)
    assert got.groupby("period")["pagerank"].sum().tolist() == pytest.approx([1, 1, 1])
    assert list(got.columns) == ["period", "entity", *metrics.DEFAULT_MEASURES]
    assert got["degree"].dtype == np.int64


def test_pagerank_of_an_entity_without_cooperative_ties_is_the_baseline():
    """Documented in ``centrality``: an entity without cooperative ties keeps a row with
    the teleport baseline plus its share of the dangling mass, not NaN."""
    tg = _events([
        {"source": "A", "target": "B", "type": "aid", "start": "2023-01-10", "weight": 2},
        {"source": "B", "target": "C", "type": "criticism", "start": "2023-01-12",
         "weight": -3},
    ])
    got = metrics.centrality(tg, "M", measures=["degree", "pagerank"], alpha=0.85,
                             tol=1e-14).set_index("entity")
    # B receives A's tie and dangles; C only has a hostile tie, so it dangles too.
    x_a = got.loc["A", "pagerank"]
    x_b, x_c = got.loc["B", "pagerank"], got.loc["C", "pagerank"]
    dangling = x_b + x_c
    assert x_c == pytest.approx(0.15 / 3 + 0.85 * dangling / 3, abs=1e-12)
    assert x_a == pytest.approx(x_c, abs=1e-12)  # neither receives a cooperative tie
    assert got.loc["C", "degree"] == 1
    assert got["pagerank"].sum() == pytest.approx(1.0)
    assert got["pagerank"].notna().all()


def test_a_registered_measure_is_computed_by_centrality():
    from graphkit.analysis.centrality import registry

    @registry.register("test_partners_or_none", integer=True, default=False)
    def partners_or_none(ctx):
        return np.where(registry.MEASURES["degree"](ctx) > 0, 1.0, 0.0)

    try:
        tg = _events([{"source": "A", "target": "B", "type": "aid", "start": "2023-01-10"},
                      {"source": "B", "target": "C", "type": "aid", "start": "2023-03-10"}])
        assert "test_partners_or_none" not in metrics.centrality(tg, "M").columns
        got = metrics.centrality(tg, "M", measures=["degree", "test_partners_or_none"])
        assert got["test_partners_or_none"].dtype == np.int64
        assert got["test_partners_or_none"].tolist() == (got["degree"] > 0).astype(int).tolist()
        empty = metrics.centrality(tg, types=["alliance"], measures="test_partners_or_none")
        assert empty["test_partners_or_none"].dtype == np.int64
        with pytest.raises(ValueError, match="already registered"):
            registry.register("test_partners_or_none")(partners_or_none)
    finally:
        del registry.MEASURES["test_partners_or_none"]
    with pytest.raises(ValueError, match="unknown measures: test_partners_or_none"):
        metrics.centrality(tg, measures=["test_partners_or_none"])


def test_registry_metadata_matches_the_public_tuples_and_dtypes():
    from graphkit.analysis.centrality import MEASURES

    assert tuple(MEASURES) == metrics.CENTRALITY_MEASURES
    assert tuple(m for m in MEASURES if m != "betweenness") == metrics.DEFAULT_MEASURES
    directed = {name for name, m in MEASURES.items() if m.directed}
    assert directed == {"in_degree", "out_degree", "in_strength", "out_strength", "pagerank"}
    tg = _events([{"source": "A", "target": "B", "type": "aid", "start": "2023-01-10"}])
    got = metrics.centrality(tg, "M", measures=list(MEASURES))
    for name, m in MEASURES.items():
        assert got[name].dtype == (np.int64 if m.integer else np.float64), name
    assert {n for n, m in MEASURES.items() if m.integer} == {
        "degree", "in_degree", "out_degree", "positive_degree", "negative_degree"}


def test_bad_arguments():
    tg = _events([{"source": "A", "target": "B", "type": "aid", "start": "2023-01-10"}])
    with pytest.raises(ValueError, match="unknown measures"):
        metrics.centrality(tg, measures=["closeness"])
    with pytest.raises(ValueError, match="freq"):
        metrics.dyad_scores(tg, "H")
    with pytest.raises(ValueError, match="half_life"):
        metrics.dyad_scores(tg, half_life="-3D")
    with pytest.raises(ValueError, match="fill"):
        metrics.dyad_scores(tg, fill="some")
    empty = metrics.dyad_scores(tg, types=["alliance"])
    assert empty.empty and {"score", "level", "flow"} <= set(empty.columns)
    assert metrics.centrality(tg, types=["alliance"]).empty


def graphkit_data():
    from pathlib import Path

    return Path(__file__).resolve().parents[1] / "data" / "nagorno_karabakh"
