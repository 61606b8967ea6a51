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

References
----------
Leetaru, K., & Schrodt, P. A. (2013). GDELT: Global data on events, location, and tone,
1979-2012. *ISA Annual Convention*.

Boschee, E., Lautenschlager, J., O'Brien, S., Shellman, S., Starz, J., & Ward, M. (2015).
ICEWS Coded Event Data. Harvard Dataverse. doi:10.7910/DVN/28075
"""

from __future__ import annotations

import contextlib
import csv
import glob
import gzip
import io
import os
import re
import sys
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import numpy as np
import pandas as pd

from graphkit.core.dates import parse_partial_dates
from graphkit.io.cameo import (
    CameoMap,
    country_names,
    country_table,
    import_vocabulary,
    load_cameo_map,
    names_to_countries,
    normalize_codes,
    normalize_country_codes,
)
from graphkit.model.temporal import TemporalGraph

__all__ = [
    "KEYS",
    "EventFileError",
    "EventFormatError",
    "EventSchema",
    "ImportReport",
    "events_to_relations",
    "read_cameo",
]

#: How actors can be keyed.
KEYS = ("country", "actor", "name")
#: Chunk size in bytes for reading files (about 100,000 GDELT rows).
CHUNK_BYTES = 32 * 2**20
#: At most this many malformed rows are listed one by one in a report (all are counted).
MALFORMED_LIMIT = 1000
#: Bytes in one line of an event file (a GDELT row is under 2 KB); a longer line is an
#: error, so a file of one huge line cannot take the memory of the machine.
MAX_LINE_BYTES = 1 << 20
#: Bytes a compressed file may expand to: this many times its compressed size, and at
#: least :data:`MIN_EXPANSION_LIMIT` (event files compress about 10 times).
MAX_EXPANSION = 100
MIN_EXPANSION_LIMIT = 1 << 30

REASON_ORDER = [
    "malformed row (wrong number of fields)",
    "malformed row (unbalanced quotes)",
    "malformed row (bad date)",
    "malformed row (bad weight)",
    "no first actor",
    "no second actor",
    "no country code",
    "no actor code",
    "no actor name",
    "no CAMEO code",
    "unknown CAMEO code",
    "non-state actor (left out)",
    "same actor on both sides",
]
#: How repeated rows of one event are merged (``dedupe=``).
DEDUPE_MODES = ("event", "day", "none")
_MISSING_KEY = {"country": "no country code", "actor": "no actor code", "name": "no actor name"}


class EventFileError(ValueError):
    """An input file is missing or cannot be opened."""


class EventFormatError(ValueError):
    """An input file is not in the expected layout (not an event file of that kind)."""


# ----------------------------------------------------------------------------- schema


@dataclass(frozen=True)
class EventSchema:
    """Where a CAMEO-coded table keeps each piece of an event.

    Column names refer to the table's header (for GDELT files without a header, to the
    GDELT column names). Only ``date`` and ``code`` are required; give the actor columns
    for the keys you want to use.

    Parameters
    ----------
    label : str
        Name of the data set, used in ``source_ref`` and the report (``"GDELT"``).
    date, code : str
        Event day and CAMEO event code columns.
    date_format : str
        ``"%Y%m%d"`` (GDELT ``SQLDATE``), ``"%Y-%m-%d"`` or any ``strptime`` format.
    event_id, weight, quad_class : str, optional
        Event identifier, Goldstein-scaled weight and CAMEO quad class columns.
    source_actor, target_actor : str, optional
        Full CAMEO actor codes (``RUSGOV``), for ``key="actor"``.
    source_name, target_name : str, optional
        Actor names, for ``key="name"`` and entity names.
    source_country, target_country : str, optional
        Actor countries, for ``key="country"``: codes, or names when ``country_names``.
    source_roles, target_roles : str, optional
        Columns saying which role an actor plays: ICEWS sectors (``role_kind="icews"``)
        or GDELT type codes (``role_kind="cameo"``, read with the actor code); see
        :mod:`graphkit.io.roles`.
    role_kind : {"", "icews", "cameo"}
        How to read actor roles; ``""``: every actor speaks for its country.
    story : str, optional
        The story (article) an event was coded from (ICEWS ``Story ID``), kept as
        ``story_id`` and part of an event's identity when merging repeats.
    same_event : tuple of str
        Relation columns (besides source, target, CAMEO code and day) that must agree
        for two rows to be one event (GDELT: the action's location).
    country_names : bool
        Countries are given as names (ICEWS) and mapped to ISO 3166 alpha-3 codes.
    description : str, optional
        A column describing the event (ICEWS ``Event Text``); else the map's description.
    ref_columns : tuple of (prefix, column)
        Columns appended to ``source_ref`` (the article URL, a story id).
    extras : tuple of (name, column, kind)
        Columns kept on each relation under ``name``; ``kind`` is ``"str"``, ``"int"``,
        ``"float"`` or ``"bool"``.
    na_values : tuple of str
        Cell values meaning "empty" (``("NA",)`` for files written by R).
    min_code_digits : int
        Shortest CAMEO code in the table (3 for event codes; 2 for root-level tables).
    aliases : tuple of (alias, column)
        Other header spellings of columns (matched ignoring case and punctuation).

    Examples
    --------
    A table of your own with a header ``day,from,to,cameo,goldstein``:

    >>> schema = EventSchema("mine", date="day", date_format="%Y-%m-%d", code="cameo",
    ...                      source_country="from", target_country="to", weight="goldstein")
    """

    label: str
    date: str
    code: str
    date_format: str = "%Y%m%d"
    event_id: str | None = None
    weight: str | None = None
    quad_class: str | None = None
    source_actor: str | None = None
    target_actor: str | None = None
    source_name: str | None = None
    target_name: str | None = None
    source_country: str | None = None
    target_country: str | None = None
    source_roles: str | None = None
    target_roles: str | None = None
    role_kind: str = ""
    story: str | None = None
    same_event: tuple[str, ...] = ()
    country_names: bool = False
    description: str | None = None
    ref_columns: tuple[tuple[str, str], ...] = ()
    extras: tuple[tuple[str, str, str], ...] = ()
    na_values: tuple[str, ...] = ()
    min_code_digits: int = 3
    aliases: tuple[tuple[str, str], ...] = ()

    def _pairs(self) -> dict[str, tuple[str | None, str | None]]:
        return {"country": (self.source_country, self.target_country),
                "actor": (self.source_actor, self.target_actor),
                "name": (self.source_name, self.target_name)}

    def key_columns(self, key: str) -> tuple[str, str]:
        """Source and target columns for ``key``; ``ValueError`` if the schema has none."""
        if key not in KEYS:
            raise ValueError(f"key must be one of {', '.join(KEYS)}, not {key!r}")
        pairs = self._pairs()
        if key == "actor" and not all(pairs[key]) and self.role_kind and all(
                pairs["country"]):  # actors from country and role (ICEWS)
            return pairs["country"]  # type: ignore[return-value]
        if not all(pairs[key]):
            usable = [k for k in KEYS if all(pairs[k])]
            raise ValueError(f"{self.label} data has no {key} columns: key must be one of "
                             f"{', '.join(usable)}")
        return pairs[key]  # type: ignore[return-value]

    def used_columns(self) -> list[str]:
        """Raw columns the transform reads."""
        columns = [self.date, self.code, self.event_id, self.weight, self.quad_class,
                   self.source_actor, self.target_actor, self.source_name, self.target_name,
                   self.source_country, self.target_country, self.description,
                   self.source_roles, self.target_roles, self.story]
        columns += [c for _, c in self.ref_columns] + [c for _, c, _ in self.extras]
        return list(dict.fromkeys(c for c in columns if c))

    def required_columns(self, key: str) -> list[str]:
        """Columns a file must have to be imported with ``key``."""
        return [self.date, self.code, *self.key_columns(key)]

    def canonical(self, names: Iterable[str]) -> list[str]:
        """Header names mapped to this schema's column names (ignoring case/punctuation)."""
        known = {_norm_column(c): c for c in self.used_columns()}
        known.update({_norm_column(a): c for a, c in self.aliases})
        return [known.get(_norm_column(n), n) for n in names]


def _a(label: str) -> str:
    return ("an " if label[:1].upper() in "AEIOU" else "a ") + label


def _norm_column(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


def _schema(schema: EventSchema | str) -> EventSchema:
    if isinstance(schema, EventSchema):
        return schema
    name = str(schema).lower()
    if name == "gdelt":
        from graphkit.io.gdelt import GDELT
        return GDELT
    if name == "icews":
        from graphkit.io.icews import ICEWS
        return ICEWS
    raise ValueError(f"unknown event schema {schema!r}: use 'gdelt', 'icews' or an EventSchema")


# ----------------------------------------------------------------------------- report


@dataclass
class ImportReport:
    """What an import read, kept and skipped, and why.

    ``rows_read == imported + merged + sum(skipped.values())`` always holds (checked at
    the end of every import by :meth:`check`).

    Attributes
    ----------
    source : str
        Data set (``"GDELT"``, ``"ICEWS"``, ...).
    files : list of str
        Files read (``archive.zip:member`` for members of zip archives).
    rows_read : int
        Data rows read (non-blank lines after the header).
    imported : int
        Relations in the graph.
    skipped : dict
        Reason -> number of rows skipped for it (the first reason that applies).
    malformed : list of (file, line, reason)
        Malformed rows, with their line number in the file (header = line 1); at most
        :data:`MALFORMED_LIMIT` listed, all counted in ``skipped``.
    unknown_codes : dict
        CAMEO codes not in the map -> rows carrying them (kept via their base or root
        code when it is known, else skipped as ``unknown CAMEO code``).
    unknown_actors : dict
        With ``key="country"``: country codes (GDELT) or names (ICEWS) not in the
        country table -> imported relations naming them (kept, as entities of type
        ``unknown``).
    restored_codes : dict
        ``"43 -> 043"`` -> rows whose CAMEO code had lost its leading zero.
    ambiguous_codes : dict
        Codes readable two ways (kept as written) -> rows.
    formats : dict
        Layout -> rows read in it (GDELT 1.0 files mix 57- and 58-field rows).
    blank_lines : int
        Empty lines (not rows: not counted in ``rows_read``).
    undecodable_lines : int
        Lines holding bytes that are not UTF-8 (e.g. a Latin-1 ``é``); they are read with
        U+FFFD in place of those bytes.
    merged : int
        Rows merged into another row of the same event (``dedupe``), in
        ``merged_groups`` events; ``merge_rule`` says which columns had to agree.
    roles : dict
        Role label (:data:`graphkit.io.roles.ROLE_TYPES`) -> actor sides of the
        imported relations playing it.
    organisations : dict
        International organisation id -> actor sides of imported relations.
    key, dedupe, nonstate, map_version
        Options of the import.
    """

    source: str
    files: list[str] = field(default_factory=list)
    rows_read: int = 0
    imported: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    malformed: list[tuple[str, int, str]] = field(default_factory=list)
    unknown_codes: dict[str, int] = field(default_factory=dict)
    unknown_actors: dict[str, int] = field(default_factory=dict)
    restored_codes: dict[str, int] = field(default_factory=dict)
    ambiguous_codes: dict[str, int] = field(default_factory=dict)
    formats: dict[str, int] = field(default_factory=dict)
    blank_lines: int = 0
    undecodable_lines: int = 0
    key: str = "country"
    dedupe: str = "event"
    map_version: str = ""
    merged: int = 0
    merge_rule: str = ""
    merged_groups: int = 0
    roles: dict[str, int] = field(default_factory=dict)
    organisations: dict[str, int] = field(default_factory=dict)
    nonstate: str = "separate"

    @property
    def skipped_total(self) -> int:
        return int(sum(self.skipped.values()))

    def check(self) -> None:
        """Raise ``AssertionError`` unless every row read is imported or skipped."""
        if self.rows_read != self.imported + self.merged + self.skipped_total:
            raise AssertionError(
                f"import report does not add up: {self.rows_read} rows read != "
                f"{self.imported} imported + {self.merged} merged + "
                f"{self.skipped_total} skipped")

    def _sorted_skips(self) -> list[tuple[str, int]]:
        order = {r: i for i, r in enumerate(REASON_ORDER)}
        return sorted(((r, n) for r, n in self.skipped.items() if n),
                      key=lambda item: (order.get(item[0], len(order)), item[0]))

    def to_frame(self) -> pd.DataFrame:
        """The counts as a tidy table: ``count`` per ``category`` and ``reason``."""
        rows = [("read", "", self.rows_read), ("imported", "", self.imported),
                ("merged", self.merge_rule, self.merged)]
        rows += [("skipped", reason, n) for reason, n in self._sorted_skips()]
        return pd.DataFrame(rows, columns=["category", "reason", "count"])

    def to_dict(self) -> dict:
        """The report as plain JSON-ready values (the ``malformed`` list cut at 100)."""
        return {
            "source": self.source, "files": list(self.files), "rows_read": self.rows_read,
            "imported": self.imported, "skipped": dict(self._sorted_skips()),
            "malformed": [list(m) for m in self.malformed[:100]],
            "unknown_codes": dict(self.unknown_codes),
            "unknown_actors": dict(self.unknown_actors),
            "restored_codes": dict(self.restored_codes),
            "ambiguous_codes": dict(self.ambiguous_codes), "formats": dict(self.formats),
            "blank_lines": self.blank_lines, "undecodable_lines": self.undecodable_lines,
            "key": self.key, "dedupe": self.dedupe,
            "map_version": self.map_version, "merged": self.merged,
            "merged_groups": self.merged_groups, "merge_rule": self.merge_rule,
            "nonstate": self.nonstate, "roles": dict(self.roles),
            "organisations": dict(self.organisations),
        }

    def _add(self, stats: dict) -> None:
        self.rows_read += stats["rows"]
        for name in ("skipped", "unknown_codes", "restored_codes", "ambiguous_codes",
                     "formats", "roles", "organisations"):
            target = getattr(self, name)
            for k, n in stats.get(name, {}).items():
                target[k] = target.get(k, 0) + int(n)
        room = MALFORMED_LIMIT - len(self.malformed)
        if room > 0:
            self.malformed.extend(stats.get("malformed", [])[:room])
        self.blank_lines += stats.get("blank", 0)

    @staticmethod
    def _top(counts: dict[str, int], limit: int = 15) -> str:
        if not counts:
            return "none"
        items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        text = ", ".join(f"{k} ({n})" for k, n in items[:limit])
        return text + (f", ... ({len(items) - limit} more)" if len(items) > limit else "")

    def __str__(self) -> str:
        n_files = len(self.files)
        lines = [
            f"{self.source} import: {n_files} file{'s' if n_files != 1 else ''}, "
            f"{self.rows_read} rows read, {self.imported} imported, "
            f"{self.merged} merged, {self.skipped_total} skipped",
        ]
        lines += [f"  file: {f}" for f in self.files[:10]]
        if n_files > 10:
            lines.append(f"  ... and {n_files - 10} more files")
        if self.formats:
            lines.append("  formats: " + "; ".join(f"{k}: {n} rows"
                                                   for k, n in sorted(self.formats.items())))
        lines.append(f"  actors keyed by {self.key}; CAMEO map version {self.map_version}")
        if self.dedupe == "none":
            lines.append("  repeated rows of one event: all kept (dedupe='none')")
        else:
            lines.append(f"  merged: {self.merged} rows into {self.merged_groups} events "
                         f"(dedupe={self.dedupe!r}: one event per {self.merge_rule})")
        lines += self._role_lines()
        width = max([len(r) for r, _ in self._sorted_skips()] + [10])
        if self.skipped_total:
            lines.append("  skipped:")
            lines += [f"    {r:<{width}}  {n:>9}" for r, n in self._sorted_skips()]
        lines.append(f"  unknown CAMEO codes: {self._top(self.unknown_codes)}")
        restored = sum(self.restored_codes.values())
        lines.append(f"  leading zeros restored: {restored} rows"
                     + (f" ({self._top(self.restored_codes, 5)})" if restored else ""))
        if self.ambiguous_codes:
            lines.append(f"  ambiguous codes kept as written: {self._top(self.ambiguous_codes)}")
        lines.append(f"  unknown actors (kept): {self._top(self.unknown_actors)}")
        n_bad = sum(n for r, n in self.skipped.items() if r.startswith("malformed"))
        if n_bad:
            lines.append(f"  malformed rows: {n_bad}")
            lines += [f"    {f}:{line}: {why}" for f, line, why in self.malformed[:20]]
            if n_bad > 20:
                lines.append(f"    ... and {n_bad - 20} more (report.malformed)")
        if self.blank_lines:
            lines.append(f"  blank lines ignored: {self.blank_lines}")
        if self.undecodable_lines:
            lines.append(f"  lines with bytes that are not UTF-8 (read as U+FFFD): "
                         f"{self.undecodable_lines}")
        lines.append(f"  check: {self.rows_read} read = {self.imported} imported + "
                     f"{self.merged} merged + {self.skipped_total} skipped")
        return "\n".join(lines)

    def _role_lines(self) -> list[str]:
        from graphkit.io.roles import ROLE_TYPES

        if not self.roles:
            return []
        state = {"separate": "kept as their own entities (ISR-CVL)",
                 "drop": "left out (skipped 'non-state actor (left out)')",
                 "state": "counted as their state"}[self.nonstate]
        lines = []
        if self.key == "country":
            lines.append("  who acts for whom: the country itself, government, military, "
                         f"police, judiciary, intelligence count as the state; other roles "
                         f"{state}")
        labels = {code: label for code, (_, label) in ROLE_TYPES.items()}
        counts = {labels.get(r, r): n for r, n in self.roles.items()}
        lines.append(f"  actor roles (relation ends): {self._top(counts, 25)}")
        if self.organisations:
            lines.append(f"  organisations (relation ends): {self._top(self.organisations)}")
        return lines

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{escape(c)}</td><td>{escape(r)}</td>"
            f"<td style='text-align:right'>{n}</td></tr>"
            for c, r, n in self.to_frame().itertuples(index=False)
        )
        extra = (f"<p><em>unknown CAMEO codes:</em> {escape(self._top(self.unknown_codes))}"
                 f"<br><em>unknown actors (kept):</em> {escape(self._top(self.unknown_actors))}"
                 f"<br><em>leading zeros restored:</em> {sum(self.restored_codes.values())}"
                 f" rows<br><em>malformed rows listed:</em> {len(self.malformed)}</p>")
        return (f"<div class='graphkit-import-report'><strong>{escape(self.source)} import"
                f"</strong> ({len(self.files)} files, actors keyed by {escape(self.key)})"
                f"<table><tr><th>category</th><th>reason</th><th>count</th></tr>{rows}"
                f"</table>{extra}</div>")


# -------------------------------------------------------------------------- transform


def _column(chunk: pd.DataFrame, name: str | None, na: tuple[str, ...]) -> pd.Series:
    if not name or name not in chunk.columns:
        return pd.Series("", index=chunk.index, dtype="str")
    values = chunk[name].astype("str").fillna("").str.strip()
    if na:
        values = values.mask(values.isin(na), "")
    return values


def _days(values: pd.Series, date_format: str) -> pd.Series:
    """Event days as ``YYYY-MM-DD`` text, ``""`` where not a valid date."""
    codes, uniques = pd.factorize(values)
    text = pd.Series(uniques, dtype="str")
    if date_format == "%Y%m%d":
        ok = text.str.fullmatch(r"\d{8}")
        iso = (text.str[:4] + "-" + text.str[4:6] + "-" + text.str[6:8]).where(ok, "")
    elif date_format == "%Y-%m-%d":
        ok = text.str.match(r"^\d{4}-\d{2}-\d{2}(?:$|[ T])")
        iso = text.str[:10].where(ok, "")
    else:
        parsed = pd.to_datetime(text, format=date_format, errors="coerce")
        iso = pd.Series(parsed.dt.strftime("%Y-%m-%d"), dtype="str").fillna("")
    checked = parse_partial_dates(iso.fillna(""))
    valid = checked["error"].isna() & checked["start"].notna() & (checked["precision"] == "D")
    days = np.where(valid.to_numpy(), iso.fillna("").to_numpy(dtype=object), "")
    days = np.append(days.astype(object), "")
    return pd.Series(days[codes], index=values.index, dtype="str")


@dataclass
class _Side:
    """One side of the events of a chunk: the key and what it was made from."""

    value: pd.Series      # the actor's key ("" when it has none)
    present: pd.Series    # the row names an actor at all
    unknown: pd.Series    # the key is a country the table lacks
    role: pd.Series       # CAMEO role code (graphkit.io.roles), "" = the country itself
    state: pd.Series      # the actor's country code ("" for organisations)
    dropped: pd.Series    # left out by nonstate="drop"


def _roles(chunk: pd.DataFrame, schema: EventSchema, side: str, actor: pd.Series,
           name: pd.Series, country: pd.Series) -> pd.Series:
    from graphkit.io.roles import gdelt_roles, icews_roles

    column = getattr(schema, f"{side}_roles")
    if schema.role_kind == "icews":
        return icews_roles(name, _column(chunk, column, schema.na_values), country)
    if schema.role_kind == "cameo":
        types = _column(chunk, column, schema.na_values) if column else None
        return gdelt_roles(actor, country, types)
    return pd.Series("", index=chunk.index, dtype="str")


def _keys(chunk: pd.DataFrame, schema: EventSchema, key: str, side: str,
          nonstate: str = "separate", organisations: bool = True) -> _Side:
    """The actor keys of one side, with their roles (see :mod:`graphkit.io.roles`)."""
    from graphkit.io.roles import STATE_ROLES, organisation_ids

    na = schema.na_values
    actor = _column(chunk, getattr(schema, f"{side}_actor"), na)
    name = _column(chunk, getattr(schema, f"{side}_name"), na)
    country = _column(chunk, getattr(schema, f"{side}_country"), na)
    present = (actor != "") | (name != "") | (country != "")
    unknown = pd.Series(False, index=chunk.index)
    dropped = pd.Series(False, index=chunk.index)
    if schema.country_names:
        codes = names_to_countries(country)
        unknown = (codes == "") & (country != "")
        state = codes.where(~unknown, country)
    else:
        state = normalize_country_codes(country)
        unknown = ~state.isin(country_table().index) & (state != "")
    role = _roles(chunk, schema, side, actor, name, country)
    if key == "name":
        value = name
    elif key == "actor" and schema.source_actor:
        value = actor.str.upper()
    else:
        suffixed = state.where((role == "") | (state == ""), state + "-" + role)
        if key == "actor":  # no actor codes (ICEWS): country and role
            value = suffixed
        elif nonstate == "separate":
            value = state.where(role.isin(STATE_ROLES), suffixed)
        else:
            value = state
            if nonstate == "drop":
                dropped = ~role.isin(STATE_ROLES) & (state != "") & (role != "IGO")
    if organisations and key != "name":
        # an organisation: no country and an IGO role, or an IGO role with a country
        # (ICEWS: a person acting for a body, keyed by the body when the table knows
        # the name, else by the name)
        body = (role == "IGO") | ((state == "") & actor.str.upper().str.startswith("IGO"))
        if body.any():
            ids = organisation_ids(name.where(body, ""), actor.where(body, ""))
            fallback = actor.str.upper().where(actor != "", name)
            org = ids.where(ids != "", fallback).where(body, "")
            value = value.where(org == "", org)
            role = role.where(org == "", "IGO")
    return _Side(value.astype("str"), present, unknown, role.astype("str"),
                 state.astype("str"), dropped)


def _numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``(numbers, bad)``: numbers (NaN where empty) and non-empty cells not numbers."""
    empty = (values == "").to_numpy()
    numbers = pd.to_numeric(values.where(~pd.Series(empty, index=values.index)),
                            errors="coerce").to_numpy(dtype=float)
    return numbers, np.isnan(numbers) & ~empty


def _transform(
    chunk: pd.DataFrame,
    schema: EventSchema,
    cmap: CameoMap,
    key: str,
    weights: str,
    keep_skipped: bool,
    file: str = "",
    nonstate: str = "separate",
    organisations: bool = True,
) -> tuple[pd.DataFrame, dict]:
    """Relations for the rows of one chunk, and the counts for the report."""
    na = schema.na_values
    n = len(chunk)
    reason = np.full(n, "", dtype=object)
    detail = np.full(n, "", dtype=object)

    def flag(mask: np.ndarray, why: str, values: pd.Series | None = None) -> None:
        mask = np.asarray(mask, dtype=bool) & (reason == "")
        reason[mask] = why
        if values is not None and mask.any():  # described: only the rows listed
            listed = np.flatnonzero(mask)[:MALFORMED_LIMIT]
            detail[listed] = [f"{why.removeprefix('malformed row (').rstrip(')')} {v!r}"
                              for v in values.to_numpy()[listed]]

    raw_date = _column(chunk, schema.date, na)
    day = _days(raw_date, schema.date_format)
    sides = {side: _keys(chunk, schema, key, side, nonstate, organisations)
             for side in ("source", "target")}
    src, tgt = sides["source"].value, sides["target"].value
    src_unknown, tgt_unknown = sides["source"].unknown, sides["target"].unknown
    raw_code = _column(chunk, schema.code, na)
    codes = normalize_codes(raw_code, cmap.codes, schema.min_code_digits)
    status = codes["status"].to_numpy(dtype=object)
    raw_weight = _column(chunk, schema.weight, na)
    file_weight, bad_weight = _numbers(raw_weight)
    bad_weight |= ~np.isnan(file_weight) & ((file_weight < -10) | (file_weight > 10))

    flag((day == "").to_numpy(), "malformed row (bad date)", raw_date)
    flag(~sides["source"].present.to_numpy(), "no first actor")
    flag(~sides["target"].present.to_numpy(), "no second actor")
    flag(((src == "") | (tgt == "")).to_numpy(), _MISSING_KEY[key])
    flag(status == "missing", "no CAMEO code")
    flag(status == "invalid", "unknown CAMEO code")
    flag(bad_weight, "malformed row (bad weight)", raw_weight)
    flag((sides["source"].dropped | sides["target"].dropped).to_numpy(),
         "non-state actor (left out)")
    flag((src == tgt).to_numpy(), "same actor on both sides")

    keep = reason == ""
    unknown_code = (status == "unknown") | (status == "invalid")
    restored = status == "restored"
    stats: dict = {
        "rows": n,
        "skipped": pd.Series(reason[~keep], dtype=object).value_counts().to_dict(),
        "unknown_codes": raw_code[unknown_code].value_counts().to_dict(),
        "ambiguous_codes": raw_code[status == "ambiguous"].value_counts().to_dict(),
        "restored_codes": (raw_code[restored] + " -> " + codes["code"][restored])
        .value_counts().to_dict() if restored.any() else {},
        "malformed": [],
    }
    bad = np.flatnonzero(pd.Series(reason, dtype=object).str.startswith("malformed")
                         .to_numpy(dtype=bool))[:MALFORMED_LIMIT]
    if len(bad):
        lines = chunk["_line"].to_numpy()[bad] if "_line" in chunk.columns else bad + 1
        stats["malformed"] = [(file, int(line), str(what))
                              for line, what in zip(lines, detail[bad], strict=True)]

    def sel(values: pd.Series) -> pd.Series:
        return values if keep_skipped else values[keep]

    entry = cmap.lookup(sel(codes["key"]))
    rtype = entry["relation_type"].astype("str").fillna("")
    weight = sel(pd.Series(file_weight, index=chunk.index))
    if weights == "table":
        weight = pd.Series(np.nan, index=weight.index)
    weight = weight.fillna(entry["goldstein"]).fillna(0.0).to_numpy(dtype=float)
    quad = pd.Series(np.nan, index=rtype.index)
    if schema.quad_class:
        quad = pd.Series(_numbers(sel(_column(chunk, schema.quad_class, na)))[0],
                         index=rtype.index)
        quad = quad.where(quad.isin([1, 2, 3, 4]))
    quad = quad.fillna(entry["quad_class"]).fillna(0).to_numpy().astype("int8")
    durable = rtype.map(import_vocabulary().column("durable")).fillna(False).astype(bool)
    start = sel(day)
    code = sel(codes["code"]).astype("str")
    description = entry["description"].astype("str").fillna("")
    if schema.description:
        given = sel(_column(chunk, schema.description, na))
        description = given.where(given != "", description)
    event_id = sel(_column(chunk, schema.event_id, na))
    ref = pd.Series(schema.label, index=event_id.index, dtype="str")
    ref = ref.where(event_id == "", ref + " " + event_id)
    for prefix, column in schema.ref_columns:
        part = sel(_column(chunk, column, na))
        ref = ref.where(part == "", ref + "; " + prefix + part)

    out = pd.DataFrame({
        "source": sel(src), "target": sel(tgt), "type": rtype, "start": start,
        "end": start.where(durable, ""), "weight": weight,
        "sign": np.sign(weight).astype("int8"), "directed": True, "quad_class": quad,
        "evidence": description + " (CAMEO " + code + ")", "source_ref": ref,
        "event_id": event_id, "cameo_code": code,
    })
    for side in ("source", "target"):
        for part in ("actor", "name"):
            column = getattr(schema, f"{side}_{part}")
            if column:
                value = sel(_column(chunk, column, na))
                out[f"{side}_{part}"] = value.str.upper() if part == "actor" else value
    if schema.story:
        out["story_id"] = sel(_column(chunk, schema.story, na))
    for side in ("source", "target"):
        out[f"{side}_role"] = sel(sides[side].role)
        out[f"{side}_state"] = sel(sides[side].state)
    for name, column, kind in schema.extras:
        value = sel(_column(chunk, column, na))
        if kind == "int":
            out[name] = pd.to_numeric(value.where(value != ""), errors="coerce") \
                .fillna(0).astype("int32").to_numpy()
        elif kind == "float":
            out[name] = pd.to_numeric(value.where(value != ""), errors="coerce") \
                .astype("float64").to_numpy()
        elif kind == "bool":
            out[name] = value.str.lower().isin(["1", "true"]).to_numpy()
        else:
            out[name] = value
    if keep_skipped:
        out["skip_reason"] = pd.Series(reason, index=chunk.index, dtype="str")
    else:
        stats["roles"] = pd.concat([out["source_role"], out["target_role"]]) \
            .value_counts().to_dict()
        orgs = pd.concat([out["source"][out["source_role"] == "IGO"],
                          out["target"][out["target_role"] == "IGO"]])
        stats["organisations"] = orgs.value_counts().to_dict()
        stats["unknown_actors"] = (
            pd.concat([out["source"][sel(src_unknown).to_numpy()],
                       out["target"][sel(tgt_unknown).to_numpy()]])
            .value_counts().to_dict())
    return out, stats


def events_to_relations(
    chunk: pd.DataFrame,
    schema: EventSchema | str = "gdelt",
    *,
    key: str = "country",
    cameo_map: CameoMap | str | os.PathLike | pd.DataFrame | None = None,
    weights: str = "file",
    keep_skipped: bool = False,
    nonstate: str = "separate",
    organisations: bool = True,
) -> pd.DataFrame:
    """Turn a table of CAMEO-coded events into graphkit relations (a pure function).

    Parameters
    ----------
    chunk : pandas.DataFrame
        Raw event rows as text, with the columns the schema names (GDELT: the GDELT
        column names; ICEWS: its header). Read with ``dtype=str`` so that codes keep
        their leading zeros.
    schema : EventSchema or {"gdelt", "icews"}
        Where each piece of an event is.
    key : {"country", "actor", "name"}
        How actors are keyed (see :mod:`graphkit.io.events`).
    cameo_map : CameoMap, path or DataFrame, optional
        The CAMEO map (default: the shipped one), see :func:`load_cameo_map`.
    weights : {"file", "table"}
        ``"file"``: the row's Goldstein score when present, else the map's; ``"table"``:
        always the map's.
    keep_skipped : bool
        Also return rows that would be skipped, with their reason in ``skip_reason``
        (``""`` for rows kept).
    nonstate : {"separate", "drop", "state"}
        Actors that do not speak for a state, under ``key="country"``: their own
        entities (``ISR-CVL``), left out, or counted as the state.
    organisations : bool
        International organisations become ``organisation`` entities (``EU``, ``UN``).

    Returns
    -------
    pandas.DataFrame
        One row per usable event, with the relation columns of graphkit (``source``,
        ``target``, ``type``, ``start``, ``end``, ``weight``, ``sign``, ``directed``,
        ``quad_class``, ``evidence``, ``source_ref``) and extras (``event_id``,
        ``cameo_code``, actor codes and names, per data set columns). Same index as
        ``chunk``. Pass it with the entities to :meth:`TemporalGraph.from_frames`, with
        ``vocabulary=graphkit.io.cameo.import_vocabulary()``.

    Examples
    --------
    Map it over the partitions of a dask DataFrame of GDELT rows:

    >>> import dask.dataframe as dd  # doctest: +SKIP
    >>> from graphkit.io.gdelt import GDELT1_COLUMNS
    >>> raw = dd.read_csv("*.export.CSV", sep="\\t", header=None, names=GDELT1_COLUMNS,
    ...                   dtype=str, keep_default_na=False, quoting=3)  # doctest: +SKIP
    >>> relations = raw.map_partitions(events_to_relations, "gdelt")  # doctest: +SKIP
    """
    schema = _schema(schema)
    schema.key_columns(key)
    if weights not in ("file", "table"):
        raise ValueError(f"weights must be 'file' or 'table', not {weights!r}")
    cmap = load_cameo_map(cameo_map)
    _check_options(nonstate, "none")
    out, _ = _transform(chunk, schema, cmap, key, weights, keep_skipped, "", nonstate,
                        organisations)
    return out


def _check_options(nonstate: str, dedupe: str | bool) -> str:
    """Check ``nonstate`` and return the dedupe mode (``True`` -> ``"day"``)."""
    from graphkit.io.roles import NONSTATE_OPTIONS

    if nonstate not in NONSTATE_OPTIONS:
        raise ValueError(f"nonstate must be one of {', '.join(NONSTATE_OPTIONS)}, "
                         f"not {nonstate!r}")
    mode = {True: "day", False: "none"}.get(dedupe, dedupe) \
        if isinstance(dedupe, bool) else dedupe
    if mode not in DEDUPE_MODES:
        raise ValueError(f"dedupe must be one of {', '.join(DEDUPE_MODES)}, not {dedupe!r}")
    return mode


# ---------------------------------------------------------------------------- reading


@dataclass
class Layout:
    """How to split the lines of one file into fields.

    ``columns`` maps a number of fields to the column names of lines with that many
    fields (GDELT 1.0 files mix 57 and 58); ``labels`` names each layout for the report.
    """

    delimiter: str
    quoting: int
    columns: dict[int, list[str]]
    labels: dict[int, str]
    header: bool
    usecols: set[str] = field(default_factory=set)

    def expected(self) -> str:
        counts = [str(c) for c in sorted(self.columns)]
        return counts[0] if len(counts) == 1 else ", ".join(counts[:-1]) + " or " + counts[-1]


@dataclass
class _Source:
    path: Path
    name: str
    member: str | None = None

    @contextlib.contextmanager
    def open(self) -> Iterator[tuple[io.BufferedIOBase, io.BufferedIOBase]]:
        """Yield ``(stream of decompressed bytes, raw file)``."""
        raw = open(self.path, "rb")  # noqa: SIM115 - closed below
        try:
            magic = raw.read(4)
            raw.seek(0)
            if self.member is not None:
                archive = zipfile.ZipFile(raw)
                with archive.open(self.member) as stream:
                    yield stream, raw
            elif magic[:2] == b"\x1f\x8b":
                with gzip.GzipFile(fileobj=raw) as stream:
                    yield stream, raw
            else:
                yield raw, raw
        finally:
            raw.close()


def _sources(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> list[_Source]:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out = []
    for item in paths:
        text = os.fspath(item)
        matches = [text]
        if not os.path.exists(text) and glob.has_magic(text):
            matches = sorted(glob.glob(text))
            if not matches:
                raise EventFileError(f"{text}: no file matches this pattern")
        for match in matches:
            path = Path(match)
            if not path.exists():
                raise EventFileError(f"{match}: no such file")
            if path.is_dir():
                raise EventFileError(f"{match}: is a folder, not an event file")
            try:
                with open(path, "rb") as handle:
                    magic = handle.read(4)
            except OSError as err:
                raise EventFileError(f"{match}: cannot be read: {err.strerror}") from None
            if magic == b"PK\x03\x04":
                try:
                    with zipfile.ZipFile(path) as archive:
                        members = [m.filename for m in archive.infolist()
                                   if not m.is_dir() and not m.filename.startswith("__MACOSX")]
                except zipfile.BadZipFile:
                    raise EventFormatError(f"{match}: damaged zip archive") from None
                if not members:
                    raise EventFormatError(f"{match}: zip archive holds no file")
                out += [_Source(path, f"{match}:{m}", m) for m in members]
            else:
                out.append(_Source(path, match))
    if not out:
        raise EventFileError("no input files given")
    return out


class _TooLarge(Exception):
    """A line or a decompressed stream over its limit (reported by :func:`_read`)."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def _blocks(stream: io.BufferedIOBase, size: int, max_line: int = MAX_LINE_BYTES,
            max_total: int | None = None) -> Iterator[bytes]:
    """Blocks of whole lines (without the final newline) of about ``size`` bytes.

    Raises ``_TooLarge`` when a line grows past ``max_line`` bytes or the stream past
    ``max_total``, before holding more than about ``size + max_line`` bytes.
    """
    carry, total = b"", 0
    while True:
        data = stream.read(size)
        total += len(data)
        if max_total is not None and total > max_total:
            raise _TooLarge(f"expands to more than {max_total:,} bytes (the limit for a "
                            "compressed file of this size)")
        if not data:
            if carry:
                yield carry
            return
        data = carry + data
        cut = data.rfind(b"\n")
        if cut < 0:
            if len(data) > max_line:
                raise _TooLarge(f"a line is longer than {max_line:,} bytes")
            carry = data
            continue
        block = data[:cut]
        if block.count(b"\n") > _MANY_LINES:  # short lines: smaller blocks, less memory
            yield from _pieces(block, _PIECE_BYTES)
        else:
            yield block
        carry = data[cut + 1:]
        if len(carry) > max_line:
            raise _TooLarge(f"a line is longer than {max_line:,} bytes")


#: Lines in a block above which it is parsed in pieces of ``_PIECE_BYTES``: the per-line
#: arrays of a 32 MB block of 2-byte lines would take about 1 GB.
_MANY_LINES = 1 << 20
_PIECE_BYTES = 4 << 20


def _pieces(block: bytes, size: int) -> Iterator[bytes]:
    """A block of lines cut at newlines into pieces of about ``size`` bytes."""
    start = 0
    while True:
        if len(block) - start <= size:
            yield block[start:]
            return
        end = block.rfind(b"\n", start, start + size)
        if end < 0:
            end = block.find(b"\n", start + size)
            if end < 0:
                yield block[start:]
                return
        yield block[start:end]
        start = end + 1


def _split_header(line: str, delimiter: str, quoting: int) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter, quoting=quoting), [])


def _line_table(block: bytes, layout: Layout) -> dict[str, np.ndarray]:
    """Per line of a block: start, end (without ``\\r``), number of fields and whether
    its quotes are unbalanced; counted on the bytes, so no line is decoded.

    UTF-8 never uses the bytes of a newline, tab, comma or quote inside a multi-byte
    character, so counting bytes counts characters.
    """
    data = np.frombuffer(block, dtype=np.uint8)
    newlines = np.flatnonzero(data == 10)
    starts = np.concatenate([[0], newlines + 1])
    ends = np.concatenate([newlines, [len(data)]])
    carriage = (ends > starts) & (data[np.maximum(ends - 1, 0)] == 13) if len(data) \
        else np.zeros(len(ends), dtype=bool)
    raw_ends = np.minimum(ends + 1, len(data))  # through the newline
    ends = ends - carriage
    delimiters = np.flatnonzero(data == ord(layout.delimiter))
    if layout.quoting == csv.QUOTE_NONE:
        fields = np.searchsorted(delimiters, ends) - np.searchsorted(delimiters, starts) + 1
        unbalanced = np.zeros(len(starts), dtype=bool)
    else:  # count only the delimiters outside quoted fields
        quotes = np.flatnonzero(data == ord('"'))
        line_quotes = np.searchsorted(quotes, starts)
        owner = np.searchsorted(starts, delimiters, side="right") - 1
        outside = (np.searchsorted(quotes, delimiters) - line_quotes[owner]) % 2 == 0
        fields = np.bincount(owner[outside], minlength=len(starts)) + 1
        unbalanced = (np.searchsorted(quotes, ends) - line_quotes) % 2 == 1
    return {"starts": starts, "ends": ends, "raw_ends": raw_ends, "fields": fields,
            "unbalanced": unbalanced, "blank": ends == starts}


def _select_lines(block: bytes, table: dict[str, np.ndarray], mask: np.ndarray) -> bytes:
    """The selected lines of a block with their line ends (a vectorised byte mask)."""
    if mask.all():
        return block
    data = np.frombuffer(block, dtype=np.uint8)
    return data[np.repeat(mask, table["raw_ends"] - table["starts"])].tobytes()


def _parse_lines(block: bytes, first: int, layout: Layout) -> tuple[pd.DataFrame, dict]:
    """Parse a block of whole lines into a frame of text columns plus ``_line`` (the line
    number in the file); the stats count blank lines, formats and malformed rows."""
    table = _line_table(block, layout)
    numbers = np.arange(first, first + len(table["starts"]))
    long = np.flatnonzero(table["ends"] - table["starts"] > MAX_LINE_BYTES)
    if len(long):
        raise _TooLarge(f"longer than {MAX_LINE_BYTES:,} bytes", int(numbers[long[0]]))
    blank, fields, unbalanced = table["blank"], table["fields"], table["unbalanced"]
    frames, formats, malformed = [], {}, []
    parsed = np.zeros(len(numbers), dtype=bool)
    for count, names in layout.columns.items():
        mask = (fields == count) & ~blank & ~unbalanced
        if not mask.any():
            continue
        usecols = [c for c in names if c in layout.usecols]
        data = _select_lines(block, table, mask)
        try:
            frame = pd.read_csv(
                io.BytesIO(data), sep=layout.delimiter, header=None, names=names,
                usecols=usecols, dtype=str, keep_default_na=False, na_filter=False,
                quoting=layout.quoting, engine="c", skip_blank_lines=True,
                encoding="utf-8", encoding_errors="replace",
            )
            ok = len(frame) == int(mask.sum())
        except (pd.errors.ParserError, ValueError):
            ok = False
        if not ok:  # rare: quoting fooled the fast count; parse these lines one by one
            subset = [block[s:e].decode("utf-8", errors="replace") for s, e in
                      zip(table["starts"][mask], table["ends"][mask], strict=True)]
            records = list(csv.reader(subset, delimiter=layout.delimiter,
                                      quoting=layout.quoting))
            good = np.array([len(r) == count for r in records], dtype=bool)
            frame = pd.DataFrame([r for r, g in zip(records, good, strict=True) if g],
                                 columns=names, dtype="str")[usecols]
            mask = mask.copy()
            mask[np.flatnonzero(mask)[~good]] = False
        frame["_line"] = numbers[mask]
        frames.append(frame)
        parsed |= mask
        formats[layout.labels[count]] = formats.get(layout.labels[count], 0) + len(frame)
    wrong = ~parsed & ~blank
    counts = {"malformed row (unbalanced quotes)": int((wrong & unbalanced).sum()),
              "malformed row (wrong number of fields)": int((wrong & ~unbalanced).sum())}
    listed = np.flatnonzero(wrong)[:MALFORMED_LIMIT]  # counted all, listed the first
    for number, n_fields, odd in zip(numbers[listed], fields[listed], unbalanced[listed],
                                     strict=True):
        if odd:
            malformed.append((number, "malformed row (unbalanced quotes)",
                              "unbalanced quotes"))
        else:
            malformed.append((number, "malformed row (wrong number of fields)",
                              f"{n_fields} fields, expected {layout.expected()}"))
    columns = [*sorted(layout.usecols), "_line"]
    if frames:
        frame = pd.concat([f.reindex(columns=columns, fill_value="") for f in frames],
                          ignore_index=True)
        if len(frames) > 1:
            frame = frame.sort_values("_line", kind="stable", ignore_index=True)
    else:
        frame = pd.DataFrame({c: pd.Series(dtype="str") for c in columns[:-1]})
        frame["_line"] = pd.Series(dtype="int64")
    stats = {"blank": int(blank.sum()), "formats": formats, "malformed": malformed,
             "malformed_counts": {k: n for k, n in counts.items() if n},
             "lines": len(numbers), "undecodable": _undecodable_lines(block)}
    return frame, stats


def _undecodable_lines(block: bytes) -> int:
    """Lines of a block holding bytes that are not UTF-8 (decoded with U+FFFD)."""
    try:
        block.decode("utf-8")
    except UnicodeDecodeError:
        return sum(1 for line in block.split(b"\n") if not _is_utf8(line))
    return 0


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


Detector = Callable[[str, str], Layout]


def _read(
    sources: list[_Source],
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
                limit = None if stream is raw else max(
                    MIN_EXPANSION_LIMIT, MAX_EXPANSION * source.path.stat().st_size)
                try:
                    for block in _blocks(stream, chunk_bytes, MAX_LINE_BYTES, limit):
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
                        frame, parse_stats = _parse_lines(block, line_no, layout)
                        if line_no == 1 and len(frame) == 0 and parse_stats["malformed"]:
                            n_fields = parse_stats["malformed"][0][2].split(" ")[0]
                            raise EventFormatError(
                                f"{source.name}: not {_a(schema.label)} event file: line 1 "
                                f"has {n_fields} fields, expected {layout.expected()}")
                        line_no += parse_stats["lines"]
                        relations, stats = _transform(frame, schema, cmap, key, weights,
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
                        report._add(stats)
                        for actor, n in stats["unknown_actors"].items():
                            report.unknown_actors[actor] = report.unknown_actors.get(actor, 0) + n
                        pieces.append(relations)
                        position = raw.tell()
                        bar.update(max(position - done, 0))
                        done = max(done, position)
                except _TooLarge as err:
                    where = f"line {err.line}" if err.line else f"line {line_no} or after"
                    raise EventFormatError(f"{source.name}: {where}: {err}") from None
                except (gzip.BadGzipFile, zipfile.BadZipFile, EOFError, zlib.error) as err:
                    raise EventFormatError(f"{source.name}: cannot be decompressed: {err}") \
                        from None
            if source.path not in seen_paths:
                bar.update(max(source.path.stat().st_size - done, 0))
                seen_paths.add(source.path)
    return pieces


def _actor_roles(relations: pd.DataFrame) -> pd.DataFrame:
    """Per actor key: its most frequent ``role`` and its state (``via``)."""
    sides = pd.concat([
        relations[[f"{side}", f"{side}_role", f"{side}_state"]]
        .set_axis(["id", "role", "via"], axis=1) for side in ("source", "target")
    ], ignore_index=True)
    counts = sides.value_counts(["id", "role", "via"]).reset_index()
    counts = counts.sort_values(["id", "count", "role", "via"],
                                ascending=[True, False, True, True])
    return counts.drop_duplicates("id").set_index("id")[["role", "via"]]


def _entities(relations: pd.DataFrame, schema: EventSchema, key: str) -> pd.DataFrame:
    from graphkit.io.roles import ROLE_TYPES, organisation_table

    keys = pd.Series(pd.unique(pd.concat([relations["source"], relations["target"]],
                                         ignore_index=True)), dtype="str")
    if key == "name":
        codes = names_to_countries(keys)
        kinds = country_names(codes)["type"].where(codes != "", "group")
        return pd.DataFrame({"id": keys, "name": keys, "type": kinds, "aliases": ""})
    roles = _actor_roles(relations).reindex(keys.to_numpy()).fillna("")
    role = pd.Series(roles["role"].to_numpy(), index=keys.index, dtype="str")
    via = pd.Series(roles["via"].to_numpy(), index=keys.index, dtype="str")
    info = country_names(keys)
    is_country = keys.isin(country_table().index)
    role_type = role.map({k: t for k, (t, _) in ROLE_TYPES.items()}).fillna("group") \
        .where(role != "", "unknown")
    bare = is_country | (keys == via)  # a country, known to the table or not
    kinds = info["type"].where(bare, role_type)
    kinds = kinds.where(~(role == "IGO"), "organisation").astype("str")
    state_names = country_names(via)["name"]
    labels = role.map({k: label for k, (_, label) in ROLE_TYPES.items()}).fillna(role)
    names = info["name"].where(bare | (via == ""),
                               state_names + " (" + labels + ")")
    orgs = organisation_table().set_index("id")["name"]
    names = names.where(role != "IGO", keys.map(orgs).fillna(keys))
    if key == "actor" and schema.source_actor and "source_name" in relations.columns:
        pairs = pd.concat([
            relations[["source", "source_name"]].set_axis(["id", "name"], axis=1),
            relations[["target", "target_name"]].set_axis(["id", "name"], axis=1),
        ], ignore_index=True)
        pairs = pairs[pairs["name"] != ""]
        counts = pairs.value_counts(["id", "name"]).reset_index()
        counts = counts.sort_values(["id", "count", "name"], ascending=[True, False, True])
        best = counts.drop_duplicates("id").set_index("id")["name"]
        names = keys.map(best).fillna(names).astype("str")
    via = via.where(~bare & (role != "IGO"), "")
    role = role.where(~bare, "")
    return pd.DataFrame({"id": keys, "name": names.astype("str"), "type": kinds,
                         "aliases": "", "role": role, "via": via})


def merge_repeats(relations: pd.DataFrame, schema: EventSchema, mode: str,
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


def import_events(
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
    mode = _check_options(nonstate, dedupe)
    if weights not in ("file", "table"):
        raise ValueError(f"weights must be 'file' or 'table', not {weights!r}")
    if int(chunk_bytes) < 1:
        raise ValueError("chunk_bytes must be positive")
    cmap = load_cameo_map(cameo_map)
    sources = _sources(paths)
    report = ImportReport(schema.label, key=key, dedupe=mode, map_version=cmap.version,
                          nonstate=nonstate)
    pieces = _read(sources, detect, schema, cmap, key, weights, report, int(chunk_bytes),
                   progress, nonstate, organisations)
    relations = pd.concat(pieces, ignore_index=True) if pieces else pd.DataFrame()
    if len(relations):
        relations = merge_repeats(relations, schema, mode, report)
    report.imported = len(relations)
    report.check()
    if len(relations):
        entities = _entities(relations, schema, key)
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


def _header_detector(schema: EventSchema, key: str, kind: str) -> Detector:
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
        business, opposition, armed groups: :mod:`graphkit.io.roles`) become their own
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
    detect = _header_detector(schema, key, schema.label)
    return import_events(paths, schema, detect, key=key, dedupe=dedupe, nonstate=nonstate,
                         organisations=organisations, cameo_map=cameo_map,
                         weights=weights, chunk_bytes=chunk_bytes, progress=progress)
