"""The event aggregation on Dask DataFrames, for relations that outgrow one machine.

graphkit's default route holds the relations in one pandas table: at a million events
it validates them in about two seconds and aggregates them in about one, so most users
never need this module. Use it when the events do not fit in memory (hundreds of
millions of GDELT rows), when they already live as many CSV or Parquet files, or to
spread the work over a ``dask.distributed`` cluster. Actors and dyads are few, so only
the event work is distributed: the per-period dyad sums that come back are small and
are finished (score, decay) in pandas.

The code is the pandas route's, run per partition: :func:`relations` validates each
partition with :func:`graphkit.model.build` (the same checks and problem reports),
:func:`dyad_scores` expands relations to periods and sums them per partition with
:func:`graphkit.analysis.aggregate.dyad_period_sums`, adds the partial sums with a Dask
``groupby().sum()``, then finishes them with
:func:`graphkit.analysis.aggregate.finish_dyad_scores`. The periods come from
:func:`graphkit.core.timespec.period_bounds` through the same span rule as
:meth:`TemporalGraph.period_table`. So ``graphkit.dask.dyad_scores(ddf, ...)`` equals
``graphkit.analysis.metrics.dyad_scores(tg, ...)`` on the same relations; sums may differ in the
last bits because floating-point additions happen in another order.

Examples
--------
>>> import dask.dataframe as dd
>>> from dask.distributed import Client, LocalCluster
>>> client = Client(LocalCluster(n_workers=2))  # doctest: +SKIP
>>> raw = dd.read_csv("events-*.csv", dtype=str, keep_default_na=False)  # doctest: +SKIP
>>> rel = graphkit.dask.relations(raw, entities)  # doctest: +SKIP
>>> scores = graphkit.dask.dyad_scores(rel, "M", half_life="90D",
...                                    entities=entities)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable

import dask.dataframe as dd
import numpy as np
import pandas as pd

from graphkit import model
from graphkit.analysis import aggregate
from graphkit.core.dates import ONGOING
from graphkit.core.problems import ValidationError
from graphkit.core.timespec import half_life_seconds
from graphkit.core.vocabulary import Vocabulary, default_vocabulary
from graphkit.model.temporal import TemporalGraph

__all__ = ["SCORE_COLUMNS", "PartitionValidationError", "dyad_scores", "period_table",
           "read_relations", "relations", "write_relations"]

#: Canonical relation columns the scores read (all a Parquet partition needs to hold).
SCORE_COLUMNS = ["source", "target", "type", "t_start", "t_end", "durable", "directed",
                 "weight", "sign", "signed_weight", "quad_class", "confidence"]


class PartitionValidationError(ValidationError):
    """A :class:`~graphkit.ValidationError` raised while validating one partition.

    It survives the trip from a Dask worker to the client (``problems`` included);
    ``except graphkit.ValidationError`` catches it.
    """

    def __reduce__(self):
        return type(self), (self.problems,)


def _validate(part: pd.DataFrame, entities: pd.DataFrame, vocabulary: Vocabulary,
              file: str, partition_info: dict | None = None) -> pd.DataFrame:
    number = (partition_info or {}).get("number", 0)
    try:
        _, rel = model.build(entities, part, vocabulary,
                             relations_file=f"{file} (partition {number})")
    except ValidationError as err:
        raise PartitionValidationError(err.problems) from None
    rel.index = part.index
    if "id" not in part.columns and pd.api.types.is_integer_dtype(part.index):
        rel["id"] = part.index.to_numpy(dtype=np.int64) + 2  # the row as in one CSV file
    return rel


def relations(
    frame: dd.DataFrame,
    entities: pd.DataFrame,
    vocabulary: Vocabulary | None = None,
    *,
    file: str = "relations",
) -> dd.DataFrame:
    """Validate raw relations partition by partition, lazily.

    Parameters
    ----------
    frame : dask.dataframe.DataFrame
        Raw relations with the columns :meth:`TemporalGraph.from_frames` accepts, for
        example ``dd.read_csv("events-*.csv", dtype=str, keep_default_na=False)``.
    entities : pandas.DataFrame
        The (small) raw entities table; every partition resolves ids and aliases
        against it.
    vocabulary : Vocabulary, optional
        Relation types; the default vocabulary when omitted.
    file : str
        Name used in problem reports.

    Returns
    -------
    dask.dataframe.DataFrame
        The canonical relations table of :mod:`graphkit.model`, partition by partition.
        Without an ``id`` column, a relation's ``id`` is its index in ``frame`` plus 2
        (its row in one CSV file with a header): unique for ``dd.from_pandas`` tables,
        not for several files read by ``dd.read_csv`` (each numbered from 0), which
        should carry an ``id`` column when relation ids matter.
        Computing it raises :class:`PartitionValidationError` (a ValidationError) for the
        first partition with problems, listing all of that partition's problems; rows
        are numbered within the partition (``relations (partition 3):17``).
    """
    vocabulary = vocabulary or default_vocabulary()
    meta = _validate(frame._meta, entities, vocabulary, file)
    return frame.map_partitions(_validate, entities, vocabulary, file, meta=meta,
                                align_dataframes=False)


def _extremes(part: pd.DataFrame) -> pd.DataFrame:
    """Rows that decide the time span: earliest and latest starts, latest finite end."""
    t_start, t_end = part["t_start"], part["t_end"]
    rows = []
    if len(part):
        rows.append((t_start.min(), t_start.min() + pd.Timedelta(seconds=1)))
        rows.append((t_start.max(), t_start.max() + pd.Timedelta(seconds=1)))
        finite = t_end[t_end < ONGOING]
        if len(finite):
            rows.append((finite.max() - pd.Timedelta(seconds=1), finite.max()))
        if (t_end >= ONGOING).any():
            rows.append((t_start.max(), ONGOING))
    return pd.DataFrame(rows, columns=["t_start", "t_end"]).astype("datetime64[s]")


def period_table(relations: dd.DataFrame, freq: str = "M", *,
                 window: int | None = None) -> pd.DataFrame:
    """:meth:`TemporalGraph.period_table` of a Dask relations table (one pass).

    Empty (no rows) when there are no relations.
    """
    meta = pd.DataFrame({"t_start": pd.Series([], dtype="datetime64[s]"),
                         "t_end": pd.Series([], dtype="datetime64[s]")})
    aggregate.empty_periods(freq, window)  # check the arguments before any work
    rows = relations[["t_start", "t_end"]].map_partitions(_extremes, meta=meta).compute()
    if rows.empty:
        return aggregate.empty_periods(freq, window)
    # The span rule of TemporalGraph, applied to the rows that decide it.
    bounds = TemporalGraph(pd.DataFrame({"id": []}), _extremes(rows))
    return bounds.period_table(freq, window=window)


def write_relations(relations: pd.DataFrame, path: str, part: int) -> str:
    """Write one partition of canonical relations (``tg.relations`` or the output of
    :func:`relations`) as ``part-NNNNN.parquet`` in the folder ``path``.

    Only :data:`SCORE_COLUMNS` are kept, so a partition of a million events takes about
    15 MB. Returns the file written.

    Examples
    --------
    >>> for k, chunk in enumerate(chunks):  # doctest: +SKIP
    ...     graphkit.dask.write_relations(graphkit.TemporalGraph.from_frames(
    ...         entities, chunk).relations, "events.parquet", k)
    """
    import os

    os.makedirs(path, exist_ok=True)
    target = os.path.join(path, f"part-{int(part):05d}.parquet")
    relations[SCORE_COLUMNS].reset_index(drop=True).to_parquet(target, index=False)
    return target


def read_relations(path: str, **kwargs) -> dd.DataFrame:
    """Canonical relations from Parquet partitions (as written by :func:`write_relations`),
    lazily, one Dask partition per file: the input of :func:`dyad_scores`.

    ``kwargs`` go to :func:`dask.dataframe.read_parquet` (``storage_options`` for
    ``s3://`` or ``gs://`` paths read by every worker of a cluster).
    """
    frame = dd.read_parquet(path, **kwargs)
    missing = [c for c in SCORE_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: not canonical graphkit relations: no "
                         f"{', '.join(missing)} column")
    return frame[SCORE_COLUMNS]


def _compute(collection, progress: bool | None):
    """Compute with a progress bar: ``dask.distributed.progress`` on a cluster client,
    else ``dask.diagnostics.ProgressBar`` (default: when standard error is a terminal)."""
    import sys

    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return collection.compute()
    try:
        from dask.distributed import default_client
        from dask.distributed import progress as show
        client = default_client()
    except (ImportError, ValueError):
        client = None
    if client is not None:
        future = client.compute(collection)
        show(future)
        return future.result()
    from dask.diagnostics import ProgressBar

    with ProgressBar():
        return collection.compute()


def _sums(part: pd.DataFrame, starts: np.ndarray, ends: np.ndarray, ids: pd.Index,
          directed: bool, half_life: object | None, weight_by: str | None) -> pd.DataFrame:
    return aggregate.dyad_period_sums(part, starts, ends, ids, directed,
                                      half_life=half_life, weight_by=weight_by)


def dyad_scores(  # noqa: PLR0913 - the options of metrics.dyad_scores, as keywords
    relations: dd.DataFrame,
    freq: str = "M",
    *,
    half_life: object | None = None,
    directed: bool = True,
    window: int | None = None,
    types: Iterable[str] | str | None = None,
    entities: pd.DataFrame | Iterable[str] | None = None,
    vocabulary: Vocabulary | None = None,
    fill: str = "active",
    combine: str = "level+flow",
    weight_by: str | None = None,
    split_out: int | None = None,
    progress: bool | None = None,
) -> pd.DataFrame:
    """:func:`graphkit.analysis.metrics.dyad_scores` of a Dask DataFrame of relations.

    Parameters
    ----------
    relations : dask.dataframe.DataFrame
        Canonical relations: the output of :func:`relations`, or
        ``dd.from_pandas(tg.relations, ...)``.
    freq, half_life, directed, window, types, fill, combine, weight_by
        As in :func:`graphkit.analysis.metrics.dyad_scores`.
    entities : DataFrame or iterable of ids, optional
        The entities (an ``id`` column) or their ids; when omitted, the ids found in
        ``source`` and ``target`` (one more pass).
    vocabulary : Vocabulary, optional
        To check the names in ``types`` (default vocabulary when omitted).
    split_out : int, optional
        Partitions of the summed table (Dask ``groupby(...).sum(split_out=...)``); the
        default 1 suits tables of up to some tens of millions of (period, dyad) rows.
    progress : bool, optional
        Show a progress bar of the summing pass (default: when standard error is a
        terminal); on a ``dask.distributed`` client, ``dask.distributed.progress``.

    Returns
    -------
    pandas.DataFrame
        The same table as :func:`graphkit.analysis.metrics.dyad_scores`.
    """
    if fill not in ("active", "all"):
        raise ValueError(f"fill must be 'active' or 'all', not {fill!r}")
    if half_life is not None:
        half_life_seconds(half_life)
    if types is not None:
        types = [types] if isinstance(types, str) else list(types)
        vocabulary = vocabulary or default_vocabulary()
        unknown = sorted(set(types) - set(vocabulary.types))
        if unknown:
            raise KeyError(f"unknown relation types: {', '.join(unknown)}")
        relations = relations[relations["type"].isin(types)]
    if entities is None:
        found = dd.concat([relations["source"], relations["target"]]).unique().compute()
        ids = pd.Index(np.sort(np.asarray(found, dtype=object)), dtype="str")
    else:
        values = entities["id"] if isinstance(entities, pd.DataFrame) else list(entities)
        ids = pd.Index(np.sort(np.asarray(values, dtype=object)), dtype="str")
    periods = period_table(relations, freq, window=window)
    starts, ends = aggregate.bounds(periods)
    meta = aggregate.empty_sums(half_life)
    partial = relations.map_partitions(_sums, starts, ends, ids, directed, half_life,
                                       weight_by, meta=meta, align_dataframes=False)
    summed = partial.groupby(["period", "source", "target"]).sum(split_out=split_out or 1)
    sums = aggregate.combine_sums(_compute(summed, progress).reset_index())
    return aggregate.finish_dyad_scores(sums, periods, ids, half_life, fill, combine)
