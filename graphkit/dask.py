"""The event aggregation on Dask DataFrames, for relations that outgrow one machine.

graphkit's default route holds the relations in one pandas table: at a million events
it validates them in about two seconds and aggregates them in about one, so most users
never need this module. Use it when the events do not fit in memory (hundreds of
millions of GDELT rows), when they already live as many CSV or Parquet files, or to
spread the work over a ``dask.distributed`` cluster.

The code is the pandas route's, run per partition: :func:`relations` validates each
partition with :func:`graphkit.model.build` (the same checks and problem reports);
:func:`dyad_scores` expands each partition's relations to periods and sums them per
(period, dyad) with :func:`graphkit.analysis.aggregate.dyad_period_sums`, shuffles these
partial sums by dyad (all periods of one dyad in one partition) and finishes each
partition (sums, score, decay along the dyad's periods, ``fill``) with
:func:`graphkit.analysis.aggregate.finish_dyad_scores`, which looks at one dyad at a
time. Only the entity ids and the period table, both small, go to every worker; the
periods come from :func:`graphkit.core.timespec.period_bounds` through the same span rule
as :meth:`TemporalGraph.period_table`. So ``graphkit.dask.dyad_scores(ddf, ...)`` equals
``graphkit.analysis.metrics.dyad_scores(tg, ...)`` on the same relations (sums may differ
in the last bits because floating-point additions happen in another order); with
``output="dask"`` the scores stay on the cluster and :func:`write_scores` writes them as
Parquet files, for results too large for the client.

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

import os
from collections.abc import Iterable
from pathlib import Path

import dask.dataframe as dd
import numpy as np
import pandas as pd

from graphkit import model
from graphkit.analysis import aggregate
from graphkit.core import atomic
from graphkit.core.dates import ONGOING
from graphkit.core.problems import ValidationError
from graphkit.core.timespec import half_life_seconds
from graphkit.core.vocabulary import Vocabulary, default_vocabulary
from graphkit.model.temporal import TemporalGraph

__all__ = ["SCORE_COLUMNS", "PartitionValidationError", "dyad_scores", "period_table",
           "read_relations", "relations", "write_relations", "write_scores"]

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


def write_relations(relations: pd.DataFrame, path: str | os.PathLike, part: int, *,
                    force: bool = False) -> str:
    """Write one partition of canonical relations (``tg.relations`` or the output of
    :func:`relations`) as ``part-NNNNN.parquet`` in the folder ``path``.

    Only :data:`SCORE_COLUMNS` are kept, so a partition of a million events takes about
    15 MB. Each file appears whole or not at all (written beside it, then renamed). A new
    or empty folder is marked as graphkit output (:data:`graphkit.core.atomic.MARKER`, a
    hidden file that :func:`read_relations` skips), so writing into it again, a partition
    written anew for example, is allowed; a non-empty folder graphkit did not write is
    refused (unless ``force``, which writes the file but leaves the folder unmarked).

    Parameters
    ----------
    relations : pandas.DataFrame
        Canonical relations.
    path : str or path-like
        The folder: new, empty, or written by graphkit before.
    part : int
        The partition's number (``0 <= part < 100000``).
    force : bool
        Also write into a non-empty folder graphkit did not write.

    Returns
    -------
    str
        The file written.

    Raises
    ------
    graphkit.core.atomic.UnsafeOutputError
        When ``path`` is a file, a symbolic link, ``.``, the home folder, or a non-empty
        folder graphkit did not write (unless ``force``), before anything is written.

    Examples
    --------
    >>> for k, chunk in enumerate(chunks):  # doctest: +SKIP
    ...     graphkit.dask.write_relations(graphkit.TemporalGraph.from_frames(
    ...         entities, chunk).relations, "events.parquet", k)
    """
    part = int(part)
    if not 0 <= part < 100_000:
        raise ValueError(f"part must be from 0 to 99999, not {part}")
    folder = atomic.check_output_folder(path, force=force)
    # a folder graphkit did not write stays unmarked (even with force), so that nothing
    # later takes it for graphkit's and replaces it whole
    fresh = not folder.exists() or not any(folder.iterdir())
    folder.mkdir(parents=True, exist_ok=True)
    if fresh:
        atomic.mark_folder(folder)
    target = atomic.check_output_file(folder / f"part-{part:05d}.parquet")
    frame = relations[SCORE_COLUMNS].reset_index(drop=True)
    with atomic.writing(target, "wb") as handle:
        frame.to_parquet(handle, index=False)
    return str(target)


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


#: Column of the per-partition results that orders rows as the pandas route does
#: (period, source, target positions in one int64); dropped before anything is returned.
_ORDER = "_graphkit_order"


def _finish(part: pd.DataFrame, periods: pd.DataFrame, ids: pd.Index,
            half_life: object | None, fill: str, combine: str,
            order: bool) -> pd.DataFrame:
    """Finish the partial sums of whole dyads: add them up per (period, dyad), then
    :func:`aggregate.finish_dyad_scores` (each dyad's rows depend on that dyad only)."""
    sums = aggregate.combine_sums(part)
    out = aggregate.finish_dyad_scores(sums, periods, ids, half_life, fill, combine)
    if order:
        n = len(ids)
        period = pd.Index(periods["period"]).get_indexer(out["period"]).astype(np.int64)
        source = ids.get_indexer(out["source"]).astype(np.int64)
        target = ids.get_indexer(out["target"]).astype(np.int64)
        out[_ORDER] = (period * n + source) * n + target
    return out


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
    output: str = "pandas",
    progress: bool | None = None,
) -> pd.DataFrame | dd.DataFrame:
    """:func:`graphkit.analysis.metrics.dyad_scores` of a Dask DataFrame of relations.

    Every step runs on the workers: each partition's relations are laid over the periods
    and summed per (period, dyad) (:func:`graphkit.analysis.aggregate.dyad_period_sums`);
    these partial sums are shuffled by dyad, so that all periods of one dyad meet in one
    partition; each partition then adds them up and finishes them (score, count, decay
    along the dyad's periods, ``fill``) with
    :func:`graphkit.analysis.aggregate.finish_dyad_scores`. Only the entity ids and the
    period table (both small) are sent to every worker. With ``output="pandas"`` the
    finished partitions are gathered into one table; with ``output="dask"`` they stay on
    the cluster, to be written with :func:`write_scores` or reduced further.

    Parameters
    ----------
    relations : dask.dataframe.DataFrame
        Canonical relations: the output of :func:`relations` or :func:`read_relations`,
        or ``dd.from_pandas(tg.relations, ...)``.
    freq, half_life, directed, window, types, fill, combine, weight_by
        As in :func:`graphkit.analysis.metrics.dyad_scores`.
    entities : DataFrame or iterable of ids, optional
        The entities (an ``id`` column) or their ids; when omitted, the ids found in
        ``source`` and ``target`` (one more pass).
    vocabulary : Vocabulary, optional
        To check the names in ``types`` (default vocabulary when omitted).
    split_out : int, optional
        Partitions of the shuffle by dyad, hence of the result (default: as many as
        ``relations`` has). Each holds about ``1 / split_out`` of the (period, dyad)
        rows; raise it when a worker runs short of memory.
    output : {"pandas", "dask"}
        ``"pandas"`` (default): compute and return one pandas table, row for row the
        table of :func:`graphkit.analysis.metrics.dyad_scores` (it must fit in the
        client's memory). ``"dask"``: return a lazy Dask DataFrame, nothing computed
        beyond the period table; each partition holds whole dyads, its rows sorted by
        period, source and target. Write it with :func:`write_scores`.
    progress : bool, optional
        With ``output="pandas"``: show a progress bar (default: when standard error is a
        terminal); on a ``dask.distributed`` client, ``dask.distributed.progress``.

    Returns
    -------
    pandas.DataFrame or dask.dataframe.DataFrame
        The columns of :func:`graphkit.analysis.metrics.dyad_scores`.

    Raises
    ------
    ValueError
        For a bad ``freq``, ``window``, ``half_life``, ``fill``, ``combine``, ``output``
        or ``split_out``.
    KeyError
        For unknown ``types``.

    Examples
    --------
    >>> rel = graphkit.dask.read_relations("events.parquet")  # doctest: +SKIP
    >>> scores = graphkit.dask.dyad_scores(rel, "M", half_life="90D", entities=ids,
    ...                                    output="dask")  # doctest: +SKIP
    >>> graphkit.dask.write_scores(scores, "scores.parquet")  # doctest: +SKIP

    References
    ----------
    .. [1] ``dask.dataframe.DataFrame.shuffle``, rows with equal ``on`` values in one
       partition, https://docs.dask.org/en/stable/generated/dask.dataframe.DataFrame.shuffle.html
    """
    aggregate.check_fill(fill)
    if output not in ("pandas", "dask"):
        raise ValueError(f"output must be 'pandas' or 'dask', not {output!r}")
    if split_out is not None and (isinstance(split_out, bool)
                                  or not isinstance(split_out, int) or split_out < 1):
        raise ValueError(f"split_out must be a positive integer, not {split_out!r}")
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
    ordered = output == "pandas"
    meta = _finish(aggregate.empty_sums(half_life), periods, ids, half_life, fill,
                   combine, ordered)  # also checks combine before any work
    if periods.empty:  # no relations: nothing to distribute
        return meta if ordered else dd.from_pandas(meta, npartitions=1)
    starts, ends = aggregate.bounds(periods)
    partial = relations.map_partitions(_sums, starts, ends, ids, directed, half_life,
                                       weight_by, meta=aggregate.empty_sums(half_life),
                                       align_dataframes=False)
    by_dyad = partial.shuffle(on=["source", "target"], ignore_index=True,
                              npartitions=split_out or relations.npartitions)
    scores = by_dyad.map_partitions(_finish, periods, ids, half_life, fill, combine,
                                    ordered, meta=meta, align_dataframes=False)
    if not ordered:
        return scores
    table = _compute(scores, progress)
    rows = np.argsort(table[_ORDER].to_numpy(), kind="stable")
    return table.drop(columns=_ORDER).take(rows).reset_index(drop=True)


def write_scores(scores: dd.DataFrame, path: str | os.PathLike, *, force: bool = False,
                 progress: bool | None = None) -> Path:
    """Write a Dask table of scores (``dyad_scores(..., output="dask")``) as a folder of
    Parquet files, one per partition, computed on the workers.

    The folder appears only when every partition is written (the workers write into a
    temporary folder beside ``path``, renamed into place), marked as graphkit output
    (:data:`graphkit.core.atomic.MARKER`). ``path`` must be on a file system the client
    and every worker share (a local folder for a ``LocalCluster``).

    Parameters
    ----------
    scores : dask.dataframe.DataFrame
        The table to write.
    path : str or path-like
        The folder: new, empty, or written by graphkit before (then replaced).
    force : bool
        Also replace a non-empty folder graphkit did not write.
    progress : bool, optional
        Show a progress bar (default: when standard error is a terminal).

    Returns
    -------
    pathlib.Path
        ``path``. Read it back with ``pandas.read_parquet(path)`` or
        ``dask.dataframe.read_parquet(path)``.

    Raises
    ------
    graphkit.core.atomic.UnsafeOutputError
        When ``path`` is a file, a symbolic link, ``.``, the home folder, or a non-empty
        folder graphkit did not write (unless ``force``), before any work.

    Examples
    --------
    >>> scores = graphkit.dask.dyad_scores(rel, "M", output="dask")  # doctest: +SKIP
    >>> graphkit.dask.write_scores(scores, "scores.parquet")  # doctest: +SKIP
    """
    if not isinstance(scores, dd.DataFrame):
        raise TypeError("write_scores takes a Dask DataFrame (dyad_scores(..., "
                        f"output='dask')), not {type(scores).__name__}")
    with atomic.atomic_folder(path, force=force) as folder:
        _compute(scores.to_parquet(str(folder), write_index=False, compute=False),
                 progress)
    return Path(path)
