"""Time for a network page to settle in headless Chromium: graphkit vs pyvis defaults.

For each size, the same random graph (Barabási-Albert, seeded) is written twice:

* by :func:`graphkit.views.network` (its scale preset: bounded Barnes-Hut stabilisation
  then physics off, or a Pivot MDS layout computed in Python above 2,000 nodes /
  10,000 edges);
* by pyvis 0.3.2 with its defaults (``Network(cdn_resources="in_line")``, whose page still
  asks a CDN for Bootstrap: that request is blocked here, as every non-file request).

Each page is opened in Debian's ``/usr/bin/chromium`` through Playwright. graphkit's
page is settled when it reports ready (layout frozen). For pyvis the times of
vis-network's ``stabilizationIterationsDone`` event (the first drawing) and of its
``stabilized`` event (the simulation at rest: until then nodes keep moving) are recorded,
up to a time limit. The machine is shared, so compare the ratios printed by one run.

Usage::

    .venv/bin/python benchmarks/bench_view.py [--sizes 500:1500 2000:10000] [--limit 120]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

import graphkit
from graphkit import views

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
TYPES = ["meeting", "cooperation", "criticism", "support", "threat", "aid"]

# Records vis-network's events on pyvis's global ``network`` as soon as it is assigned.
PYVIS_HOOK = """
window.__bench = {};
Object.defineProperty(window, 'network', {
  configurable: true,
  get() { return this.__network; },
  set(value) {
    this.__network = value;
    value.once('stabilizationIterationsDone',
               () => { window.__bench.iterationsDone = performance.now(); });
    value.once('stabilized', () => { window.__bench.stabilized = performance.now(); });
  }
});
"""


def make_graph(n: int, m: int, seed: int = 1) -> graphkit.TemporalGraph:
    """A Barabási-Albert graph with about ``m`` edges, as dated, typed relations."""
    per_node = max(1, round(m / n))
    g = nx.barabasi_albert_graph(n, per_node, seed=seed)
    edges = np.array(sorted(g.edges()))
    rng = np.random.default_rng(seed)
    entities = pd.DataFrame({"id": [f"E{i}" for i in range(n)],
                             "name": [f"Actor {i}" for i in range(n)],
                             "type": rng.choice(["state", "organisation", "person"], n)})
    days = rng.integers(0, 4 * 365, len(edges))
    relations = pd.DataFrame({
        "source": [f"E{i}" for i in edges[:, 0]],
        "target": [f"E{i}" for i in edges[:, 1]],
        "type": rng.choice(TYPES, len(edges)),
        "start": (pd.Timestamp("2020-01-01") + pd.to_timedelta(days, "D")).strftime("%Y-%m-%d"),
    })
    return graphkit.TemporalGraph.from_frames(entities, relations)


def pyvis_page(tg: graphkit.TemporalGraph) -> str:
    from pyvis.network import Network

    net = Network(cdn_resources="in_line")          # pyvis defaults otherwise
    for row in tg.entities.itertuples(index=False):
        net.add_node(row.id, label=row.name)
    for row in tg.relations.itertuples(index=False):
        net.add_edge(row.source, row.target)
    return net.generate_html()


def open_page(browser, path: Path, init: str | None = None):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    blocked = []

    def route(r):
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    if init:
        context.add_init_script(init)
    page = context.new_page()
    page.goto(path.as_uri(), wait_until="commit")
    return context, page, blocked


def time_graphkit(browser, path: Path, limit: float) -> float:
    context, page, blocked = open_page(browser, path)
    try:
        page.wait_for_function("() => window.graphkitView && window.graphkitView.ready",
                               timeout=limit * 1000, polling=50)
        assert not blocked, blocked
        return page.evaluate("() => window.graphkitView.readyAt") / 1000
    finally:
        context.close()


def time_pyvis(browser, path: Path, limit: float) -> tuple[float | None, float | None, int]:
    context, page, blocked = open_page(browser, path, PYVIS_HOOK)
    try:
        deadline = time.monotonic() + limit
        done = settled = None
        while time.monotonic() < deadline:
            result = page.evaluate("() => window.__bench || {}")
            done = result.get("iterationsDone")
            settled = result.get("stabilized")
            if settled is not None:
                break
            time.sleep(0.25)
        seconds = [None if v is None else v / 1000 for v in (done, settled)]
        return seconds[0], seconds[1], len(blocked)
    finally:
        context.close()


def fmt(value: float | None, limit: float) -> str:
    return f">{limit:.0f}" if value is None else f"{value:.2f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["500:1500", "2000:10000"],
                        help="NODES:EDGES pairs (default 500:1500 2000:10000)")
    parser.add_argument("--limit", type=float, default=120.0,
                        help="seconds to wait for pyvis's simulation to come to rest")
    parser.add_argument("--python-layout", action="store_true",
                        help="also time graphkit with the Python (Pivot MDS) layout")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for size in args.sizes:
            n, m = (int(x) for x in size.split(":"))
            tg = make_graph(n, m)
            started = time.perf_counter()
            view = views.network(tg)
            build = time.perf_counter() - started
            gk_path = view.save(Path(tmp) / f"graphkit_{n}.html")
            pv_path = Path(tmp) / f"pyvis_{n}.html"
            pv_path.write_text(pyvis_page(tg), encoding="utf-8")
            gk = time_graphkit(browser, gk_path, args.limit)
            gk_python = None
            if args.python_layout:
                fixed = views.network(tg, layout="python")
                gk_python = time_graphkit(browser, fixed.save(Path(tmp) / f"fixed_{n}.html"),
                                          args.limit)
            done, settled, blocked = time_pyvis(browser, pv_path, args.limit)
            rows.append({
                "nodes": n, "edges": len(tg.relations), "graphkit layout": view.layout,
                "graphkit build (s)": f"{build:.2f}", "graphkit ready (s)": f"{gk:.2f}",
                **({"graphkit python layout (s)": fmt(gk_python, args.limit)}
                   if args.python_layout else {}),
                "pyvis first draw (s)": fmt(done, args.limit),
                "pyvis at rest (s)": fmt(settled, args.limit),
                "ratio first draw": "-" if done is None else f"{done / gk:.1f}x",
                "ratio at rest": (f">{args.limit / gk:.0f}x" if settled is None
                                  else f"{settled / gk:.1f}x"),
                "pyvis CDN requests blocked": blocked,
            })
            print(pd.DataFrame(rows[-1:]).to_string(index=False), flush=True)
        browser.close()
    print()
    print(pd.DataFrame(rows).to_markdown(index=False) if _has_tabulate()
          else pd.DataFrame(rows).to_string(index=False))


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    main()
