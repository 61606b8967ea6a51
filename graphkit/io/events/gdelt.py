"""Import GDELT event files.

GDELT publishes its events table in three raw layouts, all tab-separated without a
header: GDELT 1.0 historical files (1979 to March 2013) with 57 fields, GDELT 1.0 daily
files (from April 2013) with 58 (``SOURCEURL`` added), and GDELT 2.0 15-minute files with
61 (an ``ADM2Code`` per location). A file may mix 57- and 58-field rows: each line is read
by its own field count. Files exported with a header row (by BigQuery or R, comma- or
tab-separated, ``NA`` for empty) are read by column name.

References
----------
Leetaru, K., & Schrodt, P. A. (2013). GDELT: Global data on events, location, and tone,
1979-2012. *ISA Annual Convention*.

The GDELT Project. *GDELT 1.0 Event Database Data Format Codebook* (v1.03, 2013) and
*GDELT Event Codebook V2.0* (2015).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable

import pandas as pd

from graphkit.io.cameo import CameoMap
from graphkit.io.events.errors import EventFormatError
from graphkit.io.events.importer import CHUNK_BYTES, header_detector, import_events
from graphkit.io.events.registry import register_schema
from graphkit.io.events.report import ImportReport
from graphkit.io.events.schema import EventSchema, Layout
from graphkit.model.temporal import TemporalGraph

__all__ = ["GDELT", "GDELT1_COLUMNS", "GDELT1_HISTORICAL_COLUMNS", "GDELT2_COLUMNS",
           "read_gdelt"]


def _actor(n: int) -> list[str]:
    return [f"Actor{n}{part}" for part in (
        "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
        "Religion2Code", "Type1Code", "Type2Code", "Type3Code")]


def _geo(prefix: str, adm2: bool) -> list[str]:
    parts = ["Type", "FullName", "CountryCode", "ADM1Code", *(["ADM2Code"] if adm2 else []),
             "Lat", "Long", "FeatureID"]
    return [f"{prefix}_{p}" for p in parts]


_EVENT = ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
          "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone"]
_HEAD = ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]

#: GDELT 1.0 daily files (April 2013 on): 58 fields.
GDELT1_COLUMNS = [*_HEAD, *_actor(1), *_actor(2), *_EVENT, *_geo("Actor1Geo", False),
                  *_geo("Actor2Geo", False), *_geo("ActionGeo", False), "DATEADDED",
                  "SOURCEURL"]
#: GDELT 1.0 historical files (1979 - March 2013): 57 fields, no SOURCEURL.
GDELT1_HISTORICAL_COLUMNS = GDELT1_COLUMNS[:-1]
#: GDELT 2.0 files: 61 fields (ADM2 codes; DATEADDED is YYYYMMDDHHMMSS).
GDELT2_COLUMNS = [*_HEAD, *_actor(1), *_actor(2), *_EVENT, *_geo("Actor1Geo", True),
                  *_geo("Actor2Geo", True), *_geo("ActionGeo", True), "DATEADDED",
                  "SOURCEURL"]

_LAYOUTS = {
    57: (GDELT1_HISTORICAL_COLUMNS, "GDELT 1.0 historical (57 fields)"),
    58: (GDELT1_COLUMNS, "GDELT 1.0 daily (58 fields)"),
    61: (GDELT2_COLUMNS, "GDELT 2.0 (61 fields)"),
}

#: Where the pieces of an event are in GDELT files.
GDELT = register_schema(EventSchema(
    label="GDELT",
    date="SQLDATE",
    date_format="%Y%m%d",
    code="EventCode",
    event_id="GLOBALEVENTID",
    weight="GoldsteinScale",
    quad_class="QuadClass",
    source_actor="Actor1Code",
    target_actor="Actor2Code",
    source_name="Actor1Name",
    target_name="Actor2Name",
    source_country="Actor1CountryCode",
    target_country="Actor2CountryCode",
    source_roles="Actor1Type1Code",
    target_roles="Actor2Type1Code",
    role_kind="cameo",
    same_event=("action_feature",),
    ref_columns=(("", "SOURCEURL"),),
    extras=(
        ("is_root_event", "IsRootEvent", "bool"),
        ("num_mentions", "NumMentions", "int"),
        ("num_sources", "NumSources", "int"),
        ("num_articles", "NumArticles", "int"),
        ("avg_tone", "AvgTone", "float"),
        ("action_fips", "ActionGeo_CountryCode", "str"),
        ("action_feature", "ActionGeo_FeatureID", "str"),
        ("action_lat", "ActionGeo_Lat", "float"),
        ("action_long", "ActionGeo_Long", "float"),
    ),
    na_values=("NA",),
    min_code_digits=3,
    aliases=(("Day", "SQLDATE"), ("GlobalEventID", "GLOBALEVENTID")),
), "gdelt")


def _detector(key: str):
    with_header = header_detector(GDELT, key, "GDELT")

    def detect(first_line: str, name: str) -> Layout:
        lowered = first_line.lower()
        if "globaleventid" in lowered or "sqldate" in lowered:
            return with_header(first_line, name)
        fields = first_line.count("\t") + 1
        if fields not in _LAYOUTS and "," in first_line and "\t" not in first_line:
            raise EventFormatError(
                f"{name}: not a GDELT event file: comma-separated without a header row "
                "(GDELT raw files are tab-separated; exports need a header naming "
                "GLOBALEVENTID)")
        usecols = set(GDELT.used_columns())
        return Layout(
            "\t", csv.QUOTE_NONE,
            {n: list(columns) for n, (columns, _) in _LAYOUTS.items()},
            {n: label for n, (_, label) in _LAYOUTS.items()},
            False, usecols,
        )

    return detect


def read_gdelt(
    paths: str | os.PathLike | Iterable[str | os.PathLike],
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
    """Read GDELT event files as a temporal graph, with a report on every row.

    Parameters
    ----------
    paths : path or list of paths
        GDELT files: raw GDELT 1.0 (57 or 58 tab-separated fields, mixed in one file if
        need be) or 2.0 (61 fields) export files, or exports with a header row (comma or
        tab, ``NA`` for empty); plain, ``.gz`` or ``.zip`` (every file in the archive).
        Glob patterns are expanded. Files larger than memory are read in chunks.
    key : {"country", "actor", "name"}
        Actors are keyed by ``Actor1CountryCode`` / ``Actor2CountryCode`` (default;
        ISO 3166 alpha-3, plus CAMEO regions such as ``EUR``), by the full CAMEO actor
        code (``Actor1Code``, e.g. ``RUSGOV``) or by ``Actor1Name``.
    dedupe : {"event", "day", "none"}
        Merge rows repeated for one event (default ``"event"``: same day, actor codes,
        CAMEO code and action location); ``"day"``: one per dyad, code and day;
        ``"none"``: keep all. Merged rows are counted in ``report.merged``; the kept row
        sums their ``NumMentions``, ``NumSources`` and ``NumArticles`` (see
        :func:`graphkit.io.events.merge_repeats`).
    nonstate : {"separate", "drop", "state"}
        Actors whose CAMEO role does not speak for the state (``ISRCVL``, ``RUSMED``)
        under ``key="country"``: own entities ``ISR-CVL`` (default), left out, or
        counted as the state (see :mod:`graphkit.io.events.roles`).
    organisations : bool
        ``IGO`` actors (``IGOUNO``, ``IGOEEC``) become ``organisation`` entities
        (``UN``, ``EU``) instead of being skipped.
    cameo_map : CameoMap, path or DataFrame, optional
        Your own rows for the CAMEO code -> relation type map
        (see :func:`graphkit.io.cameo.load_cameo_map`).
    weights : {"file", "table"}
        Weight each event by its ``GoldsteinScale`` (default; the map's value when
        empty) or always by the map's value.
    chunk_bytes : int
        Bytes read at a time (default 32 MiB, about 100,000 GDELT rows).
    progress : bool, optional
        Show a progress bar; by default only when standard error is a terminal.

    Returns
    -------
    tg : TemporalGraph
        One entity per actor key, one event relation per imported row (see
        :mod:`graphkit.io.events` for the columns).
    report : ImportReport
        Rows read, imported and skipped by reason; ``print(report)`` to read it.

    Raises
    ------
    graphkit.io.events.EventFileError
        A file is missing.
    graphkit.io.events.EventFormatError
        A file is not in a GDELT layout.

    Examples
    --------
    >>> from graphkit.io import read_gdelt
    >>> tg, report = read_gdelt("data/events_sample/synthetic_gdelt_2023.tsv")
    >>> report.rows_read == report.imported + report.merged + sum(report.skipped.values())
    True
    >>> tg.relations[["source", "target", "type", "weight"]].head(2)  # doctest: +SKIP
    """
    return import_events(paths, GDELT, _detector(key), key=key, dedupe=dedupe,
                         nonstate=nonstate, organisations=organisations,
                         cameo_map=cameo_map, weights=weights, chunk_bytes=chunk_bytes,
                         progress=progress)
