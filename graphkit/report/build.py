"""The analyst report: one folder with everything an analyst sends on.

:func:`build_report` writes, atomically (a failed run leaves no half-written folder):

* ``index.html``: one self-contained page (no script at all): the compared ranges stated
  once, any warning about them, the top shifts in one short line each and in a table,
  the evidence behind the top three (id, weight, sign, confidence), balance for the
  periods with triangles, centrality of the compared ranges, what the data holds, links;
* ``network.html``: the interactive network view, opened on the after range, its
  sliders spanning the compared ranges;
* ``timelines.html``: dyad score timelines of the top shifts, opened on the compared
  ranges, and ``shifts.html``, the shift chart (``top`` bars);
* ``tables/*.csv``: shifts, breaks, dyad scores, centrality, range centrality, balance,
  camps (and alignment when reference actors are given).
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from graphkit import views
from graphkit.analysis import balance, metrics, shifts
from graphkit.analysis.shifts import entity_name, ids_text, tone
from graphkit.core.atomic import atomic_folder, check_output_folder, write_csv, write_text
from graphkit.core.dates import to_timestamp
from graphkit.model.temporal import TemporalGraph, range_scores

__all__ = ["Report", "build_report"]

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;
max-width:70rem;padding:0 1rem;color:#1d2330;line-height:1.45}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:1px solid #dde;
padding-bottom:.2rem}table{border-collapse:collapse;font-size:.88rem;margin:.5rem 0}
th,td{padding:.25rem .6rem;border-bottom:1px solid #eef;text-align:left;vertical-align:top}
th{background:#f4f6fb}td.num{text-align:right;font-variant-numeric:tabular-nums}
.neg{color:#b3261e}.pos{color:#1b7f3b}.muted{color:#667}ul.shifts li{margin:.35rem 0}
nav a{margin-right:1rem}.warn{background:#fff4e5;border-left:4px solid #e8a33d;
padding:.4rem .8rem}
"""


@dataclass(frozen=True)
class Report:
    """What :func:`build_report` wrote."""

    path: Path
    before: tuple[str, str]
    after: tuple[str, str]
    files: list[str] = field(default_factory=list)
    narrative: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{escape(line)}</li>" for line in
                        [*self.warnings, *self.narrative])
        files = ", ".join(escape(f) for f in self.files)
        return (f"<div><strong>graphkit report</strong> in <code>{escape(str(self.path))}"
                f"</code><ul>{items}</ul><p class='muted'>{files}</p></div>")


def build_report(
    tg: TemporalGraph,
    path: str | os.PathLike,
    before: tuple[str, str] | None = None,
    after: tuple[str, str] | None = None,
    freq: str = "M",
    top: int = 8,
    references: list[str] | None = None,
    balance_freq: str = "Y",
    balance_time_limit: float | None = 10.0,
    *,
    combine: str = "level+flow",
    weight_by: str | None = None,
    n_boot: int = 1000,
    seed: int = 0,
    force: bool = False,
    raw_csv: bool = False,
    full_tables: bool = False,
) -> Report:
    """Write the analyst report for a temporal graph.

    Parameters
    ----------
    tg : TemporalGraph
    path : path-like
        Folder to write (replaced atomically if it exists).
    before, after : (start, end), optional
        Periods to compare; chosen by :func:`graphkit.analysis.shifts.suggest_periods` when omitted.
    freq : {"D", "W", "M", "Q", "Y"}
        Period of the dyad series, change points and centrality.
    top : int
        Number of top shifts described, drawn (shift chart, timelines) and tabled, and of
        rows in the centrality table: ``top`` everywhere.
    references : list of str, optional
        Reference actors for the alignment table (e.g. ``["RUS", "USA"]``).
    balance_freq : str
        Period of the structural-balance table (balance needs enough ties per period).
    balance_time_limit : float or None
        Seconds the exact frustration index may take per period (default 10); past it the
        table gives the best partition found with ``exact`` False and a proven
        ``lower_bound``. ``None``: no limit (dense networks of a few hundred actors can
        then take minutes a period).
    combine, weight_by, n_boot, seed
        As in :func:`graphkit.analysis.shifts.compare` (the score rule of
        :mod:`graphkit.model.measure`, and the bootstrap of each change's interval).
    force : bool
        Replace a non-empty folder graphkit did not write (an earlier report is always
        replaced; see :func:`graphkit.core.atomic.check_output_folder`).
    raw_csv : bool
        Write the tables' text as it is, without neutralising spreadsheet formulas.
    full_tables : bool
        Write ``dyad_scores`` and ``centrality`` for every period and every entity. By
        default they hold what the report covers: the periods from the start of
        ``before`` to the end of ``after``, and centrality rows of entities with a tie in
        the period (so 200,000 relations do not give a table of every entity in every
        month). The over-time tables are also computed on those periods only (the dyad
        series of the timelines and breaks reach at most :data:`CONTEXT_YEARS`
        before), so a relation dated 9000 or an alliance ongoing since 1900 costs
        nothing; ``full_tables`` computes them over the data's whole span.

    Returns
    -------
    Report
        Its ``narrative`` holds one short line per top shift (the ranges are stated once,
        in the report's heading); ``warnings`` holds what :func:`graphkit.analysis.shifts.compare`
        warned about the compared ranges (one holding no relation, one outside the data),
        also issued again (same category) and shown at the top of ``index.html``.

    Examples
    --------
    >>> import graphkit
    >>> tg = graphkit.load("data/nagorno_karabakh")  # doctest: +SKIP
    >>> report = build_report(tg, "build/report", before=("2020-11-10", "2023-07-01"),
    ...                       after=("2023-09-01", "2023-10-01"))  # doctest: +SKIP
    """
    path = check_output_folder(path, force=force)
    if top < 1:
        raise ValueError(f"top must be a whole number >= 1, got {top!r}")
    if (before is None) != (after is None):
        raise ValueError("give both before and after, or neither")
    if before is None:
        before, after = shifts.suggest_periods(tg, freq)
    references = tg.resolve(references) if references else []

    with warnings.catch_warnings(record=True) as caught:  # e.g. a range with no relation
        warnings.simplefilter("always")
        shift_table = shifts.compare(tg, before, after, freq=freq, combine=combine,
                                     weight_by=weight_by, n_boot=n_boot, seed=seed)
    seen = dict.fromkeys((str(w.message), w.category) for w in caught)
    empty = [message for message, _ in seen]
    for message, category in seen:  # again for the caller (same category), and on the page
        warnings.warn(message, category, stacklevel=2)
    covered = _horizon(tg, before, after, full_tables)
    series = covered(freq, context_too=True)
    scores = metrics.dyad_scores(series, freq, directed=False, combine=combine,
                                 weight_by=weight_by)
    breaks = shifts.rank_breaks(series, freq, scores=scores)
    lines = short_lines(tg, shift_table, top)
    central = metrics.centrality(covered(freq), freq, combine=combine, weight_by=weight_by)
    leaders = range_centrality(tg, before, after, combine=combine, weight_by=weight_by)
    balance_table, camps = balance.over_time(covered(balance_freq), balance_freq,
                                             partitions=True, time_limit=balance_time_limit)
    tables = {
        "shifts": shift_table, "breaks": breaks, "dyad_scores": scores,
        "centrality": central, "range_centrality": leaders, "balance": balance_table,
        "camps": camps,
    }
    if references:
        tables["alignment"] = shifts.alignment(covered(freq), references, freq=freq)

    top_dyads = list(zip(shift_table["source"].head(top), shift_table["target"].head(top),
                         strict=True))
    title = str(tg.metadata.get("title") or path.name)
    with atomic_folder(path, force=force) as tmp:
        views.network(tg, title=title, start=after[0], end=after[1],
                      span=(before[0], after[1])).save(tmp / "network.html")
        if top_dyads:
            views.timeline(series, dyads=top_dyads, freq=freq, scores=scores,
                           focus=(before[0], after[1]),
                           title=f"Top {len(top_dyads)} shifts: dyad timelines"
                           ).save(tmp / "timelines.html")
            views.shift_chart(
                shift_table, top=top, tg=tg,
                title=f"Largest changes: {before[0]} to {before[1]} vs {after[0]} to {after[1]}",
            ).save(tmp / "shifts.html")
        (tmp / "tables").mkdir()
        shown = tables if full_tables else _covered(tables, before[0], after[1])
        for name, frame in shown.items():
            write_csv(frame, tmp / "tables" / f"{name}.csv", raw=raw_csv)
        page = _index(tg, title, before, after, shift_table, lines, leaders, balance_table,
                      tables, has_charts=bool(top_dyads), top=top, empty=empty)
        write_text(tmp / "index.html", page)
        files = sorted(str(p.relative_to(tmp)) for p in tmp.rglob("*") if p.is_file())
    return Report(path, tuple(before), tuple(after), files, lines, empty)


def short_lines(tg: TemporalGraph, shift_table: pd.DataFrame, top: int) -> list[str]:
    """One short line per top shift: the pair, both scores with their tone, the change
    with its interval, a sign change, the (first two) relation types driving it, and a
    fragility note naming the relation ids it rests on.

    The compared ranges are not repeated: the page states them once.

    Examples
    --------
    >>> short_lines(tg, shifts.compare(tg, before, after), 1)  # doctest: +SKIP
    ['Armenia–Russia: cooperative +1.3 → hostile -2.1 (change -3.4, 90% interval -4.0 to -2.9)']
    """
    level = shift_table.attrs.get("level", 0.9)
    lines = []
    for row in shift_table.head(top).itertuples(index=False):
        text = (f"{entity_name(tg, row.source)}–{entity_name(tg, row.target)}: {tone(row.before)} "
                f"{row.before:+.1f} → {tone(row.after)} {row.after:+.1f} "
                f"(change {row.change:+.1f}")
        text += (f", {level:.0%} interval {row.ci_low:+.1f} to {row.ci_high:+.1f})"
                 if row.ci_low == row.ci_low else ")")
        if row.sign_flip:
            text += "; changed sign"
        drivers = [d for d in str(row.drivers).split(";") if d and d != "nan"]
        if drivers:
            text += f"; driven by {', '.join(drivers[:2])}"
        if not row.robust:
            text += f"; fragile: rests on {ids_text(row.rests_on, limit=3)}"
        lines.append(text)
    return lines


def range_centrality(tg: TemporalGraph, before: tuple[str, str], after: tuple[str, str],
                     *, combine: str = "level+flow", weight_by: str | None = None
                     ) -> pd.DataFrame:
    """Centrality of the entities with a tie in either compared range, per range.

    Each range is measured exactly (:func:`graphkit.model.temporal.range_scores`), not by
    calendar periods: ``partners`` (distinct partners), ``cooperative`` and ``hostile``
    (partners with a positive / negative score), ``strength`` (sum of the scores of the
    entity's pairs) and ``pagerank`` (on the directed graph of positive scores, over the
    entities with a tie in the range; an entity without a tie there gets NaN, not the
    teleport baseline). Columns are suffixed ``_before`` / ``_after``; rows are sorted by
    PageRank after, then before, then id. Entities without any tie are left out.

    Examples
    --------
    >>> range_centrality(tg, ("2020-11-10", "2023-07-01"), ("2023-09-01", "2023-10-01"))
    ... # doctest: +SKIP
    """
    parts = []
    for label, (start, end) in (("before", before), ("after", after)):
        pairs = range_scores(tg.relations, start, end, directed=False, combine=combine,
                             weight_by=weight_by)
        ends = pd.concat([pairs.rename(columns={"source": "entity", "target": "other"}),
                          pairs.rename(columns={"target": "entity", "source": "other"})])
        table = ends.groupby("entity").agg(
            partners=("other", "nunique"),
            cooperative=("sign", lambda s: int((s > 0).sum())),
            hostile=("sign", lambda s: int((s < 0).sum())),
            strength=("weight", "sum"))
        directed = range_scores(tg.relations, start, end, directed=True, combine=combine,
                                weight_by=weight_by)
        graph = nx.DiGraph()
        graph.add_nodes_from(table.index)
        positive = directed[directed["weight"] > 0]
        graph.add_weighted_edges_from(positive[["source", "target", "weight"]]
                                      .itertuples(index=False, name=None))
        table["pagerank"] = pd.Series(nx.pagerank(graph) if len(graph) else {},
                                      dtype=float)
        parts.append(table.add_suffix(f"_{label}"))
    out = pd.concat(parts, axis=1).rename_axis("entity").reset_index()
    counts = [c for c in out.columns if c.split("_")[0] in ("partners", "cooperative",
                                                               "hostile")]
    out[counts] = out[counts].fillna(0).astype(int)
    return (out.sort_values(["pagerank_after", "pagerank_before", "entity"],
                            ascending=[False, False, True], na_position="last", kind="stable")
            .reset_index(drop=True))


#: How far around the compared ranges the dyad series (timelines, breaks) reach.
CONTEXT_YEARS = 100


def _horizon(tg: TemporalGraph, before: tuple[str, str], after: tuple[str, str],
             full_tables: bool):
    """The views the report's over-time tables are computed on, for a period length.

    By default the whole periods from the earlier compared range's start to the later
    one's end, and with ``context_too=True`` (the dyad series behind the timelines and
    the breaks) the data's whole span cut to :data:`CONTEXT_YEARS` either side: ongoing
    ties and relations dated far from the comparison (a typo's year 9000 or 0001) cost
    nothing. ``full_tables``: the whole graph.
    """
    first = min(to_timestamp(before[0]), to_timestamp(after[0]))
    last = max(to_timestamp(before[1]), to_timestamp(after[1]))
    origin, horizon = tg.span if len(tg.relations) else (first, last)
    reach = pd.DateOffset(years=CONTEXT_YEARS)
    if origin.year < first.year - CONTEXT_YEARS:
        origin = first - reach
    if horizon.year > last.year + CONTEXT_YEARS:
        horizon = last + reach
    context = (min(origin, first), max(horizon + pd.Timedelta(seconds=1), last))

    def view(freq: str, context_too: bool = False) -> TemporalGraph:
        if full_tables:
            return tg
        return tg.window(*(context if context_too else (first, last)), align=freq)

    return view


def _covered(tables: dict[str, pd.DataFrame], start: str, end: str
             ) -> dict[str, pd.DataFrame]:
    """``dyad_scores`` and ``centrality`` cut to the periods overlapping [start, end), and
    centrality to entities with a tie in the period; other tables as they are."""
    out = dict(tables)
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    for name in ("dyad_scores", "centrality"):
        frame = tables[name]
        if not len(frame) or not isinstance(frame["period"].dtype, pd.PeriodDtype):
            continue
        periods = frame["period"].array
        keep = (periods.end_time >= first) & (periods.start_time < last)
        if name == "centrality" and "degree" in frame.columns:
            keep &= frame["degree"].to_numpy() > 0
        out[name] = frame[keep].reset_index(drop=True)
    return out


# --------------------------------------------------------------------------- page


def _table(frame: pd.DataFrame, numeric: tuple[str, ...] = (), signed: tuple[str, ...] = ()
           ) -> str:
    head = "".join(f"<th>{escape(str(c))}</th>" for c in frame.columns)
    body = []
    for record in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, record, strict=True):
            css = []
            if column in numeric or column in signed:
                css.append("num")
                text = f"{value:+.2f}" if column in signed else (
                    f"{value:.3g}" if isinstance(value, float) else str(value))
                if isinstance(value, float) and value != value:  # NaN: undefined here
                    text = "–"
                if column in signed and value < 0:
                    css.append("neg")
                elif column in signed and value > 0:
                    css.append("pos")
            else:
                text = str(value)
            cls = f" class='{' '.join(css)}'" if css else ""
            cells.append(f"<td{cls}>{escape(text)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _evidence(tg: TemporalGraph, top: pd.DataFrame, after: tuple[str, str]) -> pd.DataFrame:
    """The relations of the top dyads in the second period, with their evidence."""
    rel = tg.window(*after).relations
    pairs = {frozenset(p) for p in zip(top["source"], top["target"], strict=True)}
    mine = rel[[frozenset(p) in pairs for p in zip(rel["source"], rel["target"], strict=True)]]
    names = tg.entities.set_index("id")["name"]
    sign = np.sign(mine["sign"].to_numpy())
    return (mine.sort_values(["start", "source", "target", "type"], kind="stable")
            .assign(source=lambda t: t["source"].map(names),
                    target=lambda t: t["target"].map(names),
                    weight=lambda t: t["weight"].abs(),
                    sign=pd.Series(np.select([sign > 0, sign < 0], ["+", "−"], "0"),
                                   index=mine.index),
                    signed=lambda t: t["signed_weight"],
                    end=lambda t: t["end"].where(t["end"].astype(str) != "", "–"))
            [["id", "start", "end", "source", "target", "type", "weight", "sign", "signed",
              "confidence", "evidence", "source_ref"]])


def _index(tg, title, before, after, shift_table, lines, leaders, balance_table, tables,
           has_charts, top, empty) -> str:
    summary = tg.summary()
    held = "".join(f"<tr><th>{escape(str(k))}</th><td>{escape(str(v))}</td></tr>"
                   for k, v in summary.items())
    types = (tg.relations.groupby("type").agg(relations=("type", "size"),
                                              first=("start", "min"), last=("start", "max"))
             .sort_values("relations", ascending=False).reset_index())
    names = tg.entities.set_index("id")["name"]
    level = shift_table.attrs.get("level", 0.9)
    shown = shift_table.head(top).assign(
        source=lambda t: t["source"].map(names).fillna(t["source"]),
        target=lambda t: t["target"].map(names).fillna(t["target"]),
        drivers=lambda t: t["drivers"].str.replace(";", ", "),
        interval=lambda t: [f"{a:+.1f} to {b:+.1f}" if a == a else "–"
                            for a, b in zip(t["ci_low"], t["ci_high"], strict=True)],
        robust=lambda t: np.where(t["robust"], "yes",
                                  "fragile: rests on " + t["rests_on"].str.replace(";", ", ")),
    )[["rank", "source", "target", "before", "after", "change", "interval", "robust",
       "level_before", "level_after", "flow_before", "flow_after", "drivers"]]
    shown = shown.rename(columns={"interval": f"{level:.0%} interval"})
    leaders = leaders.head(top).assign(
        entity=lambda t: t["entity"].map(names).fillna(t["entity"]))
    leader_cols = ["entity", "pagerank_before", "pagerank_after", "partners_before",
                   "partners_after", "cooperative_after", "hostile_after", "strength_before",
                   "strength_after"]
    balance_cols = [c for c in balance_table.columns if c in (
        "period", "nodes", "edges", "positive", "negative", "triangles",
        "strong_balance", "weak_balance", "frustration", "exact")]
    with_triangles = balance_table["triangles"] > 0 if "triangles" in balance_table \
        else balance_table["edges"] > 0
    balance_shown = balance_table[with_triangles][balance_cols]
    balance_note = (f"{len(balance_table) - len(balance_shown)} of {len(balance_table)} "
                    "periods have no triangle of ties and are left out here; "
                    "<a href='tables/balance.csv'>balance.csv</a> has every period."
                    if len(balance_shown) < len(balance_table) else "")
    warning_items = "".join(f"<p class='warn'>Warning: {escape(m)}.</p>" for m in empty)
    evidence = _evidence(tg, shift_table.head(3), after)
    links = ["<a href='network.html'>Network view</a>"]
    if has_charts:
        links += ["<a href='timelines.html'>Timelines of the top dyads</a>",
                  "<a href='shifts.html'>Shift chart</a>"]
    links += [f"<a href='tables/{escape(name)}.csv'>{escape(name)}.csv</a>" for name in tables]
    sources = tg.metadata.get("sources") or []
    source_items = "".join(
        f"<li>{escape(str(s.get('title', '')))}</li>" for s in sources if isinstance(s, dict))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}: graphkit report</title><style>{CSS}</style></head>
<body>
<h1>{escape(title)}</h1>
<p><strong>Compared:</strong> before = {escape(before[0])} to {escape(before[1])},
after = {escape(after[0])} to {escape(after[1])} (half-open ranges; every score, change and
centrality below is measured on exactly these two ranges).</p>
{warning_items}
<nav>{' '.join(links)}</nav>
<h2>Top {len(lines)} shifts</h2>
<ul class="shifts">{''.join(f'<li>{escape(line)}</li>' for line in lines)}</ul>
{_table(shown, numeric=('rank',), signed=('before', 'after', 'change', 'level_before',
                                          'level_after', 'flow_before', 'flow_after'))}
<p class="muted">A score is the <em>level</em> of a pair's standing ties (alliances,
memberships, sanctions, occupations: the time-weighted mean of their signed weights in force
over the range) plus the <em>flow</em> of its events (their signed Goldstein weights per 30
days, each event spread over its date's extent), measured on the exact ranges compared. The
interval is a bootstrap of the pair's events (standing ties held fixed); a shift is robust
when its direction, and its sign change where there is one, survive removing any single
relation and dropping relations with confidence below 0.5; otherwise the relation ids it
rests on are named. Every relation carries its evidence and source in the network view and
in the data.</p>
<h3>Evidence behind the top three shifts (after range)</h3>
<p class="muted">Each relation of the three pairs in the after range: its id, weight,
sign (+ cooperative, − hostile) and signed weight, and the confidence of its coding.</p>
{_table(evidence) if len(evidence) else '<p class="muted">No relations in the period.</p>'}
<h2>Structural balance over time</h2>
<p class="muted">Per period with signed ties: the share of balanced triangles (strong:
+++ and +--; weak also counts ---) and the frustration index, the fewest ties whose
removal leaves the graph split into two internally friendly, mutually hostile camps.</p>
{_table(balance_shown, numeric=tuple(balance_cols[1:]))
 if len(balance_shown) else '<p class="muted">No period has a triangle of ties.</p>'}
<p class="muted">{balance_note}</p>
<h2>Most central actors in the compared ranges</h2>
<p class="muted">Top {top} entities by PageRank in the after range (cooperative ties,
among the entities with a tie in the range; – where the entity has no tie in that range);
partners, cooperative and hostile partners, and strength (the sum of its pairs' scores).
Entities without ties in either range are not listed.</p>
{_table(leaders[leader_cols], numeric=tuple(leader_cols[1:]))}
<h2>What the data holds</h2>
<table>{held}</table>
{_table(types, numeric=('relations',))}
{f'<h3>Sources</h3><ul>{source_items}</ul>' if source_items else ''}
</body></html>
"""
