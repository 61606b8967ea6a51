"""Charts of dyads over time: score timelines and shift charts (plotly, self-contained).

:func:`timeline` draws, for chosen dyads, the score of each period
(:func:`graphkit.analysis.metrics.dyad_scores`: the level of standing ties plus the flow of events
per 30 days, optionally with the decayed score) above the relations behind it, each a
marker at its start date with its type, dates, weight, confidence, evidence and source in
the hover box. :func:`shift_chart` draws the largest
changes of a table such as :func:`graphkit.analysis.shifts.compare` returns.

The pages follow the same rules as the network view (:mod:`graphkit.views.page`):
plotly.js is inlined, the figure enters the page as escaped JSON, a Content-Security-Policy
allows only the page's own scripts, and no request leaves the page. Plotly renders a small
set of HTML-like tags in text (``<b>``, ``<br>``, ``<a href>``...), so every piece of data
is HTML-escaped before it becomes chart text: a name such as ``<b>x</b>`` shows as typed.
"""

from __future__ import annotations

import html
import os
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from graphkit.core import atomic
from graphkit.core.dates import ONGOING, to_timestamp
from graphkit.core.timespec import FREQUENCY_NAMES, parse_freq
from graphkit.model.temporal import TemporalGraph
from graphkit.views import page

__all__ = ["ChartView", "TimelineView", "parse_dyad", "shift_chart", "timeline"]

COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
          "#17becf", "#7f7f7f", "#bcbd22"]
SIGN_SYMBOLS = {1: "circle", 0: "diamond", -1: "x"}
SHIFT_COLUMNS = ["source", "target", "before", "after", "change"]


@dataclass
class ChartView:
    """A rendered plotly chart.

    Attributes
    ----------
    html : str
        The whole page: self-contained (plotly.js inlined), makes no network request.
    title : str
        Page and chart title.
    figure : plotly.graph_objects.Figure
        The figure, for further styling (re-render with :func:`render_chart`).
    height : int
        Frame height in pixels for notebooks.
    """

    html: str
    title: str
    figure: object = field(repr=False)
    height: int = 600

    def save(self, path: str | os.PathLike) -> Path:
        """Write the page to ``path`` atomically; nothing else is written."""
        return atomic.write_text(path, self.html)

    def _repr_html_(self) -> str:
        return page.iframe(self.html, height=self.height + 20, title=self.title,
                            caption=f"graphkit chart: {self.title}")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.title!r}, {len(self.html):,} characters>"


@dataclass(repr=False)
class TimelineView(ChartView):
    """A dyad timeline; ``scores`` holds the plotted table (one row per dyad and period)."""

    scores: pd.DataFrame = field(default_factory=pd.DataFrame)
    dyads: list[tuple[str, str]] = field(default_factory=list)


# ------------------------------------------------------------------------------ timeline


def timeline(
    tg: TemporalGraph,
    dyads: Iterable[tuple[str, str] | str],
    freq: str = "M",
    *,
    half_life: object | None = None,
    directed: bool = False,
    title: str | None = None,
    height: int = 640,
    start: object | None = None,
    scores: pd.DataFrame | None = None,
    focus: tuple[object, object] | None = None,
) -> TimelineView:
    """Dyad scores over time, with the relations behind them.

    Parameters
    ----------
    tg : TemporalGraph
    dyads : iterable of (str, str) or "A:B"
        Pairs of entities by id or alias (any case).
    freq : {"D", "W", "M", "Q", "Y"}
        Period of the scores.
    half_life : str or Timedelta, optional
        Also draw the exponentially decayed score (dashed), as
        :func:`graphkit.analysis.metrics.dyad_scores` computes it.
    directed : bool
        ``False``: both directions of each pair together. ``True``: only ``A -> B``
        (undirected relations count in both directions).
    title : str, optional
        By default the dyads' names (the first three, then how many more).
    height : int
        Figure height in pixels.
    start : date, optional
        First date in view; the whole series stays in the chart (zoom out to see it).
    scores : pandas.DataFrame, optional
        The table to draw: :func:`graphkit.analysis.metrics.dyad_scores` made with the same
        ``freq``, ``directed`` and ``half_life`` (the report and ``graphkit timeline``
        compute it and pass it). When omitted, a convenience for notebooks, it is computed
        by the one call ``metrics.dyad_scores(tg, freq, half_life=half_life,
        directed=directed, fill="all" if half_life is not None else "active")`` (every
        period with a half-life, so the decayed score decays through quiet periods).
    focus : (start, end), optional
        The chart opens on ``[start, end)`` (e.g. the compared ranges), shaded, with
        buttons to show this span again or the full span of the series. Overrides
        ``start``.

    Returns
    -------
    TimelineView
        ``.html``, ``.save(path)``, ``.figure``, ``.scores`` and notebook display.

    Raises
    ------
    KeyError
        When a name is not an entity id or alias.

    Examples
    --------
    >>> from graphkit import metrics, views
    >>> view = views.timeline(tg, [("ARM", "RUS"), "ARM:AZE"], freq="Q")
    >>> view.dyads
    [('ARM', 'RUS'), ('ARM', 'AZE')]
    >>> "connect-src 'none'" in view.html  # the page makes no network request
    True

    Scores computed once, for several views (what the report does):

    >>> scores = metrics.dyad_scores(tg, "Q", directed=False)
    >>> again = views.timeline(tg, ["ARM:RUS", "ARM:AZE"], freq="Q", scores=scores)
    >>> again.html == view.html
    True

    References
    ----------
    Goldstein, J. S. (1992). A conflict-cooperation scale for WEIS events data. *Journal
    of Conflict Resolution*, 36(2), 369-385.
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    from graphkit.analysis import metrics

    freq = parse_freq(freq)
    pairs = [parse_dyad(tg, d) for d in dyads]
    if not pairs:
        raise ValueError("give at least one dyad")
    names = dict(zip(tg.entities["id"], tg.entities["name"], strict=True))
    if scores is None:
        scores = metrics.dyad_scores(tg, freq, half_life=half_life, directed=directed,
                                     fill="all" if half_life is not None else "active")
    elif half_life is not None and "decayed" not in scores.columns:
        raise ValueError("scores lack the decayed column that half_life asks for")
    periods = tg.period_table(freq) if len(tg.relations) else pd.DataFrame(
        {"period": [], "start": [], "end": []})
    if len(scores) and len(periods) and scores["period"].dtype != periods["period"].dtype:
        raise ValueError(f"scores are per {scores['period'].dtype}, the timeline per "
                         f"{periods['period'].dtype} (freq={freq!r}): pass scores made "
                         "with the same freq")
    rel = tg.relations
    last = periods["end"].max() if len(periods) else pd.Timestamp("1970-01-01")
    # Start the chart at the first relation of the chosen dyads, not of the whole graph.
    ids = {x for pair in pairs for x in pair}
    chosen = rel[rel["source"].isin(ids) & rel["target"].isin(ids)]
    if len(chosen):
        periods = periods[periods["end"] > chosen["t_start"].min()]

    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.62, 0.38],
                        vertical_spacing=0.06)
    tables = []
    for k, (a, b) in enumerate(pairs):
        color = COLORS[k % len(COLORS)]
        key = (a, b) if directed else tuple(sorted((a, b)))
        label = _dyad_label(names, a, b, directed)
        table = _dyad_series(scores, periods, key, half_life is not None)
        table.insert(1, "source", key[0])
        table.insert(2, "target", key[1])
        tables.append(table)
        hover = [
            f"{_esc(label)}<br>{_esc(str(p))}<br>score {n:+.2f} = level {lv:+.2f} "
            f"+ flow {fl:+.2f} per 30 days<br>{ev:.2f} events, {ti:.2f} standing ties"
            + (f"<br>decayed {d:+.2f}" if half_life is not None else "")
            for p, n, lv, fl, ev, ti, d in zip(
                table["period"], table["score"], table["level"], table["flow"],
                table["events"], table["ties"], table.get("decayed", table["score"]),
                strict=True)
        ]
        x = [p.start_time.strftime("%Y-%m-%d") for p in table["period"]]
        fig.add_trace(go.Scatter(
            x=x, y=table["score"].round(6).tolist(), mode="lines+markers", name=_esc(label),
            legendgroup=str(k), line={"color": color, "shape": "hv", "width": 2},
            marker={"size": [6 if c else 0 for c in table["events"]]},
            hovertext=hover, hoverinfo="text",
        ), row=1, col=1)
        fig.add_trace(go.Scatter(
            x=x, y=table["level"].round(6).tolist(), mode="lines",
            name=_esc(f"{label}: level of standing ties"), legendgroup=str(k),
            line={"color": color, "shape": "hv", "width": 1, "dash": "dot"},
            hoverinfo="skip",
        ), row=1, col=1)
        if half_life is not None:
            fig.add_trace(go.Scatter(
                x=x, y=table["decayed"].round(6).tolist(), mode="lines",
                name=_esc(f"{label} (decayed, half-life {half_life})"), legendgroup=str(k),
                line={"color": color, "dash": "dash", "width": 1.5},
                hovertext=hover, hoverinfo="text",
            ), row=1, col=1)
        _event_traces(fig, go, rel, names, a, b, directed, color, str(k), label, last)

    fig.add_hline(y=0, line={"color": "#999", "width": 1}, row=1, col=1)
    fig.add_hline(y=0, line={"color": "#999", "width": 1}, row=2, col=1)
    if title is None:
        labels = [_dyad_label(names, a, b, directed) for a, b in pairs]
        more = f" and {len(labels) - 3} more" if len(labels) > 3 else ""
        title = "Dyad timelines: " + ", ".join(labels[:3]) + more
    fig.update_layout(
        title={"text": _esc(title), "x": 0.01},
        template="plotly_white", height=height, hovermode="closest",
        legend={"orientation": "h", "y": -0.08},
        margin={"l": 60, "r": 20, "t": 60, "b": 40},
    )
    fig.update_yaxes(title_text=f"score per {FREQUENCY_NAMES[freq]} (level + flow)", row=1, col=1)
    fig.update_yaxes(title_text="relation weight", row=2, col=1)
    fig.update_xaxes(type="date")
    _legend_key(fig, go, bool(((chosen["t_end"] - chosen["t_start"])
                               > pd.Timedelta(days=1)).any()))
    if focus is not None:
        _focus(fig, focus)
    elif start is not None:
        first = to_timestamp(start).strftime("%Y-%m-%d")
        fig.update_xaxes(range=[first, pd.Timestamp(last).strftime("%Y-%m-%d")])
    page = render_chart(fig, title)
    out = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    return TimelineView(html=page, title=str(title), figure=fig, height=height,
                        scores=out, dyads=pairs)




def _legend_key(fig, go, bands: bool) -> None:
    """Legend entries for the marks drawn without one: relation markers by sign, the
    pale bands of standing ties and the score line's dots (legend-only traces)."""
    key = [(f"relation: {label}", {"mode": "markers", "marker": {
        "symbol": SIGN_SYMBOLS[sign], "color": "#666", "size": 8,
        "line": {"width": 1, "color": "#333"}}})
        for sign, label in ((1, "cooperative"), (0, "neutral"), (-1, "hostile"))]
    key.append(("dot on a score line: events in the period",
                {"mode": "markers", "marker": {"color": "#666", "size": 6}}))
    if bands:
        key.append(("pale band: a standing tie in force",
                    {"mode": "lines", "line": {"color": "#666", "width": 6}, "opacity": 0.35}))
    for name, style in key:
        fig.add_trace(go.Scatter(x=[None], y=[None], name=name, legendgroup="key",
                                 hoverinfo="skip", **style), row=2, col=1)


def _focus(fig, focus: tuple[object, object]) -> None:
    """Open the x axis on ``focus``, shade it, and add buttons to return to it or to
    show the full span."""
    a, b = (to_timestamp(x) for x in focus)
    if b <= a:
        raise ValueError(f"focus end {focus[1]!r} is not after its start {focus[0]!r}")
    margin = (b - a) * 0.03
    window = [(a - margin).strftime("%Y-%m-%d"), (b + margin).strftime("%Y-%m-%d")]
    fig.update_xaxes(range=window)
    fig.add_vrect(x0=a.strftime("%Y-%m-%d"), x1=b.strftime("%Y-%m-%d"),
                  fillcolor="#4c78a8", opacity=0.06, line_width=0, layer="below")
    axes = [k for k in fig.layout.to_plotly_json() if k.startswith("xaxis")]
    fig.update_layout(updatemenus=[{
        "type": "buttons", "direction": "right", "x": 1, "xanchor": "right", "y": 1.09,
        "yanchor": "bottom", "showactive": True, "active": 0,
        "buttons": [
            {"label": "compared ranges", "method": "relayout",
             "args": [{f"{ax}.range": window for ax in axes}]},
            {"label": "full span", "method": "relayout",
             "args": [{f"{ax}.autorange": True for ax in axes}]},
        ]}])


def parse_dyad(tg: TemporalGraph, dyad: tuple[str, str] | str) -> tuple[str, str]:
    """Entity ids for a dyad given as a pair or as ``"A:B"`` (ids or aliases, any case).

    A colon inside an alias is fine as long as only one split of the text names two
    entities.

    Raises
    ------
    KeyError
        When no split names two known entities.
    ValueError
        When the dyad names one entity twice, or the text has no colon.
    """
    if isinstance(dyad, str):
        text = dyad.strip()
        cuts = [i for i, ch in enumerate(text) if ch == ":"]
        if not cuts:
            raise ValueError(f"dyad {dyad!r} must look like A:B")
        found = []
        for i in cuts:
            left, right = text[:i].strip(), text[i + 1:].strip()
            try:
                found.append(tuple(tg.resolve([left, right])))
            except KeyError as err:
                error = err
        if len(found) != 1:
            if not found:
                raise error
            raise ValueError(f"dyad {dyad!r} can be read in more than one way: use ids")
        a, b = found[0]
    else:
        a, b = tg.resolve(list(dyad))
    if a == b:
        raise ValueError(f"dyad {dyad!r} names the same entity twice")
    return a, b


def _dyad_label(names: dict, a: str, b: str, directed: bool) -> str:
    link = "\u2192" if directed else "\u2013"
    return f"{names.get(a, a)} {link} {names.get(b, b)}"


def _dyad_series(scores: pd.DataFrame, periods: pd.DataFrame, key: tuple[str, str],
                 decayed: bool) -> pd.DataFrame:
    """One row per period (every period of the graph), zeros where nothing happened."""
    rows = scores[(scores["source"] == key[0]) & (scores["target"] == key[1])]
    columns = ["score", "level", "flow", "count", "events", "ties", "positive", "negative"]
    columns += ["decayed"] if decayed else []
    table = rows.set_index("period")[columns].reindex(pd.Index(periods["period"]))
    if decayed:
        table["decayed"] = table["decayed"].ffill().fillna(0.0)
    return table.fillna(0.0).rename_axis("period").reset_index()


def _event_traces(fig, go, rel: pd.DataFrame, names: dict, a: str, b: str, directed: bool,
                  color: str, group: str, label: str, last: pd.Timestamp) -> None:
    forward = (rel["source"] == a) & (rel["target"] == b)
    backward = (rel["source"] == b) & (rel["target"] == a)
    mask = forward | (backward & ~rel["directed"]) if directed else forward | backward
    events = rel[mask]
    if events.empty:
        return
    start = events["t_start"].dt.strftime("%Y-%m-%d").tolist()
    hover = [_relation_hover(names, r) for r in events.to_dict("records")]
    fig.add_trace(go.Scatter(
        x=start, y=events["signed_weight"].round(6).tolist(), mode="markers",
        name=_esc(f"{label}: relations"), legendgroup=group, showlegend=False,
        marker={"color": color, "size": 8, "opacity": 0.8,
                "symbol": [SIGN_SYMBOLS[int(s)] for s in events["sign"]],
                "line": {"width": 1, "color": "#333"}},
        hovertext=hover, hoverinfo="text",
    ), row=2, col=1)
    durable = events[(events["t_end"] - events["t_start"]) > pd.Timedelta(days=1)]
    if len(durable):
        open_end = max(last, durable["t_start"].max())
        ends = durable["t_end"].where(durable["t_end"] < ONGOING, open_end)
        xs, ys = [], []
        for s, e, y in zip(durable["t_start"].dt.strftime("%Y-%m-%d"),
                           ends.dt.strftime("%Y-%m-%d"), durable["signed_weight"], strict=True):
            xs += [s, e, None]
            ys += [round(float(y), 6), round(float(y), 6), None]
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines", line={"color": color, "width": 3}, opacity=0.35,
            legendgroup=group, showlegend=False, hoverinfo="skip",
        ), row=2, col=1)


def _relation_hover(names: dict, r: dict) -> str:
    arrow = "\u2192" if r["directed"] else "\u2013"
    dates = r["start"] + (f" \u2013 {r['end']}" if r["end"] else
                          (" \u2013 ongoing" if r["t_end"] >= ONGOING else ""))
    lines = [
        f"<b>{_esc(r['type'])}</b>: {_esc(names.get(r['source'], r['source']))} {arrow} "
        f"{_esc(names.get(r['target'], r['target']))}",
        f"dates: {_esc(dates)}",
        f"weight {r['weight']:+.1f}, confidence {r['confidence']:.2f}",
    ]
    if r["evidence"]:
        lines += [_esc(line) for line in textwrap.wrap(_clip(r["evidence"], 400), 70)]
    if r["source_ref"]:
        lines += ["source: " + _esc(line) for line in
                  textwrap.wrap(_clip(r["source_ref"], 200), 70)[:1]]
    return "<br>".join(lines)


# -------------------------------------------------------------------------- shift chart


def shift_chart(
    table: pd.DataFrame,
    top: int = 20,
    *,
    tg: TemporalGraph | None = None,
    title: str | None = None,
) -> ChartView:
    """Bar chart of the largest changes in dyad scores between two periods.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``source``, ``target``, ``before``, ``after``, ``change`` (as
        :func:`graphkit.analysis.shifts.compare` returns); other columns such as ``drivers``,
        ``gained``, ``lost`` or ``sign_flip`` are shown on hover when present.
    top : int
        Number of dyads, largest ``|change|`` first.
    tg : TemporalGraph, optional
        To label dyads with entity names instead of ids.
    title : str, optional

    Returns
    -------
    ChartView

    Examples
    --------
    >>> from graphkit import shifts, views
    >>> table = shifts.compare(tg, ("2020-11-10", "2023-07-01"),
    ...                        ("2023-09-01", "2023-10-01"), n_boot=50)
    >>> chart = views.shift_chart(table, top=5, tg=tg)
    >>> len(chart.figure.data[0].y)
    5
    """
    import plotly.graph_objects as go

    missing = [c for c in SHIFT_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"shift table lacks columns: {', '.join(missing)}")
    names = dict(zip(tg.entities["id"], tg.entities["name"], strict=True)) if tg else {}
    order = np.lexsort((np.arange(len(table)), -table["change"].abs().to_numpy()))
    rows = table.iloc[order].head(top).iloc[::-1]
    labels = [_esc(f"{names.get(s, s)} \u2013 {names.get(t, t)}")
              for s, t in zip(rows["source"], rows["target"], strict=True)]
    # Category labels must be unique; repeated pairs (directed tables) get a suffix.
    seen: dict[str, int] = {}
    for i, label in enumerate(labels):
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            labels[i] = f"{label} ({seen[label]})"
    extra = [c for c in ("robust", "rests_on", "drivers", "gained", "lost", "sign_flip",
                         "events_before", "events_after") if c in rows.columns]
    hover = []
    for label, record in zip(labels, rows.to_dict("records"), strict=True):
        lines = [f"<b>{label}</b>", f"before {record['before']:+.2f}",
                 f"after {record['after']:+.2f}", f"change {record['change']:+.2f}"]
        if record.get("ci_low") == record.get("ci_low") and "ci_low" in record:
            lines.append(f"interval {record['ci_low']:+.2f} to {record['ci_high']:+.2f}")
        lines += [f"{_esc(c)}: {_esc(_clip(str(record[c]), 200))}" for c in extra
                  if str(record[c]) not in ("", "nan", "None")]
        hover.append("<br>".join(lines))
    change = rows["change"].astype(float).round(6)
    fig = go.Figure(go.Bar(
        x=change.tolist(), y=labels, orientation="h",
        marker={"color": ["#2e7d32" if c > 0 else "#c62828" if c < 0 else "#808080"
                          for c in change]},
        hovertext=hover, hoverinfo="text",
    ))
    title = title if title is not None else "Largest changes in dyad scores"
    height = int(140 + 26 * max(len(rows), 1))
    fig.update_layout(
        title={"text": _esc(title), "x": 0.01}, template="plotly_white", height=height,
        xaxis={"title": {"text": "change in score (after \u2212 before)"},
               "zeroline": True, "zerolinecolor": "#999"},
        yaxis={"type": "category", "automargin": True},
        margin={"l": 20, "r": 20, "t": 60, "b": 50}, showlegend=False,
    )
    return ChartView(html=render_chart(fig, title), title=str(title), figure=fig,
                     height=height)


# ------------------------------------------------------------------------------- page


def render_chart(fig, title: str) -> str:
    """A self-contained page for a plotly figure (plotly.js inlined, strict CSP)."""
    import plotly.io as pio

    import graphkit

    figure = pio.to_json(fig, validate=False, pretty=False, engine="json")
    figure = page.escape_script_json(figure)
    meta = {"title": str(title), "config": {
        "displaylogo": False, "responsive": True, "showLink": False,
        "showSendToCloud": False, "showEditInChartStudio": False,
        "modeBarButtonsToRemove": ["sendDataToCloud"],
        "toImageButtonOptions": {"format": "png", "filename": "graphkit-chart", "scale": 2},
    }}
    plotly_js = page.plotly_js()
    app_js = page.read_template("chart.js")
    return page.fill(
        page.read_template("chart.html"),
        csp=page.content_security_policy([plotly_js, app_js]),
        version=graphkit.__version__,
        figure=figure,
        meta=page.script_json(meta),
        plotly_js=plotly_js,
        app_js=app_js,
    )


def _esc(text: object) -> str:
    """Text for plotly labels: HTML-escaped, so tags in data show as typed."""
    return html.escape(str(text), quote=False)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
