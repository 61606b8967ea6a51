"""The one time specification: period lengths, period bounds, rolling windows and
half-lives, parsed here and nowhere else.

Every over-time function of graphkit takes the same keyword-only arguments after
``freq``: ``window=`` (a rolling width in periods), ``half_life=`` (a duration) and
``types=``; they all read them through this module, so ``half_life=30``, ``"30"``,
``"30D"`` and ``pd.Timedelta(days=30)`` mean the same everywhere and ``freq="m"`` is a
month everywhere.
"""

from __future__ import annotations

import contextlib

import numpy as np
import pandas as pd

__all__ = [
    "FREQUENCIES",
    "FREQUENCY_NAMES",
    "check_window",
    "half_life_seconds",
    "parse_freq",
    "period_bounds",
]

#: Calendar frequencies: graphkit's letter and the pandas period it stands for.
FREQUENCIES = {"D": "D", "W": "W-SUN", "M": "M", "Q": "Q-DEC", "Y": "Y-DEC"}
#: The unit of each frequency, in words ("score per month").
FREQUENCY_NAMES = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}


def parse_freq(freq: str) -> str:
    """graphkit's letter for a period length, in either case.

    Examples
    --------
    >>> parse_freq("m"), parse_freq("Y")
    ('M', 'Y')
    """
    letter = freq.upper() if isinstance(freq, str) else freq
    if letter not in FREQUENCIES:
        raise ValueError(f"freq must be one of {', '.join(FREQUENCIES)}, not {freq!r}")
    return letter


def check_window(window: int | None) -> int | None:
    """A rolling width: ``None`` or a whole number of periods >= 1."""
    if window is not None and (isinstance(window, bool) or int(window) != window
                               or window < 1):
        raise ValueError(f"window must be a whole number of periods >= 1, not {window!r}")
    return window


def period_bounds(
    first: pd.Timestamp, last: pd.Timestamp, freq: str, window: int | None = None
) -> pd.DataFrame:
    """The calendar periods between two instants, as a table.

    Parameters
    ----------
    first, last : pandas.Timestamp
        Instants the periods must cover (both included).
    freq : {"D", "W", "M", "Q", "Y"}
        Period length: day, week (Monday to Sunday), month, quarter or year.
    window : int, optional
        Rolling width in periods: each row then spans the ``window`` periods ending at
        its label (earlier rows are shorter, never reaching before ``first``'s period).

    Returns
    -------
    pandas.DataFrame
        One row per period: ``period`` (a :class:`pandas.Period`), ``start`` and ``end``
        (the half-open range ``[start, end)`` the row covers).

    Examples
    --------
    >>> period_bounds(pd.Timestamp("2023-01-15"), pd.Timestamp("2023-03-02"), "M", window=2)
        period      start        end
    0  2023-01 2023-01-01 2023-02-01
    1  2023-02 2023-01-01 2023-03-01
    2  2023-03 2023-02-01 2023-04-01
    """
    freq = parse_freq(freq)
    check_window(window)
    index = pd.period_range(first.to_period(FREQUENCIES[freq]),
                            last.to_period(FREQUENCIES[freq]))
    starts = index.start_time.as_unit("s")
    ends = (index + 1).start_time.as_unit("s")
    if window and window > 1:
        lagged = (index - (window - 1)).start_time.as_unit("s")
        starts = lagged.where(lagged > starts[0], starts[0])
    return pd.DataFrame({"period": index, "start": starts, "end": ends})


def half_life_seconds(half_life: object) -> float:
    """A half-life as seconds: a Timedelta, text such as ``"90D"``, or a number of days
    (also as text: ``"30"`` is 30 days, where pandas alone would read 30 nanoseconds).

    Examples
    --------
    >>> half_life_seconds(30) == half_life_seconds("30D") == half_life_seconds("30") == 30 * 86400
    True
    """
    if isinstance(half_life, str):
        with contextlib.suppress(ValueError):
            half_life = float(half_life)
    if isinstance(half_life, (int, float, np.integer, np.floating)) and not isinstance(
        half_life, bool
    ):
        value = float(half_life) * 86400.0
    else:
        try:
            value = pd.Timedelta(half_life).total_seconds()
        except (TypeError, ValueError):
            raise ValueError(f"half_life must be a duration such as '90D' or a number of "
                             f"days, not {half_life!r}") from None
    if not value > 0 or not np.isfinite(value):
        raise ValueError(f"half_life must be positive, not {half_life!r}")
    return value
