"""Structural balance per calendar period of a temporal graph (:func:`over_time`)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from graphkit.analysis.balance.frustration import solve_frustration
from graphkit.analysis.balance.signed import Signed, active, collapse
from graphkit.analysis.balance.triangles import CENSUS_KEYS, balance_indices, census_counts
from graphkit.analysis.scores import dyad_scores
from graphkit.core.timespec import half_life_seconds
from graphkit.model.temporal import TemporalGraph

__all__ = ["OVER_TIME_COLUMNS", "over_time"]


_NO_TIES = pd.DataFrame({"source": [], "target": [], "score": [], "decayed": []})


OVER_TIME_COLUMNS = [
    "period", "nodes", "edges", "positive", "negative", "triangles", *CENSUS_KEYS,
    "strong_balance", "weak_balance", "frustration", "line_balance", "exact", "lower_bound",
]


def _align(sg: Signed, camps: np.ndarray, last: dict) -> np.ndarray:
    """Switch whole components so that camps agree with each node's last known camp."""
    if sg.n == 0:
        return camps
    _, comp = connected_components(
        sparse.coo_array((np.ones(sg.m), (sg.u, sg.v)), shape=(sg.n, sg.n)), directed=False
    )
    before = np.array([last.get(node, -1) for node in sg.nodes])
    known = before >= 0
    agree = np.bincount(comp[known], weights=(camps[known] == before[known]),
                        minlength=comp.max() + 1)
    disagree = np.bincount(comp[known], weights=(camps[known] != before[known]),
                           minlength=comp.max() + 1)
    flip = (disagree > agree)[comp]
    return np.where(flip, 1 - camps, camps).astype(np.int8)


def _firm(sg: Signed, camps: np.ndarray) -> np.ndarray:
    """Whether moving each node alone to the other camp would frustrate more ties."""
    same = camps[sg.u] == camps[sg.v]
    frustrated = np.where(sg.s > 0, ~same, same)
    # moving a node turns each of its ties from frustrated to satisfied or back
    delta = np.where(frustrated, -1, 1)
    cost = np.bincount(sg.u, weights=delta, minlength=sg.n) + np.bincount(
        sg.v, weights=delta, minlength=sg.n)
    return cost > 0


def over_time(
    tg: TemporalGraph,
    freq: str = "Y",
    *,
    window: int | None = None,
    types: Iterable[str] | None = None,
    half_life: str | pd.Timedelta | None = None,
    partitions: bool = False,
    exact: bool | None = None,
    time_limit: float | None = None,
    seed: int = 0,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Structural balance per calendar period: census, triangle indices, frustration.

    Parameters
    ----------
    tg : TemporalGraph
        The relations; each period holds a tie for every pair of actors with relations
        overlapping it, whose sign is the sign of the pair's score in the period
        (:func:`graphkit.analysis.scores.dyad_scores`, ``directed=False``: standing ties' level
        plus events' flow; see the module documentation).
    freq : {"D", "W", "M", "Q", "Y"}
        Period length.
    window : int, optional
        Rolling width in periods: each period then also holds the ``window - 1``
        periods before it.
    types : iterable of str, optional
        Relation types to keep (``KeyError`` for unknown types).
    half_life : str, Timedelta or number of days, optional
        Take each tie's sign from its decayed score (``dyad_scores``' ``decayed``: the
        level plus the event flow discounted by ``0.5 ** (age / half_life)``, earlier
        events included). Ties are still the pairs with relations overlapping the period;
        balance counts ties, not weights, so decay matters only through these signs.
    partitions : bool
        Also return each actor's camp per period.
    exact, time_limit, seed
        As for :func:`frustration_index` (``time_limit`` applies to each period).

    Returns
    -------
    pandas.DataFrame
        One row per period: ``period``, ``nodes`` (actors with at least one signed tie),
        ``edges``, ``positive``, ``negative``, ``triangles``, the census counts ``+++``,
        ``++-``, ``+--``, ``---``, ``strong_balance`` and ``weak_balance`` (triangle
        indices, NaN without triangles), ``frustration`` (frustration index),
        ``line_balance`` (``1 - 2 frustration / edges``, Aref & Wilson 2018; NaN without
        ties), ``exact`` and ``lower_bound``.
    (pandas.DataFrame, pandas.DataFrame)
        With ``partitions=True``, also a table ``period``, ``entity``, ``camp`` (0/1) and
        ``firm`` for the actors with ties in each period. ``firm`` is True when moving
        the actor alone to the other camp would frustrate more ties: when it is False,
        another partition as good puts the actor on the other side, so its camp says
        little (optimal partitions are often not unique). Camps are labels only, so each connected
        component is switched, where that makes more actors agree with the camp they
        had when last seen, to keep labels stable over time (this changes no count).

    Examples
    --------
    On the bundled Nagorno-Karabakh case (``tg``), over rolling three-year windows:

    >>> table, camps = over_time(tg, "Y", window=3, partitions=True)
    >>> last = table.tail(3)
    >>> last["period"].astype(str).tolist(), last["edges"].tolist()
    (['2022', '2023', '2024'], [15, 21, 21])
    >>> last["frustration"].tolist(), last["line_balance"].round(3).tolist()
    ([1, 4, 4], [0.867, 0.619, 0.619])
    >>> camps.columns.tolist()
    ['period', 'entity', 'camp', 'firm']

    References
    ----------
    Cartwright, D. and Harary, F. (1956). Structural balance: a generalization of
    Heider's theory. Psychological Review 63(5): 277-293.

    Davis, J. A. (1967). Clustering and structural balance in graphs. Human Relations
    20(2): 181-187.

    Aref, S. and Wilson, M. C. (2018). Measuring partial balance in signed networks.
    Journal of Complex Networks 6(4): 566-595.

    Doreian, P. and Mrvar, A. (2015). Structural balance and signed international
    relations. Journal of Social Structure 16.
    """
    if not isinstance(tg, TemporalGraph):
        raise TypeError(f"over_time needs a TemporalGraph, not {type(tg).__name__}")
    if half_life is not None:
        half_life_seconds(half_life)
    if types is not None:
        tg = tg.filter(types=types)
    rows, camp_tables, last = [], [], {}
    table = tg.period_table(freq, window=window) if len(tg.relations) else None
    scores = (dyad_scores(tg, freq, half_life=half_life, directed=False, window=window)
              if table is not None else None)
    value = "decayed" if half_life is not None else "score"
    by_period = dict(tuple(scores.groupby("period", sort=True))) if scores is not None else {}
    for period in ([] if table is None else table["period"]):
        ties = by_period.get(period, _NO_TIES)
        sg = active(collapse(ties["source"], ties["target"],
                               ties[value].to_numpy(float)))
        counts = census_counts(sg)
        strong, weak = balance_indices(counts)
        camps, result = solve_frustration(sg, exact, time_limit, seed)
        rows.append((period, sg.n, sg.m, int((sg.s > 0).sum()), int((sg.s < 0).sum()),
                     int(counts.sum()), *(int(c) for c in counts), strong, weak,
                     result.value, result.line_balance, result.exact, result.lower_bound))
        if partitions:
            camps = _align(sg, camps, last)
            last.update(zip(sg.nodes, camps.tolist(), strict=True))
            camp_tables.append(pd.DataFrame({"period": period, "entity": sg.nodes,
                                             "camp": camps.astype(np.int8),
                                             "firm": _firm(sg, camps)}))
    out = pd.DataFrame.from_records(rows, columns=OVER_TIME_COLUMNS)
    counts = [*OVER_TIME_COLUMNS[1:10], "frustration", "lower_bound"]
    out = out.astype(dict.fromkeys(counts, "int64"))
    out = out.astype({"strong_balance": float, "weak_balance": float, "line_balance": float,
                      "exact": bool})
    if not partitions:
        return out
    if camp_tables:
        camps_table = pd.concat(camp_tables, ignore_index=True)
    else:
        camps_table = pd.DataFrame({"period": [], "entity": [], "camp": [], "firm": []})
    return out, camps_table.astype({"camp": "int8", "firm": bool})
