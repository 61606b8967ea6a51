"""TemporalGraph.from_networkx: round trip with to_networkx, validation located in the graph."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import graphkit
from graphkit import TemporalGraph, ValidationError

DATA = Path(__file__).resolve().parents[1] / "data" / "nagorno_karabakh"


def assert_same_tables(a, b):
    pd.testing.assert_frame_equal(a.entities, b.entities)
    pd.testing.assert_frame_equal(a.relations, b.relations)


def test_to_networkx_then_from_networkx_gives_the_same_tables(small_frames):
    tg = TemporalGraph.from_frames(*small_frames)
    assert_same_tables(tg, TemporalGraph.from_networkx(tg.to_networkx(aggregate=False)))


def test_round_trip_of_the_bundled_data_and_a_window():
    tg = graphkit.load(DATA)
    assert_same_tables(tg, TemporalGraph.from_networkx(tg.to_networkx(aggregate=False)))
    window = tg.window("2023-09-01", "2023-10-01")
    again = TemporalGraph.from_networkx(window.to_networkx(aggregate=False))
    pd.testing.assert_frame_equal(again.relations, window.relations)   # ids kept


def test_plain_graph_with_own_attribute_names_and_dates():
    G = nx.Graph(title="Plain")
    G.add_node(1, label="One", kind="state")
    G.add_node(2, label="Two", kind="state")
    G.add_node(3, label="Three")
    G.add_edge(1, 2, rel="alliance", begin=dt.date(2020, 5, 1), until=pd.Timestamp("2021-01"))
    G.add_edge(2, 3, rel="criticism", begin="2023-09", note="said so")
    tg = TemporalGraph.from_networkx(G, start="begin", end="until", type="rel", name="label",
                                     entity_type="kind", default_entity_type="group")
    assert tg.entities[["id", "name", "type"]].values.tolist() == [
        ["1", "One", "state"], ["2", "Two", "state"], ["3", "Three", "group"]]
    rel = tg.relations
    assert rel[["source", "target", "type", "start", "end"]].values.tolist() == [
        ["1", "2", "alliance", "2020-05-01", "2021-01-01"],
        ["2", "3", "criticism", "2023-09", ""]]
    assert not rel["directed"].any()            # edges of an undirected graph
    assert rel["note"].tolist()[1] == "said so"  # other attributes are extra columns
    assert isinstance(rel.index, pd.RangeIndex)
    assert tg.metadata == {"title": "Plain"}


def test_unique_string_keys_become_relation_ids():
    G = nx.MultiDiGraph()
    G.add_nodes_from(["A", "B"], type="state")
    G.add_edge("A", "B", key="r1", type="criticism", start="2023-09-01")
    G.add_edge("A", "B", key="r2", type="criticism", start="2023-09-02")
    relations = TemporalGraph.from_networkx(G).relations
    assert relations["id"].tolist() == ["r1", "r2"]
    assert isinstance(relations.index, pd.RangeIndex)


def test_problems_name_the_node_edge_and_attribute():
    G = nx.MultiDiGraph()
    G.add_node("ARM", type="state")
    G.add_node("XX")                                               # no entity type
    G.add_edge("ARM", "XX", type="criticism", begin="2023-02-30")  # impossible date
    G.add_edge("XX", "ARM", type="hugging", begin="2023")          # unknown type
    G.add_edge("ARM", "XX", type="criticism", begin="2023", weight="heavy")
    with pytest.raises(ValidationError) as err:
        TemporalGraph.from_networkx(G, start="begin")
    problems = err.value.problems
    found = set(zip(problems["file"], problems["column"], strict=True))
    assert found == {
        ("node 'XX'", "type"),
        ("edge 'ARM' -> 'XX' key 0", "begin"),
        ("edge 'XX' -> 'ARM' key 0", "type"),
        ("edge 'ARM' -> 'XX' key 1", "weight"),
    }
    text = str(err.value)
    assert "edge 'ARM' -> 'XX' key 0: column 'begin': value '2023-02-30': impossible date" \
        in text


def test_missing_attribute_everywhere_is_one_problem():
    G = nx.DiGraph()
    G.add_nodes_from(["A", "B"], type="state")
    G.add_edge("A", "B", start="2023")
    with pytest.raises(ValidationError) as err:
        TemporalGraph.from_networkx(G)
    assert err.value.problems[["file", "column"]].values.tolist() == [
        ["edge 'A' -> 'B'", "type"]]
