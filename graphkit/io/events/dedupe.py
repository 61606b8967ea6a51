"""Merging the rows that report one event (``dedupe=``)."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from graphkit.io.events.report import ImportReport
from graphkit.io.events.schema import EventSchema

__all__ = ["DEDUPE_MODES", "merge_repeats"]

#: How repeated rows of one event are merged (``dedupe=``).
DEDUPE_MODES = ("event", "day", "none")


def merge_repeats(relations: pd.DataFrame, schema: EventSchema, mode: str,  # noqa: C901 - one branch per merge rule
                  report: ImportReport | None = None) -> pd.DataFrame:
    """Merge the rows that report one event into one relation (the first row kept).

    Rows are one event when they agree on the day, source and target keys, the actors
    as the file names them (actor codes or names), the CAMEO code and, with
    ``mode="event"``, the schema's ``same_event`` columns and the story where given
    (ICEWS: the same event coded from several sentences of one story; GDELT: rows
    repeated for one event at the same place). ``mode="day"`` drops the story and
    place (one event per dyad, code and day, however many stories report it);
    ``mode="none"`` keeps every row.

    The kept row gets ``duplicates`` (rows merged into it), ``merged_event_ids`` (their
    event ids, ``;``-separated) and, for GDELT, the sums of ``num_mentions``,
    ``num_sources`` and ``num_articles`` over the group. ``report.merged`` counts the
    rows merged away, so ``rows_read == imported + merged + skipped``.

    Parameters
    ----------
    relations : pandas.DataFrame
        Output of :func:`events_to_relations` for all files.
    schema : EventSchema
    mode : {"event", "day", "none"}
    report : ImportReport, optional
        Updated in place (``merged``, ``merged_groups``, ``merge_rule``, actor counts).

    Returns
    -------
    pandas.DataFrame
    """
    subset = ["start", "source", "target", "cameo_code"]
    subset += [c for c in ("source_actor", "target_actor", "source_name", "target_name")
               if c in relations.columns]
    if mode == "event":
        subset += [c for c in (*schema.same_event, "story_id") if c in relations.columns]
    rule = ", ".join(dict.fromkeys(["day", "source", "target", "actors as named",
                                    "CAMEO code", *[c for c in subset
                                                    if c in (*schema.same_event,
                                                             "story_id")]]))
    if report is not None:
        report.merge_rule = rule if mode != "none" else ""
    relations = relations.copy()
    if mode == "none":
        relations["duplicates"] = np.zeros(len(relations), dtype="int32")
        return relations
    group = relations.groupby(subset, sort=False, dropna=False).ngroup().to_numpy()
    first = ~pd.Series(group).duplicated().to_numpy()
    sizes = np.bincount(group)
    kept = relations[first].copy()
    kept["duplicates"] = (sizes[group[first]] - 1).astype("int32")
    ids = relations["event_id"].astype("str")
    merged_rows = sizes[group] > 1
    if merged_rows.any():
        joined = ids[merged_rows].groupby(group[merged_rows], sort=False).agg(";".join)
        kept["merged_event_ids"] = pd.Series(group[first]).map(joined).fillna("") \
            .to_numpy()
    else:
        kept["merged_event_ids"] = ""
    for column in ("num_mentions", "num_sources", "num_articles"):
        if column in relations.columns:
            kept[column] = np.bincount(group, weights=relations[column].to_numpy(
                dtype=float))[group[first]].astype("int64")
    if report is not None:
        removed = relations[~first]
        report.merged = int((~first).sum())
        report.merged_groups = int((sizes > 1).sum())
        lost = Counter(removed["source"]) + Counter(removed["target"])
        for actor in list(report.unknown_actors):
            report.unknown_actors[actor] -= lost.get(actor, 0)
            if report.unknown_actors[actor] <= 0:
                del report.unknown_actors[actor]
        for column, counts in (("role", report.roles), ("org", report.organisations)):
            if column == "role":
                gone = Counter(removed["source_role"]) + Counter(removed["target_role"])
            else:
                gone = Counter(removed["source"][removed["source_role"] == "IGO"]) \
                    + Counter(removed["target"][removed["target_role"] == "IGO"])
            for k, n in gone.items():
                counts[k] = counts.get(k, 0) - n
                if counts[k] <= 0:
                    del counts[k]
    return kept.reset_index(drop=True)
