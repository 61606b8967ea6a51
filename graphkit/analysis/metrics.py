"""Metrics over time: centrality per entity and scores per dyad, period by period.

The public namespace ``graphkit.metrics``. Every function takes a
:class:`~graphkit.TemporalGraph` and returns a tidy :class:`pandas.DataFrame` with one row
per period x entity (:func:`centrality`, from :mod:`graphkit.analysis.centrality`) or
period x dyad (:func:`dyad_scores`, from :mod:`graphkit.analysis.scores`). The time
semantics they share are described in :mod:`graphkit.analysis.centrality.compute`.

Examples
--------
>>> from graphkit import metrics
>>> sorted(set(metrics.CENTRALITY_MEASURES) - set(metrics.DEFAULT_MEASURES))
['betweenness']
>>> metrics.dyad_scores(tg, "Y").columns[:5].tolist()
['period', 'source', 'target', 'score', 'level']
"""

from __future__ import annotations

from graphkit.analysis.centrality import CENTRALITY_MEASURES, DEFAULT_MEASURES, centrality
from graphkit.analysis.scores import dyad_scores

__all__ = ["CENTRALITY_MEASURES", "DEFAULT_MEASURES", "centrality", "dyad_scores"]
