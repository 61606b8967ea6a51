"""GEXF 1.3 for Gephi: dynamic (time spells) or static, written and read back.

:func:`write_gexf` writes a temporal graph as GEXF 1.3, the format Gephi's timeline
plays: every relation is one edge (parallel relations stay separate, each with its
relation id), with a time spell from the first day its start covers to the last day its
end covers (a ``2023-09`` relation spans 1 to 30 September; an ongoing durable relation
has an open end). Every relation column and every entity column becomes a typed GEXF
attribute. :func:`read_gexf` (and so :func:`graphkit.load`) reads such a file back to the
same tables, validating it like any other input.

The file is written with :mod:`xml.etree.ElementTree` and validates against the GEXF 1.3
XML schema (``tests/test_io_gexf.py``).

References
----------
GEXF Working Group (2022). *GEXF 1.3 specification* and *GEXF 1.3 primer*.
https://gexf.net/ and https://github.com/gephi/gexf
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd

from graphkit import model
from graphkit.core.atomic import writing
from graphkit.core.dates import ONGOING, parse_partial_dates
from graphkit.core.problems import Problems
from graphkit.core.vocabulary import RelationType, default_vocabulary
from graphkit.model.temporal import TemporalGraph

__all__ = ["GEXF_NAMESPACE", "read_gexf", "write_gexf"]

GEXF_NAMESPACE = "http://gexf.net/1.3"

#: Relation columns carried by the edge itself (its ends and spell), not as attributes.
_EDGE_COLUMNS = ("source", "target", "t_start", "t_end")
_INTEGER_TYPES = {"integer", "long", "short", "byte", "biginteger"}
_FLOAT_TYPES = {"double", "float", "bigdecimal"}
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
# Characters XML 1.0 cannot hold at all (not even as character references).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_DAY = np.timedelta64(1, "D")


def _q(tag: str, namespace: str = GEXF_NAMESPACE) -> str:
    return f"{{{namespace}}}{tag}"


# ------------------------------------------------------------------------- writing


def write_gexf(tg: TemporalGraph, path: str | os.PathLike, *, dynamic: bool = True) -> Path:
    """Write a temporal graph as a GEXF 1.3 file for Gephi.

    Parameters
    ----------
    tg : TemporalGraph
        The graph, or a view of it (``tg.window(a, b)``, ``tg.at(d)``, ``tg.filter(...)``).
    path : str or path-like
        The ``.gexf`` file to write (through a temporary file in the same folder, so a
        failure leaves an existing file as it was).
    dynamic : bool
        ``True`` (default): a dynamic graph (``mode="dynamic"``, ``timeformat="date"``)
        whose edges carry time spells, so Gephi's timeline plays the relations as they
        start and end; entities get a spell too when their table has ``start``/``end``
        columns (partial dates of their existence). ``False``: a static graph without
        spells, for a snapshot or a window.

    Returns
    -------
    pathlib.Path
        The file written.

    Notes
    -----
    * Nodes: id = entity id, label = name; attributes ``type``, ``aliases`` and every
      extra entity column.
    * Edges: one per relation, ``id`` = relation id, ``label`` and ``kind`` = relation
      type (GEXF 1.3 ``kind`` keeps parallel edges apart in Gephi); attributes for every
      relation column: ``id``, ``type``, ``start`` and ``end`` (the partial dates as
      written, precision kept), ``weight``, ``sign``, ``directed``, ``confidence``,
      ``quad_class``, ``evidence``, ``source_ref``, extra columns, ``durable`` and
      ``signed_weight``.
    * Spells are inclusive (GEXF 1.3 has no open intervals): from the first day the
      start covers to the last day the end covers; an event without an end lasts the unit
      of its start (``2023-09`` is 1-30 September); an ongoing durable relation has no end.
    * Attribute types: ``boolean``, ``integer`` (8 to 32-bit integers), ``long``,
      ``double`` or ``string``. Missing values (NaN) are left out; empty text is kept.
    * When every relation is undirected the graph's default edge type is
      ``undirected``; otherwise it is ``directed`` and undirected relations are
      ``mutual`` edges (networkx reads them as one edge each way).
    * No edge ``weight`` is written: the relation's Goldstein weight (which may be
      negative) is the ``weight`` attribute, and ``networkx.read_gexf`` reads it as
      ``weight``.
    * Characters XML 1.0 cannot hold (control characters other than tab, newline and
      carriage return) are written as U+FFFD.

    Examples
    --------
    >>> import graphkit
    >>> from graphkit.io import write_gexf
    >>> tg = graphkit.load("data/nagorno_karabakh")  # doctest: +SKIP
    >>> write_gexf(tg, "karabakh.gexf")  # doctest: +SKIP
    >>> september = tg.window("2023-09-01", "2023-10-01")  # doctest: +SKIP
    >>> write_gexf(september, "september.gexf", dynamic=False)  # doctest: +SKIP

    References
    ----------
    GEXF Working Group (2022). *GEXF 1.3 specification*. https://gexf.net/
    """
    root = gexf_element(tg, dynamic=dynamic)
    ET.indent(root, space=" ")

    with writing(path, "wb") as handle:
        ET.ElementTree(root).write(handle, encoding="UTF-8", xml_declaration=True)
    return Path(path)


def gexf_element(tg: TemporalGraph, *, dynamic: bool = True) -> ET.Element:
    """The ``<gexf>`` element :func:`write_gexf` writes.

    Tags are unqualified and the root carries ``xmlns``, the one way
    :mod:`xml.etree.ElementTree` writes a default namespace with unqualified attributes.
    """
    from graphkit import __version__

    rel = tg.relations
    if rel["id"].duplicated().any():
        raise ValueError("relation ids must be unique to be written as GEXF edge ids")
    root = ET.Element("gexf", xmlns=GEXF_NAMESPACE, version="1.3")
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = f"graphkit {__version__}"
    title = tg.metadata.get("title")
    if title:
        ET.SubElement(meta, "description").text = _xml_text(str(title))

    undirected = len(rel) > 0 and not rel["directed"].any()
    graph = ET.SubElement(root, "graph", mode="dynamic" if dynamic else "static",
                          defaultedgetype="undirected" if undirected else "directed")
    if dynamic:
        graph.set("timeformat", "date")

    entities = tg.entities
    node_columns = [c for c in entities.columns if c not in ("id", "name")]
    edge_columns = [c for c in rel.columns if c not in _EDGE_COLUMNS]
    node_types = _declare(graph, "node", entities, node_columns)
    edge_types = _declare(graph, "edge", rel, edge_columns)

    nodes = ET.SubElement(graph, "nodes", count=str(len(entities)))
    node_spells = _entity_spells(entities) if dynamic else None
    node_values = _attribute_texts(entities, node_columns, node_types)
    for i, (entity_id, name) in enumerate(zip(entities["id"], entities["name"], strict=True)):
        node = ET.SubElement(nodes, "node", id=_xml_text(str(entity_id)),
                             label=_xml_text(str(name)))
        _attvalues(node, node_values, i)
        if node_spells is not None:
            _spell(node, node_spells[0][i], node_spells[1][i])

    edges = ET.SubElement(graph, "edges", count=str(len(rel)))
    edge_values = _attribute_texts(rel, edge_columns, edge_types)
    starts, ends = _relation_spells(rel) if dynamic else (None, None)
    columns = zip(rel["id"], rel["source"], rel["target"], rel["type"], rel["directed"],
                  strict=True)
    for i, (rel_id, source, target, kind, directed) in enumerate(columns):
        kind = _xml_text(str(kind))
        edge = ET.SubElement(edges, "edge", id=_xml_text(str(rel_id)),
                             source=_xml_text(str(source)), target=_xml_text(str(target)),
                             label=kind, kind=kind)
        if not directed and not undirected:
            edge.set("type", "mutual")
        _attvalues(edge, edge_values, i)
        if starts is not None:
            _spell(edge, starts[i], ends[i])
    return root


def _declare(graph: ET.Element, cls: str, frame: pd.DataFrame, columns: list) -> list[str]:
    """Add the ``<attributes>`` block of a class; return the GEXF type of each column."""
    block = ET.SubElement(graph, "attributes", {"class": cls, "mode": "static"})
    types = []
    for i, column in enumerate(columns):
        kind = _gexf_type(frame[column])
        types.append(kind)
        ET.SubElement(block, "attribute", id=str(i), title=_xml_text(str(column)),
                      type=kind)
    return types


def _gexf_type(values: pd.Series) -> str:
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(dtype):
        return "long" if dtype.itemsize > 4 else "integer"
    if pd.api.types.is_float_dtype(dtype):
        return "double"
    present = [v for v in values if not _missing(v)]
    if present and all(isinstance(v, (bool, np.bool_)) for v in present):
        return "boolean"
    if present and all(isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))
                       for v in present):
        return "long"
    if present and all(isinstance(v, (float, np.floating)) for v in present):
        return "double"
    return "string"


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, (float, np.floating)) and np.isnan(value)


def _attribute_texts(frame: pd.DataFrame, columns: list, types: list[str]) -> list[list]:
    """Per column, the value text of each row (``None``: left out)."""
    out = []
    for column, kind in zip(columns, types, strict=True):
        out.append([None if _missing(v) else _value_text(v, kind) for v in frame[column]])
    return out


def _value_text(value: object, kind: str) -> str:
    if kind == "boolean":
        return "true" if bool(value) else "false"
    if kind in ("integer", "long"):
        return str(int(value))
    if kind == "double":
        return repr(float(value))
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return _xml_text(str(value))


def _attvalues(element: ET.Element, values: list[list], row: int) -> None:
    present = [(i, column[row]) for i, column in enumerate(values) if column[row] is not None]
    if not present:
        return
    block = ET.SubElement(element, "attvalues")
    for i, text in present:
        ET.SubElement(block, "attvalue", {"for": str(i), "value": text})


def _spell(element: ET.Element, start: str | None, end: str | None) -> None:
    if start is None and end is None:
        return
    bounds = {k: v for k, v in (("start", start), ("end", end)) if v is not None}
    ET.SubElement(ET.SubElement(element, "spells"), "spell", bounds)


def _relation_spells(rel: pd.DataFrame) -> tuple[list, list]:
    """Inclusive first and last day of each relation (``None``: open end)."""
    t_start = rel["t_start"].to_numpy(dtype="datetime64[s]").astype("datetime64[D]")
    t_end = rel["t_end"].to_numpy(dtype="datetime64[s]").astype("datetime64[D]")
    ongoing = (rel["t_end"] >= ONGOING).to_numpy()
    last = (t_end - _DAY).astype(str).astype(object)
    last[ongoing] = None
    return t_start.astype(str).tolist(), last.tolist()


def _entity_spells(entities: pd.DataFrame) -> tuple[list, list]:
    """Existence spells from optional ``start``/``end`` entity columns (partial dates)."""
    n = len(entities)
    bounds = []
    for column, side in (("start", "start"), ("end", "end")):
        if column not in entities.columns:
            bounds.append([None] * n)
            continue
        parsed = parse_partial_dates(entities[column].astype(object).reset_index(drop=True))
        days = parsed[side].to_numpy(dtype="datetime64[s]").astype("datetime64[D]")
        if side == "end":
            days = days - _DAY
        texts = days.astype(str).astype(object)
        texts[np.isnat(days)] = None
        bounds.append(texts.tolist())
    return bounds[0], bounds[1]


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


# ------------------------------------------------------------------------- reading


def read_gexf(path: str | os.PathLike) -> TemporalGraph:
    """Read a GEXF file written by :func:`write_gexf` (or shaped like one).

    Node ids become entity ids and labels their names; node and edge attributes become
    columns, typed as the file declares them. A relation's id is its ``id`` attribute, or
    else its edge id. A relation without ``start``/``end`` attributes takes them from its
    first spell (or its ``start``/``end``), so dynamic files from other tools load too.
    The tables are then validated like any other input; derived columns (``t_start``,
    ``t_end``, ``durable``, ``signed_weight``) are computed again.

    Relation types not in the default vocabulary are registered with the sign, weight,
    direction and quad class of their first relation; a type is durable as the file's
    ``durable`` attribute says or, without one, when one of its relations has no end and
    an open spell.

    Parameters
    ----------
    path : str or path-like
        The ``.gexf`` file.

    Returns
    -------
    TemporalGraph

    Raises
    ------
    graphkit.ValidationError
        With every problem: the file and ``#nodes`` or ``#edges``, the node's or edge's
        position (first is 1), the attribute, the value and the reason.

    Notes
    -----
    The file is parsed by :mod:`xml.etree.ElementTree` (expat), which fetches no external
    entity or DTD; expat 2.4.1 and later also bound entity expansion ("billion laughs").

    Examples
    --------
    >>> import graphkit
    >>> tg = graphkit.load("karabakh.gexf")  # doctest: +SKIP
    """
    name = str(path)
    problems = Problems()
    try:
        root = ET.parse(path).getroot()
    except FileNotFoundError:
        problems.add(name, "no such file or folder")
        problems.raise_if_any()
    except ET.ParseError as err:
        problems.add(name, f"not well-formed XML: {err}", row=err.position[0])
        problems.raise_if_any()
    namespace = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    graph = root.find(_q("graph", namespace))
    if root.tag != _q("gexf", namespace) or graph is None:
        problems.add(name, "not a GEXF file: expected <gexf> holding a <graph>",
                     value=root.tag)
        problems.raise_if_any()
    reader = _Reader(name, namespace, problems)
    declared = reader.declarations(graph)
    entities = reader.nodes(graph, declared.get("node", {}))
    relations, open_ended = reader.edges(graph, declared.get("edge", {}))
    vocabulary = _vocabulary(relations, open_ended)
    relations = relations.drop(columns=[c for c in model.DERIVED_COLUMNS
                                        if c in relations.columns])
    ents, rels = model.build(entities, relations, vocabulary,
                             entities_file=f"{name}#nodes", relations_file=f"{name}#edges",
                             first_row=1, problems=problems)
    description = root.find(f"{_q('meta', namespace)}/{_q('description', namespace)}")
    metadata = {"title": description.text} if description is not None and description.text \
        else {}
    return TemporalGraph(ents, rels, vocabulary, metadata)


class _Reader:
    def __init__(self, name: str, namespace: str, problems: Problems):
        self.name = name
        self.ns = namespace
        self.problems = problems

    def q(self, tag: str) -> str:
        return _q(tag, self.ns)

    def declarations(self, graph: ET.Element) -> dict[str, dict[str, tuple[str, str]]]:
        declared: dict[str, dict[str, tuple[str, str]]] = {}
        for block in graph.findall(self.q("attributes")):
            table = declared.setdefault(block.get("class", ""), {})
            for attribute in block.findall(self.q("attribute")):
                table[attribute.get("id", "")] = (attribute.get("title", ""),
                                                  attribute.get("type", "string"))
        return declared

    def _values(self, element: ET.Element, declared: dict, file: str, row: int) -> dict:
        record: dict[str, object] = {}
        for value in element.iterfind(f"{self.q('attvalues')}/{self.q('attvalue')}"):
            key, text = value.get("for", ""), value.get("value", "")
            if key not in declared:
                self.problems.add(file, "attribute value for an undeclared attribute",
                                  row=row, column="for", value=key)
                continue
            title, kind = declared[key]
            if any(value.get(k) is not None for k in ("start", "end", "timestamp")):
                self.problems.add(file, "time-varying attribute values are not supported",
                                  row=row, column=title, value=text)
                continue
            record[title] = self._convert(text, kind, file, row, title)
        return record

    def _convert(self, text: str, kind: str, file: str, row: int, title: str) -> object:
        try:
            if kind == "boolean":
                return _BOOLEANS[text.strip().lower()]
            if kind in _INTEGER_TYPES:
                return int(text)
            if kind in _FLOAT_TYPES:
                return float(text)
        except (KeyError, ValueError):
            self.problems.add(file, f"not a valid {kind}", row=row, column=title, value=text)
        return text

    def _spell(self, element: ET.Element) -> tuple[str | None, str | None]:
        spell = element.find(f"{self.q('spells')}/{self.q('spell')}")
        source = spell if spell is not None else element
        return source.get("start"), source.get("end")

    def nodes(self, graph: ET.Element, declared: dict) -> pd.DataFrame:
        file = f"{self.name}#nodes"
        records = []
        for row, node in enumerate(graph.iterfind(f"{self.q('nodes')}/{self.q('node')}"), 1):
            node_id = node.get("id", "")
            record = {"id": node_id, "name": node.get("label") or node_id}
            record.update(self._values(node, declared, file, row))
            records.append(record)
        titles = [t for t, _ in declared.values()]
        return _frame(records, ["id", "name", *titles], declared)

    def edges(self, graph: ET.Element, declared: dict) -> tuple[pd.DataFrame, list[bool]]:
        file = f"{self.name}#edges"
        default_directed = graph.get("defaultedgetype", "directed") == "directed"
        records, ids, open_ended = [], [], []
        for row, edge in enumerate(graph.iterfind(f"{self.q('edges')}/{self.q('edge')}"), 1):
            record = self._values(edge, declared, file, row)
            record.update(source=edge.get("source", ""), target=edge.get("target", ""))
            start, end = self._spell(edge)
            if "start" not in record and start is not None:
                record["start"] = start
            if "end" not in record and end is not None:
                record["end"] = end
            if "directed" not in record:
                kind = edge.get("type")
                record["directed"] = default_directed if kind is None else kind == "directed"
            records.append(record)
            if "id" not in record and edge.get("id") is not None:
                record["id"] = edge.get("id")
            ids.append(edge.get("id"))
            open_ended.append(start is not None and end is None)
        duplicated = pd.Index(ids).duplicated() & pd.notna(ids)
        for row in np.flatnonzero(duplicated) + 1:
            self.problems.add(file, "duplicate edge id", row=int(row), column="id",
                              value=ids[row - 1])
        titles = [t for t, _ in declared.values() if t not in _EDGE_COLUMNS]
        frame = _frame(records, ["source", "target", *titles], declared)
        return frame, open_ended


def _frame(records: list[dict], columns: list[str], declared: dict) -> pd.DataFrame:
    """Records as a frame with the given column order (extra keys appended)."""
    seen = list(dict.fromkeys(columns))
    for record in records:
        seen.extend(k for k in record if k not in seen)
    frame = pd.DataFrame.from_records(records, columns=seen) if records else \
        pd.DataFrame(columns=seen)
    strings = {t for t, kind in declared.values() if kind not in _INTEGER_TYPES | _FLOAT_TYPES
               | {"boolean"}}
    for column in frame.columns:
        if column in strings or column in ("id", "name", "source", "target"):
            frame[column] = frame[column].astype("str")
    return frame


def _vocabulary(relations: pd.DataFrame, open_ended: list[bool]):
    """The default vocabulary plus the file's other relation types (see read_gexf)."""
    vocabulary = default_vocabulary()
    if "type" not in relations.columns or not len(relations):
        return vocabulary
    types = relations["type"].astype(str).str.strip()
    open_ended = np.asarray(open_ended, dtype=bool)
    no_end = (relations["end"].astype(str).str.strip().isin(["", "nan"]).to_numpy()
              if "end" in relations.columns else np.ones(len(relations), dtype=bool))
    for name in types.unique():
        if not name or name in vocabulary:
            continue
        mask = (types == name).to_numpy()
        first = relations[mask].iloc[0]
        try:
            relation_type = RelationType(
                name,
                sign=int(_first_number(first, "sign", 0)),
                weight=float(_first_number(first, "weight", 0.0)),
                durable=_durable(relations[mask], open_ended[mask] & no_end[mask]),
                directed=_truth(first.get("directed", True)),
                quad_class=int(_first_number(first, "quad_class", 0)),
            )
        except (TypeError, ValueError):
            continue  # the relation itself is reported by validation
        vocabulary.register(relation_type)
    return vocabulary


def _durable(relations: pd.DataFrame, open_ended: np.ndarray) -> bool:
    """The file's ``durable`` attribute when it has one, else: one relation of the type
    has no end and an open spell."""
    if "durable" in relations.columns and relations["durable"].notna().any():
        return any(_truth(v) for v in relations["durable"] if not _missing(v))
    return bool(open_ended.any())


def _truth(value: object) -> bool:
    if isinstance(value, str):
        return _BOOLEANS.get(value.strip().lower(), True)
    return True if _missing(value) else bool(value)


def _first_number(record: pd.Series, column: str, default: float) -> float:
    value = record.get(column, default)
    try:
        value = float(value)
    except (TypeError, ValueError):
        return default
    return default if np.isnan(value) else value
