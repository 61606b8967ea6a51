"""HTML views without a browser: determinism, self-containment, escaping, API and CLI."""

from __future__ import annotations

import base64
import hashlib
import html
import importlib
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import graphkit
from graphkit import views
from graphkit.cli import main
from graphkit.views import page

sys.path.insert(0, str(Path(__file__).resolve().parent))
from view_payloads import PAYLOADS, TITLE, payload_graph

network_module = importlib.import_module("graphkit.views.network")
DATA = Path(__file__).resolve().parents[1] / "data" / "nagorno_karabakh"


@pytest.fixture(scope="module")
def karabakh():
    return graphkit.load(DATA)


@pytest.fixture(scope="module")
def small(small_frames_module):
    return graphkit.TemporalGraph.from_frames(*small_frames_module)


@pytest.fixture(scope="module")
def small_frames_module():
    entities = pd.DataFrame({
        "id": ["ARM", "AZE", "RUS", "CSTO"],
        "name": ["Armenia", "Azerbaijan", "Russia", "CSTO"],
        "type": ["state", "state", "state", "organisation"],
        "aliases": ["Yerevan", "Baku", "Moscow;Kremlin;Moscow: Kremlin", ""],
    })
    relations = pd.DataFrame({
        "source": ["ARM", "ARM", "RUS", "Baku", "ARM", "RUS"],
        "target": ["CSTO", "RUS", "ARM", "ARM", "kremlin", "ARM"],
        "type": ["membership", "alliance", "peacekeeping", "military_action", "criticism",
                 "criticism"],
        "start": ["2002-10-07", "1997-08-29", "2020-11", "2023-09-19", "2023-09",
                  "2023-09-25"],
        "end": ["", "", "", "2023-09-20", "", ""],
    })
    return entities, relations


class Scripts(HTMLParser):
    """Every <script> element of a page: attributes and text."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.scripts: list[tuple[dict, str]] = []
        self.tags: list[tuple[str, dict]] = []
        self._open: dict | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._open, self._text = dict(attrs), []

    def handle_data(self, data):
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._open is not None:
            self.scripts.append((self._open, "".join(self._text)))
            self._open = None


def parse(page: str) -> Scripts:
    parser = Scripts()
    parser.feed(page)
    parser.close()
    return parser


def data_of(page: str) -> dict:
    (script,) = [text for attrs, text in parse(page).scripts
                 if attrs.get("id") in ("graphkit-data", "graphkit-figure")]
    return json.loads(script)


# ------------------------------------------------------------------------ page rules


def test_same_input_gives_identical_bytes(karabakh):
    assert views.network(karabakh).html == views.network(karabakh).html
    assert views.network(karabakh, layout="python").html == \
        views.network(karabakh, layout="python").html
    a = views.timeline(karabakh, [("ARM", "RUS")], half_life="90D").html
    assert a == views.timeline(karabakh, [("ARM", "RUS")], half_life="90D").html


def test_page_is_self_contained(karabakh):
    for html_page in (views.network(karabakh).html,
                      views.timeline(karabakh, [("ARM", "AZE")]).html):
        tags = parse(html_page).tags
        # nothing is loaded from anywhere: no src/href attributes at all, no <link>
        assert [t for t, attrs in tags if "src" in attrs or "href" in attrs] == []
        assert [t for t, _ in tags if t in ("link", "iframe", "object", "embed")] == []
        assert "sourceMappingURL" not in html_page
        assert not re.search(r"@import|url\(\s*['\"]?https?:", html_page)


def test_csp_allows_exactly_the_inline_scripts(karabakh):
    page = views.network(karabakh).html
    (csp,) = [a["content"] for t, a in parse(page).tags
              if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp
    assert "unsafe-eval" not in csp and "unsafe-inline" not in csp
    executable = [text for attrs, text in parse(page).scripts if "type" not in attrs]
    assert len(executable) == 2
    styles = re.findall(r"<style>(.*?)</style>", page, flags=re.DOTALL)
    assert len(styles) == 2
    for text in executable + styles:
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_payloads_stay_inside_the_json(tmp_path):
    tg = payload_graph()
    page = views.network(tg).html
    scripts = parse(page).scripts
    assert [a.get("id") for a, _ in scripts] == ["graphkit-data", None, None]
    for payload in [*PAYLOADS, TITLE]:       # markup never appears raw
        if "<" in payload or "\u2028" in payload:
            assert payload not in page
    assert "\u2028" not in page.split('id="graphkit-data">')[1].split("</script>")[0]
    data = data_of(page)
    assert data["title"] == TITLE
    assert data["entities"]["id"] == tg.entities["id"].tolist()
    assert data["entities"]["extras"]["names"] == PAYLOADS[:2]
    assert data["relations"]["id"] == tg.relations["id"].tolist()
    assert data["relations"]["evidence"] == tg.relations["evidence"].tolist()
    assert {t["name"] for t in data["relationTypes"]} == set(tg.relations["type"])


def test_script_json_escapes():
    text = page.script_json({"a": "</script><!--&\u2028\u2029", "b": "\ud800"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"a": "</script><!--&\u2028\u2029", "b": "\ufffd"}


def test_vis_network_is_the_pinned_copy():
    js, css = page.vis_network_assets()
    assert "@version 9.1.2" in js[:1000] and "Apache" in js[:1000] and "MIT" in js[:1000]
    assert "sourceMappingURL" not in js + css
    assert "innerHTML" not in js        # titles given as text are set with innerText


def test_save_is_atomic_and_writes_one_file(karabakh, tmp_path):
    view = views.network(karabakh)
    target = view.save(tmp_path / "out" / "view.html")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["view.html"]
    assert target.read_text(encoding="utf-8") == view.html


def test_repr_html_is_a_sandboxed_iframe(karabakh):
    view = views.network(karabakh)
    frame = view._repr_html_()
    assert frame.startswith("<div") and "<iframe srcdoc=\"" in frame
    assert 'sandbox="allow-scripts allow-downloads"' in frame
    assert "allow-same-origin" not in frame
    srcdoc = re.search(r'<iframe srcdoc="([^"]*)"', frame).group(1)
    assert html.unescape(srcdoc) == view.html
    chart = views.timeline(karabakh, [("ARM", "RUS")])
    assert "<iframe srcdoc=" in chart._repr_html_()
    payload = views.network(payload_graph())._repr_html_()
    assert "<script" not in payload.split("<iframe")[0] and "<b>" not in payload.split("<iframe")[0]


# -------------------------------------------------------------------- network payload


def test_payload_dates_match_temporal_graph(small):
    data = network_module.network_payload(small, at="2023-09-19")
    rel = data["relations"]
    day = (pd.Timestamp("2023-09-19") - pd.Timestamp("1970-01-01")).days
    active = [rid for rid, ts, te in zip(rel["id"], rel["ts"], rel["te"], strict=True)
              if ts <= day and (te is None or day < te)]
    assert active == small.at("2023-09-19").relations["id"].tolist()
    assert data["initial"] == {"mode": "asof", "at": day, "start": data["domain"][0],
                               "end": data["domain"][1] + 1}
    # ongoing relations have no end, and the slider does not reach today
    assert rel["te"][0] is None
    assert data["domain"][1] == (pd.Timestamp("2023-09-30") - pd.Timestamp("1970-01-01")).days


def test_range_and_argument_checks(small):
    data = network_module.network_payload(small, start="2023-09", end="2023-10")
    assert data["initial"]["mode"] == "range"
    # switching to "as of" lands on the range's last day, inside what the slider shows
    assert data["initial"]["at"] == data["initial"]["end"] - 1
    spanned = network_module.network_payload(small, start="2023-09-10", end="2023-09-12",
                                             span=("2023-09-01", "2023-09-20"))
    assert spanned["span"][0] <= spanned["initial"]["at"] <= spanned["span"][1]
    with pytest.raises(ValueError, match="either"):
        views.network(small, at="2023-09-01", start="2023-09")
    with pytest.raises(ValueError, match="both"):
        views.network(small, start="2023-09")
    with pytest.raises(ValueError, match="not after"):
        views.network(small, start="2023-10", end="2023-09")
    with pytest.raises(ValueError, match="layout"):
        views.network(small, layout="spring")


def test_entity_shapes_and_relation_types(small):
    data = network_module.network_payload(small)
    shapes = {t["name"]: t["shape"] for t in data["entityTypes"]}
    assert shapes == {"state": "dot", "organisation": "square"}
    types = {t["name"]: t for t in data["relationTypes"]}
    assert types["criticism"]["count"] == 2 and types["criticism"]["sign"] == -1
    assert data["relations"]["directed"] == small.relations["directed"].tolist()


def test_aggregate_counts_pairs(small):
    view = views.network(small, aggregate=True)
    assert view.edges == 3                      # ARM-CSTO, ARM-RUS, ARM-AZE
    assert views.network(small).edges == len(small.relations)


def test_layout_choice(small, monkeypatch):
    assert views.network(small).layout == "physics"
    monkeypatch.setattr(network_module, "PHYSICS_MAX_NODES", 3)
    view = views.network(small)
    assert view.layout == "fixed"
    data = data_of(view.html)
    assert len(data["entities"]["x"]) == len(small.entities)
    given = {"ARM": (0, 0), "AZE": (100, 0), "RUS": (0, 100), "CSTO": (50, 50)}
    data = data_of(views.network(small, layout=given).html)
    assert data["entities"]["x"] == [0.0, 100.0, 0.0, 50.0]
    with pytest.raises(ValueError, match="no position"):
        views.network(small, layout={"ARM": (0, 0)})


def test_pivot_mds_layout_is_seeded_and_spreads_nodes():
    rng = np.random.default_rng(0)
    n = 400
    a = rng.integers(0, n, 1200)
    b = (a + rng.integers(1, n, 1200)) % n
    nodes = [f"n{i}" for i in range(n)] + ["alone"]
    src, dst = [f"n{i}" for i in a], [f"n{i}" for i in b]
    first = views.pivot_mds_layout(nodes, src, dst, seed=2)
    assert first.equals(views.pivot_mds_layout(nodes, src, dst, seed=2))
    assert np.isfinite(first.to_numpy()).all()
    from scipy.spatial import cKDTree

    distance, _ = cKDTree(first.to_numpy()).query(first.to_numpy(), k=2)
    assert np.median(distance[:, 1]) > 40       # nodes do not pile up
    assert views.pivot_mds_layout([], [], []).empty
    with pytest.raises(ValueError):
        views.pivot_mds_layout(["a"], ["a"], ["b"])


# --------------------------------------------------------------------------- charts


def test_parse_dyad(small):
    assert views.parse_dyad(small, "yerevan:KREMLIN") == ("ARM", "RUS")
    assert views.parse_dyad(small, ("Baku", "ARM")) == ("AZE", "ARM")
    assert views.parse_dyad(small, "ARM:Moscow: Kremlin") == ("ARM", "RUS")
    with pytest.raises(KeyError, match="Atlantis"):
        views.parse_dyad(small, "ARM:Atlantis")
    with pytest.raises(ValueError, match="same entity"):
        views.parse_dyad(small, "ARM:Yerevan")
    with pytest.raises(ValueError, match="A:B"):
        views.parse_dyad(small, "ARM")


def test_timeline_scores_come_from_metrics(small):
    from graphkit.analysis import metrics

    view = views.timeline(small, ["ARM:RUS"], freq="M")
    expected = metrics.dyad_scores(small, "M", directed=False)
    expected = expected[(expected.source == "ARM") & (expected.target == "RUS")]
    got = view.scores[view.scores["count"] > 0]
    assert got["score"].tolist() == pytest.approx(expected["score"].tolist())
    assert got["level"].tolist() == pytest.approx(expected["level"].tolist())
    assert got["period"].astype(str).tolist() == expected["period"].astype(str).tolist()
    figure = data_of(view.html)
    assert len(figure["data"]) >= 2               # scores and the relations behind them


def test_timeline_start_and_default_title(karabakh):
    pairs = ["ARM:RUS", "ARM:USA", "ARM:AZE", "ARM:CSTO", "AZE:RUS"]
    view = views.timeline(karabakh, pairs, freq="M", start="2020-11")
    assert view.title == ("Dyad timelines: Armenia – Russia, Armenia – United States, "
                          "Armenia – Azerbaijan and 2 more")
    layout = data_of(view.html)["layout"]
    assert layout["xaxis"]["range"][0] == "2020-11-01"
    assert len(view.scores) > 0 and view.scores["period"].min() < pd.Period("2020-11", "M")
    with pytest.raises(ValueError, match="not a date"):
        views.timeline(karabakh, pairs, start="2020-13")


def test_timeline_escapes_text_for_plotly():
    tg = payload_graph()
    a, b = tg.entities["id"][0], tg.entities["id"][1]
    view = views.timeline(tg, [(a, b)], freq="D", title=TITLE)
    figure = json.dumps(data_of(view.html))
    assert "<img" not in figure and "<script" not in figure and "<svg" not in figure
    assert "&lt;img src=x" in figure
    for payload in [*PAYLOADS, TITLE]:
        if "<" in payload:
            assert payload not in view.html


def test_shift_chart_accepts_compare_tables(karabakh):
    from graphkit.analysis import shifts

    table = shifts.compare(karabakh, ("2020-11-10", "2023-07-01"), ("2023-09-01", "2023-10-01"))
    chart = views.shift_chart(table, top=5, tg=karabakh)
    bars = data_of(chart.html)["data"][0]
    top = table.reindex(table["change"].abs().sort_values(ascending=False).index).head(5)
    assert sorted(bars["x"]) == pytest.approx(sorted(top["change"]))
    minimal = pd.DataFrame({"source": ["A"], "target": ["B"], "before": [1.0],
                            "after": [0.0], "change": [-1.0]})
    assert views.shift_chart(minimal).figure.data[0].y == ("A \u2013 B",)
    with pytest.raises(ValueError, match="change"):
        views.shift_chart(minimal.drop(columns="change"))


# ------------------------------------------------------------------------------ CLI


def test_cli_view_writes_only_the_file(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["view", str(DATA), "--at", "2023-09-25", "--title", "NK", "-o",
                 "nk.html"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nk.html"]   # no lib/ folder
    data = data_of((tmp_path / "nk.html").read_text(encoding="utf-8"))
    assert data["title"] == "NK" and data["initial"]["mode"] == "asof"
    assert main(["view", str(DATA), "--start", "2023-09", "--end", "2023-10", "--aggregate",
                 "-o", "agg.html"]) == 0
    assert data_of((tmp_path / "agg.html").read_text(encoding="utf-8"))["aggregate"] is True
    assert "wrote agg.html" in capsys.readouterr().out


def test_cli_view_usage_errors(tmp_path, capsys):
    out = str(tmp_path / "x.html")
    assert main(["view", str(DATA), "--start", "2023-09", "-o", out]) == 2
    assert "--start and --end" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["view", str(DATA), "--at", "2023-02-30", "-o", out])
    assert exit_info.value.code == 2
    assert not Path(out).exists()


def test_cli_timeline(tmp_path, capsys):
    out = tmp_path / "t.html"
    assert main(["timeline", str(DATA), "--dyad", "ARM:RUS", "--dyad", "baku:yerevan",
                 "--freq", "Q", "--half-life", "90D", "-o", str(out)]) == 0
    figure = data_of(out.read_text(encoding="utf-8"))
    assert any("decayed" in trace.get("name", "") for trace in figure["data"])
    assert main(["timeline", str(DATA), "--dyad", "ARM:Atlantis", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "unknown entity or alias: Atlantis" in err and "Traceback" not in err
    with pytest.raises(SystemExit):
        main(["timeline", str(DATA), "--dyad", "ARM:RUS", "--half-life", "soon", "-o",
              str(out)])


def test_timeline_draws_the_scores_it_is_given(small):
    from graphkit.analysis import metrics

    scores = metrics.dyad_scores(small, "M", directed=False)
    doubled = scores.assign(score=scores["score"] * 2)
    plain = views.timeline(small, ["ARM:RUS"], freq="M", scores=scores)
    drawn = views.timeline(small, ["ARM:RUS"], freq="M", scores=doubled)
    assert plain.html == views.timeline(small, ["ARM:RUS"], freq="M").html
    assert drawn.scores["score"].tolist() == pytest.approx(
        (plain.scores["score"] * 2).tolist())
    with pytest.raises(ValueError, match="same freq"):
        views.timeline(small, ["ARM:RUS"], freq="Q", scores=scores)


def test_timeline_command_computes_the_scores_it_draws(small_frames_module, tmp_path,
                                                        monkeypatch):
    from graphkit.analysis import metrics

    seen = {}
    real = views.timeline

    def spy(tg, dyads, **kwargs):
        seen.update(kwargs, tg=tg)
        return real(tg, dyads, **kwargs)

    monkeypatch.setattr(views, "timeline", spy)
    folder = tmp_path / "case"
    graphkit.save(graphkit.TemporalGraph.from_frames(*small_frames_module), folder)
    out = tmp_path / "t.html"
    assert main(["timeline", str(folder), "--dyad", "ARM:RUS", "--half-life", "90D",
                 "-o", str(out)]) == 0
    expected = metrics.dyad_scores(seen["tg"], "M", half_life="90D", directed=False,
                                   fill="all")
    pd.testing.assert_frame_equal(seen["scores"], expected)
    assert out.exists()
