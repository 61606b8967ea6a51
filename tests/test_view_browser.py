"""The HTML views in a real browser: headless Chromium driven by Playwright.

Every test blocks every request whose URL is not ``file:`` (and asserts there were none),
and fails on any console error or uncaught page error. Needs Debian's Chromium at
``/usr/bin/chromium`` (``apt-get install -y chromium``); Playwright's own browser download
is not used.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import graphkit
from graphkit import views

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser import launched, playwright_api
from view_payloads import PAYLOADS, TITLE, payload_graph

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parents[1] / "data" / "nagorno_karabakh"

sync_api = playwright_api()


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def chromium():
    with launched(sync_api) as browser:
        yield browser


class Session:
    """A page with every non-file request blocked and every error collected."""

    def __init__(self, browser, path: Path, viewport=(1300, 850)):
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]}, accept_downloads=True)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda err: self.errors.append(f"pageerror: {err}"))
        self.page.goto(path.resolve().as_uri())

    def _route(self, route):
        url = route.request.url
        if url.startswith("file:"):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def _console(self, message):
        if message.type in ("error", "warning") or "Content Security Policy" in message.text:
            self.errors.append(f"console {message.type}: {message.text}")

    def wait_ready(self, hook: str = "graphkitView"):
        self.page.wait_for_function(f"() => window.{hook} && window.{hook}.ready",
                                    timeout=60_000)

    def frame(self):
        """Let requestAnimationFrame callbacks (the page's redraws) run."""
        self.page.evaluate(
            "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")

    def view(self, expression: str):
        return self.page.evaluate(f"window.graphkitView.{expression}")

    def check_clean(self):
        assert self.blocked == []
        assert self.errors == []
        assert self.page.evaluate("typeof window.__pwned") == "undefined"

    def close(self):
        self.context.close()


@pytest.fixture(scope="module")
def karabakh():
    return graphkit.load(DATA)


@pytest.fixture
def open_view(chromium, tmp_path):
    sessions = []

    def open_(view, name="view.html"):
        path = view.save(tmp_path / name)
        session = Session(chromium, path)
        sessions.append(session)
        return session

    yield open_
    for session in sessions:
        session.close()


def ids(values) -> list[str]:
    return sorted(str(v) for v in values)


# ---------------------------------------------------------------------- network view


def test_network_loads_offline_with_counts(open_view, karabakh):
    s = open_view(views.network(karabakh))
    s.wait_ready()
    assert s.view("nodeCount()") == len(karabakh.entities)
    assert s.view("edgeCount()") == len(karabakh.relations)
    assert ids(s.view("visibleEdgeIds()")) == ids(karabakh.relations["id"])
    assert s.page.text_content("#gk-title") == karabakh.metadata["title"]
    s.check_clean()


DATES = ["1994-05-12", "2020-11-10", "2023-09-19", "2023-09-20", "2023-09-25", "2023-10-03"]


def test_slider_shows_exactly_the_relations_active_then(open_view, karabakh):
    s = open_view(views.network(karabakh, at="2023-09-01"))
    s.wait_ready()
    positions = s.view("positions()")
    for date in DATES:
        s.page.fill("#gk-date", date)           # the date box of the as-of slider
        s.page.dispatch_event("#gk-date", "change")
        s.frame()
        assert s.view("state().at") == date
        assert ids(s.view("visibleEdgeIds()")) == ids(karabakh.at(date).relations["id"]), date
    # the slider itself (days since 1970-01-01)
    for date in DATES[::-1]:
        day = int((pd.Timestamp(date) - pd.Timestamp("1970-01-01")).days)
        s.page.eval_on_selector(
            "#gk-slider", "(el, v) => { el.value = v; el.dispatchEvent(new Event('input')); }",
            str(day))
        s.frame()
        assert s.page.input_value("#gk-date") == date
        assert ids(s.view("visibleEdgeIds()")) == ids(karabakh.at(date).relations["id"]), date
    assert s.view("positions()") == positions     # the layout never moves
    s.check_clean()


def test_range_mode_and_type_filter(open_view, karabakh):
    s = open_view(views.network(karabakh, start="2023-09-19", end="2023-09-21"))
    s.wait_ready()
    assert s.view("state().mode") == "range"
    expected = karabakh.window("2023-09-19", "2023-09-21").relations
    assert ids(s.view("visibleEdgeIds()")) == ids(expected["id"])
    s.page.fill("#gk-to-date", "2023-10-01")
    s.page.dispatch_event("#gk-to-date", "change")
    s.frame()
    expected = karabakh.window("2023-09-19", "2023-10-01").relations
    assert ids(s.view("visibleEdgeIds()")) == ids(expected["id"])
    # the legend doubles as a filter
    hidden_type = expected["type"].value_counts().index[0]
    s.page.locator(".gk-legend-item", has_text=hidden_type).first.locator("input").uncheck()
    s.frame()
    kept = expected[expected["type"] != hidden_type]
    assert ids(s.view("visibleEdgeIds()")) == ids(kept["id"])
    s.page.click("#gk-types-none")
    s.frame()
    assert s.view("visibleEdgeIds()") == []
    s.page.click("#gk-types-all")
    s.frame()
    assert ids(s.view("visibleEdgeIds()")) == ids(expected["id"])
    s.check_clean()


def test_step_and_play(open_view, karabakh):
    s = open_view(views.network(karabakh, at="2023-09-18"))
    s.wait_ready()
    rel = karabakh.relations
    points = sorted({*rel["t_start"], *rel["t_end"][rel["t_end"] < graphkit.core.dates.ONGOING]})
    expected = next(p for p in points if p > pd.Timestamp("2023-09-18"))
    s.page.click("#gk-forward")                  # unit "next change"
    s.frame()
    date = expected.date().isoformat()
    assert s.view("state().at") == date
    assert ids(s.view("visibleEdgeIds()")) == ids(karabakh.at(date).relations["id"])
    s.page.select_option("#gk-unit", "day")
    s.page.click("#gk-back")
    s.frame()
    assert s.view("state().at") == (expected - pd.Timedelta(days=1)).date().isoformat()
    s.page.select_option("#gk-unit", "year")
    s.page.click("#gk-play")
    s.page.wait_for_function("previous => window.graphkitView.state().at !== previous",
                             arg=(expected - pd.Timedelta(days=1)).date().isoformat())
    s.page.click("#gk-play")                     # pause
    assert s.page.text_content("#gk-play") == "play"
    s.check_clean()


def test_aggregate_counts_pairs(open_view, karabakh):
    s = open_view(views.network(karabakh, at="2023-09-25", aggregate=True))
    s.wait_ready()
    active = karabakh.at("2023-09-25").relations
    pairs = {tuple(sorted(p)) for p in zip(active["source"], active["target"], strict=True)}
    shown = {tuple(sorted(p)) for p in s.view("visibleEdgeIds()")}
    assert shown == pairs
    assert ids(s.view("visibleRelationIds()")) == ids(active["id"])
    s.check_clean()


def test_parallel_relations_are_all_visible_and_styled(open_view, karabakh):
    s = open_view(views.network(karabakh, at="2023-09-25"))
    s.wait_ready()
    active = karabakh.at("2023-09-25").relations
    position = {rid: j for j, rid in enumerate(karabakh.relations["id"])}
    pair_of = active[["source", "target"]].apply(lambda r: tuple(sorted(r)), axis=1)
    sizes = pair_of.value_counts()
    assert sizes.max() > 1
    parallel = active[pair_of == sizes.index[0]]
    visible = set(map(str, s.view("visibleEdgeIds()")))
    assert set(map(str, parallel["id"])) <= visible
    curves = []
    for rid, row in zip(parallel["id"], parallel.to_dict("records"), strict=True):
        style = s.view(f"edgeStyle({position[rid]})")
        smooth = style["smooth"]
        curves.append((smooth.get("type"), smooth.get("roundness")) if smooth["enabled"]
                      else None)
        assert style["arrows"]["to"]["enabled"] == bool(row["directed"])
        if row["sign"] > 0:
            assert style["dashes"] is False and style["color"]["color"] == "#2e7d32"
        elif row["sign"] < 0:
            assert style["dashes"] == [8, 5] and style["color"]["color"] == "#c62828"
        else:
            assert style["dashes"] == [2, 5]
    # every relation of the pair gets its own curve (undirected ones may run either way)
    assert len(curves) == len(parallel)
    s.check_clean()


def test_search_highlights_neighbourhood(open_view, karabakh):
    s = open_view(views.network(karabakh, at="2023-09-25"))
    s.wait_ready()
    s.page.fill("#gk-search", "kremlin")          # an alias of Russia, any case
    s.page.press("#gk-search", "Enter")
    assert s.view("state().highlight") == "RUS"
    assert "Russia" in s.page.text_content("#gk-details")
    s.page.click("#gk-clear")
    assert s.view("state().highlight") is None
    s.check_clean()


def test_png_export(open_view, karabakh, tmp_path):
    s = open_view(views.network(karabakh))
    s.wait_ready()
    with s.page.expect_download() as info:
        s.page.click("#gk-export")
    target = tmp_path / "export.png"
    info.value.save_as(target)
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 5000
    assert info.value.suggested_filename == "graphkit-network.png"
    s.check_clean()


def test_python_layout_keeps_given_positions(open_view, karabakh):
    view = views.network(karabakh, layout="python")
    assert view.layout == "fixed"
    s = open_view(view)
    s.wait_ready()
    before = s.view("positions()")
    s.page.select_option("#gk-mode", "asof")
    s.frame()
    assert s.view("positions()") == before
    s.check_clean()


def test_above_the_physics_limit_layout_comes_from_python(open_view):
    rng = np.random.default_rng(3)
    n, m = 2100, 2600
    entities = pd.DataFrame({"id": [f"E{i}" for i in range(n)], "name": [f"E{i}" for i in range(n)],
                             "type": "state"})
    a = rng.integers(0, n, m)
    b = (a + rng.integers(1, n, m)) % n
    relations = pd.DataFrame({"source": [f"E{i}" for i in a], "target": [f"E{i}" for i in b],
                              "type": "meeting", "start": "2020-01-01"})
    tg = graphkit.TemporalGraph.from_frames(entities, relations)
    view = views.network(tg)
    assert view.layout == "fixed"
    s = open_view(view)
    s.wait_ready()
    assert s.view("nodeCount()") == n and s.view("edgeCount()") == m
    s.check_clean()


# ------------------------------------------------------------------------------ safety


def _hover_and_click_everything(s, tg):
    texts = []
    s.page.mouse.move(2, 2)
    for entity in tg.entities["id"]:
        x, y = s.view(f"canvasPosition({_js(entity)})")
        s.page.mouse.move(x, y)
        s.page.wait_for_selector("div.vis-tooltip", state="visible")
        texts.append(s.page.text_content("div.vis-tooltip"))
        s.page.mouse.click(x, y)
        texts.append(s.page.text_content("#gk-details"))
        s.page.mouse.dblclick(x, y)
        s.page.mouse.move(2, 2)
    for j in range(len(tg.relations)):
        x, y = s.view(f"edgeMidpoint({j})")
        s.page.mouse.move(x, y)
        s.page.mouse.click(x, y)
        s.page.evaluate(f"window.graphkitView.showRelation({j})")
        texts.append(s.page.text_content("#gk-details"))
    for payload in PAYLOADS:
        s.page.fill("#gk-search", payload[:12])
        s.page.press("#gk-search", "Enter")
        texts.append(s.page.text_content("#gk-details"))
        buttons = s.page.locator("#gk-details li button")
        if buttons.count():
            buttons.first.click()                # a match, or a relation of the entity
            texts.append(s.page.text_content("#gk-details"))
    s.page.mouse.move(2, 2)
    return "\n".join(texts)


def _js(value: str) -> str:
    import json

    return json.dumps(value)


@pytest.mark.parametrize("aggregate", [False, True])
def test_payloads_never_run(open_view, aggregate):
    tg = payload_graph()
    s = open_view(views.network(tg, aggregate=aggregate))
    s.wait_ready()
    assert s.view("nodeCount()") == len(tg.entities)
    seen = _hover_and_click_everything(s, tg)
    # shown as text, verbatim
    assert s.page.text_content("#gk-title") == TITLE
    assert s.page.title() == TITLE + " \u00b7 graphkit"
    for payload in PAYLOADS[:4]:
        assert payload in seen
    assert "window.__pwned=1" in s.page.text_content("#gk-types")
    # no element the data could have smuggled in, no script beyond the page's own three
    assert s.page.evaluate("document.querySelectorAll('img, svg, iframe, object').length") == 0
    assert s.page.evaluate("document.scripts.length") == 3
    # vis-network sets plain-text titles with innerText: only <br> line breaks inside
    assert s.page.evaluate(
        "Array.from(document.querySelectorAll('div.vis-tooltip *'))"
        ".every(e => e.tagName === 'BR')")
    s.check_clean()


def test_payload_slider_and_panel(open_view):
    tg = payload_graph()
    s = open_view(views.network(tg, at="2023-09-02"))
    s.wait_ready()
    assert ids(s.view("visibleEdgeIds()")) == ids(tg.at("2023-09-02").relations["id"])
    s.check_clean()


def test_timeline_and_shift_chart_are_safe_offline(chromium, tmp_path):
    tg = payload_graph()
    a, b = tg.entities["id"][0], tg.entities["id"][1]
    timeline = views.timeline(tg, [(a, b)], freq="D", half_life="30D", title=TITLE)
    table = pd.DataFrame({"source": [a, PAYLOADS[1]], "target": [b, PAYLOADS[2]],
                          "before": [1.0, 0.0], "after": [-2.0, 3.0], "change": [-3.0, 3.0],
                          "drivers": [PAYLOADS[0], PAYLOADS[3]]})
    chart = views.shift_chart(table, tg=tg, title=TITLE)
    for view, name in [(timeline, "timeline.html"), (chart, "shifts.html")]:
        s = Session(chromium, view.save(tmp_path / name))
        try:
            s.wait_ready("graphkitChart")
            assert s.page.evaluate("window.graphkitChart.traceCount()") >= 1
            assert s.page.title() == TITLE + " \u00b7 graphkit"
            text = s.page.text_content("body")
            assert "window.__pwned=1" in text          # the title, shown as text
            for point in s.page.locator(".point, .bars path").all()[:12]:
                point.hover(force=True)
            assert s.page.evaluate("document.querySelectorAll('img, iframe, object').length") \
                == 0
            s.check_clean()
        finally:
            s.close()


def test_notebook_iframe_renders(chromium, karabakh, tmp_path):
    view = views.network(karabakh, at="2023-09-25")
    chart = views.timeline(karabakh, ["ARM:RUS"])
    host = tmp_path / "notebook.html"
    host.write_text("<!DOCTYPE html><html><body>" + view._repr_html_() + chart._repr_html_()
                    + "</body></html>", encoding="utf-8")
    s = Session(chromium, host)
    try:
        s.page.wait_for_selector("iframe")
        network_frame, chart_frame = [f for f in s.page.frames if f != s.page.main_frame]
        network_frame.wait_for_function(
            "() => window.graphkitView && window.graphkitView.ready", timeout=60_000)
        assert network_frame.evaluate("window.graphkitView.nodeCount()") == \
            len(karabakh.entities)
        chart_frame.wait_for_function("() => window.graphkitChart && window.graphkitChart.ready",
                                      timeout=60_000)
        assert s.blocked == [] and s.errors == []
        assert s.page.get_attribute("iframe >> nth=0", "srcdoc") == view.html
    finally:
        s.close()
