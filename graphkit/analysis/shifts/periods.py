"""Two ranges to compare when the user gives none (:func:`suggest_periods`)."""

from __future__ import annotations

import numpy as np

from graphkit.model.temporal import TemporalGraph

__all__ = ["suggest_periods"]


def suggest_periods(
    tg: TemporalGraph, freq: str = "M", *, span: int = 36, gap: int = 1
) -> tuple[tuple[str, str], tuple[str, str]]:
    """Sensible ``before`` and ``after`` ranges when the user gives none.

    ``after`` is the latest period (``freq``) holding at least a quarter of the busiest
    period's relations (the recent burst the data was gathered for); ``before`` is the
    ``span`` periods that end ``gap`` periods before it, cut at the data's first period.
    When the data leave no room for that (a burst at the very start, or data in one or two
    periods), ``before`` shrinks to what there is before ``after``, and with nothing
    before ``after`` it is the ``span`` periods before it (empty: :func:`compare` then
    warns). Always two valid ranges for any graph with relations.

    Returns
    -------
    (before, after)
        Two ``(start, end)`` pairs of ISO dates, half-open.

    Raises
    ------
    ValueError
        When the graph has no relations.
    """
    bounds = tg.period_table(freq)
    starts = bounds["start"].to_numpy()
    t_start = tg.relations["t_start"].to_numpy(starts.dtype)
    counts = np.bincount(np.searchsorted(starts, t_start, side="right") - 1,
                         minlength=len(bounds))
    busy = np.flatnonzero(counts >= max(counts.max() / 4, 1))
    k = int(busy[-1])
    period = bounds["period"].iloc[k]
    after = (bounds["start"].iloc[k], bounds["end"].iloc[k])
    first = bounds["start"].iloc[0]
    before_end = (period - gap).start_time
    if before_end <= first:  # no room for a gap: compare with all there is before
        before_end = after[0]
    before_start = max((period - gap - span).start_time, first)
    if before_start >= before_end:  # nothing before: the span before, empty
        before_start = (period - span).start_time
    iso = "%Y-%m-%d"
    return ((before_start.strftime(iso), before_end.strftime(iso)),
            (after[0].strftime(iso), after[1].strftime(iso)))
