"""Round trips: folder -> TemporalGraph -> folder / JSON."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import graphkit
from graphkit import ValidationError


@pytest.fixture
def tg(small_frames):
    return graphkit.TemporalGraph.from_frames(*small_frames, metadata={"title": "Test case"})


def assert_same(a, b):
    pd.testing.assert_frame_equal(a.entities, b.entities)
    pd.testing.assert_frame_equal(a.relations, b.relations)
    assert a.metadata.get("title") == b.metadata.get("title")


def test_folder_round_trip(tg, tmp_path):
    graphkit.save(tg, tmp_path / "out")
    again = graphkit.load(tmp_path / "out")
    assert_same(tg, again)
    graphkit.save(again, tmp_path / "out2")
    for name in ("entities.csv", "relations.csv"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "out2" / name).read_bytes()


def test_parquet_round_trip(tg, tmp_path):
    graphkit.save(tg, tmp_path / "pq", format="parquet")
    assert (tmp_path / "pq" / "relations.parquet").exists()
    assert_same(tg, graphkit.load(tmp_path / "pq"))


def test_json_round_trip(tg, tmp_path):
    graphkit.write_json(tg, tmp_path / "g.json")
    again = graphkit.load(tmp_path / "g.json")
    assert_same(tg, again)
    document = json.loads((tmp_path / "g.json").read_text())
    assert document["entities"][2]["aliases"] == ["Moscow", "Kremlin"]


def test_custom_types_travel_with_the_data(small_frames, tmp_path):
    entities, relations = small_frames
    vocab = graphkit.default_vocabulary()
    vocab.register(graphkit.RelationType("arms_sale", sign=1, weight=6.5, durable=False))
    relations.loc[0, "type"] = "arms_sale"
    tg = graphkit.TemporalGraph.from_frames(entities, relations, vocabulary=vocab)
    graphkit.save(tg, tmp_path / "out")
    assert "arms_sale" in (tmp_path / "out" / "relation_types.csv").read_text()
    assert_same(tg, graphkit.load(tmp_path / "out"))
    graphkit.write_json(tg, tmp_path / "g.json")
    assert_same(tg, graphkit.read_json(tmp_path / "g.json"))


def test_datapackage_is_valid_frictionless(tg, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    graphkit.save(tg, tmp_path / "out")
    report = frictionless.validate(str(tmp_path / "out" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_save_is_atomic(tg, tmp_path, monkeypatch):
    graphkit.save(tg, tmp_path / "out")
    before = (tmp_path / "out" / "relations.csv").read_bytes()

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", boom)
    with pytest.raises(OSError, match="disk full"):
        graphkit.save(tg, tmp_path / "out")
    assert (tmp_path / "out" / "relations.csv").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_saved_folder_has_the_mode_of_a_plain_folder(tg, tmp_path):
    # the temporary folder behind an atomic save must not keep mkdtemp's 0o700
    (tmp_path / "plain").mkdir()
    graphkit.save(tg, tmp_path / "out")
    mode = (tmp_path / "out").stat().st_mode & 0o777
    assert mode == (tmp_path / "plain").stat().st_mode & 0o777


def test_bad_json_is_located(tmp_path):
    path = tmp_path / "g.json"
    path.write_text('{"entities": [}')
    with pytest.raises(ValidationError) as info:
        graphkit.load(path)
    assert "not valid JSON" in info.value.problems.loc[0, "reason"]
    path.write_text(json.dumps({"entities": [{"id": "A", "name": "A", "type": "state"}],
                                "relations": [{"source": "A", "target": "B",
                                               "type": "aid", "start": "2020"}]}))
    with pytest.raises(ValidationError) as info:
        graphkit.load(path)
    problem = info.value.problems.iloc[0]
    assert (problem["file"], problem["row"], problem["column"]) == (
        f"{path}#relations", 1, "target")


def test_datapackage_paths_cannot_escape(tmp_path, small_frames):
    graphkit.save(graphkit.TemporalGraph.from_frames(*small_frames), tmp_path / "d")
    descriptor = json.loads((tmp_path / "d" / "datapackage.json").read_text())
    descriptor["resources"][0]["path"] = "../../etc/passwd"
    (tmp_path / "d" / "datapackage.json").write_text(json.dumps(descriptor))
    with pytest.raises(ValidationError, match="inside the folder"):
        graphkit.load(tmp_path / "d")
