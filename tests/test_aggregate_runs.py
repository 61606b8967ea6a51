"""dyad_period_sums split into runs of periods gives the same table, to the last bit.

Past ``_RUN_PAIRS`` (period, relation) pairs the sums are made run by run (to bound the
memory at ten million relations, and for speed); here the runs are forced down to a few
pairs so that every case crosses them: relations spanning several runs, undirected
relations counted in both directions, rolling windows, the decayed flow, weights by
confidence.
"""

from __future__ import annotations

import os
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import relation_rows

import graphkit
from graphkit.analysis import aggregate
from graphkit.core.vocabulary import default_vocabulary

VOCAB = default_vocabulary()
TYPES = sorted(t.name for t in VOCAB)
IDS = ["A", "B", "C", "D", "E"]
SETTINGS = settings(max_examples=int(os.environ.get("GRAPHKIT_EXAMPLES", 40)),
                    suppress_health_check=[HealthCheck.too_slow], deadline=None)


@st.composite
def graphs(draw):
    rows = draw(relation_rows(IDS, TYPES, attributes=True))
    entities = pd.DataFrame({"id": IDS, "name": IDS, "type": "state"})
    return graphkit.TemporalGraph.from_frames(entities, pd.DataFrame(rows))


def _sums(tg, freq, window, directed, half_life, weight_by):
    periods = tg.period_table(freq, window=window)
    ids, source, target = tg._entity_codes
    starts, ends = aggregate.bounds(periods)
    return aggregate.dyad_period_sums(tg.relations, starts, ends, ids, directed,
                                      half_life=half_life, weight_by=weight_by,
                                      codes=(source, target))


@SETTINGS
@given(tg=graphs(), freq=st.sampled_from(["W", "M", "Q"]),
       window=st.sampled_from([None, None, 3]), directed=st.booleans(),
       half_life=st.sampled_from([None, "45D"]),
       weight_by=st.sampled_from([None, "confidence"]), run=st.integers(1, 12))
def test_runs_give_the_table_of_one_run(tg, freq, window, directed, half_life, weight_by, run):
    periods = tg.period_table(freq, window=window)
    whole = _sums(tg, freq, window, directed, half_life, weight_by)
    with mock.patch.object(aggregate, "_RUN_PAIRS", run):
        first, stop = aggregate._day_lookup(aggregate.seconds(tg.relations["t_start"]),
                                            aggregate.seconds(tg.relations["t_end"]),
                                            *aggregate.bounds(periods))
        mirror = ~tg.relations["directed"].to_numpy(dtype=bool) if directed else None
        cuts, pairs = aggregate._run_cuts(first, stop, len(periods), mirror)
        in_runs = _sums(tg, freq, window, directed, half_life, weight_by)
        table = aggregate.dyad_table(tg, freq, half_life=half_life, directed=directed,
                                     window=window, weight_by=weight_by)
    live = stop > first
    busy = np.cumsum(np.bincount(first[live], minlength=len(periods) + 1)
                     - np.bincount(stop[live], minlength=len(periods) + 1))[:len(periods)] > 0
    if pairs > run and busy.sum() > 1:  # the case crosses runs (runs are whole periods)
        assert len(cuts) > 2
    pd.testing.assert_frame_equal(in_runs, whole, check_exact=True)
    # dyad_table (which finishes from the arrays) equals finish_dyad_scores on the table
    expected = aggregate.finish_dyad_scores(whole, periods, tg._entity_codes[0], half_life)
    pd.testing.assert_frame_equal(table, expected, check_exact=True)


def test_no_relation_in_the_periods_gives_the_empty_table():
    tg = graphkit.TemporalGraph.from_frames(
        pd.DataFrame({"id": IDS, "name": IDS, "type": "state"}),
        pd.DataFrame({"source": ["A"], "target": ["B"], "type": ["criticism"],
                      "start": ["2023-09-12"], "weight": [-2]}))
    ids, source, target = tg._entity_codes
    periods = tg.period_table("M")
    starts, ends = aggregate.bounds(periods)
    later = 400 * 86_400  # every period moved past the relation
    got = aggregate.dyad_period_sums(tg.relations, starts + later, ends + later, ids,
                                     half_life="30D", codes=(source, target))
    pd.testing.assert_frame_equal(got, aggregate.empty_sums("30D"))


@SETTINGS
@given(tg=graphs(), freq=st.sampled_from(["W", "M"]), directed=st.booleans(),
       half_life=st.sampled_from([None, "45D"]), seed=st.integers(0, 2**16),
       parts=st.integers(1, 4))
def test_sums_of_parts_add_up_to_the_sums_of_the_whole(tg, freq, directed, half_life,
                                                        seed, parts):
    """combine_sums of the tables of any split of the relations is the table of all."""
    periods = tg.period_table(freq)
    ids = tg._entity_codes[0]
    starts, ends = aggregate.bounds(periods)
    which = np.random.default_rng(seed).integers(0, parts, len(tg.relations))
    tables = [aggregate.dyad_period_sums(tg.relations[which == k], starts, ends, ids,
                                         directed, half_life=half_life)
              for k in range(parts)]
    whole = aggregate.dyad_period_sums(tg.relations, starts, ends, ids, directed,
                                       half_life=half_life)
    got = aggregate.combine_sums(tables)
    pd.testing.assert_frame_equal(got, whole, check_exact=False, rtol=1e-12, atol=1e-12)
    # the group-by it falls back on past 63 bits of packed codes gives the same table
    with mock.patch.object(aggregate, "group", side_effect=AssertionError("not packed")):
        if len(got):
            huge = pd.concat(tables, ignore_index=True).assign(period=lambda f: f["period"]
                                                               + 2**61)
            wide = aggregate.combine_sums(huge)
            pd.testing.assert_frame_equal(wide.assign(period=wide["period"] - 2**61), got,
                                          check_exact=False, rtol=1e-12, atol=1e-12)


def test_combine_sums_refuses_negative_codes_and_keeps_empty_tables():
    empty = aggregate.combine_sums([aggregate.empty_sums("30D"), aggregate.empty_sums("30D")])
    pd.testing.assert_frame_equal(empty, aggregate.empty_sums("30D"))
    bad = pd.DataFrame({"period": [0], "source": [-1], "target": [1], "level": [1.0]})
    with pytest.raises(ValueError, match="non-negative codes"):
        aggregate.combine_sums(bad)
