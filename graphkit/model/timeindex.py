"""A lazily built time index of a relations table, for fast point-in-time lookups.

``TemporalGraph.snapshot(t)`` needs the relations whose interval covers ``t``. Scanning
every relation costs a pass over the table (and a map of every type to its durability)
per call; at a million relations that dominates. The index sorts the short relations
(events: at most :data:`SHORT` long) once by start, so the candidates for ``t`` are one
``searchsorted`` slice, ``(t - SHORT, t]``; the long ones (durable relations and long
events), which are few, are scanned with a vectorised mask. Results are row positions
in the table's order, so views built from them are identical to a full scan.

The index belongs to one TemporalGraph and is built on first use (see
``TemporalGraph._time_index``); like every view, it treats the tables as read-only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["SHORT", "TimeIndex", "records"]

#: Longest interval, in seconds, a relation may have to be indexed as short (31 days).
SHORT = 31 * 86400
_NEVER = np.iinfo(np.int64).min // 2


def _seconds(values: pd.Series) -> np.ndarray:
    return values.to_numpy(dtype="datetime64[s]").view("int64")


def _floor_seconds(t: pd.Timestamp) -> int:
    """Whole seconds of ``t``, rounded down (exact for comparisons with whole seconds)."""
    if t <= pd.Timestamp.min:
        return int(_NEVER)
    return int(t.to_datetime64().astype("datetime64[s]").astype("int64"))


class TimeIndex:
    """Relations by time: short ones sorted by start, long ones apart.

    Parameters
    ----------
    relations : pandas.DataFrame
        A canonical relations table (``type``, ``t_start``, ``t_end``).
    durable_types : dict
        Type name -> whether it is durable (``Vocabulary.column("durable")``).
    """

    def __init__(self, relations: pd.DataFrame, durable_types: dict[str, bool]):
        t0, t1 = _seconds(relations["t_start"]), _seconds(relations["t_end"])
        codes, uniques = pd.factorize(relations["type"])
        per_type = np.array([bool(durable_types.get(u, False)) for u in uniques] + [False])
        #: Whether each relation's type is durable (in table order).
        self.durable = per_type[codes]
        long = self.durable | (t1 - t0 > SHORT)
        short = np.flatnonzero(~long)
        order = np.argsort(t0[short], kind="stable")
        self._short = short[order]
        self._short_t0, self._short_t1 = t0[self._short], t1[self._short]
        self._long = np.flatnonzero(long)
        self._long_t0, self._long_t1 = t0[self._long], t1[self._long]
        self._long_durable = self.durable[self._long]

    def snapshot(self, t: pd.Timestamp, since: pd.Timestamp | None = None) -> np.ndarray:
        """Sorted row positions of the relations ``TemporalGraph.snapshot`` keeps.

        Without ``since``: relations in force at ``t`` (``t_start <= t < t_end``). With
        ``since``: also the events (non-durable relations) that started by ``t`` and
        ended after ``since``.
        """
        now = _floor_seconds(t)
        # Short relations kept end after `floor`, so they start after `floor - SHORT`.
        floor = now if since is None else min(now, _floor_seconds(since))
        lo = np.searchsorted(self._short_t0, max(floor - SHORT, _NEVER), side="right")
        hi = np.searchsorted(self._short_t0, now, side="right")
        keep = self._short_t1[lo:hi] > floor
        in_force = (self._long_t0 <= now) & (self._long_t1 > now)
        if since is not None:
            in_force |= (~self._long_durable & (self._long_t0 <= now)
                         & (self._long_t1 > _floor_seconds(since)))
        return np.sort(np.concatenate([self._short[lo:hi][keep], self._long[in_force]]))


def _plain(dtype: object) -> bool:
    """Dtypes whose ``Series.tolist()`` gives what ``to_dict("records")`` gives."""
    if isinstance(dtype, pd.StringDtype):
        return True
    return isinstance(dtype, np.dtype) and dtype.kind in "biufM"


def records(frame: pd.DataFrame) -> list[dict]:
    """``frame.to_dict("records")``, several times faster for the canonical tables.

    Columns of plain numpy dtypes (bool, integers, floats, datetimes) and strings are
    read with ``tolist()``, which boxes values exactly as ``to_dict`` does (Python
    scalars, Timestamps, NaN); any other column (object, categorical, nullable) makes
    it fall back to ``to_dict`` itself.
    """
    columns = list(frame.columns)
    if not frame.columns.is_unique or not all(_plain(frame[c].dtype) for c in columns):
        return frame.to_dict("records")
    values = [frame[c].tolist() for c in columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]
