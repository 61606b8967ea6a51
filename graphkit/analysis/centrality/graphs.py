"""The graphs every centrality measure reads, built once per call for all periods.

:class:`Pairs` expands the relations to (period, relation) pairs as numpy arrays (the
vectorised rule of :mod:`graphkit.analysis.aggregate` and :mod:`graphkit.model.measure`);
:class:`Edges` gives the weighted edges, from the pairs or, with a half-life, from the
decayed dyad scores; :func:`positive_matrix` packs every period's cooperative ties into
one block-diagonal sparse matrix.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import scipy.sparse as sp

from graphkit.analysis import aggregate
from graphkit.analysis.scores import dyad_scores
from graphkit.model import measure
from graphkit.model.temporal import TemporalGraph

__all__ = ["Edges", "Pairs", "distinct_triples", "positive_matrix"]


class Pairs:
    """Relations of a graph expanded to (period, relation) pairs, as numpy arrays.

    ``weight`` is each pair's contribution to its dyad's score in the period, by the rule
    of :mod:`graphkit.model.measure` (level for a standing tie, flow for an event).
    """

    def __init__(self, tg: TemporalGraph, freq: str, window: int | None,
                 types: Iterable[str] | str | None, combine: str = "level+flow",
                 weight_by: str | None = None):
        graph = tg.filter(types=types) if types is not None else tg
        rel = graph.relations
        self.ids, source, target = aggregate.graph_codes(tg, graph)
        if not self.ids.is_unique:
            raise ValueError("entity ids are not unique")
        self.n = len(self.ids)
        self.periods = aggregate.graph_periods(graph, freq, window)
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
        """Position of each (period, entity) in the period-by-period layout."""
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
        """Occurrences (or summed ``weights``) of each (period, entity) node, all nodes."""
        return np.bincount(node, weights=weights, minlength=self.n_periods * self.n)


class Edges:
    """Weighted edges (period, source, target, score) in both layouts.

    Without a half-life, straight from the pairs (parallel relations are summed later,
    by ``bincount`` or by the sparse matrices). With one, from the decayed dyad scores
    (:func:`~graphkit.analysis.scores.dyad_scores` with ``fill="all"``), so a dyad's
    past events weigh in every later period by the same rule as in the dyad table.
    """

    def __init__(self, pairs: Pairs, tg: TemporalGraph, freq: str, window: int | None,
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


def distinct_triples(p: np.ndarray, a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """Distinct (period, a, b) triples, as sorted int64 keys ``(p * n + a) * n + b``."""
    return aggregate.distinct((p * n + a) * n + b)


def positive_matrix(edges: tuple, n: int, size: int, weighted: bool, symmetric: bool,
                     groups: tuple | None = None):
    """Block-diagonal matrix of every period's ties with a positive score.

    Parallel contributions are summed per pair first (a sort of packed keys, see
    :func:`graphkit.analysis.aggregate.group`), so a pair is a cooperative tie only when its score
    (level plus flow) is positive; ``weighted=False`` gives each such tie weight 1. The
    sorted pairs are already in CSR order, so the matrix is built without another sort.
    ``groups``: that grouping of ``edges``, when already made (see
    :meth:`Pairs.directed_groups`).
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
