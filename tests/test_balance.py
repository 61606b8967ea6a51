"""Structural balance: triangle census, frustration index, blocs, over time, CLI.

Every algorithm is checked against brute force on small random signed graphs, and on
the real signed networks in ``../shared/datasets/signed`` against published values.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

import graphkit
from graphkit.analysis import frustration as _frustration
from graphkit.analysis.balance import (
    CENSUS_KEYS,
    BlocsResult,
    FrustrationResult,
    blocs,
    frustration_index,
    over_time,
    signed_graph,
    triangle_census,
    triangle_index,
)
from graphkit.cli import main

# ---------------------------------------------------------------- brute force


def random_signed(rng: np.random.Generator, n: int, density: float, negative: float,
                  labels=None) -> nx.Graph:
    G = nx.Graph()
    names = labels or list(range(n))
    G.add_nodes_from(names)
    for a, b in itertools.combinations(names, 2):
        if rng.random() < density:
            G.add_edge(a, b, sign=-1 if rng.random() < negative else 1)
    return G


def random_graphs(count: int, seed: int, max_nodes: int = 10):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        n = int(rng.integers(1, max_nodes + 1))
        yield random_signed(rng, n, rng.uniform(0.15, 0.95), rng.uniform(0.0, 0.9))


def frustrated_by(G: nx.Graph, partition: dict) -> set[frozenset]:
    return {frozenset((a, b)) for a, b, d in G.edges(data=True)
            if (partition[a] != partition[b]) == (d["sign"] > 0)}


def all_bipartitions(G: nx.Graph) -> tuple[list, np.ndarray]:
    """Nodes, and for every partition into two camps the number of frustrated ties."""
    nodes = sorted(G)
    index = {x: i for i, x in enumerate(nodes)}
    n = len(nodes)
    camps = (np.arange(2 ** n)[:, None] >> np.arange(n)) & 1
    u = np.array([index[a] for a, b in G.edges()], dtype=int)
    v = np.array([index[b] for a, b in G.edges()], dtype=int)
    s = np.array([d["sign"] for *_, d in G.edges(data=True)])
    differ = camps[:, u] != camps[:, v]
    return camps, np.where(s > 0, differ, ~differ).sum(axis=1)


def brute_frustration(G: nx.Graph) -> int:
    return int(all_bipartitions(G)[1].min()) if G.number_of_edges() else 0


def brute_census(G: nx.Graph) -> dict[str, int]:
    counts = dict.fromkeys(CENSUS_KEYS, 0)
    for a, b, c in itertools.combinations(G, 3):
        if G.has_edge(a, b) and G.has_edge(b, c) and G.has_edge(a, c):
            negatives = sum(G[x][y]["sign"] < 0 for x, y in ((a, b), (b, c), (a, c)))
            counts[CENSUS_KEYS[negatives]] += 1
    return counts


def check_consistent(G: nx.Graph, result: FrustrationResult) -> None:
    assert set(result.partition) == set(G)
    assert set(result.partition.values()) <= {0, 1}
    recount = frustrated_by(G, result.partition)
    assert {frozenset(e) for e in result.frustrated_edges} == recount
    assert len(result.frustrated_edges) == result.value == len(recount)
    assert result.lower_bound <= result.value
    assert result.edges == G.number_of_edges()


# ------------------------------------------------------------- frustration index


def test_exact_frustration_equals_brute_force_on_random_graphs():
    for G in random_graphs(150, seed=1):
        result = frustration_index(G, exact=True)
        assert result.value == brute_frustration(G), sorted(G.edges(data="sign"))
        assert result.exact and result.lower_bound == result.value
        check_consistent(G, result)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 9).flatmap(lambda n: st.tuples(
    st.just(n),
    st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.sampled_from([-1, 1])),
             max_size=n * (n - 1) // 2))))
def test_exact_frustration_property(case):
    n, ties = case
    G = nx.Graph()
    G.add_nodes_from(range(n))
    G.add_edges_from((a, b, {"sign": s}) for a, b, s in ties if a != b)
    result = frustration_index(G)
    assert result.exact and result.value == brute_frustration(G)
    check_consistent(G, result)


def test_integer_program_path_equals_brute_force():
    # skip the cycle relaxation's shortcut so that every unbalanced block reaches milp
    for G in random_graphs(80, seed=2, max_nodes=9):
        nodes = sorted(G)
        index = {x: i for i, x in enumerate(nodes)}
        if not G.number_of_edges():
            continue
        u = np.array([min(index[a], index[b]) for a, b in G.edges()])
        v = np.array([max(index[a], index[b]) for a, b in G.edges()])
        s = np.array([d["sign"] for *_, d in G.edges(data=True)])
        sol = _frustration.solve(len(nodes), u, v, s, exact=True, time_limit=None, seed=0,
                                 use_lp=False)
        assert sol.exact and int(sol.frustrated.sum()) == brute_frustration(G)
        assert np.array_equal(sol.frustrated, _frustration.frustrated_mask(sol.camps, u, v, s))


def test_cycle_relaxation_is_a_lower_bound():
    for G in random_graphs(60, seed=3, max_nodes=10):
        if not G.number_of_edges():
            continue
        nodes = sorted(G)
        index = {x: i for i, x in enumerate(nodes)}
        u = np.array([min(index[a], index[b]) for a, b in G.edges()])
        v = np.array([max(index[a], index[b]) for a, b in G.edges()])
        s = np.array([d["sign"] for *_, d in G.edges(data=True)])
        bound, *_ = _frustration.cycle_relaxation(len(nodes), u, v, s, deadline=None)
        packing = _frustration.cycle_packing(len(nodes), u, v, s, deadline=None)
        assert bound <= brute_frustration(G) + 1e-6
        assert packing <= brute_frustration(G)


def test_tree_separation_adds_valid_violated_odd_cycle_inequalities():
    rng = np.random.default_rng(11)
    checked = 0
    for G in random_graphs(80, seed=12, max_nodes=12):
        if G.number_of_edges() < 3:
            continue
        nodes = sorted(G)
        index = {x: i for i, x in enumerate(nodes)}
        u = np.array([min(index[a], index[b]) for a, b in G.edges()])
        v = np.array([max(index[a], index[b]) for a, b in G.edges()])
        s = np.array([d["sign"] for *_, d in G.edges(data=True)])
        n, m = len(nodes), len(u)
        # an integral point (some ties flipped) and a fractional one
        for z in (rng.integers(0, 2, m).astype(float), rng.random(m)):
            cuts = _frustration._Cuts.empty(m)
            added = _frustration._tree_separate(n, u, v, s, z, cuts, root=int(rng.integers(n)),
                                                max_new=m)
            assert added == len(cuts)
            if not added:
                continue
            checked += added
            a, b = cuts.matrix().toarray(), cuts.bounds()
            assert np.all(a @ z < b - 1e-9)  # violated by z
            for row in a:  # each row is an odd-cycle inequality: a closed walk's ties
                deg = np.bincount(np.r_[u[row != 0], v[row != 0]], minlength=n)
                assert np.all(deg % 2 == 0)
            for _ in range(20):  # satisfied by the frustrated ties of any camps
                camps = rng.integers(0, 2, n).astype(np.int8)
                f = _frustration.frustrated_mask(camps, u, v, s).astype(float)
                assert np.all(a @ f >= b - 1e-9)
    assert checked > 50


def test_heuristic_brackets_the_optimum():
    for G in random_graphs(80, seed=4):
        result = frustration_index(G, exact=False)
        optimum = brute_frustration(G)
        assert result.lower_bound <= optimum <= result.value
        assert result.exact == (result.lower_bound == result.value)
        check_consistent(G, result)


def test_frustration_adds_over_blocks_and_components():
    G = nx.Graph()
    # two unbalanced triangles sharing the cut vertex C, a dangling tree, and a
    # separate unbalanced 4-cycle: 1 + 1 + 0 + 1
    G.add_edges_from([("A", "B", {"sign": 1}), ("B", "C", {"sign": 1}), ("A", "C", {"sign": -1}),
                      ("C", "D", {"sign": -1}), ("D", "E", {"sign": -1}),
                      ("C", "E", {"sign": -1}), ("E", "F", {"sign": -1}),
                      ("F", "G", {"sign": 1}), ("W", "X", {"sign": 1}), ("X", "Y", {"sign": 1}),
                      ("Y", "Z", {"sign": 1}), ("W", "Z", {"sign": -1})])
    G.add_node("lonely")
    result = frustration_index(G)
    assert result.value == brute_frustration(G) == 3
    assert result.partition["lonely"] == 0
    check_consistent(G, result)


def test_balanced_and_empty_graphs():
    G = nx.Graph()
    assert frustration_index(G).value == 0
    G.add_edges_from([(1, 2, {"sign": 1}), (2, 3, {"sign": -1}), (1, 3, {"sign": -1})])
    result = frustration_index(G)
    assert (result.value, result.exact, result.frustrated_edges) == (0, True, [])
    assert result.partition == {1: 0, 2: 0, 3: 1}
    assert result.line_balance == 1.0
    assert np.isnan(frustration_index(nx.empty_graph(3)).line_balance)


def test_frustration_is_deterministic_and_independent_of_insertion_order():
    rng = np.random.default_rng(5)
    G = random_signed(rng, 30, 0.3, 0.4, labels=[f"n{i:02d}" for i in range(30)])
    edges = list(G.edges(data=True))
    rng.shuffle(edges)
    H = nx.Graph()
    H.add_nodes_from(sorted(G, reverse=True))
    H.add_edges_from((b, a, d) for a, b, d in edges)
    first, again, shuffled = frustration_index(G), frustration_index(G), frustration_index(H)
    assert first == again == shuffled
    heuristic = frustration_index(G, exact=False, seed=3)
    assert heuristic == frustration_index(H, exact=False, seed=3)


def test_exact_switch_follows_the_block_size(monkeypatch):
    seen = []
    solve_block = _frustration.solve_block

    def spy(*args, **kwargs):
        seen.append(kwargs["exact"])
        return solve_block(*args, **kwargs)

    monkeypatch.setattr(_frustration, "solve_block", spy)
    rng = np.random.default_rng(12)
    G = random_signed(rng, 12, 0.6, 0.5)
    optimum = brute_frustration(G)
    assert frustration_index(G).value == optimum and seen == [True]
    monkeypatch.setattr(_frustration, "EXACT_MAX_NODES", 5)
    seen.clear()
    result = frustration_index(G)  # the 12-node block is now "large": heuristic
    assert seen == [False] and result.lower_bound <= optimum <= result.value
    seen.clear()
    assert frustration_index(G, exact=True).value == optimum and seen == [True]


def test_time_limit_still_returns_consistent_camps():
    rng = np.random.default_rng(6)
    G = random_signed(rng, 120, 0.08, 0.5)
    result = frustration_index(G, exact=True, time_limit=0.5)
    check_consistent(G, result)
    assert result.lower_bound <= result.value
    with pytest.raises(ValueError, match="time_limit"):
        frustration_index(G, time_limit=0)


def test_result_display():
    G = nx.Graph([("A", "B", {"sign": -1}), ("B", "C", {"sign": -1}), ("A", "C", {"sign": -1})])
    result = frustration_index(G)
    assert repr(result) == ("FrustrationResult(value=1, exact=True, edges=3, camps=(2, 1), "
                            "line_balance=0.333)")
    assert "frustration index" in result._repr_html_()
    assert result.camps == (["A", "B"], ["C"])


# ------------------------------------------------------------------ triangles


def test_triangle_census_equals_brute_force():
    for G in random_graphs(60, seed=7, max_nodes=12):
        assert triangle_census(G) == brute_census(G)


def test_triangle_indices():
    rng = np.random.default_rng(8)
    G = random_signed(rng, 15, 0.6, 0.4)
    counts = brute_census(G)
    total = sum(counts.values())
    assert triangle_index(G) == pytest.approx((counts["+++"] + counts["+--"]) / total)
    assert triangle_index(G, weak=True) == pytest.approx(1 - counts["++-"] / total)
    path = nx.path_graph(3)
    nx.set_edge_attributes(path, 1, "sign")
    assert np.isnan(triangle_index(path))


# ------------------------------------------------------------ collapsing input


def test_collapse_rule_sums_signed_weights():
    M = nx.MultiDiGraph()
    M.add_edge("A", "B", sign=1, weight=3)
    M.add_edge("B", "A", sign=-1, weight=-5)  # |weight| * sign: -5
    M.add_edge("A", "C", sign=1)  # no weight: counts as its sign
    M.add_edge("C", "A", sign=-1)  # ... so the pair sums to zero and is dropped
    M.add_edge("B", "C", sign=1, weight=0.5)
    M.add_edge("B", "C", sign=1, weight=float("nan"))  # NaN weight: counts as its sign
    M.add_edge("C", "C", sign=-1)  # self-loop: dropped
    M.add_edge("C", "D", sign=0, weight=4)  # neutral: dropped
    S = signed_graph(M)
    assert sorted(S.nodes) == ["A", "B", "C", "D"]
    assert {tuple(sorted(e[:2])): e[2] for e in S.edges(data=True)} == {
        ("A", "B"): {"sign": -1, "weight": -2.0},
        ("B", "C"): {"sign": 1, "weight": 1.5},
    }
    assert frustration_index(M) == frustration_index(S)
    assert triangle_census(M) == triangle_census(S)


def test_opposite_ties_of_equal_size_drop_the_pair():
    G = nx.DiGraph()
    G.add_edge("A", "B", sign=1, weight=0.1)
    G.add_edge("B", "A", sign=-1, weight=0.1)
    G.add_edge("A", "B", sign=1, weight=0.2)  # DiGraph: replaces the first A->B
    G.add_edge("B", "A", sign=-1, weight=0.2)
    assert signed_graph(G).number_of_edges() == 0
    M = nx.MultiGraph()
    for w in (0.1, 0.2):
        M.add_edge("A", "B", sign=1, weight=w)
    M.add_edge("A", "B", sign=-1, weight=0.3)  # 0.1 + 0.2 - 0.3 is zero within rounding
    assert signed_graph(M).number_of_edges() == 0


def test_unsigned_ties_are_refused():
    with pytest.raises(ValueError, match="no 'sign'"):
        frustration_index(nx.path_graph(3))
    with pytest.raises(ValueError, match="not a number"):
        triangle_census(nx.Graph([("A", "B", {"sign": "plus"})]))
    with pytest.raises(TypeError):
        frustration_index([("A", "B")])


def test_temporal_graph_input_matches_its_networkx_view(small_frames):
    tg = graphkit.TemporalGraph.from_frames(*small_frames)
    G = tg.to_networkx(directed=False)
    assert frustration_index(tg) == frustration_index(G)
    assert triangle_census(tg) == triangle_census(G)
    assert nx.utils.edges_equal(signed_graph(tg).edges(data="sign"),
                                signed_graph(G).edges(data="sign"))


# ----------------------------------------------------------------------- blocs


def bloc_recount(G: nx.Graph, partition: dict, alpha: float) -> tuple[float, int, int]:
    neg = sum(1 for a, b, d in G.edges(data=True) if d["sign"] < 0 and partition[a] == partition[b])
    pos = sum(1 for a, b, d in G.edges(data=True) if d["sign"] > 0 and partition[a] != partition[b])
    return alpha * neg + (1 - alpha) * pos, neg, pos


def test_blocs_error_equals_recount():
    rng = np.random.default_rng(9)
    for G in random_graphs(40, seed=9, max_nodes=12):
        tied = sorted(x for x in G if G.degree(x))
        if not tied:
            continue
        k = int(rng.integers(1, min(4, len(tied)) + 1))
        alpha = float(rng.choice([0.0, 0.3, 0.5, 1.0]))
        result = blocs(G, k, alpha)
        error, neg, pos = bloc_recount(G, result.partition, alpha)
        assert result.error == pytest.approx(error)
        assert (result.negative_within, result.positive_between) == (neg, pos)
        assert sorted(set(result.partition.values())) == list(range(k))  # none empty
        assert sorted(result.partition) == tied
        assert result.unassigned == sorted(set(G) - set(tied))
        assert sum(result.sizes) == len(tied)
        # blocs numbered in the order of their first member
        firsts = [next(x for x in tied if result.partition[x] == b) for b in range(k)]
        assert firsts == sorted(firsts)


def test_two_blocs_match_the_frustration_index():
    for G in random_graphs(60, seed=10, max_nodes=9):
        G = G.subgraph([x for x in G if G.degree(x)]).copy()  # blocs hold tied actors
        if G.number_of_nodes() < 2:
            continue
        camps, frustrated = all_bipartitions(G)
        proper = (camps.min(axis=1) == 0) & (camps.max(axis=1) == 1)
        result = blocs(G, 2)
        # alpha = 0.5: the error is half the frustrated ties, minimised over proper splits
        assert 2 * result.error == frustrated[proper].min()
        assert 2 * result.error >= frustration_index(G).value


def test_blocs_leave_actors_without_ties_unassigned():
    G = nx.Graph([("b", "c", {"sign": 1}), ("c", "d", {"sign": 1}), ("d", "e", {"sign": -1}),
                  ("e", "f", {"sign": 1})])
    G.add_nodes_from(["a", "z"])
    result = blocs(G, 2)
    assert result.error == 0
    assert result.partition == {"b": 0, "c": 0, "d": 0, "e": 1, "f": 1}
    assert result.unassigned == ["a", "z"]
    assert result.sizes == (3, 2)
    assert result.blocs == [["b", "c", "d"], ["e", "f"]]
    assert "unassigned=2" in repr(result)
    lonely = nx.Graph([("a", "b", {"sign": 1})])
    lonely.add_nodes_from(["c", "d"])
    # two blocs need two actors with a tie: tie-less actors never fill a bloc
    with pytest.raises(ValueError, match="by 2 actors with a tie"):
        blocs(lonely, 3)
    two = blocs(lonely, 2)
    assert sorted(two.partition) == ["a", "b"] and two.unassigned == ["c", "d"]
    empty = nx.Graph()
    empty.add_nodes_from(["x", "y"])
    nothing = blocs(empty, 1)
    assert nothing.partition == {} and nothing.unassigned == ["x", "y"]
    assert nothing.sizes == (0,) and nothing.error == 0


def test_blocs_deterministic_and_validated():
    rng = np.random.default_rng(11)
    G = random_signed(rng, 25, 0.3, 0.4)
    assert blocs(G, 3, seed=4) == blocs(G, 3, seed=4)
    assert isinstance(blocs(G, 1), BlocsResult) and blocs(G, 1).sizes == (25,)
    with pytest.raises(ValueError):
        blocs(G, 0)
    with pytest.raises(ValueError):
        blocs(G, 26)
    with pytest.raises(ValueError):
        blocs(G, 2, alpha=1.5)
    assert "BlocsResult(k=3" in repr(blocs(G, 3))


# ------------------------------------------------------------ real networks


def tribes(shared) -> nx.Graph:
    data = pd.read_csv(shared / "datasets" / "signed" / "gahuku_gama_tribes.csv")
    G = nx.Graph()
    G.add_edges_from((a, b, {"sign": int(s)}) for a, b, s in
                     zip(data["from"], data["to"], data["sign"], strict=True))
    return G


def test_gahuku_gama_tribes(shared):
    G = tribes(shared)
    assert (G.number_of_nodes(), G.number_of_edges()) == (16, 58)
    # Aref & Wilson (2018, 2019) and signnet's frustration_exact (Schoch 2023, JOSS 8:
    # "frustration 7", camps {1, 2, 15, 16} = Gavev, Kotun, Nagad, Gama vs the rest)
    result = frustration_index(G)
    assert (result.value, result.exact, result.lower_bound) == (7, True, 7)
    assert result.value == brute_frustration(G)
    assert {frozenset(c) for c in result.camps} == {
        frozenset({"Gavev", "Kotun", "Nagad", "Gama"}),
        frozenset(set(G) - {"Gavev", "Kotun", "Nagad", "Gama"}),
    }
    check_consistent(G, result)
    # signnet balance_score(tribes, "triangles") = 0.867647 (59 of 68 triangles)
    census = triangle_census(G)
    assert census == brute_census(G)
    assert sum(census.values()) == 68
    assert triangle_index(G) == pytest.approx(59 / 68)
    # signnet balance_score(tribes, "frustration") = 0.7586207 = 1 - 2 * 7 / 58
    assert result.line_balance == pytest.approx(0.7586207, abs=1e-7)
    # Doreian & Mrvar blocs, k = 3: signnet's membership 2 2 1 1 3 1 1 1 3 3 1 1 3 3 2 2
    # (tribes 1..16) with criterion 2, counting each tie in both directions = error 1
    three = blocs(G, 3)
    assert three.error == 1.0 and (three.negative_within, three.positive_between) == (0, 2)
    assert {frozenset(b) for b in three.blocs} == {
        frozenset({"Gavev", "Kotun", "Nagad", "Gama"}),
        frozenset({"Ove", "Alika", "Gahuk", "Masil", "Ukudz", "Geham", "Asaro"}),
        frozenset({"Nagam", "Notoh", "Kohik", "Uheto", "Seuve"}),
    }
    assert blocs(G, 2).error == 3.5  # = 7 / 2, consistent with the frustration index


def textbook_frustration(G: nx.Graph) -> int:
    """An independent check: the plain binary integer program, no extras."""
    nodes = sorted(G)
    index = {x: i for i, x in enumerate(nodes)}
    n, m = len(nodes), G.number_of_edges()
    rows, cols, vals, lower = [], [], [], []
    for k, (a, b, d) in enumerate(G.edges(data=True)):
        i, j, f = index[a], index[b], n + k
        sign = 1 if d["sign"] > 0 else -1
        rows += [2 * k] * 3 + [2 * k + 1] * 3
        cols += [f, i, j, f, i, j]
        vals += [1, -1, sign, 1, 1, -sign]
        lower += [0, 0] if sign > 0 else [-1, 1]
    a = sparse.csr_array((vals, (rows, cols)), shape=(2 * m, n + m))
    res = milp(np.r_[np.zeros(n), np.ones(m)], constraints=LinearConstraint(a, lower, np.inf),
               integrality=np.ones(n + m), bounds=Bounds(0, 1))
    return round(res.fun)


@pytest.fixture(scope="module")
def states():
    path = (Path(__file__).resolve().parents[2] / "shared" / "datasets" / "signed"
            / "doreian_mrvar_states_1946_1999.csv")
    if not path.exists():
        pytest.skip("../shared is not beside the project")
    data = pd.read_csv(path)
    graphs = {}
    for name, rows in data.groupby("window"):
        G = nx.Graph()
        G.add_edges_from((a, b, {"sign": int(s)}) for a, b, s in
                         zip(rows["state1"], rows["state2"], rows["sign"], strict=True))
        graphs[name] = G
    return graphs


def test_doreian_mrvar_states_windows(states):
    assert len(states) == 51
    G = states["46-49"]
    result = frustration_index(G)
    assert result.exact and result.value == textbook_frustration(G) == 17
    check_consistent(G, result)
    # the hardest windows for the plain model (values from the benchmark's baseline)
    for name, value in [("74-77", 46), ("77-80", 45)]:
        result = frustration_index(states[name])
        assert (result.value, result.exact) == (value, True)
        check_consistent(states[name], result)
    heuristic = frustration_index(states["74-77"], exact=False, time_limit=5)
    assert heuristic.lower_bound <= 46 <= heuristic.value
    census = triangle_census(G)
    assert sum(census.values()) > 0 and census["+++"] > census["++-"]


# ----------------------------------------------------------------- over time


@pytest.mark.slow
def test_bitcoin_alpha_optimum_is_proven():
    """SNAP's Bitcoin Alpha trust network (3,774 users): solved to a proven optimum."""
    path = (Path(__file__).resolve().parents[2] / "shared" / "datasets" / "signed"
            / "bitcoin_alpha_ratings.csv")
    if not path.exists():
        pytest.skip("../shared is not beside the project")
    data = pd.read_csv(path)
    G = nx.MultiDiGraph()  # graphkit collapses it: signs of both directions summed
    G.add_edges_from((a, b, {"sign": int(np.sign(r))}) for a, b, r in
                     zip(data["from"], data["to"], data["feature"], strict=True))
    result = frustration_index(G, exact=True, time_limit=300)
    collapsed = signed_graph(G)
    assert result.edges == collapsed.number_of_edges() == 13_876  # as the data README says
    assert result.exact and result.lower_bound == result.value
    # every tie listed is frustrated under the partition returned, and no other is
    partition = result.partition
    for a, b in result.frustrated_edges:
        sign = collapsed.edges[a, b]["sign"]
        assert (partition[a] != partition[b]) == (sign > 0)
    check_consistent(collapsed, result)
    # a proven optimum is below the cheap heuristic's value and above its bound
    heuristic = frustration_index(collapsed, exact=False, time_limit=5)
    assert heuristic.lower_bound <= result.value <= heuristic.value


@pytest.fixture
def alliance_tg() -> graphkit.TemporalGraph:
    entities = pd.DataFrame({"id": ["A", "B", "C", "D", "X", "Y"], "name": list("ABCDXY"),
                             "type": "state"})
    relations = pd.DataFrame.from_records(
        [
            ("A", "B", "alliance", "2020-01", "2021-06", ""),
            ("B", "C", "criticism", "2020-03-01", "", ""),
            ("A", "C", "criticism", "2020-04-01", "", ""),
            ("C", "D", "cooperation", "2021-02-01", "", ""),
            ("A", "D", "cooperation", "2021-03-01", "", ""),
            ("B", "D", "military_action", "2021-04-01", "", ""),
            ("A", "C", "cooperation", "2021-05-01", "", ""),
            ("X", "Y", "military_action", "2022-01-10", "", "-10"),
            ("X", "Y", "cooperation", "2022-12-20", "", "6"),
            ("A", "D", "membership", "2022-05-01", "", ""),
        ],
        columns=["source", "target", "type", "start", "end", "weight"],
    )
    return graphkit.TemporalGraph.from_frames(entities, relations)


def test_over_time_matches_each_period(alliance_tg):
    table = over_time(alliance_tg, "Y")
    assert list(table["period"].astype(str)) == ["2020", "2021", "2022"]
    assert list(table.columns[:6]) == ["period", "nodes", "edges", "positive", "negative",
                                       "triangles"]
    for row, bounds in zip(table.itertuples(index=False),
                           alliance_tg.period_table("Y").itertuples(index=False), strict=True):
        G = alliance_tg.window(bounds.start, bounds.end).to_networkx(directed=False)
        S = signed_graph(G)
        S.remove_nodes_from([x for x in list(S) if S.degree(x) == 0])
        result = frustration_index(G)
        census = triangle_census(G)
        assert (row.nodes, row.edges) == (S.number_of_nodes(), S.number_of_edges())
        assert row.frustration == result.value and row.exact and row.lower_bound == result.value
        assert [getattr(row, f"_{i}") for i in range(6, 10)] == list(census.values())
    # 2021: A-B +, A-C + (cooperation outweighs nothing: criticism was in 2020),
    # C-D +, A-D +, B-D -: triangle A-B-D is ++-, frustration 1
    y2021 = table.iloc[1]
    assert (y2021["frustration"], y2021["++-"], y2021["strong_balance"]) == (1, 1, 0.5)
    assert y2021["line_balance"] == pytest.approx(1 - 2 / 5)
    assert table.iloc[0]["strong_balance"] == 1.0  # A-B +, B-C -, A-C -: +--


def test_over_time_half_life_decides_mixed_pairs(alliance_tg):
    plain = over_time(alliance_tg, "Y", types=["military_action", "cooperation"])
    decayed = over_time(alliance_tg, "Y", types=["military_action", "cooperation"],
                        half_life="30D")
    last_plain, last_decayed = plain.iloc[-1], decayed.iloc[-1]
    # X-Y in 2022: -10 in January, +6 in December: negative summed, positive decayed
    assert (last_plain["positive"], last_plain["negative"]) == (0, 1)
    assert (last_decayed["positive"], last_decayed["negative"]) == (1, 0)
    for bad in ("-1D", "soon"):
        with pytest.raises(ValueError, match="half_life"):
            over_time(alliance_tg, "Y", half_life=bad)


def test_over_time_rolling_window_types_and_camps(alliance_tg):
    table, camps = over_time(alliance_tg, "Y", window=2, partitions=True)
    assert len(table) == 3 and list(camps.columns) == ["period", "entity", "camp", "firm"]
    for period, group in camps.groupby("period"):
        row = table[table["period"] == period].iloc[0]
        assert len(group) == row["nodes"]
        bounds = alliance_tg.period_table("Y", window=2).set_index("period").loc[period]
        G = signed_graph(alliance_tg.window(bounds["start"], bounds["end"])
                         .to_networkx(directed=False))
        partition = dict(zip(group["entity"], group["camp"], strict=True))
        frustration = len(frustrated_by(G.subgraph(partition), partition))
        assert frustration == row["frustration"]
        for entity, firm in zip(group["entity"], group["firm"], strict=True):
            moved = {**partition, entity: 1 - partition[entity]}
            assert firm == (len(frustrated_by(G.subgraph(moved), moved)) > frustration)
    # labels are aligned over time: in 2021 A leaves its ally B for C and D (their
    # tie A-B is the frustrated one), while B and C keep the labels they had in 2020
    wide = camps.pivot(index="entity", columns="period", values="camp")
    first, second = wide.columns[:2]
    assert list(wide.loc[["A", "B", "C"], first]) == [0, 0, 1]
    assert list(wide.loc[["A", "B", "C"], second]) == [1, 0, 1]
    alliances = over_time(alliance_tg, "Q", types=["alliance"])
    assert alliances["edges"].max() == 1 and alliances["frustration"].sum() == 0
    with pytest.raises(KeyError):
        over_time(alliance_tg, "Y", types=["friendship"])
    empty = over_time(alliance_tg.filter(types=["ceasefire"]), "Y", partitions=True)
    assert empty[0].empty and list(empty[0].columns)[-1] == "lower_bound"


# ------------------------------------------------------------------------ CLI


def test_cli_balance(alliance_tg, tmp_path, capsys):
    folder = graphkit.save(alliance_tg, tmp_path / "case")
    assert main(["balance", str(folder), "--freq", "Y", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["period"] for r in records] == ["2020", "2021", "2022"]
    assert records[1]["frustration"] == 1 and records[1]["exact"] is True

    out_csv = tmp_path / "balance.csv"
    assert main(["balance", str(folder), "--window", "2", "--types",
                 "alliance,criticism,cooperation", "--csv", str(out_csv)]) == 0
    text = capsys.readouterr().out
    assert "frustration" in text and "line_balance" in text
    assert len(pd.read_csv(out_csv)) == 3

    assert main(["balance", str(folder), "--types", "friendship"]) == 2
    assert "unknown relation types" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["balance", str(folder), "--window", "0"])


def test_firm_camps_on_the_bundled_case():
    tg = graphkit.load(Path(__file__).resolve().parents[1] / "data" / "nagorno_karabakh")
    _, camps = over_time(tg.window("2023-09-01", "2023-10-01"), "M", partitions=True)
    group = camps[camps["period"] == pd.Period("2023-09", "M")]
    G = signed_graph(tg.window("2023-09-01", "2023-10-01").to_networkx(directed=False))
    partition = dict(zip(group["entity"], group["camp"], strict=True))
    base = len(frustrated_by(G.subgraph(partition), partition))
    firm = {}
    for entity in partition:
        moved = {**partition, entity: 1 - partition[entity]}
        firm[entity] = len(frustrated_by(G.subgraph(moved), moved)) > base
    assert dict(zip(group["entity"], group["firm"], strict=True)) == firm
    assert firm["ARM"] and not all(firm.values())
