"""Period expansion: the per-day lookup equals the binary search it replaces."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from graphkit.analysis import aggregate

DAY = 86_400
ONGOING = np.iinfo(np.int64).max // 2


@settings(max_examples=300, deadline=None)
@given(
    cuts=st.lists(st.integers(-800, 800), min_size=2, max_size=12, unique=True),
    window=st.integers(1, 3),
    times=st.lists(st.tuples(st.integers(-900 * DAY, 900 * DAY), st.integers(0, 90 * DAY),
                             st.booleans()), min_size=1, max_size=40),
    midnight=st.booleans(),
)
def test_day_lookup_equals_binary_search(cuts, window, times, midnight):
    days = np.sort(np.array(cuts, dtype=np.int64)) * DAY
    starts = days[:-1]
    ends = days[1:][np.minimum(np.arange(len(starts)) + window - 1, len(starts) - 1)]
    t_start, length, ongoing = (np.array(column) for column in zip(*times, strict=True))
    if midnight:
        t_start = t_start // DAY * DAY
    t_end = np.where(ongoing, ONGOING, t_start + length)
    first, stop = aggregate._day_lookup(t_start, t_end, starts, ends)
    assert np.array_equal(first, np.searchsorted(ends, t_start, side="right"))
    assert np.array_equal(stop, np.searchsorted(starts, t_end, side="left"))


def test_bounds_off_midnight_use_the_binary_search():
    starts = np.array([0, 3_600, 7_200], dtype=np.int64)
    ends = starts + 3_600
    t = np.array([-5, 0, 3_599, 3_600, 10_000], dtype=np.int64)
    first, stop = aggregate._day_lookup(t, t + 1, starts, ends)
    assert np.array_equal(first, np.searchsorted(ends, t, side="right"))
    assert np.array_equal(stop, np.searchsorted(starts, t + 1, side="left"))


def test_times_one_second_around_each_bound():
    days = np.array([-3, 0, 1, 31, 59], dtype=np.int64) * DAY
    starts, ends = days[:-1], days[1:]
    t = np.concatenate([days - 1, days, days + 1, [ONGOING]])
    for t_end in (t, t + 1, np.full_like(t, ONGOING)):
        first, stop = aggregate._day_lookup(t, t_end, starts, ends)
        assert np.array_equal(first, np.searchsorted(ends, t, side="right"))
        assert np.array_equal(stop, np.searchsorted(starts, t_end, side="left"))
