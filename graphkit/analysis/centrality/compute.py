"""Centrality of every entity in every period: :func:`centrality` over the registry.

The function takes a :class:`~graphkit.TemporalGraph` and returns a tidy
:class:`pandas.DataFrame` with one row per period x entity.

Time semantics (shared with :func:`~graphkit.analysis.scores.dyad_scores`)
--------------------------------------------------------------------------
* Periods are the rows of :meth:`TemporalGraph.period_table(freq, window=window)
  <graphkit.TemporalGraph.period_table>`: calendar days, weeks, months, quarters or years
  from the first relation to the last, optionally rolling over ``window`` periods.
* A relation takes part in every period its half-open interval ``[t_start, t_end)``
  overlaps (the rule of :meth:`TemporalGraph.window <graphkit.TemporalGraph.window>`):
  degrees and betweenness count it there. Its weight there follows the one measurement
  rule of :mod:`graphkit.model.measure`: a standing tie (durable type) adds its time-weighted
  level, an event the share of its weight inside the period as a flow per 30 days. So the
  metrics of period ``p`` are those of ``tg.window(start_p, end_p)`` and a strength means
  the same at every ``freq``.
* ``types`` keeps only relations of those types, exactly as ``tg.filter(types=types)``
  does first (the periods then span the kept relations).
* Within a period, parallel relations are aggregated per pair as
  :meth:`TemporalGraph.to_networkx` does: directed, an undirected relation counts in both
  directions; undirected, each relation counts once.
* Weights start from ``signed_weight`` (``sign * |weight|`` on the Goldstein 1992 scale),
  times the confidence with ``weight_by="confidence"``.

The aggregation is vectorised (:mod:`graphkit.analysis.aggregate`: relations are expanded to
(period, relation) pairs with ``numpy.searchsorted`` and ``numpy.repeat``, never
filtered per period); PageRank runs as one sparse power iteration over a
block-diagonal matrix holding every period at once, eigenvector centrality exactly per
connected component of that matrix.

References
----------
Goldstein, J. S. (1992). A conflict-cooperation scale for WEIS events data. *Journal of
Conflict Resolution*, 36(2), 369-385.

Schrodt, P. A. (2012). *CAMEO Conflict and Mediation Event Observations Codebook*,
version 1.1b3 (the quad classes).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from graphkit.analysis.centrality.graphs import Edges, Pairs
from graphkit.analysis.centrality.registry import MEASURES, Context
from graphkit.core.timespec import half_life_seconds
from graphkit.model.temporal import TemporalGraph

__all__ = ["centrality"]


def centrality(  # noqa: PLR0913 - public options, keyword-only
    tg: TemporalGraph,
    freq: str = "M",
    *,
    measures: Sequence[str] | str | None = None,
    window: int | None = None,
    half_life: object | None = None,
    types: Iterable[str] | str | None = None,
    combine: str = "level+flow",
    weight_by: str | None = None,
    weighted: bool = True,
    alpha: float = 0.85,
    tol: float = 1e-10,
    max_iter: int = 1000,
) -> pd.DataFrame:
    """Centrality of every entity in every period.

    Every entity of the graph has a row in every period (rows are sorted by period, then
    entity id); an entity without relations in a period has degrees, strengths,
    betweenness and eigenvector 0. Each measure is computed on one graph per period,
    built from the relations overlapping it (see the module notes):

    ``degree``
        Number of distinct partners, either direction (undirected graph of all ties).
    ``in_degree``, ``out_degree``
        Distinct partners with a relation towards / from the entity (directed graph; an
        undirected relation counts both ways).
    ``positive_degree``, ``negative_degree``
        Distinct partners with at least one cooperative (``sign > 0``) / hostile
        (``sign < 0``) relation, either direction. A partner with both counts in both.
    ``strength``, ``in_strength``, ``out_strength``
        Sum of the scores (level plus flow, the rule of :mod:`graphkit.model.measure`) of the
        dyads touching / entering / leaving the entity: each relation counts once at each
        end for ``strength``, an undirected one in both directions for the others.
    ``betweenness``
        Shortest-path betweenness (Freeman 1977) on the unweighted undirected graph of all
        ties, normalised by ``(n - 1)(n - 2)`` with ``n`` the number of entities, as
        ``networkx.betweenness_centrality``. Exact, by Brandes' (2001) accumulation run
        as sparse matrix products over batches of sources. Costly: not computed unless
        named.
    ``pagerank``
        PageRank (Brin & Page 1998) on the directed graph of cooperative ties: one edge
        per ordered pair whose score in the period is positive, weighted by that score
        (``weighted=False``: weight 1). PageRank needs non-negative weights, so hostile
        ties are left out rather than subtracted (signed variants exist, e.g. Traag,
        Nesterov & Van Dooren 2010, but rank by other axioms); a pair whose hostility
        outweighs its cooperation is no endorsement. Every entity is a node;
        teleportation and dangling nodes use the uniform vector, as
        ``networkx.pagerank``, so values sum to 1 per period and an entity without
        cooperative ties keeps the teleport baseline: ``(1 - alpha) / n`` plus its share
        ``alpha * d / n`` of the dangling mass ``d`` (with the default ``alpha`` and the
        20 entities of the bundled case, at least 0.0075; 1/20 = 0.05 in a period
        without any cooperative tie). Such an entity still gets a row, not ``NaN``: the
        column is one distribution per period, as networkx returns it. (Restricted to
        the active entities, PageRank is this vector renormalised: the two are
        proportional.) To leave inactive entities out, keep the rows with ``degree > 0``.
    ``eigenvector``
        Eigenvector centrality (Bonacich 1972) on the undirected graph of cooperative
        ties (unordered pairs with a positive score) weighted as for PageRank: the
        leading eigenvector, normalised to unit
        Euclidean length per period. On a disconnected graph it is the limit of the
        power iteration ``networkx.eigenvector_centrality`` runs (on ``A + I``, from a
        uniform start), computed exactly per connected component rather than iterated:
        the components whose largest eigenvalue is the period's largest share the
        centrality, the others get 0. Entities without cooperative ties, and every
        entity in a period without any, get 0.

    Parameters
    ----------
    tg : TemporalGraph
    freq : {"D", "W", "M", "Q", "Y"}
        Period length.
    measures : sequence of str, optional
        Names from :data:`~graphkit.analysis.centrality.CENTRALITY_MEASURES` (the keys of
        the registry, :mod:`graphkit.analysis.centrality.registry`); default
        :data:`~graphkit.analysis.centrality.DEFAULT_MEASURES` (all but betweenness).
    window : int, optional
        Rolling width in periods (each row then covers ``window`` periods to its label).
    half_life : str, Timedelta or number of days, optional
        Weigh ties by their decayed score (the ``decayed`` column of
        :func:`~graphkit.analysis.scores.dyad_scores`: standing ties at their level,
        events discounted by ``0.5 ** (age / half_life)`` at the end of each period,
        including events of earlier periods). It changes strengths,
        PageRank and eigenvector weights, not degrees or betweenness (those count the
        relations overlapping the period). Costs a dyads x periods table.
    types : str or iterable of str, optional
        Relation types to keep.
    combine : {"level+flow", "level", "flow"}
        How a dyad's score is made of standing ties and events (see
        :func:`~graphkit.analysis.scores.dyad_scores`).
    weight_by : {None, "confidence"}
        ``"confidence"`` multiplies each relation's weight by its confidence.
    weighted : bool
        Weigh PageRank and eigenvector edges by summed weight (default) or count each
        cooperative pair once.
    alpha, tol, max_iter : float, float, int
        PageRank damping factor; convergence threshold on the L1 change of each
        period's vector; iteration limit.

    Returns
    -------
    pandas.DataFrame
        Columns ``period`` (:class:`pandas.Period`), ``entity`` and one column per
        measure (integers for degrees, floats otherwise).

    Examples
    --------
    On the bundled Nagorno-Karabakh case (``tg``), the most central actors of 2023:

    >>> c = centrality(tg, "Y", measures=["degree", "pagerank"])
    >>> top = c[c["period"] == "2023"].nlargest(3, "pagerank")
    >>> top[["entity", "degree"]].to_dict("list")
    {'entity': ['AZE', 'ARM', 'RUS'], 'degree': [8, 12, 9]}
    >>> top["pagerank"].round(3).tolist()
    [0.266, 0.159, 0.125]

    Every entity has a row in every period and PageRank sums to 1 per period; in 1961
    the case's only tie is hostile, so all 20 entities keep the uniform 1/20:

    >>> y1961 = c[c["period"] == "1961"]
    >>> len(y1961), y1961["degree"].sum(), y1961["pagerank"].round(6).unique().tolist()
    (20, np.int64(2), [0.05])

    References
    ----------
    Bonacich, P. (1972). Factoring and weighting approaches to status scores and clique
    identification. *Journal of Mathematical Sociology*, 2(1), 113-120.

    Brandes, U. (2001). A faster algorithm for betweenness centrality. *Journal of
    Mathematical Sociology*, 25(2), 163-177.

    Brin, S., & Page, L. (1998). The anatomy of a large-scale hypertextual Web search
    engine. *Computer Networks and ISDN Systems*, 30(1-7), 107-117.

    Freeman, L. C. (1977). A set of measures of centrality based on betweenness.
    *Sociometry*, 40(1), 35-41.

    Goldstein, J. S. (1992). A conflict-cooperation scale for WEIS events data. *Journal
    of Conflict Resolution*, 36(2), 369-385.

    Traag, V. A., Nesterov, Y. E. and Van Dooren, P. (2010). Exponential ranking: taking
    into account negative links. *Social Informatics* (SocInfo 2010), 192-202.
    """
    names = _check_measures(measures)
    if half_life is not None:
        half_life_seconds(half_life)
    pairs = Pairs(tg, freq, window, types, combine, weight_by)
    n, n_periods = pairs.n, pairs.n_periods
    out = pd.DataFrame({
        "period": pairs.periods["period"].array.repeat(n) if n_periods else
        pairs.periods["period"].array,
        "entity": pd.array(np.tile(pairs.ids.to_numpy(dtype=object), n_periods), dtype="str"),
    })
    if n * n_periods == 0:
        for name in names:
            out[name] = np.array([], dtype=MEASURES[name].dtype)
        return out
    context = Context(pairs, Edges(pairs, tg, freq, window, types, half_life, combine,
                                   weight_by),
                      weighted=weighted, alpha=alpha, tol=tol, max_iter=max_iter)
    for name in names:
        out[name] = MEASURES[name](context)
    return out


def _check_measures(measures: Sequence[str] | str | None) -> list[str]:
    """The requested measure names, deduplicated in order; ``ValueError`` if unknown."""
    if measures is None:
        return [name for name, m in MEASURES.items() if m.default]
    if isinstance(measures, str):
        measures = [measures]
    names = list(dict.fromkeys(measures))
    unknown = [str(m) for m in names if m not in MEASURES]
    if unknown:
        raise ValueError(f"unknown measures: {', '.join(unknown)}; "
                         f"choose from {', '.join(MEASURES)}")
    return names
