"""Relationship shifts: which relationships changed, how much, when, and how surely.

* :func:`compare` ranks dyads by the change of their score between two date ranges, with a
  bootstrap interval, a robustness flag and the relations a fragile shift rests on;
* :func:`change_points` finds break dates in each dyad's score series, and
  :func:`rank_breaks` ranks dyads by their largest break in a range;
* :func:`alignment` measures each actor's alignment toward reference actors period by
  period, and :func:`camp_changes` lists actors that change camp in the balance partition;
* :func:`narrate` writes one plain-language line per top shift, built from the numbers;
* :func:`suggest_periods` picks two ranges to compare when the user gives none.

Scores follow the one rule of :mod:`graphkit.model.measure`: a dyad's score over a range is the
*level* of its standing ties (time-weighted mean signed weight in force) plus the *flow* of
its events (signed weight per 30 days, each event spread over its extent). :func:`compare`
measures each range exactly as given, so its numbers do not depend on any period length.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from itertools import pairwise

import numpy as np
import pandas as pd

from graphkit.analysis import coverage
from graphkit.core.dates import to_timestamp
from graphkit.model import measure
from graphkit.model.temporal import TemporalGraph, dyad_keys

__all__ = [
    "GraphkitWarning",
    "alignment",
    "camp_changes",
    "change_points",
    "compare",
    "narrate",
    "rank_breaks",
    "suggest_periods",
]

SHIFT_COLUMNS = [
    "source", "target", "before", "after", "change", "ci_low", "ci_high", "robust",
    "rests_on", "level_before", "level_after", "flow_before", "flow_after", "sign_before",
    "sign_after", "sign_flip", "gained", "lost", "drivers", "events_before", "events_after",
]
#: Changes smaller than this are no change (and signs of smaller scores are 0).
TOLERANCE = 1e-9
#: Relations below this confidence are dropped in the robustness check of :func:`compare`.
LOW_CONFIDENCE = 0.5


class GraphkitWarning(UserWarning):
    """A result that is valid but probably not what the user meant (an empty range)."""


def _range(value: tuple[object, object], name: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    try:
        start, end = value
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a (start, end) pair, not {value!r}") from None
    a, b = to_timestamp(start), to_timestamp(end)
    if b <= a:
        raise ValueError(f"period {start}:{end} ends before it starts")
    return a, b


def _sign(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    return np.where(np.abs(values) <= TOLERANCE, 0, np.sign(values)).astype(np.int8)


def _contributions(tg: TemporalGraph, ranges: dict, directed: bool, combine: str,
                   weight_by: str | None, normalize: str | None = None) -> pd.DataFrame:
    """One row per relation (mirrored when directed) in either range, keyed by dyad."""
    rel = tg.relations
    keep = np.zeros(len(rel), dtype=bool)
    parts = {}
    first, last = tg.span if len(rel) else (None, None)
    for name, (a, b) in ranges.items():
        parts[name] = measure.range_contributions(rel, a, b, weight_by)
        if normalize == "coverage":
            parts[name]["flow"] *= coverage.range_factors(rel, parts[name]["share"], a, b)
        keep |= parts[name]["inside"].to_numpy()
        if not parts[name]["inside"].any():
            warnings.warn(f"the {name} range {a.date()}:{b.date()} holds no relation: its "
                          "scores are all zero", GraphkitWarning, stacklevel=3)
        elif b <= first or a > last:
            warnings.warn(f"the {name} range {a.date()}:{b.date()} lies outside the data "
                          f"({first.date()} to {last.date()}): only ongoing standing ties "
                          "reach it", GraphkitWarning, stacklevel=3)
    table = rel.loc[keep, ["id", "source", "target", "type", "directed", "durable",
                           "confidence"]]
    for name, part in parts.items():
        part = part[keep]
        table[f"level_{name}"] = part["level"].to_numpy()
        table[f"flow_{name}"] = part["flow"].to_numpy()
        table[f"in_{name}"] = part["inside"].to_numpy()
        table[f"c_{name}"] = measure.combine(part["level"].to_numpy(),
                                             part["flow"].to_numpy(), combine)
    table = dyad_keys(table, directed).reset_index(drop=True)
    table["dyad"] = table.groupby(["source", "target"], sort=True).ngroup()
    return table.sort_values("dyad", kind="stable", ignore_index=True)


def compare(
    tg: TemporalGraph,
    before: tuple[object, object],
    after: tuple[object, object],
    *,
    directed: bool = False,
    freq: str = "M",
    combine: str = "level+flow",
    weight_by: str | None = None,
    n_boot: int = 1000,
    level: float = 0.9,
    seed: int = 0,
    normalize: str | None = None,
) -> pd.DataFrame:
    """Rank dyads by how much their relationship changed between two date ranges.

    Each range is measured exactly as given (:mod:`graphkit.model.measure`): a dyad's score is
    the level of its standing ties (time-weighted over the range) plus the flow of its
    events (signed weight per 30 days, each event spread over its extent), so the result
    is the same whatever ``freq``.

    How far to trust each shift:

    * ``ci_low``, ``ci_high``: a ``level`` (default 90 %) percentile interval for
      ``change`` from a Poisson bootstrap of the dyad's events in both ranges (Hanley and
      MacGibbon 2006; Chamandy et al. 2012): each event is drawn ``Poisson(1)`` times,
      standing ties are held fixed. Unlike a resample of fixed size, it lets the number
      of events vary, so a change carried by one or two events gets a wide interval.
      Seeded (``seed``) and deterministic.
    * ``robust``: the direction of the change, and the sign flip where there is one,
      survive removing any single relation and survive dropping every relation with
      confidence below 0.5. ``rests_on``: the ids (``;``-separated) of the relations whose
      removal alone would undo it; when none does alone but dropping the low-confidence
      relations does, those relations' ids. Empty when robust.

    Parameters
    ----------
    tg : TemporalGraph
    before, after : (start, end)
        Half-open date ranges ``[start, end)``, e.g. ``("2020-11-10", "2023-07-01")``.
    directed : bool
        ``False`` (default) scores each unordered pair on both directions together;
        ``True`` scores ordered pairs (an undirected relation counts both ways).
    freq : {"D", "W", "M", "Q", "Y"}
        Kept in ``attrs`` for the change points that accompany a comparison; the scores
        do not depend on it.
    combine : {"level+flow", "level", "flow"}
        How a score is made of the two layers.
    weight_by : {None, "confidence"}
        ``"confidence"`` multiplies each relation's weight by its confidence.
    n_boot : int
        Bootstrap replicates (0: no interval, ``ci_low`` and ``ci_high`` are NaN).
    level : float
        Coverage of the interval.
    seed : int
        Seed of the bootstrap.
    normalize : {None, "coverage"}
        ``"coverage"``: each range's event flow divided by the coverage of the dyad's
        two actors in that range (:mod:`graphkit.analysis.coverage`), so a dyad whose actors are
        merely in the news more does not shift more; the bootstrap holds coverage fixed.

    Returns
    -------
    pandas.DataFrame
        One row per dyad present in either range, ranked by ``|change|`` (largest first):
        ``source``, ``target``, ``before``, ``after`` (scores), ``change``, ``ci_low``,
        ``ci_high``, ``robust``, ``rests_on``, ``level_before``, ``level_after``,
        ``flow_before``, ``flow_after``, ``sign_before``, ``sign_after``, ``sign_flip``
        (the sign went from positive to negative or back), ``gained`` and ``lost``
        (relation types present in one range only, ``;``-separated), ``drivers`` (the
        relation types whose contribution changed most in the direction of the change),
        ``events_before``, ``events_after`` (relations overlapping each range) and
        ``rank``. A range holding no relation at all gives a :class:`GraphkitWarning`.

    Examples
    --------
    >>> tg = graphkit.load("data/nagorno_karabakh")  # doctest: +SKIP
    >>> compare(tg, ("2020-11-10", "2023-07-01"), ("2023-09-01", "2023-10-01")).head()
    ...  # doctest: +SKIP

    References
    ----------
    Hanley, J. A. and MacGibbon, B. (2006). Creating non-parametric bootstrap samples
    using Poisson frequencies. *Computer Methods and Programs in Biomedicine* 83(1), 57-62.

    Chamandy, N., Muralidharan, O., Najmi, A. and Naidu, S. (2012). Estimating
    uncertainty for massive data streams. Google technical report.
    """
    ranges = {"before": _range(before, "before"), "after": _range(after, "after")}
    measure.check_combine(combine)
    coverage.check_normalize(normalize)
    if int(n_boot) != n_boot or n_boot < 0:
        raise ValueError(f"n_boot must be a whole number >= 0, not {n_boot!r}")
    if not 0 < level < 1:
        raise ValueError(f"level must lie between 0 and 1, not {level!r}")
    rows = _contributions(tg, ranges, directed, combine, weight_by, normalize)
    dyad = rows["dyad"].to_numpy()
    n = int(dyad.max()) + 1 if len(dyad) else 0

    def per_dyad(values: np.ndarray) -> np.ndarray:
        return np.bincount(dyad, weights=values, minlength=n)

    first = np.searchsorted(dyad, np.arange(n))
    table = pd.DataFrame({
        "source": rows["source"].to_numpy()[first],
        "target": rows["target"].to_numpy()[first],
    })
    for name in ("before", "after"):
        for layer in ("level", "flow"):
            table[f"{layer}_{name}"] = per_dyad(rows[f"{layer}_{name}"].to_numpy())
        table[name] = measure.combine(table[f"level_{name}"], table[f"flow_{name}"], combine)
        table[f"events_{name}"] = per_dyad(rows[f"in_{name}"].to_numpy(float)).astype(int)
    table["change"] = table["after"] - table["before"]
    table["sign_before"] = _sign(table["before"])
    table["sign_after"] = _sign(table["after"])
    table["sign_flip"] = table["sign_before"] * table["sign_after"] < 0
    table["ci_low"], table["ci_high"] = _bootstrap(rows, table["change"].to_numpy(), n_boot,
                                                   level, seed)
    table["robust"], table["rests_on"] = _robustness(rows, table)
    table["gained"], table["lost"] = _types_gained_lost(rows, n)
    table["drivers"] = _drivers(rows, table["change"].to_numpy())
    table = table[SHIFT_COLUMNS]
    order = np.lexsort((table["target"], table["source"], -table["change"].abs()))
    table = table.iloc[order].reset_index(drop=True)
    table["rank"] = np.arange(1, len(table) + 1)
    table.attrs.update(freq=freq, before=tuple(before), after=tuple(after), combine=combine,
                       weight_by=weight_by, n_boot=n_boot, level=level, normalize=normalize)
    return table


def _poisson_table(bits: int = 16) -> np.ndarray:
    """Inverse CDF of Poisson(1) on ``bits``-bit uniforms: ``table[u]`` is a draw."""
    from math import exp, factorial

    cdf = np.cumsum([exp(-1.0) / factorial(k) for k in range(20)])
    u = (np.arange(1 << bits) + 0.5) / (1 << bits)
    return np.searchsorted(cdf, u).astype(np.float32)


_POISSON1 = _poisson_table()


def _bootstrap(rows: pd.DataFrame, change: np.ndarray, n_boot: int, level: float,
               seed: int, cells: int = 1 << 23) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval of each dyad's change under a Poisson bootstrap of its events.

    ``change* = change + sum((c_i - 1) * x_i)`` over the dyad's events, with ``x_i`` the
    event's contribution to the change and ``c_i ~ Poisson(1)``; dyads are processed in
    chunks of about ``cells`` draws, events laid out by dyad so each replicate's sums are
    one ``numpy.add.reduceat``.
    """
    low, high = change.astype(float).copy(), change.astype(float).copy()
    if n_boot == 0:
        low[:], high[:] = np.nan, np.nan
        return low, high
    x = (rows["c_after"] - rows["c_before"]).to_numpy(float)
    events = np.flatnonzero(~rows["durable"].to_numpy(bool) & (x != 0))
    if not len(events):
        return low, high
    dyad, x = rows["dyad"].to_numpy()[events], x[events].astype(np.float32)
    rng = np.random.default_rng(seed)
    quantiles = [(1 - level) / 2, (1 + level) / 2]
    cuts = np.flatnonzero(np.diff(dyad)) + 1
    group_start = np.concatenate([[0], cuts])
    group_end = np.concatenate([cuts, [len(dyad)]])
    block = max(1, cells // n_boot)  # events per block of draws
    chunk = group_start // block  # dyads whose events start in the same block
    edges = np.concatenate([[0], np.flatnonzero(np.diff(chunk)) + 1, [len(chunk)]])
    for g0, g1 in pairwise(edges.tolist()):
        starts, ends = group_start[g0:g1], group_end[g0:g1]
        sums = np.zeros((n_boot, g1 - g0))
        for lo in range(int(starts[0]), int(ends[-1]), block):  # a big dyad: several blocks
            hi = min(lo + block, int(ends[-1]))
            draws = _POISSON1[rng.integers(0, 1 << 16, size=(n_boot, hi - lo),
                                           dtype=np.uint16)]
            draws -= 1.0
            draws *= x[lo:hi]
            k0 = np.searchsorted(ends, lo, side="right")
            k1 = np.searchsorted(starts, hi, side="left")
            offsets = np.maximum(starts[k0:k1], lo) - lo
            sums[:, k0:k1] += np.add.reduceat(draws, offsets, axis=1)
        which = dyad[starts]
        low[which], high[which] = np.quantile(change[which] + sums, quantiles, axis=0)
    return low, high


def _robustness(rows: pd.DataFrame, table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """``robust`` and ``rests_on`` of every dyad (see :func:`compare`)."""
    dyad = rows["dyad"].to_numpy()
    b, a = rows["c_before"].to_numpy(float), rows["c_after"].to_numpy(float)
    before, after = table["before"].to_numpy(), table["after"].to_numpy()
    change = table["change"].to_numpy()
    flip = table["sign_flip"].to_numpy()
    direction = _sign(change)
    sign_before, sign_after = table["sign_before"].to_numpy(), table["sign_after"].to_numpy()

    def undone(d: np.ndarray, minus_b: np.ndarray, minus_a: np.ndarray) -> np.ndarray:
        """Whether removing (minus_b, minus_a) from dyads d undoes their shift."""
        new_before, new_after = before[d] - minus_b, after[d] - minus_a
        out = _sign(new_after - new_before) != direction[d]
        out |= flip[d] & ((_sign(new_before) != sign_before[d])
                          | (_sign(new_after) != sign_after[d]))
        return out

    single = undone(dyad, b, a)
    low = rows["confidence"].to_numpy(float) < LOW_CONFIDENCE
    n = len(table)
    low_b = np.bincount(dyad[low], weights=b[low], minlength=n)
    low_a = np.bincount(dyad[low], weights=a[low], minlength=n)
    has_low = np.bincount(dyad[low], minlength=n) > 0
    everyone = np.arange(n)
    by_confidence = has_low & undone(everyone, low_b, low_a)
    robust = ~(np.bincount(dyad[single], minlength=n) > 0) & ~by_confidence
    ids = rows["id"].astype(str).to_numpy()
    rests_on = _joined(dyad[low & by_confidence[dyad]], ids[low & by_confidence[dyad]], n)
    alone = _joined(dyad[single], ids[single], n)  # single removals take precedence
    rests_on = np.where(alone != "", alone, rests_on)
    return robust, rests_on


def _joined(dyad: np.ndarray, text: np.ndarray, n: int) -> np.ndarray:
    """``;``-joined texts per dyad (in the given order, repeats dropped); ``""`` for none."""
    out = np.full(n, "", dtype=object)
    if len(dyad):
        frame = pd.DataFrame({"dyad": dyad, "text": text}).drop_duplicates()
        joined = frame.groupby("dyad", sort=False)["text"].agg(";".join)
        out[joined.index.to_numpy()] = joined.to_numpy()
    return out


def _types_gained_lost(rows: pd.DataFrame, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Relation types present in one range only, per dyad (sorted, ``;``-separated)."""
    present = {name: rows.loc[rows[f"in_{name}"].to_numpy(), ["dyad", "type"]]
               .drop_duplicates() for name in ("before", "after")}
    both = present["after"].merge(present["before"], how="outer", indicator=True)
    both = both.sort_values(["dyad", "type"], kind="stable")
    out = []
    for side in ("left_only", "right_only"):  # gained (after only), lost (before only)
        only = both[both["_merge"] == side]
        out.append(_joined(only["dyad"].to_numpy(), only["type"].astype(str).to_numpy(), n))
    return out[0], out[1]


def _drivers(rows: pd.DataFrame, change: np.ndarray, top: int = 3) -> np.ndarray:
    delta = (rows.assign(delta=rows["c_after"] - rows["c_before"])
             .groupby(["dyad", "type"], sort=True)["delta"].sum().reset_index())
    direction = np.sign(change[delta["dyad"].to_numpy()])
    delta = delta[(np.sign(delta["delta"]) == direction) & (delta["delta"].abs() > TOLERANCE)]
    delta = delta.assign(size=delta["delta"].abs()).sort_values(
        ["dyad", "size", "type"], ascending=[True, False, True], kind="stable")
    delta = delta.groupby("dyad", sort=False).head(top)
    return _joined(delta["dyad"].to_numpy(), delta["type"].astype(str).to_numpy(),
                   len(change))


def entity_name(tg: TemporalGraph, entity: str) -> str:
    names = tg.entities.set_index("id")["name"]
    return str(names.get(entity, entity))


def tone(score: float) -> str:
    if score > 0.05:
        return "cooperative"
    if score < -0.05:
        return "hostile"
    return "neutral"




def _score_text(total: float, level: float, flow: float) -> str:
    return f"{total:+.1f}: level {level:+.1f}, flow {flow:+.1f} per 30 days"


def ids_text(ids: str, limit: int = 6) -> str:
    items = [i for i in str(ids).split(";") if i]
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more


def narrate(
    tg: TemporalGraph,
    shifts: pd.DataFrame,
    before: tuple[object, object] | None = None,
    after: tuple[object, object] | None = None,
    breaks: pd.DataFrame | None = None,
    top: int = 5,
) -> list[str]:
    """One plain-language line per top shift, built only from the numbers.

    Each line gives both scores with their level and flow, the change with its bootstrap
    interval, and says plainly when the shift (or its sign change) is fragile, naming the
    relation ids it rests on (:func:`compare`'s ``robust`` and ``rests_on``). A break is
    cited only when it falls inside the compared span (from the start of ``before`` to
    the end of ``after``).

    Parameters
    ----------
    tg : TemporalGraph
        For entity names.
    shifts : pandas.DataFrame
        The table from :func:`compare`.
    before, after : (start, end), optional
        The ranges compared, named in the text (default: the table's ``attrs``).
    breaks : pandas.DataFrame, optional
        The table from :func:`rank_breaks` (or :func:`change_points`): the dyad's largest
        break inside the compared span is named in its line.
    top : int
        Number of lines.

    Returns
    -------
    list of str
    """
    before = before or shifts.attrs.get("before")
    after = after or shifts.attrs.get("after")
    level = shifts.attrs.get("level", 0.9)
    when_before = f" between {before[0]} and {before[1]}" if before else " before"
    when_after = f" between {after[0]} and {after[1]}" if after else " after"
    if breaks is not None and len(breaks) and before and after:
        first = min(to_timestamp(before[0]), to_timestamp(after[0]))
        last = max(to_timestamp(before[1]), to_timestamp(after[1]))
        breaks = breaks[(breaks["date"] >= first) & (breaks["date"] < last)]
    lines = []
    for row in shifts.head(top).itertuples(index=False):
        text = (
            f"{entity_name(tg, row.source)}–{entity_name(tg, row.target)}: from {tone(row.before)} "
            f"({_score_text(row.before, row.level_before, row.flow_before)}){when_before} "
            f"to {tone(row.after)} "
            f"({_score_text(row.after, row.level_after, row.flow_after)}){when_after}, "
            f"a change of {row.change:+.1f}"
        )
        if row.ci_low == row.ci_low:  # not NaN
            text += f" ({level:.0%} interval {row.ci_low:+.1f} to {row.ci_high:+.1f})"
        if row.sign_flip:
            text += " (the relationship changed sign)"
        if not row.robust:
            what = "sign change" if row.sign_flip else "shift"
            text += (f"; this {what} is fragile: it rests on relation"
                     f"{'s' if ';' in str(row.rests_on) else ''} {ids_text(row.rests_on)}")
        if breaks is not None and len(breaks):
            mine = breaks[(breaks["source"] == row.source) & (breaks["target"] == row.target)]
            if len(mine):
                b = mine.iloc[mine["change"].abs().argmax()]
                text += (f"; the break came in {b['period']} (mean {b['mean_before']:+.1f} "
                         f"to {b['mean_after']:+.1f})")
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

BREAK_COLUMNS = ["source", "target", "period", "date", "mean_before", "mean_after", "change"]


def _scales(series: np.ndarray) -> np.ndarray:
    """Robust noise scale of each row of a (dyads x periods) array, blind to its steps.

    Dense series: the median absolute deviation of the first differences, times 1.4826,
    over sqrt(2) (a step moves one difference only). Sparse series, where over half the
    differences are zero and that MAD is 0: 1.4826 times the median size of the nonzero
    residuals from a 3-period running median, which keeps steps (tie changes) and
    exposes isolated spikes (single events) as the noise they are; the ends are mirrored,
    so a change in the last period alone counts as a spike (it cannot be told from one).
    0 for a clean step series, whose every step is then a break. One pass over all rows:
    no Python loop over dyads.
    """
    series = np.atleast_2d(np.asarray(series, dtype=float))
    if series.shape[1] < 2:
        return np.zeros(len(series))
    diffs = np.diff(series, axis=1)
    mad = np.median(np.abs(diffs - np.median(diffs, axis=1, keepdims=True)), axis=1) * 1.4826
    scale = mad / np.sqrt(2)
    sparse = mad == 0
    if sparse.any():
        rows = series[sparse]
        padded = np.pad(rows, ((0, 0), (1, 1)), mode="reflect")
        running = np.median(np.lib.stride_tricks.sliding_window_view(padded, 3, axis=1),
                            axis=2)
        residual = np.abs(rows - running)
        residual = np.where(residual > 1e-12, residual, np.nan)
        spikes = np.isfinite(residual).any(axis=1)
        sizes = np.zeros(len(rows))
        if spikes.any():
            sizes[spikes] = np.nanmedian(residual[spikes], axis=1)
        scale[sparse] = 1.4826 * sizes
    return scale


def _penalties(series: np.ndarray) -> np.ndarray:
    """Penalty ``4 log(n) sigma^2`` (twice BIC's) of each row, sigma from :func:`_scales`.

    On 40-period series of Gaussian noise it finds a spurious break in about 2 % of
    series and finds breaks of three standard deviations in their own period; on a
    sparse series a single event is not a break, a lasting change of level is.
    """
    series = np.atleast_2d(series)
    n = series.shape[1]
    if n < 2:
        return np.full(len(series), np.inf)
    return 4.0 * np.log(n) * np.maximum(_scales(series), 1e-9) ** 2


def _breaks(signal: np.ndarray, method: str, penalty: float, n_breaks: int | None,
            min_size: int) -> list[int]:
    if len(signal) < 2 * min_size or np.ptp(signal) == 0:
        return []
    import ruptures  # imported on first use: it takes half a second to load

    if method == "pelt":
        # ruptures' compiled PELT; a linear kernel is the least-squares change-in-mean cost
        algo = ruptures.KernelCPD(kernel="linear", min_size=min_size, jump=1)
        ends = algo.fit(signal.reshape(-1, 1)).predict(pen=penalty)
        ends = [int(e) for e in ends]
    elif method == "binseg":
        algo = ruptures.Binseg(model="l2", min_size=min_size, jump=1).fit(signal)
        if n_breaks is not None:
            n = min(n_breaks, len(signal) // min_size - 1)
            ends = algo.predict(n_bkps=n) if n > 0 else [len(signal)]
        else:
            ends = algo.predict(pen=penalty)
    else:
        raise ValueError(f"method must be 'pelt' or 'binseg', not {method!r}")
    return ends[:-1]


def change_points(
    scores: pd.DataFrame,
    value: str = "score",
    method: str = "pelt",
    penalty: float | None = None,
    n_breaks: int | None = None,
    min_size: int = 1,
) -> pd.DataFrame:
    """Break dates in each dyad's score series.

    Parameters
    ----------
    scores : pandas.DataFrame
        A tidy dyad x period table with columns ``period``, ``source``, ``target`` and
        ``value`` (as from :func:`graphkit.analysis.metrics.dyad_scores`). Periods missing for a
        dyad count as 0 (no relation).
    value : str
        The column to segment (``score``, ``level``, ``flow``, ``decayed`` ...).
    method : {"pelt", "binseg"}
        PELT (Killick, Fearnhead and Eckley 2012), exact for a penalised cost, or binary
        segmentation (Scott and Knott 1974), both with a least-squares (change in mean)
        cost and ``jump=1`` through ruptures (Truong, Oudre and Vayatis 2020).
    penalty : float, optional
        Penalty per break; by default ``4 log(n) sigma^2`` (twice the BIC penalty, to
        keep spurious breaks rare) with a robust sigma: the median absolute deviation of
        the first differences, or, in a sparse series where that is 0, the median size of
        its isolated spikes (see :func:`_scales`), so a sparse series does not break on a
        single event.
    n_breaks : int, optional
        With ``binseg``, the number of breaks to find instead of a penalty.
    min_size : int
        Shortest segment, in periods (1: a one-period spike is dated to its own period).

    Returns
    -------
    pandas.DataFrame
        One row per break: ``source``, ``target``, ``period`` (the first period at the
        new level), ``date`` (its first day), ``mean_before`` and ``mean_after`` (means of
        the segments either side) and ``change``.

    References
    ----------
    Killick, R., Fearnhead, P. and Eckley, I. A. (2012). Optimal detection of changepoints
    with a linear computational cost. *JASA* 107(500), 1590-1598.

    Truong, C., Oudre, L. and Vayatis, N. (2020). Selective review of offline change
    point detection methods. *Signal Processing* 167, 107299.

    Examples
    --------
    >>> scores = graphkit.analysis.metrics.dyad_scores(tg, "M", directed=False)  # doctest: +SKIP
    >>> change_points(scores).sort_values("change").head()  # doctest: +SKIP
    """
    if scores.empty:
        return pd.DataFrame(columns=BREAK_COLUMNS)
    periods = pd.period_range(scores["period"].min(), scores["period"].max())
    wide = scores.pivot_table(index=["source", "target"], columns="period", values=value,
                              aggfunc="sum", fill_value=0.0).reindex(columns=periods,
                                                                     fill_value=0.0)
    values = wide.to_numpy(dtype=float)
    moving = np.ptp(values, axis=1) > 0 if values.shape[1] else np.zeros(len(values), bool)
    wide, values = wide[moving], values[moving]
    penalties = (_penalties(values) if penalty is None
                 else np.full(len(values), float(penalty)))
    rows = []
    for (source, target), series, pen in zip(wide.index, values, penalties, strict=True):
        cuts = _breaks(series, method, pen, n_breaks, min_size)
        edges = [0, *cuts, len(series)]
        levels = [series[a:b].mean() for a, b in pairwise(edges)]
        for i, cut in enumerate(cuts):
            rows.append((source, target, periods[cut], periods[cut].start_time,
                         levels[i], levels[i + 1], levels[i + 1] - levels[i]))
    return pd.DataFrame(rows, columns=BREAK_COLUMNS)


def rank_breaks(
    tg: TemporalGraph,
    freq: str = "M",
    *,
    start: object | None = None,
    end: object | None = None,
    directed: bool = False,
    half_life: str | None = None,
    value: str = "score",
    scores: pd.DataFrame | None = None,
    **options,
) -> pd.DataFrame:
    """Rank dyads by their largest break within ``[start, end)``.

    Scores come from :func:`graphkit.analysis.metrics.dyad_scores` (``freq``, ``directed``,
    ``half_life``), or are ``scores`` when given (a table made with those settings, so
    it is not computed twice); breaks from :func:`change_points` (``options`` are passed
    on).

    Returns
    -------
    pandas.DataFrame
        One row per dyad with a break in the range (its largest), ranked by ``|change|``,
        with the columns of :func:`change_points` and ``rank``.
    """
    from graphkit.analysis.scores import dyad_scores

    if scores is None:
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
    *,
    window: int | None = None,
    half_life: str | None = None,
) -> pd.DataFrame:
    """Each actor's alignment toward reference actors, period by period.

    An actor's *signed relation profile* in a period is its row of the undirected
    score matrix (:func:`graphkit.analysis.metrics.dyad_scores`, ``directed=False``: level plus
    flow; the decayed score when ``half_life`` is given). Its alignment with a reference actor
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
        As in :func:`graphkit.analysis.metrics.dyad_scores`.

    Returns
    -------
    pandas.DataFrame
        One row per period x actor x reference (actors with a tie in the period):
        ``period``, ``entity``, ``reference``, ``similarity`` (NaN when a profile is
        empty), ``tie`` (score between the two) and ``lean`` (``similarity`` to this
        reference minus the mean similarity to the others; with two references, the
        difference between them).

    References
    ----------
    Signorino, C. S. and Ritter, J. M. (1999). Tau-b or not tau-b: measuring the
    similarity of foreign policy positions. *International Studies Quarterly* 43(1),
    115-144.
    """
    from graphkit.analysis.scores import dyad_scores

    refs = tg.resolve(references)
    scores = dyad_scores(tg, freq, half_life=half_life, directed=False, window=window)
    value = "decayed" if half_life is not None and "decayed" in scores else "score"
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
    *,
    window: int | None = None,
    types: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Actors whose camp in the balance partition changes between periods.

    Each period's two-camp partition comes from the frustration index
    (:func:`graphkit.analysis.balance.over_time` with ``partitions=True``). Camp labels are
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
    from graphkit.analysis.balance import over_time

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
    tg: TemporalGraph, freq: str = "M", *, span: int = 36, gap: int = 1
) -> tuple[tuple[str, str], tuple[str, str]]:
    """Sensible ``before`` and ``after`` ranges when the user gives none.

    ``after`` is the latest period (``freq``) holding at least a quarter of the busiest
    period's relations (the recent burst the data was gathered for); ``before`` is the
    ``span`` periods that end ``gap`` periods before it, cut at the data's first period.
    When the data leave no room for that (a burst at the very start, or data in one or two
    periods), ``before`` shrinks to what there is before ``after``, and with nothing
    before ``after`` it is the ``span`` periods before it (empty: :func:`compare` then
    warns). Always two valid ranges for any graph with relations.

    Returns
    -------
    (before, after)
        Two ``(start, end)`` pairs of ISO dates, half-open.

    Raises
    ------
    ValueError
        When the graph has no relations.
    """
    bounds = tg.period_table(freq)
    starts = bounds["start"].to_numpy()
    t_start = tg.relations["t_start"].to_numpy(starts.dtype)
    counts = np.bincount(np.searchsorted(starts, t_start, side="right") - 1,
                         minlength=len(bounds))
    busy = np.flatnonzero(counts >= max(counts.max() / 4, 1))
    k = int(busy[-1])
    period = bounds["period"].iloc[k]
    after = (bounds["start"].iloc[k], bounds["end"].iloc[k])
    first = bounds["start"].iloc[0]
    before_end = (period - gap).start_time
    if before_end <= first:  # no room for a gap: compare with all there is before
        before_end = after[0]
    before_start = max((period - gap - span).start_time, first)
    if before_start >= before_end:  # nothing before: the span before, empty
        before_start = (period - span).start_time
    iso = "%Y-%m-%d"
    return ((before_start.strftime(iso), before_end.strftime(iso)),
            (after[0].strftime(iso), after[1].strftime(iso)))
