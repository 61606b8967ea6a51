"""The analyst report: one folder with everything an analyst sends on.

:func:`build_report` writes, atomically (a failed run leaves no half-written folder):

* ``index.html``: one self-contained page (no script at all) with what the data holds,
  the top shifts and their plain-language lines, key metrics over time and links;
* ``network.html``: the interactive network view with its time slider;
* ``timelines.html``: dyad score timelines of the top shifts, and ``shifts.html``, the
  shift chart;
* ``tables/*.csv``: shifts, breaks, dyad scores, centrality, balance, camps (and
  alignment when reference actors are given).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import numpy as np
import pandas as pd

from graphkit import balance, metrics, shifts, views
from graphkit.atomic import atomic_folder, check_output_folder, write_csv, write_text
from graphkit.dates import to_timestamp
from graphkit.temporal import TemporalGraph

__all__ = ["Report", "build_report"]

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;
max-width:70rem;padding:0 1rem;color:#1d2330;line-height:1.45}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:1px solid #dde;
padding-bottom:.2rem}table{border-collapse:collapse;font-size:.88rem;margin:.5rem 0}
th,td{padding:.25rem .6rem;border-bottom:1px solid #eef;text-align:left;vertical-align:top}
th{background:#f4f6fb}td.num{text-align:right;font-variant-numeric:tabular-nums}
.neg{color:#b3261e}.pos{color:#1b7f3b}.muted{color:#667}ul.shifts li{margin:.35rem 0}
nav a{margin-right:1rem}
"""


@dataclass(frozen=True)
class Report:
    """What :func:`build_report` wrote."""

    path: Path
    before: tuple[str, str]
    after: tuple[str, str]
    files: list[str] = field(default_factory=list)
    narrative: list[str] = field(default_factory=list)

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{escape(line)}</li>" for line in self.narrative)
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
        Periods to compare; chosen by :func:`graphkit.shifts.suggest_periods` when omitted.
    freq : {"D", "W", "M", "Q", "Y"}
        Period of the dyad series, change points and centrality.
    top : int
        Number of top shifts described and drawn.
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
        As in :func:`graphkit.shifts.compare` (the score rule of :mod:`graphkit.measure`,
        and the bootstrap of each change's interval).
    force : bool
        Replace a non-empty folder graphkit did not write (an earlier report is always
        replaced; see :func:`graphkit.atomic.check_output_folder`).
    raw_csv : bool
        Write the tables' text as it is, without neutralising spreadsheet formulas.
    full_tables : bool
        Write ``dyad_scores`` and ``centrality`` for every period and every entity. By
        default they hold what the report covers: the periods from the start of
        ``before`` to the end of ``after``, and centrality rows of entities with a tie in
        the period (so 200,000 relations do not give a table of every entity in every
        month). The over-time tables are also computed on those periods only (the dyad
        series of the timelines and breaks reach back at most :data:`CONTEXT_YEARS`
        before), so a relation dated 9000 or an alliance ongoing since 1900 costs
        nothing; ``full_tables`` computes them over the data's whole span.

    Returns
    -------
    Report
    """
    path = check_output_folder(path, force=force)
    if (before is None) != (after is None):
        raise ValueError("give both before and after, or neither")
    if before is None:
        before, after = shifts.suggest_periods(tg, freq)
    references = tg.resolve(references) if references else []

    shift_table = shifts.compare(tg, before, after, freq=freq, combine=combine,
                                 weight_by=weight_by, n_boot=n_boot, seed=seed)
    covered = _horizon(tg, before, after, full_tables)
    series = covered(freq, context_too=True)
    scores = metrics.dyad_scores(series, freq, directed=False, combine=combine,
                                 weight_by=weight_by)
    breaks = shifts.rank_breaks(series, freq, scores=scores)
    lines = shifts.narrate(tg, shift_table, before, after, breaks=breaks, top=top)
    central = metrics.centrality(covered(freq), freq, combine=combine, weight_by=weight_by)
    balance_table, camps = balance.over_time(covered(balance_freq), balance_freq,
                                             partitions=True, time_limit=balance_time_limit)
    tables = {
        "shifts": shift_table, "breaks": breaks, "dyad_scores": scores,
        "centrality": central, "balance": balance_table, "camps": camps,
    }
    if references:
        tables["alignment"] = shifts.alignment(covered(freq), references, freq=freq)

    top_dyads = list(zip(shift_table["source"].head(top), shift_table["target"].head(top),
                         strict=True))
    title = str(tg.metadata.get("title") or path.name)
    with atomic_folder(path, force=force) as tmp:
        views.network(tg, title=title).save(tmp / "network.html")
        if top_dyads:
            views.timeline(series, dyads=top_dyads, freq=freq, start=before[0], scores=scores,
                           title=f"Top {len(top_dyads)} shifts: dyad timelines"
                           ).save(tmp / "timelines.html")
            views.shift_chart(
                shift_table, top=top * 2, tg=tg,
                title=f"Largest changes: {before[0]} to {before[1]} vs {after[0]} to {after[1]}",
            ).save(tmp / "shifts.html")
        (tmp / "tables").mkdir()
        shown = tables if full_tables else _covered(tables, before[0], after[1])
        for name, frame in shown.items():
            write_csv(frame, tmp / "tables" / f"{name}.csv", raw=raw_csv)
        page = _index(tg, title, before, after, shift_table, lines, central, balance_table,
                      tables, has_charts=bool(top_dyads), top=top)
        write_text(tmp / "index.html", page)
        files = sorted(str(p.relative_to(tmp)) for p in tmp.rglob("*") if p.is_file())
    return Report(path, tuple(before), tuple(after), files, lines)


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
    return (mine.sort_values(["start", "source", "target", "type"], kind="stable")
            .assign(source=lambda t: t["source"].map(names),
                    target=lambda t: t["target"].map(names))
            [["id", "start", "end", "source", "target", "type", "signed_weight", "confidence",
              "evidence", "source_ref"]]
            .rename(columns={"signed_weight": "weight"}))


def _index(tg, title, before, after, shift_table, lines, central, balance_table, tables,
           has_charts, top) -> str:
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
    last_period = central["period"].max() if len(central) else None
    leaders = (central[central["period"] == last_period]
               .sort_values(["pagerank", "entity"], ascending=[False, True]).head(10)
               if last_period is not None else central)
    leaders = leaders.assign(entity=leaders["entity"].map(names).fillna(leaders["entity"]))
    leader_cols = [c for c in ("entity", "in_degree", "out_degree", "positive_degree",
                               "negative_degree", "strength", "betweenness", "pagerank")
                   if c in leaders.columns]
    balance_cols = [c for c in balance_table.columns if c in (
        "period", "nodes", "edges", "positive", "negative", "triangles",
        "strong_balance", "weak_balance", "frustration", "exact")]
    balance_shown = balance_table[balance_table["edges"] > 0][balance_cols]
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
<p class="muted">graphkit report: {escape(before[0])} to {escape(before[1])} compared with
{escape(after[0])} to {escape(after[1])}</p>
<nav>{' '.join(links)}</nav>
<h2>Top shifts</h2>
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
<h3>Evidence behind the top three shifts ({escape(after[0])} to {escape(after[1])})</h3>
{_table(evidence) if len(evidence) else '<p class="muted">No relations in the period.</p>'}
<h2>Structural balance over time</h2>
<p class="muted">Per period with signed ties: the share of balanced triangles (strong:
+++ and +--; weak also counts ---) and the frustration index, the fewest ties whose
removal leaves the graph split into two internally friendly, mutually hostile camps.</p>
{_table(balance_shown, numeric=tuple(balance_cols[1:]))}
<h2>Most central actors in {escape(str(last_period))}</h2>
{_table(leaders[leader_cols], numeric=tuple(leader_cols[1:]))}
<h2>What the data holds</h2>
<table>{held}</table>
{_table(types, numeric=('relations',))}
{f'<h3>Sources</h3><ul>{source_items}</ul>' if source_items else ''}
</body></html>
"""
