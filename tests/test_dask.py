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
from graphkit.core.atomic import MARKER, UnsafeOutputError  # noqa: E402

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


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["period", "source", "target"], ignore_index=True)


@pytest.mark.parametrize(("freq", "half_life", "directed", "fill", "split_out"), [
    ("M", "90D", True, "all", 3),
    ("Q", "45D", False, "all", 7),
    ("M", None, True, "active", 1),
])
def test_distributed_finish_equals_pandas(dask_relations, pandas_graph, tables, freq,
                                          half_life, directed, fill, split_out):
    expected = metrics.dyad_scores(pandas_graph, freq, half_life=half_life,
                                   directed=directed, fill=fill)
    lazy = gdask.dyad_scores(dask_relations, freq, half_life=half_life, directed=directed,
                             fill=fill, entities=tables[0], split_out=split_out,
                             output="dask")
    assert isinstance(lazy, dd.DataFrame) and lazy.npartitions == split_out
    parts = [lazy.get_partition(k).compute() for k in range(split_out)]
    # The finish stays distributed: every dyad lives in one partition only, whole.
    dyads = [set(zip(p["source"], p["target"], strict=True)) for p in parts]
    assert sum(map(len, dyads)) == len(set().union(*dyads))
    for part in parts:
        assert part[["period", "source", "target"]].equals(
            _sorted(part)[["period", "source", "target"]].set_axis(part.index))
    got = _sorted(pd.concat(parts, ignore_index=True))
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12, atol=1e-9)
    eager = gdask.dyad_scores(dask_relations, freq, half_life=half_life, directed=directed,
                              fill=fill, entities=tables[0], split_out=split_out)
    pd.testing.assert_frame_equal(eager, expected, check_exact=False, rtol=1e-12,
                                  atol=1e-9)  # row order too, without sorting


def test_write_scores_to_a_parquet_folder(dask_relations, pandas_graph, tables, tmp_path):
    lazy = gdask.dyad_scores(dask_relations, "M", half_life="30D", fill="all",
                             entities=tables[0], split_out=4, output="dask")
    target = tmp_path / "scores"
    assert gdask.write_scores(lazy, target) == target
    assert (target / MARKER).is_file()
    assert len(list(target.glob("*.parquet"))) == 4
    expected = metrics.dyad_scores(pandas_graph, "M", half_life="30D", fill="all")
    got = _sorted(pd.read_parquet(target))
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12, atol=1e-9)
    # graphkit's own folder is replaced whole (no file of the earlier run is left) ...
    smaller = gdask.dyad_scores(dask_relations, "Y", entities=tables[0], split_out=2,
                                output="dask")
    gdask.write_scores(smaller, target)
    assert len(list(target.glob("*.parquet"))) == 2
    pd.testing.assert_frame_equal(_sorted(pd.read_parquet(target)),
                                  metrics.dyad_scores(pandas_graph, "Y"),
                                  check_exact=False, rtol=1e-12, atol=1e-9)
    # ... a folder graphkit did not write is refused before any work, and kept.
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(UnsafeOutputError, match="graphkit did not write"):
        gdask.write_scores(smaller, foreign)
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
    with pytest.raises(TypeError, match="Dask DataFrame"):
        gdask.write_scores(expected, tmp_path / "pandas")
    assert not (tmp_path / "pandas").exists()


def test_output_and_split_out_are_checked(dask_relations, tables):
    with pytest.raises(ValueError, match="output must be 'pandas' or 'dask', not 'csv'"):
        gdask.dyad_scores(dask_relations, output="csv", entities=tables[0])
    for bad in (0, -2, 1.5, True):
        with pytest.raises(ValueError, match="split_out must be a positive integer"):
            gdask.dyad_scores(dask_relations, split_out=bad, entities=tables[0])
    empty = gdask.dyad_scores(dask_relations, "M", types=["mediation"], entities=tables[0],
                              output="dask")
    assert isinstance(empty, dd.DataFrame) and len(empty.compute()) == 0


def test_write_relations_is_atomic_and_keeps_foreign_folders(pandas_graph, tmp_path,
                                                              monkeypatch):
    rel = pandas_graph.relations.iloc[:500]
    events = tmp_path / "events"
    written = gdask.write_relations(rel, events, 3)
    assert written == str(events / "part-00003.parquet")
    assert (events / MARKER).is_file()  # a new folder is marked graphkit's
    gdask.write_relations(rel.iloc[:10], events, 3)  # a partition written anew
    assert len(pd.read_parquet(written)) == 10
    assert len(gdask.read_relations(str(events)).compute()) == 10  # the marker is skipped

    # a failure while writing leaves the earlier file whole and no temporary behind
    def broken(self, path, **kwargs):
        path.write(b"PAR1 half a file")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", broken)
    with pytest.raises(OSError, match="disk full"):
        gdask.write_relations(rel, events, 3)
    monkeypatch.undo()
    assert sorted(p.name for p in events.iterdir()) == [MARKER, "part-00003.parquet"]
    assert len(pd.read_parquet(written)) == 10

    # a non-empty folder graphkit did not write is refused, untouched ...
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "part-00000.parquet").write_text("my own file")
    with pytest.raises(UnsafeOutputError, match="graphkit did not write"):
        gdask.write_relations(rel, mine, 0)
    assert (mine / "part-00000.parquet").read_text() == "my own file"
    # ... written into with force, but never marked (nothing may later replace it whole)
    gdask.write_relations(rel, mine, 1, force=True)
    assert sorted(p.name for p in mine.iterdir()) == ["part-00000.parquet",
                                                       "part-00001.parquet"]
    # a file, a folder or a link in the part's place, and bad numbers, are refused
    (tmp_path / "file").write_text("x")
    with pytest.raises(UnsafeOutputError, match="existing file"):
        gdask.write_relations(rel, tmp_path / "file", 0)
    (events / "part-00004.parquet").mkdir()
    with pytest.raises(UnsafeOutputError, match="it is a folder"):
        gdask.write_relations(rel, events, 4)
    (events / "part-00005.parquet").symlink_to(tmp_path / "file")
    with pytest.raises(UnsafeOutputError, match="symbolic link"):
        gdask.write_relations(rel, events, 5)
    assert (tmp_path / "file").read_text() == "x"
    with pytest.raises(ValueError, match="part must be from 0 to 99999, not 100000"):
        gdask.write_relations(rel, events, 100_000)
