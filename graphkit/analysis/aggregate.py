"""Vectorised aggregation of relations into calendar periods.

Events are many, actors and dyads few: the heavy work of every metric "over time" is
to turn relations into ``(period, relation)`` pairs and then into period x entity or
period x dyad tables. This module does that once, in numpy, for every caller: the
metrics (:mod:`graphkit.analysis.metrics`), the Dask route (:mod:`graphkit.dask`) and anything
that needs the same semantics.

A relation takes part in every period its half-open interval ``[t_start, t_end)``
overlaps (the rule of :meth:`graphkit.TemporalGraph.window`), and what it contributes
there is measured by the one rule of :mod:`graphkit.model.measure`: a standing tie its
time-weighted level, an event the share of its weight inside the period, as a flow per 30
days. The periods are the rows of :meth:`graphkit.TemporalGraph.period_table` (one
implementation of periods); with a rolling window a row covers several periods.

How: period starts and ends are both sorted (also for rolling windows), so the periods
a relation overlaps form one contiguous run, found with a per-day lookup table (or
:func:`numpy.searchsorted`); :func:`numpy.repeat` then lays out the pairs. No loop over
periods or relations.

Additive sums (``level``, ``flow``, counts by layer, by sign and by CAMEO quad class, and
the decayed flow's increments) are computed per partition by :func:`dyad_period_sums` and
combined by summing, so the same function serves a pandas table and each partition of a
Dask DataFrame; :func:`finish_dyad_scores` then adds the score and the decayed score on the
small aggregated table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from graphkit.core.timespec import half_life_seconds, period_bounds
from graphkit.model import measure
from graphkit.model.measure import seconds
from graphkit.model.temporal import TemporalGraph, encode

__all__ = [
    "QUAD_COLUMNS",
    "SUM_COLUMNS",
    "bounds",
    "combine_sums",
    "distinct",
    "dyad_period_sums",
    "dyad_table",
    "empty_periods",
    "empty_sums",
    "expand",
    "finish_dyad_scores",
    "graph_codes",
    "graph_periods",
    "group",
    "seconds",
]

#: CAMEO quad classes (Schrodt 2012) and the columns counting them.
QUAD_COLUMNS = {
    1: "verbal_cooperation",
    2: "material_cooperation",
    3: "verbal_conflict",
    4: "material_conflict",
}
#: Additive columns of :func:`dyad_period_sums`, in order (all floats: events count by
#: the share of their weight inside the period, standing ties by the share of the period
#: they are in force).
SUM_COLUMNS = ["level", "flow", "events", "ties", "positive", "negative", "neutral",
               *QUAD_COLUMNS.values()]
#: The decayed flow's additive increments (with a half-life only).
DECAY_COLUMN = "flow_decay"
_KEYS = ["period", "source", "target"]
# Columns of the per-pair table that dyad_period_sums reorders once.
_SHARE, _VALUE, _DECAY = range(3)
# finish_dyad_scores indexes the decay's state by dyad key up to this many possible dyads
# (two arrays of this length; untouched pages of np.zeros cost no memory).
_DENSE_DYADS = 1 << 24
# _decay looks its factors up in a per-period table up to this many periods.
_DECAY_TABLE_PERIODS = 5000


def empty_periods(freq: str, window: int | None = None) -> pd.DataFrame:
    """A period table without rows (checks ``freq`` and ``window`` as usual)."""
    table = period_bounds(pd.Timestamp("2000-01-01"), pd.Timestamp("2000-01-01"), freq, window)
    return table.iloc[:0].reset_index(drop=True)


def bounds(periods: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends of a period table (see :func:`graphkit.core.timespec.period_bounds`).

    Returns two int64 arrays of seconds; both are sorted, also for rolling windows.
    """
    return seconds(periods["start"]), seconds(periods["end"])


def expand(
    t_start: np.ndarray, t_end: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Every ``(period, relation)`` pair where the relation overlaps the period.

    Parameters
    ----------
    t_start, t_end : numpy.ndarray
        The relations' half-open intervals, as int64 seconds (see :func:`seconds`).
    starts, ends : numpy.ndarray
        The periods' half-open ranges, as int64 seconds, both sorted (see :func:`bounds`).

    Returns
    -------
    period, row : numpy.ndarray
        Positions into the periods and into the relations, one element per pair, ordered
        by relation and then by period.

    Examples
    --------
    >>> s = np.array([0, 10, 20]); e = np.array([10, 20, 30])
    >>> expand(np.array([5, 12]), np.array([25, 13]), s, e)
    (array([0, 1, 2, 1]), array([0, 0, 0, 1]))
    """
    t_start = np.asarray(t_start, dtype=np.int64)
    t_end = np.asarray(t_end, dtype=np.int64)
    # First period ending after the relation starts; one past the last period starting
    # before it ends. Both arrays are sorted, so the periods in between all overlap.
    first, stop = _day_lookup(t_start, t_end, starts, ends)
    count = np.maximum(stop - first, 0)
    if len(count) and (count == 1).all():
        return first.astype(np.int64), np.arange(len(count), dtype=np.int64)
    row = np.repeat(np.arange(len(count), dtype=np.int64), count)
    offset = np.arange(len(row), dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
    return np.repeat(first.astype(np.int64), count) + offset, row


_DAY = 86_400
_MAX_LOOKUP_DAYS = 2_000_000


def _day_lookup(t_start: np.ndarray, t_end: np.ndarray, starts: np.ndarray,
                ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``searchsorted(ends, t_start, "right")`` and ``searchsorted(starts, t_end, "left")``.

    Calendar periods begin and end at midnight, so both counts depend only on the day of
    each time: they are read from a table with one entry per day of the periods' span,
    which is several times faster than a binary search for millions of relations (and
    gives the same numbers). Other bounds fall back to the binary search.
    """
    starts = np.asarray(starts, dtype=np.int64)
    ends = np.asarray(ends, dtype=np.int64)
    if not len(starts) or (starts % _DAY).any() or (ends % _DAY).any():
        return (np.searchsorted(ends, t_start, side="right"),
                np.searchsorted(starts, t_end, side="left"))
    day0, day1 = starts[0] // _DAY, ends[-1] // _DAY
    if day1 - day0 > _MAX_LOOKUP_DAYS:
        return (np.searchsorted(ends, t_start, side="right"),
                np.searchsorted(starts, t_end, side="left"))
    days = np.arange(day0, day1 + 1, dtype=np.int64) * _DAY
    ends_by_day = np.searchsorted(ends, days, side="right")  # ends <= that midnight
    starts_by_day = np.searchsorted(starts, days, side="right")  # starts <= it
    last = len(days) - 1
    # an end e (a midnight) is <= t exactly when e <= the midnight that begins t's day
    day = t_start // _DAY - day0
    np.clip(day, 0, last, out=day)
    first = ends_by_day[day]
    # a start s (a midnight) is < t exactly when s <= the midnight before ceil(t) days
    day = -(-t_end // _DAY) - 1 - day0
    below = day < 0
    np.clip(day, 0, last, out=day)
    stop = starts_by_day[day]
    stop[below] = 0
    return first, stop


# ------------------------------------------------------------------ period x dyad


def dyad_period_sums(
    relations: pd.DataFrame,
    starts: np.ndarray,
    ends: np.ndarray,
    ids: pd.Index,
    directed: bool = True,
    *,
    half_life: object | None = None,
    weight_by: str | None = None,
    codes: tuple[np.ndarray, np.ndarray] | None = None,
) -> pd.DataFrame:
    """Additive per-period dyad sums of a relations table (or of one partition of it).

    Parameters
    ----------
    relations : pandas.DataFrame
        Canonical relations (columns ``source``, ``target``, ``t_start``, ``t_end``,
        ``durable``, ``signed_weight``, ``sign``, ``directed``, ``quad_class``, and
        ``confidence`` with ``weight_by="confidence"``).
    starts, ends : numpy.ndarray
        Period bounds from :func:`bounds`.
    ids : pandas.Index
        Sorted entity ids; ``source`` and ``target`` in the result are positions in it.
    directed : bool
        ``True``: an undirected relation counts for both directions. ``False``: each pair
        is ordered ``source < target`` and each relation counts once.
    half_life : str, Timedelta or number of days, optional
        Also sum :data:`DECAY_COLUMN`, the decayed flow's increments
        (:func:`graphkit.model.measure.decay_increments`).
    weight_by : {None, "confidence"}
        Multiply each relation's signed weight by its confidence.
    codes : (numpy.ndarray, numpy.ndarray), optional
        ``source`` and ``target`` already encoded as positions in ``ids`` (for example
        ``TemporalGraph._entity_codes``); by default they are encoded here.

    Returns
    -------
    pandas.DataFrame
        One row per (period, source, target) with at least one relation, sorted, with
        int64 ``period``, ``source``, ``target`` (positions) and :data:`SUM_COLUMNS`
        (floats). Summing these tables (:func:`combine_sums`) gives the table of their
        union.
    """
    n = len(ids)
    if codes is None:
        src, tgt = encode(relations["source"], ids), encode(relations["target"], ids)
    else:
        src, tgt = codes
    t_start, t_end = seconds(relations["t_start"]), seconds(relations["t_end"])
    period, row = expand(t_start, t_end, starts, ends)
    rel_durable = relations["durable"].to_numpy(dtype=bool)
    durable = rel_durable[row]
    t_start, t_end, period_end = t_start[row], t_end[row], ends[period]  # gathered once
    share, scale = measure.terms(t_start, t_end, durable, starts[period], period_end)
    weight = measure.weights(relations, weight_by)[row]
    # One row per pair: share, value and the decay increment. Reordered below as one
    # table (one random access per pair instead of one per column).
    decay = half_life is not None
    table = np.empty((len(row), 3 if decay else 2))
    table[:, _SHARE] = share
    np.multiply(weight, share, out=share)
    np.multiply(share, scale, out=table[:, _VALUE])
    del share, scale
    # layer (1: standing tie), sign + 1 and quad class packed into one small integer
    kind = (rel_durable.view(np.int8) + 2 * (relations["sign"].to_numpy(dtype=np.int8) + 1)
            + 6 * relations["quad_class"].to_numpy(dtype=np.int8))[row]
    if decay:
        base = np.concatenate([starts[:1], ends[:-1]])  # where each period's own part begins
        np.multiply(weight, measure.decay_increments(
            t_start, t_end, durable, base[period], period_end, half_life_seconds(half_life)),
            out=table[:, _DECAY])
    del weight, t_start, t_end, period_end, durable
    s, t, key_base = src[row], tgt[row], period * n
    del period
    if directed:  # an undirected relation also counts from target to source
        both = np.flatnonzero(~relations["directed"].to_numpy(dtype=bool)[row])
        key = np.concatenate([(key_base + s) * n + t,
                              (key_base[both] + t[both]) * n + s[both]])
        pick = np.concatenate([np.arange(len(row)), both])
    else:
        key = (key_base + np.minimum(s, t)) * n + np.maximum(s, t)
        pick = None
    del s, t, key_base, row
    order, first, uniques = group(key, max(len(starts), 1) * n * n)
    del key
    size = len(uniques)
    if pick is not None:
        order = pick[order]
    table = table.take(order, axis=0)  # sorted by key; equal keys keep their order
    kind = kind[order].astype(np.int64)
    del order, pick
    label = np.zeros(len(table), dtype=np.int64)  # group number of each sorted pair
    label[first[1:]] = 1
    np.cumsum(label, out=label)

    def split(weights: np.ndarray, kind: np.ndarray, kinds: int) -> np.ndarray:
        """Sums of ``weights`` per group and per ``kind`` (0 .. kinds - 1): one pass of
        ``bincount`` for several columns, each group's elements summed in order."""
        sums = np.bincount(label * kinds + kind, weights=weights, minlength=size * kinds)
        return sums.reshape(size, kinds)

    share = np.ascontiguousarray(table[:, _SHARE])  # bincount wants it so: copied once
    layer = kind & 1  # 1: standing tie, 0: event
    by_layer = split(table[:, _VALUE], layer, 2)  # [flow, level]
    counts = split(share, layer, 2)  # [events, ties]
    by_sign = split(share, (kind >> 1) % 3, 3)  # [negative, neutral, positive]
    by_quad = split(share, kind // 6, 5)
    columns = {
        "period": uniques // (n * n),
        "source": (uniques // n) % n,
        "target": uniques % n,
        "level": by_layer[:, 1],
        "flow": by_layer[:, 0],
        "events": counts[:, 0],
        "ties": counts[:, 1],
        "positive": by_sign[:, 2],
        "negative": by_sign[:, 0],
        "neutral": by_sign[:, 1],
    }
    for code, name in QUAD_COLUMNS.items():
        columns[name] = by_quad[:, code]
    if decay:
        columns[DECAY_COLUMN] = np.bincount(label, weights=table[:, _DECAY], minlength=size)
    return pd.DataFrame(columns, copy=False)


def distinct(key: np.ndarray) -> np.ndarray:
    """Sorted distinct values of an int64 array (by sorting: numpy's ``unique`` hashes,
    which is several times slower on millions of keys)."""
    ordered = np.sort(key)
    if len(ordered) == 0:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def group(key: np.ndarray, bound: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sort int64 keys in ``[0, bound)`` into groups of equal keys.

    Returns ``order`` (positions that sort ``key``; equal keys keep their order),
    ``first`` (the sorted position where each group starts) and the sorted distinct keys.
    When key and position fit together in 63 bits, they are packed into one integer
    and sorted with ``ndarray.sort`` (much faster than ``argsort``).
    """
    size = len(key)
    if size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    bits = max(int(size - 1).bit_length(), 1)
    if int(max(bound, 2) - 1).bit_length() + bits <= 63:
        packed = key.astype(np.int64) << bits
        packed |= np.arange(size, dtype=np.int64)
        packed.sort()
        order = packed & ((1 << bits) - 1)
        packed >>= bits
        ordered = packed
    else:
        order = np.argsort(key, kind="stable")
        ordered = key[order]
    new = np.empty(size, dtype=bool)
    new[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    first = np.flatnonzero(new)
    return order, first, ordered[first]


def empty_sums(half_life: object | None = None) -> pd.DataFrame:
    """An empty table with the columns and dtypes of :func:`dyad_period_sums`."""
    values = SUM_COLUMNS + ([DECAY_COLUMN] if half_life is not None else [])
    out = {c: np.array([], dtype=np.int64) for c in _KEYS}
    out.update({c: np.array([], dtype=float) for c in values})
    return pd.DataFrame(out)


def combine_sums(frames: Iterable[pd.DataFrame] | pd.DataFrame) -> pd.DataFrame:
    """Add up tables of :func:`dyad_period_sums` (for example, one per partition)."""
    frame = frames if isinstance(frames, pd.DataFrame) else pd.concat(list(frames))
    values = [c for c in frame.columns if c not in _KEYS]
    if frame.empty:
        return empty_sums(0 if DECAY_COLUMN in values else None)
    out = frame.groupby(_KEYS, sort=True)[values].sum().reset_index()
    return out.astype(dict.fromkeys(_KEYS, np.int64))


def finish_dyad_scores(
    sums: pd.DataFrame,
    periods: pd.DataFrame,
    ids: Sequence[str] | pd.Index,
    half_life: object | None = None,
    fill: str = "active",
    combine: str = "level+flow",
) -> pd.DataFrame:
    """Turn summed dyad tables into the tidy table of :func:`graphkit.analysis.scores.dyad_scores`.

    Adds ``score`` (``level`` and ``flow`` combined as ``combine`` says, see
    :func:`graphkit.model.measure.combine`), ``count`` (``events + ties``) and, with
    ``half_life``, ``decayed``: the level with the decayed flow,
    ``flow_decayed[p] = flow_decayed[q] * 0.5 ** ((end[p] - end[q]) / half_life) +
    increments[p]`` where ``q`` is the dyad's previous row.

    Parameters
    ----------
    sums : pandas.DataFrame
        Output of :func:`dyad_period_sums` or :func:`combine_sums` (no duplicate keys;
        with :data:`DECAY_COLUMN` when ``half_life`` is given).
    periods : pandas.DataFrame
        The period table the sums were made with.
    ids : sequence of str
        The sorted entity ids the sums' codes refer to.
    half_life : str, Timedelta or number of days, optional
        Half-life of the decayed flow.
    fill : {"active", "all"}
        ``"active"``: rows for the periods in which the dyad has relations. ``"all"``:
        also a row for every later period (``count`` 0), so a decayed score is seen
        to fade.
    combine : {"level+flow", "level", "flow"}
        How ``score`` (and ``decayed``) are made of the two layers.
    """
    if fill not in ("active", "all"):
        raise ValueError(f"fill must be 'active' or 'all', not {fill!r}")
    measure.check_combine(combine)
    if half_life is not None and DECAY_COLUMN not in sums.columns:
        raise ValueError("sums made without half_life cannot give a decayed score")
    n_periods = len(periods)
    n = len(ids)
    period = sums["period"].to_numpy(np.int64)
    dyad_key = sums["source"].to_numpy(np.int64) * n + sums["target"].to_numpy(np.int64)
    key = period * n * n + dyad_key
    unsorted = len(key) > 1 and not (key[1:] > key[:-1]).all()
    del key
    if unsorted:
        sums = sums.sort_values(_KEYS, kind="stable", ignore_index=True)
        period = sums["period"].to_numpy(np.int64)
        dyad_key = sums["source"].to_numpy(np.int64) * n + sums["target"].to_numpy(np.int64)
    carried = SUM_COLUMNS + ([DECAY_COLUMN] if half_life is not None else [])
    values = {c: sums[c].to_numpy(dtype=float) for c in carried}
    if fill == "active" and n * n <= _DENSE_DYADS:
        # Rows keep their order: a dyad is its own key (the decay's state is indexed by
        # it), no numbering of the dyads needed.
        dyad, dyads = dyad_key, None
        n_dyads = n * n
    else:
        order, first, dyads = group(dyad_key, n * n)
        dyad = np.empty(len(dyad_key), dtype=np.int64)
        dyad[order] = np.repeat(np.arange(len(dyads), dtype=np.int64),
                                np.diff(np.append(first, len(dyad_key))))
        n_dyads = len(dyads)
        del order, first, dyad_key

    if fill == "all" and len(sums):
        first = np.full(len(dyads), n_periods, dtype=np.int64)
        np.minimum.at(first, dyad, period)
        length = n_periods - first
        all_dyad = np.repeat(np.arange(len(dyads), dtype=np.int64), length)
        all_period = np.repeat(first, length) + (
            np.arange(len(all_dyad), dtype=np.int64)
            - np.repeat(np.cumsum(length) - length, length)
        )
        order = np.lexsort((dyads[all_dyad], all_period))
        all_dyad, all_period = all_dyad[order], all_period[order]
        position = np.searchsorted(all_period * len(dyads) + all_dyad,
                                   period * len(dyads) + dyad)
        filled = {}
        for column, array in values.items():
            full = np.zeros(len(all_dyad), dtype=array.dtype)
            full[position] = array
            filled[column] = full
        values, dyad, period = filled, all_dyad, all_period

    pair = dyad if dyads is None else dyads[dyad]
    names = pd.Index(ids, dtype="str")
    columns = {
        "period": periods["period"].array.take(period),
        "source": names.array.take(pair // n),
        "target": names.array.take(pair % n),
        "score": measure.combine(values["level"], values["flow"], combine),
        "level": values["level"],
        "flow": values["flow"],
        "count": values["events"] + values["ties"],
    }
    columns.update({c: values[c] for c in SUM_COLUMNS if c not in columns})
    if half_life is not None:
        decayed_flow = _decay(values[DECAY_COLUMN], dyad, period, n_dyads,
                              seconds(periods["end"]), half_life_seconds(half_life))
        columns["decayed_flow"] = decayed_flow
        columns["decayed"] = measure.combine(values["level"], decayed_flow, combine)
    return pd.DataFrame(columns, copy=False)


def _decay(increments: np.ndarray, dyad: np.ndarray, period: np.ndarray, n_dyads: int,
           period_end: np.ndarray, half_life: float) -> np.ndarray:
    """Carry each dyad's decayed flow from its previous row and add the new increments.

    Rows are sorted by period; one vectorised step per period (periods are few).
    """
    decayed = np.empty(len(increments), dtype=float)
    state = np.zeros(n_dyads, dtype=float)
    last = np.zeros(n_dyads, dtype=np.int32 if len(period_end) < 2**31 else np.int64)
    cut = np.searchsorted(period, np.arange(len(period_end) + 1))
    # With few periods, the factors from every earlier period end to this one are made
    # once per period and looked up (the same numbers as computing them per row).
    table = len(period_end) <= _DECAY_TABLE_PERIODS
    for p in range(len(period_end)):
        lo, hi = cut[p], cut[p + 1]
        if lo == hi:
            continue
        d = dyad[lo:hi]
        if table:
            age = (period_end[p] - period_end[:p + 1]).astype(float)
            factor = np.exp2(-age / half_life)[last[d]]
        else:
            age = (period_end[p] - period_end[last[d]]).astype(float)
            factor = np.exp2(-age / half_life)
        value = state[d] * factor + increments[lo:hi]
        decayed[lo:hi] = value
        state[d] = value
        last[d] = p
    return decayed


def graph_codes(tg: TemporalGraph,
                graph: TemporalGraph) -> tuple[pd.Index, np.ndarray, np.ndarray]:
    """``tg``'s sorted entity ids and ``graph``'s relations encoded against them.

    ``graph`` is ``tg`` or a filtered view of it; ``tg``'s codes are kept, so every entity
    of ``tg`` has a position even when ``graph`` has no relation of it.
    """
    ids, source, target = tg._entity_codes
    if graph is not tg:
        source = encode(graph.relations["source"], ids)
        target = encode(graph.relations["target"], ids)
    return ids, source, target


def graph_periods(graph: TemporalGraph, freq: str, window: int | None) -> pd.DataFrame:
    """``graph.period_table(freq, window=window)``, or an empty table without relations."""
    if len(graph.relations):
        return graph.period_table(freq, window=window)
    return empty_periods(freq, window)


def dyad_table(
    tg: TemporalGraph,
    freq: str,
    *,
    half_life: object | None = None,
    directed: bool = True,
    window: int | None = None,
    types: Iterable[str] | str | None = None,
    fill: str = "active",
    combine: str = "level+flow",
    weight_by: str | None = None,
) -> pd.DataFrame:
    """The dyad scores of ``tg`` as measured, before any normalisation.

    :func:`graphkit.analysis.scores.dyad_scores` without ``normalize`` (arguments as
    there, checked by the caller); :mod:`graphkit.analysis.coverage` counts actors'
    events from it, so coverage and the scores share one computation without importing
    each other.
    """
    graph = tg.filter(types=types) if types is not None else tg
    ids, source, target = graph_codes(tg, graph)
    periods = graph_periods(graph, freq, window)
    starts, ends = bounds(periods)
    sums = dyad_period_sums(graph.relations, starts, ends, ids, directed,
                            half_life=half_life, weight_by=weight_by, codes=(source, target))
    return finish_dyad_scores(sums, periods, ids, half_life, fill, combine)
