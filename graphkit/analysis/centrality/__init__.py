"""Centrality per entity and period, one registered function per measure.

Each measure is a small function of a :class:`~graphkit.analysis.centrality.registry.Context`
registered with :func:`~graphkit.analysis.centrality.registry.register` together with
its metadata (integer or float, directed or not, computed by default or not);
:func:`centrality` looks the requested names up in the registry. Adding a measure is one
function plus its registration in a module imported below.

The public namespace is :mod:`graphkit.metrics` (:mod:`graphkit.analysis.metrics`).
"""

# isort: off
# The import order is the registration order, so the order of CENTRALITY_MEASURES.
from graphkit.analysis.centrality import degrees, strengths, betweenness, pagerank, eigenvector  # noqa: F401
# isort: on
from graphkit.analysis.centrality.compute import centrality
from graphkit.analysis.centrality.registry import MEASURES, Context, Measure, register

__all__ = ["CENTRALITY_MEASURES", "DEFAULT_MEASURES", "MEASURES", "Context", "Measure",
           "centrality", "register"]

#: Every measure :func:`centrality` computes, in registration order.
CENTRALITY_MEASURES = tuple(MEASURES)
#: The measures computed when none are named (betweenness is costly: ask for it).
DEFAULT_MEASURES = tuple(name for name, m in MEASURES.items() if m.default)
