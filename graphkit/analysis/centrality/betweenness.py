"""Shortest-path betweenness (Freeman 1977) of every period, by Brandes' (2001) accumulation."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from graphkit.analysis.centrality.graphs import Pairs, distinct_triples
from graphkit.analysis.centrality.registry import Context, register

__all__ = ["betweenness", "brandes", "per_period"]


@register("betweenness", default=False)
def betweenness(ctx: Context) -> np.ndarray:
    """Exact betweenness on the unweighted undirected graph of all ties (costly: asked for)."""
    return per_period(ctx.pairs)


def per_period(pairs: Pairs) -> np.ndarray:
    """Exact betweenness of every period (Brandes 2001, as batched sparse products)."""
    n, n_periods = pairs.n, pairs.n_periods
    p, lo, hi, _ = pairs.undirected_pairs()
    key = distinct_triples(p, lo, hi, n)
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
        out[q * n + nodes] = brandes(adjacency) * scale
    return out


def brandes(adjacency: sp.csr_array, batch_cells: int = 1 << 22) -> np.ndarray:
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
