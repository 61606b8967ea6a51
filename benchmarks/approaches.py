"""The four approaches the scale benchmark compares, for each workload.

* ``graphkit``: the library (``TemporalGraph.from_frames``, ``metrics.centrality``,
  ``metrics.dyad_scores``, ``TemporalGraph.snapshot``).
* ``pandas+networkx``: what an analyst writes with pandas and networkx: vectorised
  pandas for the tables, a month column (a relation repeated over the months it
  overlaps), each relation's share of each month computed column-wise, ``groupby(["month",
  "source", "target"]).sum()``, and one networkx graph + ``nx.pagerank`` per month.
* ``naive``: plain Python: loop over the relations, filter them for each window (W2) or
  walk each relation's months (W3), sum in dicts, build a networkx graph per window.
* ``raphtory``: Raphtory 0.17 through its own API, in its best usage found: a
  ``PersistentGraph`` (an edge is alive from its addition to its deletion, so durable
  relations count in every window they overlap, like graphkit), ``load_edges`` /
  ``load_edge_deletions`` from pandas, ``snapshot_at``. **W1 and W4 only.** W2 and W3
  now need the measurement rule of :mod:`graphkit.model.measure` (issue 12): a standing tie's
  weight counts by the fraction of the month it is in force, an event's weight by the
  share of its extent inside the month, as a rate per 30 days, and the decayed score is an
  exact integral of each event's spread weight. Raphtory's API aggregates an edge's
  property *updates* in a window (sum, mean, count of the values), not weighted by the
  time an edge is alive or by the part of an interval inside the window, and its
  ``algorithms.pagerank`` takes a graph view, not a per-window edge set chosen by a score.
  Doing it would mean exporting every edge's addition and deletion times per window and
  doing the arithmetic in pandas, i.e. the pandas approach with Raphtory as a loader, so
  Raphtory is not timed on W2 and W3 (its rolling windows were timed there under the
  old, per-relation-per-period sums, see the 2026-11 results).

Every approach computes the same numbers (``bench_scale.py --check``):

* W1 build: raw relations (text dates, ids) -> a validated, queryable graph.
* W2 window metrics: for each calendar month, in- and out-degree (distinct partners,
  all relations overlapping the month; an undirected relation counts both ways) and
  PageRank (alpha 0.85, **unweighted**: ``weighted=False``) on the directed graph of the
  ordered pairs whose monthly score (level + flow, see W3; an undirected relation counts
  in both directions) is positive (above 1e-12, graphkit's zero), every entity a node.
* W3 dyad series: per directed dyad and calendar month with relations, the ``level``
  (standing ties: signed weight times the fraction of the month in force), the ``flow``
  (events: signed weight times the share of the event's extent inside the month, times
  30 days / the month's length), ``score = level + flow`` and the ``decayed`` score with
  half-life :data:`HALF_LIFE`: ``level`` plus the event flow with each instant of each
  event discounted by ``0.5 ** (age / h)`` at the month's end (exact integral, rate per
  30 days, carried across empty months); standing ties never decay. Every column of
  graphkit's table is computed (counts by layer, sign and quad class too); pandas sums
  them with one ``groupby`` and carries the decay with a loop over the months, each step
  vectorised over the dyads (``_decay_dense``).
* W3u dyad series, undirected, no decay (issue 19): per unordered pair and month,
  ``score``, ``level``, ``flow``, ``count`` and the counts by layer, sign and quad class;
  pandas: the relation-months with their terms, then ``groupby(["month", "source",
  "target"]).sum()`` over those columns.
  ``pandas-groupby`` times that ``groupby(...).sum()`` alone, the relation-months and
  their terms made beforehand (untimed): the strictest comparison.
* W4 snapshot: the network on a date (relations in force), as a graph object with every
  entity and the relations' attributes.

PageRank runs to an L1 change below 1e-10 everywhere (networkx's default stop, an L1
change below ``N * 1e-6``, leaves errors near 1e-6).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import networkx as nx
import numpy as np
import pandas as pd

import graphkit
from graphkit.analysis import metrics
from graphkit.core.dates import ONGOING
from graphkit.model.measure import FLOW_SECONDS

HALF_LIFE = "90D"
PAGERANK_TOL = 1e-10
#: graphkit's zero for a pair's score (a tie with a score above it is cooperative).
ZERO = 1e-12
APPROACHES = ("graphkit", "raphtory", "pandas+networkx", "pandas-groupby", "naive")
_RELATION_COLUMNS = ["source", "target", "type", "t_start", "t_end", "signed_weight", "sign",
                     "directed", "quad_class"]
#: CAMEO quad classes, as graphkit names its count columns.
QUADS = {1: "verbal_cooperation", 2: "material_cooperation", 3: "verbal_conflict",
         4: "material_conflict"}
#: The additive columns of a dyad table, as graphkit's ``dyad_scores`` has them.
SUM_COLUMNS = ["level", "flow", "events", "ties", "positive", "negative", "neutral",
               *QUADS.values()]


def month_table(tg: graphkit.TemporalGraph) -> pd.DataFrame:
    return tg.period_table("M")


def _month_number(times: pd.Series) -> np.ndarray:
    return (times.dt.year * 12 + times.dt.month - 1).to_numpy(dtype=np.int64)


def _half_life_factor(periods: pd.DataFrame) -> np.ndarray:
    ends = periods["end"].to_numpy(dtype="datetime64[s]").astype("int64").astype(float)
    length = np.diff(ends, prepend=ends[0])
    return np.power(0.5, length / pd.Timedelta(HALF_LIFE).total_seconds())


# ============================================================================ W1


def w1_graphkit(entities: pd.DataFrame, relations: pd.DataFrame):
    return graphkit.TemporalGraph.from_frames(entities, relations)


def w1_pandas(entities: pd.DataFrame, relations: pd.DataFrame) -> pd.DataFrame:
    """Validate with vectorised pandas: ids/aliases, types, day dates, weights."""
    vocab = graphkit.default_vocabulary().to_frame().set_index("type")
    aliases = entities.assign(alias=entities["aliases"].str.split(";")).explode("alias")
    aliases = aliases[aliases["alias"].fillna("").str.strip() != ""]
    names = pd.concat([
        pd.Series(entities["id"].to_numpy(), index=entities["id"].str.lower()),
        pd.Series(aliases["id"].to_numpy(), index=aliases["alias"].str.strip().str.lower()),
    ])
    names = names[~names.index.duplicated()]
    out = pd.DataFrame(index=relations.index)
    problems = 0
    for column in ("source", "target"):
        out[column] = relations[column].str.strip().str.lower().map(names)
        problems += int(out[column].isna().sum())
    problems += int((out["source"] == out["target"]).sum())
    out["type"] = relations["type"].str.strip()
    known = out["type"].isin(vocab.index)
    problems += int((~known).sum())
    t_start = pd.to_datetime(relations["start"], format="%Y-%m-%d", errors="coerce")
    end = pd.to_datetime(relations["end"].replace("", None), format="%Y-%m-%d", errors="coerce")
    problems += int(t_start.isna().sum())
    durable = out["type"].map(vocab["durable"]).fillna(False).astype(bool)
    t_end = (end.fillna(t_start) + pd.Timedelta(days=1)).where(~(end.isna() & durable), ONGOING)
    problems += int((t_end <= t_start).sum())
    weight = pd.to_numeric(relations["weight"], errors="coerce")
    weight = weight.fillna(out["type"].map(vocab["weight"]))
    problems += int(((weight < -10) | (weight > 10)).sum())
    sign = out["type"].map(vocab["sign"]).astype("int8")
    out = out.assign(t_start=t_start.astype("datetime64[s]"), t_end=t_end.astype("datetime64[s]"),
                     weight=weight, sign=sign,
                     directed=out["type"].map(vocab["directed"]).astype(bool),
                     signed_weight=sign * weight.abs())
    if problems:
        raise ValueError(f"{problems} problems")
    return out


def w1_naive(entities: pd.DataFrame, relations: pd.DataFrame) -> list[dict]:
    """Validate row by row in Python."""
    vocab = {t.name: t for t in graphkit.default_vocabulary()}
    names = {}
    for row in entities.to_dict("records"):
        names[row["id"].lower()] = row["id"]
        for alias in str(row.get("aliases") or "").split(";"):
            if alias.strip():
                names.setdefault(alias.strip().lower(), row["id"])
    out, problems = [], 0
    for row in relations.to_dict("records"):
        source = names.get(str(row["source"]).strip().lower())
        target = names.get(str(row["target"]).strip().lower())
        kind = vocab.get(str(row["type"]).strip())
        try:
            start = dt.datetime.fromisoformat(row["start"])
            end = dt.datetime.fromisoformat(row["end"]) + dt.timedelta(days=1) if row["end"] \
                else None
        except ValueError:
            problems += 1
            continue
        if source is None or target is None or source == target or kind is None:
            problems += 1
            continue
        if end is None:
            end = ONGOING.to_pydatetime() if kind.durable else start + dt.timedelta(days=1)
        weight = float(row["weight"]) if row["weight"] == row["weight"] else kind.weight
        if not -10 <= weight <= 10 or end <= start:
            problems += 1
        out.append({"source": source, "target": target, "type": kind.name, "t_start": start,
                    "t_end": end, "weight": weight, "sign": kind.sign,
                    "directed": kind.directed, "signed_weight": kind.sign * abs(weight)})
    if problems:
        raise ValueError(f"{problems} problems")
    return out


def raphtory_frames(relations: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Additions and deletions for a Raphtory PersistentGraph, undirected mirrored.

    Deletions fall 1 ms before ``t_end``, so that an edge is alive on ``[t_start,
    t_end)`` and a deletion never shares a timestamp with the next addition.
    """
    rel = relations[_RELATION_COLUMNS]
    mirrored = rel[~rel["directed"]].rename(columns={"source": "target", "target": "source"})
    both = pd.concat([rel, mirrored], ignore_index=True)
    adds = pd.DataFrame({
        "time": both["t_start"].astype("datetime64[ms]"),
        "src": both["source"].astype(object), "dst": both["target"].astype(object),
        "layer": both["type"].astype(object), "signed_weight": both["signed_weight"],
    })
    ends = both["t_end"].astype("datetime64[ms]") - pd.Timedelta(milliseconds=1)
    return adds, adds[["src", "dst", "layer"]].assign(time=ends)


def raphtory_graph(relations: pd.DataFrame):
    import raphtory

    adds, deletions = raphtory_frames(relations)
    graph = raphtory.PersistentGraph()
    graph.load_edges(data=adds, time="time", src="src", dst="dst", layer_col="layer",
                     properties=["signed_weight"])
    graph.load_edge_deletions(data=deletions, time="time", src="src", dst="dst",
                              layer_col="layer")
    return graph


def w1_raphtory(entities: pd.DataFrame, relations: pd.DataFrame):
    """Parse the dates with pandas (Raphtory takes timestamps), then load."""
    vocab = graphkit.default_vocabulary()
    t_start = pd.to_datetime(relations["start"], format="%Y-%m-%d")
    end = pd.to_datetime(relations["end"].replace("", None), format="%Y-%m-%d")
    t_end = end.fillna(t_start) + pd.Timedelta(days=1)
    sign = relations["type"].map(vocab.column("sign"))
    frame = pd.DataFrame({
        "source": relations["source"], "target": relations["target"],
        "type": relations["type"], "t_start": t_start, "t_end": t_end,
        "signed_weight": sign * relations["weight"].abs(), "sign": sign,
        "directed": relations["type"].map(vocab.column("directed")).astype(bool),
    })
    return raphtory_graph(frame)


# ============================================================================ W2


def w2_graphkit(tg: graphkit.TemporalGraph) -> pd.DataFrame:
    return metrics.centrality(tg, "M", measures=["in_degree", "out_degree", "pagerank"],
                              weighted=False, tol=PAGERANK_TOL)


def explode_months(relations: pd.DataFrame, periods: pd.DataFrame, directed: bool = True,
                   decay: bool = True) -> pd.DataFrame:
    """One row per (relation, month it overlaps).

    ``directed``: undirected relations also count from target to source (a mirrored row);
    else each pair is ordered (``source < target``) and counts once. Also, by the rule of
    :mod:`graphkit.model.measure`, each row's ``level`` and ``flow`` in the month, its counts
    (``events``, ``ties``, by sign, by quad class: the share of the relation in the month)
    and, with ``decay``, its decayed-flow increment ``increment`` (see :func:`month_terms`).
    """
    rel = relations[[*_RELATION_COLUMNS, "durable"]].reset_index(drop=True)
    first = _month_number(rel["t_start"])
    final = periods["period"].iloc[-1]
    last = np.minimum(_month_number(rel["t_end"] - pd.Timedelta(seconds=1)),
                      final.year * 12 + final.month - 1)
    months = rel.loc[rel.index.repeat(last - first + 1)]
    months = months.assign(month=np.repeat(first, last - first + 1)
                           + months.groupby(level=0).cumcount().to_numpy())
    if directed:
        mirrored = months[~months["directed"]].rename(columns={"source": "target",
                                                               "target": "source"})
        months = pd.concat([months, mirrored], ignore_index=True)
    else:
        swap = months["source"] > months["target"]
        months = months.assign(source=months["source"].where(~swap, months["target"]),
                               target=months["target"].where(~swap, months["source"]))
    return month_terms(months, periods, decay)


def month_terms(months: pd.DataFrame, periods: pd.DataFrame, decay: bool = True) -> pd.DataFrame:
    """Each (relation, month) row's level, flow, counts and decayed-flow increment."""
    label = periods["period"]
    offset = label.iloc[0].year * 12 + label.iloc[0].month - 1
    position = months["month"].to_numpy() - offset
    m_start = periods["start"].to_numpy(dtype="datetime64[s]")[position]
    m_end = periods["end"].to_numpy(dtype="datetime64[s]")[position]
    t_start = months["t_start"].to_numpy(dtype="datetime64[s]")
    t_end = months["t_end"].to_numpy(dtype="datetime64[s]")
    seconds = np.timedelta64(1, "s")
    a, b = np.maximum(t_start, m_start), np.minimum(t_end, m_end)
    inside = (b - a) / seconds
    length = (m_end - m_start) / seconds
    extent = (t_end - t_start) / seconds
    w = months["signed_weight"].to_numpy(dtype=float)
    durable = months["durable"].to_numpy(dtype=bool)
    h = pd.Timedelta(HALF_LIFE).total_seconds()
    spread = w * FLOW_SECONDS / extent  # an event's weight per 30 days of its extent
    # share: a tie's fraction of the month in force, an event's share of its weight
    share = np.where(durable, inside / length, inside / extent)
    sign = months["sign"].to_numpy()
    quad = months["quad_class"].to_numpy()
    columns = {
        "level": np.where(durable, w * inside / length, 0.0),
        "flow": np.where(durable, 0.0, spread * inside / length),
        "events": np.where(durable, 0.0, share),
        "ties": np.where(durable, share, 0.0),
        "positive": np.where(sign > 0, share, 0.0),
        "negative": np.where(sign < 0, share, 0.0),
        "neutral": np.where(sign == 0, share, 0.0),
        **{name: np.where(quad == code, share, 0.0) for code, name in QUADS.items()},
    }
    if decay:
        columns["increment"] = np.where(
            durable, 0.0, spread * (np.exp2(-((m_end - b) / seconds) / h)
                                    - np.exp2(-((m_end - a) / seconds) / h)))
    return months.assign(**columns)


def w2_pandas(tg: graphkit.TemporalGraph) -> pd.DataFrame:
    ids = sorted(tg.entities["id"])
    periods = month_table(tg)
    months = explode_months(tg.relations, periods)
    score = months.assign(score=months["level"] + months["flow"]).groupby(
        ["month", "source", "target"])["score"].sum().reset_index()
    positive = score[score["score"] > ZERO]
    every_groups = months.groupby("month").indices
    positive_groups = positive.groupby("month").indices
    frames = []
    for label in periods["period"]:
        number = label.year * 12 + label.month - 1
        rows = months.iloc[every_groups.get(number, [])]
        every = nx.DiGraph()
        every.add_nodes_from(ids)
        every.add_edges_from(zip(rows["source"].to_numpy(), rows["target"].to_numpy(),
                                 strict=True))
        coop_rows = positive.iloc[positive_groups.get(number, [])]
        coop = nx.DiGraph()
        coop.add_nodes_from(ids)
        coop.add_edges_from(zip(coop_rows["source"].to_numpy(),
                                coop_rows["target"].to_numpy(), strict=True))
        rank = nx.pagerank(coop, tol=PAGERANK_TOL)
        frames.append(pd.DataFrame({
            "period": label, "entity": ids,
            "in_degree": [every.in_degree(i) for i in ids],
            "out_degree": [every.out_degree(i) for i in ids],
            "pagerank": [rank[i] for i in ids],
        }))
    return pd.concat(frames, ignore_index=True)


def naive_records(tg: graphkit.TemporalGraph) -> list[tuple]:
    rel = tg.relations
    return list(zip(rel["source"].tolist(), rel["target"].tolist(), rel["type"].tolist(),
                    rel["t_start"].tolist(), rel["t_end"].tolist(),
                    rel["signed_weight"].tolist(), rel["durable"].tolist(),
                    rel["directed"].tolist(), strict=True))


def _naive_terms(t_start, t_end, weight, durable, start, end, h):
    """(level, flow, increment) of one relation in ``[start, end)``, in plain Python."""
    a, b = max(t_start, start), min(t_end, end)
    length = (end - start).total_seconds()
    if durable:
        return weight * (b - a).total_seconds() / length, 0.0, 0.0
    spread = weight * FLOW_SECONDS / (t_end - t_start).total_seconds()
    flow = spread * (b - a).total_seconds() / length
    increment = spread * (0.5 ** ((end - b).total_seconds() / h)
                          - 0.5 ** ((end - a).total_seconds() / h))
    return 0.0, flow, increment


def w2_naive(tg: graphkit.TemporalGraph, records: list[tuple], every: int = 1) -> pd.DataFrame:
    """Filter all relations in Python for each window (every ``every``-th month)."""
    ids = sorted(tg.entities["id"])
    h = pd.Timedelta(HALF_LIFE).total_seconds()
    frames = []
    for i, row in enumerate(month_table(tg).itertuples()):
        if i % every:
            continue
        start, end = row.start, row.end
        graph = nx.DiGraph()
        graph.add_nodes_from(ids)
        score = defaultdict(float)
        for source, target, _, t_start, t_end, weight, durable, directed in records:
            if t_start < end and t_end > start:
                level, flow, _ = _naive_terms(t_start, t_end, weight, durable, start, end, h)
                graph.add_edge(source, target)
                score[source, target] += level + flow
                if not directed:
                    graph.add_edge(target, source)
                    score[target, source] += level + flow
        coop = nx.DiGraph()
        coop.add_nodes_from(ids)
        coop.add_edges_from(pair for pair, value in score.items() if value > ZERO)
        rank = nx.pagerank(coop, tol=PAGERANK_TOL)
        frames.append(pd.DataFrame({
            "period": row.period, "entity": ids,
            "in_degree": [graph.in_degree(e) for e in ids],
            "out_degree": [graph.out_degree(e) for e in ids],
            "pagerank": [rank[e] for e in ids],
        }))
    return pd.concat(frames, ignore_index=True)


# ============================================================================ W3

W3_COLUMNS = ["level", "flow", "score", "decayed"]
#: What W3u compares: every column of an undirected dyad table without decay.
W3U_COLUMNS = ["score", "count", *SUM_COLUMNS]


def w3_graphkit(tg: graphkit.TemporalGraph) -> pd.DataFrame:
    return metrics.dyad_scores(tg, "M", half_life=HALF_LIFE)


def w3u_graphkit(tg: graphkit.TemporalGraph) -> pd.DataFrame:
    """W3u (issue 19): monthly dyad scores, undirected, no decay, every column."""
    return metrics.dyad_scores(tg, "M", directed=False)


def w3u_pandas(tg: graphkit.TemporalGraph) -> pd.DataFrame:
    """W3u the way a pandas user writes it: the relation-months with their terms, then
    ``groupby(["month", "a", "b"]).sum()`` over the same columns graphkit gives."""
    periods = month_table(tg)
    months = explode_months(tg.relations, periods, directed=False, decay=False)
    return w3u_groupby(months, periods)


def w3u_groupby(months: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
    """The group-by step of :func:`w3u_pandas` alone (``pandas-groupby``: the
    relation-months and their terms are made beforehand, untimed)."""
    sums = months.groupby(["month", "source", "target"])[SUM_COLUMNS].sum()
    sums.insert(0, "count", sums["events"] + sums["ties"])
    sums.insert(0, "score", sums["level"] + sums["flow"])
    sums = sums.reset_index()
    first = periods["period"].iloc[0]
    sums["month"] = periods["period"].array.take(sums["month"].to_numpy()
                                                 - (first.year * 12 + first.month - 1))
    return sums.rename(columns={"month": "period"})


def _decay_dense(sums: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
    """Carry the decayed flow on a dense dyad x month table of the increments (a loop over
    the months, each step vectorised over the dyads).

    ``sums``: indexed by (source, target, month) with the :data:`SUM_COLUMNS` and
    ``increment``; rows for its (dyad, month) cells.
    """
    labels = periods["period"]
    month_of = {p.year * 12 + p.month - 1: i for i, p in enumerate(labels)}
    wide = sums["increment"].unstack("month", fill_value=0.0)
    values = np.zeros((len(wide), len(labels)))
    values[:, [month_of[m] for m in wide.columns]] = wide.to_numpy()
    factor = _half_life_factor(periods)
    decayed = np.empty_like(values)
    carry = np.zeros(len(wide))
    for p in range(len(labels)):
        carry = carry * factor[p] + values[:, p]
        decayed[:, p] = carry
    rows = wide.index.get_indexer(sums.index.droplevel("month"))
    cols = np.array([month_of[m] for m in sums.index.get_level_values("month")])
    level, flow = sums["level"].to_numpy(), sums["flow"].to_numpy()
    return pd.DataFrame({
        "period": labels.array.take(cols),
        "source": sums.index.get_level_values("source"),
        "target": sums.index.get_level_values("target"),
        "score": level + flow, "count": sums["events"].to_numpy() + sums["ties"].to_numpy(),
        **{c: sums[c].to_numpy() for c in SUM_COLUMNS},
        "decayed_flow": decayed[rows, cols],
        "decayed": level + decayed[rows, cols],
    })


def w3_pandas(tg: graphkit.TemporalGraph) -> pd.DataFrame:
    """W3 (directed, half-life) in pandas: group-by, then the decay carried month by month."""
    periods = month_table(tg)
    months = explode_months(tg.relations, periods)
    sums = months.groupby(["source", "target", "month"])[[*SUM_COLUMNS, "increment"]].sum()
    return _decay_dense(sums, periods)


def w3_naive(tg: graphkit.TemporalGraph, records: list[tuple]) -> pd.DataFrame:
    periods = month_table(tg)
    labels = list(periods["period"])
    starts = [t.to_pydatetime() for t in periods["start"]]
    ends = [t.to_pydatetime() for t in periods["end"]]
    index = {p.year * 12 + p.month - 1: i for i, p in enumerate(labels)}
    factor = _half_life_factor(periods)
    h = pd.Timedelta(HALF_LIFE).total_seconds()
    final = max(index)
    sums = defaultdict(lambda: [0.0, 0.0, 0.0])
    for source, target, _, t_start, t_end, weight, durable, directed in records:
        last = t_end - dt.timedelta(seconds=1)
        stop = min(last.year * 12 + last.month - 1, final) + 1
        for month in range(t_start.year * 12 + t_start.month - 1, stop):
            p = index[month]
            terms = _naive_terms(t_start, t_end, weight, durable, starts[p], ends[p], h)
            for key in ((source, target, p), (target, source, p))[: 1 if directed else 2]:
                cell = sums[key]
                cell[0] += terms[0]
                cell[1] += terms[1]
                cell[2] += terms[2]
    by_dyad = defaultdict(dict)
    for (source, target, p), cell in sums.items():
        by_dyad[source, target][p] = cell
    rows = []
    for (source, target), cells in by_dyad.items():
        carry = 0.0
        for p in range(min(cells), max(cells) + 1):
            level, flow, increment = cells.get(p, (0.0, 0.0, 0.0))
            carry = carry * factor[p] + increment
            if p in cells:
                rows.append((labels[p], source, target, level, flow, level + flow,
                             level + carry))
    return pd.DataFrame(rows, columns=["period", "source", "target", *W3_COLUMNS])


# ============================================================================ W4


def snapshot_dates(tg: graphkit.TemporalGraph, k: int, seed: int = 1) -> list[pd.Timestamp]:
    first, last = tg.span
    days = (last - first).days
    rng = np.random.default_rng(seed)
    return [first.normalize() + pd.Timedelta(days=int(d)) for d in rng.integers(0, days, k)]


def w4_graphkit(tg: graphkit.TemporalGraph, date: pd.Timestamp) -> nx.MultiDiGraph:
    return tg.snapshot(date)


def w4_pandas(tg: graphkit.TemporalGraph, date: pd.Timestamp) -> nx.MultiDiGraph:
    rel = tg.relations
    chosen = rel[(rel["t_start"] <= date) & (rel["t_end"] > date)]
    graph = nx.from_pandas_edgelist(chosen.reset_index(), "source", "target", edge_attr=True,
                                    create_using=nx.MultiDiGraph, edge_key="index")
    graph.add_nodes_from((r["id"], r) for r in tg.entities.to_dict("records"))
    return graph


def w4_naive(tg: graphkit.TemporalGraph, records: list[dict], date: pd.Timestamp):
    """``records``: ``tg.relations.to_dict("records")``."""
    graph = nx.MultiDiGraph()
    for row in tg.entities.to_dict("records"):
        graph.add_node(row["id"], **row)
    for key, record in enumerate(records):
        if record["t_start"] <= date < record["t_end"]:
            graph.add_edge(record["source"], record["target"], key=key, **record)
    return graph


def w4_raphtory(graph, date: pd.Timestamp):
    return graph.snapshot_at(date).materialize()


def w4_raphtory_lazy(graph, date: pd.Timestamp) -> int:
    return graph.snapshot_at(date).count_edges()


def snapshot_edges(graph) -> set[tuple[str, str, str]]:
    """(source, target, type) of a networkx snapshot, undirected relations both ways."""
    edges = set()
    for source, target, data in graph.edges(data=True):
        edges.add((source, target, data["type"]))
        if not data["directed"]:
            edges.add((target, source, data["type"]))
    return edges


def raphtory_snapshot_edges(view) -> set[tuple[str, str, str]]:
    edges = view.edges.explode_layers()
    return set(zip(edges.src.name, edges.dst.name, edges.layer_name, strict=True))
