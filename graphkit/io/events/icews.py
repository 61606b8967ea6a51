"""Import ICEWS coded event files.

ICEWS publishes tab-separated files with a header row (``Event ID``, ``Event Date``,
``Source Name``, ``Source Sectors``, ``Source Country``, ``Event Text``, ``CAMEO Code``,
``Intensity``, ``Target Name``, ...). Countries are names, not codes: they are mapped to
ISO 3166 alpha-3 codes with the shipped country table (names it does not know are kept as
they are and listed in the report). CAMEO codes that lost their leading zeros in a
spreadsheet (``43`` for ``043``) are restored.

References
----------
Boschee, E., Lautenschlager, J., O'Brien, S., Shellman, S., Starz, J., & Ward, M. (2015).
ICEWS Coded Event Data. Harvard Dataverse. doi:10.7910/DVN/28075
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import pandas as pd

from graphkit.io.cameo import CameoMap
from graphkit.io.events.importer import CHUNK_BYTES, header_detector, import_events
from graphkit.io.events.registry import register_schema
from graphkit.io.events.report import ImportReport
from graphkit.io.events.schema import EventSchema
from graphkit.model.temporal import TemporalGraph

__all__ = ["ICEWS", "ICEWS_COLUMNS", "read_icews"]

#: The columns of ICEWS event files, in order.
ICEWS_COLUMNS = [
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country",
    "Event Text", "CAMEO Code", "Intensity", "Target Name", "Target Sectors",
    "Target Country", "Story ID", "Sentence Number", "Publisher", "City", "District",
    "Province", "Country", "Latitude", "Longitude",
]

#: Where the pieces of an event are in ICEWS files.
ICEWS = register_schema(EventSchema(
    label="ICEWS",
    date="Event Date",
    date_format="%Y-%m-%d",
    code="CAMEO Code",
    event_id="Event ID",
    weight="Intensity",
    source_name="Source Name",
    target_name="Target Name",
    source_country="Source Country",
    target_country="Target Country",
    country_names=True,
    source_roles="Source Sectors",
    target_roles="Target Sectors",
    role_kind="icews",
    story="Story ID",
    description="Event Text",
    ref_columns=(("story ", "Story ID"), ("", "Publisher")),
    extras=(
        ("source_sectors", "Source Sectors", "str"),
        ("target_sectors", "Target Sectors", "str"),
        ("sentence", "Sentence Number", "int"),
        ("action_country", "Country", "str"),
        ("action_lat", "Latitude", "float"),
        ("action_long", "Longitude", "float"),
    ),
    na_values=("NA",),
    min_code_digits=3,
), "icews")


def read_icews(
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
    """Read ICEWS event files as a temporal graph, with a report on every row.

    Parameters
    ----------
    paths : path or list of paths
        ICEWS files with their header row, tab- or comma-separated, plain, ``.gz`` or
        ``.zip``; glob patterns are expanded. ``NA`` cells count as empty.
    key : {"country", "actor", "name"}
        Actors are keyed by ``Source Country`` / ``Target Country`` mapped to ISO 3166
        alpha-3 (default), by country and role from the actor's sectors (``"actor"``:
        ``ISR-GOV``, ``ISR-MIL``, ``ISR-CVL``, each linked to its state in the entities'
        ``via`` column), or by ``Source Name`` / ``Target Name`` as written.
    dedupe : {"event", "day", "none"}
        Merge the rows of one event (default ``"event"``: same day, source and target
        names and keys, CAMEO code and ``Story ID``: one event coded from several
        sentences of a story); ``"day"`` also merges across stories; ``"none"`` keeps
        all. The kept row has ``story_id``, ``duplicates`` and ``merged_event_ids``.
    nonstate : {"separate", "drop", "state"}
        Under country keying only the country itself and actors whose sectors are
        government, military, police, judiciary (and ministries, legislature) count
        as the state; others (citizens, media, business, parties, opposition, armed
        groups) become ``IRN-CVL``-style entities, are left out, or (``"state"``)
        count as the state. See :mod:`graphkit.io.events.roles`.
    organisations : bool
        Actors with no country and an IGO sector (European Union, United Nations)
        become ``organisation`` entities (``EU``, ``UN``) instead of being skipped.
    cameo_map, weights, chunk_bytes, progress
        As for :func:`graphkit.io.read_gdelt`; weights come from ``Intensity``.

    Returns
    -------
    (TemporalGraph, ImportReport)

    Examples
    --------
    >>> from graphkit.io import read_icews
    >>> tg, report = read_icews("events.2018.tab")  # doctest: +SKIP
    >>> print(report)  # doctest: +SKIP
    """
    detect = header_detector(ICEWS, key, "ICEWS")
    return import_events(paths, ICEWS, detect, key=key, dedupe=dedupe, nonstate=nonstate,
                         organisations=organisations, cameo_map=cameo_map,
                         weights=weights, chunk_bytes=chunk_bytes, progress=progress)
