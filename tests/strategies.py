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


@st.composite
def relation_rows(draw, ids: list[str], types: list[str], dates=None,
                  attributes: bool = False, max_rows: int = 40) -> list[dict[str, str]]:
    """Rows of a relations table as text: two distinct entities, a type, a start and an
    optional end (put in order); with ``attributes`` also ``weight``, ``directed``,
    ``quad_class`` and ``confidence``, each possibly empty."""
    dates = dates if dates is not None else partial_date()
    rows = []
    for _ in range(draw(st.integers(min_value=1, max_value=max_rows))):
        source, target = draw(st.permutations(ids))[:2]
        start = draw(dates)
        end = draw(st.one_of(st.just(""), dates))
        if end and end < start:
            start, end = end, start
        row = {"source": source, "target": target, "type": draw(st.sampled_from(types)),
               "start": start, "end": end}
        if attributes:
            row.update({
                "weight": draw(st.sampled_from(["", "0", "1.5", "-3.25", "7", "0.1"])),
                "directed": draw(st.sampled_from(["", "true", "false"])),
                "quad_class": draw(st.sampled_from(["", "0", "1", "2", "3", "4"])),
                "confidence": draw(st.sampled_from(["", "0.3", "0.7", "1"])),
            })
        rows.append(row)
    return rows
