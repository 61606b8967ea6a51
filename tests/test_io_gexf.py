"""GEXF 1.3: schema-valid, read by networkx with every relation, loaded back by graphkit."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import graphkit
from graphkit import ValidationError, model
from graphkit.io import write_gexf

sys.path.insert(0, str(Path(__file__).resolve().parent))
from view_payloads import payload_graph

xmlschema = pytest.importorskip("xmlschema")

ROOT = Path(__file__).resolve().parents[1]
XSD = ROOT / "tests" / "fixtures" / "gexf-1.3" / "gexf.xsd"
DATA = ROOT / "data" / "nagorno_karabakh"
NS = {"g": "http://gexf.net/1.3"}


@pytest.fixture(scope="module")
def schema():
    return xmlschema.XMLSchema(str(XSD))


@pytest.fixture(scope="module")
def karabakh():
    return graphkit.load(DATA)


@pytest.fixture
def small(small_frames):
    return graphkit.TemporalGraph.from_frames(*small_frames, metadata={"title": "Small"})


def assert_same_tables(a, b):
    pd.testing.assert_frame_equal(a.entities, b.entities)
    pd.testing.assert_frame_equal(a.relations, b.relations)


def edges_by_id(path: Path) -> dict[str, ET.Element]:
    root = ET.parse(path).getroot()
    return {e.get("id"): e for e in root.iterfind("g:graph/g:edges/g:edge", NS)}


# ------------------------------------------------------------------------ schema


@pytest.mark.parametrize("dynamic", [True, False])
@pytest.mark.parametrize("graph", ["karabakh", "small", "payloads"])
def test_gexf_validates_against_the_gexf_13_schema(schema, karabakh, small, tmp_path, graph,
                                                   dynamic):
    tg = {"karabakh": karabakh, "small": small, "payloads": payload_graph()}[graph]
    path = write_gexf(tg, tmp_path / "g.gexf", dynamic=dynamic)
    schema.validate(str(path))


def test_the_schema_rejects_a_broken_file(schema, small, tmp_path):
    """The validation above can fail: a partial date in a spell is not a GEXF time."""
    path = write_gexf(small, tmp_path / "g.gexf")
    text = path.read_text(encoding="utf-8").replace('start="2023-09-01"', 'start="2023-09"', 1)
    assert text != path.read_text(encoding="utf-8")
    assert not schema.is_valid(text)


# ------------------------------------------------------------------ round trips


def test_networkx_reads_every_relation_with_its_attributes(karabakh, tmp_path):
    path = write_gexf(karabakh, tmp_path / "k.gexf")
    G = nx.read_gexf(path)
    assert isinstance(G, nx.MultiDiGraph)
    found: dict[str, list] = {}
    for u, v, key, data in G.edges(keys=True, data=True):
        found.setdefault(key, []).append((u, v, data))
    rel = karabakh.relations
    assert sorted(found) == sorted(str(i) for i in rel["id"])
    columns = [c for c in rel.columns
               if c not in ("id", "source", "target", "t_start", "t_end")]
    for _, row in rel.iterrows():
        rel_id = row["id"]
        copies = found[str(rel_id)]
        # an undirected relation is a "mutual" edge: networkx reads one edge each way
        assert len(copies) == (1 if row["directed"] else 2)
        assert {(u, v) for u, v, _ in copies} >= {(row["source"], row["target"])}
        data = copies[0][2]
        for column in columns:
            assert data[column] == row[column], (rel_id, column)
        assert data["id"] == str(rel_id)  # networkx sets the edge id over the attribute

        assert type(data["weight"]) is float and type(data["sign"]) is int
        assert type(data["directed"]) is bool
        assert data["label"] == row["type"]
    for node, data in G.nodes(data=True):
        entity = karabakh.entities.set_index("id").loc[node]
        assert data["label"] == entity["name"]
        assert data["type"] == entity["type"] and data["aliases"] == entity["aliases"]


@pytest.mark.parametrize("graph", ["karabakh", "small"])
def test_load_gives_the_same_tables(karabakh, small, tmp_path, graph):
    tg = karabakh if graph == "karabakh" else small
    path = write_gexf(tg, tmp_path / "g.gexf")
    again = graphkit.load(path)
    assert_same_tables(tg, again)
    assert again.metadata["title"] == tg.metadata["title"]
    # and writing what was read gives the same file
    assert write_gexf(again, tmp_path / "h.gexf").read_bytes() == path.read_bytes()


def test_load_keeps_custom_types_and_relation_ids(tmp_path):
    tg = payload_graph()  # custom relation types, string relation ids, payload text
    again = graphkit.load(write_gexf(tg, tmp_path / "p.gexf"))
    pd.testing.assert_frame_equal(again.entities, tg.entities)
    pd.testing.assert_frame_equal(again.relations, tg.relations.reset_index(drop=True))
    for name in tg.relations["type"].unique():
        ours, theirs = tg.vocabulary[name], again.vocabulary[name]
        assert (theirs.sign, theirs.weight, theirs.durable) == \
            (ours.sign, ours.weight, ours.durable)


def test_a_window_round_trips_with_its_relation_ids(karabakh, tmp_path):
    window = karabakh.window("2023-09-01", "2023-10-01")
    again = graphkit.load(write_gexf(window, tmp_path / "w.gexf"))
    assert again.relations["id"].tolist() == window.relations["id"].tolist()
    pd.testing.assert_frame_equal(again.relations.reset_index(drop=True),
                                  window.relations.reset_index(drop=True))


# ---------------------------------------------------------------------- content


def test_spells_cover_partial_dates_at_their_precision(small, tmp_path):
    edges = edges_by_id(write_gexf(small, tmp_path / "s.gexf"))
    rel = small.relations

    def spell(i):
        s = edges[str(i)].find("g:spells/g:spell", NS)
        return s.get("start"), s.get("end")

    kinds = dict(zip(rel["start"] + "|" + rel["end"] + "|" + rel["type"], rel["id"],
                     strict=True))
    assert spell(kinds["2023-09||criticism"]) == ("2023-09-01", "2023-09-30")   # a month
    assert spell(kinds["2002-10-07||membership"]) == ("2002-10-07", None)       # ongoing
    assert spell(kinds["2023-09-19|2023-09-20|military_action"]) == ("2023-09-19",
                                                                     "2023-09-20")
    assert spell(kinds["2023-09-25||aid"]) == ("2023-09-25", "2023-09-25")      # one day
    assert spell(kinds["2020-11||peacekeeping"]) == ("2020-11-01", None)


def test_parallel_relations_are_separate_edges_with_ids(small, tmp_path):
    rel = small.relations
    edges = edges_by_id(write_gexf(small, tmp_path / "p.gexf"))
    pair = rel[(rel["source"] == "RUS") & (rel["target"] == "ARM")]
    assert len(pair) == 2
    for _, row in pair.iterrows():
        edge = edges[str(row["id"])]
        assert (edge.get("source"), edge.get("target")) == ("RUS", "ARM")
        assert edge.get("kind") == edge.get("label") == row["type"]


def test_attributes_are_typed(tmp_path, small_frames):
    entities, relations = small_frames
    entities = entities.assign(population=[3, 10, 144, 6, 333], member=[True] * 5)
    relations = relations.assign(score=np.linspace(0, 1, len(relations)),
                                 gap=[np.nan] + [1.5] * (len(relations) - 1))
    tg = graphkit.TemporalGraph.from_frames(entities, relations)
    root = ET.parse(write_gexf(tg, tmp_path / "t.gexf")).getroot()
    declared = {(block.get("class"), a.get("title")): a.get("type")
                for block in root.iterfind("g:graph/g:attributes", NS)
                for a in block.iterfind("g:attribute", NS)}
    assert declared == {
        ("node", "type"): "string", ("node", "aliases"): "string",
        ("node", "region"): "string", ("node", "population"): "long",
        ("node", "member"): "boolean",
        ("edge", "id"): "long", ("edge", "durable"): "boolean",
        ("edge", "type"): "string", ("edge", "start"): "string", ("edge", "end"): "string",
        ("edge", "weight"): "double", ("edge", "sign"): "integer",
        ("edge", "directed"): "boolean", ("edge", "confidence"): "double",
        ("edge", "quad_class"): "integer", ("edge", "evidence"): "string",
        ("edge", "source_ref"): "string", ("edge", "via"): "string",
        ("edge", "score"): "double", ("edge", "gap"): "double",
        ("edge", "signed_weight"): "double",
    }
    again = graphkit.load(tmp_path / "t.gexf")
    assert_same_tables(tg, again)   # the NaN gap was left out and reads back as NaN


def test_static_mode_has_no_spells(small, tmp_path, schema):
    path = write_gexf(small.at("2023-09-25"), tmp_path / "static.gexf", dynamic=False)
    root = ET.parse(path).getroot()
    graph = root.find("g:graph", NS)
    assert graph.get("mode") == "static" and graph.get("timeformat") is None
    assert root.find(".//g:spells", NS) is None
    assert len(graph.findall("g:edges/g:edge", NS)) == len(small.at("2023-09-25").relations)
    pd.testing.assert_frame_equal(graphkit.load(path).relations.reset_index(drop=True),
                                  small.at("2023-09-25").relations.reset_index(drop=True))


def test_entity_existence_dates_become_node_spells(small_frames, tmp_path):
    entities, relations = small_frames
    entities = entities.assign(start=["1991-09", "1991", "", "2002-10-07", ""],
                               end=["", "", "", "", "2030"])
    tg = graphkit.TemporalGraph.from_frames(entities, relations)
    root = ET.parse(write_gexf(tg, tmp_path / "e.gexf")).getroot()
    spells = {}
    for node in root.iterfind("g:graph/g:nodes/g:node", NS):
        s = node.find("g:spells/g:spell", NS)
        spells[node.get("id")] = None if s is None else (s.get("start"), s.get("end"))
    assert spells == {"ARM": ("1991-09-01", None), "AZE": ("1991-01-01", None), "RUS": None,
                      "CSTO": ("2002-10-07", None), "USA": (None, "2030-12-31")}


def test_text_keeps_newlines_and_replaces_what_xml_cannot_hold(small_frames, tmp_path):
    entities, relations = small_frames
    relations = relations.assign(evidence=["line one\nline two\ttab"] + ["bell \x07"] * 7)
    tg = graphkit.TemporalGraph.from_frames(entities, relations)
    again = graphkit.load(write_gexf(tg, tmp_path / "x.gexf"))
    assert again.relations["evidence"].iloc[0] == "line one\nline two\ttab"
    assert again.relations["evidence"].iloc[1] == "bell \ufffd"


def test_undirected_only_graph_declares_undirected_edges(small_frames, tmp_path):
    entities, relations = small_frames
    tg = graphkit.TemporalGraph.from_frames(entities, relations.assign(directed="false"))
    path = write_gexf(tg, tmp_path / "u.gexf")
    graph = ET.parse(path).getroot().find("g:graph", NS)
    assert graph.get("defaultedgetype") == "undirected"
    assert graph.find("g:edges/g:edge[@type]", NS) is None
    assert nx.read_gexf(path).number_of_edges() == len(tg.relations)
    assert_same_tables(tg, graphkit.load(path))


def test_a_failed_write_leaves_the_old_file(small, tmp_path, monkeypatch):
    path = write_gexf(small, tmp_path / "keep.gexf")
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(ET.ElementTree, "write", fail)
    with pytest.raises(OSError, match="disk full"):
        write_gexf(small.at("2023-09-25"), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["keep.gexf"]


# ---------------------------------------------------------------------- reading


def test_problems_in_a_gexf_are_located(small, tmp_path):
    path = write_gexf(small, tmp_path / "bad.gexf")
    text = path.read_text(encoding="utf-8")
    text = text.replace('value="2023-09-19"', 'value="2023-02-30"', 1)     # edge start
    text = text.replace('<attvalue for="0" value="organisation"',
                        '<attvalue for="0" value=""', 1)                    # node type
    text = text.replace('<attvalue for="5" value="0" />',
                        '<attvalue for="5" value="zero" />', 1)             # integer sign
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        graphkit.load(path)
    problems = err.value.problems
    where = {(f.split("#")[-1], r, c) for f, r, c in
             zip(problems["file"], problems["row"], problems["column"], strict=True)}
    position = list(small.relations.index).index(
        small.relations.index[small.relations["start"] == "2023-09-19"][0]) + 1
    assert ("edges", position, "start") in where
    assert ("nodes", 4, "type") in where
    assert ("edges", 1, "sign") in where
    assert "impossible date" in " ".join(problems["reason"])


@pytest.mark.parametrize("text, reason", [
    ("<gexf><graph", "not well-formed XML"),
    ('<?xml version="1.0"?><graphml/>', "not a GEXF file"),
])
def test_a_file_that_is_not_gexf_is_a_problem(tmp_path, text, reason):
    path = tmp_path / "x.gexf"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError, match=reason):
        graphkit.load(path)


def test_a_gexf_from_another_tool_loads_from_its_spells(tmp_path):
    """Relations without start/end attributes take them from their spells."""
    path = tmp_path / "gephi.gexf"
    path.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" version="1.3">
 <graph mode="dynamic" timeformat="date" defaultedgetype="directed">
  <attributes class="node"><attribute id="t" title="type" type="string"/></attributes>
  <attributes class="edge"><attribute id="r" title="type" type="string"/></attributes>
  <nodes>
   <node id="A" label="Alpha"><attvalues><attvalue for="t" value="state"/></attvalues></node>
   <node id="B" label="Beta"><attvalues><attvalue for="t" value="state"/></attvalues></node>
  </nodes>
  <edges>
   <edge id="e1" source="A" target="B"><attvalues><attvalue for="r" value="alliance"/>
    </attvalues><spells><spell start="2020-01-01" end="2021-06-30"/></spells></edge>
  </edges>
 </graph>
</gexf>""", encoding="utf-8")
    tg = graphkit.load(path)
    row = tg.relations.iloc[0]
    assert (row["start"], row["end"], row["type"]) == ("2020-01-01", "2021-06-30", "alliance")
    assert tg.relations["id"].tolist() == ["e1"]
    assert tg.entities["name"].tolist() == ["Alpha", "Beta"]
    assert set(model.RELATION_COLUMNS) <= set(tg.relations.columns)
