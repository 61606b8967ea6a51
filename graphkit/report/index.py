"""The report's ``index.html``: the tables it shows, computed here, drawn by a template.

:func:`index_page` gathers what the page shows (the top shifts, the evidence behind the
top three, balance, centrality, what the data holds) as text, with numbers formatted
here, and renders ``templates/index.html.j2`` through :mod:`graphkit.report.templating`,
which escapes every value. The page has no script at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from graphkit.model.temporal import TemporalGraph
from graphkit.report.templating import render

__all__ = ["cell_table", "evidence", "index_page"]


def cell_table(frame: pd.DataFrame, numeric: Iterable[str] = (),
               signed: Iterable[str] = ()) -> dict[str, list]:
    """A table as the page template draws it: header texts and rows of ``(text, css)``.

    Parameters
    ----------
    frame : pandas.DataFrame
    numeric : iterable of str
        Columns aligned right (``num``); floats shown with 3 significant digits, NaN
        as ``–`` (undefined here).
    signed : iterable of str
        Numeric columns shown with a sign and 2 decimals, coloured ``neg`` / ``pos``.

    Returns
    -------
    dict
        ``head``: the column names as text; ``rows``: one list of ``(text, css)`` per
        row (``css`` a space-separated class list, empty for none). Text is not escaped:
        the template escapes it.

    Examples
    --------
    >>> frame = pd.DataFrame({"pair": ["A<B"], "change": [-1.5], "share": [np.nan]})
    >>> table = cell_table(frame, numeric=["share"], signed=["change"])
    >>> table["head"], table["rows"]
    (['pair', 'change', 'share'], [[('A<B', ''), ('-1.50', 'num neg'), ('–', 'num')]])
    """
    numeric, signed = set(numeric), set(signed)
    rows = []
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
            cells.append((text, " ".join(css)))
        rows.append(cells)
    return {"head": [str(c) for c in frame.columns], "rows": rows}


def evidence(tg: TemporalGraph, top: pd.DataFrame, after: tuple[str, str]) -> pd.DataFrame:
    """The relations of the top dyads in the after range, with their evidence.

    Parameters
    ----------
    tg : TemporalGraph
    top : pandas.DataFrame
        Rows of a shift table (``source`` and ``target`` columns); both directions of
        each pair count.
    after : (start, end)
        The range whose relations are listed.

    Returns
    -------
    pandas.DataFrame
        ``id, start, end, source, target, type, weight, sign, signed, confidence,
        evidence, source_ref``, entities by name, sorted by start, pair and type;
        ``weight`` is the magnitude, ``sign`` ``+``, ``−`` or ``0``.

    Examples
    --------
    >>> top = pd.DataFrame({"source": ["ARM"], "target": ["RUS"]})
    >>> table = evidence(tg, top, ("2023-09-01", "2023-10-01"))
    >>> sorted(set(table["source"]) | set(table["target"]))
    ['Armenia', 'Russia']
    >>> bool(table["sign"].isin(["+", "−", "0"]).all())
    True
    """
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


def index_page(tg: TemporalGraph, title: str, before: tuple[str, str],  # noqa: PLR0913 - the page's parts
               after: tuple[str, str], shift_table: pd.DataFrame, lines: list[str],
               leaders: pd.DataFrame, balance_table: pd.DataFrame,
               tables: Mapping[str, pd.DataFrame], *, has_charts: bool, top: int,
               warnings: list[str]) -> str:
    """The report's ``index.html`` (script-free; every value escaped by the template).

    Parameters
    ----------
    tg : TemporalGraph
    title : str
    before, after : (start, end)
        The compared ranges, stated once at the top.
    shift_table : pandas.DataFrame
        From :func:`graphkit.analysis.shifts.compare`; its first ``top`` rows are shown.
    lines : list of str
        One short line per top shift (:func:`graphkit.report.build.short_lines`).
    leaders : pandas.DataFrame
        From :func:`graphkit.report.build.range_centrality`.
    balance_table : pandas.DataFrame
        From :func:`graphkit.analysis.balance.over_time`; periods without a triangle are
        left out of the page (the CSV has them).
    tables : mapping of str to DataFrame
        The CSV tables written, linked by name from ``tables/``.
    has_charts : bool
        Link the timelines and the shift chart (written when there is a top shift).
    top : int
        Rows of the centrality table.
    warnings : list of str
        Shown at the top, one paragraph each.

    Returns
    -------
    str
        The page.

    Examples
    --------
    >>> from graphkit.analysis import balance, shifts
    >>> from graphkit.report.build import range_centrality, short_lines
    >>> before, after = ("2020-11-10", "2023-07-01"), ("2023-09-01", "2023-10-01")
    >>> table = shifts.compare(tg, before, after, n_boot=50)
    >>> page = index_page(tg, "Karabakh <draft>", before, after, table,
    ...                   short_lines(tg, table, 3), range_centrality(tg, before, after),
    ...                   balance.over_time(tg.window("2020", "2024"), "Y"),
    ...                   {"shifts": table}, has_charts=False, top=3, warnings=[])
    >>> "<h1>Karabakh &lt;draft&gt;</h1>" in page, "<script" in page
    (True, False)
    """
    names = tg.entities.set_index("id")["name"]
    types = (tg.relations.groupby("type").agg(relations=("type", "size"),
                                              first=("start", "min"), last=("start", "max"))
             .sort_values("relations", ascending=False).reset_index())
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
    links = [("network.html", "Network view")]
    if has_charts:
        links += [("timelines.html", "Timelines of the top dyads"),
                  ("shifts.html", "Shift chart")]
    links += [(f"tables/{name}.csv", f"{name}.csv") for name in tables]
    sources = [str(s.get("title", "")) for s in tg.metadata.get("sources") or []
               if isinstance(s, dict)]
    return render(
        "index.html.j2",
        title=title, before=before, after=after, warnings=warnings, links=links,
        lines=lines, top=top, sources=sources,
        normalized=shift_table.attrs.get("normalize") == "coverage",
        shifts=cell_table(shown, numeric=("rank",), signed=(
            "before", "after", "change", "level_before", "level_after", "flow_before",
            "flow_after")),
        evidence=cell_table(evidence(tg, shift_table.head(3), after)),
        balance=cell_table(balance_shown, numeric=balance_cols[1:]),
        balance_left_out=len(balance_table) - len(balance_shown),
        balance_periods=len(balance_table),
        leaders=cell_table(leaders[leader_cols], numeric=leader_cols[1:]),
        held=[(str(k), str(v)) for k, v in tg.summary().items()],
        types=cell_table(types, numeric=("relations",)),
    )
