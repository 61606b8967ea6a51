"""Interactive network view: one self-contained, safe HTML file.

:func:`network` turns a :class:`~graphkit.TemporalGraph` into a page drawn by
vis-network 9.1.2 (the copy pinned by pyvis 0.3.2, inlined) with graphkit's own template.
The page holds every relation with its dates; an as-of slider, a range mode, play and
step buttons show the relations active at a date (``t_start <= d < t_end``, as
:meth:`TemporalGraph.at`) or overlapping a range (``[a, b)``, as
:meth:`TemporalGraph.window`) over a layout computed once, so positions never jump.

Why not pyvis's own output
--------------------------
pyvis 0.3.2's ``generate_html``/``write_html``/``show`` write the heading and the node
ids of its select menu into the page as raw HTML, set every tooltip with ``innerHTML`` as
soon as one title contains ``href``, load Bootstrap (``"in_line"``) or vis-network itself
(``"local"``) from a CDN and write a ``lib/`` folder, and its ``add_edge`` drops parallel
edges of undirected networks (and scans every edge for each new one). graphkit therefore
builds the vis-network node and edge items itself (plain JSON: the same items pyvis would
pass on) and renders them with its own template; from pyvis it takes only the pinned
vis-network files.

Safety
------
All data (ids, names, aliases, types, relation types, evidence, source_ref, extra column
names and values, the title) goes into the page as JSON inside
``<script type="application/json">`` with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped,
is read with ``JSON.parse``, and reaches the DOM only through ``textContent`` or as
plain-text vis-network titles (set by vis-network with ``innerText``); labels are drawn on
the canvas. A Content-Security-Policy allows only the page's two inline scripts and two
style sheets, by hash, and no network connection.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from graphkit import model
from graphkit.core import atomic
from graphkit.core.dates import ONGOING, to_timestamp
from graphkit.model.temporal import TemporalGraph
from graphkit.views import page
from graphkit.views.layout import pivot_mds_layout

__all__ = [
    "ENTITY_SHAPES",
    "PHYSICS_MAX_EDGES",
    "PHYSICS_MAX_NODES",
    "NetworkView",
    "network",
]

#: Up to this many nodes and edges, the browser lays the network out (vis-network
#: Barnes-Hut physics with a bounded number of iterations, then physics off); above,
#: :func:`graphkit.views.layout.pivot_mds_layout` places the nodes in Python.
PHYSICS_MAX_NODES = 2000
PHYSICS_MAX_EDGES = 10000

#: vis-network shape per entity type; other types get :data:`OTHER_SHAPE`.
ENTITY_SHAPES = {
    "state": "dot",
    "organisation": "square",
    "person": "star",
    "territory": "triangle",
    "armed_group": "diamond",
    "group": "hexagon",
}
OTHER_SHAPE = "triangleDown"
ENTITY_COLORS = {
    "state": "#4e79a7",
    "organisation": "#b07aa1",
    "person": "#f28e2b",
    "territory": "#9c755f",
    "armed_group": "#e15759",
    "group": "#59a14f",
}
OTHER_COLORS = ["#76b7b2", "#edc948", "#ff9da7", "#bab0ac", "#86bcb6", "#d4a6c8"]

_DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class NetworkView:
    """A rendered network view.

    Attributes
    ----------
    html : str
        The whole page: self-contained, makes no network request.
    title : str
        Heading of the page.
    layout : {"physics", "fixed"}
        ``"physics"``: laid out in the browser, then frozen; ``"fixed"``: positions
        computed in Python (or given), physics off.
    nodes, edges : int
        Number of vis-network nodes and edges (relations, or pairs when aggregated).
    height : int
        Height in pixels of the frame used by :meth:`_repr_html_`.
    """

    html: str
    title: str
    layout: str
    nodes: int
    edges: int
    height: int = 640

    def save(self, path: str | os.PathLike) -> Path:
        """Write the page to ``path`` atomically; nothing else is written."""
        return atomic.write_text(path, self.html)

    def _repr_html_(self) -> str:
        caption = (f"graphkit network view: {self.title} ({self.nodes} entities, "
                   f"{self.edges} edges)")
        return page.iframe(self.html, height=self.height, title=self.title, caption=caption)

    def __repr__(self) -> str:
        return (f"<NetworkView {self.title!r}: {self.nodes} nodes, {self.edges} edges, "
                f"layout={self.layout}, {len(self.html):,} characters>")


def network(
    tg: TemporalGraph,
    at: object | None = None,
    start: object | None = None,
    end: object | None = None,
    *,
    aggregate: bool = False,
    title: str | None = None,
    layout: str | Mapping | pd.DataFrame | None = None,
    hide_isolated: bool = False,
    seed: int = 1,
    height: int = 640,
    span: tuple[object, object] | None = None,
) -> NetworkView:
    """An interactive, self-contained HTML view of a temporal graph.

    Parameters
    ----------
    tg : TemporalGraph
        The graph; every relation goes into the page (pass ``tg.window(a, b)`` or
        ``tg.filter(...)`` to send less).
    at : date, optional
        Open in as-of mode on this date: relations with ``t_start <= at < t_end``.
    start, end : date, optional
        Open in range mode: relations overlapping ``[start, end)``. Both are needed.
        Without ``at`` or a range the page opens showing all relations.
    aggregate : bool
        ``False`` draws every relation, parallel ones between a pair as curves side by
        side; ``True`` draws one edge per pair of entities labelled with the number of
        relations active, coloured by the sign of their net weight.
    title : str, optional
        Heading; defaults to the graph's ``metadata["title"]``.
    layout : {"auto", "physics", "python"} or mapping, optional
        ``"physics"`` lays the network out in the browser (vis-network Barnes-Hut with
        a bounded number of iterations, then physics off); ``"python"`` uses
        :func:`~graphkit.views.layout.pivot_mds_layout`; a mapping ``id -> (x, y)`` or a
        DataFrame with ``x``, ``y`` columns indexed by id gives the positions. The
        default, ``"auto"``, uses physics up to :data:`PHYSICS_MAX_NODES` nodes and
        :data:`PHYSICS_MAX_EDGES` edges, Python above.
    hide_isolated : bool
        Start with entities that have no relation shown hidden (a check box in the page).
    seed : int
        Seed of the layout (the page is byte-identical for identical input).
    height : int
        Frame height in notebooks.
    span : (start, end), optional
        Dates the time sliders span, e.g. from the start of the earlier compared range
        to the end of the later one, so each day of a short range is a few pixels; a
        "full span" button widens them to every date of the data. Default: every date.

    Returns
    -------
    NetworkView
        ``.html`` (str), ``.save(path)`` and notebook display.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from graphkit import views
    >>> tg = graphkit.load("data/nagorno_karabakh")
    >>> view = views.network(tg, at="2023-09-25")
    >>> view.save(Path(tempfile.mkdtemp()) / "karabakh.html").name
    'karabakh.html'
    >>> "<script src=" in view.html  # every script is inlined
    False

    References
    ----------
    Barnes, J., & Hut, P. (1986). A hierarchical O(N log N) force-calculation algorithm.
    *Nature*, 324, 446-449. (The physics solver vis-network runs in the page.)

    Brandes, U., & Pich, C. (2007). Eigensolver methods for progressive multidimensional
    scaling of large data. *Graph Drawing 2006*, LNCS 4372, 42-53. (The Python layout.)
    """
    payload = network_payload(
        tg, at=at, start=start, end=end, aggregate=aggregate, title=title, layout=layout,
        hide_isolated=hide_isolated, seed=seed, span=span,
    )
    html = render(payload)
    return NetworkView(
        html=html, title=payload["title"], layout=payload["layout"],
        nodes=len(payload["entities"]["id"]), edges=payload["edgeCount"], height=height,
    )


def render(payload: dict) -> str:
    """The page for a payload built by :func:`network_payload`."""
    import graphkit

    vis_js, vis_css = page.vis_network_assets()
    app_js = page.read_template("network.js")
    app_css = page.read_template("network.css")
    return page.fill(
        page.read_template("template.html"),
        csp=page.content_security_policy([vis_js, app_js], styles=[vis_css, app_css]),
        version=graphkit.__version__,
        vis_css=vis_css,
        app_css=app_css,
        data=page.script_json(payload),
        vis_js=vis_js,
        app_js=app_js,
    )


# ----------------------------------------------------------------------------- payload


def network_payload(
    tg: TemporalGraph,
    *,
    at: object | None = None,
    start: object | None = None,
    end: object | None = None,
    aggregate: bool = False,
    title: str | None = None,
    layout: str | Mapping | pd.DataFrame | None = None,
    hide_isolated: bool = False,
    seed: int = 1,
    span: tuple[object, object] | None = None,
) -> dict:
    """The JSON document the page reads (columns of entities and relations, options)."""
    if at is not None and (start is not None or end is not None):
        raise ValueError("give either `at` or a range (`start` and `end`), not both")
    if (start is None) != (end is None):
        raise ValueError("a range needs both `start` and `end`")
    entities = tg.entities.reset_index(drop=True)
    rel = tg.relations
    ids = entities["id"].astype(str)
    node_index = pd.Index(ids)
    if node_index.has_duplicates:
        raise ValueError("entity ids must be unique")
    source = node_index.get_indexer(rel["source"].astype(str))
    target = node_index.get_indexer(rel["target"].astype(str))
    dangling = (source < 0) | (target < 0)
    if dangling.any():
        missing = sorted(set(rel["source"][source < 0]) | set(rel["target"][target < 0]))
        raise ValueError(f"relations refer to entities not in the graph: {missing[:10]}")

    ent_types, ent_type_code = entity_types(entities["type"].astype(str))
    rel_types, rel_type_code = _relation_types(tg, rel)
    degree = np.bincount(np.concatenate([source, target]), minlength=len(entities))

    ts = _days(rel["t_start"])
    te_raw = _days(rel["t_end"])
    ongoing = (rel["t_end"] >= ONGOING).to_numpy()
    te = pd.Series(te_raw, dtype=object).where(~ongoing, None).tolist()

    mode, initial_days = _initial(at, start, end)
    span_days = None
    if span is not None:
        _, span_days = _initial(None, *span)  # checks end > start
        span_days = [span_days[0], span_days[1] - 1]  # last day the sliders reach
    domain = _domain(ts, te_raw[~ongoing], initial_days)
    if span_days is not None:
        domain = [min(domain[0], span_days[0]), max(domain[1], span_days[1])]
    if span_days is not None and initial_days:  # the opening date or range inside it
        span_days = [min(span_days[0], initial_days[0]),
                     max(span_days[1], initial_days[-1] - (len(initial_days) == 2))]
    # "as of" opens on the chosen day, else on the last day the slider shows (the
    # range's, or the span's), so switching mode never lands past the slider's end
    last = span_days[1] if span_days is not None else domain[1]
    initial = {"mode": mode, "at": last, "start": domain[0], "end": domain[1] + 1}
    if mode == "asof":
        initial["at"] = initial_days[0]
    elif mode == "range":
        initial["start"], initial["end"] = initial_days
        initial["at"] = initial_days[1] - 1

    n_edges = len(rel) if not aggregate else len(
        pd.DataFrame({"a": np.minimum(source, target), "b": np.maximum(source, target)})
        .drop_duplicates()
    )
    chosen, positions = _layout(layout, ids, source, target, n_edges, seed)

    entity_block = {
        "id": ids.tolist(),
        "name": entities["name"].astype(str).tolist(),
        "type": ent_type_code.tolist(),
        "aliases": [[a.strip() for a in str(s).split(";") if a.strip()]
                    for s in entities["aliases"]],
        "size": np.round(10 + 4 * np.log1p(degree), 1).tolist(),
        "extras": _extras(entities, model.ENTITY_COLUMNS),
    }
    if positions is not None:
        entity_block["x"] = np.round(positions[:, 0], 1).tolist()
        entity_block["y"] = np.round(positions[:, 1], 1).tolist()

    relation_block = {
        "id": _ids(pd.Index(rel["id"])),
        "source": source.tolist(),
        "target": target.tolist(),
        "type": rel_type_code.tolist(),
        "start": rel["start"].astype(str).tolist(),
        "end": rel["end"].astype(str).tolist(),
        "ts": ts.tolist(),
        "te": te,
        "weight": _floats(rel["weight"]),
        "sign": rel["sign"].astype(int).tolist(),
        "directed": rel["directed"].astype(bool).tolist(),
        "confidence": _floats(rel["confidence"]),
        "quadClass": rel["quad_class"].astype(int).tolist(),
        "evidence": rel["evidence"].astype(str).tolist(),
        "sourceRef": rel["source_ref"].astype(str).tolist(),
        "extras": _extras(rel, model.RELATION_COLUMNS + model.DERIVED_COLUMNS),
    }
    if title is None:
        title = tg.metadata.get("title") or "graphkit network"
    return {
        "format": "graphkit-network-view",
        "version": 1,
        "title": str(title),
        "aggregate": bool(aggregate),
        "layout": chosen,
        "physics": physics_options(len(entities), n_edges) if chosen == "physics" else None,
        "seed": int(seed),
        "hideIsolated": bool(hide_isolated),
        "initial": initial,
        "domain": domain,
        "span": span_days,
        "edgeCount": int(n_edges),
        "entityTypes": ent_types,
        "relationTypes": rel_types,
        "entities": entity_block,
        "relations": relation_block,
    }


def physics_options(n_nodes: int, n_edges: int) -> dict:
    """vis-network physics options, bounded so that 2,000 nodes / 10,000 edges settle
    in a few seconds (see ``benchmarks/bench_view.py``)."""
    size = n_nodes + n_edges
    iterations = int(np.clip(300_000 / max(size, 1), 150, 1000))
    return {
        "enabled": True,
        "solver": "barnesHut",
        "barnesHut": {
            "theta": 0.6 if size > 2000 else 0.5,
            "gravitationalConstant": -6000,
            "centralGravity": 0.2,
            "springLength": 140,
            "springConstant": 0.04,
            "damping": 0.15,
            "avoidOverlap": 0.05,
        },
        "maxVelocity": 60,
        "minVelocity": 1.0,
        "timestep": 0.5,
        "adaptiveTimestep": True,
        "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 50,
                          "fit": True, "onlyDynamicEdges": False},
    }


def _layout(
    layout: object,
    ids: pd.Series,
    source: np.ndarray,
    target: np.ndarray,
    n_edges: int,
    seed: int,
) -> tuple[str, np.ndarray | None]:
    n = len(ids)
    if isinstance(layout, (Mapping, pd.DataFrame)):
        frame = layout if isinstance(layout, pd.DataFrame) else pd.DataFrame.from_dict(
            {k: tuple(v)[:2] for k, v in layout.items()}, orient="index", columns=["x", "y"])
        frame = frame.reindex(pd.Index(ids))
        if frame[["x", "y"]].isna().any().any():
            missing = frame.index[frame[["x", "y"]].isna().any(axis=1)].tolist()
            raise ValueError(f"layout has no position for {missing[:10]}")
        return "fixed", frame[["x", "y"]].to_numpy(dtype=float)
    choice = "auto" if layout is None else layout
    if choice not in ("auto", "physics", "python"):
        raise ValueError(f"layout must be 'auto', 'physics', 'python' or positions, "
                         f"not {layout!r}")
    if choice == "auto":
        small = n <= PHYSICS_MAX_NODES and n_edges <= PHYSICS_MAX_EDGES
        choice = "physics" if small and n > 1 else "python"
    if choice == "physics":
        return "physics", None
    pos = pivot_mds_layout(np.arange(n), source, target, seed=seed)
    return "fixed", pos[["x", "y"]].to_numpy()


def _initial(at: object, start: object, end: object) -> tuple[str, list[int]]:
    if at is not None:
        return "asof", [_day(at)]
    if start is not None:
        a, b = _day(start), _day(end)
        if b <= a:
            raise ValueError(f"range end {end!r} is not after its start {start!r}")
        return "range", [a, b]
    return "all", []


def _domain(ts: np.ndarray, finite_te: np.ndarray, initial: list[int]) -> list[int]:
    """First and last day the slider covers: from the first start to the last day any
    finite relation covers, widened to the initial date or range. Ongoing relations do
    not stretch it to today, so the page does not change from one day to the next."""
    lo_values = [int(ts.min())] if len(ts) else []
    hi_values = [int(ts.max())] if len(ts) else []
    if len(finite_te):
        hi_values.append(int(finite_te.max()) - 1)
    if initial:
        lo_values.append(initial[0])
        hi_values.append(initial[-1] - (1 if len(initial) == 2 else 0))
    if not lo_values:
        return [0, 0]
    lo = min(lo_values)
    return [lo, max(max(hi_values), lo)]


def _day(value: object) -> int:
    stamp = to_timestamp(value)
    return int(np.datetime64(stamp.normalize(), "D").astype(np.int64))


def _days(column: pd.Series) -> np.ndarray:
    values = column.to_numpy(dtype="datetime64[s]").astype("datetime64[D]")
    return values.astype(np.int64)


def _floats(column: pd.Series) -> list:
    values = column.astype(float).round(6)
    return values.astype(object).where(values.notna(), None).tolist()


def _ids(index: pd.Index) -> list:
    if pd.api.types.is_integer_dtype(index):
        return [int(i) for i in index]
    return index.astype(str).tolist()


def _texts(column: pd.Series) -> list:
    values = column.astype(object)
    missing = values.isna().to_numpy()
    text = values.astype(str)
    keep = ~missing & (text != "").to_numpy()
    return text.astype(object).where(keep, None).tolist()


def _extras(frame: pd.DataFrame, known: list[str]) -> dict:
    names = [c for c in frame.columns if c not in known]
    return {"names": [str(c) for c in names], "values": [_texts(frame[c]) for c in names]}


def entity_types(types: pd.Series) -> tuple[list[dict], np.ndarray]:
    counts = types.value_counts()
    known = [t for t in ENTITY_SHAPES if t in counts.index]
    others = sorted(t for t in counts.index if t not in ENTITY_SHAPES)
    order = known + others
    table = []
    for name in order:
        extra = others.index(name) if name in others else 0
        table.append({
            "name": name,
            "shape": ENTITY_SHAPES.get(name, OTHER_SHAPE),
            "color": ENTITY_COLORS.get(name, OTHER_COLORS[extra % len(OTHER_COLORS)]),
            "count": int(counts[name]),
        })
    code = pd.Index(order).get_indexer(types)
    return table, code


def _relation_types(tg: TemporalGraph, rel: pd.DataFrame) -> tuple[list[dict], np.ndarray]:
    types = rel["type"].astype(str)
    counts = types.value_counts()
    order = sorted(counts.index, key=lambda t: (-int(counts[t]), t))
    table = []
    for name in order:
        known = tg.vocabulary.types.get(name)
        if known is not None:
            sign, durable, description = known.sign, known.durable, known.description
        else:
            sign = int(np.sign(rel.loc[types == name, "sign"].sum()))
            durable, description = False, ""
        table.append({"name": name, "sign": int(sign), "durable": bool(durable),
                      "description": description, "count": int(counts[name])})
    code = pd.Index(order).get_indexer(types)
    return table, code
