"""Where a CAMEO-coded table keeps each piece of an event (:class:`EventSchema`), and
how the lines of a file split into fields (:class:`Layout`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["KEYS", "Detector", "EventSchema", "Layout", "text_column"]

#: How actors can be keyed.
KEYS = ("country", "actor", "name")


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
        :mod:`graphkit.io.events.roles`.
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


def _norm_column(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


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


Detector = Callable[[str, str], Layout]


def text_column(chunk: pd.DataFrame, name: str | None, na: tuple[str, ...]) -> pd.Series:
    """Column ``name`` of a chunk as stripped text, ``""`` where empty or one of ``na``
    (an empty column when the chunk lacks it or ``name`` is ``None``)."""
    if not name or name not in chunk.columns:
        return pd.Series("", index=chunk.index, dtype="str")
    values = chunk[name].astype("str").fillna("").str.strip()
    if na:
        values = values.mask(values.isin(na), "")
    return values
