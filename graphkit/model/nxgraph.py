"""A temporal graph from a networkx graph whose nodes and edges carry its attributes."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import numpy as np
import pandas as pd

from graphkit import model
from graphkit.core.problems import PROBLEM_COLUMNS, ValidationError
from graphkit.core.vocabulary import Vocabulary, default_vocabulary

__all__ = ["networkx_tables"]


def networkx_tables(
    G: nx.Graph,
    start: str = "start",
    end: str = "end",
    type: str = "type",
    *,
    name: str = "name",
    entity_type: str = "type",
    default_entity_type: str | None = None,
    vocabulary: Vocabulary | None = None,
    metadata: dict | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, Vocabulary, dict]:
    """The tables of a temporal graph from a networkx graph, validated like any other input.

    :meth:`graphkit.TemporalGraph.from_networkx` builds the graph from them.

    Every node is an entity (its id the node, as text) and every edge a relation; the
    node and edge attributes are the columns of the two tables.

    Parameters
    ----------
    G : networkx.Graph, DiGraph, MultiGraph or MultiDiGraph
        The graph. Every edge is one relation (parallel edges of a multigraph too). The
        relation id is the edge's ``id`` attribute; without one, a multigraph's edge key
        when the keys are unique and not integers, else the edge's position. Unique
        integer keys (as :meth:`TemporalGraph.to_networkx` gives them: the relations'
        positions in the table) order the relations and become the table's index. Edges
        of an undirected graph are undirected relations unless they carry ``directed``.
    start, end, type : str
        Names of the edge attributes holding the relation's start date, end date (both
        partial ISO dates ``2023``, ``2023-09``, ``2023-09-25``, or dates/datetimes,
        taken as days) and relation type.
    name, entity_type : str
        Names of the node attributes holding the entity's display name (default: the
        node id) and entity type.
    default_entity_type : str, optional
        Entity type of nodes without ``entity_type`` (without it, such nodes are
        problems).
    vocabulary : Vocabulary, optional
        Relation types; the default vocabulary when omitted.
    metadata : dict, optional
        Descriptive metadata (``title`` ...); ``G.graph`` when omitted.

    Returns
    -------
    entities, relations : pandas.DataFrame
        The canonical tables (see :mod:`graphkit.model`).
    vocabulary : Vocabulary
    metadata : dict

    Raises
    ------
    graphkit.ValidationError
        With every problem, located by node (``node 'ARM'``) or edge
        (``edge 'ARM' -> 'AZE' key 3``), the attribute (as named in ``G``), the value and
        the reason.

    Notes
    -----
    The other edge attributes fill the relation columns of the same name (``weight``,
    ``sign``, ``directed``, ``confidence``, ``quad_class``, ``evidence``,
    ``source_ref``), or become extra columns; ``t_start``, ``t_end`` and
    ``signed_weight`` are derived again from the dates and weights. So
    ``TemporalGraph.from_networkx(tg.to_networkx(aggregate=False))`` gives back ``tg``'s
    tables.

    Examples
    --------
    >>> import networkx as nx
    >>> from graphkit import TemporalGraph
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("ARM", name="Armenia", type="state")
    >>> G.add_node("AZE", name="Azerbaijan", type="state")
    >>> G.add_edge("AZE", "ARM", type="military_action", start="2023-09-19", end="2023-09-20")
    0
    >>> tg = TemporalGraph.from_networkx(G)
    >>> tg.relations[["source", "target", "type", "start", "end"]]
      source target             type       start         end
    0    AZE    ARM  military_action  2023-09-19  2023-09-20
    """
    vocabulary = vocabulary or default_vocabulary()
    nodes, node_places = _nodes(G, name, entity_type, default_entity_type)
    edges, edge_places, ids = _edges(G, start, end, type)
    try:
        entities, relations = model.build(nodes, edges, vocabulary, entities_file="nodes",
                                          relations_file="edges", first_row=1)
    except ValidationError as err:
        renames = {"nodes": {"name": name, "type": entity_type},
                   "edges": {"start": start, "end": end, "type": type}}
        raise ValidationError(_located(err.problems, node_places, edge_places, renames)) \
            from None
    if ids is not None:
        relations.index = ids
    meta = dict(G.graph) if metadata is None else dict(metadata)
    return entities, relations, vocabulary, meta


def _nodes(G: nx.Graph, name: str, entity_type: str, default: str | None):
    records, places = [], []
    for node, data in G.nodes(data=True):
        record = {k: v for k, v in data.items() if k not in ("id", name, entity_type)}
        record["id"] = str(node)
        record["name"] = data.get(name, "")
        record["type"] = data.get(entity_type, default)
        records.append(record)
        places.append(f"node {node!r}")
    columns = ["id", "name", "type"]
    return _frame(records, columns), places


def _edges(G: nx.Graph, start: str, end: str, type: str):
    if G.is_multigraph():
        triples = [(u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True)]
    else:
        triples = [(u, v, None, d) for u, v, d in G.edges(data=True)]
    keys = [k for _, _, k, _ in triples]
    ids = None
    if G.is_multigraph() and triples and len(set(keys)) == len(keys):
        if all(isinstance(k, (int, np.integer)) and not isinstance(k, bool) for k in keys):
            order = np.argsort(np.asarray(keys, dtype=np.int64), kind="stable")
            triples = [triples[i] for i in order]
            keys = [int(triples[i][2]) for i in range(len(triples))]
            ids = pd.RangeIndex(len(keys)) if keys == list(range(len(keys))) else \
                pd.Index(keys)
        else:
            ids = pd.Index(keys)
    string_ids = ids is not None and not isinstance(ids, pd.RangeIndex) and \
        ids.dtype.kind not in "iu"
    if string_ids:
        ids = None  # the keys become the id column; the index stays a plain range
    derived = set(model.DERIVED_COLUMNS)
    records, places = [], []
    for u, v, key, data in triples:
        record = {k: x for k, x in data.items()
                  if k not in derived and k not in (start, end, type)}
        if "id" not in data and ids is None and string_ids:
            record["id"] = key  # unique keys other than positions: the relation ids
        record["source"] = str(u)
        record["target"] = str(v)
        record["type"] = data.get(type)
        record["start"] = _date_text(data.get(start))
        record["end"] = _date_text(data.get(end))
        if "directed" not in data and not G.is_directed():
            record["directed"] = False
        records.append(record)
        place = f"edge {u!r} -> {v!r}" + (f" key {key!r}" if key is not None else "")
        places.append(place)
    columns = ["source", "target", "type", "start", "end"]
    return _frame(records, columns), places, ids


def _frame(records: list[dict], columns: list[str]) -> pd.DataFrame:
    seen = list(columns)
    for record in records:
        seen.extend(k for k in record if k not in seen)
    if not records:
        return pd.DataFrame(columns=seen)
    return pd.DataFrame.from_records(records, columns=seen)


def _date_text(value: object) -> object:
    """Dates and datetimes as ISO days; anything else as given (validated later)."""
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, (dt.date, pd.Timestamp)) and not pd.isna(value):
        return value.strftime("%Y-%m-%d")
    return value


def _located(problems: pd.DataFrame, node_places: list[str], edge_places: list[str],
             renames: dict[str, dict[str, str]]) -> pd.DataFrame:
    """Problems found in the two tables, located by node or edge of the graph."""
    out = problems.copy()
    places = {"nodes": node_places, "edges": edge_places}
    files, columns = [], []
    for file, row, column in zip(out["file"], out["row"], out["column"], strict=True):
        if pd.isna(row):
            files.append(f"networkx {file}")
        else:
            files.append(places[file][int(row) - 1])
        columns.append(renames.get(file, {}).get(column, column))
    out["file"] = files
    out["column"] = columns
    out["row"] = pd.array([pd.NA] * len(out), dtype="Int64")
    return out[PROBLEM_COLUMNS].reset_index(drop=True)
