"""Cooperation and conflict of every dyad, period by period (:func:`dyad_scores`).

A dyad's score in a period follows the one measurement rule of
:mod:`graphkit.model.measure`: standing ties (durable types) give a time-weighted
``level``, events a ``flow`` per 30 days, each event's weight spread over its extent.
The sums are vectorised in :mod:`graphkit.analysis.aggregate` (relations expanded to
(period, relation) pairs, never filtered per period); ``normalize="coverage"`` divides
event weights by the coverage of the two actors (:mod:`graphkit.analysis.coverage`).

The public namespace is :mod:`graphkit.metrics` (:mod:`graphkit.analysis.metrics`).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from graphkit.analysis import aggregate, coverage
from graphkit.core.timespec import half_life_seconds
from graphkit.model import measure
from graphkit.model.temporal import TemporalGraph

__all__ = ["dyad_scores"]


def dyad_scores(
    tg: TemporalGraph,
    freq: str = "M",
    *,
    half_life: object | None = None,
    directed: bool = True,
    window: int | None = None,
    types: Iterable[str] | str | None = None,
    fill: str = "active",
    combine: str = "level+flow",
    weight_by: str | None = None,
    normalize: str | None = None,
) -> pd.DataFrame:
    """Cooperation and conflict of every dyad, period by period.

    Each period's numbers follow the one rule of :mod:`graphkit.model.measure`: standing ties
    (durable types) give a ``level``, the time-weighted mean of their signed weights in
    force over the period; events give a ``flow``, their signed weight per 30 days, each
    event's weight spread evenly over its extent. So a tie's level and an event's total
    weight are the same at every ``freq``.

    Parameters
    ----------
    tg : TemporalGraph
    freq : {"D", "W", "M", "Q", "Y"}
        Period length.
    half_life : str, Timedelta or number of days, optional
        Add ``decayed_flow`` and ``decayed``: the event flow with each event discounted by
        ``0.5 ** (age / half_life)`` at the end of the period (age from each instant of
        its extent), as a rate per 30 days, and ``decayed``, that flow combined with the
        level. Standing ties never decay and never pile up; a decayed score does not rise
        without a new event or tie. With ``fill="all"`` a dyad's decayed flow is seen to
        fade after its last event.
    directed : bool
        ``True``: one row per ordered pair, an undirected relation counting in both
        directions. ``False``: one row per unordered pair, ``source < target``, each
        relation counting once.
    window : int, optional
        Rolling width in periods (a row then measures the whole window).
    types : str or iterable of str, optional
        Relation types to keep.
    fill : {"active", "all"}
        ``"active"`` (default): a row for each period in which the dyad has relations.
        ``"all"``: also a row for every later period (``count`` 0), which shows the
        decayed score fading; tables then grow to dyads x periods.
    combine : {"level+flow", "level", "flow"}
        How ``score`` is made of the two layers (default their sum).
    weight_by : {None, "confidence"}
        ``"confidence"`` multiplies each relation's weight by its confidence.
    normalize : {None, "coverage"}
        ``"coverage"``: divide each dyad's event weight by the coverage of its two
        actors in the period, so that a dyad merely in the news more does not look
        more cooperative or hostile (:mod:`graphkit.analysis.coverage`); adds ``raw_flow``,
        ``coverage_source``, ``coverage_target``.

    Returns
    -------
    pandas.DataFrame
        Sorted by ``period``, ``source``, ``target``, with columns

        - ``score``: ``level + flow`` (see ``combine``);
        - ``level``: time-weighted mean signed weight of the standing ties in force;
        - ``flow``: signed weight of the events per 30 days (Goldstein 1992 scale);
        - ``count``: ``events + ties``; ``events``: events, each counted by the share of
          its weight inside the period (so the counts add up to the number of events
          over any partition of time); ``ties``: standing ties, each counted by the share
          of the period it is in force;
        - ``positive``, ``negative``, ``neutral``: ``count`` by sign;
        - ``verbal_cooperation``, ``material_cooperation``, ``verbal_conflict``,
          ``material_conflict``: ``count`` by CAMEO quad class (Schrodt 2012);
        - ``decayed_flow`` and ``decayed`` when ``half_life`` is given.

    Examples
    --------
    >>> import graphkit
    >>> tg = graphkit.TemporalGraph.from_frames(
    ...     pd.DataFrame({"id": ["ARM", "RUS"], "name": ["Armenia", "Russia"],
    ...                   "type": "state"}),
    ...     pd.DataFrame({"source": ["ARM", "ARM"], "target": ["RUS", "RUS"],
    ...                   "type": ["alliance", "criticism"],
    ...                   "start": ["2023-01-01", "2023-09-12"], "weight": [8, -2]}))
    >>> d = dyad_scores(tg, "M", directed=False)
    >>> d.loc[d["period"] == "2023-09", ["score", "level", "flow", "events", "ties"]]
       score  level  flow  events  ties
    8    6.0    8.0  -2.0     1.0   1.0

    References
    ----------
    Goldstein, J. S. (1992). A conflict-cooperation scale for WEIS events data. *Journal
    of Conflict Resolution*, 36(2), 369-385.

    Schrodt, P. A. (2012). *CAMEO Conflict and Mediation Event Observations Codebook*,
    version 1.1b3.
    """
    aggregate.check_fill(fill)
    measure.check_combine(combine)
    coverage.check_normalize(normalize)
    if half_life is not None:
        half_life_seconds(half_life)
    table = aggregate.dyad_table(tg, freq, half_life=half_life, directed=directed,
                                 window=window, types=types, fill=fill, combine=combine,
                                 weight_by=weight_by)
    if normalize == "coverage":
        table = coverage.normalize_dyad_scores(table, tg, freq, window, types, combine,
                                               half_life)
    return table
