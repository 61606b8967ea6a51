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
from pathlib import Path

import networkx as nx
import pandas as pd

from graphkit import views
from graphkit.analysis import balance, metrics, shifts
from graphkit.analysis.shifts import entity_name, ids_text, tone
from graphkit.core.atomic import atomic_folder, check_output_folder, write_csv, write_text
from graphkit.core.dates import to_timestamp
from graphkit.model.temporal import TemporalGraph, range_scores
from graphkit.report.index import index_page
from graphkit.report.templating import render

__all__ = ["Report", "build_report"]

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
        return render("summary.html.j2", path=str(self.path),
                      lines=[*self.warnings, *self.narrative], files=self.files)


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
    normalize: str | None = None,
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
    normalize : {None, "coverage"}
        ``"coverage"``: the shifts, the dyad series behind the timelines and breaks, and
        ``dyad_scores.csv`` divide each pair's event flow by its actors' coverage
        (:mod:`graphkit.analysis.coverage`), for event data where news volume varies;
        the page says so. Centrality and balance read the raw scores.
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
    >>> import tempfile
    >>> from pathlib import Path
    >>> tg = graphkit.load("data/nagorno_karabakh")
    >>> folder = Path(tempfile.mkdtemp()) / "report"
    >>> report = build_report(tg, folder, before=("2020-11-10", "2023-07-01"),
    ...                       after=("2023-09-01", "2023-10-01"), top=3, n_boot=200)
    >>> report.files[:4]
    ['index.html', 'network.html', 'shifts.html', 'tables/balance.csv']
    >>> report.narrative[1].split(" (")[0]
    'Armenia–Russia: cooperative +10.7 → hostile -5.9'
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
                                     weight_by=weight_by, n_boot=n_boot, seed=seed,
                                     normalize=normalize)
    seen = dict.fromkeys((str(w.message), w.category) for w in caught)
    empty = [message for message, _ in seen]
    for message, category in seen:  # again for the caller (same category), and on the page
        warnings.warn(message, category, stacklevel=2)
    covered = _horizon(tg, before, after, full_tables)
    series = covered(freq, context_too=True)
    scores = metrics.dyad_scores(series, freq, directed=False, combine=combine,
                                 weight_by=weight_by, normalize=normalize)
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
        page = index_page(tg, title, before, after, shift_table, lines, leaders,
                          balance_table, tables, has_charts=bool(top_dyads), top=top,
                          warnings=empty)
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
    >>> table = shifts.compare(tg, ("2020-11-10", "2023-07-01"),
    ...                        ("2023-09-01", "2023-10-01"), n_boot=200)
    >>> for line in short_lines(tg, table, 2):
    ...     print(line.replace(" (", "\\n("))
    Armenia–United States: cooperative +0.4 → cooperative +22.3
    (change +21.9, 90% interval +5.8 to +39.5); driven by aid, cooperation
    Armenia–Russia: cooperative +10.7 → hostile -5.9
    (change -16.6, 90% interval -30.0 to -4.2); changed sign; driven by criticism, threat
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
    >>> table = range_centrality(tg, ("2020-11-10", "2023-07-01"),
    ...                          ("2023-09-01", "2023-10-01"))
    >>> table[["entity", "partners_before", "partners_after"]].head(3)
      entity  partners_before  partners_after
    0    AZE                7               7
    1    ARM               10              11
    2    TUR                2               2
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
