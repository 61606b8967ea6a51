"""``graphkit export gexf|graphml``: views, static mode, exit codes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import graphkit
from graphkit.cli import main

DATA = str(Path(__file__).resolve().parents[1] / "data" / "nagorno_karabakh")
NS = {"g": "http://gexf.net/1.3"}


@pytest.fixture(scope="module")
def karabakh():
    return graphkit.load(DATA)


def test_export_gexf_of_everything_loads_back(karabakh, tmp_path, capsys):
    out = tmp_path / "k.gexf"
    assert main(["export", "gexf", DATA, "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == \
        f"wrote {out}: gexf, 20 entities, {len(karabakh.relations)} relations"
    again = graphkit.load(out)
    pd.testing.assert_frame_equal(again.relations, karabakh.relations)
    assert ET.parse(out).getroot().find("g:graph", NS).get("mode") == "dynamic"


def test_export_gexf_window_and_static(karabakh, tmp_path):
    out = tmp_path / "w.gexf"
    assert main(["export", "gexf", DATA, "--start", "2023-09-01", "--end", "2023-10-01",
                 "--static", "-o", str(out)]) == 0
    graph = ET.parse(out).getroot().find("g:graph", NS)
    assert graph.get("mode") == "static"
    window = karabakh.window("2023-09-01", "2023-10-01")
    assert [e.get("id") for e in graph.iterfind("g:edges/g:edge", NS)] == \
        [str(i) for i in window.relations["id"]]


def test_export_graphml_snapshot(karabakh, tmp_path):
    out = tmp_path / "s.graphml"
    assert main(["export", "graphml", DATA, "--at", "2023-09-25", "-o", str(out)]) == 0
    G = nx.read_graphml(out)
    assert G.number_of_edges() == len(karabakh.at("2023-09-25").relations)


@pytest.mark.parametrize("args", [
    ["export", "graphml", DATA, "--static", "-o", "x.graphml"],
    ["export", "gexf", DATA, "--start", "2023-09-01", "-o", "x.gexf"],
])
def test_usage_errors_exit_2(args, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    assert "error:" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [
    ["export", "pajek", DATA, "-o", "x"],
    ["export", "gexf", DATA, "--at", "2023-13", "-o", "x.gexf"],
    ["export", "gexf", DATA],
])
def test_bad_arguments_exit_2(args):
    with pytest.raises(SystemExit) as err:
        main(args)
    assert err.value.code == 2


def test_problems_in_the_input_exit_1(tmp_path, capsys):
    bad = tmp_path / "bad.gexf"
    bad.write_text("<gexf", encoding="utf-8")
    assert main(["export", "graphml", str(bad), "-o", str(tmp_path / "x.graphml")]) == 1
    assert "not well-formed XML" in capsys.readouterr().err
    assert not (tmp_path / "x.graphml").exists()
