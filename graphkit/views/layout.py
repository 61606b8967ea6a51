"""Fast, seeded node layouts for large networks, computed in Python.

Above the size where in-browser physics stays quick (see
:data:`graphkit.views.network.PHYSICS_MAX_NODES`), the network view places nodes with
:func:`pivot_mds_layout`: Pivot MDS (Brandes & Pich 2007) gives each connected component
a global shape from graph distances to a few pivot nodes, a repulsion with a distance
cut-off (as in the grid variant of Fruchterman & Reingold 1991, here with a k-d tree)
separates nodes that Pivot MDS puts on the same spot, and the components are packed in
rows, largest first. Everything is vectorised (numpy, scipy) and deterministic for a
given seed.

References
----------
Brandes, U., & Pich, C. (2007). Eigensolver methods for progressive multidimensional
scaling of large data. In *Graph Drawing 2006*, LNCS 4372, 42-53.

Fruchterman, T. M. J., & Reingold, E. M. (1991). Graph drawing by force-directed
placement. *Software: Practice and Experience*, 21(11), 1129-1164.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse import csgraph
from scipy.spatial import cKDTree

__all__ = ["pivot_mds_layout"]


def pivot_mds_layout(
    nodes: Sequence[str],
    sources: Sequence[str],
    targets: Sequence[str],
    *,
    pivots: int = 50,
    iterations: int = 40,
    edge_length: float = 80.0,
    seed: int = 1,
) -> pd.DataFrame:
    """Positions for a large graph: Pivot MDS, refined and packed by component.

    Parameters
    ----------
    nodes : sequence of str
        Node ids.
    sources, targets : sequence of str
        Edge end points (node ids; direction and parallel edges are ignored).
    pivots : int
        Number of pivot nodes per component (Brandes & Pich use 50-100).
    iterations : int
        Steps of overlap removal after Pivot MDS (0 keeps the Pivot MDS positions).
    edge_length : float
        Target edge length in output units (pixels in the network view).
    seed : int
        Seed for the jitter that separates coinciding nodes.

    Returns
    -------
    pandas.DataFrame
        Indexed by node id, with float columns ``x`` and ``y``.

    Examples
    --------
    >>> pos = pivot_mds_layout(["a", "b", "c"], ["a", "b"], ["b", "c"])
    >>> list(pos.columns), len(pos)
    (['x', 'y'], 3)

    References
    ----------
    Brandes, U., & Pich, C. (2007). Eigensolver methods for progressive
    multidimensional scaling of large data. *Graph Drawing 2006*, LNCS 4372, 42-53.
    """
    index = pd.Index(nodes)
    n = len(index)
    if n == 0:
        return pd.DataFrame({"x": [], "y": []}, index=index, dtype=float)
    u = index.get_indexer(pd.Index(sources))
    v = index.get_indexer(pd.Index(targets))
    if (u < 0).any() or (v < 0).any():
        raise ValueError("an edge refers to a node that is not in `nodes`")
    keep = u != v
    u, v = u[keep], v[keep]
    adjacency = sparse.coo_matrix((np.ones(len(u)), (u, v)), shape=(n, n)).tocsr()
    adjacency = ((adjacency + adjacency.T) > 0).astype(np.float64).tocsr()
    rng = np.random.default_rng(seed)

    count, labels = csgraph.connected_components(adjacency, directed=False)
    sizes = np.bincount(labels, minlength=count)
    order = np.lexsort((np.arange(count), -sizes))  # largest first, ties by first node
    pos = np.zeros((n, 2))
    boxes = []
    for comp in order:
        members = np.flatnonzero(labels == comp)
        local = _component_layout(adjacency, members, pivots, iterations, rng)
        boxes.append((members, local))
    _pack(boxes, pos)
    pos *= edge_length
    return pd.DataFrame({"x": pos[:, 0], "y": pos[:, 1]}, index=index)


def _component_layout(
    adjacency: sparse.csr_matrix,
    members: np.ndarray,
    pivots: int,
    iterations: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Layout of one connected component, edge length 1, centred on the origin."""
    size = len(members)
    if size == 1:
        return np.zeros((1, 2))
    if size <= 3:
        angle = 2 * np.pi * np.arange(size) / size
        return 0.6 * np.column_stack([np.cos(angle), np.sin(angle)])
    sub = adjacency[members][:, members]
    pos = _pivot_mds(sub, min(pivots, size))
    pos += rng.normal(scale=0.05, size=pos.shape)  # separate nodes with equal distances
    pos = _spread(pos, iterations)
    return pos - pos.mean(axis=0)


def _pivot_mds(adjacency: sparse.csr_matrix, k: int) -> np.ndarray:
    """Brandes & Pich (2007): classical MDS on the distances to ``k`` max-min pivots."""
    size = adjacency.shape[0]
    degree = np.asarray(adjacency.sum(axis=1)).ravel()
    chosen = [int(np.argmax(degree))]
    distances = np.empty((size, k))
    nearest = np.full(size, np.inf)
    for i in range(k):  # k is small (<= 50): one breadth-first search per pivot
        d = csgraph.shortest_path(adjacency, unweighted=True, indices=chosen[i])
        distances[:, i] = d
        nearest = np.minimum(nearest, d)
        if i + 1 < k:
            chosen.append(int(np.argmax(nearest)))
    squared = distances**2
    centred = (squared - squared.mean(axis=0) - squared.mean(axis=1, keepdims=True)
               + squared.mean())
    centred *= -0.5
    # The two leading right singular vectors of the centred matrix, from the small
    # k x k eigenproblem; projecting onto them gives the coordinates.
    _, vectors = np.linalg.eigh(centred.T @ centred)
    pos = centred @ vectors[:, ::-1][:, :2]
    # Fix the arbitrary sign of each axis so the result does not depend on LAPACK.
    signs = np.sign(pos[np.argmax(np.abs(pos), axis=0), [0, 1]])
    pos *= np.where(signs == 0, 1.0, signs)
    # Graph distances set the size of long, sparse components; for small-world ones
    # (diameter far below sqrt(size)) the size is set by the area the nodes need.
    spread = max(np.sqrt(np.mean(distances[:, 0] ** 2)), 0.75 * np.sqrt(size))
    scale = np.sqrt(np.mean(np.sum(pos**2, axis=1))) or 1.0
    return pos * (spread / scale)


def _spread(pos: np.ndarray, iterations: int, gap: float = 1.0) -> np.ndarray:
    """Push apart nodes closer than ``gap`` (repulsion with a cut-off, no attraction).

    Pivot MDS fixes the global shape; a full force-directed pass would contract it (its
    attraction is global, a cut-off repulsion is not), so only the local overlaps that
    Pivot MDS leaves (nodes with equal distances to every pivot, such as the leaves of
    one hub) are resolved, as in the grid variant of Fruchterman & Reingold (1991).
    """
    for _ in range(iterations):
        close = cKDTree(pos).query_pairs(gap, output_type="ndarray")
        if not len(close):
            break
        delta = pos[close[:, 0]] - pos[close[:, 1]]
        dist = np.maximum(np.sqrt(np.sum(delta**2, axis=1)), 1e-6)
        push = delta * ((gap - dist) / (2.0 * dist))[:, None]
        move = np.zeros_like(pos)
        np.add.at(move, close[:, 0], push)
        np.subtract.at(move, close[:, 1], push)
        length = np.sqrt(np.sum(move**2, axis=1))
        pos = pos + move * (np.minimum(length, gap / 2) / np.maximum(length, 1e-12))[:, None]
    return pos


def _pack(boxes: list[tuple[np.ndarray, np.ndarray]], pos: np.ndarray) -> None:
    """Place component layouts in rows, largest first, about as wide as tall."""
    extents = []
    for _, local in boxes:
        lo, hi = local.min(axis=0), local.max(axis=0)
        extents.append((lo, np.maximum(hi - lo, 1.0) + 1.5))
    total = sum(float(e[1][0] * e[1][1]) for e in extents)
    width = max(np.sqrt(total), max(float(e[1][0]) for e in extents))
    x = y = row_height = 0.0
    for (members, local), (lo, size) in zip(boxes, extents, strict=True):
        if x > 0 and x + size[0] > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        pos[members] = local - lo + np.array([x, y])
        x += float(size[0])
        row_height = max(row_height, float(size[1]))
