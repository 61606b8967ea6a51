"""Structural balance of signed networks: triangles, frustration, blocs, over time.

A signed network is *balanced* when its actors split into two camps with every positive
tie inside a camp and every negative tie across (Harary 1953; Cartwright & Harary 1956);
*clusterable* when some number of blocs does the same (Davis 1967). The functions here
measure how far a network is from that:

* :func:`triangle_census` and :func:`triangle_index`: the share of balanced triangles,
  strong (``+++`` and ``+--``) or weak (all but ``++-``, Davis 1967);
* :func:`frustration_index`: the fewest ties whose removal (equivalently, sign flip)
  leaves the network balanced, with the two camps and the frustrated ties; exact for
  networks of a few hundred actors, a heuristic with a proven lower bound beyond
  (Aref & Wilson 2018; Aref, Mason & Wilson 2020);
* :func:`blocs`: ``k`` blocs minimising the Doreian-Mrvar error (Doreian & Mrvar 1996);
* :func:`over_time`: all of these per calendar period of a :class:`TemporalGraph`.

Input
-----
Every function takes a :class:`~graphkit.TemporalGraph` or any networkx graph (Graph,
DiGraph, MultiGraph, MultiDiGraph) whose edges carry a ``sign`` attribute, and first
collapses it to a simple undirected signed graph (:func:`signed_graph`) by this rule:

* each edge contributes ``sign * |weight|`` when it has a numeric ``weight`` attribute,
  else its ``sign`` (so ``sign`` decides the direction, ``weight`` only the size);
* the contributions of all edges between two actors, in either direction, are summed,
  and the sign of the sum is the sign of the tie;
* a sum of zero (within rounding error) drops the tie, as do self-loops and ties of
  sign 0 (neutral relations such as membership);
* an edge without a ``sign`` raises ``ValueError``.

For a temporal graph, each pair's contribution is its score over the graph's measured
range (:attr:`TemporalGraph.measured_range`: a window's range, or the data's span), by
the one rule of :mod:`graphkit.model.measure` (standing ties' level plus events' flow), so the
result is the same as for ``tg.to_networkx(directed=False)``, and a tie's sign in a
period is the sign of its score in :func:`graphkit.analysis.metrics.dyad_scores`. After
collapsing, every tie counts once: the balance measures are unweighted.

Determinism: nodes are sorted before any model is built, and the random starts of the
heuristics come from ``seed``, so the same input gives the same output.

References
----------
Harary, F. (1953). On the notion of balance of a signed graph. Michigan Mathematical
Journal 2(2): 143-146.

Cartwright, D. and Harary, F. (1956). Structural balance: a generalization of Heider's
theory. Psychological Review 63(5): 277-293.

Davis, J. A. (1967). Clustering and structural balance in graphs. Human Relations 20(2):
181-187.

Barahona, F. and Mahjoub, A. R. (1986). On the cut polytope. Mathematical Programming
36: 157-173.

Barahona, F., Jünger, M. and Reinelt, G. (1989). Experiments in quadratic 0-1
programming. Mathematical Programming 44: 127-137.

Doreian, P. and Mrvar, A. (1996). A partitioning approach to structural balance. Social
Networks 18(2): 149-168. (2009) Partitioning signed social networks. Social Networks
31(1): 1-11. (2015) Structural balance and signed international relations. Journal of
Social Structure 16.

Aref, S. and Wilson, M. C. (2018). Measuring partial balance in signed networks. Journal
of Complex Networks 6(4): 566-595.

Aref, S., Mason, A. J. and Wilson, M. C. (2020). A modeling and computational study of
the frustration index in signed networks. Networks 75(1): 95-110.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from graphkit.analysis import frustration as _frustration
from graphkit.analysis.frustration import EXACT_MAX_NODES
from graphkit.core.timespec import half_life_seconds
from graphkit.model.temporal import TemporalGraph, range_scores

__all__ = [
    "CENSUS_KEYS",
    "EXACT_MAX_NODES",
    "BlocsResult",
    "FrustrationResult",
    "blocs",
    "frustration_index",
    "over_time",
    "signed_graph",
    "triangle_census",
    "triangle_index",
]

#: Triangle types, by the signs of their three ties.
CENSUS_KEYS = ("+++", "++-", "+--", "---")

SignedInput = nx.Graph | TemporalGraph


# ------------------------------------------------------------------ signed graphs


@dataclass(frozen=True)
class _Signed:
    """A simple undirected signed graph as arrays: ties ``u[i] < v[i]`` with sign ``s[i]``."""

    nodes: list
    u: np.ndarray
    v: np.ndarray
    s: np.ndarray
    weight: np.ndarray

    @property
    def n(self) -> int:
        return len(self.nodes)

    @property
    def m(self) -> int:
        return len(self.u)


def _active(sg: _Signed) -> _Signed:
    """Drop the nodes without ties."""
    used = np.unique(np.r_[sg.u, sg.v])
    remap = np.full(sg.n, -1)
    remap[used] = np.arange(len(used))
    return _Signed([sg.nodes[i] for i in used], remap[sg.u], remap[sg.v], sg.s, sg.weight)


def _sorted(nodes: Iterable) -> list:
    nodes = list(nodes)
    try:
        return sorted(nodes)
    except TypeError:  # mixed types: order by type name, then text
        return sorted(nodes, key=lambda x: (type(x).__name__, str(x)))


def _collapse(a: Iterable, b: Iterable, contribution: np.ndarray, nodes: Iterable | None = None
              ) -> _Signed:
    """Sum contributions per unordered pair and keep the pairs with a non-zero sum."""
    a, b = list(a), list(b)
    labels = _sorted(set(a) | set(b) | set(nodes if nodes is not None else ()))
    index = {node: i for i, node in enumerate(labels)}
    ia = np.fromiter((index[x] for x in a), dtype=np.int64, count=len(a))
    ib = np.fromiter((index[x] for x in b), dtype=np.int64, count=len(b))
    contribution = np.asarray(contribution, dtype=float)
    keep = ia != ib
    lo, hi, c = np.minimum(ia, ib)[keep], np.maximum(ia, ib)[keep], contribution[keep]
    n = len(labels)
    keys, inverse = np.unique(lo * max(n, 1) + hi, return_inverse=True)
    total = np.bincount(inverse, weights=c, minlength=len(keys))
    scale = np.bincount(inverse, weights=np.abs(c), minlength=len(keys))
    nonzero = np.abs(total) > 1e-9 * np.maximum(scale, 1e-300)
    keys, total = keys[nonzero], total[nonzero]
    return _Signed(labels, keys // max(n, 1), keys % max(n, 1),
                   np.sign(total).astype(np.int64), total)


def _number(value: object, what: str, edge: tuple) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"tie {edge[0]!r}-{edge[1]!r}: {what} {value!r} is not a number") from None


def _signed(graph: SignedInput) -> _Signed:
    """Collapse the input to a simple undirected signed graph (the rule in the module doc)."""
    if isinstance(graph, _Signed):
        return graph
    if isinstance(graph, TemporalGraph):
        if graph.relations.empty:
            return _collapse([], [], np.zeros(0), nodes=graph.entities["id"])
        ties = range_scores(graph.relations, *graph.measured_range, directed=False)
        return _collapse(ties["source"], ties["target"], ties["weight"].to_numpy(float),
                         nodes=graph.entities["id"])
    if not isinstance(graph, nx.Graph):
        raise TypeError(
            f"expected a networkx graph or a TemporalGraph, not {type(graph).__name__}"
        )
    a, b, contribution = [], [], []
    for x, y, data in graph.edges(data=True):
        if "sign" not in data or data["sign"] is None:
            raise ValueError(
                f"tie {x!r}-{y!r} has no 'sign' attribute: balance needs signed ties "
                "(+1 friendly, -1 hostile)"
            )
        sign = _number(data["sign"], "sign", (x, y))
        if math.isnan(sign):
            raise ValueError(f"tie {x!r}-{y!r}: sign is NaN")
        weight = data.get("weight")
        if weight is not None:
            weight = _number(weight, "weight", (x, y))
        value = np.sign(sign) if weight is None or math.isnan(weight) else (
            np.sign(sign) * abs(weight))
        a.append(x)
        b.append(y)
        contribution.append(value)
    return _collapse(a, b, np.asarray(contribution, dtype=float), nodes=graph.nodes)


def signed_graph(G: SignedInput) -> nx.Graph:
    """The simple undirected signed graph the balance functions work on.

    Parameters
    ----------
    G : networkx graph or TemporalGraph
        Any networkx graph whose edges carry ``sign`` (and optionally ``weight``).

    Returns
    -------
    networkx.Graph
        Every node of ``G``; one edge per pair of actors with a non-zero summed
        contribution, with ``sign`` (+1 or -1) and ``weight`` (the signed sum). See the
        module documentation for the rule.

    Examples
    --------
    >>> M = nx.MultiGraph()
    >>> M.add_edge("A", "B", sign=1, weight=3)
    0
    >>> M.add_edge("B", "A", sign=-1, weight=5)
    1
    >>> M.add_edge("A", "C", sign=1)
    0
    >>> M.add_edge("A", "C", sign=-1)
    1
    >>> sorted(signed_graph(M).edges(data=True))
    [('A', 'B', {'sign': -1, 'weight': -2.0})]
    """
    sg = _signed(G)
    out = nx.Graph()
    out.add_nodes_from(sg.nodes)
    out.add_edges_from(
        (sg.nodes[a], sg.nodes[b], {"sign": int(sign), "weight": float(w)})
        for a, b, sign, w in zip(sg.u, sg.v, sg.s, sg.weight, strict=True)
    )
    return out


# ----------------------------------------------------------------------- triangles


def _census(sg: _Signed) -> np.ndarray:
    if sg.m == 0:
        return np.zeros(4, dtype=np.int64)
    pos, neg = sg.s > 0, sg.s < 0

    def adj(mask):
        ones = np.ones(int(mask.sum()))
        a = sparse.coo_array((ones, (sg.u[mask], sg.v[mask])), shape=(sg.n, sg.n)).tocsr()
        return a + a.T

    p, q = adj(pos), adj(neg)
    pp, qq = p @ p, q @ q
    counts = [
        pp.multiply(p).sum() / 6,  # +++ : each triangle counted at 6 ordered ties
        pp.multiply(q).sum() / 2,  # ++- : at both directions of its negative tie
        qq.multiply(p).sum() / 2,  # +-- : at both directions of its positive tie
        qq.multiply(q).sum() / 6,  # ---
    ]
    return np.rint(counts).astype(np.int64)


def triangle_census(G: SignedInput) -> dict[str, int]:
    """Count the triangles of each sign pattern.

    Parameters
    ----------
    G : networkx graph or TemporalGraph
        Signed network (see the module documentation for how it is collapsed).

    Returns
    -------
    dict
        ``{"+++": ..., "++-": ..., "+--": ..., "---": ...}``: triangles with 0, 1, 2 and
        3 negative ties. ``+++`` and ``+--`` are balanced (Cartwright & Harary 1956);
        ``---`` is balanced in the weak sense only (Davis 1967).

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edges_from([("A", "B", {"sign": 1}), ("B", "C", {"sign": -1}),
    ...                   ("A", "C", {"sign": -1}), ("C", "D", {"sign": 1}),
    ...                   ("B", "D", {"sign": 1})])
    >>> triangle_census(G)
    {'+++': 0, '++-': 1, '+--': 1, '---': 0}

    References
    ----------
    Cartwright, D. and Harary, F. (1956). Structural balance: a generalization of
    Heider's theory. Psychological Review 63(5): 277-293.
    """
    return dict(zip(CENSUS_KEYS, (int(c) for c in _census(_signed(G))), strict=True))


def _indices(counts: np.ndarray) -> tuple[float, float]:
    total = counts.sum()
    if total == 0:
        return math.nan, math.nan
    return float((counts[0] + counts[2]) / total), float((total - counts[1]) / total)


def triangle_index(G: SignedInput, weak: bool = False) -> float:
    """Share of balanced triangles (the triangle index of balance).

    Parameters
    ----------
    G : networkx graph or TemporalGraph
        Signed network.
    weak : bool
        ``False``: strong balance, the share of ``+++`` and ``+--`` triangles
        (Cartwright & Harary 1956). ``True``: weak balance, the share of triangles that
        are not ``++-`` (Davis 1967: ``---`` triangles are allowed when there can be
        more than two blocs).

    Returns
    -------
    float
        In ``[0, 1]``; NaN when there are no triangles.

    Examples
    --------
    >>> G = nx.complete_graph(3)
    >>> nx.set_edge_attributes(G, -1, "sign")
    >>> triangle_index(G), triangle_index(G, weak=True)
    (0.0, 1.0)

    References
    ----------
    Davis, J. A. (1967). Clustering and structural balance in graphs. Human Relations
    20(2): 181-187.

    Aref, S. and Wilson, M. C. (2018). Measuring partial balance in signed networks.
    Journal of Complex Networks 6(4): 566-595.
    """
    strong, weak_index = _indices(_census(_signed(G)))
    return weak_index if weak else strong


# --------------------------------------------------------------------- frustration


@dataclass(frozen=True)
class FrustrationResult:
    """The frustration index of a signed network, with the camps that achieve it.

    Attributes
    ----------
    value : int
        Number of frustrated ties under ``partition`` (the frustration index when
        ``exact``, an upper bound otherwise).
    partition : dict
        Node -> camp (0 or 1). In each connected component the first node (in sorted
        order) is in camp 0; isolated nodes are in camp 0.
    frustrated_edges : list of tuple
        The frustrated ties ``(u, v)``: positive across camps or negative within one,
        ``u`` before ``v`` in sorted order, sorted.
    exact : bool
        Whether ``value`` is proven minimal.
    lower_bound : int
        A proven lower bound (equal to ``value`` when ``exact``).
    edges : int
        Number of ties of the collapsed graph.
    """

    value: int
    partition: dict
    frustrated_edges: list
    exact: bool
    lower_bound: int
    edges: int = 0

    @property
    def line_balance(self) -> float:
        """Normalised line index of balance ``1 - 2 L / m`` (Aref & Wilson 2018).

        1 for a balanced network, 0 for the least balanced possible; NaN with no ties.
        """
        return 1.0 - 2.0 * self.value / self.edges if self.edges else math.nan

    @property
    def camps(self) -> tuple[list, list]:
        """The nodes of camp 0 and of camp 1."""
        return ([n for n, c in self.partition.items() if c == 0],
                [n for n, c in self.partition.items() if c == 1])

    def __repr__(self) -> str:
        sizes = tuple(len(c) for c in self.camps)
        bound = "" if self.exact else f", lower_bound={self.lower_bound}"
        return (f"FrustrationResult(value={self.value}, exact={self.exact}{bound}, "
                f"edges={self.edges}, camps={sizes}, line_balance={self.line_balance:.3f})")

    def _repr_html_(self) -> str:
        zero, one = self.camps
        shown = ", ".join(f"{escape(str(a))}–{escape(str(b))}"
                          for a, b in self.frustrated_edges[:20])
        total = len(self.frustrated_edges)
        more = f" … ({total} in all)" if total > 20 else ""
        rows = [
            ("frustration index", f"{self.value}" + ("" if self.exact else
                                                     f" (heuristic; ≥ {self.lower_bound})")),
            ("ties", self.edges),
            ("line index of balance", f"{self.line_balance:.3f}"),
            (f"camp 0 ({len(zero)})", ", ".join(escape(str(n)) for n in zero[:30])),
            (f"camp 1 ({len(one)})", ", ".join(escape(str(n)) for n in one[:30])),
            ("frustrated ties", shown + more),
        ]
        body = "".join(f"<tr><th style='text-align:left'>{escape(str(k))}</th>"
                       f"<td style='text-align:left'>{v}</td></tr>" for k, v in rows)
        return f"<div><strong>FrustrationResult</strong><table>{body}</table></div>"


def _solve_frustration(
    sg: _Signed, exact, time_limit, seed
) -> tuple[np.ndarray, FrustrationResult]:
    if exact is not None and not isinstance(exact, bool):
        raise TypeError("exact must be True, False or None")
    if time_limit is not None and not time_limit > 0:
        raise ValueError(f"time_limit must be a positive number of seconds, not {time_limit!r}")
    sol = _frustration.solve(sg.n, sg.u, sg.v, sg.s, exact=exact, time_limit=time_limit,
                             seed=seed)
    nodes = sg.nodes
    frustrated = [(nodes[a], nodes[b]) for a, b in
                  zip(sg.u[sol.frustrated], sg.v[sol.frustrated], strict=True)]
    value = len(frustrated)
    result = FrustrationResult(
        value=value,
        partition={node: int(c) for node, c in zip(nodes, sol.camps, strict=True)},
        frustrated_edges=frustrated,
        exact=bool(sol.exact),
        lower_bound=int(value if sol.exact else sol.lower_bound),
        edges=sg.m,
    )
    return sol.camps, result


def frustration_index(
    G: SignedInput,
    *,
    exact: bool | None = None,
    time_limit: float | None = None,
    seed: int = 0,
) -> FrustrationResult:
    """The fewest ties whose removal (or sign flip) leaves the network balanced.

    Equivalently, the smallest number of ties frustrated by a split of the actors into
    two camps, a frustrated tie being positive across the camps or negative within one:
    the line index of balance (Harary 1953), or frustration index.

    Parameters
    ----------
    G : networkx graph or TemporalGraph
        Signed network (see the module documentation for how it is collapsed).
    exact : bool, optional
        ``True`` proves the optimum; ``False`` runs the heuristic (an upper bound with a
        proven lower bound); ``None`` (default) is exact when the largest biconnected
        block of the graph, after dropping dangling trees, has at most
        ``EXACT_MAX_NODES`` (400) nodes, and heuristic beyond.
    time_limit : float, optional
        Seconds for the whole computation. An exact solve that runs out of time returns
        the best camps found with ``exact=False`` and the bound proven so far. The
        heuristic spends at most this long (10 s when not given) on its lower bound.
    seed : int
        Seed of the heuristic's random starts (the result is deterministic given it).

    Returns
    -------
    FrustrationResult
        ``value``, ``partition``, ``frustrated_edges``, ``exact``, ``lower_bound``,
        ``edges`` and the ``line_balance`` ``1 - 2 value / edges``.

    Notes
    -----
    Frustration adds up over biconnected blocks, so trees, bridges and isolated nodes
    never add any and each block is solved alone. A block first gets camps from a local
    search, then a linear program over odd-cycle inequalities (Barahona & Mahjoub 1986),
    found on the fundamental cycles of spanning trees (Barahona, Jünger & Reinelt 1989)
    or by shortest paths and re-solved from the last basis by HiGHS, proves them optimal
    as soon as its bound reaches their value. That settles every real network tried,
    among them SNAP's Bitcoin Alpha and OTC trust networks (3,774 and 5,863 users with
    a tie), well within two minutes. Otherwise the binary XOR model of Aref, Mason &
    Wilson (2020) with those cuts, one node's camp fixed and a local-search cutoff is
    solved by HiGHS through ``scipy.optimize.milp``.
    The heuristic is an iterated single-node-flip local search from spectral, spanning
    tree and random starts; its lower bound comes from edge-disjoint unbalanced cycles
    and the same linear program. See :mod:`graphkit.analysis.frustration`.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edges_from([("A", "B", {"sign": 1}), ("B", "C", {"sign": 1}),
    ...                   ("A", "C", {"sign": -1}), ("C", "D", {"sign": -1})])
    >>> result = frustration_index(G)
    >>> result.value, result.exact, result.frustrated_edges
    (1, True, [('A', 'B')])
    >>> result.partition
    {'A': 0, 'B': 1, 'C': 1, 'D': 0}

    References
    ----------
    Harary, F. (1953). On the notion of balance of a signed graph. Michigan Mathematical
    Journal 2(2): 143-146.

    Aref, S. and Wilson, M. C. (2018). Measuring partial balance in signed networks.
    Journal of Complex Networks 6(4): 566-595.

    Aref, S., Mason, A. J. and Wilson, M. C. (2020). A modeling and computational study
    of the frustration index in signed networks. Networks 75(1): 95-110.
    """
    return _solve_frustration(_signed(G), exact, time_limit, seed)[1]


# --------------------------------------------------------------------------- blocs


@dataclass(frozen=True)
class BlocsResult:
    """A partition into blocs and its Doreian-Mrvar error.

    Attributes
    ----------
    partition : dict
        Node -> bloc id ``0 .. k-1`` for every actor with a tie, blocs numbered in the
        order of their first member (nodes sorted). Actors without ties are not in it.
    error : float
        ``alpha * negative_within + (1 - alpha) * positive_between``.
    negative_within : int
        Negative ties inside blocs.
    positive_between : int
        Positive ties between blocs.
    k : int
        Number of blocs.
    alpha : float
        Weight of the negative ties inside blocs.
    sizes : tuple of int
        Actors in each bloc.
    unassigned : list
        Actors without ties (sorted): no tie places them in any bloc.
    """

    partition: dict
    error: float
    negative_within: int
    positive_between: int
    k: int
    alpha: float = 0.5
    sizes: tuple = field(default=())
    unassigned: list = field(default_factory=list)

    @property
    def blocs(self) -> list[list]:
        """The members of each bloc, bloc 0 first."""
        out: list[list] = [[] for _ in range(self.k)]
        for node, b in self.partition.items():
            out[b].append(node)
        return out

    def __repr__(self) -> str:
        return (f"BlocsResult(k={self.k}, alpha={self.alpha}, error={self.error:g}, "
                f"negative_within={self.negative_within}, "
                f"positive_between={self.positive_between}, sizes={self.sizes}, "
                f"unassigned={len(self.unassigned)})")


_SWAP_MAX_NODES = 1500


class _Relocation:
    """Labels of a partition into ``k`` blocs, with each node's ties to every bloc."""

    def __init__(self, sg: _Signed, k: int, alpha: float):
        n = sg.n
        self.n, self.k, self.alpha = n, k, alpha

        def adj(mask):
            a = sparse.coo_array((np.ones(int(mask.sum())), (sg.u[mask], sg.v[mask])),
                                 shape=(n, n)).tocsr()
            return (a + a.T).tocsr()

        self.p, self.q = adj(sg.s > 0), adj(sg.s < 0)
        self.dense = n <= _SWAP_MAX_NODES
        if self.dense:  # dense rows make moves cheap and allow the swap neighbourhood
            self.p_rows, self.q_rows = self.p.toarray(), self.q.toarray()
            self.pair = 2 * (1 - alpha) * self.p_rows - 2 * alpha * self.q_rows
        self.rows = np.arange(n)

    def start(self, labels: np.ndarray) -> None:
        self.labels = labels
        onehot = np.zeros((self.n, self.k))
        onehot[self.rows, labels] = 1.0
        self.pos_to, self.neg_to = self.p @ onehot, self.q @ onehot
        self.sizes = np.bincount(labels, minlength=self.k)

    def state(self):
        return (self.labels.copy(), self.pos_to.copy(), self.neg_to.copy(), self.sizes.copy())

    def restore(self, state) -> None:
        self.labels, self.pos_to, self.neg_to, self.sizes = state

    def _row(self, matrix, dense, i):
        if self.dense:
            return dense[i]
        out = np.zeros(self.n)
        lo, hi = matrix.indptr[i], matrix.indptr[i + 1]
        out[matrix.indices[lo:hi]] = matrix.data[lo:hi]
        return out

    def move(self, i: int, new: int) -> None:
        old = self.labels[i]
        if old == new:
            return
        col_p = self._row(self.p, self.p_rows if self.dense else None, i)
        col_q = self._row(self.q, self.q_rows if self.dense else None, i)
        self.pos_to[:, old] -= col_p
        self.pos_to[:, new] += col_p
        self.neg_to[:, old] -= col_q
        self.neg_to[:, new] += col_q
        self.labels[i] = new
        self.sizes[old] -= 1
        self.sizes[new] += 1

    def descend(self) -> None:
        """Best single moves, then best swaps, while the error falls (no bloc emptied)."""
        alpha, rows = self.alpha, self.rows
        while True:
            labels = self.labels
            own_pos, own_neg = self.pos_to[rows, labels], self.neg_to[rows, labels]
            delta = (alpha * (self.neg_to - own_neg[:, None])
                     - (1 - alpha) * (self.pos_to - own_pos[:, None]))
            moves = delta.copy()
            moves[rows, labels] = np.inf
            moves[self.sizes[labels] == 1] = np.inf
            i, b = np.unravel_index(np.argmin(moves), moves.shape)
            if moves[i, b] < -1e-9:
                self.move(int(i), int(b))
                continue
            if not self.dense:
                return
            cross = delta[:, labels]  # cross[i, j]: change when i joins j's bloc
            swap = cross + cross.T + self.pair
            swap[labels[:, None] == labels[None, :]] = np.inf
            i, j = np.unravel_index(np.argmin(swap), swap.shape)
            if swap[i, j] >= -1e-9:
                return
            bi, bj = int(labels[i]), int(labels[j])
            self.move(int(i), bj)
            self.move(int(j), bi)


def _split_start(sg: _Signed, k: int, rng: np.random.Generator) -> np.ndarray:
    """Blocs made by splitting, ``k - 1`` times, the bloc with most negative ties inside
    into the two camps that a local search for its frustration index finds."""
    labels = np.zeros(sg.n, dtype=np.int64)
    for new in range(1, k):
        same = labels[sg.u] == labels[sg.v]
        inside = np.bincount(labels[sg.u][same & (sg.s < 0)], minlength=new)
        for bloc in np.argsort(-inside, kind="stable"):
            members = np.flatnonzero(labels == bloc)
            keep = same & (labels[sg.u] == bloc)
            if inside[bloc] == 0 or len(members) < 2:
                continue
            remap = np.full(sg.n, -1)
            remap[members] = np.arange(len(members))
            camps, _ = _frustration.local_search(
                len(members), remap[sg.u[keep]], remap[sg.v[keep]], sg.s[keep], rng=rng,
                restarts=2, kicks=5, deadline=None)
            if 0 < camps.sum() < len(members):
                labels[members[camps == 1]] = new
                break
        else:  # nothing left to split usefully: start the bloc with one node
            big = int(np.argmax(np.bincount(labels, minlength=new)))
            labels[np.flatnonzero(labels == big)[-1]] = new
    return labels


def _relocate(sg: _Signed, k: int, alpha: float, restarts: int, seed: int,
              kicks: int = 20) -> np.ndarray:
    """Best labels found by relocation (moves and swaps) from several starts.

    The first start splits blocs along frustration camps; the others are random. Each
    local optimum is followed by ``kicks`` random perturbations of a few nodes, kept
    when the error does not rise.
    """
    n = sg.n
    search = _Relocation(sg, k, alpha)
    rng = np.random.default_rng(seed)
    best, best_error = None, math.inf
    for restart in range(max(1, restarts)):
        if restart == 0:
            labels = _split_start(sg, k, rng)
        else:
            labels = rng.integers(k, size=n)
            labels[rng.permutation(n)[:k]] = np.arange(k)  # no bloc starts empty
        search.start(labels)
        search.descend()
        error = _bloc_error(sg, search.labels, alpha)[0]
        for _ in range(kicks):
            saved = search.state()
            for i in rng.choice(n, size=max(1, n // 20), replace=False):
                if search.sizes[search.labels[i]] > 1:
                    search.move(int(i), int(rng.integers(k)))
            search.descend()
            new_error = _bloc_error(sg, search.labels, alpha)[0]
            if new_error > error + 1e-9:
                search.restore(saved)
            else:
                error = new_error
        if error < best_error - 1e-9:
            best, best_error = search.labels.copy(), error
    return best


def _bloc_error(sg: _Signed, labels: np.ndarray, alpha: float) -> tuple[float, int, int]:
    same = labels[sg.u] == labels[sg.v]
    negative_within = int(np.sum(same & (sg.s < 0)))
    positive_between = int(np.sum(~same & (sg.s > 0)))
    return alpha * negative_within + (1 - alpha) * positive_between, negative_within, \
        positive_between


def blocs(
    G: SignedInput,
    k: int,
    alpha: float = 0.5,
    *,
    restarts: int = 10,
    seed: int = 0,
) -> BlocsResult:
    """Split the actors into ``k`` blocs with few negative ties inside, positive between.

    Minimises the Doreian-Mrvar criterion ``P = alpha * N + (1 - alpha) * P+``, where
    ``N`` counts negative ties within blocs and ``P+`` positive ties between blocs, by
    the relocation heuristic of Doreian & Mrvar (1996): from each random start, move
    single actors to another bloc, or swap two actors of different blocs, while the
    error falls. No bloc is left empty. Actors without ties are left unassigned
    (``unassigned``): no tie says where they belong, so they are in no bloc. With
    ``k=2`` and ``alpha=0.5`` the error is half the number of frustrated ties, so its
    minimum is half the frustration index of the tied actors (when the optimal camps
    are both non-empty). Each undirected tie counts once (tools that count both directions of a
    symmetric matrix, such as signnet, report twice this error).

    Parameters
    ----------
    G : networkx graph or TemporalGraph
        Signed network (see the module documentation for how it is collapsed).
    k : int
        Number of blocs, ``1 <= k <=`` number of actors with a tie (any ``k`` of 1 when
        there is none).
    alpha : float
        Weight of negative ties within blocs, in ``[0, 1]``; 0.5 weighs both kinds of
        error equally, as Doreian & Mrvar do.
    restarts : int
        Random starts; the best result is kept (ties: the first found).
    seed : int
        Seed of the random starts: the result is deterministic given it.

    Returns
    -------
    BlocsResult
        ``partition`` (actor with a tie -> bloc, blocs numbered by their first member in
        sorted order), ``error``, ``negative_within``, ``positive_between``, ``sizes``
        and ``unassigned`` (actors without ties).

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edges_from([("A", "B", {"sign": 1}), ("C", "D", {"sign": 1}),
    ...                   ("E", "F", {"sign": 1}), ("A", "C", {"sign": -1}),
    ...                   ("C", "E", {"sign": -1}), ("A", "E", {"sign": -1})])
    >>> G.add_node("G")  # no tie: in no bloc
    >>> result = blocs(G, 3)
    >>> result.partition, result.error, result.unassigned
    ({'A': 0, 'B': 0, 'C': 1, 'D': 1, 'E': 2, 'F': 2}, 0.0, ['G'])

    References
    ----------
    Doreian, P. and Mrvar, A. (1996). A partitioning approach to structural balance.
    Social Networks 18(2): 149-168.

    Doreian, P. and Mrvar, A. (2009). Partitioning signed social networks. Social
    Networks 31(1): 1-11.

    Doreian, P. and Mrvar, A. (2015). Structural balance and signed international
    relations. Journal of Social Structure 16.
    """
    whole = _signed(G)
    if int(k) != k or k < 1:
        raise ValueError(f"k must be a whole number >= 1, not {k!r}")
    k = int(k)
    sg = _active(whole)  # actors with a tie; the others are unassigned
    tied = set(sg.nodes)
    unassigned = [node for node in whole.nodes if node not in tied]
    if k > max(sg.n, 1):
        raise ValueError(f"k={k} blocs cannot be filled by {sg.n} actors with a tie "
                         f"({len(unassigned)} more have none and join no bloc)")
    if not 0 <= alpha <= 1:
        raise ValueError(f"alpha must be between 0 and 1, not {alpha!r}")
    labels = np.zeros(sg.n, dtype=np.int64)
    if k > 1:
        labels = _relocate(sg, k, alpha, restarts, seed)
    _, first = np.unique(labels, return_index=True)
    order = np.argsort(first)  # bloc ids by first member
    renumber = np.empty(k, dtype=np.int64)
    renumber[np.unique(labels)[order]] = np.arange(len(order))
    labels = renumber[labels]
    error, negative_within, positive_between = _bloc_error(sg, labels, alpha)
    return BlocsResult(
        partition={node: int(b) for node, b in zip(sg.nodes, labels, strict=True)},
        error=float(error),
        negative_within=negative_within,
        positive_between=positive_between,
        k=k,
        alpha=float(alpha),
        sizes=tuple(int(c) for c in np.bincount(labels, minlength=k)),
        unassigned=unassigned,
    )


# ----------------------------------------------------------------------- over time

_NO_TIES = pd.DataFrame({"source": [], "target": [], "score": [], "decayed": []})
OVER_TIME_COLUMNS = [
    "period", "nodes", "edges", "positive", "negative", "triangles", *CENSUS_KEYS,
    "strong_balance", "weak_balance", "frustration", "line_balance", "exact", "lower_bound",
]


def _align(sg: _Signed, camps: np.ndarray, last: dict) -> np.ndarray:
    """Switch whole components so that camps agree with each node's last known camp."""
    if sg.n == 0:
        return camps
    _, comp = connected_components(
        sparse.coo_array((np.ones(sg.m), (sg.u, sg.v)), shape=(sg.n, sg.n)), directed=False
    )
    before = np.array([last.get(node, -1) for node in sg.nodes])
    known = before >= 0
    agree = np.bincount(comp[known], weights=(camps[known] == before[known]),
                        minlength=comp.max() + 1)
    disagree = np.bincount(comp[known], weights=(camps[known] != before[known]),
                           minlength=comp.max() + 1)
    flip = (disagree > agree)[comp]
    return np.where(flip, 1 - camps, camps).astype(np.int8)


def _firm(sg: _Signed, camps: np.ndarray) -> np.ndarray:
    """Whether moving each node alone to the other camp would frustrate more ties."""
    same = camps[sg.u] == camps[sg.v]
    frustrated = np.where(sg.s > 0, ~same, same)
    # moving a node turns each of its ties from frustrated to satisfied or back
    delta = np.where(frustrated, -1, 1)
    cost = np.bincount(sg.u, weights=delta, minlength=sg.n) + np.bincount(
        sg.v, weights=delta, minlength=sg.n)
    return cost > 0


def over_time(
    tg: TemporalGraph,
    freq: str = "Y",
    *,
    window: int | None = None,
    types: Iterable[str] | None = None,
    half_life: str | pd.Timedelta | None = None,
    partitions: bool = False,
    exact: bool | None = None,
    time_limit: float | None = None,
    seed: int = 0,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Structural balance per calendar period: census, triangle indices, frustration.

    Parameters
    ----------
    tg : TemporalGraph
        The relations; each period holds a tie for every pair of actors with relations
        overlapping it, whose sign is the sign of the pair's score in the period
        (:func:`graphkit.analysis.metrics.dyad_scores`, ``directed=False``: standing ties' level
        plus events' flow; see the module documentation).
    freq : {"D", "W", "M", "Q", "Y"}
        Period length.
    window : int, optional
        Rolling width in periods: each period then also holds the ``window - 1``
        periods before it.
    types : iterable of str, optional
        Relation types to keep (``KeyError`` for unknown types).
    half_life : str, Timedelta or number of days, optional
        Take each tie's sign from its decayed score (``dyad_scores``' ``decayed``: the
        level plus the event flow discounted by ``0.5 ** (age / half_life)``, earlier
        events included). Ties are still the pairs with relations overlapping the period;
        balance counts ties, not weights, so decay matters only through these signs.
    partitions : bool
        Also return each actor's camp per period.
    exact, time_limit, seed
        As for :func:`frustration_index` (``time_limit`` applies to each period).

    Returns
    -------
    pandas.DataFrame
        One row per period: ``period``, ``nodes`` (actors with at least one signed tie),
        ``edges``, ``positive``, ``negative``, ``triangles``, the census counts ``+++``,
        ``++-``, ``+--``, ``---``, ``strong_balance`` and ``weak_balance`` (triangle
        indices, NaN without triangles), ``frustration`` (frustration index),
        ``line_balance`` (``1 - 2 frustration / edges``, Aref & Wilson 2018; NaN without
        ties), ``exact`` and ``lower_bound``.
    (pandas.DataFrame, pandas.DataFrame)
        With ``partitions=True``, also a table ``period``, ``entity``, ``camp`` (0/1) and
        ``firm`` for the actors with ties in each period. ``firm`` is True when moving
        the actor alone to the other camp would frustrate more ties: when it is False,
        another partition as good puts the actor on the other side, so its camp says
        little (optimal partitions are often not unique). Camps are labels only, so each connected
        component is switched, where that makes more actors agree with the camp they
        had when last seen, to keep labels stable over time (this changes no count).

    Examples
    --------
    >>> import graphkit
    >>> tg = graphkit.load("data/nagorno_karabakh")  # doctest: +SKIP
    >>> table, camps = over_time(tg, "Y", window=3, partitions=True)  # doctest: +SKIP
    >>> table[["period", "edges", "frustration", "line_balance"]].tail(3)  # doctest: +SKIP

    References
    ----------
    Cartwright, D. and Harary, F. (1956). Structural balance: a generalization of
    Heider's theory. Psychological Review 63(5): 277-293.

    Davis, J. A. (1967). Clustering and structural balance in graphs. Human Relations
    20(2): 181-187.

    Aref, S. and Wilson, M. C. (2018). Measuring partial balance in signed networks.
    Journal of Complex Networks 6(4): 566-595.

    Doreian, P. and Mrvar, A. (2015). Structural balance and signed international
    relations. Journal of Social Structure 16.
    """
    if not isinstance(tg, TemporalGraph):
        raise TypeError(f"over_time needs a TemporalGraph, not {type(tg).__name__}")
    from graphkit.analysis.scores import dyad_scores

    if half_life is not None:
        half_life_seconds(half_life)
    if types is not None:
        tg = tg.filter(types=types)
    rows, camp_tables, last = [], [], {}
    table = tg.period_table(freq, window=window) if len(tg.relations) else None
    scores = (dyad_scores(tg, freq, half_life=half_life, directed=False, window=window)
              if table is not None else None)
    value = "decayed" if half_life is not None else "score"
    by_period = dict(tuple(scores.groupby("period", sort=True))) if scores is not None else {}
    for period in ([] if table is None else table["period"]):
        ties = by_period.get(period, _NO_TIES)
        sg = _active(_collapse(ties["source"], ties["target"],
                               ties[value].to_numpy(float)))
        counts = _census(sg)
        strong, weak = _indices(counts)
        camps, result = _solve_frustration(sg, exact, time_limit, seed)
        rows.append((period, sg.n, sg.m, int((sg.s > 0).sum()), int((sg.s < 0).sum()),
                     int(counts.sum()), *(int(c) for c in counts), strong, weak,
                     result.value, result.line_balance, result.exact, result.lower_bound))
        if partitions:
            camps = _align(sg, camps, last)
            last.update(zip(sg.nodes, camps.tolist(), strict=True))
            camp_tables.append(pd.DataFrame({"period": period, "entity": sg.nodes,
                                             "camp": camps.astype(np.int8),
                                             "firm": _firm(sg, camps)}))
    out = pd.DataFrame.from_records(rows, columns=OVER_TIME_COLUMNS)
    counts = [*OVER_TIME_COLUMNS[1:10], "frustration", "lower_bound"]
    out = out.astype(dict.fromkeys(counts, "int64"))
    out = out.astype({"strong_balance": float, "weak_balance": float, "line_balance": float,
                      "exact": bool})
    if not partitions:
        return out
    if camp_tables:
        camps_table = pd.concat(camp_tables, ignore_index=True)
    else:
        camps_table = pd.DataFrame({"period": [], "entity": [], "camp": [], "firm": []})
    return out, camps_table.astype({"camp": "int8", "firm": bool})
