"""PageRank (Brin & Page 1998) of every period, on the directed graph of cooperative ties."""

from __future__ import annotations

import warnings

import numpy as np
import scipy.sparse as sp

from graphkit.analysis.centrality.graphs import positive_matrix
from graphkit.analysis.centrality.registry import Context, register

__all__ = ["pagerank", "power_iteration"]


@register("pagerank", directed=True)
def pagerank(ctx: Context) -> np.ndarray:
    """PageRank on the cooperative ties (score > 0) of each period, every entity a node.

    An entity without cooperative ties in a period keeps the teleport baseline
    ``(1 - alpha) / n`` plus its share of the dangling mass (``1 / n`` in a period without
    any cooperative tie), so values sum to 1 per period.
    """
    pairs, edges = ctx.pairs, ctx.edges
    n = pairs.n
    matrix = positive_matrix(edges.directed(), n, ctx.size, ctx.weighted, symmetric=False,
                             groups=None if edges.decayed else pairs.directed_groups())
    return power_iteration(matrix, n, pairs.n_periods, ctx.alpha, ctx.tol, ctx.max_iter)


def power_iteration(matrix: sp.csr_array, n: int, n_periods: int, alpha: float, tol: float,
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
