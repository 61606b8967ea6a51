"""graphkit.views.to_pyvis without a browser: content, styles and inert text."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import graphkit
from graphkit.views import to_pyvis
from graphkit.views.network import ENTITY_COLORS, ENTITY_SHAPES
from graphkit.views.pyvis import SIGN_STYLES, node_id

sys.path.insert(0, str(Path(__file__).resolve().parent))
from view_payloads import PAYLOADS, TITLE, payload_graph


@pytest.fixture
def small(small_frames):
    return graphkit.TemporalGraph.from_frames(*small_frames, metadata={"title": "Small"})


def test_every_relation_is_an_edge_parallel_ones_curved_apart(small):
    net = to_pyvis(small)
    assert len(net.nodes) == len(small.entities)
    assert [e["id"] for e in net.edges] == [str(i) for i in small.relations["id"]]
    pair = [e for e in net.edges if {e["from"], e["to"]} == {"RUS", "ARM"}]
    assert len(pair) == 4   # both directions: each its own curve
    assert sorted(e["smooth"]["roundness"] for e in pair) == [0.0, 0.15, 0.3, 0.45]


def test_styles_follow_graphkit(small):
    net = to_pyvis(small)
    nodes = {n["id"]: n for n in net.nodes}
    assert nodes["CSTO"]["shape"] == ENTITY_SHAPES["organisation"]
    assert nodes["ARM"]["group"] == "state" and nodes["ARM"]["label"] == "Armenia"
    # pyvis gives grouped nodes their group's colour
    assert nodes["CSTO"]["group"] == "organisation" and "color" not in nodes["CSTO"]
    assert net.options.groups["organisation"] == {"shape": ENTITY_SHAPES["organisation"],
                                                  "color": ENTITY_COLORS["organisation"]}
    for edge, (_, row) in zip(net.edges, small.relations.iterrows(), strict=True):
        assert edge["color"] == SIGN_STYLES[int(row["sign"])]["color"]
        assert edge["arrows"] == ("to" if row["directed"] else "")
    physics = net.options.physics
    assert physics.enabled and physics.stabilization.enabled
    assert physics.stabilization.iterations <= 1000 and physics.minVelocity >= 1.0


def test_time_selection(small):
    assert len(to_pyvis(small, at="2023-09-25").edges) == len(small.at("2023-09-25").relations)
    window = small.window("2023-09-01", "2023-10-01")
    assert len(to_pyvis(small, start="2023-09-01", end="2023-10-01").edges) == \
        len(window.relations)
    with pytest.raises(ValueError, match="not both"):
        to_pyvis(small, at="2023-09-25", start="2023-09-01", end="2023-10-01")
    with pytest.raises(ValueError, match="both `start` and `end`"):
        to_pyvis(small, start="2023-09-01")


def test_ids_titles_and_heading_are_inert_in_the_html():
    tg = payload_graph()
    net = to_pyvis(tg, heading=TITLE, select_menu=True, filter_menu=True)
    page = net.generate_html()
    for payload in [*PAYLOADS, TITLE]:
        if any(c in payload for c in "<>"):
            assert payload not in page
    ids = [n["id"] for n in net.nodes]
    assert len(set(ids)) == len(ids)
    assert not any(c in i for i in ids for c in "<>&\"'")
    assert node_id('a%<b>&"\'') == "a%25%3Cb%3E%26%22%27"
    assert node_id("ARM") == "ARM"
