"""The four approaches the scale benchmark compares, for each workload.

* ``graphkit``: the library (``TemporalGraph.from_frames``, ``metrics.centrality``,
  ``metrics.dyad_scores``, ``TemporalGraph.snapshot``).
* ``pandas+networkx``: what an analyst writes with pandas and networkx: vectorised
  pandas for the tables, a month column (durable relations repeated over the months
  they are in force), ``groupby``, and one networkx graph + ``nx.pagerank`` per month.
* ``naive``: plain Python: loop over the relations, filter them for each window, build a
  networkx graph per window.
* ``raphtory``: Raphtory 0.17 through its own API, in its best usage found: a
  ``PersistentGraph`` (an edge is alive from its addition to its deletion, so durable
  relations count in every window they overlap, like graphkit), ``load_edges`` /
  ``load_edge_deletions`` from pandas, ``g.rolling("1 month")`` windows materialised
  once each, ``algorithms.pagerank``.

Every approach computes the same numbers (``bench_scale.py --check``):

* W1 build: raw relations (text dates, ids) -> a validated, queryable graph.
* W2 window metrics: for each calendar month, in- and out-degree (distinct partners,
  all relations; an undirected relation counts both ways) and PageRank (alpha 0.85,
  unweighted) on the directed graph of cooperative (``sign > 0``) relations, every
  entity a node.
* W3 dyad series: monthly net cooperation (sum of signed weights) per directed dyad and
  its decayed score, half-life :data:`HALF_LIFE`, carried across empty months.
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
from graphkit import metrics
from graphkit.dates import ONGOING

HALF_LIFE = "90D"
PAGERANK_TOL = 1e-10
APPROACHES = ("graphkit", "raphtory", "pandas+networkx", "naive")
_RELATION_COLUMNS = ["source", "target", "type", "t_start", "t_end", "signed_weight", "sign",
                     "directed"]


def cooperative_types(tg: graphkit.TemporalGraph) -> list[str]:
    return sorted(t.name for t in tg.vocabulary if t.sign > 0)


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


def explode_months(relations: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
    """One row per (relation, month it overlaps), undirected relations in both directions."""
    rel = relations[_RELATION_COLUMNS].reset_index(drop=True)
    first = _month_number(rel["t_start"])
    final = periods["period"].iloc[-1]
    last = np.minimum(_month_number(rel["t_end"] - pd.Timedelta(seconds=1)),
                      final.year * 12 + final.month - 1)
    months = rel.loc[rel.index.repeat(last - first + 1)]
    months = months.assign(month=np.repeat(first, last - first + 1)
                           + months.groupby(level=0).cumcount().to_numpy())
    mirrored = months[~months["directed"]].rename(columns={"source": "target",
                                                           "target": "source"})
    return pd.concat([months, mirrored], ignore_index=True)


def w2_pandas(tg: graphkit.TemporalGraph) -> pd.DataFrame:
    ids = sorted(tg.entities["id"])
    periods = month_table(tg)
    months = explode_months(tg.relations, periods)
    groups = months.groupby("month").indices
    frames = []
    for label in periods["period"]:
        rows = months.iloc[groups.get(label.year * 12 + label.month - 1, [])]
        every = nx.DiGraph()
        every.add_nodes_from(ids)
        every.add_edges_from(zip(rows["source"].to_numpy(), rows["target"].to_numpy(),
                                 strict=True))
        positive = rows[rows["sign"] > 0]
        coop = nx.DiGraph()
        coop.add_nodes_from(ids)
        coop.add_edges_from(zip(positive["source"].to_numpy(), positive["target"].to_numpy(),
                                strict=True))
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
                    rel["signed_weight"].tolist(), rel["sign"].tolist(),
                    rel["directed"].tolist(), strict=True))


def w2_naive(tg: graphkit.TemporalGraph, records: list[tuple], every: int = 1) -> pd.DataFrame:
    """Filter all relations in Python for each window (every ``every``-th month)."""
    ids = sorted(tg.entities["id"])
    frames = []
    for i, row in enumerate(month_table(tg).itertuples()):
        if i % every:
            continue
        start, end = row.start, row.end
        graph, coop = nx.DiGraph(), nx.DiGraph()
        graph.add_nodes_from(ids)
        coop.add_nodes_from(ids)
        for source, target, _, t_start, t_end, _, sign, directed in records:
            if t_start < end and t_end > start:
                graph.add_edge(source, target)
                if sign > 0:
                    coop.add_edge(source, target)
                if not directed:
                    graph.add_edge(target, source)
                    if sign > 0:
                        coop.add_edge(target, source)
        rank = nx.pagerank(coop, tol=PAGERANK_TOL)
        frames.append(pd.DataFrame({
            "period": row.period, "entity": ids,
            "in_degree": [graph.in_degree(e) for e in ids],
            "out_degree": [graph.out_degree(e) for e in ids],
            "pagerank": [rank[e] for e in ids],
        }))
    return pd.concat(frames, ignore_index=True)


def w2_raphtory(graph, cooperative: list[str]) -> pd.DataFrame:
    """Materialise each monthly window once; degree and PageRank through Raphtory.

    Rows only for the nodes present in the window (Raphtory's view), PageRank over the
    nodes of the cooperative layers.
    """
    from raphtory import algorithms

    frames = []
    for window in graph.rolling("1 month"):
        view = window.materialize()
        start = pd.Timestamp(window.start.dt).tz_localize(None)
        names = list(view.nodes.name)
        rank = algorithms.pagerank(view.valid_layers(cooperative), iter_count=10_000,
                                   max_diff=PAGERANK_TOL, use_l2_norm=False)
        scores = {node.name: value["pagerank_score"] for node, value in rank.items()}
        frames.append(pd.DataFrame({
            "period": start.to_period("M"), "entity": names,
            "in_degree": list(view.nodes.in_degree()),
            "out_degree": list(view.nodes.out_degree()),
            "pagerank": [scores.get(n, np.nan) for n in names],
        }))
    return pd.concat(frames, ignore_index=True)


# ============================================================================ W3


def w3_graphkit(tg: graphkit.TemporalGraph) -> pd.DataFrame:
    return metrics.dyad_scores(tg, "M", half_life=HALF_LIFE)


def _decay_dense(net: pd.Series, periods: pd.DataFrame) -> pd.DataFrame:
    """Decay on a dense dyad x month table; rows for the (dyad, month) cells of ``net``."""
    labels = periods["period"]
    month_of = {p.year * 12 + p.month - 1: i for i, p in enumerate(labels)}
    wide = net.unstack("month", fill_value=0.0)
    values = np.zeros((len(wide), len(labels)))
    values[:, [month_of[m] for m in wide.columns]] = wide.to_numpy()
    factor = _half_life_factor(periods)
    decayed = np.empty_like(values)
    carry = np.zeros(len(wide))
    for p in range(len(labels)):
        carry = carry * factor[p] + values[:, p]
        decayed[:, p] = carry
    rows = wide.index.get_indexer(net.index.droplevel("month"))
    cols = np.array([month_of[m] for m in net.index.get_level_values("month")])
    return pd.DataFrame({
        "period": labels.array.take(cols),
        "source": net.index.get_level_values("source"),
        "target": net.index.get_level_values("target"),
        "net": net.to_numpy(), "decayed": decayed[rows, cols],
    })


def w3_pandas(tg: graphkit.TemporalGraph) -> pd.DataFrame:
    periods = month_table(tg)
    months = explode_months(tg.relations, periods)
    net = months.groupby(["source", "target", "month"])["signed_weight"].sum()
    return _decay_dense(net, periods)


def w3_naive(tg: graphkit.TemporalGraph, records: list[tuple]) -> pd.DataFrame:
    periods = month_table(tg)
    index = {p.year * 12 + p.month - 1: i for i, p in enumerate(periods["period"])}
    factor = _half_life_factor(periods)
    final = max(index)
    net = defaultdict(float)
    for source, target, _, t_start, t_end, weight, _, directed in records:
        last = t_end - dt.timedelta(seconds=1)
        stop = min(last.year * 12 + last.month - 1, final) + 1
        for month in range(t_start.year * 12 + t_start.month - 1, stop):
            net[source, target, month] += weight
            if not directed:
                net[target, source, month] += weight
    by_dyad = defaultdict(dict)
    for (source, target, month), value in net.items():
        by_dyad[source, target][index[month]] = value
    rows = []
    labels = list(periods["period"])
    for (source, target), cells in by_dyad.items():
        carry = 0.0
        for p in range(min(cells), max(cells) + 1):
            carry = carry * factor[p] + cells.get(p, 0.0)
            if p in cells:
                rows.append((labels[p], source, target, cells[p], carry))
    return pd.DataFrame(rows, columns=["period", "source", "target", "net", "decayed"])


def w3_raphtory(graph, tg: graphkit.TemporalGraph) -> pd.DataFrame:
    """Sum the exploded edges of each monthly window, then decay as in pandas."""
    frames = []
    for window in graph.rolling("1 month"):
        edges = window.edges.explode()
        start = pd.Timestamp(window.start.dt).tz_localize(None)
        frames.append(pd.DataFrame({
            "source": list(edges.src.name), "target": list(edges.dst.name),
            "month": start.year * 12 + start.month - 1,
            "signed_weight": list(edges.properties.get("signed_weight")),
        }))
    months = pd.concat(frames, ignore_index=True)
    net = months.groupby(["source", "target", "month"])["signed_weight"].sum()
    return _decay_dense(net, month_table(tg))


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
