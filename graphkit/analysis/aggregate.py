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
:func:`numpy.searchsorted`); :func:`numpy.repeat` then lays out the pairs. The pairs of a
(period, dyad) group are found by one sort of packed integer keys and added up with
:func:`numpy.bincount`, each group's terms in the order of the relations, so results do not
depend on how the work is split. :func:`dyad_period_sums` works through the periods in
runs of whole periods of a quarter of a million pairs, so the memory it needs beyond its
result is bounded (at ten million relations that is what keeps a monthly dyad table under
4 GB) and its working arrays are recycled from run to run. No loop over relations; loops
over periods or runs of periods only.

Additive sums (``level``, ``flow``, counts by layer, by sign and by CAMEO quad class, and
the decayed flow's increments) are computed per partition by :func:`dyad_period_sums` and
combined by summing, so the same function serves a pandas table and each partition of a
Dask DataFrame; :func:`finish_dyad_scores` then adds the score and the decayed score on the
small aggregated table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from graphkit.core.timespec import half_life_seconds, period_bounds
from graphkit.model import measure
from graphkit.model.measure import seconds
from graphkit.model.temporal import TemporalGraph, encode

__all__ = [
    "FILLS",
    "QUAD_COLUMNS",
    "SUM_COLUMNS",
    "bounds",
    "check_fill",
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
#: Values of the ``fill`` keyword: rows for the periods a dyad has relations in, or also
#: for every later period.
FILLS = ("active", "all")
# finish_dyad_scores indexes the decay's state by dyad key up to this many possible dyads
# (two arrays of this length; untouched pages of np.zeros cost no memory).
_DENSE_DYADS = 1 << 24
# dyad_period_sums works through the periods in runs of about this many (period,
# relation) pairs (a single run when there are no more pairs than that). The memory it
# needs beyond its result is then bounded whatever the number of relations, and it is
# faster too: a run's working arrays (a few MB each) are small enough for the C allocator
# to recycle them from run to run, while arrays of tens of MB are mapped fresh from the
# kernel, and zeroing and mapping those pages cost more than the numbers computed in them.
_RUN_PAIRS = 1 << 18
# _decay looks its factors up in a per-period table up to this many periods.
_DECAY_TABLE_PERIODS = 5000


def check_fill(fill: str) -> str:
    """``fill`` if it is one of :data:`FILLS`, else ``ValueError``."""
    if fill not in FILLS:
        raise ValueError(f"fill must be 'active' or 'all', not {fill!r}")
    return fill


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
    return _spread(first, np.maximum(stop - first, 0))


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
    small = np.int32 if len(starts) < 2**31 else np.int64  # (halves the memory of the result)
    ends_by_day = np.searchsorted(ends, days, side="right").astype(small)  # ends <= that midnight
    starts_by_day = np.searchsorted(starts, days, side="right").astype(small)  # starts <= it
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

    Notes
    -----
    The periods are worked through in runs of about ``_RUN_PAIRS`` (period, relation)
    pairs, so the memory needed beyond the result is bounded, however many relations
    there are. Every (period, dyad) group lies in one run and its terms are added in the
    order of the relations, so the sums are the same, to the last bit, as in one pass.

    Examples
    --------
    >>> import graphkit
    >>> tg = graphkit.TemporalGraph.from_frames(
    ...     pd.DataFrame({"id": ["A", "B"], "name": ["A", "B"], "type": "state"}),
    ...     pd.DataFrame({"source": ["A", "A"], "target": ["B", "B"],
    ...                   "type": ["alliance", "criticism"],
    ...                   "start": ["2023-01-01", "2023-01-12"], "weight": [8, -2]}))
    >>> periods = tg.period_table("M")
    >>> ids, source, target = tg._entity_codes
    >>> sums = dyad_period_sums(tg.relations, *bounds(periods), ids, codes=(source, target))
    >>> sums[["period", "source", "target", "level", "flow", "events", "ties"]].round(2)
       period  source  target  level  flow  events  ties
    0       0       0       1    8.0 -1.94     1.0   1.0
    1       0       1       0    8.0  0.00     0.0   1.0

    The alliance is undirected: it also counts from B to A.
    """
    columns = _sum_columns(relations, starts, ends, ids, directed, half_life=half_life,
                           weight_by=weight_by, codes=codes)
    if columns is None:
        return empty_sums(half_life)
    dyad = columns.pop("dyad")
    n = len(ids)
    out = {"period": columns.pop("period"), "source": dyad // n, "target": dyad % n}
    del dyad
    out.update(columns)
    return pd.DataFrame(out, copy=False)


def _sum_columns(
    relations: pd.DataFrame,
    starts: np.ndarray,
    ends: np.ndarray,
    ids: pd.Index,
    directed: bool = True,
    *,
    half_life: object | None = None,
    weight_by: str | None = None,
    codes: tuple[np.ndarray, np.ndarray] | None = None,
) -> dict[str, np.ndarray] | None:
    """The columns of :func:`dyad_period_sums` as arrays (``None`` when it has no rows),
    with ``dyad`` (``source * len(ids) + target``) for ``source`` and ``target``."""
    n = len(ids)
    if codes is None:
        src, tgt = encode(relations["source"], ids), encode(relations["target"], ids)
    else:
        src, tgt = codes
    starts = np.asarray(starts, dtype=np.int64)
    ends = np.asarray(ends, dtype=np.int64)
    t_start, t_end = seconds(relations["t_start"]), seconds(relations["t_end"])
    durable = relations["durable"].to_numpy(dtype=bool)
    # layer (1: standing tie), sign + 1 and quad class packed into one small integer
    kind = (durable.view(np.int8) | (relations["sign"].to_numpy(dtype=np.int8) + 1) << 1
            | relations["quad_class"].to_numpy(dtype=np.int8) << 3)
    mirror = ~relations["directed"].to_numpy(dtype=bool) if directed else None
    rel = _Relations(src, tgt, t_start, t_end, durable, measure.weights(relations, weight_by),
                     kind, mirror)
    first, stop = _day_lookup(t_start, t_end, starts, ends)
    h = half_life_seconds(half_life) if half_life is not None else None
    cuts, pairs = _run_cuts(first, stop, len(starts), mirror)
    if pairs == 0:
        return None
    columns: dict[str, np.ndarray] = {}
    size = 0
    for rows, lo, hi in _run_rows(first, stop, cuts):
        piece = _run_sums(rel, rows, first, stop, lo, hi, starts, ends, n, h)
        if len(cuts) == 2:  # one run: its arrays are the columns
            return piece
        if not columns:  # room for the most rows there can be (unwritten pages cost nothing)
            columns = {c: np.empty(pairs, dtype=x.dtype) for c, x in piece.items()}
        end = size + len(piece["period"])
        for c, x in piece.items():
            columns[c][size:end] = x
        size = end
        del piece
    return {c: x[:size] for c, x in columns.items()} if size else None


class _Relations(NamedTuple):
    """Per-relation arrays that :func:`dyad_period_sums` reads (one element per row)."""

    source: np.ndarray
    target: np.ndarray
    t_start: np.ndarray
    t_end: np.ndarray
    durable: np.ndarray
    weight: np.ndarray
    kind: np.ndarray  # bit 0: standing tie; bits 1-2: sign + 1; bits 3-5: quad class
    mirror: np.ndarray | None  # directed sums: the undirected relations (counted twice)


_KIND_BITS = 6  # bits of a kind


def _run_cuts(first: np.ndarray, stop: np.ndarray, n_periods: int,
              mirror: np.ndarray | None) -> tuple[np.ndarray, int]:
    """Split the periods into runs of about ``_RUN_PAIRS`` (period, relation) pairs.

    ``first`` and ``stop`` are the relations' period ranges (:func:`_day_lookup`).
    Returns the runs' first periods followed by ``n_periods``, and the number of pairs
    (an undirected relation of a directed table makes two). Runs are whole periods, so
    no (period, dyad) group is split; a period with more pairs than ``_RUN_PAIRS`` is
    a run of its own. With at most ``_RUN_PAIRS`` pairs, all periods are one run.
    """
    live = stop > first
    if not n_periods or not live.any():
        return np.array([0, n_periods]), 0
    # pairs each relation makes in each period it overlaps: 0 (outside every period),
    # 1, or 2 (undirected, counted both ways); summed exactly (integers below 2 ** 53)
    pairs = live.astype(float)
    if mirror is not None:
        pairs += live & mirror
    delta = (np.bincount(first, weights=pairs, minlength=n_periods + 1)
             - np.bincount(stop, weights=pairs, minlength=n_periods + 1))
    total = np.cumsum(np.cumsum(delta[:n_periods])).astype(np.int64)  # in periods 0 .. p
    if total[-1] <= _RUN_PAIRS:
        return np.array([0, n_periods]), int(total[-1])
    cuts = [0]
    while cuts[-1] < n_periods:
        done = total[cuts[-1] - 1] if cuts[-1] else 0
        cuts.append(max(int(np.searchsorted(total, done + _RUN_PAIRS, side="right")),
                        cuts[-1] + 1))
    return np.array(cuts), int(total[-1])


def _run_rows(first: np.ndarray, stop: np.ndarray,
              cuts: np.ndarray) -> Iterator[tuple[np.ndarray, int, int]]:
    """For each run of :func:`_run_cuts`: the sorted positions of the relations that
    overlap it, and its periods ``lo .. hi - 1``."""
    live = stop > first
    rows = None if live.all() else np.flatnonzero(live)
    del live
    if len(cuts) == 2:
        yield np.arange(len(first)) if rows is None else rows, 0, int(cuts[1])
        return
    narrow = np.min_scalar_type(len(cuts))
    run_of = np.repeat(np.arange(len(cuts) - 1, dtype=narrow), np.diff(cuts))
    if rows is None:
        first_run, last_run = run_of[first], run_of[stop - 1]
    else:
        first_run, last_run = run_of[first[rows]], run_of[stop[rows] - 1]
    # each relation in its first run (positions stay sorted within a run) ...
    order = np.argsort(first_run, kind="stable")  # (a radix sort: few runs)
    if rows is not None:
        order = rows[order]
    bound = np.concatenate([[0], np.cumsum(np.bincount(first_run, minlength=len(cuts) - 1))])
    # ... and the few that reach into later runs, in those too
    spans = np.flatnonzero(last_run > first_run)
    span_first, span_last = first_run[spans], last_run[spans]
    if rows is not None:
        spans = rows[spans]
    del first_run, last_run, rows
    for r in range(len(cuts) - 1):
        own = order[bound[r]:bound[r + 1]]
        carried = spans[(span_first < r) & (span_last >= r)]
        if len(carried):  # merge two sorted runs (timsort: linear)
            own = np.sort(np.concatenate([own, carried]), kind="stable")
        yield own, int(cuts[r]), int(cuts[r + 1])


def _spread(first: np.ndarray, count: np.ndarray, rows: np.ndarray | None = None
            ) -> tuple[np.ndarray, np.ndarray]:
    """``(period, row)`` pairs: ``count[i]`` periods from ``first[i]`` for each row ``i``
    (``rows[i]`` when given), ordered by row and then by period."""
    if rows is None:
        rows = np.arange(len(count), dtype=np.int64)
    if len(count) and (count == 1).all():
        return first.astype(np.int64), rows
    row = np.repeat(rows, count)
    # period: a running sum of ones that jumps to first[i] where row i's pairs begin
    period = np.ones(len(row), dtype=np.int64)
    begin = np.cumsum(count) - count
    live = count > 0
    begin, first, count = begin[live], first[live].astype(np.int64), count[live]
    jump = first.copy()
    jump[1:] -= first[:-1] + count[:-1] - 1  # from the last period of the row before
    period[begin] = jump
    return np.cumsum(period, out=period), row


def _run_sums(rel: _Relations, rows: np.ndarray, first: np.ndarray, stop: np.ndarray,
              lo: int, hi: int, starts: np.ndarray, ends: np.ndarray, n: int,
              half_life: float | None) -> dict[str, np.ndarray]:
    """The columns of :func:`dyad_period_sums` for the periods ``lo .. hi - 1``.

    ``rows``: the sorted positions of the relations that overlap those periods; ``first``
    and ``stop``: every relation's period range (:func:`_day_lookup`).
    """
    base = np.concatenate([starts[:1], ends[:-1]])  # where each period's own part begins
    p0 = np.maximum(first[rows], lo)
    period, row = _spread(p0, np.minimum(stop[rows], hi) - p0, rows)
    del p0
    t_start, t_end, durable = rel.t_start[row], rel.t_end[row], rel.durable[row]
    period_end = ends[period]
    weight = rel.weight[row]
    share, scale = measure.terms(t_start, t_end, durable, starts[period], period_end)
    value = weight * share
    value *= scale
    del scale
    payload = [share, value]
    if half_life is not None:
        decay = measure.decay_increments(t_start, t_end, durable, base[period], period_end,
                                         half_life)
        decay *= weight
        payload.append(decay)
    del t_start, t_end, durable, period_end, weight
    kind = rel.kind[row]
    s, t = rel.source[row], rel.target[row]
    key = period  # (local * n + source) * n + target, local counting from the run's start
    del period
    key -= lo
    key *= n
    if rel.mirror is not None:  # an undirected relation also counts from target to source
        both = np.flatnonzero(rel.mirror[row])
        if len(both):
            mirrored = key[both]
            mirrored += t[both]
            mirrored *= n
            mirrored += s[both]
        key += s
        key *= n
        key += t
        if len(both):
            key = np.concatenate([key, mirrored])
            del mirrored
            kind = np.concatenate([kind, kind[both]])
            payload = [np.concatenate([x, x[both]]) for x in payload]
    else:
        key += np.minimum(s, t)
        key *= n
        key += np.maximum(s, t)
    del s, t, row
    key, kind, position = _sort_pairs(key, kind, (hi - lo) * n * n)
    new = np.empty(len(key), dtype=bool)
    new[:1] = True
    np.not_equal(key[1:], key[:-1], out=new[1:])
    uniques = key[new]
    label = np.cumsum(new, dtype=np.int64)
    label -= 1  # group of each sorted pair
    del new, key
    size = len(uniques)
    share = payload[0].take(position)
    value = payload[1].take(position)

    index = np.empty_like(label)  # label * classes + class, for each family of columns
    part = np.empty_like(label)

    def split(weights: np.ndarray, index: np.ndarray, classes: int) -> np.ndarray:
        """Sums of ``weights`` per group and per class (``index = label * classes +
        class``): each group's terms added in order."""
        return np.bincount(index, weights=weights, minlength=size * classes).reshape(
            size, classes)

    np.multiply(label, 2, out=index)
    index += np.bitwise_and(kind, 1, out=part)  # layer: 0 event, 1 standing tie
    by_layer = split(value, index, 2)  # [flow, level]
    counts = split(share, index, 2)  # [events, ties]
    np.multiply(label, 3, out=index)
    np.right_shift(kind, 1, out=part)
    index += np.bitwise_and(part, 3, out=part)
    by_sign = split(share, index, 3)  # [negative, neutral, positive]
    np.multiply(label, 5, out=index)
    index += np.right_shift(kind, 3, out=part)
    by_quad = split(share, index, 5)  # [none, quad classes 1 .. 4]
    del index, part, share, value, kind
    columns = {
        "period": uniques // (n * n) + lo,
        "dyad": uniques % (n * n),  # source * n + target
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
    if half_life is not None:
        columns[DECAY_COLUMN] = np.bincount(label, weights=payload[2].take(position),
                                            minlength=size)
    return columns


def _sort_pairs(key: np.ndarray, kind: np.ndarray, bound: int
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sort pairs by ``key`` (in ``[0, bound)``, overwritten), equal keys in their order.

    Returns the sorted keys, the pairs' kinds in that order and their positions. When
    key, position and kind fit together in 63 bits they are packed into one integer and
    sorted with ``ndarray.sort`` (much faster than ``argsort``).
    """
    size = len(key)
    bits = max(int(size - 1).bit_length(), 1)
    if int(max(bound, 2) - 1).bit_length() + bits + _KIND_BITS > 63:
        order = np.argsort(key, kind="stable")
        return key[order], kind[order].astype(np.int64), order
    packed = key  # key, position and kind in one integer (in place: key is ours)
    packed <<= bits + _KIND_BITS
    part = np.arange(size, dtype=np.int64)
    part <<= _KIND_BITS
    packed |= part
    packed |= kind
    packed.sort()
    kind = np.bitwise_and(packed, (1 << _KIND_BITS) - 1, out=part)
    packed >>= _KIND_BITS
    position = packed & ((1 << bits) - 1)
    packed >>= bits
    return packed, kind, position


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
    """Add up tables of :func:`dyad_period_sums` (for example, one per partition).

    The rows of each (period, source, target) are added in the order they come (the
    frames' order, then their rows'), after one sort of the three codes packed into one
    integer (several times faster than a pandas group-by on three keys). Returns the table
    of :func:`dyad_period_sums`, sorted, one row per key.

    Examples
    --------
    >>> a = pd.DataFrame({"period": [0, 1], "source": [0, 0], "target": [1, 1],
    ...                   "level": [1.0, 2.0]})
    >>> combine_sums([a, a.iloc[:1]])
       period  source  target  level
    0       0       0       1    2.0
    1       1       0       1    2.0
    """
    frame = (frames if isinstance(frames, pd.DataFrame)
             else pd.concat(list(frames), ignore_index=True))
    values = [c for c in frame.columns if c not in _KEYS]
    if frame.empty:
        return empty_sums(0 if DECAY_COLUMN in values else None)
    period, source, target = (frame[c].to_numpy(np.int64) for c in _KEYS)
    if min(period.min(), source.min(), target.min()) < 0:
        raise ValueError("period, source and target must be non-negative codes")
    n = int(max(source.max(), target.max())) + 1
    bound = (int(period.max()) + 1) * n * n
    if bound >= 2**63:  # too many codes to pack: a group-by on the three keys
        out = frame.groupby(_KEYS, sort=True)[values].sum().reset_index()
        return out.astype(dict.fromkeys(_KEYS, np.int64))
    key = period * (n * n)
    key += source * n
    key += target
    order, first, uniques = group(key, bound)
    out = {"period": uniques // (n * n), "source": uniques // n % n, "target": uniques % n}
    merged = len(first) < len(key)
    for name in values:
        column = frame[name].to_numpy(dtype=float)[order]
        out[name] = np.add.reduceat(column, first) if merged else column
    return pd.DataFrame(out, copy=False)


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
    check_fill(fill)
    measure.check_combine(combine)
    if half_life is not None and DECAY_COLUMN not in sums.columns:
        raise ValueError("sums made without half_life cannot give a decayed score")
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
    columns = {c: sums[c].to_numpy(dtype=float) for c in carried}
    columns.update(period=period, dyad=dyad_key)
    del period, dyad_key
    return _scores(columns, periods, ids, half_life, fill, combine)


def _scores(columns: dict[str, np.ndarray], periods: pd.DataFrame, ids: Sequence[str] | pd.Index,
            half_life: object | None, fill: str, combine: str) -> pd.DataFrame:
    """:func:`finish_dyad_scores` on sorted sums given as arrays: ``period``, ``dyad``
    (``source * len(ids) + target``) and the summed columns.

    Takes ``columns`` over: its arrays are dropped as soon as they are used (at ten
    million relations the sums and the result are gigabytes each).
    """
    n_periods = len(periods)
    n = len(ids)
    period = columns.pop("period")
    dyad_key = columns.pop("dyad")
    values = columns
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
        del order, first
    del dyad_key

    if fill == "all" and len(period):
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

    decayed_flow = None
    if half_life is not None:
        decayed_flow = _decay(values.pop(DECAY_COLUMN), dyad, period, n_dyads,
                              seconds(periods["end"]), half_life_seconds(half_life))
    labels = periods["period"].array.take(period)
    del period
    pair = dyad if dyads is None else dyads[dyad]
    del dyad
    names = pd.Index(ids, dtype="str")
    source = names.array.take(pair // n)
    target = names.array.take(pair % n)
    del pair
    out = {
        "period": labels,
        "source": source,
        "target": target,
        "score": measure.combine(values["level"], values["flow"], combine),
        "level": values["level"],
        "flow": values["flow"],
        "count": values["events"] + values["ties"],
    }
    out.update({c: values[c] for c in SUM_COLUMNS if c not in out})
    if decayed_flow is not None:
        out["decayed_flow"] = decayed_flow
        out["decayed"] = measure.combine(values["level"], decayed_flow, combine)
    return pd.DataFrame(out, copy=False)


def _decay(increments: np.ndarray, dyad: np.ndarray, period: np.ndarray, n_dyads: int,
           period_end: np.ndarray, half_life: float) -> np.ndarray:
    """Carry each dyad's decayed flow from its previous row and add the new increments.

    Rows are sorted by period; one vectorised step per period (periods are few).
    """
    decayed = np.empty(len(increments), dtype=float)
    state = np.zeros(n_dyads, dtype=float)
    last = np.zeros(n_dyads, dtype=np.int16 if len(period_end) < 2**15 else np.int64)
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
            factor = np.exp2(-age / half_life).take(last.take(d))
        else:
            age = (period_end[p] - period_end.take(last.take(d))).astype(float)
            factor = np.exp2(-age / half_life)
        value = decayed[lo:hi]  # written in place
        np.multiply(state.take(d), factor, out=value)
        value += increments[lo:hi]
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
    there); :mod:`graphkit.analysis.coverage` counts actors' events from it, so coverage
    and the scores share one computation without importing each other.
    """
    check_fill(fill)
    measure.check_combine(combine)
    graph = tg.filter(types=types) if types is not None else tg
    ids, source, target = graph_codes(tg, graph)
    periods = graph_periods(graph, freq, window)
    starts, ends = bounds(periods)
    columns = _sum_columns(graph.relations, starts, ends, ids, directed,
                           half_life=half_life, weight_by=weight_by, codes=(source, target))
    if columns is None:
        return finish_dyad_scores(empty_sums(half_life), periods, ids, half_life, fill, combine)
    # finish_dyad_scores without a table of the sums in between, so that each array can go
    # as soon as it is used (the sums are sorted already)
    return _scores(columns, periods, ids, half_life, fill, combine)
