"""The report's pages in a real browser (Debian's Chromium through Playwright): the
network opens on the after range with its sliders over the compared span, labels are
readable and clear of other entities, the legend counts what is shown; screenshots of the
pages can be refreshed with ``GRAPHKIT_SCREENSHOTS=docs/screenshots``."""

from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path

import pandas as pd
import pytest

import graphkit
from graphkit.report import build_report

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser import launched, playwright_api

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "nagorno_karabakh"
BEFORE = ("2020-11-10", "2023-07-01")
AFTER = ("2023-09-01", "2023-10-01")

sync_api = playwright_api()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tg = graphkit.load(DATA)
    return build_report(tg, tmp_path_factory.mktemp("browser") / "nk", before=BEFORE,
                        after=AFTER, references=["RUS", "USA"], n_boot=200)


@pytest.fixture(scope="module")
def chromium():
    with launched(sync_api) as browser:
        yield browser


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1300, "height": 850})
    errors: list[str] = []
    opened = context.new_page()
    opened.on("pageerror", lambda err: errors.append(str(err)))
    opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        "file:") else route.abort())
    yield opened
    context.close()
    assert errors == []


def open_network(page, report):
    page.goto((report.path / "network.html").as_uri())
    page.wait_for_function("() => window.graphkitView && window.graphkitView.ready",
                           timeout=60_000)
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def test_network_opens_on_the_after_range_with_the_slider_shown(page, report):
    open_network(page, report)
    state = page.evaluate("graphkitView.state()")
    assert state["mode"] == "range"
    assert (state["from"], state["to"]) == AFTER
    assert page.is_visible("#gk-from") and page.is_visible("#gk-to")
    # the sliders span the compared ranges, with labelled ticks at both ends
    first_day = (pd.Timestamp(BEFORE[0]) - pd.Timestamp(0)).days
    assert page.eval_on_selector("#gk-from", "e => e.min") == str(first_day)
    ticks = page.inner_text(".gk-tick-set[data-for=gk-from]").split()
    assert ticks[0] == BEFORE[0] and ticks[-1] == "2023-09-30" and len(ticks) == 5
    # the end slider's ticks name its own values: the day after (its end is exclusive)
    ticks = page.inner_text(".gk-tick-set[data-for=gk-to]").split()
    assert ticks[0] == "2020-11-11" and ticks[-1] == AFTER[1] and len(ticks) == 5
    status = page.inner_text("#gk-status")
    shown = report_relations(report)
    assert f"{shown} relations, {AFTER[0]} to {AFTER[1]}" in status
    # the full-span button widens the sliders to every date and back
    page.click("#gk-widen")
    assert page.inner_text(".gk-tick-set[data-for=gk-from]").split()[0] < "1970"
    page.click("#gk-widen")
    assert page.inner_text(".gk-tick-set[data-for=gk-from]").split()[0] == BEFORE[0]


def thumb_misses(page, slider: str) -> list[tuple[str, float]]:
    """(label, px) for each tick label of ``slider`` whose centre is more than 2 px from
    the centre of the slider's thumb set to the label's date (the labels must be right
    under the slider).

    Chromium decides where the thumb goes: a click on the track moves the thumb's centre
    under the pointer, so clicking at a label's centre gives the value whose thumb is
    there; the distance in px is the value's distance from the label's date, at the
    slider's days per px. The datalist is taken off first so that no snapping to a tick
    hides a miss.
    """
    page.eval_on_selector(slider, "e => e.removeAttribute('list')")
    misses = []
    labels = page.locator(f".gk-tick-set[data-for={slider[1:]}] .gk-tick")
    assert labels.count() == 5
    for i in range(labels.count()):
        label, box = labels.nth(i), labels.nth(i).bounding_box()
        track = page.locator(slider).bounding_box()
        assert 0 <= box["y"] - (track["y"] + track["height"]) < 10  # right under it
        page.mouse.click(box["x"] + box["width"] / 2, track["y"] + track["height"] / 2)
        lo, hi, value = (int(v) for v in page.eval_on_selector(
            slider, "e => [e.min, e.max, e.value]"))
        thumb = float(page.evaluate(
            "parseFloat(getComputedStyle(document.documentElement)"
            ".getPropertyValue('--gk-thumb'))"))
        days_per_px = (hi - lo) / (track["width"] - thumb)
        off = abs(value - int(label.get_attribute("data-value"))) / days_per_px
        if off > 2:
            misses.append((label.inner_text(), round(off, 1)))
    return misses


def test_tick_labels_sit_at_the_thumb_positions_they_name(page, report):
    open_network(page, report)
    page.select_option("#gk-mode", "asof")
    assert thumb_misses(page, "#gk-slider") == []
    page.click("#gk-widen")  # the full span: ticks decades apart, the same rule
    assert page.inner_text(".gk-tick-set[data-for=gk-slider]").split()[0] < "1970"
    assert thumb_misses(page, "#gk-slider") == []
    page.select_option("#gk-mode", "range")
    assert thumb_misses(page, "#gk-from") == []
    assert thumb_misses(page, "#gk-to") == []
    # and no label is drawn over another
    boxes = [page.locator(".gk-tick").nth(i).bounding_box()
             for i in range(page.locator(".gk-tick").count())]
    for a, b in itertools.pairwise(boxes):
        assert a["x"] + a["width"] <= b["x"], (a, b)


def report_relations(report) -> int:
    tg = graphkit.load(DATA)
    return int(tg.active_mask(*AFTER).sum())


def test_legend_counts_shown_over_total_and_follow_a_type_filter(page, report):
    open_network(page, report)
    tg = graphkit.load(DATA)
    window = tg.relations[tg.active_mask(*AFTER)]
    types = page.evaluate("graphkitView.legendCounts()")
    names = page.eval_on_selector_all("#gk-types .gk-legend-item > span:nth-of-type(2)",
                                      "spans => spans.map(s => s.textContent)")
    expected = {name: f"({(window['type'] == name).sum()} / "
                      f"{(tg.relations['type'] == name).sum()})" for name in names}
    assert dict(zip(names, types, strict=True)) == expected
    # filter: criticism off; its count drops to 0 shown, the status count with it
    index = names.index("criticism")
    page.locator("#gk-types input[type=checkbox]").nth(index).uncheck()
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    after = page.evaluate("graphkitView.legendCounts()")
    total = (tg.relations["type"] == "criticism").sum()
    assert after[index] == f"(0 / {total})"
    assert f"{len(window) - (window['type'] == 'criticism').sum()} relations" in \
        page.inner_text("#gk-status")


def test_labels_readable_and_clear_of_entities(page, report):
    open_network(page, report)
    assert page.evaluate("graphkitView.labelPx()") >= 12
    assert page.evaluate("graphkitView.labelOverlaps()") == []
    assert page.evaluate("graphkitView.labelCollisions()") == []


def test_screenshots(page, report):
    """Screenshots of the report's pages (written when GRAPHKIT_SCREENSHOTS names a
    folder, e.g. docs/screenshots); each page must render with a non-trivial image."""
    target = os.environ.get("GRAPHKIT_SCREENSHOTS")
    for name in ("index", "network", "timelines", "shifts"):
        page.goto((report.path / f"{name}.html").as_uri())
        if name == "network":
            open_network(page, report)
        else:
            page.wait_for_load_state("load")
            page.wait_for_timeout(300)
        image = page.screenshot(full_page=name == "index")
        assert len(image) > 20_000, name
        if target:
            folder = ROOT / target
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"report-{name}.png").write_bytes(image)
