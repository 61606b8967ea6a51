"""The measurement rule written out plainly, one relation at a time, to check the code.

Nothing here is vectorised or shared with graphkit: each function follows the words of
:mod:`graphkit.model.measure` with Python floats and Timestamps.
"""

from __future__ import annotations

import pandas as pd

DAY = 86400.0
FLOW = 30 * DAY


def part(r, a: pd.Timestamp, b: pd.Timestamp) -> tuple[float, float, float]:
    """(level, flow, share) that relation ``r`` contributes to the range ``[a, b)``."""
    overlap = (min(r.t_end, b) - max(r.t_start, a)).total_seconds()
    if overlap <= 0:
        return 0.0, 0.0, 0.0
    length = (b - a).total_seconds()
    if r.durable:
        share = overlap / length
        return r.signed_weight * share, 0.0, share
    share = overlap / (r.t_end - r.t_start).total_seconds()
    return 0.0, r.signed_weight * share * FLOW / length, share


def decayed_flow(relations, at: pd.Timestamp, half_life: float) -> float:
    """Decayed flow at ``at`` of the events among ``relations`` (half-life in seconds).

    Each event's weight is spread over its extent; the part before ``at`` is discounted
    by its age, integrated in closed form, and scaled to a rate per 30 days.
    """
    total = 0.0
    for r in relations:
        if r.durable or r.t_start >= at:
            continue
        extent = (r.t_end - r.t_start).total_seconds()
        late = (at - min(r.t_end, at)).total_seconds()
        early = (at - r.t_start).total_seconds()
        total += r.signed_weight / extent * FLOW * (0.5 ** (late / half_life)
                                                    - 0.5 ** (early / half_life))
    return total
