"""Triangle census and the balance indices built on it (Cartwright & Harary 1956; Davis 1967)."""

from __future__ import annotations

import math

import numpy as np
from scipy import sparse

from graphkit.analysis.balance.signed import Signed, SignedInput, as_signed

__all__ = ["CENSUS_KEYS", "balance_indices", "census_counts", "triangle_census", "triangle_index"]


#: Triangle types, by the signs of their three ties.
CENSUS_KEYS = ("+++", "++-", "+--", "---")


def census_counts(sg: Signed) -> np.ndarray:
    """Triangles of ``sg`` by type, in the order of :data:`CENSUS_KEYS`, as int64."""
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
    return dict(zip(CENSUS_KEYS, (int(c) for c in census_counts(as_signed(G))), strict=True))


def balance_indices(counts: np.ndarray) -> tuple[float, float]:
    """Strong and weak triangle indices of a census (``NaN`` without triangles)."""
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
    strong, weak_index = balance_indices(census_counts(as_signed(G)))
    return weak_index if weak else strong
