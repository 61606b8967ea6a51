"""The import driver: files to blocks to relations, the report, and the graph."""

from __future__ import annotations

import csv
import gzip
import os
import sys
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from graphkit.io.cameo import CameoMap, import_vocabulary, load_cameo_map
from graphkit.io.events.dedupe import merge_repeats
from graphkit.io.events.entities import build_entities
from graphkit.io.events.errors import EventFormatError, LimitExceeded
from graphkit.io.events.lines import parse_lines, read_blocks
from graphkit.io.events.report import ImportReport
from graphkit.io.events.schema import Detector, EventSchema, Layout
from graphkit.io.events.sources import Source, expansion_limit, find_sources
from graphkit.io.events.transform import check_options, transform_chunk
from graphkit.model.temporal import TemporalGraph

__all__ = ["CHUNK_BYTES", "header_detector", "import_events", "read_cameo", "read_events"]

#: Chunk size in bytes for reading files (about 100,000 GDELT rows).
CHUNK_BYTES = 32 * 2**20


def _a(label: str) -> str:
    return ("an " if label[:1].upper() in "AEIOU" else "a ") + label


def _split_header(line: str, delimiter: str, quoting: int) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter, quoting=quoting), [])


def read_events(  # noqa: C901, PLR0913 - the read loop; public options
    sources: list[Source],
    detect: Detector,
    schema: EventSchema,
    cmap: CameoMap,
    key: str,
    weights: str,
    report: ImportReport,
    chunk_bytes: int,
    progress: bool | None,
    nonstate: str = "separate",
    organisations: bool = True,
) -> list[pd.DataFrame]:
    """Read every source block by block: detect its layout from the first line, parse
    the lines, transform them, and add the counts to ``report``.

    Returns the relations of each block (before :func:`merge_repeats`). Raises
    :class:`EventFormatError` naming the file and line for a file of another kind, a line
    or a decompressed stream over its limit, or a file that cannot be decompressed.
    """
    from tqdm.auto import tqdm

    if progress is None:
        progress = sys.stderr.isatty()
    total = sum(s.path.stat().st_size for s in {s.path: s for s in sources}.values())
    pieces = []
    with tqdm(total=total, unit="B", unit_scale=True, desc=f"{schema.label} import",
              disable=not progress, leave=False) as bar:
        seen_paths: set[Path] = set()
        for source in sources:
            report.files.append(source.name)
            done = 0
            with source.open() as (stream, raw):
                layout, line_no = None, 1
                limit = None if stream is raw else expansion_limit(source)
                try:
                    for block in read_blocks(stream, chunk_bytes, max_total=limit):
                        if layout is None:
                            block = block.removeprefix(b"\xef\xbb\xbf")
                            cut = block.find(b"\n")
                            first_line = (block if cut < 0 else block[:cut]) \
                                .decode("utf-8", errors="replace").rstrip("\r")
                            layout = detect(first_line, source.name)
                            if layout.header:
                                block = b"" if cut < 0 else block[cut + 1:]
                                line_no = 2
                                if cut < 0:
                                    continue
                        frame, parse_stats = parse_lines(block, line_no, layout)
                        if line_no == 1 and len(frame) == 0 and parse_stats["malformed"]:
                            n_fields = parse_stats["malformed"][0][2].split(" ")[0]
                            raise EventFormatError(
                                f"{source.name}: not {_a(schema.label)} event file: line 1 "
                                f"has {n_fields} fields, expected {layout.expected()}")
                        line_no += parse_stats["lines"]
                        relations, stats = transform_chunk(frame, schema, cmap, key, weights,
                                                           False, source.name, nonstate,
                                                           organisations)
                        for why, n in parse_stats["malformed_counts"].items():
                            stats["rows"] += n
                            stats["skipped"][why] = stats["skipped"].get(why, 0) + n
                        report.undecodable_lines += parse_stats["undecodable"]
                        stats["malformed"] = sorted(
                            [(source.name, int(n), w) for n, _, w in parse_stats["malformed"]]
                            + stats["malformed"], key=lambda m: m[1])
                        stats["formats"] = parse_stats["formats"]
                        stats["blank"] = parse_stats["blank"]
                        report.add_counts(stats)
                        for actor, n in stats["unknown_actors"].items():
                            report.unknown_actors[actor] = report.unknown_actors.get(actor, 0) + n
                        pieces.append(relations)
                        position = raw.tell()
                        bar.update(max(position - done, 0))
                        done = max(done, position)
                except LimitExceeded as err:
                    where = f"line {err.line}" if err.line else f"line {line_no} or after"
                    raise EventFormatError(f"{source.name}: {where}: {err}") from None
                except (gzip.BadGzipFile, zipfile.BadZipFile, EOFError, zlib.error) as err:
                    raise EventFormatError(f"{source.name}: cannot be decompressed: {err}") \
                        from None
            if source.path not in seen_paths:
                bar.update(max(source.path.stat().st_size - done, 0))
                seen_paths.add(source.path)
    return pieces


def import_events(  # noqa: PLR0913 - public options, keyword-only
    paths: str | os.PathLike | Iterable[str | os.PathLike],
    schema: EventSchema,
    detect: Detector,
    *,
    key: str = "country",
    dedupe: str | bool = "event",
    nonstate: str = "separate",
    organisations: bool = True,
    cameo_map: CameoMap | str | os.PathLike | pd.DataFrame | None = None,
    weights: str = "file",
    chunk_bytes: int = CHUNK_BYTES,
    progress: bool | None = None,
    metadata: dict | None = None,
) -> tuple[TemporalGraph, ImportReport]:
    """Read event files with a layout detector and build the graph (used by the readers)."""
    schema.key_columns(key)
    mode = check_options(nonstate, dedupe)
    if weights not in ("file", "table"):
        raise ValueError(f"weights must be 'file' or 'table', not {weights!r}")
    if int(chunk_bytes) < 1:
        raise ValueError("chunk_bytes must be positive")
    cmap = load_cameo_map(cameo_map)
    sources = find_sources(paths)
    report = ImportReport(schema.label, key=key, dedupe=mode, map_version=cmap.version,
                          nonstate=nonstate)
    pieces = read_events(sources, detect, schema, cmap, key, weights, report,
                         int(chunk_bytes), progress, nonstate, organisations)
    relations = pd.concat(pieces, ignore_index=True) if pieces else pd.DataFrame()
    if len(relations):
        relations = merge_repeats(relations, schema, mode, report)
    report.imported = len(relations)
    report.check()
    if len(relations):
        entities = build_entities(relations, schema, key)
    else:
        entities = pd.DataFrame(columns=["id", "name", "type", "aliases"])
        relations = pd.DataFrame(columns=["source", "target", "type", "start"])
    meta = {
        "title": f"{schema.label} events imported by graphkit",
        "description": f"{report.imported} {schema.label} events from "
                       f"{len(report.files)} file(s); actors keyed by {key}; CAMEO map "
                       f"version {cmap.version}.",
        "sources": [{"title": name} for name in report.files],
        "graphkit_import": {k: v for k, v in report.to_dict().items()
                            if k in ("source", "rows_read", "imported", "skipped", "formats",
                                     "key", "dedupe", "map_version", "merged",
                                     "merge_rule", "nonstate")},
        **(metadata or {}),
    }
    tg = TemporalGraph.from_frames(entities, relations, vocabulary=import_vocabulary(),
                                   metadata=meta)
    return tg, report


def header_detector(schema: EventSchema, key: str, kind: str) -> Detector:
    """A detector for files with a header row naming the schema's columns."""

    def detect(first_line: str, name: str) -> Layout:
        delimiter = "\t" if "\t" in first_line else ","
        quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
        header = [h.strip() for h in _split_header(first_line, delimiter, quoting)]
        names = schema.canonical(header)
        names = [n if n not in names[:i] else f"{n}.{i}" for i, n in enumerate(names)]
        missing = [c for c in schema.required_columns(key) if c not in names]
        if missing:
            raise EventFormatError(
                f"{name}: not {_a(kind)} event file: its header lacks "
                f"{', '.join(repr(m) for m in missing)}")
        separator = "tab" if delimiter == "\t" else "comma"
        return Layout(delimiter, quoting, {len(names): names},
                      {len(names): f"{kind} with header ({len(names)} columns, "
                                   f"{separator}-separated)"},
                      True, set(schema.used_columns()) & set(names))

    return detect


def read_cameo(
    paths: str | os.PathLike | Iterable[str | os.PathLike],
    schema: EventSchema,
    *,
    key: str = "country",
    dedupe: str | bool = "event",
    nonstate: str = "separate",
    organisations: bool = True,
    cameo_map: CameoMap | str | os.PathLike | pd.DataFrame | None = None,
    weights: str = "file",
    chunk_bytes: int = CHUNK_BYTES,
    progress: bool | None = None,
) -> tuple[TemporalGraph, ImportReport]:
    """Import any CAMEO-coded event table with a header row.

    Files are tab- or comma-separated (told by the header line), plain, ``.gz`` or
    ``.zip``, read in chunks of ``chunk_bytes``. Header names are matched to the schema
    ignoring case and punctuation.

    Parameters
    ----------
    paths : path or list of paths
        Files (glob patterns such as ``"events/*.csv.gz"`` are expanded).
    schema : EventSchema
        Which columns hold the date, code, actors and weight.
    key : {"country", "actor", "name"}
        How actors are keyed.
    dedupe : {"event", "day", "none"}
        Merge rows that report one event (default ``"event"``: same day, source,
        target, actors, CAMEO code, and story or place where given); ``"day"``: one
        event per dyad, code and day across stories; ``"none"``: keep every row (``True``
        and ``False`` mean ``"day"`` and ``"none"``). See :func:`merge_repeats`.
    nonstate : {"separate", "drop", "state"}
        Under ``key="country"``, actors that do not speak for a state (citizens, media,
        business, opposition, armed groups: :mod:`graphkit.io.events.roles`) become their own
        entities such as ``ISR-CVL`` (default), are left out (skipped as
        ``non-state actor (left out)``), or count as their state (graphkit before 0.x).
    organisations : bool
        International organisations (EU, UN, NATO, ...) become ``organisation``
        entities (default) instead of being skipped for having no country.
    cameo_map : CameoMap, path or DataFrame, optional
        Overrides of the CAMEO map (see :func:`graphkit.io.cameo.load_cameo_map`).
    weights : {"file", "table"}
        Take weights from the file when given (default) or always from the map.
    chunk_bytes : int
        Bytes read at a time.
    progress : bool, optional
        Show a progress bar (default: when standard error is a terminal).

    Returns
    -------
    (TemporalGraph, ImportReport)

    Raises
    ------
    EventFileError
        A file is missing or unreadable.
    EventFormatError
        A file lacks the columns the schema needs.

    Examples
    --------
    >>> schema = EventSchema("mine", date="day", date_format="%Y-%m-%d", code="cameo",
    ...                      source_country="from", target_country="to")
    >>> tg, report = read_cameo("my_events.csv", schema)  # doctest: +SKIP
    """
    detect = header_detector(schema, key, schema.label)
    return import_events(paths, schema, detect, key=key, dedupe=dedupe, nonstate=nonstate,
                         organisations=organisations, cameo_map=cameo_map,
                         weights=weights, chunk_bytes=chunk_bytes, progress=progress)
