"""Relationship shifts: which relationships changed, how much and when.

* :func:`compare` ranks dyads by the change of their score between two periods;
* :func:`change_points` finds break dates in each dyad's score series, and
  :func:`rank_breaks` ranks dyads by their largest break in a range;
* :func:`alignment` measures each actor's alignment toward reference actors period by
  period, and :func:`camp_changes` lists actors that change camp in the balance partition;
* :func:`narrate` writes one plain-language line per top shift, built from the numbers.

A dyad's score in a window is its *mean net cooperation per period*: in each calendar
period (``freq``) a relation counts with its signed weight (``sign * |weight|``, Goldstein
scale) if it overlaps the period, exactly as in :func:`graphkit.metrics.dyad_scores`, so
durable ties (an alliance) weigh in every period they are in force and events in the period
they happen; the per-period sums are then averaged over the window. Windows of different
lengths are thus comparable.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np
import pandas as pd

from graphkit.dates import to_timestamp
from graphkit.temporal import TemporalGraph, period_bounds

__all__ = [
    "alignment",
    "camp_changes",
    "change_points",
    "compare",
    "narrate",
    "rank_breaks",
    "suggest_periods",
]

SHIFT_COLUMNS = [
    "source", "target", "before", "after", "change", "sign_before", "sign_after",
    "sign_flip", "gained", "lost", "drivers", "events_before", "events_after",
]


def _dyads(relations: pd.DataFrame, directed: bool) -> pd.DataFrame:
    """Relations keyed by dyad: ordered pairs, or sorted pairs when undirected."""
    rel = relations
    if directed:
        mirrored = rel[~rel["directed"]].rename(columns={"source": "target",
                                                         "target": "source"})
        return pd.concat([rel, mirrored])
    src = rel["source"].to_numpy(dtype=object)
    dst = rel["target"].to_numpy(dtype=object)
    return rel.assign(source=np.minimum(src, dst), target=np.maximum(src, dst))


def _window_scores(
    tg: TemporalGraph, start: object, end: object, freq: str, directed: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per dyad: mean per-period net score in [start, end), and per dyad x type sums."""
    a, b = to_timestamp(start), to_timestamp(end)
    if b <= a:
        raise ValueError(f"period {start}:{end} ends before it starts")
    bounds = period_bounds(a, b - pd.Timedelta(seconds=1), freq)
    starts = bounds["start"].clip(lower=a).to_numpy()
    ends = bounds["end"].clip(upper=b).to_numpy()
    rel = _dyads(tg.window(a, b).relations, directed)
    # number of the window's periods each relation overlaps (vectorised, no loop)
    first = np.searchsorted(ends, rel["t_start"].to_numpy(starts.dtype), side="right")
    last = np.searchsorted(starts, rel["t_end"].to_numpy(starts.dtype), side="left")
    rel = rel.assign(contribution=rel["signed_weight"] * (last - first) / len(bounds))
    by_type = rel.groupby(["source", "target", "type"])["contribution"].sum()
    scores = rel.groupby(["source", "target"]).agg(
        score=("contribution", "sum"), events=("type", "size"),
        types=("type", lambda s: frozenset(s)),
    )
    return scores, by_type


def compare(
    tg: TemporalGraph,
    before: tuple[object, object],
    after: tuple[object, object],
    directed: bool = False,
    freq: str = "M",
) -> pd.DataFrame:
    """Rank dyads by how much their relationship changed between two periods.

    Parameters
    ----------
    tg : TemporalGraph
    before, after : (start, end)
        Half-open date ranges ``[start, end)``, e.g. ``("2020-11-10", "2023-07-01")``.
    directed : bool
        ``False`` (default) scores each unordered pair on both directions together;
        ``True`` scores ordered pairs (an undirected relation counts both ways).
    freq : {"D", "W", "M", "Q", "Y"}
        Period in which scores are measured before averaging (see module docstring).

    Returns
    -------
    pandas.DataFrame
        One row per dyad present in either period, ranked by ``|change|`` (largest first):
        ``source``, ``target``, ``before``, ``after`` (mean net cooperation per period),
        ``change``, ``sign_before``, ``sign_after``, ``sign_flip`` (the sign went from
        positive to negative or back), ``gained`` and ``lost`` (relation types present in
        one period only, ``;``-separated), ``drivers`` (the relation types whose
        contribution changed most in the direction of the change), ``events_before``,
        ``events_after`` (relations counted), and ``rank``.

    Examples
    --------
    >>> tg = graphkit.load("data/nagorno_karabakh")  # doctest: +SKIP
    >>> compare(tg, ("2020-11-10", "2023-07-01"), ("2023-09-01", "2023-10-01")).head()
    ...  # doctest: +SKIP
    """
    pre, pre_types = _window_scores(tg, *before, freq, directed)
    post, post_types = _window_scores(tg, *after, freq, directed)
    table = pre.merge(post, how="outer", left_index=True, right_index=True,
                      suffixes=("_before", "_after"))
    table = table.rename(columns={"score_before": "before", "score_after": "after"})
    table[["before", "after"]] = table[["before", "after"]].fillna(0.0)
    for column in ("events_before", "events_after"):
        table[column] = table[column].fillna(0).astype(int)
    empty = frozenset()
    types_before = table["types_before"].map(lambda t: t if isinstance(t, frozenset) else empty)
    types_after = table["types_after"].map(lambda t: t if isinstance(t, frozenset) else empty)
    table["gained"] = [";".join(sorted(a - b)) for a, b in zip(types_after, types_before,
                                                                strict=True)]
    table["lost"] = [";".join(sorted(b - a)) for a, b in zip(types_after, types_before,
                                                              strict=True)]
    table["change"] = table["after"] - table["before"]
    table["sign_before"] = np.sign(table["before"].round(9)).astype("int8")
    table["sign_after"] = np.sign(table["after"].round(9)).astype("int8")
    table["sign_flip"] = table["sign_before"] * table["sign_after"] < 0
    table["drivers"] = _drivers(pre_types, post_types, table["change"])
    table = table.reset_index()[SHIFT_COLUMNS]
    order = np.lexsort((table["target"], table["source"], -table["change"].abs()))
    table = table.iloc[order].reset_index(drop=True)
    table["rank"] = np.arange(1, len(table) + 1)
    table.attrs.update(freq=freq, before=tuple(before), after=tuple(after))
    return table


def _drivers(pre: pd.Series, post: pd.Series, change: pd.Series, top: int = 3) -> pd.Series:
    delta = post.sub(pre, fill_value=0.0).rename("delta").reset_index()
    delta = delta.join(change.rename("change"), on=["source", "target"])
    delta = delta[(np.sign(delta["delta"]) == np.sign(delta["change"]))
                  & (delta["delta"].abs() > 1e-9)]
    delta = delta.assign(size=delta["delta"].abs()).sort_values(
        ["source", "target", "size", "type"], ascending=[True, True, False, True])
    names = delta.groupby(["source", "target"])["type"].agg(lambda s: ";".join(s[:top]))
    return names.reindex(change.index).fillna("")


def _name(tg: TemporalGraph, entity: str) -> str:
    names = tg.entities.set_index("id")["name"]
    return str(names.get(entity, entity))


def _tone(score: float) -> str:
    if score > 0.05:
        return "cooperative"
    if score < -0.05:
        return "hostile"
    return "neutral"


_PER = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}


def narrate(
    tg: TemporalGraph,
    shifts: pd.DataFrame,
    before: tuple[object, object] | None = None,
    after: tuple[object, object] | None = None,
    breaks: pd.DataFrame | None = None,
    top: int = 5,
) -> list[str]:
    """One plain-language line per top shift, built only from the numbers.

    Parameters
    ----------
    tg : TemporalGraph
        For entity names.
    shifts : pandas.DataFrame
        The table from :func:`compare`.
    before, after : (start, end), optional
        The periods compared, named in the text.
    breaks : pandas.DataFrame, optional
        The table from :func:`rank_breaks` (or :func:`change_points`): the largest break
        of each dyad is named in its line.
    top : int
        Number of lines.

    Returns
    -------
    list of str
    """
    before = before or shifts.attrs.get("before")
    after = after or shifts.attrs.get("after")
    unit = _PER.get(shifts.attrs.get("freq"), "period")
    when_before = f" between {before[0]} and {before[1]}" if before else " before"
    when_after = f" between {after[0]} and {after[1]}" if after else " after"
    lines = []
    for row in shifts.head(top).itertuples(index=False):
        text = (
            f"{_name(tg, row.source)}–{_name(tg, row.target)}: from {_tone(row.before)} "
            f"({row.before:+.1f} a {unit}){when_before} to {_tone(row.after)} "
            f"({row.after:+.1f} a {unit}){when_after}, a change of {row.change:+.1f}"
        )
        if row.sign_flip:
            text += " (the relationship changed sign)"
        if breaks is not None and len(breaks):
            mine = breaks[(breaks["source"] == row.source) & (breaks["target"] == row.target)]
            if len(mine):
                b = mine.iloc[mine["change"].abs().argmax()]
                text += (f"; the break came in {b['period']} (level {b['level_before']:+.1f} "
                         f"to {b['level_after']:+.1f})")
        if row.drivers:
            text += f"; driven by {row.drivers.replace(';', ', ')}"
        extras = []
        if row.gained:
            extras.append(f"new: {row.gained.replace(';', ', ')}")
        if row.lost:
            extras.append(f"gone: {row.lost.replace(';', ', ')}")
        if extras:
            text += f" ({'; '.join(extras)})"
        lines.append(text + ".")
    return lines


# ------------------------------------------------------------------- change points

BREAK_COLUMNS = ["source", "target", "period", "date", "level_before", "level_after", "change"]


def _penalty(signal: np.ndarray) -> float:
    """Penalty ``4 log(n) sigma^2`` (twice BIC's), sigma from first differences.

    On 40-period series of Gaussian noise it finds a spurious break in about 2% of
    series, and it finds breaks of three standard deviations within one period.

    sigma is the median absolute deviation of the first differences over sqrt(2)
    (robust to the breaks themselves); when that is zero (a piecewise-constant series),
    the standard deviation of the differences over sqrt(2) is used instead.
    """
    diffs = np.diff(signal)
    if len(diffs) == 0:
        return np.inf
    mad = np.median(np.abs(diffs - np.median(diffs))) * 1.4826
    sigma = mad / np.sqrt(2) if mad > 0 else np.std(diffs) / np.sqrt(2)
    return 4.0 * np.log(len(signal)) * max(sigma, 1e-9) ** 2


def _breaks(signal: np.ndarray, method: str, penalty: float | None, n_breaks: int | None,
            min_size: int) -> list[int]:
    if len(signal) < 2 * min_size or np.ptp(signal) == 0:
        return []
    import ruptures  # imported on first use: it takes half a second to load

    if method == "pelt":
        # ruptures' compiled PELT; a linear kernel is the least-squares change-in-mean cost
        algo = ruptures.KernelCPD(kernel="linear", min_size=min_size, jump=1)
        ends = algo.fit(signal.reshape(-1, 1)).predict(
            pen=_penalty(signal) if penalty is None else penalty)
        ends = [int(e) for e in ends]
    elif method == "binseg":
        algo = ruptures.Binseg(model="l2", min_size=min_size, jump=1).fit(signal)
        if n_breaks is not None:
            n = min(n_breaks, len(signal) // min_size - 1)
            ends = algo.predict(n_bkps=n) if n > 0 else [len(signal)]
        else:
            ends = algo.predict(pen=_penalty(signal) if penalty is None else penalty)
    else:
        raise ValueError(f"method must be 'pelt' or 'binseg', not {method!r}")
    return ends[:-1]


def change_points(
    scores: pd.DataFrame,
    value: str = "net",
    method: str = "pelt",
    penalty: float | None = None,
    n_breaks: int | None = None,
    min_size: int = 2,
) -> pd.DataFrame:
    """Break dates in each dyad's score series.

    Parameters
    ----------
    scores : pandas.DataFrame
        A tidy dyad x period table with columns ``period``, ``source``, ``target`` and
        ``value`` (as from :func:`graphkit.metrics.dyad_scores`). Periods missing for a
        dyad count as 0 (no relation).
    value : str
        The score column to segment (``net``, ``mean``, ``decayed`` ...).
    method : {"pelt", "binseg"}
        PELT (Killick, Fearnhead and Eckley 2012), exact for a penalised cost, or binary
        segmentation (Scott and Knott 1974), both with a least-squares (change in mean)
        cost and ``jump=1`` through ruptures (Truong, Oudre and Vayatis 2020).
    penalty : float, optional
        Penalty per break; by default ``4 log(n) sigma^2`` with sigma estimated from the
        series' first differences (twice the BIC penalty, to keep spurious breaks rare).
    n_breaks : int, optional
        With ``binseg``, the number of breaks to find instead of a penalty.
    min_size : int
        Shortest segment, in periods.

    Returns
    -------
    pandas.DataFrame
        One row per break: ``source``, ``target``, ``period`` (first period of the new
        level), ``date`` (its first day), ``level_before`` and ``level_after`` (means of the
        segments either side) and ``change``.

    References
    ----------
    Killick, R., Fearnhead, P. and Eckley, I. A. (2012). Optimal detection of changepoints
    with a linear computational cost. *JASA* 107(500), 1590-1598.

    Truong, C., Oudre, L. and Vayatis, N. (2020). Selective review of offline change
    point detection methods. *Signal Processing* 167, 107299.

    Examples
    --------
    >>> scores = graphkit.metrics.dyad_scores(tg, "M", directed=False)  # doctest: +SKIP
    >>> change_points(scores).sort_values("change").head()  # doctest: +SKIP
    """
    if scores.empty:
        return pd.DataFrame(columns=BREAK_COLUMNS)
    periods = pd.period_range(scores["period"].min(), scores["period"].max())
    wide = scores.pivot_table(index=["source", "target"], columns="period", values=value,
                              aggfunc="sum", fill_value=0.0).reindex(columns=periods,
                                                                     fill_value=0.0)
    rows = []
    for (source, target), series in zip(wide.index, wide.to_numpy(dtype=float), strict=True):
        cuts = _breaks(series, method, penalty, n_breaks, min_size)
        edges = [0, *cuts, len(series)]
        levels = [series[a:b].mean() for a, b in pairwise(edges)]
        for i, cut in enumerate(cuts):
            rows.append((source, target, periods[cut], periods[cut].start_time,
                         levels[i], levels[i + 1], levels[i + 1] - levels[i]))
    return pd.DataFrame(rows, columns=BREAK_COLUMNS)


def rank_breaks(
    tg: TemporalGraph,
    freq: str = "M",
    start: object | None = None,
    end: object | None = None,
    directed: bool = False,
    half_life: str | None = None,
    value: str = "net",
    **options,
) -> pd.DataFrame:
    """Rank dyads by their largest break within ``[start, end)``.

    Scores come from :func:`graphkit.metrics.dyad_scores` (``freq``, ``directed``,
    ``half_life``); breaks from :func:`change_points` (``options`` are passed on).

    Returns
    -------
    pandas.DataFrame
        One row per dyad with a break in the range (its largest), ranked by ``|change|``,
        with the columns of :func:`change_points` and ``rank``.
    """
    from graphkit.metrics import dyad_scores

    scores = dyad_scores(tg, freq, half_life=half_life, directed=directed)
    breaks = change_points(scores, value=value, **options)
    if start is not None:
        breaks = breaks[breaks["date"] >= to_timestamp(start)]
    if end is not None:
        breaks = breaks[breaks["date"] < to_timestamp(end)]
    if breaks.empty:
        return breaks.assign(rank=pd.Series(dtype=int))
    largest = breaks.loc[breaks.assign(size=breaks["change"].abs())
                         .groupby(["source", "target"])["size"].idxmax()]
    order = np.lexsort((largest["target"], largest["source"], -largest["change"].abs()))
    out = largest.iloc[order].reset_index(drop=True)
    out["rank"] = np.arange(1, len(out) + 1)
    return out


# ---------------------------------------------------------------------- realignment


def alignment(
    tg: TemporalGraph,
    references: Sequence[str],
    freq: str = "M",
    window: int | None = None,
    half_life: str | None = None,
) -> pd.DataFrame:
    """Each actor's alignment toward reference actors, period by period.

    An actor's *signed relation profile* in a period is its row of the undirected
    net-cooperation matrix (:func:`graphkit.metrics.dyad_scores`, ``directed=False``;
    the decayed score when ``half_life`` is given). Its alignment with a reference actor
    is the cosine similarity of the two profiles over third parties (neither of the
    two), in the spirit of the S-score of foreign-policy similarity (Signorino and Ritter
    1999): +1 when both cooperate with and oppose the same actors, -1 when opposite.
    The direct tie between actor and reference is reported beside it.

    Parameters
    ----------
    tg : TemporalGraph
    references : sequence of str
        Entity ids or aliases, e.g. ``["RUS", "USA"]``.
    freq, window, half_life
        As in :func:`graphkit.metrics.dyad_scores`.

    Returns
    -------
    pandas.DataFrame
        One row per period x actor x reference (actors with a tie in the period):
        ``period``, ``entity``, ``reference``, ``similarity`` (NaN when a profile is
        empty), ``tie`` (net score between the two) and ``lean`` (``similarity`` to this
        reference minus the mean similarity to the others; with two references, the
        difference between them).

    References
    ----------
    Signorino, C. S. and Ritter, J. M. (1999). Tau-b or not tau-b: measuring the
    similarity of foreign policy positions. *International Studies Quarterly* 43(1),
    115-144.
    """
    from graphkit.metrics import dyad_scores

    refs = tg.resolve(references)
    scores = dyad_scores(tg, freq, half_life=half_life, directed=False, window=window)
    value = "decayed" if half_life is not None and "decayed" in scores else "net"
    ids = pd.Index(sorted(tg.entities["id"]))
    ref_pos = ids.get_indexer(refs)
    frames = []
    for period, group in scores.groupby("period", sort=True):
        matrix = np.zeros((len(ids), len(ids)))
        i = ids.get_indexer(group["source"])
        j = ids.get_indexer(group["target"])
        np.add.at(matrix, (i, j), group[value].to_numpy(dtype=float))
        np.add.at(matrix, (j, i), group[value].to_numpy(dtype=float))
        active = np.flatnonzero(np.abs(matrix).sum(axis=1) > 0)
        squares = (matrix ** 2).sum(axis=1)
        for ref, r in zip(refs, ref_pos, strict=True):
            v = matrix[r]
            dot = matrix @ v
            norm_actor = np.sqrt(np.clip(squares - matrix[:, r] ** 2, 0, None))
            norm_ref = np.sqrt(np.clip(squares[r] - v ** 2, 0, None))
            with np.errstate(invalid="ignore", divide="ignore"):
                similarity = np.where((norm_actor > 0) & (norm_ref > 0),
                                      dot / (norm_actor * norm_ref), np.nan)
            rows = active[active != r]
            frames.append(pd.DataFrame({
                "period": period, "entity": ids[rows], "reference": ref,
                "similarity": similarity[rows], "tie": matrix[rows, r],
            }))
    if not frames:
        return pd.DataFrame(columns=["period", "entity", "reference", "similarity", "tie",
                                     "lean"])
    out = pd.concat(frames, ignore_index=True)
    mean_all = out.groupby(["period", "entity"])["similarity"].transform("sum")
    count = out.groupby(["period", "entity"])["similarity"].transform("count")
    others = (mean_all - out["similarity"].fillna(0)) / (count - out["similarity"].notna())
    out["lean"] = out["similarity"] - others.where(count > 1)
    return out.sort_values(["period", "entity", "reference"]).reset_index(drop=True)


def camp_changes(
    tg: TemporalGraph,
    anchor: str,
    freq: str = "Y",
    window: int | None = None,
    types: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Actors whose camp in the balance partition changes between periods.

    Each period's two-camp partition comes from the frustration index
    (:func:`graphkit.balance.over_time` with ``partitions=True``). Camp labels are
    arbitrary, so each actor's camp is read relative to ``anchor``: ``with`` when on the
    anchor's side, ``against`` otherwise. Only firm placements count (``firm`` in the
    camps table: the actor's and the anchor's side are forced by their ties), so a
    change is never an artefact of choosing between equally good partitions; a period
    where either is not firm is skipped, and the change is reported against the last
    period where both were.

    Returns
    -------
    pandas.DataFrame
        One row per change: ``entity``, ``period_before``, ``period_after``, ``side_before``,
        ``side_after`` (``with`` / ``against`` the anchor).
    """
    from graphkit.balance import over_time

    (anchor_id,) = tg.resolve([anchor])
    _, camps = over_time(tg, freq, window=window, types=types, partitions=True)
    # Optimal partitions are often not unique: read only placements the ties force
    # (moving the actor, or the anchor, alone would frustrate more ties).
    camps = camps[camps["firm"]]
    anchor_camp = camps[camps["entity"] == anchor_id].set_index("period")["camp"]
    camps = camps[camps["period"].isin(anchor_camp.index) & (camps["entity"] != anchor_id)]
    side = np.where(camps["camp"].to_numpy() == anchor_camp.reindex(camps["period"]).to_numpy(),
                    "with", "against")
    camps = camps.assign(side=side).sort_values(["entity", "period"])
    previous = camps.groupby("entity")[["period", "side"]].shift()
    changed = previous["side"].notna() & (previous["side"] != camps["side"])
    return pd.DataFrame({
        "entity": camps["entity"][changed].to_numpy(),
        "period_before": previous["period"][changed].to_numpy(),
        "period_after": camps["period"][changed].to_numpy(),
        "side_before": previous["side"][changed].to_numpy(),
        "side_after": camps["side"][changed].to_numpy(),
    })


def suggest_periods(
    tg: TemporalGraph, freq: str = "M", span: int = 36, gap: int = 1
) -> tuple[tuple[str, str], tuple[str, str]]:
    """Sensible ``before`` and ``after`` ranges when the user gives none.

    ``after`` is the latest period (``freq``) holding at least a quarter of the busiest
    period's events (the recent burst the data was gathered for); ``before`` is the
    ``span`` periods that end ``gap`` periods before it.

    Returns
    -------
    (before, after)
        Two ``(start, end)`` pairs of ISO dates, half-open.
    """
    bounds = tg.period_table(freq)
    starts = bounds["start"].to_numpy()
    t_start = tg.relations["t_start"].to_numpy(starts.dtype)
    counts = np.bincount(np.searchsorted(starts, t_start, side="right") - 1,
                         minlength=len(bounds))
    busy = np.flatnonzero(counts >= max(counts.max() / 4, 1))
    k = int(busy[-1])
    after = (bounds["start"].iloc[k], bounds["end"].iloc[k])
    period = bounds["period"].iloc[k]
    before_end = (period - gap).start_time
    before_start = max((period - gap - span).start_time, bounds["start"].iloc[0])
    iso = "%Y-%m-%d"
    return ((before_start.strftime(iso), before_end.strftime(iso)),
            (after[0].strftime(iso), after[1].strftime(iso)))
