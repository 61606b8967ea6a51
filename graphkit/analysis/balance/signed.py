"""Signed graphs: any input collapsed to one simple undirected signed graph.

The rule is in the package documentation (:mod:`graphkit.analysis.balance`):
contributions ``sign * |weight|`` summed per pair, the sign of the sum is the tie's sign,
zero sums, self-loops and neutral ties dropped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
import numpy as np

from graphkit.model.temporal import TemporalGraph, range_scores

__all__ = ["Signed", "SignedInput", "active", "as_signed", "collapse", "signed_graph",
           "sorted_nodes"]


SignedInput = nx.Graph | TemporalGraph


@dataclass(frozen=True)
class Signed:
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


def active(sg: Signed) -> Signed:
    """Drop the nodes without ties."""
    used = np.unique(np.r_[sg.u, sg.v])
    remap = np.full(sg.n, -1)
    remap[used] = np.arange(len(used))
    return Signed([sg.nodes[i] for i in used], remap[sg.u], remap[sg.v], sg.s, sg.weight)


def sorted_nodes(nodes: Iterable) -> list:
    """``nodes`` sorted (mixed types: by type name, then text), for deterministic models."""
    nodes = list(nodes)
    try:
        return sorted(nodes)
    except TypeError:  # mixed types: order by type name, then text
        return sorted(nodes, key=lambda x: (type(x).__name__, str(x)))


def collapse(a: Iterable, b: Iterable, contribution: np.ndarray, nodes: Iterable | None = None
              ) -> Signed:
    """Sum contributions per unordered pair and keep the pairs with a non-zero sum."""
    a, b = list(a), list(b)
    labels = sorted_nodes(set(a) | set(b) | set(nodes if nodes is not None else ()))
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
    return Signed(labels, keys // max(n, 1), keys % max(n, 1),
                   np.sign(total).astype(np.int64), total)


def _number(value: object, what: str, edge: tuple) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"tie {edge[0]!r}-{edge[1]!r}: {what} {value!r} is not a number") from None


def as_signed(graph: SignedInput) -> Signed:
    """Collapse the input to a simple undirected signed graph (the rule in the module doc)."""
    if isinstance(graph, Signed):
        return graph
    if isinstance(graph, TemporalGraph):
        if graph.relations.empty:
            return collapse([], [], np.zeros(0), nodes=graph.entities["id"])
        ties = range_scores(graph.relations, *graph.measured_range, directed=False)
        return collapse(ties["source"], ties["target"], ties["weight"].to_numpy(float),
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
    return collapse(a, b, np.asarray(contribution, dtype=float), nodes=graph.nodes)


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
    sg = as_signed(G)
    out = nx.Graph()
    out.add_nodes_from(sg.nodes)
    out.add_edges_from(
        (sg.nodes[a], sg.nodes[b], {"sign": int(sign), "weight": float(w)})
        for a, b, sign, w in zip(sg.u, sg.v, sg.s, sg.weight, strict=True)
    )
    return out
