"""The registry of centrality measures: a name, a function and its metadata.

A measure is one function of a :class:`Context` returning one value per (period, entity)
node, laid out period by period (``period * n + entity``), registered with
:func:`register`. :func:`graphkit.analysis.centrality.centrality` looks every requested
name up in :data:`MEASURES`, so adding a measure is that function and its registration
(plus an import in the package ``__init__``, whose order is the column order of
:data:`~graphkit.analysis.centrality.CENTRALITY_MEASURES`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from graphkit.analysis.centrality.graphs import Edges, Pairs

__all__ = ["MEASURES", "Context", "Measure", "register"]


@dataclass(frozen=True)
class Context:
    """What a measure reads: the period graphs and the options of the call.

    Attributes
    ----------
    pairs : Pairs
        Relations expanded to (period, relation) pairs.
    edges : Edges
        Weighted edges (decayed scores with a half-life).
    weighted : bool
        Weigh PageRank and eigenvector edges by score, or count each tie once.
    alpha, tol, max_iter : float, float, int
        PageRank's damping factor, convergence threshold and iteration limit.
    """

    pairs: Pairs
    edges: Edges
    weighted: bool = True
    alpha: float = 0.85
    tol: float = 1e-10
    max_iter: int = 1000

    @property
    def size(self) -> int:
        """Number of (period, entity) nodes."""
        return self.pairs.n * self.pairs.n_periods


@dataclass(frozen=True)
class Measure:
    """A registered centrality measure.

    Attributes
    ----------
    name : str
        Column name in the result.
    compute : callable
        ``compute(context) -> numpy.ndarray`` of length ``context.size``.
    integer : bool
        The values are counts, returned as ``int64`` (rounded from the float sums).
    directed : bool
        Read on the directed graph (an undirected relation counted both ways); ``False``:
        on the undirected graph.
    default : bool
        Computed when no measures are named (costly measures are not).
    """

    name: str
    compute: Callable[[Context], np.ndarray]
    integer: bool = False
    directed: bool = False
    default: bool = True

    def __call__(self, context: Context) -> np.ndarray:
        """The measure's values, as ``int64`` for an integer measure."""
        value = self.compute(context)
        if self.integer:
            return np.rint(value).astype(np.int64)
        return value

    @property
    def dtype(self) -> type:
        """``numpy.int64`` for an integer measure, ``float`` otherwise."""
        return np.int64 if self.integer else float


#: Every registered measure by name, in registration order.
MEASURES: dict[str, Measure] = {}


def register(name: str, *, integer: bool = False, directed: bool = False,
             default: bool = True) -> Callable[[Callable], Callable]:
    """Decorator registering ``func(context) -> numpy.ndarray`` as the measure ``name``.

    Parameters
    ----------
    name : str
        The measure's name (unique).
    integer, directed, default : bool
        Its metadata (see :class:`Measure`).

    Returns
    -------
    callable
        A decorator returning the function unchanged.

    Raises
    ------
    ValueError
        If ``name`` is already registered.
    """
    def decorate(func: Callable[[Context], np.ndarray]) -> Callable[[Context], np.ndarray]:
        if name in MEASURES:
            raise ValueError(f"centrality measure {name!r} is already registered")
        MEASURES[name] = Measure(name, func, integer=integer, directed=directed,
                                 default=default)
        return func
    return decorate
