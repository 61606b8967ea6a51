"""Check, in headless Chromium, the pyvis 0.3.2 defects graphkit's views avoid.

Each check writes a small page with pyvis's own ``generate_html``/``write_html`` (what
graphkit never uses), opens it in ``/usr/bin/chromium`` with every non-file request
blocked and counted, and reports whether the defect shows; the same data then goes
through :func:`graphkit.views.network` for comparison. Script payloads set
``window.__pwned``.

Usage::

    .venv/bin/python benchmarks/pyvis_defects.py
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

import graphkit
from graphkit import views

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
PAYLOAD = '<img src=x onerror="window.__pwned=1">'


def visit(browser, path: Path, hover: str | None = None) -> dict:
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    blocked = []

    def route(r):
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(path.as_uri())
    page.wait_for_timeout(1500)
    if hover:  # move over a node: pyvis shows titles on hover
        position = page.evaluate(hover)
        if position:
            page.mouse.move(*position)
            page.wait_for_timeout(1200)
    pwned = page.evaluate("() => window.__pwned === 1")
    context.close()
    return {"script ran": pwned, "requests blocked": len(blocked),
            "hosts": sorted({u.split("/")[2] for u in blocked if "://" in u}),
            "page errors": "; ".join(e[:40] for e in errors)}


HOVER_PYVIS = """() => {
  if (!window.network) return null;
  const ids = network.body.data.nodes.getIds();
  const p = network.canvasToDOM(network.getPositions([ids[0]])[ids[0]]);
  const box = document.getElementById('mynetwork').getBoundingClientRect();
  return [p.x + box.left, p.y + box.top];
}"""


def main() -> None:
    from playwright.sync_api import sync_playwright
    from pyvis.network import Network

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        tmp = Path(tmp)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)

        net = Network(heading=PAYLOAD, cdn_resources="in_line")
        net.add_node("a")
        (tmp / "heading.html").write_text(net.generate_html(), encoding="utf-8")
        rows.append({"defect": "heading written raw", **visit(browser, tmp / "heading.html")})

        net = Network(select_menu=True, cdn_resources="in_line")
        net.add_node(PAYLOAD)
        (tmp / "select.html").write_text(net.generate_html(), encoding="utf-8")
        rows.append({"defect": "select menu writes node ids raw",
                     **visit(browser, tmp / "select.html")})

        net = Network(cdn_resources="in_line")
        net.add_node("a", title=PAYLOAD)
        net.add_node("b", title='<a href="https://example.org">link</a>')
        net.add_edge("a", "b")
        (tmp / "href.html").write_text(net.generate_html(), encoding="utf-8")
        rows.append({"defect": "one title with href: every title set with innerHTML",
                     **visit(browser, tmp / "href.html", HOVER_PYVIS)})

        net = Network(cdn_resources="in_line")
        net.add_node("a", title=PAYLOAD)
        net.add_node("b", title="plain")
        net.add_edge("a", "b")
        (tmp / "nohref.html").write_text(net.generate_html(), encoding="utf-8")
        rows.append({"defect": "(control: same payload title, no href anywhere)",
                     **visit(browser, tmp / "nohref.html", HOVER_PYVIS)})

        net = Network(cdn_resources="in_line")
        net.add_node("a")
        (tmp / "inline.html").write_text(net.generate_html(), encoding="utf-8")
        rows.append({"defect": 'cdn_resources="in_line" still loads from a CDN',
                     **visit(browser, tmp / "inline.html")})

        work = tmp / "cwd"
        work.mkdir()
        old = os.getcwd()
        os.chdir(work)
        try:
            net = Network()                      # cdn_resources="local", the default
            net.add_node("a")
            net.write_html("local.html")
        finally:
            os.chdir(old)
        written = sorted(p.name for p in work.iterdir())
        rows.append({"defect": 'cdn_resources="local" loads vis-network from a CDN',
                     **visit(browser, work / "local.html"), "files written": written})

        net = Network()                          # undirected
        net.add_node("a")
        net.add_node("b")
        net.add_edge("a", "b", title="treaty")
        net.add_edge("a", "b", title="sanctions")
        rows.append({"defect": "undirected network drops parallel edges",
                     "edges kept": f"{len(net.edges)} of 2"})

        tg = graphkit.TemporalGraph.from_frames(
            pd.DataFrame({"id": [PAYLOAD, "b"], "name": [PAYLOAD, "b"], "type": "state"}),
            pd.DataFrame({"source": [PAYLOAD, PAYLOAD], "target": ["b", "b"],
                          "type": ["alliance", "sanctions"], "start": ["2020", "2021"],
                          "evidence": [PAYLOAD, '<a href="https://example.org">x</a>']}))
        out = tmp / "out"
        out.mkdir()
        views.network(tg, title=PAYLOAD).save(out / "graphkit.html")
        result = visit(browser, out / "graphkit.html", """() => {
            const p = window.graphkitView.canvasPosition(window.graphkitView
                .visibleNodeIds()[0]); return p; }""")
        rows.append({"defect": "graphkit.views.network, same payloads", **result,
                     "files written": sorted(p.name for p in out.iterdir()),
                     "edges kept": f"{views.network(tg).edges} of 2"})
        browser.close()
    table = pd.DataFrame(rows).astype(object).fillna("")
    with pd.option_context("display.max_colwidth", 60, "display.width", 200):
        print(table.to_string(index=False))


if __name__ == "__main__":
    main()
