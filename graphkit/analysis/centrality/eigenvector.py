"""Eigenvector centrality (Bonacich 1972) of every period, on the undirected cooperative ties."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph
from scipy.sparse.linalg import eigsh

from graphkit.analysis.centrality.graphs import positive_matrix
from graphkit.analysis.centrality.registry import Context, register

__all__ = ["eigenvector", "perron_limit"]


@register("eigenvector")
def eigenvector(ctx: Context) -> np.ndarray:
    """Leading eigenvector of each period's cooperative ties, unit length per period."""
    matrix = positive_matrix(ctx.edges.undirected(), ctx.pairs.n, ctx.size, ctx.weighted,
                             symmetric=True)
    return perron_limit(matrix, ctx.pairs.n, ctx.pairs.n_periods)


def perron_limit(matrix: sp.csr_array, n: int, n_periods: int) -> np.ndarray:
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
