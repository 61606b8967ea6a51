"""Plain-language lines about the top shifts, built from the numbers of ``compare``."""

from __future__ import annotations

import pandas as pd

from graphkit.core.dates import to_timestamp
from graphkit.model.temporal import TemporalGraph

__all__ = ["entity_name", "ids_text", "narrate", "tone"]


def entity_name(tg: TemporalGraph, entity: str) -> str:
    """The display name of ``entity`` in ``tg`` (its id when it has none).

    >>> entity_name(tg, "ARM"), entity_name(tg, "nobody")
    ('Armenia', 'nobody')
    """
    names = tg.entities.set_index("id")["name"]
    return str(names.get(entity, entity))


def tone(score: float) -> str:
    """``"cooperative"``, ``"hostile"`` or ``"neutral"`` (within 0.05 of 0) for a score.

    >>> tone(3.0), tone(-0.2), tone(0.01)
    ('cooperative', 'hostile', 'neutral')
    """
    if score > 0.05:
        return "cooperative"
    if score < -0.05:
        return "hostile"
    return "neutral"


def _score_text(total: float, level: float, flow: float) -> str:
    return f"{total:+.1f}: level {level:+.1f}, flow {flow:+.1f} per 30 days"


def ids_text(ids: str, limit: int = 6) -> str:
    """A ``;``-joined id list as text, the first ``limit`` ids and how many more.

    >>> ids_text("e1;e2;e3;e4", limit=2)
    'e1, e2 and 2 more'
    """
    items = [i for i in str(ids).split(";") if i]
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more


def narrate(
    tg: TemporalGraph,
    shifts: pd.DataFrame,
    before: tuple[object, object] | None = None,
    after: tuple[object, object] | None = None,
    breaks: pd.DataFrame | None = None,
    top: int = 5,
) -> list[str]:
    """One plain-language line per top shift, built only from the numbers.

    Each line gives both scores with their level and flow, the change with its bootstrap
    interval, and says plainly when the shift (or its sign change) is fragile, naming the
    relation ids it rests on (:func:`compare`'s ``robust`` and ``rests_on``). A break is
    cited only when it falls inside the compared span (from the start of ``before`` to
    the end of ``after``).

    Parameters
    ----------
    tg : TemporalGraph
        For entity names.
    shifts : pandas.DataFrame
        The table from :func:`compare`.
    before, after : (start, end), optional
        The ranges compared, named in the text (default: the table's ``attrs``).
    breaks : pandas.DataFrame, optional
        The table from :func:`rank_breaks` (or :func:`change_points`): the dyad's largest
        break inside the compared span is named in its line.
    top : int
        Number of lines.

    Returns
    -------
    list of str
    """
    before = before or shifts.attrs.get("before")
    after = after or shifts.attrs.get("after")
    level = shifts.attrs.get("level", 0.9)
    when_before = f" between {before[0]} and {before[1]}" if before else " before"
    when_after = f" between {after[0]} and {after[1]}" if after else " after"
    if breaks is not None and len(breaks) and before and after:
        first = min(to_timestamp(before[0]), to_timestamp(after[0]))
        last = max(to_timestamp(before[1]), to_timestamp(after[1]))
        breaks = breaks[(breaks["date"] >= first) & (breaks["date"] < last)]
    lines = []
    for row in shifts.head(top).itertuples(index=False):
        text = (
            f"{entity_name(tg, row.source)}–{entity_name(tg, row.target)}: from {tone(row.before)} "
            f"({_score_text(row.before, row.level_before, row.flow_before)}){when_before} "
            f"to {tone(row.after)} "
            f"({_score_text(row.after, row.level_after, row.flow_after)}){when_after}, "
            f"a change of {row.change:+.1f}"
        )
        if row.ci_low == row.ci_low:  # not NaN
            text += f" ({level:.0%} interval {row.ci_low:+.1f} to {row.ci_high:+.1f})"
        if row.sign_flip:
            text += " (the relationship changed sign)"
        if not row.robust:
            what = "sign change" if row.sign_flip else "shift"
            text += (f"; this {what} is fragile: it rests on relation"
                     f"{'s' if ';' in str(row.rests_on) else ''} {ids_text(row.rests_on)}")
        if breaks is not None and len(breaks):
            mine = breaks[(breaks["source"] == row.source) & (breaks["target"] == row.target)]
            if len(mine):
                b = mine.iloc[mine["change"].abs().argmax()]
                text += (f"; the break came in {b['period']} (mean {b['mean_before']:+.1f} "
                         f"to {b['mean_after']:+.1f})")
        if row.drivers:
            text += f"; driven by {row.drivers.replace(';', ', ')}"
        extras = []
        if row.gained:
            extras.append(f"new: {row.gained.replace(';', ', ')}")
        if row.lost:
            extras.append(f"gone: {row.lost.replace(';', ', ')}")
        if extras:
            text += f" ({'; '.join(extras)})"
        lines.append(text + ".")
    return lines
