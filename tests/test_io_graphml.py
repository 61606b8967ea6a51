"""GraphML: a snapshot or window with typed keys, read back by networkx."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import networkx as nx
import numpy as np
import pytest

import graphkit
from graphkit.io import write_graphml

NS = {"g": "http://graphml.graphdrawing.org/xmlns"}


@pytest.fixture
def small(small_frames):
    return graphkit.TemporalGraph.from_frames(*small_frames, metadata={"title": "Small"})


def test_networkx_reads_every_relation_of_a_window(small, tmp_path):
    window = small.window("2023-09-01", "2023-10-01")
    G = nx.read_graphml(write_graphml(window, tmp_path / "w.graphml"))
    assert isinstance(G, nx.MultiDiGraph)
    assert G.number_of_nodes() == len(small.entities)   # every entity, related or not
    assert G.number_of_edges() == len(window.relations)
    assert G.graph["title"] == "Small"
    edges = {str(k): (u, v, d) for u, v, k, d in G.edges(keys=True, data=True)}
    assert sorted(edges) == sorted(str(i) for i in window.relations["id"])
    for _, row in window.relations.iterrows():
        rel_id = row["id"]
        u, v, data = edges[str(rel_id)]
        assert (u, v) == (row["source"], row["target"])
        for column in ("id", "type", "start", "end", "weight", "sign", "directed", "confidence",
                       "quad_class", "evidence", "source_ref", "via", "signed_weight"):
            assert data[column] == row[column], (rel_id, column)
    criticism = next(d for _, _, d in edges.values() if d["type"] == "criticism"
                     and d["start"] == "2023-09")
    assert criticism["end"] == ""        # the month stays a month: dates keep their precision
    assert G.nodes["RUS"]["aliases"] == "Moscow;Kremlin"


def test_keys_are_typed(small, tmp_path):
    root = ET.parse(write_graphml(small.at("2023-09-25"), tmp_path / "s.graphml")).getroot()
    types = {(k.get("for"), k.get("attr.name")): k.get("attr.type")
             for k in root.iterfind("g:key", NS)}
    assert types[("edge", "weight")] == "double"
    assert types[("edge", "sign")] in ("int", "long")
    assert types[("edge", "directed")] == "boolean"
    assert types[("edge", "start")] == "string"
    assert types[("node", "name")] == "string"
    assert ("edge", "t_start") not in types and ("edge", "source") not in types


def test_a_snapshot_holds_the_relations_of_its_day(small, tmp_path):
    snapshot = small.at("2023-09-25")
    G = nx.read_graphml(write_graphml(snapshot, tmp_path / "d.graphml"))
    assert G.number_of_edges() == small.snapshot("2023-09-25").number_of_edges()


def test_missing_values_are_left_out_and_extras_keep_one_type(small_frames, tmp_path):
    entities, relations = small_frames
    relations = relations.assign(score=[np.nan, *range(1, len(relations))],
                                 flag=[True, False] * (len(relations) // 2))
    tg = graphkit.TemporalGraph.from_frames(entities, relations)
    G = nx.read_graphml(write_graphml(tg, tmp_path / "m.graphml"))
    scores = {k: d.get("score") for _, _, k, d in G.edges(keys=True, data=True)}
    first, second = tg.relations["id"].iloc[:2]
    assert scores[first] is None and scores[second] == 1
    assert {type(d["flag"]) for _, _, d in G.edges(data=True)} == {bool}
