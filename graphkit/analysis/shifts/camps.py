"""Realignment: each actor's alignment toward reference actors, and actors changing camp."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from graphkit.analysis.scores import dyad_scores
from graphkit.model.temporal import TemporalGraph

__all__ = ["alignment", "camp_changes"]


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
    score matrix (:func:`graphkit.analysis.scores.dyad_scores`, ``directed=False``: level plus
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
        As in :func:`graphkit.analysis.scores.dyad_scores`.

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
