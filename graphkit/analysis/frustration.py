"""Frustration index of signed graphs coded as integer arrays (private machinery).

A signed graph here is ``(n, u, v, s)``: nodes ``0 .. n-1``, one undirected tie per
position with ``u < v`` and sign ``s`` in ``{-1, +1}``. :mod:`graphkit.analysis.balance` turns
networkx graphs and temporal graphs into this form and back.

How the exact solve is made fast (each step is checked against brute force in the tests):

1. **Blocks.** Every cycle lies inside one biconnected block, and a signed graph is
   balanced exactly when each of its blocks is, so the frustration index is the sum over
   blocks: a block's optimal camps can be switched (all nodes swapped) to agree with the
   camps already chosen at the cut vertex it shares with the rest, without changing its
   count. Bridges, dangling trees and isolated nodes (blocks without a cycle) therefore
   add nothing; balanced blocks are recognised in linear time; a block that is a single
   cycle has frustration 1 if it is unbalanced, else 0 (Harary 1953).
2. **Upper bound first.** A multi-start local search (below) gives camps and their
   value ``U`` before any linear program: a bound that reaches ``U`` proves them optimal.
3. **Cycle relaxation.** Edge variables ``z_e`` in ``[0, 1]`` (``1`` = frustrated). For
   every cycle (more generally every edge set of even degrees) ``W`` the frustrated ties
   on ``W`` must have the parity of its negative ties, so for each ``S`` of ``W`` of the
   wrong parity ``sum_S (1 - z_e) + sum_{W \\ S} z_e >= 1`` holds: the odd-cycle
   inequalities of the cut polytope (Barahona & Mahjoub 1986). The LP starts from the
   unbalanced triangles (the triangle inequalities of Aref, Mason & Wilson 2020) and is
   kept in one HiGHS model (``highspy``), so each round's new rows are re-solved by the
   dual simplex from the last basis; rows slack at an optimum are deleted after it
   (``PURGE_AFTER``), which keeps the model at the few thousand rows that bind and cut
   the LP time on Bitcoin OTC about sixfold. Violated inequalities are found first on
   the fundamental cycles of a shortest-path tree (Barahona, Jünger & Reinelt 1989;
   vectorised, milliseconds a round, a new root each round) and only when that finds
   none exactly, with shortest paths in the doubled ("parity") graph cut off at length
   1. The rounds stop when ``ceil(LP) >= U`` (optimal, proven), when the LP optimum is
   integral and its ties, switched, balance the graph (then it is an optimal set of
   frustrated ties; no sweep needed), when nothing is violated, or at the deadline; the
   LP value is a lower bound in every case. On SNAP's Bitcoin Alpha and Bitcoin OTC
   trust networks this relaxation alone proves the optimum (OTC: about 30 rounds).
4. **Integer program.** Otherwise the binary XOR model of Aref, Mason & Wilson (2020)
   (node camps ``x``, ``z_e >= |x_u - x_v|`` for positive and ``z_e >= 1 - |x_u - x_v|``
   for negative ties, one node's camp fixed to break the switching symmetry), plus every
   cut found in step 3, is solved by ``scipy.optimize.milp`` (HiGHS), with the local
   search's value as a cutoff row ``sum z <= U``.

The heuristic (for blocks too large to solve exactly) is the same local search: starts
from the leading eigenvector of the signed adjacency matrix, from colourings of random
spanning trees, and at random; greedy single-node flips to a local optimum, then random
kicks (iterated local search). Its lower bound is the better of an edge-disjoint packing
of unbalanced closed walks (each needs one frustrated tie of its own) and the cycle
relaxation above, run while time allows.
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass

import highspy
import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import connected_components, dijkstra, minimum_spanning_tree

__all__ = [
    "EXACT_MAX_NODES",
    "HEURISTIC_BOUND_SECONDS",
    "BlockSolution",
    "colouring",
    "frustrated_mask",
    "solve",
]

#: With ``exact=None`` a graph is solved exactly when its largest biconnected block
#: (after dropping dangling trees) has at most this many nodes.
EXACT_MAX_NODES = 400

#: Seconds the heuristic may spend per block (local search, then lower bound) when no
#: time limit is given; it usually needs far less.
HEURISTIC_BOUND_SECONDS = 10.0

#: Triangles are enumerated to seed the LP only for blocks up to this many ties.
TRIANGLE_SEED_MAX_EDGES = 20_000

#: The cut LP deletes a row again once it has been slack at this many optima in a row
#: (1: every slack row goes after each solve, which keeps the LP small and the dual
#: simplex fast; deleting rows that are not binding leaves the optimum unchanged).
PURGE_AFTER = 1

_TOL = 1e-6


# --------------------------------------------------------------------------- basics


def _adjacency(n: int, u: np.ndarray, v: np.ndarray, data: np.ndarray) -> sparse.csr_array:
    a = sparse.coo_array((np.r_[data, data], (np.r_[u, v], np.r_[v, u])), shape=(n, n))
    return a.tocsr()


def frustrated_mask(x: np.ndarray, u: np.ndarray, v: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Ties frustrated by camps ``x``: positive across camps, negative within one."""
    differ = x[u] != x[v]
    return np.where(s > 0, differ, ~differ)


def colouring(n: int, u: np.ndarray, v: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, bool]:
    """Two camps under which no tie is frustrated, and whether such camps exist.

    Uses the doubled graph on nodes ``(i, camp)``: a positive tie joins equal camps, a
    negative one opposite camps; the graph is balanced exactly when no ``(i, 0)`` is
    connected to ``(i, 1)`` (Harary 1953). The smallest node of each connected component
    is put in camp 0. When the graph is unbalanced the camps returned are meaningless.
    """
    neg = s < 0
    rows = np.r_[u, u + n]
    cols = np.r_[np.where(neg, v + n, v), np.where(neg, v, v + n)]
    # int32 indices: scipy's csgraph routines before 1.17 reject int64-indexed arrays
    doubled = sparse.coo_array((np.ones(len(rows)), (rows.astype(np.int32),
                                                     cols.astype(np.int32))),
                               shape=(2 * n, 2 * n))
    _, label = connected_components(doubled, directed=False)
    balanced = not bool(np.any(label[:n] == label[n:]))
    _, comp = connected_components(
        sparse.coo_array((np.ones(len(u)), (u.astype(np.int32), v.astype(np.int32))),
                         shape=(n, n)), directed=False
    )
    _, first = np.unique(comp, return_index=True)
    roots = first[comp]
    return (label[:n] != label[roots]).astype(np.int8), balanced


# ------------------------------------------------------------------- local search


def _spectral_start(adj: sparse.csr_array, n: int) -> np.ndarray | None:
    try:
        if n <= 300:
            _, vecs = np.linalg.eigh(adj.toarray())
            vec = vecs[:, -1]
        else:
            from scipy.sparse.linalg import eigsh

            _, vecs = eigsh(adj.astype(float), k=1, which="LA", v0=np.ones(n))
            vec = vecs[:, 0]
    except Exception:  # no convergence: fall back to the other starts
        return None
    return np.where(vec >= 0, 1.0, -1.0)


def _tree_start(n, u, v, s, rng) -> np.ndarray:
    """Camps that balance a random spanning forest (Aref, Mason & Wilson 2020)."""
    weights = sparse.coo_array((rng.random(len(u)) + 0.1,
                                (u.astype(np.int32), v.astype(np.int32))), shape=(n, n))
    tree = minimum_spanning_tree(weights).tocoo()
    a, b = np.minimum(tree.row, tree.col), np.maximum(tree.row, tree.col)
    key = a.astype(np.int64) * n + b
    order = np.argsort(u.astype(np.int64) * n + v)
    pos = order[np.searchsorted(u.astype(np.int64)[order] * n + v[order], key)]
    x, _ = colouring(n, a, b, s[pos])
    return np.where(x == 0, 1.0, -1.0)


def _descend(x: np.ndarray, h: np.ndarray, indptr, indices, data) -> None:
    """Greedy single-node flips until none lowers the frustration (in place).

    With camps ``x`` in ``{-1, +1}`` and local fields ``h = A x``, flipping node ``i``
    changes the number of frustrated ties by ``x_i h_i``.
    """
    while True:
        gain = x * h
        i = int(np.argmin(gain))
        if gain[i] >= 0:
            return
        x[i] = -x[i]
        lo, hi = indptr[i], indptr[i + 1]
        h[indices[lo:hi]] += 2.0 * x[i] * data[lo:hi]


def local_search(n, u, v, s, *, rng, restarts: int, kicks: int, deadline: float | None):
    """Best camps found by iterated greedy local search, and their frustration."""
    adj = _adjacency(n, u, v, s.astype(float))
    indptr, indices, data = adj.indptr, adj.indices, adj.data
    m = len(u)
    best_x, best = None, math.inf
    spectral = _spectral_start(adj, n)
    for r in range(max(1, restarts)):
        if r == 0 and spectral is not None:
            x = spectral.copy()
        elif r % 2 == 1:
            x = _tree_start(n, u, v, s, rng)
        else:
            x = rng.choice([-1.0, 1.0], size=n)
        h = adj @ x
        _descend(x, h, indptr, indices, data)
        value = (m - float(x @ h) / 2) / 2
        for _ in range(kicks):
            if deadline is not None and time.perf_counter() > deadline:
                break
            saved_x, saved_h, saved_value = x.copy(), h.copy(), value
            for i in rng.choice(n, size=max(1, min(n, 1 + n // 25)), replace=False):
                x[i] = -x[i]
                lo, hi = indptr[i], indptr[i + 1]
                h[indices[lo:hi]] += 2.0 * x[i] * data[lo:hi]
            _descend(x, h, indptr, indices, data)
            value = (m - float(x @ h) / 2) / 2
            if value > saved_value:
                x, h, value = saved_x, saved_h, saved_value
        if value < best:
            best, best_x = value, x.copy()
        if deadline is not None and time.perf_counter() > deadline:
            break
    camps = (best_x < 0).astype(np.int8)
    return camps, int(frustrated_mask(camps, u, v, s).sum())


# ------------------------------------------------------------------ lower bounds


@dataclass
class _Cuts:
    """Odd-cycle inequalities ``sum_S (1 - z) + sum_{W\\S} z >= 1`` as sparse rows."""

    m: int
    cols: list
    vals: list
    sizes: list
    rhs: list

    @classmethod
    def empty(cls, m: int) -> _Cuts:
        return cls(m, [], [], [], [])

    def add(self, edges: np.ndarray, in_s: np.ndarray) -> None:
        self.cols.append(edges)
        self.vals.append(np.where(in_s, -1.0, 1.0))
        self.sizes.append(np.array([len(edges)]))
        self.rhs.append(np.array([1.0 - float(in_s.sum())]))

    def add_row(self, cols: np.ndarray, vals: np.ndarray, rhs: float) -> None:
        """Any row ``vals @ z[cols] >= rhs``."""
        self.cols.append(cols)
        self.vals.append(np.asarray(vals, dtype=float))
        self.sizes.append(np.array([len(cols)]))
        self.rhs.append(np.array([rhs]))

    def add_many(self, cut: np.ndarray, edges: np.ndarray, in_s: np.ndarray) -> None:
        """Several inequalities at once: entry ``k`` puts ``edges[k]`` in cut ``cut[k]``.

        ``cut`` must be sorted and number the new inequalities ``0 .. c-1``.
        """
        if not len(cut):
            return
        sizes = np.bincount(cut)
        self.cols.append(edges)
        self.vals.append(np.where(in_s, -1.0, 1.0))
        self.sizes.append(sizes)
        self.rhs.append(1.0 - np.bincount(cut, weights=in_s.astype(float)))

    def add_triangles(self, ids: np.ndarray) -> None:
        """Rows ``z_a + z_b + z_c >= 1``, one per row of the ``(k, 3)`` array ``ids``."""
        self.cols.append(ids.ravel())
        self.vals.append(np.ones(ids.size))
        self.sizes.append(np.full(len(ids), 3))
        self.rhs.append(np.ones(len(ids)))

    def __len__(self) -> int:
        return int(sum(len(r) for r in self.rhs))

    def subset(self, rows: np.ndarray) -> _Cuts:
        """A new :class:`_Cuts` holding only the given rows, in that order."""
        out = _Cuts.empty(self.m)
        if len(rows):
            a = self.matrix()[np.asarray(rows)]
            out.cols, out.vals = [a.indices.astype(np.int64)], [a.data]
            out.sizes, out.rhs = [np.diff(a.indptr)], [self.bounds()[rows]]
        return out

    def bounds(self) -> np.ndarray:
        return np.concatenate(self.rhs) if self.rhs else np.zeros(0)

    def matrix(self, offset: int = 0, width: int | None = None,
               start: int = 0) -> sparse.csr_array:
        """Rows ``start ..`` as a sparse matrix, columns shifted by ``offset``."""
        shape = (len(self) - start, width or self.m)
        if not self.rhs or shape[0] <= 0:
            return sparse.csr_array((max(shape[0], 0), shape[1]))
        sizes = np.concatenate(self.sizes)
        first = np.r_[0, np.cumsum(sizes)]
        vals, cols = np.concatenate(self.vals), np.concatenate(self.cols)
        lo = first[start]
        return sparse.csr_array((vals[lo:], cols[lo:] + offset, first[start:] - lo),
                                shape=shape)


def _unbalanced_triangles(n, u, v, s, cuts: _Cuts) -> None:
    """Add ``z_a + z_b + z_c >= 1`` for every triangle with an odd number of negative ties."""
    ties = pd.DataFrame({"a": u, "c": v, "e1": np.arange(len(u))})
    wedges = ties.merge(ties.rename(columns={"a": "b", "e1": "e2"}), on="c")
    wedges = wedges[wedges["a"].to_numpy() < wedges["b"].to_numpy()]
    keys = u.astype(np.int64) * n + v
    order = np.argsort(keys)
    wanted = wedges["a"].to_numpy(np.int64) * n + wedges["b"].to_numpy(np.int64)
    pos = np.minimum(np.searchsorted(keys[order], wanted), len(keys) - 1)
    present = keys[order][pos] == wanted
    e1 = wedges["e1"].to_numpy()[present]
    e2 = wedges["e2"].to_numpy()[present]
    e3 = order[pos[present]]
    odd = s[e1] * s[e2] * s[e3] < 0
    if odd.any():
        cuts.add_triangles(np.column_stack([e3[odd], e1[odd], e2[odd]]))


def _edge_lookup(n, u, v) -> dict:
    return {(int(a), int(b)): k for k, (a, b) in enumerate(zip(u, v, strict=True))} | {
        (int(b), int(a)): k for k, (a, b) in enumerate(zip(u, v, strict=True))
    }


def _walk_to_cut(path_nodes: list[int], n: int, neg: np.ndarray, lookup: dict):
    """Edges of odd multiplicity on a doubled-graph walk, with their ``S`` membership."""
    count: dict[int, int] = {}
    choice: dict[int, bool] = {}
    for a, b in itertools.pairwise(path_nodes):
        k = lookup[(a % n, b % n)]
        in_s = bool(((a // n) ^ (b // n)) != neg[k])
        count[k] = count.get(k, 0) + 1
        choice[k] = in_s
    edges = np.array(sorted(k for k, c in count.items() if c % 2), dtype=np.int64)
    return edges, np.array([choice[k] for k in edges], dtype=bool)


def _separate(n, u, v, s, z, cuts: _Cuts, lookup, *, start: int, max_sources: int,
              max_new: int) -> tuple[int, int]:
    """Add violated odd-cycle inequalities found from up to ``max_sources`` nodes.

    Returns ``(number added, next start)``. Arc ``(a, p) -> (b, q)`` of the doubled graph
    costs ``z_e`` when ``e`` is outside ``S`` (parity changes with the tie's sign) and
    ``1 - z_e`` inside ``S`` (parity changes once more); a path from ``(i, 0)`` to
    ``(i, 1)`` shorter than 1 is a violated inequality (Barahona & Mahjoub 1986).
    """
    neg = (s < 0).astype(np.int64)
    z = np.clip(z, 0.0, 1.0)
    rows, cols, w = [], [], []
    for p in (0, 1):
        q = p ^ neg
        for a, b in ((u, v), (v, u)):
            rows += [a + p * n, a + p * n]
            cols += [b + q * n, b + (1 - q) * n]
            w += [z + 1e-9, 1.0 - z + 1e-9]
    graph = sparse.csr_array(
        (np.concatenate(w), (np.concatenate(rows), np.concatenate(cols))), shape=(2 * n, 2 * n)
    )
    sources = (start + np.arange(min(n, max_sources))) % n
    dist, pred = dijkstra(graph, indices=sources, return_predecessors=True, limit=1.0)
    gap = dist[np.arange(len(sources)), sources + n]
    added, seen = 0, set()
    for k in np.argsort(gap, kind="stable"):
        if gap[k] >= 1.0 - _TOL or added >= max_new:
            break
        src = int(sources[k])
        path = [src + n]
        while path[-1] != src:
            path.append(int(pred[k, path[-1]]))
        edges, in_s = _walk_to_cut(path[::-1], n, neg, lookup)
        key = (edges.tobytes(), in_s.tobytes())
        if len(edges) and key not in seen:  # inequalities in the LP already hold
            seen.add(key)
            cuts.add(edges, in_s)
            added += 1
    return added, int((start + len(sources)) % n)


def _edge_positions(n: int, u: np.ndarray, v: np.ndarray, a: np.ndarray,
                    b: np.ndarray) -> np.ndarray:
    """Positions in ``(u, v)`` of the ties ``{a, b}`` (each must be present)."""
    keys = u.astype(np.int64) * n + v
    order = np.argsort(keys, kind="stable")
    lo, hi = np.minimum(a, b).astype(np.int64), np.maximum(a, b).astype(np.int64)
    return order[np.searchsorted(keys[order], lo * n + hi)]


def _tree_separate(n, u, v, s, z, cuts: _Cuts, *, root: int, max_new: int) -> int:
    """Add violated odd-cycle inequalities found on the fundamental cycles of one tree.

    The heuristic separation of Barahona, Jünger & Reinelt (1989), vectorised: a tie is
    taken as frustrated when ``z_e > 1/2``; a shortest-path forest grown from ``root``
    (and from one node of every other component) with lengths ``min(z, 1 - z)`` gives
    the nodes camps that satisfy its rounded ties; every other tie the camps contradict
    closes a cycle ``W`` on which ``S`` = the rounded-frustrated ties has the wrong
    parity, and whose inequality's left side is the sum of ``min(z, 1 - z)`` over ``W``.
    Those below 1 are added, the most violated first (at most ``max_new``). Returns how
    many were added; zero does not prove that none is violated.
    """
    z = np.clip(z, 0.0, 1.0)
    frus = z > 0.5
    cost = np.minimum(z, 1.0 - z)
    length = cost + 1e-3  # positive, and short cycles first among equally cheap ones
    graph = sparse.csr_array((np.r_[length, length], (np.r_[u, v], np.r_[v, u])),
                             shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    _, roots = np.unique(comp, return_index=True)
    roots[comp[root]] = root
    _, pred, _ = dijkstra(graph, indices=roots, min_only=True, return_predecessors=True)
    node = np.arange(n)
    is_root = pred < 0
    pred = np.where(is_root, node, pred)
    pedge = np.full(n, -1, dtype=np.int64)
    child = np.flatnonzero(~is_root)
    pedge[child] = _edge_positions(n, u, v, pred[child], child)
    # camps (parity to the root), depth and cost to the root by pointer jumping
    differ = (s < 0) ^ frus  # a satisfied tie joins different camps iff negative
    parity = np.zeros(n, dtype=bool)
    parity[child] = differ[pedge[child]]
    depth = (~is_root).astype(np.int64)
    to_root = np.zeros(n)
    to_root[child] = cost[pedge[child]]
    anc = pred.copy()
    for _ in range(max(1, int(n).bit_length())):
        parity, depth, to_root = parity ^ parity[anc], depth + depth[anc], to_root + to_root[anc]
        anc = anc[anc]
    in_tree = np.zeros(len(u), dtype=bool)
    in_tree[pedge[child]] = True
    cand = np.flatnonzero(~in_tree & ((parity[u] ^ parity[v]) != differ))
    if not len(cand):
        return 0
    # climb from both ends to the common ancestor, all cycles at once
    rec_i, rec_e = [np.arange(len(cand))], [cand]
    a, b = u[cand].copy(), v[cand].copy()
    live = np.flatnonzero(a != b)
    while len(live):
        up_a = depth[a[live]] >= depth[b[live]]
        ja, jb = live[up_a], live[~up_a]
        rec_i += [ja, jb]
        rec_e += [pedge[a[ja]], pedge[b[jb]]]
        a[ja], b[jb] = pred[a[ja]], pred[b[jb]]
        live = live[a[live] != b[live]]
    ci, ce = np.concatenate(rec_i), np.concatenate(rec_e)
    lhs = np.bincount(ci, weights=cost[ce], minlength=len(cand))
    size = np.bincount(ci, minlength=len(cand))
    chosen = np.flatnonzero(lhs < 1.0 - _TOL)
    # short cycles first: their inequalities are the strongest and keep the LP sparse
    chosen = chosen[np.lexsort((lhs[chosen], size[chosen]))][:max_new]
    if not len(chosen):
        return 0
    rank = np.full(len(cand), -1)
    rank[chosen] = np.arange(len(chosen))
    keep = rank[ci] >= 0
    ci, ce = rank[ci[keep]], ce[keep]
    order = np.lexsort((ce, ci))
    cuts.add_many(ci[order], ce[order], frus[ce[order]])
    return len(chosen)


def _new_highs():
    """A HiGHS instance that prints nothing (``highspy.Highs`` prints a banner when it
    sets up its Python callbacks, before any option can be set; none are used here)."""
    highs = getattr(highspy, "_Highs", highspy.Highs)()
    highs.setOptionValue("output_flag", False)
    return highs


class _LP:
    """The cut LP ``min sum z`` over ``0 <= z <= 1`` and the rows of a :class:`_Cuts`,
    kept in one HiGHS instance: rows added after a solve are re-solved by the dual
    simplex from the previous basis instead of from scratch, and rows slack for
    ``purge_after`` solves in a row are deleted again (they keep their place in the
    :class:`_Cuts`; a row deleted wrongly is simply found violated again)."""

    def __init__(self, m: int, purge_after: int | None = None) -> None:
        self.highs = _new_highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.setOptionValue("threads", 1)
        empty_i, empty_f = np.zeros(0, np.int32), np.zeros(0)
        self.highs.addCols(m, np.ones(m), np.zeros(m), np.ones(m), 0, empty_i, empty_i,
                           empty_f)
        self.rows = 0  # rows of the cuts taken in so far
        self.index = np.zeros(0, dtype=np.int64)  # which of them each model row is
        self.lower = np.zeros(0)  # lower bound of each row now in the model
        self.slack = np.zeros(0, dtype=np.int64)  # solves in a row each has been slack
        self.purge_after = PURGE_AFTER if purge_after is None else purge_after

    def solve(self, cuts: _Cuts, deadline: float | None) -> tuple[bool, float, np.ndarray]:
        """``(solved, objective, z)`` after adding the rows of ``cuts`` not yet in."""
        if len(cuts) > self.rows:
            new = cuts.matrix(start=self.rows)
            lower = cuts.bounds()[self.rows:]
            self.highs.addRows(len(lower), lower, np.full(len(lower), highspy.kHighsInf),
                               new.nnz, new.indptr[:-1].astype(np.int32),
                               new.indices.astype(np.int32), new.data)
            self.rows = len(cuts)
            self.index = np.r_[self.index, np.arange(self.rows - len(lower), self.rows)]
            self.lower = np.r_[self.lower, lower]
            self.slack = np.r_[self.slack, np.zeros(len(lower), dtype=np.int64)]
        if deadline is not None:
            # HiGHS compares its time limit with the run time summed over every run of
            # this instance, not with the time of this run alone
            self.highs.setOptionValue(
                "time_limit", self.highs.getRunTime() + max(0.01, deadline - time.perf_counter()))
        self.highs.run()
        if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return False, 0.0, np.zeros(0)
        solution = self.highs.getSolution()
        z = np.asarray(solution.col_value, dtype=float)
        objective = float(self.highs.getInfo().objective_function_value)
        if self.purge_after and len(self.lower):
            activity = np.asarray(solution.row_value, dtype=float)
            self.slack = np.where(activity > self.lower + 1e-6, self.slack + 1, 0)
            drop = np.flatnonzero(self.slack >= self.purge_after)
            if len(drop):
                self.highs.deleteRows(len(drop), drop.astype(np.int32))
                keep = self.slack < self.purge_after
                self.lower, self.slack = self.lower[keep], self.slack[keep]
                self.index = self.index[keep]
        return True, objective, z

    def kept(self, cuts: _Cuts) -> _Cuts:
        """The rows of ``cuts`` in the model now and those not yet taken in."""
        return cuts.subset(np.r_[self.index, np.arange(self.rows, len(cuts))])


def _is_cut(n, u, v, s, z) -> bool:
    """Whether ``z`` is integral and its ties, switched in sign, balance the graph.

    Such a ``z`` satisfies every odd-cycle inequality (no separation needed): it is a
    set of frustrated ties of some camps, so an LP optimum of that form is optimal.
    """
    rounded = np.round(z)
    if not np.all(np.abs(z - rounded) < _TOL):
        return False
    return colouring(n, u, v, np.where(rounded > 0, -s, s))[1]


def cycle_relaxation(n, u, v, s, *, deadline: float | None, cuts: _Cuts | None = None,
                     max_rounds: int = 1000, target: int | None = None):
    """Lower bound from the LP over odd-cycle inequalities, generated in rounds.

    Each round solves the LP, then looks for violated inequalities on the fundamental
    cycles of a spanning tree (cheap; the tree's root changes every round) and, only
    when that finds none, by the exact shortest-path separation.

    Returns ``(bound, z, cuts, converged)``: ``bound`` is valid even when the loop stops
    early (each LP is a relaxation), ``cuts`` are the rows of the last LP and those
    found violated after it; ``converged`` means no inequality is violated by
    ``z``, so an integral ``z`` is then an optimal set of frustrated ties. With
    ``target`` (the value of known camps) the loop stops as soon as the rounded-up
    bound reaches it, which proves those camps optimal.
    """
    m = len(u)
    cuts = cuts or _Cuts.empty(m)
    if not len(cuts) and m <= TRIANGLE_SEED_MAX_EDGES:
        _unbalanced_triangles(n, u, v, s, cuts)
    lookup = None
    max_sources = max(1, min(n, 4_000_000 // max(1, 2 * n)))
    roots = np.argsort(-np.bincount(np.r_[u, v], minlength=n), kind="stable")
    bound, z, start = 0.0, np.zeros(m), 0
    lp = _LP(m)
    for r in range(max_rounds):
        if len(cuts):
            solved, objective, x = lp.solve(cuts, deadline)
            if not solved:
                return bound, z, lp.kept(cuts), False
            bound, z = objective, x
            if target is not None and math.ceil(bound - _TOL) >= target:
                return bound, z, lp.kept(cuts), False
        found = _tree_separate(n, u, v, s, z, cuts, root=int(roots[r % n]),
                               max_new=max(n // 4, 50))
        if found == 0 and len(cuts) and _is_cut(n, u, v, s, z):
            return bound, z, lp.kept(cuts), True
        swept = 0
        while found == 0 and swept < n:
            if lookup is None:
                lookup = _edge_lookup(n, u, v)
            found, start = _separate(n, u, v, s, z, cuts, lookup, start=start,
                                     max_sources=max_sources, max_new=max(n, 50))
            swept += max_sources
            if deadline is not None and time.perf_counter() > deadline:
                break
        if found == 0 and swept >= n:
            return bound, z, lp.kept(cuts), True
        if deadline is not None and time.perf_counter() > deadline:
            return bound, z, lp.kept(cuts), False
    return bound, z, lp.kept(cuts), False


def cycle_packing(n, u, v, s, *, deadline: float | None) -> int:
    """Number of edge-disjoint unbalanced closed walks found greedily (a lower bound)."""
    alive = np.ones(len(u), dtype=bool)
    lookup = _edge_lookup(n, u, v)
    neg = (s < 0).astype(np.int64)
    found = 0
    while deadline is None or time.perf_counter() < deadline:
        idx = np.flatnonzero(alive)
        if not len(idx):
            break
        a, b, sg = u[idx], v[idx], s[idx]
        _, ok = colouring(n, a, b, sg)
        if ok:
            break
        ng = sg < 0
        rows = np.r_[a, a + n, b, b + n]
        cols = np.r_[np.where(ng, b + n, b), np.where(ng, b, b + n),
                     np.where(ng, a + n, a), np.where(ng, a, a + n)]
        graph = sparse.csr_array((np.ones(len(rows)), (rows, cols)), shape=(2 * n, 2 * n))
        _, label = connected_components(graph, directed=False)
        src = int(np.flatnonzero(label[:n] == label[n:])[0])
        _, pred = dijkstra(graph, indices=src, unweighted=True, return_predecessors=True)
        path = [src + n]
        while path[-1] != src:
            path.append(int(pred[path[-1]]))
        path = path[::-1]
        ks = [lookup[(p % n, q % n)] for p, q in itertools.pairwise(path)]
        counts = np.bincount(ks, minlength=len(u))
        odd = np.flatnonzero(counts % 2 == 1)
        if not len(odd) or neg[odd].sum() % 2 == 0:  # cannot happen; stay safe
            break
        alive[odd] = False
        found += 1
    return found


# ------------------------------------------------------------------ exact solve


def _milp(n, u, v, s, cuts: _Cuts, deadline: float | None, fixed: int):
    """Binary XOR model (Aref, Mason & Wilson 2020) plus the odd-cycle cuts."""
    m = len(u)
    k = np.arange(m)
    f = n + k
    pos = s > 0
    r0, r1 = 2 * k, 2 * k + 1
    rows = np.r_[r0, r0, r0, r1, r1, r1]
    cols = np.r_[f, u, v, f, u, v]
    vals = np.r_[np.ones(m), -np.ones(m), np.where(pos, 1.0, -1.0),
                 np.ones(m), np.ones(m), np.where(pos, -1.0, 1.0)]
    lower = np.empty(2 * m)
    lower[0::2] = np.where(pos, 0.0, -1.0)
    lower[1::2] = np.where(pos, 0.0, 1.0)
    model = sparse.csr_array((vals, (rows, cols)), shape=(2 * m, n + m))
    a = sparse.vstack([model, cuts.matrix(offset=n, width=n + m)]).tocsr()
    lo = np.r_[lower, cuts.bounds()]
    ub = np.ones(n + m)
    ub[fixed] = 0.0
    options = {}
    if deadline is not None:
        options["time_limit"] = max(0.01, deadline - time.perf_counter())
    return milp(np.r_[np.zeros(n), np.ones(m)], constraints=LinearConstraint(a, lo, np.inf),
                integrality=np.ones(n + m), bounds=Bounds(np.zeros(n + m), ub),
                options=options)


@dataclass
class BlockSolution:
    camps: np.ndarray
    value: int
    lower_bound: int
    exact: bool


def _share(deadline: float | None, fraction: float) -> float | None:
    """A deadline ``fraction`` of the way from now to ``deadline``."""
    if deadline is None:
        return None
    now = time.perf_counter()
    return now + fraction * max(0.0, deadline - now)


def _better_camps(n, u, v, s, z, camps, value):
    """The camps of an LP optimum ``z`` that is a set of frustrated ties, if better."""
    if not _is_cut(n, u, v, s, z):
        return camps, value
    lp_camps, _ = colouring(n, u, v, np.where(np.round(z) > 0, -s, s))
    lp_value = int(frustrated_mask(lp_camps, u, v, s).sum())
    return (lp_camps, lp_value) if lp_value < value else (camps, value)


def solve_block(n, u, v, s, *, exact: bool, deadline: float | None, rng,
                restarts: int = 8, kicks: int = 30, use_lp: bool = True) -> BlockSolution:
    """Frustration of one biconnected block: exactly, or heuristically with a bound.

    With a deadline, the exact solve gives the local search a tenth of the time left,
    the cycle relaxation 80 % of the rest and the integer program whatever remains, so
    a run out of time still returns good camps and a bound. The heuristic gives the
    local search 40 %, the cycle relaxation 85 % of the rest and the cycle packing the
    remainder (only when the relaxation has not reached the local search's value).
    """
    if not exact:
        if deadline is None:
            deadline = time.perf_counter() + HEURISTIC_BOUND_SECONDS
        camps, value = local_search(n, u, v, s, rng=rng, restarts=restarts, kicks=kicks,
                                    deadline=_share(deadline, 0.4))
        relaxed, z, _, converged = cycle_relaxation(n, u, v, s, deadline=_share(deadline, 0.85),
                                                    target=value)
        bound = math.ceil(relaxed - _TOL)
        if bound < value and converged:
            camps, value = _better_camps(n, u, v, s, z, camps, value)
        if bound < value:
            bound = max(bound, cycle_packing(n, u, v, s, deadline=deadline))
        bound = min(bound, value)
        return BlockSolution(camps, value, bound, bound == value)

    camps, value = local_search(n, u, v, s, rng=rng, restarts=restarts, kicks=kicks,
                                deadline=_share(deadline, 0.1))
    cuts, bound = _Cuts.empty(len(u)), 0
    if use_lp:
        relaxed, z, cuts, converged = cycle_relaxation(
            n, u, v, s, deadline=_share(deadline, 0.8), target=value)
        bound = math.ceil(relaxed - _TOL)
        if bound < value and converged:
            camps, value = _better_camps(n, u, v, s, z, camps, value)
    if bound >= value:
        return BlockSolution(camps, value, value, True)
    if deadline is not None and time.perf_counter() >= deadline:  # no time to build it
        return BlockSolution(camps, value, bound, False)
    cuts.add_row(np.arange(len(u)), -np.ones(len(u)), -float(value))  # cutoff: sum z <= value
    fixed = int(np.argmax(np.bincount(np.r_[u, v], minlength=n)))
    res = _milp(n, u, v, s, cuts, deadline, fixed)
    if res.x is not None:
        x = (res.x[:n] > 0.5).astype(np.int8)
        milp_value = int(frustrated_mask(x, u, v, s).sum())
        if milp_value < value or (res.status == 0 and milp_value == value):
            camps, value = x, milp_value
    if res.status == 0:
        return BlockSolution(camps, value, value, True)
    dual = getattr(res, "mip_dual_bound", None)
    if dual is not None and np.isfinite(dual):
        bound = max(bound, math.ceil(dual - _TOL))
    bound = min(bound, value)
    return BlockSolution(camps, value, bound, bound == value)


# ------------------------------------------------------------------- whole graph


@dataclass
class Solution:
    camps: np.ndarray
    frustrated: np.ndarray  # boolean mask over ties
    lower_bound: int
    exact: bool


def blocks(n: int, u: np.ndarray, v: np.ndarray) -> list[np.ndarray]:
    """Tie positions of each biconnected block that contains a cycle (>= 3 ties)."""
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(zip(u.tolist(), v.tolist(), strict=True))
    lookup = {(int(a), int(b)): k for k, (a, b) in enumerate(zip(u, v, strict=True))}
    out = []
    for comp in nx.biconnected_component_edges(graph):
        if len(comp) >= 3:
            ids = np.array(sorted(lookup[(min(a, b), max(a, b))] for a, b in comp))
            out.append(ids)
    out.sort(key=lambda ids: int(ids[0]))
    return out


def solve(n: int, u: np.ndarray, v: np.ndarray, s: np.ndarray, *, exact: bool | None,
          time_limit: float | None, seed: int, use_lp: bool = True) -> Solution:
    """Frustration index of a whole signed graph, block by block."""
    deadline = None if time_limit is None else time.perf_counter() + float(time_limit)
    u, v, s = np.asarray(u, np.int64), np.asarray(v, np.int64), np.asarray(s, np.int64)
    flip = np.zeros(len(u), dtype=bool)
    bound, all_exact = 0, True
    parts = blocks(n, u, v)
    if exact is None:
        largest = max((len(np.unique(np.r_[u[b], v[b]])) for b in parts), default=0)
        exact = largest <= EXACT_MAX_NODES
    for index, ids in enumerate(parts):
        nodes, local = np.unique(np.r_[u[ids], v[ids]], return_inverse=True)
        bu, bv, bs = local[: len(ids)], local[len(ids):], s[ids]
        nb = len(nodes)
        _, ok = colouring(nb, bu, bv, bs)
        if ok:
            continue
        if len(ids) == nb:  # an unbalanced cycle: any one tie will do
            flip[ids[0]] = True
            bound += 1
            continue
        sol = solve_block(nb, bu, bv, bs, exact=exact, deadline=deadline,
                          rng=np.random.default_rng([seed, index]), use_lp=use_lp)
        flip[ids] = frustrated_mask(sol.camps, bu, bv, bs)
        bound += sol.lower_bound
        all_exact &= sol.exact
    camps, ok = colouring(n, u, v, np.where(flip, -s, s))
    if not ok:  # pragma: no cover - would be a bug in the block decomposition
        raise RuntimeError("internal error: flipped ties do not balance the graph")
    frustrated = frustrated_mask(camps, u, v, s)
    return Solution(camps, frustrated, min(bound, int(frustrated.sum())), all_exact)
