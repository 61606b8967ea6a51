"""The Dask route equals the pandas route, on a 2-worker dask.distributed cluster."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("dask.distributed")

import graphkit  # noqa: E402
import graphkit.dask as gdask  # noqa: E402
from graphkit.analysis import metrics  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from generate import generate  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=":0", silence_logs=40)
    with distributed.Client(cluster) as client:
        yield client
    cluster.close()


@pytest.fixture(scope="module")
def tables():
    entities, relations = generate(30_000, 80, 3, seed=11)
    relations["weight"] = (relations["weight"] * 4).round() / 4
    relations.loc[::97, "start"] = relations.loc[::97, "start"].str[:7]  # month precision
    relations.loc[::89, "target"] = relations.loc[::89, "target"].str.lower()  # any case
    return entities, relations


@pytest.fixture(scope="module")
def pandas_graph(tables):
    return graphkit.TemporalGraph.from_frames(*tables)


@pytest.fixture(scope="module")
def dask_relations(tables, client):
    entities, relations = tables
    return gdask.relations(dd.from_pandas(relations, npartitions=6), entities).persist()


def test_validation_matches_pandas(dask_relations, pandas_graph):
    got = dask_relations.compute()
    pd.testing.assert_frame_equal(got, pandas_graph.relations)


@pytest.mark.parametrize(("freq", "half_life", "directed", "window", "types"), [
    ("M", "90D", True, None, None),
    ("M", "30D", False, None, None),
    ("Q", None, True, 2, None),
    ("W", "14D", True, None, ["criticism", "threat", "military_action", "sanctions"]),
])
def test_dyad_scores_equal_pandas(dask_relations, pandas_graph, tables, freq, half_life,
                                  directed, window, types):
    got = gdask.dyad_scores(dask_relations, freq, half_life=half_life, directed=directed,
                            window=window, types=types, entities=tables[0])
    expected = metrics.dyad_scores(pandas_graph, freq, half_life=half_life,
                                   directed=directed, window=window, types=types)
    # Shares of periods are not binary fractions: sums agree to the last bits only.
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12, atol=1e-9)


def test_any_weights_agree_to_rounding(client, tables):
    entities, relations = tables
    relations = relations.assign(weight=np.round(relations["weight"] + 0.1, 1).clip(-10, 10))
    tg = graphkit.TemporalGraph.from_frames(entities, relations)
    rel = dd.from_pandas(tg.relations, npartitions=5)
    got = gdask.dyad_scores(rel, "M", half_life="60D", fill="all")  # ids found by Dask
    expected = metrics.dyad_scores(tg, "M", half_life="60D", fill="all")
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12, atol=1e-9)


def test_import_path_from_csv_files(client, tables, pandas_graph, tmp_path):
    entities, relations = tables
    for i, part in enumerate(np.array_split(np.arange(len(relations)), 3)):
        relations.iloc[part].to_csv(tmp_path / f"events-{i}.csv", index=False)
    raw = dd.read_csv(str(tmp_path / "events-*.csv"), dtype=str, keep_default_na=False)
    rel = gdask.relations(raw, entities)
    got = gdask.dyad_scores(rel, "Y", half_life="365D", entities=entities)
    expected = metrics.dyad_scores(pandas_graph, "Y", half_life="365D")
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12, atol=1e-9)
    assert len(gdask.period_table(rel, "Y")) == len(pandas_graph.period_table("Y"))


def test_problems_come_back_from_the_workers(client, tables):
    entities, relations = tables
    bad = relations.head(300).copy()
    bad.loc[bad.index[-1], "source"] = "Atlantis"
    bad.loc[bad.index[-2], "start"] = "2023-02-30"
    raw = dd.from_pandas(bad, npartitions=3)
    with pytest.raises(graphkit.ValidationError) as caught:
        gdask.relations(raw, entities).compute()
    problems = caught.value.problems
    assert set(problems["file"]) == {"relations (partition 2)"}
    assert set(problems["column"]) == {"source", "start"}
    assert "unknown entity or alias" in set(problems["reason"])


def test_no_relations_and_bad_arguments(dask_relations, tables):
    empty = gdask.dyad_scores(dask_relations, "M", types=["mediation"], entities=tables[0])
    assert empty.empty and {"score", "level", "flow"} <= set(empty.columns)
    with pytest.raises(KeyError, match="no_such_type"):
        gdask.dyad_scores(dask_relations, types=["no_such_type"])
    with pytest.raises(ValueError, match="freq"):
        gdask.dyad_scores(dask_relations, "H")


def test_scores_from_parquet_partitions_with_a_progress_bar(client, pandas_graph, tables,
                                                            tmp_path, capsys):
    rel = pandas_graph.relations
    for k, part in enumerate(np.array_split(np.arange(len(rel)), 4)):
        gdask.write_relations(rel.iloc[part], str(tmp_path / "events"), k)
    assert len(list((tmp_path / "events").glob("part-*.parquet"))) == 4
    frame = gdask.read_relations(str(tmp_path / "events"))
    assert frame.npartitions == 4
    got = gdask.dyad_scores(frame, "M", half_life="90D", entities=tables[0], progress=True)
    expected = metrics.dyad_scores(pandas_graph, "M", half_life="90D")
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12, atol=1e-9)
    pd.DataFrame({"source": ["A"]}).to_parquet(tmp_path / "other.parquet")
    with pytest.raises(ValueError, match=r"other\.parquet: not canonical graphkit relations: "
                       "no target, type"):
        gdask.read_relations(str(tmp_path / "other.parquet"))
