"""The cut LP behind the exact frustration index: row purging, the integral-cut stop,
the rows handed on to the integer program, and exactness on graphs whose blocks need
many rounds of cuts (checked against brute force over every partition)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from graphkit.analysis import frustration as fr


def sparse_signed(rng: np.random.Generator, n: int, extra: int, negative: float):
    """A random connected signed graph: a random tree plus ``extra`` other ties (fewer
    when the graph would be complete)."""
    parent = [int(rng.integers(i)) for i in range(1, n)]
    pairs = {(min(a, b), max(a, b)) for a, b in zip(range(1, n), parent, strict=True)}
    while len(pairs) < min(n - 1 + extra, n * (n - 1) // 2):
        a, b = (int(x) for x in rng.choice(n, size=2, replace=False))
        pairs.add((min(a, b), max(a, b)))
    uv = np.array(sorted(pairs), dtype=np.int64)
    s = np.where(rng.random(len(uv)) < negative, -1, 1).astype(np.int64)
    return uv[:, 0], uv[:, 1], s


def brute_force(n: int, u: np.ndarray, v: np.ndarray, s: np.ndarray) -> int:
    """The least number of frustrated ties over all partitions (node 0 in camp 0)."""
    best = len(u)
    for chunk in range(0, 2 ** (n - 1), 1 << 14):
        codes = np.arange(chunk, min(chunk + (1 << 14), 2 ** (n - 1)))
        camps = (codes[:, None] << 1 >> np.arange(n)) & 1
        differ = camps[:, u] != camps[:, v]
        best = min(best, int(np.where(s > 0, differ, ~differ).sum(axis=1).min()))
    return best


def cases(count: int, seed: int, nodes: tuple[int, int], extra: tuple[int, int]):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        n = int(rng.integers(*nodes))
        yield n, *sparse_signed(rng, n, int(rng.integers(*extra)), rng.uniform(0.2, 0.6))


def test_brute_force_helper():
    # an unbalanced triangle (1) and an unbalanced square sharing no tie (1)
    u = np.array([0, 1, 0, 3, 4, 5, 3])
    v = np.array([1, 2, 2, 4, 5, 6, 6])
    s = np.array([1, 1, -1, -1, -1, -1, -1])
    assert brute_force(7, u, v, s) == 1 + 0  # the square has an even number of negatives
    s[3] = 1
    assert brute_force(7, u, v, s) == 2
    # and against a direct loop over the partitions
    n, u, v, s = next(cases(1, seed=4, nodes=(7, 8), extra=(5, 6)))
    direct = min(
        int(fr.frustrated_mask(np.array((0, *bits), dtype=np.int8), u, v, s).sum())
        for bits in itertools.product((0, 1), repeat=n - 1))
    assert brute_force(n, u, v, s) == direct


@pytest.mark.parametrize("purge_after", [1, 3])
def test_purging_slack_rows_leaves_the_relaxation_value_unchanged(monkeypatch, purge_after):
    """The odd-cycle LP has one optimum value whichever slack rows are deleted on the way."""
    for n, u, v, s in cases(12, seed=5, nodes=(25, 60), extra=(20, 90)):
        monkeypatch.setattr(fr, "PURGE_AFTER", 0)
        keep, _, _, done_keep = fr.cycle_relaxation(n, u, v, s, deadline=None)
        monkeypatch.setattr(fr, "PURGE_AFTER", purge_after)
        bound, z, cuts, done = fr.cycle_relaxation(n, u, v, s, deadline=None)
        assert done and done_keep
        assert bound == pytest.approx(keep, abs=1e-6)
        # the rows handed on are valid: any camps' frustrated ties satisfy them
        a, b = cuts.matrix().toarray(), cuts.bounds()
        rng = np.random.default_rng(n)
        for _ in range(10):
            f = fr.frustrated_mask(rng.integers(0, 2, n).astype(np.int8), u, v, s)
            assert np.all(a @ f >= b - 1e-9)
        # and the last LP optimum satisfies them all
        assert np.all(a @ z >= b - 1e-6)


def test_lp_deletes_slack_rows_and_keeps_binding_ones():
    rng = np.random.default_rng(8)
    n, u, v, s = next(cases(1, seed=8, nodes=(40, 41), extra=(60, 61)))
    cuts = fr._Cuts.empty(len(u))
    fr._unbalanced_triangles(n, u, v, s, cuts)
    z = rng.random(len(u))
    fr._tree_separate(n, u, v, s, z, cuts, root=0, max_new=len(u))
    assert len(cuts) > 5
    lp = fr._LP(len(u), purge_after=1)
    solved, objective, z = lp.solve(cuts, deadline=None)
    assert solved
    # every row left in the model is binding, every deleted one was slack
    a, b = cuts.matrix().toarray(), cuts.bounds()
    activity = a @ z
    assert np.allclose(activity[lp.index], b[lp.index], atol=1e-6)
    deleted = np.setdiff1d(np.arange(len(cuts)), lp.index)
    assert np.all(activity[deleted] > b[deleted] + 1e-6)
    # re-solving the smaller model gives the same optimum
    again, value, _ = lp.solve(cuts, deadline=None)
    assert again and value == pytest.approx(objective, abs=1e-9)
    kept = lp.kept(cuts)
    assert len(kept) == len(lp.index)
    assert np.array_equal(kept.matrix().toarray(), a[lp.index])


def test_cuts_subset_and_matrix_from_a_start_row():
    cuts = fr._Cuts.empty(5)
    cuts.add(np.array([0, 1, 2]), np.array([True, False, False]))
    cuts.add_triangles(np.array([[1, 3, 4], [0, 2, 4]]))
    cuts.add_row(np.array([0, 1, 2, 3, 4]), -np.ones(5), -3.0)
    full = cuts.matrix().toarray()
    assert full.shape == (4, 5)
    assert np.array_equal(cuts.matrix(start=2).toarray(), full[2:])
    assert cuts.matrix(start=4).shape == (0, 5)
    part = cuts.subset(np.array([3, 0]))
    assert np.array_equal(part.matrix().toarray(), full[[3, 0]])
    assert np.array_equal(part.bounds(), cuts.bounds()[[3, 0]])
    assert len(cuts.subset(np.array([], dtype=np.int64))) == 0


def test_is_cut_recognises_the_frustrated_ties_of_camps_only():
    rng = np.random.default_rng(3)
    for n, u, v, s in cases(20, seed=3, nodes=(5, 30), extra=(3, 40)):
        camps = rng.integers(0, 2, n).astype(np.int8)
        f = fr.frustrated_mask(camps, u, v, s).astype(float)
        assert fr._is_cut(n, u, v, s, f)
        if f.any():
            assert not fr._is_cut(n, u, v, s, np.where(f > 0, 0.5, 0.0))
        # one tie of a cycle switched more: no longer the ties of any camps
        cycle_tie = next((k for k in range(len(u)) if not _is_bridge(n, u, v, k)), None)
        if cycle_tie is not None:
            g = f.copy()
            g[cycle_tie] = 1 - g[cycle_tie]
            assert not fr._is_cut(n, u, v, s, g)


def _is_bridge(n: int, u: np.ndarray, v: np.ndarray, k: int) -> bool:
    keep = np.arange(len(u)) != k
    _, comp = connected_components(
        sparse.coo_array((np.ones(keep.sum()), (u[keep], v[keep])), shape=(n, n)),
        directed=False)
    return comp[u[k]] != comp[v[k]]


@pytest.mark.parametrize("seed", [1, 2])
def test_exact_solve_equals_brute_force_on_sparse_graphs_with_long_cycles(seed):
    """Sparse graphs (few triangles) take the LP through several rounds of cuts."""
    for n, u, v, s in cases(12, seed=seed, nodes=(12, 18), extra=(6, 22)):
        sol = fr.solve(n, u, v, s, exact=True, time_limit=None, seed=0)
        assert sol.exact
        assert int(sol.frustrated.sum()) == sol.lower_bound == brute_force(n, u, v, s)
        assert np.array_equal(sol.frustrated, fr.frustrated_mask(sol.camps, u, v, s))


def test_relaxation_rounds_stop_at_an_integral_cut(monkeypatch):
    """An LP optimum that is the frustrated-tie set of camps ends the rounds at once:
    the exact shortest-path sweep never runs on it, and its value is the optimum."""
    swept = []
    original = fr._separate

    def separate(n, u, v, s, z, *args, **kwargs):
        swept.append(fr._is_cut(n, u, v, s, z))
        return original(n, u, v, s, z, *args, **kwargs)

    monkeypatch.setattr(fr, "_separate", separate)
    integral = 0
    for n, u, v, s in cases(15, seed=9, nodes=(10, 16), extra=(5, 25)):
        bound, z, _, done = fr.cycle_relaxation(n, u, v, s, deadline=None)
        assert done
        if fr._is_cut(n, u, v, s, z):
            integral += 1
            assert round(bound) == brute_force(n, u, v, s)
    assert integral >= 5
    assert not any(swept)
