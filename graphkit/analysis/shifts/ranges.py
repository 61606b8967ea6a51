"""Compare two date ranges: each dyad's change of score with a bootstrap interval.

:func:`compare` measures each range exactly as given (the one rule of
:mod:`graphkit.model.measure`: level of standing ties plus flow of events), so its numbers
do not depend on any period length; a Poisson bootstrap of the events gives the interval,
a robustness check (low-confidence relations dropped) the ``robust`` flag.
"""

from __future__ import annotations

import warnings
from itertools import pairwise

import numpy as np
import pandas as pd

from graphkit.analysis import coverage
from graphkit.core.dates import to_timestamp
from graphkit.model import measure
from graphkit.model.temporal import TemporalGraph, dyad_keys

__all__ = ["LOW_CONFIDENCE", "SHIFT_COLUMNS", "TOLERANCE", "GraphkitWarning", "compare"]


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


def compare(  # noqa: PLR0913 - public options, keyword-only
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
    On the bundled Nagorno-Karabakh case (``tg``), from the 2020 ceasefire to the
    blockade against September 2023:

    >>> s = compare(tg, ("2020-11-10", "2023-07-01"), ("2023-09-01", "2023-10-01"))
    >>> top = s.head(3)
    >>> top[["source", "target"]].to_numpy().tolist()
    [['ARM', 'USA'], ['ARM', 'RUS'], ['ARM', 'PROTESTERS']]
    >>> top["change"].round(1).tolist(), top["robust"].tolist()
    ([21.9, -16.6, -11.5], [True, True, True])

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
