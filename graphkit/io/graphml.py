"""GraphML for yEd, Cytoscape and networkx: a snapshot or a window with typed keys."""

from __future__ import annotations

import os
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from graphkit.core.atomic import writing
from graphkit.model.temporal import TemporalGraph

__all__ = ["graphml_graph", "write_graphml"]

#: Relation columns left out: the edge holds its ends, and the partial-date texts
#: ``start``/``end`` say what ``t_start``/``t_end`` say, at their own precision.
_LEFT_OUT = ("source", "target", "t_start", "t_end")


def write_graphml(view: TemporalGraph, path: str | os.PathLike) -> Path:
    """Write a snapshot or window of a temporal graph as GraphML.

    Parameters
    ----------
    view : TemporalGraph
        The relations to write: ``tg.at(date)`` for a snapshot, ``tg.window(a, b)`` for a
        window, or the whole graph. Every entity is written, related or not.
    path : str or path-like
        The ``.graphml`` file to write (through a temporary file in the same folder).

    Returns
    -------
    pathlib.Path
        The file written.

    Notes
    -----
    One ``<edge>`` per relation, its ``id`` the relation id, so parallel relations stay
    apart. Every entity and relation column is a ``<key>`` typed ``boolean``, ``int``,
    ``long``, ``double`` or ``string`` from its column; dates are the relation's ``start``
    and ``end`` as written (ISO partial dates, ``2023-09`` stays a month). Missing values
    are left out. Written by :func:`networkx.write_graphml`, so
    :func:`networkx.read_graphml` reads it back to a ``MultiDiGraph``; yEd opens it (use
    its *Properties Mapper* to show ``name`` as labels).

    Examples
    --------
    >>> import graphkit
    >>> from graphkit.io import write_graphml
    >>> tg = graphkit.load("data/nagorno_karabakh")  # doctest: +SKIP
    >>> write_graphml(tg.at("2023-09-25"), "snapshot.graphml")  # doctest: +SKIP

    References
    ----------
    Brandes, U., Eiglsperger, M., Lerner, J., & Pich, C. (2013). Graph markup language
    (GraphML). In R. Tamassia (Ed.), *Handbook of Graph Drawing and Visualization*
    (pp. 517-541). CRC Press. http://graphml.graphdrawing.org/
    """
    graph = graphml_graph(view)
    with writing(path, "wb") as handle:
        nx.write_graphml(graph, handle, encoding="utf-8")
    return Path(path)


def graphml_graph(view: TemporalGraph) -> nx.MultiDiGraph:
    """The networkx graph :func:`write_graphml` writes: every attribute a plain value of
    one Python type per column (``bool``, ``int``, ``float`` or ``str``), so that
    networkx's GraphML writer gives each column one typed key."""
    entities = view.entities
    rel = view.relations
    if rel["id"].duplicated().any():
        raise ValueError("relation ids must be unique to be written as GraphML edge ids")
    graph = nx.MultiDiGraph()
    title = view.metadata.get("title")
    if title:
        graph.graph["title"] = str(title)
    node_columns = [c for c in entities.columns if c != "id"]
    node_values = _plain_columns(entities, node_columns)
    for i, entity_id in enumerate(entities["id"]):
        graph.add_node(str(entity_id), **_row(node_columns, node_values, i))
    edge_columns = [c for c in rel.columns if c not in _LEFT_OUT]
    edge_values = _plain_columns(rel, edge_columns)
    for i, (key, source, target) in enumerate(zip(rel["id"], rel["source"], rel["target"],
                                                  strict=True)):
        graph.add_edge(str(source), str(target), key=str(key),
                       **_row(edge_columns, edge_values, i))
    return graph


def _row(columns: list, values: list[list], i: int) -> dict:
    return {str(c): v[i] for c, v in zip(columns, values, strict=True) if v[i] is not None}


def _plain_columns(frame: pd.DataFrame, columns: list) -> list[list]:
    return [_plain(frame[c]) for c in columns]


def _plain(values: pd.Series) -> list:
    """A column as plain Python values of one type (``None``: missing, left out)."""
    dtype = values.dtype
    missing = values.isna().to_numpy()
    if pd.api.types.is_bool_dtype(dtype):
        out = [bool(v) for v in values.to_numpy(dtype=bool, na_value=False)]
    elif pd.api.types.is_integer_dtype(dtype):
        out = [int(v) for v in values.to_numpy(dtype=np.int64, na_value=0)]
    elif pd.api.types.is_float_dtype(dtype):
        out = [float(v) for v in values.to_numpy(dtype=float, na_value=np.nan)]
    elif pd.api.types.is_datetime64_any_dtype(dtype):
        out = [v.isoformat() if not pd.isna(v) else None for v in values]
    else:
        present = values[~missing]
        kinds = {type(v) for v in present}
        if kinds and all(issubclass(k, (bool, np.bool_)) for k in kinds):
            out = [None if m else bool(v) for v, m in zip(values, missing, strict=True)]
        elif kinds and all(issubclass(k, (int, np.integer)) and not issubclass(k, (bool, np.bool_))
                           for k in kinds):
            out = [None if m else int(v) for v, m in zip(values, missing, strict=True)]
        elif kinds and all(issubclass(k, (float, np.floating)) for k in kinds):
            out = [None if m else float(v) for v, m in zip(values, missing, strict=True)]
        else:
            out = [None if m else (v.isoformat() if isinstance(v, pd.Timestamp) else str(v))
                   for v, m in zip(values, missing, strict=True)]
    return [None if m else v for v, m in zip(out, missing, strict=True)]
