"""Partial calendar dates: ``2020``, ``2020-11`` and ``2020-11-10``.

A partial date keeps its precision and covers its whole unit: ``2023-09`` is the
half-open interval [2023-09-01, 2023-10-01). All arithmetic is vectorised over the
distinct values of a column, so parsing a million event dates costs as much as
parsing the few thousand days among them.
"""

from __future__ import annotations

import datetime
import re

import numpy as np
import pandas as pd

__all__ = ["ONGOING", "PRECISIONS", "parse_partial_date_codes", "parse_partial_dates",
           "to_timestamp"]

#: Exclusive end given to durable relations that have not ended.
ONGOING = pd.Timestamp("9999-12-31")

#: Precision codes: year, month, day.
PRECISIONS = ("Y", "M", "D")

# ASCII digits only: str.isdigit() and \d accept Arabic-Indic and fullwidth digits
_PATTERN = r"^(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?$"
#: Years a date may have: every day of them and the day after converts to a
#: ``pandas.Timestamp`` (there is no year 0000; 9999 ends after :data:`ONGOING`).
FIRST_YEAR, LAST_YEAR = 1, 9998
_UNIT = "datetime64[s]"
_SCALAR = re.compile(_PATTERN)


def parse_partial_dates(values: pd.Series) -> pd.DataFrame:
    """Parse a column of partial ISO dates.

    Parameters
    ----------
    values : pandas.Series
        Strings such as ``"2020"``, ``"2020-11"`` or ``"2020-11-10"``; datetimes are
        taken as days. Empty strings and missing values give no date and no error.

    Returns
    -------
    pandas.DataFrame
        Same index as ``values``, with columns ``text`` (the date in canonical form),
        ``start`` and ``end`` (the half-open interval the date covers, ``datetime64[s]``),
        ``precision`` (``"Y"``, ``"M"`` or ``"D"``) and ``error`` (a reason, or missing).

    Examples
    --------
    >>> parse_partial_dates(pd.Series(["2023-09", "2023-02-30"]))[["start", "end", "error"]]
           start        end                               error
    0 2023-09-01 2023-10-01                                 NaN
    1        NaT        NaT  impossible date: day 30 of 2023-02
    """
    codes, parsed = parse_partial_date_codes(values)
    out = parsed.iloc[codes].set_axis(values.index)
    if len(values) == 0:
        out = parsed.iloc[:0].set_axis(values.index)
    return out


def parse_partial_date_codes(values: pd.Series) -> tuple[np.ndarray, pd.DataFrame]:
    """Parse each distinct value of a column once.

    Returns ``(codes, parsed)``: ``parsed`` has the columns of
    :func:`parse_partial_dates`, one row per distinct value, and row ``i`` of the
    column is ``parsed.iloc[codes[i]]``. Taking only the columns needed from ``parsed``
    is much cheaper than :func:`parse_partial_dates` on millions of rows.
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        values = values.dt.strftime("%Y-%m-%d")
    if isinstance(values.dtype, pd.StringDtype) and len(values):
        # Text columns: factorize the strings as they are stored, without one Python
        # object per row; missing values read as "" as below.
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        uniques = pd.Series([*uniques, ""], dtype="object")
        codes = np.where(codes < 0, len(uniques) - 1, codes)
    else:
        codes, uniques = pd.factorize(values.astype("object").where(values.notna(), ""))
        uniques = pd.Series(uniques, dtype="object")
    return codes, _parse_unique(uniques.map(str).str.strip())


def _parse_unique(text: pd.Series) -> pd.DataFrame:
    parts = text.str.extract(_PATTERN)
    matched = parts["year"].notna()
    year = pd.to_numeric(parts["year"]).fillna(2000).astype("int64").to_numpy()
    month = pd.to_numeric(parts["month"]).fillna(1).astype("int64").to_numpy()
    day = pd.to_numeric(parts["day"]).fillna(1).astype("int64").to_numpy()
    precision = np.where(parts["day"].notna(), "D", np.where(parts["month"].notna(), "M", "Y"))

    month_ok = (month >= 1) & (month <= 12)
    first_of_month = (year - 1970) * 12 + np.clip(month, 1, 12) - 1
    month_start = first_of_month.astype("datetime64[M]").astype("datetime64[D]")
    days_in_month = ((first_of_month + 1).astype("datetime64[M]").astype("datetime64[D]")
                     - month_start).astype("int64")
    day_ok = (day >= 1) & (day <= days_in_month)
    start = month_start + (np.clip(day, 1, None) - 1).astype("timedelta64[D]")
    end = np.where(
        precision == "D",
        start + np.timedelta64(1, "D"),
        np.where(
            precision == "M",
            (first_of_month + 1).astype("datetime64[M]").astype("datetime64[D]"),
            (year - 1970 + 1).astype("datetime64[Y]").astype("datetime64[D]"),
        ),
    )
    empty = (text == "").to_numpy()
    error = np.full(len(text), None, dtype=object)
    bad_form = ~matched.to_numpy() & ~empty
    error[bad_form] = "not a date: use YYYY, YYYY-MM or YYYY-MM-DD"
    bad_month = matched.to_numpy() & ~month_ok
    error[bad_month] = (
        "impossible date: month " + parts["month"][bad_month].astype(str) + " does not exist"
    )
    bad_day = matched.to_numpy() & month_ok & ~day_ok
    if bad_day.any():
        error[bad_day] = (
            "impossible date: day " + parts["day"][bad_day].astype(str) + " of "
            + parts["year"][bad_day].astype(str) + "-" + parts["month"][bad_day].astype(str)
        ).to_numpy()
    year_ok = (year >= FIRST_YEAR) & (year <= LAST_YEAR)
    bad_year = matched.to_numpy() & month_ok & day_ok & ~year_ok
    error[bad_year] = (f"year outside {FIRST_YEAR:04d}..{LAST_YEAR}, the range of dates "
                       "graphkit can compute with")
    valid = matched.to_numpy() & month_ok & day_ok & year_ok
    return pd.DataFrame(
        {
            "text": np.where(valid, text.to_numpy(), np.where(empty, "", text.to_numpy())),
            "start": pd.Series(np.where(valid, start, np.datetime64("NaT")).astype(_UNIT)),
            "end": pd.Series(np.where(valid, end, np.datetime64("NaT")).astype(_UNIT)),
            "precision": np.where(valid, precision, None),
            "error": error,
        }
    )


def to_timestamp(value: object) -> pd.Timestamp:
    """Read one date given by a user (``"2023-09"``, a ``datetime``, a ``Timestamp``).

    A partial date stands for the first instant of its unit.

    Raises
    ------
    ValueError
        When the value is not a date.
    """
    if isinstance(value, pd.Timestamp):
        return value
    if isinstance(value, str):
        # One value: the column parser's rule without its per-call cost (15 ms).
        match = _SCALAR.match(value.strip())
        if match:
            year, month, day = (int(match[k] or 1) for k in ("year", "month", "day"))
            if FIRST_YEAR <= year <= LAST_YEAR:
                try:
                    return pd.Timestamp(datetime.date(year, month, day)).as_unit("s")
                except ValueError:
                    pass
        raise ValueError(f"{value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    return pd.Timestamp(value)
