"""The temporal graph: validated tables plus one idea of a time view.

A :class:`TemporalGraph` holds an entities table and a relations table. Every time
view is a boolean mask over the relations (vectorised, no loop over relations):

* ``tg.at(t)`` / ``tg.snapshot(t)``: what holds on one day;
* ``tg.window(a, b)``: what overlaps the half-open range ``[a, b)``;
* ``tg.periods(freq, window=None)``: the sequence of calendar periods (optionally
  rolling over ``window`` periods) used by every metric computed "over time".

Graphs (networkx) are views made from the tables on demand, never the other way round.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from html import escape

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphkit import model
from graphkit.core.dates import ONGOING, to_timestamp
from graphkit.core.timespec import half_life_seconds, period_bounds
from graphkit.core.vocabulary import Vocabulary, default_vocabulary
from graphkit.model import measure, timeindex
from graphkit.model.nxgraph import networkx_tables
from graphkit.model.timeindex import TimeIndex

__all__ = ["TemporalGraph", "dyad_keys", "encode", "range_scores"]

@dataclass(frozen=True, eq=False)
class TemporalGraph:
    """Entities and dated, typed relations between them.

    Build one with :func:`graphkit.load`, :meth:`from_frames` or :func:`graphkit.read_json`.

    Attributes
    ----------
    entities : pandas.DataFrame
        Canonical entities table (``id``, ``name``, ``type``, ``aliases``, extras).
    relations : pandas.DataFrame
        Canonical relations table (see :mod:`graphkit.model`), index = relation id.
    vocabulary : Vocabulary
        The relation types in use.
    metadata : dict
        Descriptive metadata (title, sources, licences) carried from a data package.
    bounds : (Timestamp, Timestamp) or None
        The half-open range a time view (:meth:`window`, :meth:`at`) looks at; ``None``
        for the whole graph. Scores of the view (:meth:`to_networkx`) are measured over it.

    Examples
    --------
    >>> import graphkit
    >>> tg = graphkit.TemporalGraph.from_frames(
    ...     pd.DataFrame({"id": ["ARM", "RUS"], "name": ["Armenia", "Russia"],
    ...                   "type": "state", "aliases": ["Yerevan", "Moscow;Kremlin"]}),
    ...     pd.DataFrame({"source": ["Yerevan"], "target": ["kremlin"],
    ...                   "type": ["criticism"], "start": ["2023-09"]}))
    >>> tg.relations[["source", "target", "signed_weight"]]
      source target  signed_weight
    0    ARM    RUS           -2.0
    >>> tg.snapshot("2023-09-15").number_of_edges()
    1
    """

    entities: pd.DataFrame
    relations: pd.DataFrame
    vocabulary: Vocabulary = field(default_factory=default_vocabulary)
    metadata: dict = field(default_factory=dict)
    bounds: tuple[pd.Timestamp, pd.Timestamp] | None = None

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_frames(
        cls,
        entities: pd.DataFrame,
        relations: pd.DataFrame,
        *,
        vocabulary: Vocabulary | None = None,
        metadata: dict | None = None,
    ) -> TemporalGraph:
        """Validate two tables and build a temporal graph.

        Parameters
        ----------
        entities : pandas.DataFrame
            Columns ``id``, ``name``, ``type``, optional ``aliases`` (``;``-separated or
            lists) and any extra columns.
        relations : pandas.DataFrame
            Columns ``source``, ``target`` (id or alias, any case), ``type``, ``start``,
            optional ``end``, ``weight``, ``sign``, ``directed``, ``confidence``,
            ``quad_class``, ``evidence``, ``source_ref`` and extra columns. Dates are
            partial ISO text (``2020``, ``2020-11``, ``2020-11-10``) or datetimes.
        vocabulary : Vocabulary, optional
            Relation types; the default vocabulary when omitted.

        Raises
        ------
        graphkit.ValidationError
            Listing every problem in both tables (rows numbered as in a CSV file).
        """
        vocabulary = vocabulary or default_vocabulary()
        ents, rels = model.build(entities, relations, vocabulary)
        return cls(ents, rels, vocabulary, dict(metadata or {}))

    @classmethod
    def from_networkx(
        cls,
        G: nx.Graph,
        start: str = "start",
        end: str = "end",
        type: str = "type",
        **options,
    ) -> TemporalGraph:
        """Build a temporal graph from a networkx graph, validated like any input.

        Nodes are entities and edges relations; ``start``, ``end`` and ``type`` name the
        edge attributes holding the dates and the relation type. See
        :func:`graphkit.model.nxgraph.networkx_tables` for every option.

        Raises
        ------
        graphkit.ValidationError
            Every problem, located by node or edge and attribute.

        Examples
        --------
        >>> G = nx.MultiDiGraph()
        >>> G.add_nodes_from([("ARM", {"type": "state"}), ("RUS", {"type": "state"})])
        >>> G.add_edge("ARM", "RUS", type="criticism", start="2023-09")
        0
        >>> TemporalGraph.from_networkx(G).relations[["source", "target", "start"]]
          source target    start
        0    ARM    RUS  2023-09
        """
        return cls(*networkx_tables(G, start=start, end=end, type=type, **options))

    def _with(self, relations: pd.DataFrame, entities: pd.DataFrame | None = None,
              bounds: tuple[pd.Timestamp, pd.Timestamp] | None = None):
        if bounds is not None and self.bounds is not None:
            bounds = (max(bounds[0], self.bounds[0]), min(bounds[1], self.bounds[1]))
        return TemporalGraph(
            self.entities if entities is None else entities, relations, self.vocabulary,
            self.metadata, bounds or self.bounds,
        )

    @property
    def measured_range(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """The range scores of this graph are measured over: :attr:`bounds` for a time
        view, else the data's :attr:`span` (to the end of its last instant)."""
        if self.bounds is not None:
            return self.bounds
        first, last = self.span
        return first, last + pd.Timedelta(seconds=1)

    # ------------------------------------------------------------------- time views

    @property
    def span(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """First and last instant the data speaks of.

        The last instant is the end of the latest dated unit in the data (an event's day,
        an interval's end, or the start of an ongoing relation), so ongoing relations run
        to the data's horizon, never to "today": the same data always gives the same
        periods.
        """
        if self.relations.empty:
            raise ValueError("the graph has no relations, so no time span")
        ends = self.relations["t_end"]
        finite = ends[ends < ONGOING]
        last = self.relations["t_start"].max()
        if len(finite):
            last = max(last, finite.max() - pd.Timedelta(seconds=1))
        return pd.Timestamp(self.relations["t_start"].min()), pd.Timestamp(last)

    def active_mask(self, start: object, end: object | None = None) -> pd.Series:
        """Boolean mask of relations overlapping ``[start, end)`` (or covering ``start``)."""
        a = to_timestamp(start)
        b = to_timestamp(end) if end is not None else a + pd.Timedelta(seconds=1)
        if b <= a:
            raise ValueError(f"window end {end!r} is not after its start {start!r}")
        return (self.relations["t_start"] < b) & (self.relations["t_end"] > a)

    def window(self, start: object, end: object, *, align: str | None = None
               ) -> TemporalGraph:
        """Relations that overlap the half-open range ``[start, end)``.

        Durable relations count if their interval overlaps the range, events if they
        happen within it. The result is again a temporal graph, so views compose: its
        :meth:`period_table` and every over-time table run over this range only, however
        long its ties last (an alliance ongoing since 1961, a relation dated 9000).

        Parameters
        ----------
        start, end : date-like
            The range; partial dates mean their first instant.
        align : {"D", "W", "M", "Q", "Y"}, optional
            Widen the range to whole periods of this length, so that the view's periods
            hold every relation the whole graph's same periods hold.

        Examples
        --------
        >>> tg.window("2023-09-01", "2023-10-01")  # doctest: +SKIP
        >>> tg.window("2020-11-10", "2023-10-01", align="Y").bounds  # doctest: +SKIP
        (Timestamp('2020-01-01 00:00:00'), Timestamp('2024-01-01 00:00:00'))
        """
        bounds = (to_timestamp(start), to_timestamp(end))
        if align is not None and bounds[1] > bounds[0]:
            whole = period_bounds(bounds[0], bounds[1] - pd.Timedelta(seconds=1), align)
            bounds = (whole["start"].iloc[0], whole["end"].iloc[-1])
        return self._with(self.relations[self.active_mask(*bounds)], bounds=bounds)

    def at(self, date: object) -> TemporalGraph:
        """Relations that hold on ``date``: durable ones in force, events on that day.

        Its scores (:meth:`to_networkx`) are measured over that day.
        """
        day = to_timestamp(date).normalize()
        return self._with(self.relations[self.active_mask(date)],
                          bounds=(day, day + pd.Timedelta(days=1)))

    def periods(
        self, freq: str = "M", *, window: int | None = None
    ) -> Iterator[tuple[pd.Period, TemporalGraph]]:
        """Iterate over calendar periods from the first relation to the last.

        Parameters
        ----------
        freq : {"D", "W", "M", "Q", "Y"}
            Period length.
        window : int, optional
            Rolling width, in periods: the view for a period then holds the relations
            overlapping it and the ``window - 1`` periods before it.

        Yields
        ------
        (pandas.Period, TemporalGraph)
        """
        for row in self.period_table(freq, window=window).itertuples(index=False):
            yield row.period, self.window(row.start, row.end)

    def rolling(self, freq: str, window: int) -> Iterator[tuple[pd.Period, TemporalGraph]]:
        """Rolling views: ``periods(freq, window)``."""
        return self.periods(freq, window=window)

    def period_table(self, freq: str = "M", *, window: int | None = None) -> pd.DataFrame:
        """The periods :meth:`periods` iterates over, as a table (see :func:`period_bounds`).

        They cover the data's :attr:`span`, cut to the view's :attr:`bounds` when this is a
        time view (:meth:`window`, :meth:`at`).
        """
        first, last = self.span
        if self.bounds is not None:
            first = max(first, self.bounds[0])
            last = min(last, self.bounds[1] - pd.Timedelta(seconds=1))
            if last < first:  # relations that only touch the range's edge
                first, last = self.bounds[0], self.bounds[1] - pd.Timedelta(seconds=1)
        return period_bounds(first, last, freq, window)

    # --------------------------------------------------------------------- selection

    def filter(
        self,
        types: Iterable[str] | None = None,
        entities: Iterable[str] | None = None,
        min_confidence: float | None = None,
    ) -> TemporalGraph:
        """Keep relations of the given types, among the given entities, above a confidence.

        ``entities`` keeps the listed entities (ids or aliases) and the relations between
        them; unknown names raise ``KeyError``.
        """
        keep = pd.Series(True, index=self.relations.index)
        ents = None
        if types is not None:
            types = list([types] if isinstance(types, str) else types)
            unknown = sorted(set(types) - set(self.vocabulary.types))
            if unknown:
                raise KeyError(f"unknown relation types: {', '.join(unknown)}")
            keep &= self.relations["type"].isin(types)
        if entities is not None:
            ids = self.resolve([entities] if isinstance(entities, str) else entities)
            keep &= self.relations["source"].isin(ids) & self.relations["target"].isin(ids)
            ents = self.entities[self.entities["id"].isin(ids)]
        if min_confidence is not None:
            keep &= self.relations["confidence"] >= min_confidence
        return self._with(self.relations[keep], ents)

    def resolve(self, names: Iterable[str]) -> list[str]:
        """Entity ids for ids or aliases (any case); ``KeyError`` names those not found."""
        lookup = model.entity_lookup(self.entities)
        ids, unknown = [], []
        known_ids = set(self.entities["id"])
        for name in names:
            if name in known_ids:
                ids.append(name)
            elif str(name).lower() in lookup.index:
                ids.append(lookup[str(name).lower()])
            else:
                unknown.append(name)
        if unknown:
            raise KeyError(f"unknown entity or alias: {', '.join(map(str, unknown))}")
        return ids

    # ---------------------------------------------------------------------- graphs

    def snapshot(
        self,
        date: object,
        *,
        lookback: str | pd.Timedelta | None = None,
        half_life: str | pd.Timedelta | float | None = None,
    ) -> nx.MultiDiGraph:
        """The network on one date, as a networkx multigraph.

        Parameters
        ----------
        date : str or Timestamp
            The day to look at (a partial date means its first day).
        lookback : str or Timedelta, optional
            Also include events in the ``lookback`` before ``date`` (e.g. ``"90D"``).
            Durable relations count only while in force.
        half_life : str, Timedelta or number of days, optional
            Weigh events by exponential decay: an edge's ``decay`` is
            ``0.5 ** (age / half_life)``, where age is the time since the event ended, and
            ``decayed_weight = signed_weight * decay``; standing ties (durable types) in
            force keep decay 1. Without ``lookback``, every past event is included.

        Returns
        -------
        networkx.MultiDiGraph
            Every entity as a node (with its attributes), one edge per relation, keyed by
            relation id, with the relation's columns as attributes. Undirected relations
            are stored once with ``directed=False``.
        """
        t = to_timestamp(date)
        rel = self.relations
        # Same selection as the mask ``t_start <= t < t_end`` (plus recent events), found
        # through a time index built once per graph instead of a scan per call.
        index = self._time_index
        if lookback is None and half_life is None:
            since = None
        else:
            since = t - pd.Timedelta(lookback) if lookback is not None else pd.Timestamp.min
        positions = index.snapshot(t, since)
        chosen = rel.iloc[positions].copy()
        if half_life is not None:
            age = (t - chosen["t_end"]).clip(lower=pd.Timedelta(0)).dt.total_seconds()
            decay = np.exp2(-age.to_numpy(float) / half_life_seconds(half_life))
            chosen["decay"] = np.where(index.durable[positions], 1.0, decay)
            chosen["decayed_weight"] = chosen["signed_weight"] * chosen["decay"]
        return self._multigraph(chosen)

    @cached_property
    def _time_index(self) -> TimeIndex:
        """Relations indexed by time (built on first use; the tables are read-only)."""
        return TimeIndex(self.relations, self.vocabulary.column("durable"))

    @cached_property
    def _entity_codes(self) -> tuple[pd.Index, np.ndarray, np.ndarray]:
        """The sorted entity ids and every relation's source and target as positions in them.

        Computed on first use and kept (the tables are read-only), so the metrics do not
        hash the ids again on every call. The arrays are read-only.

        Returns
        -------
        ids : pandas.Index
            Entity ids, sorted.
        source, target : numpy.ndarray
            int64 positions in ``ids``, one per row of :attr:`relations`.

        Examples
        --------
        >>> tg = TemporalGraph.from_frames(
        ...     pd.DataFrame({"id": ["B", "A"], "name": ["b", "a"], "type": "state"}),
        ...     pd.DataFrame({"source": ["B"], "target": ["A"], "type": ["criticism"],
        ...                   "start": ["2023-09-12"]}))
        >>> ids, source, target = tg._entity_codes
        >>> list(ids), source.tolist(), target.tolist()
        (['A', 'B'], [1], [0])
        """
        ids = pd.Index(np.sort(self.entities["id"].to_numpy(dtype=object)), dtype="str")
        source = encode(self.relations["source"], ids)
        target = encode(self.relations["target"], ids)
        source.setflags(write=False)
        target.setflags(write=False)
        return ids, source, target

    @cached_property
    def _node_records(self) -> list[tuple[str, dict]]:
        return [(row["id"], row) for row in self.entities.to_dict("records")]

    def _multigraph(self, relations: pd.DataFrame) -> nx.MultiDiGraph:
        # The cyclic garbage collector would run again and again over the growing graph
        # (tens of thousands of new dicts, none of them garbage): pause it while building.
        # At 10M relations this halves snapshot(); the graph is the same.
        paused = gc.isenabled()
        gc.disable()
        try:
            graph = nx.MultiDiGraph()
            graph.add_nodes_from(self._node_records)  # networkx copies the attribute dicts
            records = timeindex.records(relations)  # == relations.to_dict("records")
            graph.add_edges_from(
                (r["source"], r["target"], key, r)
                for key, r in zip(relations.index, records, strict=True)
            )
        finally:
            if paused:
                gc.enable()
        return graph

    def to_networkx(self, directed: bool = True, aggregate: bool = True, *,
                    combine: str = "level+flow", weight_by: str | None = None) -> nx.Graph:
        """All relations of this (possibly windowed) graph as one networkx graph.

        Parameters
        ----------
        directed : bool
            ``True`` gives a DiGraph where an undirected relation counts in both
            directions; ``False`` gives a Graph where each pair sums both directions and
            an undirected relation counts once.
        aggregate : bool
            ``True`` merges parallel relations into one edge per pair, scored over
            :attr:`measured_range` by the rule of :mod:`graphkit.model.measure`: ``weight``
            (the score, ``level + flow``), ``level``, ``flow``, ``sign`` (sign of the
            score: the rule for ties of mixed sign), ``count``, ``positive``,
            ``negative`` (relations, by sign) and ``types``. ``False`` keeps one edge
            per relation in a MultiDiGraph / MultiGraph.
        combine, weight_by
            As in :func:`graphkit.analysis.metrics.dyad_scores`.

        Examples
        --------
        >>> g = tg.window("2023-09-01", "2023-10-01").to_networkx(directed=False)
        ...  # doctest: +SKIP
        >>> g["ARM"]["RUS"]["level"], g["ARM"]["RUS"]["flow"]  # doctest: +SKIP
        """
        rel = self.relations
        if not aggregate:
            graph = self._multigraph(rel)
            return graph if directed else graph.to_undirected()
        if len(rel):
            pairs = range_scores(rel, *self.measured_range, directed=directed,
                                 combine=combine, weight_by=weight_by)
        else:
            pairs = dyad_table(rel, directed=directed)
        graph = nx.DiGraph() if directed else nx.Graph()
        graph.add_nodes_from((row["id"], row) for row in self.entities.to_dict("records"))
        graph.add_edges_from(
            (r["source"], r["target"], {k: v for k, v in r.items()
                                        if k not in ("source", "target")})
            for r in pairs.to_dict("records")
        )
        return graph

    def ego(self, entity: str, radius: int = 1, at: object | None = None) -> nx.MultiDiGraph:
        """Relations within ``radius`` steps of ``entity`` (ignoring direction).

        With ``at``, only relations holding on that date; otherwise all of them.
        """
        (center,) = self.resolve([entity])
        graph = self.snapshot(at) if at is not None else self._multigraph(self.relations)
        nodes = nx.ego_graph(graph.to_undirected(as_view=True), center, radius=radius).nodes
        return graph.subgraph(nodes).copy()

    # --------------------------------------------------------------------- display

    def summary(self) -> pd.Series:
        """Counts and time span, for a quick look."""
        rel = self.relations
        info = {
            "entities": len(self.entities),
            "relations": len(rel),
            "relation types": rel["type"].nunique(),
            "dyads": len(dyad_table(rel, directed=False)) if len(rel) else 0,
            "positive": int((rel["sign"] > 0).sum()),
            "negative": int((rel["sign"] < 0).sum()),
        }
        if len(rel):
            first, last = self.span
            info["first"] = first.date().isoformat()
            info["last"] = last.date().isoformat()
        if self.metadata.get("title"):
            info = {"title": self.metadata["title"], **info}
        return pd.Series(info, name="TemporalGraph", dtype=object)

    def __repr__(self) -> str:
        s = self.summary()
        parts = ", ".join(f"{k}={v}" for k, v in s.items() if k != "title")
        return f"<TemporalGraph {parts}>"

    def _repr_html_(self) -> str:
        s = self.summary()
        rows = "".join(
            f"<tr><th style='text-align:left'>{escape(str(k))}</th>"
            f"<td style='text-align:left'>{escape(str(v))}</td></tr>"
            for k, v in s.items()
        )
        types = self.relations["type"].value_counts()
        type_rows = ", ".join(f"{escape(str(t))} ({n})" for t, n in types.items())
        return (
            "<div class='graphkit-summary'><strong>TemporalGraph</strong>"
            f"<table>{rows}</table><p><em>types:</em> {type_rows}</p></div>"
        )

    def __len__(self) -> int:
        return len(self.relations)


def dyad_keys(relations: pd.DataFrame, directed: bool) -> pd.DataFrame:
    """Relations keyed by dyad: ordered pairs (an undirected relation also appears
    mirrored, from target to source), or sorted pairs (``source < target``) when
    ``directed`` is False. The index keeps each relation's position label."""
    if directed:
        mirrored = relations[~relations["directed"]].rename(
            columns={"source": "target", "target": "source"})
        return pd.concat([relations, mirrored])
    src = relations["source"].to_numpy(dtype=object)
    dst = relations["target"].to_numpy(dtype=object)
    return relations.assign(source=np.minimum(src, dst), target=np.maximum(src, dst))


def range_scores(relations: pd.DataFrame, start: object, end: object, *,
                 directed: bool = True, combine: str = "level+flow",
                 weight_by: str | None = None) -> pd.DataFrame:
    """One row per pair with its score over ``[start, end)`` (:mod:`graphkit.model.measure`).

    Columns ``source``, ``target``, ``weight`` (the score), ``level``, ``flow``, ``sign``
    (of the score), ``count``, ``positive``, ``negative`` (relations overlapping the range,
    by sign) and ``types`` (sorted list).
    """
    a, b = to_timestamp(start), to_timestamp(end)
    parts = measure.range_contributions(relations, a, b, weight_by)
    rel = dyad_keys(relations[parts["inside"]].join(parts[["level", "flow"]]), directed)
    if rel.empty:
        return dyad_table(relations.iloc[:0], directed=directed)
    sign = rel["sign"]
    out = rel.assign(positive=sign > 0, negative=sign < 0).groupby(
        ["source", "target"], sort=True).agg(
        level=("level", "sum"), flow=("flow", "sum"), count=("type", "size"),
        positive=("positive", "sum"), negative=("negative", "sum"),
        types=("type", lambda s: sorted(set(s))),
    ).reset_index()
    out.insert(2, "weight", measure.combine(out["level"], out["flow"], combine))
    out["sign"] = np.sign(out["weight"].round(12)).astype("int8")
    return out


def dyad_table(relations: pd.DataFrame, directed: bool = True,
               weight: str = "signed_weight") -> pd.DataFrame:
    """Aggregate relations into one row per pair, summing a column as it is.

    For scores measured over a range use :func:`range_scores`. In the directed table an
    undirected relation counts for both directions; in the undirected table pairs are
    ordered (``source < target``) and each relation counts once. ``sign`` is the sign of
    the summed weight.
    """
    rel = dyad_keys(relations[["source", "target", "type", weight, "directed"]], directed)
    value = rel[weight]
    grouped = rel.assign(positive=value > 0, negative=value < 0).groupby(
        ["source", "target"], sort=True
    )
    out = grouped.agg(
        weight=(weight, "sum"),
        count=(weight, "size"),
        positive=("positive", "sum"),
        negative=("negative", "sum"),
        types=("type", lambda s: sorted(set(s))),
    ).reset_index()
    out["sign"] = np.sign(out["weight"]).astype("int8")
    return out


def encode(values: pd.Series | np.ndarray, ids: pd.Index) -> np.ndarray:
    """Positions of entity ids in ``ids`` (int64); ``KeyError`` names unknown ones."""
    dtype = getattr(values, "dtype", None)
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        # Arrow strings: hash lookup in C++, without making Python strings.
        found = pc.index_in(pa.array(values), value_set=pa.array(ids.to_numpy(dtype=object)))
        codes = found.fill_null(-1).to_numpy(zero_copy_only=False)
    else:
        codes = ids.get_indexer(pd.Index(values))
    if len(codes) and codes.min() < 0:
        unknown = sorted(set(pd.Index(values)[codes < 0].astype(str)))[:5]
        raise KeyError(f"relations refer to unknown entities: {', '.join(unknown)}")
    return codes.astype(np.int64)
