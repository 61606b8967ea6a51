"""Import CAMEO-coded event data (GDELT, ICEWS and other tables) as a temporal graph.

Each row of an event file says that on some day a source actor did something, coded with
a CAMEO event code, to a target actor. The importers turn every usable row into one
relation (an event: a point in time) and every actor into one entity, and account for
every row they read in an :class:`ImportReport`: ``rows_read == imported + skipped``,
always, with each skipped row counted under the first reason that applies:

=============================== =========================================================
``malformed row (...)``         wrong number of fields, unbalanced quotes, a date that is
                                not a date, a weight that is not a number in -10..10
                                (file and line listed in ``report.malformed``)
``no first actor``              no source actor at all (no code, name or country)
``no second actor``             no target actor (GDELT codes many one-actor events)
``no country code``             an actor without a country (``key="country"``); likewise
                                ``no actor code`` / ``no actor name`` for the other keys
``no CAMEO code``               the event code is empty
``unknown CAMEO code``          no known base or root code (other unknown codes are kept,
                                typed by their base or root code, and listed)
``same actor on both sides``    source and target have the same key (domestic events
                                when actors are keyed by country)
``duplicate``                   with ``dedupe=True``: a second event with the same
                                source, target, CAMEO code and day
=============================== =========================================================

Relations made from an event:

* ``source`` / ``target``: the actors' keys (``key="country"``: ISO 3166 alpha-3 codes,
  legacy CAMEO codes such as ``ROM`` replaced by their ISO code; ``"actor"``: the full
  CAMEO actor code such as ``RUSGOV``; ``"name"``: the actor's name);
* ``type``, default weight and quad class from the CAMEO map (:mod:`graphkit.io.cameo`);
* ``start``: the event day; ``end``: empty, or the same day for the few codes mapped to a
  durable type (sanctions, ceasefire, blockade, peacekeeping): an event is a report on a
  day, not a regime in force;
* ``weight``: the file's Goldstein score (GDELT ``GoldsteinScale``, ICEWS ``Intensity``)
  when given, else the map's; ``sign``: the sign of that weight (0 for a neutral 0.0), so
  ``signed_weight`` equals the Goldstein score whatever the type;
* ``quad_class``: the file's (GDELT ``QuadClass``) when valid, else the map's;
* ``evidence``: the event's description and code, e.g. ``Hosts a visit (CAMEO 043)``;
* ``source_ref``: data set, event id and the article URL or story when given;
* extra columns: ``event_id``, ``cameo_code`` and, per data set, actor codes and names,
  mention counts, tone and the event's location.

The per-chunk transform :func:`events_to_relations` is a pure function of a DataFrame, so
it can be mapped over the partitions of a dask DataFrame.

The package, one job per module (each imports only those above it):

====================== ================================================================
``errors``             the errors an import raises
``schema``             :class:`EventSchema` (where a table keeps each piece of an event)
                       and :class:`Layout` (how a file's lines split into fields)
``roles``              who acts for whom: actor roles and international organisations
``report``             :class:`ImportReport`: every row read is imported, merged or skipped
``registry``           schemas known by name (``"gdelt"``, ``"icews"``); data sets register
``sources``            files, glob patterns, zip members, gzip, the expansion limit
``lines``              the byte-level line splitter and parser
``entities``           actor keys per side of an event, and the entity table
``dedupe``             merging the rows that report one event
``transform``          a chunk of raw rows to relations (:func:`events_to_relations`)
``importer``           the driver: files to report and graph (:func:`read_cameo`)
``gdelt``, ``icews``   the two data sets: their columns, schema and reader
====================== ================================================================

The CAMEO map and the country table are :mod:`graphkit.io.cameo`. A new data set is a
module like ``gdelt``: an :class:`EventSchema` passed to :func:`register_schema`, a
layout detector (:func:`header_detector` for files with a header row) and a reader calling
:func:`import_events`.

References
----------
Leetaru, K., & Schrodt, P. A. (2013). GDELT: Global data on events, location, and tone,
1979-2012. *ISA Annual Convention*.

Boschee, E., Lautenschlager, J., O'Brien, S., Shellman, S., Starz, J., & Ward, M. (2015).
ICEWS Coded Event Data. Harvard Dataverse. doi:10.7910/DVN/28075
"""

from graphkit.io.events.dedupe import DEDUPE_MODES, merge_repeats
from graphkit.io.events.errors import EventFileError, EventFormatError
from graphkit.io.events.gdelt import GDELT, read_gdelt
from graphkit.io.events.icews import ICEWS, read_icews
from graphkit.io.events.importer import CHUNK_BYTES, header_detector, import_events, read_cameo
from graphkit.io.events.lines import MAX_LINE_BYTES
from graphkit.io.events.registry import get_schema, register_schema, schema_names
from graphkit.io.events.report import MALFORMED_LIMIT, REASON_ORDER, ImportReport
from graphkit.io.events.schema import KEYS, EventSchema, Layout
from graphkit.io.events.sources import MAX_EXPANSION, MIN_EXPANSION_LIMIT
from graphkit.io.events.transform import events_to_relations

__all__ = [
    "CHUNK_BYTES",
    "DEDUPE_MODES",
    "GDELT",
    "ICEWS",
    "KEYS",
    "MALFORMED_LIMIT",
    "MAX_EXPANSION",
    "MAX_LINE_BYTES",
    "MIN_EXPANSION_LIMIT",
    "REASON_ORDER",
    "EventFileError",
    "EventFormatError",
    "EventSchema",
    "ImportReport",
    "Layout",
    "events_to_relations",
    "get_schema",
    "header_detector",
    "import_events",
    "merge_repeats",
    "read_cameo",
    "read_gdelt",
    "read_icews",
    "register_schema",
    "schema_names",
]
