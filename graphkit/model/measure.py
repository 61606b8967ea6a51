"""How graphkit measures a relationship: one rule, in one place.

Every score in graphkit (dyad scores, centrality strengths and weights, balance's tie signs,
:meth:`TemporalGraph.to_networkx <graphkit.TemporalGraph.to_networkx>`, period comparison,
change points, alignment, timelines, the report) is made by the rule of this module, so a
number means the same whatever the period length.

Two layers
----------
*Standing ties* (relations of a durable type: alliance, membership, sanctions, occupation)
give a **level**: the time-weighted mean of the signed weights in force over a range. A tie in
force for half the range counts half; an alliance of +8 has level +8 in every day, week,
month, quarter or year it is wholly in force.

*Events* (every other type) give a **flow**: their signed weight per 30 days over the range.
Each event's weight is spread evenly over its extent (its day, its month for a ``2023-09``
event, its year for a ``2023`` event, ``[start, end)`` when it has an end), so the total an
event puts into any partition of time is exactly its weight, at every resolution.

The **score** of a range is ``level + flow`` by default (``combine``: ``"level+flow"``,
``"level"`` or ``"flow"``); tables always show ``level`` and ``flow`` beside it.

With a half-life ``h`` the event flow is *decayed*: each event's weight, spread over its
extent as above, is discounted by ``0.5 ** (age / h)`` at the end of each period and turned
into a rate per 30 days with the kernel's normalisation ``ln 2 / h``, so a steady flow of
``x`` per 30 days has decayed flow ``x`` too. Standing ties are levels and never decay or
pile up, and a decayed score does not rise without a new event or tie.

Worked example: in September 2023 (30 days) an alliance of weight +8 is in force all month
and two criticisms of -2 happen on two days. ``level = +8``, ``flow = 2 * (-2) * 30 / 30 =
-4``, ``score = +4``. Measured per day, each of the 30 days has level +8; the two days with a
criticism have flow ``-2 * 30 / 1 = -60``, the others 0: the mean over the month is again
``-4``. Measured per year 2023 (365 days), a tie in force only in September has level
``8 * 30 / 365``.

References
----------
Goldstein, J. S. (1992). A conflict-cooperation scale for WEIS events data. *Journal of
Conflict Resolution*, 36(2), 369-385.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "COMBINATIONS",
    "FLOW_DAYS",
    "WEIGHTINGS",
    "check_combine",
    "combine",
    "decay_increments",
    "range_contributions",
    "seconds",
    "terms",
    "weights",
]

#: Events are measured as signed weight per this many days.
FLOW_DAYS = 30
FLOW_SECONDS = FLOW_DAYS * 86_400.0
#: How ``score`` is made from ``level`` and ``flow``.
COMBINATIONS = ("level+flow", "level", "flow")
#: What each relation's signed weight may be multiplied by.
WEIGHTINGS = (None, "confidence")


def seconds(values: object) -> np.ndarray:
    """Datetimes (a Series, Index or array) as int64 seconds since the epoch."""
    array = np.asarray(values)
    if array.dtype.kind != "M":
        array = pd.to_datetime(pd.Series(values)).to_numpy()
    return array.astype("datetime64[s]").view("int64")


def check_combine(how: str) -> str:
    """``how`` if it is one of :data:`COMBINATIONS`, else ``ValueError``."""
    if how not in COMBINATIONS:
        raise ValueError(f"combine must be one of {', '.join(COMBINATIONS)}, not {how!r}")
    return how


def combine(level: np.ndarray | pd.Series, flow: np.ndarray | pd.Series, how: str = "level+flow"):
    """The score made of a level and a flow (see :data:`COMBINATIONS`)."""
    check_combine(how)
    if how == "level":
        return level * 1.0
    if how == "flow":
        return flow * 1.0
    return level + flow


def weights(relations: pd.DataFrame, weight_by: str | None = None) -> np.ndarray:
    """Each relation's signed weight, times its confidence with ``weight_by="confidence"``."""
    if weight_by not in WEIGHTINGS:
        raise ValueError(f"weight_by must be None or 'confidence', not {weight_by!r}")
    w = relations["signed_weight"].to_numpy(dtype=float)
    if weight_by == "confidence":
        w = w * relations["confidence"].to_numpy(dtype=float)
    return w


def terms(
    t_start: np.ndarray,
    t_end: np.ndarray,
    durable: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The part of each relation inside each range, by the rule of this module.

    Parameters
    ----------
    t_start, t_end, durable : numpy.ndarray
        One element per (range, relation) pair: the relation's half-open interval in int64
        seconds and whether it is a standing tie.
    starts, ends : numpy.ndarray
        The pair's range, in int64 seconds.

    Returns
    -------
    share, scale : numpy.ndarray
        ``share``: for a standing tie, the fraction of the range it is in force; for an
        event, the fraction of its weight that falls inside the range. ``scale``: 1 for a
        tie (its level is ``weight * share``), ``FLOW_DAYS`` days over the range's length
        for an event (its flow is ``weight * share * scale``). Summed over any partition
        of time, an event's ``share`` is 1.

    Examples
    --------
    >>> day = 86400
    >>> share, scale = terms(np.array([0, 0]), np.array([10 * day, 60 * day]),
    ...                      np.array([True, False]), np.array([0, 0]),
    ...                      np.array([30 * day, 30 * day]))
    >>> share.round(3).tolist(), scale.tolist()
    ([0.333, 0.5], [1.0, 1.0])
    """
    # (The same numbers as the formulas above, computed in place: these run on millions of
    # pairs.)
    t_start, t_end, durable, starts, ends = np.broadcast_arrays(t_start, t_end, durable,
                                                                starts, ends)
    length = (ends - starts).astype(float)
    inside = np.minimum(t_end, ends)
    inside -= np.maximum(t_start, starts)
    share = inside.astype(float)
    del inside
    np.maximum(share, 0.0, out=share)  # the overlap
    extent = (t_end - t_start).astype(float)
    np.copyto(extent, length, where=durable)
    np.maximum(extent, 1.0, out=extent)
    share /= extent
    del extent
    scale = np.maximum(length, 1.0, out=length)
    np.divide(FLOW_SECONDS, scale, out=scale)
    scale[durable] = 1.0
    return share, scale


def decay_increments(
    t_start: np.ndarray,
    t_end: np.ndarray,
    durable: np.ndarray,
    base_starts: np.ndarray,
    ends: np.ndarray,
    half_life: float,
) -> np.ndarray:
    """Decayed flow that each (period, event) pair adds at the period's end, per unit weight.

    The event's weight is spread evenly over ``[t_start, t_end)``; the part inside
    ``[base_start, end)`` is discounted by ``0.5 ** ((end - u) / half_life)`` at each instant
    ``u`` and scaled to a rate per ``FLOW_DAYS`` days (the exponential kernel's
    normalisation ``ln 2 / half_life``):
    ``FLOW_SECONDS / extent * (0.5 ** ((end - b) / h) - 0.5 ** ((end - a) / h))`` with
    ``[a, b)`` the part inside the period. Standing ties add nothing (they are levels).
    A dyad's decayed flow at the end of period ``p`` is then
    ``decayed[q] * 0.5 ** ((end[p] - end[q]) / h) + increments[p]``, ``q`` its previous row.
    """
    # computed in place (the same numbers): it runs on millions of pairs
    t_start, t_end, durable, base_starts, ends = np.broadcast_arrays(
        t_start, t_end, durable, base_starts, ends)
    a = np.maximum(t_start, base_starts)
    b = np.minimum(t_end, ends)
    zero = b <= a
    zero |= durable
    age = np.subtract(ends, b, out=b)  # b is not needed any more
    np.negative(age, out=age)
    late = np.true_divide(age, half_life)
    np.exp2(late, out=late)
    np.subtract(ends, a, out=age)
    np.negative(age, out=age)
    early = np.true_divide(age, half_life)
    del a, b, age
    np.exp2(early, out=early)
    late -= early
    np.maximum(late, 0.0, out=late)
    del early
    out = (t_end - t_start).astype(float)
    np.maximum(out, 1.0, out=out)
    np.divide(FLOW_SECONDS, out, out=out)
    out *= late
    out[zero] = 0.0
    return out


def range_contributions(
    relations: pd.DataFrame,
    start: pd.Timestamp,
    end: pd.Timestamp,
    weight_by: str | None = None,
) -> pd.DataFrame:
    """What each relation contributes to scores over the half-open range ``[start, end)``.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``relations`` (every row, zero where a relation lies outside the
        range), with ``level`` (standing ties), ``flow`` (events), ``share`` (see
        :func:`terms`) and ``inside`` (the relation overlaps the range).
    """
    a, b = seconds([start])[0], seconds([end])[0]
    t0 = seconds(relations["t_start"])
    t1 = seconds(relations["t_end"])
    durable = relations["durable"].to_numpy(dtype=bool)
    share, scale = terms(t0, t1, durable, np.full(len(t0), a), np.full(len(t0), b))
    inside = (t0 < b) & (t1 > a)
    share = np.where(inside, share, 0.0)
    value = weights(relations, weight_by) * share * scale
    return pd.DataFrame({
        "level": np.where(durable, value, 0.0),
        "flow": np.where(durable, 0.0, value),
        "share": share,
        "inside": inside,
    }, index=relations.index)
