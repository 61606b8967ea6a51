"""Metrics over time: centrality per entity and scores per dyad, period by period.

Every function takes a :class:`~graphkit.TemporalGraph` and returns a tidy
:class:`pandas.DataFrame` with one row per period x entity or period x dyad.

Time semantics, shared by all functions here
--------------------------------------------
* Periods are the rows of :meth:`TemporalGraph.period_table(freq, window=window)
  <graphkit.TemporalGraph.period_table>`: calendar days, weeks, months, quarters or years
  from the first relation to the last, optionally rolling over ``window`` periods.
* A relation takes part in every period its half-open interval ``[t_start, t_end)``
  overlaps (the rule of :meth:`TemporalGraph.window <graphkit.TemporalGraph.window>`):
  degrees and betweenness count it there. Its weight there follows the one measurement
  rule of :mod:`graphkit.model.measure`: a standing tie (durable type) adds its time-weighted
  level, an event the share of its weight inside the period as a flow per 30 days. So the
  metrics of period ``p`` are those of ``tg.window(start_p, end_p)`` and a strength means
  the same at every ``freq``.
* ``types`` keeps only relations of those types, exactly as ``tg.filter(types=types)``
  does first (the periods then span the kept relations).
* Within a period, parallel relations are aggregated per pair as
  :meth:`TemporalGraph.to_networkx` does: directed, an undirected relation counts in both
  directions; undirected, each relation counts once.
* Weights start from ``signed_weight`` (``sign * |weight|`` on the Goldstein 1992 scale),
  times the confidence with ``weight_by="confidence"``.

The aggregation is vectorised (:mod:`graphkit.analysis.aggregate`: relations are expanded to
(period, relation) pairs with ``numpy.searchsorted`` and ``numpy.repeat``, never
filtered per period); PageRank and eigenvector centrality run as one sparse power
iteration over a block-diagonal matrix holding every period at once.

References
----------
Goldstein, J. S. (1992). A conflict-cooperation scale for WEIS events data. *Journal of
Conflict Resolution*, 36(2), 369-385.

Schrodt, P. A. (2012). *CAMEO Conflict and Mediation Event Observations Codebook*,
version 1.1b3 (the quad classes).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse import csgraph
from scipy.sparse.linalg import eigsh

from graphkit.analysis import aggregate, coverage
from graphkit.core.timespec import half_life_seconds
from graphkit.model import measure
from graphkit.model.temporal import TemporalGraph, encode

__all__ = ["CENTRALITY_MEASURES", "DEFAULT_MEASURES", "centrality", "dyad_scores"]

#: Every measure :func:`centrality` computes.
CENTRALITY_MEASURES = (
    "degree", "in_degree", "out_degree", "positive_degree", "negative_degree",
    "strength", "in_strength", "out_strength", "betweenness", "pagerank", "eigenvector",
)
#: The measures computed when none are named (betweenness is costly: ask for it).
DEFAULT_MEASURES = tuple(m for m in CENTRALITY_MEASURES if m != "betweenness")
_INTEGER_MEASURES = {"degree", "in_degree", "out_degree", "positive_degree", "negative_degree"}


# ----------------------------------------------------------------------- helpers


class _Pairs:
    """Relations of a graph expanded to (period, relation) pairs, as numpy arrays.

    ``weight`` is each pair's contribution to its dyad's score in the period, by the rule
    of :mod:`graphkit.model.measure` (level for a standing tie, flow for an event).
    """

    def __init__(self, tg: TemporalGraph, freq: str, window: int | None,
                 types: Iterable[str] | str | None, combine: str = "level+flow",
                 weight_by: str | None = None):
        graph = tg.filter(types=types) if types is not None else tg
        rel = graph.relations
        self.ids, source, target = _codes(tg, graph)
        if not self.ids.is_unique:
            raise ValueError("entity ids are not unique")
        self.n = len(self.ids)
        self.periods = _periods(graph, freq, window)
        self.n_periods = len(self.periods)
        starts, ends = aggregate.bounds(self.periods)
        t_start, t_end = aggregate.seconds(rel["t_start"]), aggregate.seconds(rel["t_end"])
        self.period, row = aggregate.expand(t_start, t_end, starts, ends)
        self.source = source[row]
        self.target = target[row]
        durable = rel["durable"].to_numpy(dtype=bool)[row]
        share, scale = measure.terms(t_start[row], t_end[row], durable,
                                     starts[self.period], ends[self.period])
        weight = measure.weights(rel, weight_by)[row] * share * scale
        if combine != "level+flow":
            weight[durable if measure.check_combine(combine) == "flow" else ~durable] = 0.0
        self.weight = weight
        self.sign = rel["sign"].to_numpy(dtype=np.int8)[row]
        self.undirected = ~rel["directed"].to_numpy(dtype=bool)[row]
        self._directed = None
        self._directed_groups = None

    def node(self, period: np.ndarray, entity: np.ndarray) -> np.ndarray:
        return period * self.n + entity

    def directed(self, mask: np.ndarray | None = None):
        """(period, source, target, weight) with undirected relations in both directions
        (kept when ``mask`` is None: the degrees and PageRank both read it)."""
        if mask is None:
            if self._directed is None:
                self._directed = self._directed_arrays(slice(None))
            return self._directed
        return self._directed_arrays(mask)

    def _directed_arrays(self, keep):
        p, s, t, w = self.period[keep], self.source[keep], self.target[keep], self.weight[keep]
        both = self.undirected[keep]
        return (np.concatenate([p, p[both]]), np.concatenate([s, t[both]]),
                np.concatenate([t, s[both]]), np.concatenate([w, w[both]]))

    def undirected_pairs(self, mask: np.ndarray | None = None):
        """(period, low, high, weight): each relation once, its pair ordered."""
        keep = slice(None) if mask is None else mask
        s, t = self.source[keep], self.target[keep]
        return self.period[keep], np.minimum(s, t), np.maximum(s, t), self.weight[keep]

    def directed_groups(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:func:`graphkit.analysis.aggregate.group` of the directed graph's ``(period, source,
        target)`` keys ``(p * n + s) * n + t`` (kept: degrees and PageRank share it)."""
        if self._directed_groups is None:
            p, s, t, _ = self.directed()
            size = max(self.n_periods * self.n, 1) * self.n
            self._directed_groups = aggregate.group((p * self.n + s) * self.n + t, size)
        return self._directed_groups

    def distinct_directed(self) -> np.ndarray:
        """Distinct (period, source, target) of the directed graph, as sorted int64 keys."""
        return self.directed_groups()[2]

    def count(self, node: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(node, weights=weights, minlength=self.n_periods * self.n)


class _Edges:
    """Weighted edges (period, source, target, score) in both layouts.

    Without a half-life, straight from the pairs (parallel relations are summed later,
    by ``bincount`` or by the sparse matrices). With one, from the decayed dyad scores
    (:func:`dyad_scores` with ``fill="all"``), so a dyad's past events weigh in every later
    period by the same rule as in the dyad table.
    """

    def __init__(self, pairs: _Pairs, tg: TemporalGraph, freq: str, window: int | None,
                 types, half_life: object | None, combine: str, weight_by: str | None):
        self.pairs = pairs
        self.decayed = half_life is not None
        self._scores: dict[bool, pd.DataFrame] = {}
        self._table = lambda directed: dyad_scores(
            tg, freq, half_life=half_life, directed=directed, window=window, types=types,
            fill="all", combine=combine, weight_by=weight_by)

    def _from_table(self, directed: bool):
        if directed not in self._scores:  # only the layouts the measures ask for
            self._scores[directed] = self._table(directed)
        table = self._scores[directed]
        pairs = self.pairs
        period = pd.Index(pairs.periods["period"]).get_indexer(table["period"])
        return (period.astype(np.int64), pairs.ids.get_indexer(table["source"]),
                pairs.ids.get_indexer(table["target"]), table["decayed"].to_numpy(float))

    def directed(self):
        return self._from_table(True) if self.decayed else self.pairs.directed()

    def undirected(self):
        return self._from_table(False) if self.decayed else self.pairs.undirected_pairs()


def _codes(tg: TemporalGraph, graph: TemporalGraph) -> tuple[pd.Index, np.ndarray, np.ndarray]:
    """``tg``'s sorted entity ids and ``graph``'s relations encoded against them
    (``graph``: ``tg`` or a filtered view of it; ``tg``'s codes are kept, see
    ``TemporalGraph._entity_codes``)."""
    ids, source, target = tg._entity_codes
    if graph is not tg:
        source = encode(graph.relations["source"], ids)
        target = encode(graph.relations["target"], ids)
    return ids, source, target


def _periods(graph: TemporalGraph, freq: str, window: int | None) -> pd.DataFrame:
    """``graph.period_table(freq, window=window)``, or an empty table when it has no relations."""
    if len(graph.relations):
        return graph.period_table(freq, window=window)
    return aggregate.empty_periods(freq, window)


def _distinct(p: np.ndarray, a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """Distinct (period, a, b) triples, as sorted int64 keys ``(p * n + a) * n + b``."""
    return aggregate.distinct((p * n + a) * n + b)


def _block_matrix(rows: np.ndarray, cols: np.ndarray, data: np.ndarray, size: int):
    return sp.csr_array((data, (rows, cols)), shape=(size, size))


def _positive_matrix(edges: tuple, n: int, size: int, weighted: bool, symmetric: bool,
                     groups: tuple | None = None):
    """Block-diagonal matrix of every period's ties with a positive score.

    Parallel contributions are summed per pair first (a sort of packed keys, see
    :func:`graphkit.analysis.aggregate.group`), so a pair is a cooperative tie only when its score
    (level plus flow) is positive; ``weighted=False`` gives each such tie weight 1. The
    sorted pairs are already in CSR order, so the matrix is built without another sort.
    ``groups``: that grouping of ``edges``, when already made (see
    :meth:`_Pairs.directed_groups`).
    """
    p, s, t, w = edges
    if symmetric:
        p, s, t, w = (np.concatenate([p, p]), np.concatenate([s, t]),
                      np.concatenate([t, s]), np.concatenate([w, w]))
    if groups is None:
        key = (p * n + s) * n + t  # row (period * n + source) times n, plus target
        groups = aggregate.group(key, max(size, 1) * n)
    order, first, pairs = groups
    total = np.add.reduceat(w[order], first) if len(first) else np.zeros(0)
    keep = total > 1e-12
    pairs, total = pairs[keep], total[keep]
    row = pairs // n
    col = (row // n) * n + pairs % n
    indptr = np.searchsorted(row, np.arange(size + 1))
    data = total if weighted else np.ones(len(total))
    return sp.csr_array((data, col, indptr), shape=(size, size))


# -------------------------------------------------------------------- centrality


def centrality(
    tg: TemporalGraph,
    freq: str = "M",
    *,
    measures: Sequence[str] | str | None = None,
    window: int | None = None,
    half_life: object | None = None,
    types: Iterable[str] | str | None = None,
    combine: str = "level+flow",
    weight_by: str | None = None,
    weighted: bool = True,
    alpha: float = 0.85,
    tol: float = 1e-10,
    max_iter: int = 1000,
) -> pd.DataFrame:
    """Centrality of every entity in every period.

    Every entity of the graph has a row in every period (rows are sorted by period, then
    entity id); an entity without relations in a period has degrees, strengths,
    betweenness and eigenvector 0. Each measure is computed on one graph per period,
    built from the relations overlapping it (see the module notes):

    ``degree``
        Number of distinct partners, either direction (undirected graph of all ties).
    ``in_degree``, ``out_degree``
        Distinct partners with a relation towards / from the entity (directed graph; an
        undirected relation counts both ways).
    ``positive_degree``, ``negative_degree``
        Distinct partners with at least one cooperative (``sign > 0``) / hostile
        (``sign < 0``) relation, either direction. A partner with both counts in both.
    ``strength``, ``in_strength``, ``out_strength``
        Sum of the scores (level plus flow, the rule of :mod:`graphkit.model.measure`) of the
        dyads touching / entering / leaving the entity: each relation counts once at each
        end for ``strength``, an undirected one in both directions for the others.
    ``betweenness``
        Shortest-path betweenness (Freeman 1977) on the unweighted undirected graph of all
        ties, normalised by ``(n - 1)(n - 2)`` with ``n`` the number of entities, as
        ``networkx.betweenness_centrality``. Exact, by Brandes' (2001) accumulation run
        as sparse matrix products over batches of sources. Costly: not computed unless
        named.
    ``pagerank``
        PageRank (Brin & Page 1998) on the directed graph of cooperative ties: one edge
        per ordered pair whose score in the period is positive, weighted by that score
        (``weighted=False``: weight 1). PageRank needs non-negative weights, so hostile
        ties are left out rather than subtracted (signed variants exist, e.g. Traag,
        Nesterov & Van Dooren 2010, but rank by other axioms); a pair whose hostility
        outweighs its cooperation is no endorsement. Every entity is a node;
        teleportation and dangling nodes use the uniform vector, as
        ``networkx.pagerank``, so values sum to 1 per period and an entity without
        cooperative ties keeps the teleport baseline. (Restricted to the active entities,
        PageRank is this vector renormalised: the two are proportional.)
    ``eigenvector``
        Eigenvector centrality (Bonacich 1972) on the undirected graph of cooperative
        ties (unordered pairs with a positive score) weighted as for PageRank: the
        leading eigenvector, normalised to unit
        Euclidean length per period. On a disconnected graph it is the limit of the
        power iteration ``networkx.eigenvector_centrality`` runs (on ``A + I``, from a
        uniform start), computed exactly per connected component rather than iterated:
        the components whose largest eigenvalue is the period's largest share the
        centrality, the others get 0. Entities without cooperative ties, and every
        entity in a period without any, get 0.

    Parameters
    ----------
    tg : TemporalGraph
    freq : {"D", "W", "M", "Q", "Y"}
        Period length.
    measures : sequence of str, optional
        Names from :data:`CENTRALITY_MEASURES`; default :data:`DEFAULT_MEASURES` (all
        but betweenness).
    window : int, optional
        Rolling width in periods (each row then covers ``window`` periods to its label).
    half_life : str, Timedelta or number of days, optional
        Weigh ties by their decayed score (:func:`dyad_scores`' ``decayed``: standing ties
        at their level, events discounted by ``0.5 ** (age / half_life)`` at the end of
        each period, including events of earlier periods). It changes strengths,
        PageRank and eigenvector weights, not degrees or betweenness (those count the
        relations overlapping the period). Costs a dyads x periods table.
    types : str or iterable of str, optional
        Relation types to keep.
    combine : {"level+flow", "level", "flow"}
        How a dyad's score is made of standing ties and events (see :func:`dyad_scores`).
    weight_by : {None, "confidence"}
        ``"confidence"`` multiplies each relation's weight by its confidence.
    weighted : bool
        Weigh PageRank and eigenvector edges by summed weight (default) or count each
        cooperative pair once.
    alpha, tol, max_iter : float, float, int
        PageRank damping factor; convergence threshold on the L1 change of each
        period's vector; iteration limit.

    Returns
    -------
    pandas.DataFrame
        Columns ``period`` (:class:`pandas.Period`), ``entity`` and one column per
        measure (integers for degrees, floats otherwise).

    Examples
    --------
    >>> import graphkit
    >>> tg = graphkit.load("data/nagorno_karabakh")  # doctest: +SKIP
    >>> c = centrality(tg, "Y", measures=["degree", "pagerank"])  # doctest: +SKIP
    >>> c[c["period"] == "2023"].nlargest(3, "pagerank")  # doctest: +SKIP

    References
    ----------
    Bonacich, P. (1972). Factoring and weighting approaches to status scores and clique
    identification. *Journal of Mathematical Sociology*, 2(1), 113-120.

    Brandes, U. (2001). A faster algorithm for betweenness centrality. *Journal of
    Mathematical Sociology*, 25(2), 163-177.

    Brin, S., & Page, L. (1998). The anatomy of a large-scale hypertextual Web search
    engine. *Computer Networks and ISDN Systems*, 30(1-7), 107-117.

    Freeman, L. C. (1977). A set of measures of centrality based on betweenness.
    *Sociometry*, 40(1), 35-41.

    Goldstein, J. S. (1992). A conflict-cooperation scale for WEIS events data. *Journal
    of Conflict Resolution*, 36(2), 369-385.

    Traag, V. A., Nesterov, Y. E. and Van Dooren, P. (2010). Exponential ranking: taking
    into account negative links. *Social Informatics* (SocInfo 2010), 192-202.
    """
    if measures is None:
        measures = list(DEFAULT_MEASURES)
    elif isinstance(measures, str):
        measures = [measures]
    measures = list(dict.fromkeys(measures))
    unknown = [m for m in measures if m not in CENTRALITY_MEASURES]
    if unknown:
        raise ValueError(f"unknown measures: {', '.join(unknown)}; "
                         f"choose from {', '.join(CENTRALITY_MEASURES)}")
    if half_life is not None:
        half_life_seconds(half_life)
    pairs = _Pairs(tg, freq, window, types, combine, weight_by)
    n, n_periods = pairs.n, pairs.n_periods
    size = n * n_periods
    out = pd.DataFrame({
        "period": pairs.periods["period"].array.repeat(n) if n_periods else
        pairs.periods["period"].array,
        "entity": pd.array(np.tile(pairs.ids.to_numpy(dtype=object), n_periods), dtype="str"),
    })
    if size == 0:
        for m in measures:
            out[m] = np.array([], dtype=np.int64 if m in _INTEGER_MEASURES else float)
        return out

    edges = _Edges(pairs, tg, freq, window, types, half_life, combine, weight_by)
    for name in measures:
        if name == "strength":
            p, s, t, w = edges.undirected()
            value = pairs.count(pairs.node(p, s), w) + pairs.count(pairs.node(p, t), w)
        elif name in ("in_strength", "out_strength"):
            p, s, t, w = edges.directed()
            end = t if name == "in_strength" else s
            value = pairs.count(pairs.node(p, end), w)
        elif name in ("in_degree", "out_degree"):
            key = pairs.distinct_directed()
            if name == "out_degree":
                value = pairs.count(key // n)
            else:
                value = pairs.count((key // (n * n)) * n + key % n)
        elif name in ("degree", "positive_degree", "negative_degree"):
            mask = {"degree": None, "positive_degree": pairs.sign > 0,
                    "negative_degree": pairs.sign < 0}[name]
            p, lo, hi, _ = pairs.undirected_pairs(mask)
            key = _distinct(p, lo, hi, n)
            period = key // (n * n)
            value = (pairs.count(period * n + (key // n) % n)
                     + pairs.count(period * n + key % n))
        elif name == "pagerank":
            matrix = _positive_matrix(edges.directed(), n, size, weighted, symmetric=False,
                                      groups=None if edges.decayed else
                                      pairs.directed_groups())
            value = _pagerank(matrix, n, n_periods, alpha, tol, max_iter)
        elif name == "eigenvector":
            matrix = _positive_matrix(edges.undirected(), n, size, weighted, symmetric=True)
            value = _eigenvector(matrix, n, n_periods)
        else:  # betweenness
            value = _betweenness(pairs)
        if name in _INTEGER_MEASURES:
            value = np.rint(value).astype(np.int64)
        out[name] = value
    return out


def _pagerank(matrix: sp.csr_array, n: int, n_periods: int, alpha: float, tol: float,
              max_iter: int) -> np.ndarray:
    """PageRank of every period at once: one power iteration on the block matrix.

    Same iteration as ``networkx.pagerank`` (uniform start, teleport and dangling
    vectors), with each period's block normalised on its own.
    """
    out_weight = np.asarray(matrix.sum(axis=1)).ravel()
    dangling = out_weight == 0
    scale = np.divide(1.0, out_weight, out=np.zeros_like(out_weight), where=~dangling)
    transition = (sp.diags_array(scale) @ matrix).T.tocsr()
    # Vectors are laid out period by period, so per-period sums are row sums of a
    # (periods x entities) view.
    dangling = dangling.astype(float)
    x = np.full(n * n_periods, 1.0 / n)
    for _ in range(max_iter):
        lost = (x * dangling).reshape(n_periods, n).sum(axis=1)
        new = transition @ x
        new *= alpha
        new += np.repeat((alpha * lost + 1.0 - alpha) / n, n)
        err = np.abs(new - x).reshape(n_periods, n).sum(axis=1)
        x = new
        if err.max() < tol:
            return x
    warnings.warn(f"PageRank did not converge to {tol} in {max_iter} iterations",
                  RuntimeWarning, stacklevel=3)
    return x


def _eigenvector(matrix: sp.csr_array, n: int, n_periods: int) -> np.ndarray:
    """Eigenvector centrality of every period, exactly, component by component.

    Power iteration on ``A + I`` from a uniform start (networkx's method) converges to
    the projection of the start onto the eigenspace of the largest eigenvalue: the sum,
    over the connected components whose Perron root equals the period's largest, of
    ``(v . 1) v`` with ``v`` the component's unit Perron vector. That limit is computed
    here directly, so slow convergence (components with close eigenvalues) cannot
    occur: pairs in closed form, larger components with a symmetric eigensolver.
    """
    size = n * n_periods
    n_comp, label = csgraph.connected_components(matrix, directed=False)
    comp_size = np.bincount(label, minlength=n_comp)
    order = np.argsort(label, kind="stable")
    cut = np.concatenate([[0], np.cumsum(comp_size)])
    members = order  # nodes of component c: members[cut[c]:cut[c + 1]]
    root = np.zeros(n_comp)
    vector = np.zeros(size)  # unit Perron vector of each node's component

    pair = np.flatnonzero(comp_size == 2)
    if len(pair):
        a, b = members[cut[pair]], members[cut[pair] + 1]
        root[pair] = np.asarray(matrix[a, b]).ravel()
        vector[a] = vector[b] = np.sqrt(0.5)
    for c in np.flatnonzero(comp_size > 2):
        nodes = members[cut[c]:cut[c + 1]]
        block = matrix[nodes][:, nodes]
        if len(nodes) <= 400:
            values, vectors = np.linalg.eigh(block.toarray())
            root[c], v = values[-1], vectors[:, -1]
        else:
            values, vectors = eigsh(block.astype(float), k=1, which="LA", tol=0)
            root[c], v = values[0], vectors[:, 0]
        vector[nodes] = np.abs(v)

    comp_period = members[cut[:-1]] // n
    top = np.zeros(n_periods)
    np.maximum.at(top, comp_period, root)
    chosen = (root > 0) & (root >= top[comp_period] * (1 - 1e-9))
    weight = np.bincount(label, weights=vector, minlength=n_comp)  # v . 1
    x = np.where(chosen[label], weight[label] * vector, 0.0)
    norm = np.sqrt((x * x).reshape(n_periods, n).sum(axis=1))
    return x / np.repeat(np.where(norm > 0, norm, 1.0), n)


def _betweenness(pairs: _Pairs) -> np.ndarray:
    """Exact betweenness of every period (Brandes 2001, as batched sparse products)."""
    n, n_periods = pairs.n, pairs.n_periods
    p, lo, hi, _ = pairs.undirected_pairs()
    key = _distinct(p, lo, hi, n)
    period = key // (n * n)
    cut = np.searchsorted(period, np.arange(n_periods + 1))
    out = np.zeros(n * n_periods)
    scale = 1.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    for q in range(n_periods):
        edges = key[cut[q]:cut[q + 1]]
        if len(edges) < 2:
            continue
        a, b = (edges // n) % n, edges % n
        nodes, local = np.unique(np.concatenate([a, b]), return_inverse=True)
        k = len(nodes)
        la, lb = local[: len(edges)], local[len(edges):]
        adjacency = sp.csr_array((np.ones(2 * len(edges)), (np.concatenate([la, lb]),
                                                            np.concatenate([lb, la]))),
                                 shape=(k, k))
        out[q * n + nodes] = _brandes(adjacency) * scale
    return out


def _brandes(adjacency: sp.csr_array, batch_cells: int = 1 << 22) -> np.ndarray:
    """Sum over all sources of Brandes' dependencies, for an unweighted graph.

    Breadth-first search from a batch of sources at once: column ``j`` of ``sigma``
    counts shortest paths from source ``j``; each level is one sparse x dense product.
    """
    k = adjacency.shape[0]
    total = np.zeros(k)
    batch = max(1, min(k, batch_cells // max(k, 1)))
    for first in range(0, k, batch):
        sources = np.arange(first, min(first + batch, k))
        b = len(sources)
        frontier = np.zeros((k, b))
        frontier[sources, np.arange(b)] = 1.0
        sigma = frontier.copy()
        visited = frontier > 0
        levels = [visited.copy()]
        while True:
            reached = adjacency @ frontier
            reached[visited] = 0.0
            found = reached > 0
            if not found.any():
                break
            sigma += reached
            visited |= found
            levels.append(found)
            frontier = reached
        delta = np.zeros((k, b))
        for depth in range(len(levels) - 1, 0, -1):
            coeff = np.where(levels[depth], (1.0 + delta) / np.where(sigma > 0, sigma, 1.0),
                             0.0)
            delta += np.where(levels[depth - 1], sigma * (adjacency @ coeff), 0.0)
        delta[sources, np.arange(b)] = 0.0
        total += delta.sum(axis=1)
    return total


# ------------------------------------------------------------------------- dyads


def dyad_scores(
    tg: TemporalGraph,
    freq: str = "M",
    *,
    half_life: object | None = None,
    directed: bool = True,
    window: int | None = None,
    types: Iterable[str] | str | None = None,
    fill: str = "active",
    combine: str = "level+flow",
    weight_by: str | None = None,
    normalize: str | None = None,
) -> pd.DataFrame:
    """Cooperation and conflict of every dyad, period by period.

    Each period's numbers follow the one rule of :mod:`graphkit.model.measure`: standing ties
    (durable types) give a ``level``, the time-weighted mean of their signed weights in
    force over the period; events give a ``flow``, their signed weight per 30 days, each
    event's weight spread evenly over its extent. So a tie's level and an event's total
    weight are the same at every ``freq``.

    Parameters
    ----------
    tg : TemporalGraph
    freq : {"D", "W", "M", "Q", "Y"}
        Period length.
    half_life : str, Timedelta or number of days, optional
        Add ``decayed_flow`` and ``decayed``: the event flow with each event discounted by
        ``0.5 ** (age / half_life)`` at the end of the period (age from each instant of
        its extent), as a rate per 30 days, and ``decayed``, that flow combined with the
        level. Standing ties never decay and never pile up; a decayed score does not rise
        without a new event or tie. With ``fill="all"`` a dyad's decayed flow is seen to
        fade after its last event.
    directed : bool
        ``True``: one row per ordered pair, an undirected relation counting in both
        directions. ``False``: one row per unordered pair, ``source < target``, each
        relation counting once.
    window : int, optional
        Rolling width in periods (a row then measures the whole window).
    types : str or iterable of str, optional
        Relation types to keep.
    fill : {"active", "all"}
        ``"active"`` (default): a row for each period in which the dyad has relations.
        ``"all"``: also a row for every later period (``count`` 0), which shows the
        decayed score fading; tables then grow to dyads x periods.
    combine : {"level+flow", "level", "flow"}
        How ``score`` is made of the two layers (default their sum).
    weight_by : {None, "confidence"}
        ``"confidence"`` multiplies each relation's weight by its confidence.
    normalize : {None, "coverage"}
        ``"coverage"``: divide each dyad's event weight by the coverage of its two
        actors in the period, so that a dyad merely in the news more does not look
        more cooperative or hostile (:mod:`graphkit.analysis.coverage`); adds ``raw_flow``,
        ``coverage_source``, ``coverage_target``.

    Returns
    -------
    pandas.DataFrame
        Sorted by ``period``, ``source``, ``target``, with columns

        - ``score``: ``level + flow`` (see ``combine``);
        - ``level``: time-weighted mean signed weight of the standing ties in force;
        - ``flow``: signed weight of the events per 30 days (Goldstein 1992 scale);
        - ``count``: ``events + ties``; ``events``: events, each counted by the share of
          its weight inside the period (so the counts add up to the number of events
          over any partition of time); ``ties``: standing ties, each counted by the share
          of the period it is in force;
        - ``positive``, ``negative``, ``neutral``: ``count`` by sign;
        - ``verbal_cooperation``, ``material_cooperation``, ``verbal_conflict``,
          ``material_conflict``: ``count`` by CAMEO quad class (Schrodt 2012);
        - ``decayed_flow`` and ``decayed`` when ``half_life`` is given.

    Examples
    --------
    >>> import graphkit
    >>> tg = graphkit.TemporalGraph.from_frames(
    ...     pd.DataFrame({"id": ["ARM", "RUS"], "name": ["Armenia", "Russia"],
    ...                   "type": "state"}),
    ...     pd.DataFrame({"source": ["ARM", "ARM"], "target": ["RUS", "RUS"],
    ...                   "type": ["alliance", "criticism"],
    ...                   "start": ["2023-01-01", "2023-09-12"], "weight": [8, -2]}))
    >>> d = dyad_scores(tg, "M", directed=False)
    >>> d.loc[d["period"] == "2023-09", ["score", "level", "flow", "events", "ties"]]
       score  level  flow  events  ties
    8    6.0    8.0  -2.0     1.0   1.0

    References
    ----------
    Goldstein, J. S. (1992). A conflict-cooperation scale for WEIS events data. *Journal
    of Conflict Resolution*, 36(2), 369-385.

    Schrodt, P. A. (2012). *CAMEO Conflict and Mediation Event Observations Codebook*,
    version 1.1b3.
    """
    if fill not in ("active", "all"):
        raise ValueError(f"fill must be 'active' or 'all', not {fill!r}")
    measure.check_combine(combine)
    coverage.check_normalize(normalize)
    if half_life is not None:
        half_life_seconds(half_life)
    graph = tg.filter(types=types) if types is not None else tg
    ids, source, target = _codes(tg, graph)
    periods = _periods(graph, freq, window)
    starts, ends = aggregate.bounds(periods)
    sums = aggregate.dyad_period_sums(graph.relations, starts, ends, ids, directed,
                                      half_life=half_life, weight_by=weight_by,
                                      codes=(source, target))
    table = aggregate.finish_dyad_scores(sums, periods, ids, half_life, fill, combine)
    if normalize == "coverage":
        table = coverage.normalize_dyad_scores(table, tg, freq, window, types, combine)
    return table
