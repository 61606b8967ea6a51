"""The time index behind snapshot() selects exactly what a full scan selects."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import relation_rows

import graphkit
from graphkit.core.vocabulary import default_vocabulary
from graphkit.model.timeindex import TimeIndex

VOCAB = default_vocabulary()
TYPES = sorted(t.name for t in VOCAB)
IDS = ["A", "B", "C", "D"]


@st.composite
def partial_date(draw, lo=2019, hi=2022):
    day = draw(st.dates(min_value=dt.date(lo, 1, 1), max_value=dt.date(hi, 12, 31)))
    precision = draw(st.sampled_from(["Y", "M", "D", "D"]))
    return {"Y": f"{day.year}", "M": f"{day:%Y-%m}", "D": day.isoformat()}[precision]


@st.composite
def graphs(draw):
    rows = draw(relation_rows(IDS, TYPES, dates=partial_date()))
    entities = pd.DataFrame({"id": IDS, "name": IDS, "type": "state"})
    return graphkit.TemporalGraph.from_frames(entities, pd.DataFrame(rows))


def scan(tg, t, since):
    """The selection as a full scan (the rule snapshot() documents)."""
    rel = tg.relations
    durable = rel["type"].map(tg.vocabulary.column("durable")).fillna(False).astype(bool)
    mask = (rel["t_start"] <= t) & (rel["t_end"] > t)
    if since is not None:
        mask |= ~durable & (rel["t_start"] <= t) & (rel["t_end"] > since)
    return np.flatnonzero(mask.to_numpy())


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(graphs(), st.datetimes(min_value=dt.datetime(2018, 6, 1), max_value=dt.datetime(2023, 6, 1)),
       st.sampled_from([None, "0D", "1D", "30D", "400D", "-3D", "all"]))
def test_index_selects_what_a_scan_selects(tg, when, lookback):
    t = pd.Timestamp(when)
    since = None if lookback is None else (
        pd.Timestamp.min if lookback == "all" else t - pd.Timedelta(lookback))
    index = TimeIndex(tg.relations, tg.vocabulary.column("durable"))
    np.testing.assert_array_equal(index.snapshot(t, since), scan(tg, t, since))
    durable = tg.relations["type"].map(tg.vocabulary.column("durable")).to_numpy(dtype=bool)
    np.testing.assert_array_equal(index.durable, durable)


def test_snapshot_uses_the_cached_index(small_frames):
    tg = graphkit.TemporalGraph.from_frames(*small_frames)
    first = tg.snapshot("2023-09-25", half_life="30D")
    assert tg._time_index is tg._time_index
    again = tg.snapshot("2023-09-25", half_life="30D")
    assert list(first.edges(keys=True)) == list(again.edges(keys=True))
    first.nodes["ARM"]["name"] = "changed"  # graphs own copies of the node attributes
    assert tg.snapshot("2023-09-25").nodes["ARM"]["name"] == "Armenia"


def test_records_equal_to_dict():
    from graphkit.model.timeindex import records

    frame = pd.DataFrame({
        "s": pd.array(["a", None, "c"], dtype="str"),
        "f": [1.5, np.nan, -2.0],
        "i": np.array([1, 2, 3], dtype=np.int8),
        "b": [True, False, True],
        "t": pd.to_datetime(["2020-01-01", None, "9999-12-31"]).astype("datetime64[s]"),
    }, index=[5, 7, 9])

    def same(a, b):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            assert x.keys() == y.keys()
            for k in x:
                assert type(x[k]) is type(y[k]), k
                assert x[k] == y[k] or (pd.isna(x[k]) and pd.isna(y[k])), k

    same(records(frame), frame.to_dict("records"))
    mixed = frame.assign(o=np.array([1, "x", None], dtype=object))
    same(records(mixed), mixed.to_dict("records"))
    same(records(frame.iloc[:0]), [])
