"""Relationship shifts: which relationships changed, how much, when, and how surely.

* :func:`compare` ranks dyads by the change of their score between two date ranges, with a
  bootstrap interval, a robustness flag and the relations a fragile shift rests on;
* :func:`change_points` finds break dates in each dyad's score series, and
  :func:`rank_breaks` ranks dyads by their largest break in a range;
* :func:`alignment` measures each actor's alignment toward reference actors period by
  period, and :func:`camp_changes` lists actors that change camp in the balance partition;
* :func:`narrate` writes one plain-language line per top shift, built from the numbers;
* :func:`suggest_periods` picks two ranges to compare when the user gives none.

Each job has its module: :mod:`~graphkit.analysis.shifts.ranges` (compare and its
bootstrap), :mod:`~graphkit.analysis.shifts.breaks` (change points),
:mod:`~graphkit.analysis.shifts.narrative` (text), :mod:`~graphkit.analysis.shifts.camps`
(alignment and camps) and :mod:`~graphkit.analysis.shifts.periods` (suggested ranges); the
public namespace ``graphkit.shifts`` is this package.

Scores follow the one rule of :mod:`graphkit.model.measure`: a dyad's score over a range is the
*level* of its standing ties (time-weighted mean signed weight in force) plus the *flow* of
its events (signed weight per 30 days, each event spread over its extent). :func:`compare`
measures each range exactly as given, so its numbers do not depend on any period length.
"""

from graphkit.analysis.shifts.breaks import BREAK_COLUMNS, change_points, rank_breaks
from graphkit.analysis.shifts.camps import alignment, camp_changes
from graphkit.analysis.shifts.narrative import entity_name, ids_text, narrate, tone
from graphkit.analysis.shifts.periods import suggest_periods
from graphkit.analysis.shifts.ranges import (
    LOW_CONFIDENCE,
    SHIFT_COLUMNS,
    TOLERANCE,
    GraphkitWarning,
    compare,
)

__all__ = [
    "BREAK_COLUMNS",
    "LOW_CONFIDENCE",
    "SHIFT_COLUMNS",
    "TOLERANCE",
    "GraphkitWarning",
    "alignment",
    "camp_changes",
    "change_points",
    "compare",
    "entity_name",
    "ids_text",
    "narrate",
    "rank_breaks",
    "suggest_periods",
    "tone",
]
