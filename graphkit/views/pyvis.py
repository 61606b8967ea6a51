"""A :class:`pyvis.network.Network` of a temporal graph, safe to write as HTML.

For users who want pyvis's own API (``net.show_buttons()``, ``net.write_html()``, their
own templates); :func:`graphkit.views.network` remains graphkit's own page.
"""

from __future__ import annotations

import html
from collections import Counter
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from graphkit import model
from graphkit.core.dates import ONGOING
from graphkit.model.temporal import TemporalGraph
from graphkit.views.network import entity_types, physics_options

if TYPE_CHECKING:  # pyvis (and the Jinja2 and IPython it imports) loads on first use
    from pyvis.network import Network

__all__ = ["SIGN_STYLES", "node_id", "to_pyvis"]

#: Edge colour and dashes per relation sign, as in graphkit's network page.
SIGN_STYLES = {
    1: {"color": "#2e7d32", "dashes": False},
    0: {"color": "#808080", "dashes": [2, 5]},
    -1: {"color": "#c62828", "dashes": [8, 5]},
}

# Characters that mean something in HTML, percent-encoded in node ids (with "%" itself,
# so the encoding is one-to-one): ids then read the same in the page's HTML (the select
# menu), in its JSON and in the DOM, and the select menu still finds its node.
_ID_ESCAPES = {c: f"%{ord(c):02X}" for c in "%<>&\"'"}


def to_pyvis(
    tg: TemporalGraph,
    at: object | None = None,
    start: object | None = None,
    end: object | None = None,
    *,
    heading: str | None = None,
    height: str = "750px",
    width: str = "100%",
    select_menu: bool = False,
    filter_menu: bool = False,
    notebook: bool = False,
    cdn_resources: str = "in_line",
) -> Network:
    """The relations of a temporal graph as a :class:`pyvis.network.Network`.

    Nodes get graphkit's colours and shapes per entity type, and each entity type is a
    vis-network *group* (so pyvis options and filters can address a type as a whole, as
    the legend of graphkit's page does); edges get graphkit's colours and dashes per
    relation sign and a width from the weight. Every relation is its own edge: parallel
    relations are drawn as separate curves (pyvis's ``add_edge`` would drop parallel
    edges of an undirected network). Physics uses the bounded Barnes-Hut settings of
    graphkit's page, so the layout settles and stops.

    Parameters
    ----------
    tg : TemporalGraph
        The graph.
    at : date, optional
        Only the relations that hold on this date (:meth:`TemporalGraph.at`).
    start, end : date, optional
        Only the relations overlapping ``[start, end)`` (:meth:`TemporalGraph.window`).
    heading : str, optional
        Heading of the page; defaults to the graph's ``metadata["title"]``.
    height, width : str
        Size of the drawing (CSS lengths).
    select_menu, filter_menu : bool
        pyvis's node select menu and attribute filter menu.
    notebook : bool
        Passed to :class:`pyvis.network.Network`.
    cdn_resources : {"in_line", "remote", "local"}
        Where pyvis's page takes vis-network from (see Notes).

    Returns
    -------
    pyvis.network.Network

    Notes
    -----
    **Escaping.** pyvis 0.3.2 renders its page with Jinja2 without autoescaping: the
    heading and the node ids of the select menu go into the HTML as they are, and as
    soon as one node title contains ``href`` every tooltip is set with ``innerHTML``.
    So that ``net.write_html(...)`` of untrusted data runs no script, every text is made
    inert before pyvis sees it: the heading, titles (tooltips) and group names are
    HTML-escaped (in pyvis's default tooltip, which shows text, characters such as ``<``
    and ``&`` therefore appear as ``&lt;`` and ``&amp;``), and node ids have ``%``,
    ``<``, ``>``, ``&``, ``"`` and ``'`` percent-encoded (``%3C`` ...), one-to-one, so the
    select menu still finds its nodes. Labels stay as they are: vis-network draws them
    on the canvas, pyvis writes nodes and edges as JSON through Jinja2's ``tojson``
    (which escapes ``<``, ``>``, ``&`` and ``'``), and the filter menu (Tom Select)
    escapes what it shows.

    **What pyvis's page loads from the network.** Whatever ``cdn_resources``, pyvis's
    template loads Bootstrap 5.0.0-beta3 (CSS and JavaScript) from cdn.jsdelivr.net.
    With ``"in_line"`` (the default here) vis-network 9.1.2 and Tom Select are inlined;
    with ``"remote"`` they come from cdnjs.cloudflare.com; with ``"local"`` the page
    still takes vis-network from cdnjs.cloudflare.com and ``write_html`` writes a
    ``lib/`` folder into the current working directory. The page has no
    Content-Security-Policy. Offline, or where those hosts are blocked, pyvis's page may
    show nothing.

    **How graphkit's own page differs.** :func:`graphkit.views.network` writes one file
    that makes no network request (vis-network is inlined, no Bootstrap), has a
    Content-Security-Policy that allows only its own scripts, keeps the data as JSON that
    reaches the page only as text (so names show exactly as written, ``<`` included),
    and adds the time slider, relation-type legend and filter, search and PNG export.

    Examples
    --------
    >>> from graphkit.views import to_pyvis
    >>> tg = graphkit.load("data/nagorno_karabakh")
    >>> net = to_pyvis(tg, at="2023-09-25")
    >>> len(net.nodes), len(net.edges)
    (20, 30)
    >>> net.nodes[0]["id"], net.nodes[0]["label"]
    ('ARM', 'Armenia')

    ``write_html`` writes a ``lib/`` folder into the working directory, so it is not
    run here:

    >>> net.write_html("karabakh-pyvis.html")  # doctest: +SKIP

    References
    ----------
    pyvis 0.3.2 documentation, https://pyvis.readthedocs.io/ ; vis-network 9.1.2
    documentation, https://visjs.github.io/vis-network/docs/network/
    """
    from pyvis.edge import Edge
    from pyvis.network import Network

    if at is not None and (start is not None or end is not None):
        raise ValueError("give either `at` or a range (`start` and `end`), not both")
    if (start is None) != (end is None):
        raise ValueError("a range needs both `start` and `end`")
    view = tg.at(at) if at is not None else tg.window(start, end) if start is not None else tg
    if heading is None:
        heading = tg.metadata.get("title") or ""
    net = Network(height=height, width=width, directed=True, notebook=notebook,
                  select_menu=select_menu, filter_menu=filter_menu,
                  heading=_text(heading), cdn_resources=cdn_resources)
    entities = view.entities.reset_index(drop=True)
    rel = view.relations
    table, codes = entity_types(entities["type"].astype(str))
    degree = Counter(rel["source"]) + Counter(rel["target"])
    for i, row in enumerate(entities.to_dict("records")):
        style = table[codes[i]]
        net.add_node(node_id(row["id"]), label=str(row["name"]), title=_entity_title(row),
                     group=_text(style["name"]), shape=style["shape"],  # colour: the group's
                     size=round(10 + 4 * float(np.log1p(degree[row["id"]])), 1))
    seen: Counter = Counter()
    for row in rel.to_dict("records"):
        pair = tuple(sorted((str(row["source"]), str(row["target"]))))
        rank = seen[pair]
        seen[pair] += 1
        style = SIGN_STYLES[int(np.sign(row["sign"]))]
        options = {
            "id": _text(row["id"]), "title": _relation_title(row), "color": style["color"],
            "dashes": style["dashes"], "width": round(1 + abs(float(row["weight"])) / 2.5, 2),
            "arrows": "to" if row["directed"] else "",
            "smooth": {"enabled": True, "type": "curvedCW",
                       "roundness": round(0.15 * rank, 2)},
        }
        # pyvis's own Edge, appended as add_edge does (add_edge scans every edge per call
        # and drops parallel edges of undirected networks).
        net.edges.append(Edge(node_id(row["source"]), node_id(row["target"]), True,
                              **options).options)
    _settle(net, len(entities), len(rel))
    # vis-network groups, one per entity type (serialised with the other options)
    net.options.groups = {_text(t["name"]): {"shape": t["shape"], "color": t["color"]}
                          for t in table}
    return net


def _settle(net: Network, n_nodes: int, n_edges: int) -> None:
    """graphkit's bounded Barnes-Hut settings, through pyvis's own options objects (so
    ``net.toggle_physics``, ``net.show_buttons`` ... keep working)."""
    physics = physics_options(n_nodes, n_edges)
    solver = physics["barnesHut"]
    net.barnes_hut(gravity=solver["gravitationalConstant"],
                   central_gravity=solver["centralGravity"],
                   spring_length=solver["springLength"],
                   spring_strength=solver["springConstant"], damping=solver["damping"],
                   overlap=solver["avoidOverlap"])
    net.options.physics.barnesHut.theta = solver["theta"]
    for name in ("maxVelocity", "minVelocity", "timestep", "adaptiveTimestep"):
        setattr(net.options.physics, name, physics[name])
    stabilization = net.options.physics.stabilization
    for name, value in physics["stabilization"].items():
        setattr(stabilization, name, value)


def node_id(entity_id: object) -> str:
    """The pyvis node id of an entity: its id with ``%<>&"'`` percent-encoded."""
    return "".join(_ID_ESCAPES.get(c, c) for c in str(entity_id))


def _text(value: object) -> str:
    return html.escape(str(value), quote=True)


def _entity_title(row: dict) -> str:
    lines = [f"{row['name']} ({row['id']})", f"type: {row['type']}"]
    if row.get("aliases"):
        lines.append(f"also: {row['aliases']}")
    lines += [f"{k}: {v}" for k, v in row.items()
              if k not in model.ENTITY_COLUMNS and not _blank(v)]
    return _text("\n".join(lines))


def _relation_title(row: dict) -> str:
    ends = "ongoing" if row["t_end"] >= ONGOING else (row["end"] or row["start"])
    lines = [f"{row['type']}: {row['source']} → {row['target']}",
             f"{row['start']} – {ends}",
             f"weight {row['weight']:g}, sign {int(row['sign']):+d}, "
             f"confidence {row['confidence']:g}"]
    lines += [str(row[k]) for k in ("evidence", "source_ref") if not _blank(row[k])]
    known = set(model.RELATION_COLUMNS) | set(model.DERIVED_COLUMNS)
    lines += [f"{k}: {v}" for k, v in row.items() if k not in known and not _blank(v)]
    return _text("\n".join(lines))


def _blank(value: object) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or (not isinstance(value, (list, tuple)) and bool(pd.isna(value)))
