"""Hypothesis strategies shared by the property tests."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st


@st.composite
def partial_date(draw, lo: int = 2021, hi: int = 2023) -> str:
    """A date as text at year, month or (most often) day precision."""
    day = draw(st.dates(min_value=dt.date(lo, 1, 1), max_value=dt.date(hi, 12, 31)))
    precision = draw(st.sampled_from(["Y", "M", "D", "D", "D"]))
    return {"Y": f"{day.year}", "M": f"{day:%Y-%m}", "D": day.isoformat()}[precision]
