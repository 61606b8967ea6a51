"""Coverage normalisation: event flows that do not grow with how much is written.

Event data count what the news reports. A dyad whose two actors are in the news ten
times as often gets about ten times as many events of every kind, so its flow (signed
Goldstein weight per 30 days) is ten times larger, and it looks ten times as friendly or
as hostile, while the relation is the same. ``normalize="coverage"`` divides a dyad's
event weight over a range by the coverage of its two actors in that range:

.. math::

    \\tilde f_{ij} = \\frac{W_{ij}}{\\sqrt{E_i \\, E_j}}

where :math:`W_{ij}` is the signed weight of the dyad's events in the range (the flow
times the range's length in 30-day units, each event counted by its share inside the
range, :mod:`graphkit.model.measure`) and :math:`E_i` the number of events of actor :math:`i`
with anyone in the same range, counted the same way. The normalised flow is in
Goldstein points per event of coverage: for two actors that deal only with each other
it is their mean Goldstein weight per event, and it does not change when every count is
multiplied by the same factor. Standing ties (the ``level``) are not news volume and
are left as they are; ``score`` is recombined from the level and the normalised flow.

This is the volume normalisation recommended for GDELT counts (divide by the events
recorded in the same period, Leetaru and Schrodt 2013; Hammond and Weidmann 2014),
taken to the actor pair with the geometric mean of the two actors' totals, the cosine
(Salton) normalisation of an association count (Salton and McGill 1983).

Use it through the ``normalize="coverage"`` keyword of
:func:`graphkit.analysis.scores.dyad_scores` and :func:`graphkit.analysis.shifts.compare`, or
``--normalize coverage`` on the command line.

References
----------
Leetaru, K., & Schrodt, P. A. (2013). GDELT: Global data on events, location, and tone,
1979-2012. *ISA Annual Convention* (normalising event counts by total volume).

Hammond, J., & Weidmann, N. B. (2014). Using machine-coded event data for the
micro-level study of political violence. *Research & Politics*, 1(2).

Salton, G., & McGill, M. J. (1983). *Introduction to Modern Information Retrieval*.
McGraw-Hill (the cosine measure).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from graphkit.analysis import aggregate
from graphkit.core.timespec import half_life_seconds
from graphkit.model import measure
from graphkit.model.temporal import TemporalGraph

__all__ = ["NORMALIZE", "actor_coverage", "check_normalize", "decayed_coverage",
           "normalize_dyad_scores", "range_factors"]

#: Values of the ``normalize`` keyword.
NORMALIZE = (None, "coverage")
_DAY = 86_400.0


def check_normalize(normalize: str | None) -> None:
    """Raise ``ValueError`` unless ``normalize`` is ``None`` or ``"coverage"``."""
    if normalize not in NORMALIZE:
        raise ValueError(f"normalize must be None or 'coverage', not {normalize!r}")


def _per_actor(source: np.ndarray, target: np.ndarray, values: np.ndarray,
               ids: pd.Index) -> np.ndarray:
    """Sum ``values`` per actor over both ends (a self-relation counts once)."""
    s = ids.get_indexer(source)
    t = ids.get_indexer(target)
    own = s == t
    return (np.bincount(s, weights=values, minlength=len(ids))
            + np.bincount(t, weights=np.where(own, 0.0, values), minlength=len(ids)))


def range_factors(relations: pd.DataFrame, share: np.ndarray, start: pd.Timestamp,
                  end: pd.Timestamp) -> np.ndarray:
    """Per relation: the factor that turns its flow over ``[start, end)`` into the
    coverage-normalised flow, ``(T / 30 days) / sqrt(E_source * E_target)``.

    Parameters
    ----------
    relations : pandas.DataFrame
        A graph's relation table (``source``, ``target``, ``durable``).
    share : numpy.ndarray
        Each relation's share inside the range (``measure.range_contributions``).
    start, end : pandas.Timestamp

    Returns
    -------
    numpy.ndarray
        Zero where an actor has no event in the range (the flow is zero there too).
    """
    source = relations["source"].to_numpy(dtype=object)
    target = relations["target"].to_numpy(dtype=object)
    ids = pd.Index(pd.unique(np.concatenate([source, target])))
    events = np.where(relations["durable"].to_numpy(dtype=bool), 0.0, share)
    coverage = _per_actor(source, target, events, ids)
    product = coverage[ids.get_indexer(source)] * coverage[ids.get_indexer(target)]
    days = (pd.Timestamp(end) - pd.Timestamp(start)).total_seconds() / _DAY
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = (days / measure.FLOW_DAYS) / np.sqrt(product)
    return np.where(product > 0, factor, 0.0)


def actor_coverage(
    tg: TemporalGraph,
    freq: str = "M",
    window: int | None = None,
    types: Iterable[str] | str | None = None,
) -> pd.DataFrame:
    """Events of each actor with anyone, period by period (the ``E_i`` of the module).

    Parameters
    ----------
    tg : TemporalGraph
    freq, window, types
        As for :func:`graphkit.analysis.scores.dyad_scores`.

    Returns
    -------
    pandas.DataFrame
        ``period``, ``actor``, ``events`` (each event counted by its share inside the
        period), ``days`` (the period's length); only actors with events.

    Examples
    --------
    >>> import graphkit
    >>> tg = graphkit.TemporalGraph.from_frames(
    ...     pd.DataFrame({"id": ["A", "B", "C"], "name": ["A", "B", "C"], "type": "state"}),
    ...     pd.DataFrame({"source": ["A", "A"], "target": ["B", "C"],
    ...                   "type": "criticism", "start": ["2023-01-05", "2023-01-09"]}))
    >>> actor_coverage(tg)[["actor", "events"]].to_dict("list")
    {'actor': ['A', 'B', 'C'], 'events': [2.0, 1.0, 1.0]}
    """
    pairs = aggregate.dyad_table(tg, freq, directed=False, window=window, types=types)
    pairs = pairs[pairs["events"] > 0]
    both = pd.concat([
        pairs[["period", "source", "events"]].rename(columns={"source": "actor"}),
        pairs.loc[pairs["source"] != pairs["target"], ["period", "target", "events"]]
        .rename(columns={"target": "actor"}),
    ], ignore_index=True)
    out = both.groupby(["period", "actor"], sort=True, as_index=False)["events"].sum()
    table = tg.period_table(freq, window=window) if len(tg.relations) else None
    if table is not None and len(out):
        days = (table["end"] - table["start"]).dt.total_seconds() / _DAY
        out["days"] = out["period"].map(pd.Series(days.to_numpy(),
                                                  index=table["period"])).to_numpy()
    else:
        out["days"] = pd.Series(dtype=float)
    return out


def normalize_dyad_scores(
    scores: pd.DataFrame,
    tg: TemporalGraph,
    freq: str = "M",
    window: int | None = None,
    types: Iterable[str] | str | None = None,
    combine: str = "level+flow",
    half_life: object | None = None,
) -> pd.DataFrame:
    """A :func:`graphkit.analysis.scores.dyad_scores` table with coverage-normalised flows.

    ``flow`` becomes :math:`W_{ij}/\\sqrt{E_i E_j}` and ``score`` is recombined with the
    level; ``raw_flow``, ``coverage_source`` and ``coverage_target`` (the two actors'
    events in the period) are added. With ``half_life``, ``decayed_flow`` is divided the
    same way by the two actors' *decayed* coverage (their events decayed with the same
    half-life, :func:`decayed_coverage`): a decayed mean weight per event of coverage.
    In a period without events the dyad's decayed flow and its actors' coverage fade at
    the same rate, so the normalised value holds until new events change it (it does not
    drop to zero as the undecayed ``flow`` does).

    Parameters
    ----------
    scores : pandas.DataFrame
        Output of ``dyad_scores(tg, freq, window=window, types=types,
        half_life=half_life)``.
    tg, freq, window, types, combine, half_life
        The same arguments that made ``scores``.

    Returns
    -------
    pandas.DataFrame
    """
    out = scores.copy()
    cov = actor_coverage(tg, freq, window, types)
    index = pd.MultiIndex.from_frame(cov[["period", "actor"]])
    events = pd.Series(cov["events"].to_numpy(), index=index)
    days = cov.groupby("period")["days"].first()
    keys_s = pd.MultiIndex.from_arrays([out["period"], out["source"]])
    keys_t = pd.MultiIndex.from_arrays([out["period"], out["target"]])
    e_s = events.reindex(keys_s).fillna(0.0).to_numpy()
    e_t = events.reindex(keys_t).fillna(0.0).to_numpy()
    length = out["period"].map(days).fillna(0.0).to_numpy(dtype=float)
    product = e_s * e_t
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(product > 0, (length / measure.FLOW_DAYS) / np.sqrt(product), 0.0)
    out["raw_flow"] = out["flow"]
    out["flow"] = out["flow"].to_numpy() * factor
    out["score"] = measure.combine(out["level"].to_numpy(), out["flow"].to_numpy(), combine)
    if half_life is not None:
        rates = decayed_coverage(tg, freq, half_life, window, types)
        table = tg.period_table(freq, window=window)
        period_end = pd.Series(table["end"].to_numpy(), index=table["period"])
        r_s = _rate_at(rates, period_end, out["period"], out["source"], half_life)
        r_t = _rate_at(rates, period_end, out["period"], out["target"], half_life)
        product = r_s * r_t
        with np.errstate(divide="ignore", invalid="ignore"):
            factor = np.where(product > 0, 1.0 / np.sqrt(product), 0.0)
        out["raw_decayed_flow"] = out["decayed_flow"]
        out["decayed_flow"] = out["decayed_flow"].to_numpy() * factor
        out["decayed"] = measure.combine(out["level"].to_numpy(),
                                         out["decayed_flow"].to_numpy(), combine)
    out["coverage_source"] = e_s
    out["coverage_target"] = e_t
    out.attrs["normalize"] = "coverage"
    return out


def decayed_coverage(
    tg: TemporalGraph,
    freq: str,
    half_life: object,
    window: int | None = None,
    types: Iterable[str] | str | None = None,
) -> pd.DataFrame:
    """Each actor's events with anyone, decayed as a dyad's flow is, period by period.

    The decayed counterpart of :func:`actor_coverage`, measured by the same rule as
    ``decayed_flow`` (:func:`graphkit.analysis.aggregate.finish_dyad_scores`): every event
    of the actor counts 1, spread over its extent and discounted by its age at the
    period's end, as a rate per 30 days. Dividing a dyad's ``decayed_flow`` by the
    geometric mean of its two actors' rates gives its decayed flow per event of coverage.

    Parameters
    ----------
    tg : TemporalGraph
    freq, half_life, window, types
        As for :func:`graphkit.analysis.scores.dyad_scores`.

    Returns
    -------
    pandas.DataFrame
        ``period``, ``actor``, ``rate`` (decayed events per 30 days) and ``end`` (the
        period's end), for the periods in which the actor has events; in a later period
        without events the rate is the last one decayed by the time between the two
        periods' ends (:func:`normalize_dyad_scores` does this).

    Examples
    --------
    >>> import graphkit
    >>> tg = graphkit.TemporalGraph.from_frames(
    ...     pd.DataFrame({"id": ["A", "B"], "name": ["A", "B"], "type": "state"}),
    ...     pd.DataFrame({"source": ["A", "A"], "target": ["B", "B"], "type": "criticism",
    ...                   "start": ["2023-01", "2023-03"]}))
    >>> decayed_coverage(tg, "M", "30D")[["period", "actor", "rate"]].round({"rate": 3})
        period actor   rate
    0  2023-01     A  0.495
    1  2023-01     B  0.495
    2  2023-03     A  0.622
    3  2023-03     B  0.622
    """
    graph = tg.filter(types=types) if types is not None else tg
    ids, source, target = aggregate.graph_codes(tg, graph)
    periods = aggregate.graph_periods(graph, freq, window)
    event = ~graph.relations["durable"].to_numpy(dtype=bool)
    rel = graph.relations.loc[event]
    if rel.empty or periods.empty:
        return pd.DataFrame({"period": pd.Series(dtype="str"),
                             "actor": pd.Series(dtype="str"),
                             "rate": pd.Series(dtype=float),
                             "end": pd.Series(dtype="datetime64[ns]")})
    # each event once for its source and once for its target, as a self-pair counting 1
    source, target = source[event], target[event]
    other = source != target
    ends = pd.concat([rel, rel.loc[other]], ignore_index=True).assign(
        signed_weight=1.0, sign=1, directed=True)
    actor = np.concatenate([source, target[other]])
    starts, period_ends = aggregate.bounds(periods)
    sums = aggregate.dyad_period_sums(ends, starts, period_ends, ids, True,
                                      half_life=half_life, codes=(actor, actor))
    table = aggregate.finish_dyad_scores(sums, periods, ids, half_life)
    period_end = pd.Series(periods["end"].to_numpy(), index=periods["period"])
    return pd.DataFrame({"period": table["period"].to_numpy(),
                         "actor": table["source"].to_numpy(),
                         "rate": table["decayed_flow"].to_numpy(),
                         "end": period_end.reindex(table["period"]).to_numpy()})


def _rate_at(rates: pd.DataFrame, period_end: pd.Series, period: pd.Series,
             actor: pd.Series, half_life: object) -> np.ndarray:
    """The decayed coverage rate of ``actor`` at the end of ``period``: its last measured
    rate at or before that period, decayed by the time since (0 before its first event)."""
    if rates.empty or period.empty:
        return np.zeros(len(period))
    wanted = pd.DataFrame({"actor": actor.to_numpy(), "row": np.arange(len(period)),
                           "end": period_end.reindex(period).to_numpy()})
    found = pd.merge_asof(wanted.sort_values("end", kind="stable"),
                          rates[["actor", "end", "rate"]].rename(columns={"end": "at"})
                          .sort_values("at", kind="stable"),
                          left_on="end", right_on="at", by="actor", direction="backward")
    found = found.sort_values("row", kind="stable")
    age = (found["end"] - found["at"]).dt.total_seconds().to_numpy(dtype=float)
    rate = found["rate"].to_numpy(dtype=float) * np.exp2(-age / half_life_seconds(half_life))
    return np.nan_to_num(rate, nan=0.0)
