"""CAMEO event codes and actor countries: the lookup tables behind the event importers.

Two tables ship with graphkit (in ``graphkit/resources``):

* ``cameo_relation_map.csv`` maps each of the 311 CAMEO event codes to a graphkit relation
  type, a default Goldstein weight and a quad class. It carries a version in its header
  comment; users override rows with their own CSV (:func:`load_cameo_map`).
* ``countries.csv`` lists ISO 3166-1 alpha-3 codes with names and the name variants used
  by event data sets (ICEWS writes ``Russian Federation``, ``Occupied Palestinian
  Territory``, ``Moldova, Republic of`` ...), plus CAMEO's regional actor codes (``EUR``,
  ``MEA``, ``WST`` ...) and legacy codes (``ROM`` for Romania).

CAMEO codes are strings: ``"043"`` (host a visit) is not ``"43"``. Files that went
through a spreadsheet or an integer column lose the leading zero; :func:`normalize_codes`
restores it by looking each candidate up in the known code list. Event-level CAMEO codes
have three or four digits (a two-digit code is a root such as ``"10"``, demand), so with
the default ``min_digits=3`` the value ``10`` can only be ``"010"`` (statement); with
``min_digits=2`` (tables coded at root level) ``10`` .. ``20`` stay as they are and are
reported as ambiguous.

References
----------
Schrodt, P. A. (2012). *CAMEO Conflict and Mediation Event Observations Codebook*,
version 1.1b3.

Goldstein, J. S. (1992). A conflict-cooperation scale for WEIS events data.
*Journal of Conflict Resolution*, 36(2), 369-385.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from graphkit.core.vocabulary import RelationType, Vocabulary, default_vocabulary

__all__ = [
    "IMPORT_TYPES",
    "CameoMap",
    "country_names",
    "country_table",
    "import_vocabulary",
    "load_cameo_map",
    "names_to_countries",
    "normalize_codes",
    "normalize_country_codes",
    "quad_class_of",
]

MAP_COLUMNS = ["cameo_code", "description", "relation_type", "goldstein", "quad_class"]

#: Relation types the importers add to the graph's vocabulary when the map uses them.
#: Empty since every type the shipped map produces (``statement`` for CAMEO roots 01 and
#: 02 included) is built in (``graphkit/resources/relation_types.csv``); kept so that a
#: project can append its own importer-only types.
IMPORT_TYPES: tuple[RelationType, ...] = ()

_CODE = re.compile(r"^\d{2,4}$")
_FLOAT_INT = re.compile(r"^(\d+)\.0*$")


def quad_class_of(codes: pd.Series) -> pd.Series:
    """CAMEO quad class from the root (first two digits) of each code; 0 when unknown.

    Roots 01-05 are verbal cooperation (1), 06-08 material cooperation (2), 09-13
    verbal conflict (3) and 14-20 material conflict (4).

    Examples
    --------
    >>> quad_class_of(pd.Series(["043", "190", "x"])).tolist()
    [1, 4, 0]
    """
    root = pd.to_numeric(pd.Series(codes, dtype="str").str[:2], errors="coerce")
    bins = np.select(
        [root.between(1, 5), root.between(6, 8), root.between(9, 13), root.between(14, 20)],
        [1, 2, 3, 4], 0,
    )
    return pd.Series(bins.astype("int8"), index=getattr(codes, "index", None))


def import_vocabulary(base: Vocabulary | None = None) -> Vocabulary:
    """The vocabulary imported graphs use: ``base`` (default vocabulary) plus
    :data:`IMPORT_TYPES` not already in it."""
    vocabulary = (base or default_vocabulary()).copy()
    for relation_type in IMPORT_TYPES:
        if relation_type.name not in vocabulary:
            vocabulary.register(relation_type)
    return vocabulary


# --------------------------------------------------------------------------- the map


@dataclass(frozen=True, eq=False)
class CameoMap:
    """CAMEO code -> relation type, Goldstein weight, quad class and description.

    Attributes
    ----------
    table : pandas.DataFrame
        Indexed by ``cameo_code`` (strings with their leading zeros), columns
        ``description``, ``relation_type``, ``goldstein`` (float) and ``quad_class``.
    version : str
        The version of the shipped table, plus ``+name`` of each override file.
    sources : tuple of str
        Files the table was read from, shipped table first.
    """

    table: pd.DataFrame
    version: str
    sources: tuple[str, ...] = field(default_factory=tuple)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(self.table.index)

    def to_frame(self) -> pd.DataFrame:
        """The map as a table with a ``cameo_code`` column, as read and written."""
        return self.table.reset_index()[MAP_COLUMNS]

    def lookup(self, codes: pd.Series) -> pd.DataFrame:
        """Map entries for codes already normalised (unknown codes give missing values)."""
        return self.table.reindex(pd.Index(codes, dtype="str")).set_axis(codes.index)


def _read_commented_csv(source: str | os.PathLike | io.TextIOBase) -> tuple[dict, pd.DataFrame]:
    """Read a CSV file whose first lines may be ``# key: value`` comments."""
    if isinstance(source, (str, os.PathLike)):
        text = Path(source).read_text(encoding="utf-8-sig")
    else:
        text = source.read()
    meta, body = {}, []
    lines = text.splitlines()
    start = 0
    for start, line in enumerate(lines):  # noqa: B007
        if not line.startswith("#"):
            break
        match = re.match(r"^#\s*([A-Za-z_]+)\s*:\s*(.*?)\s*$", line)
        if match:
            meta.setdefault(match.group(1).lower(), match.group(2))
    else:
        start = len(lines)
    body = "\n".join(lines[start:])
    if not body.strip():
        return meta, pd.DataFrame(columns=MAP_COLUMNS)
    header = [c.strip().lower() for c in next(csv.reader([lines[start]]), [])]
    twice = sorted({c for c in header if header.count(c) > 1})
    if twice:
        where = os.fspath(source) if isinstance(source, str | os.PathLike) else "CAMEO map"
        raise ValueError(f"{where}: column(s) {', '.join(map(repr, twice))} appear more "
                         "than once in the header")
    frame = pd.read_csv(io.StringIO(body), dtype=str, keep_default_na=False)
    frame.columns = [c.strip().lower() for c in frame.columns]
    return meta, frame


def _check_map(frame: pd.DataFrame, name: str, vocabulary: Vocabulary, partial: bool
               ) -> pd.DataFrame:
    required = ["cameo_code", "relation_type"] if partial else MAP_COLUMNS
    if frame.empty:
        raise ValueError(f"{name}: CAMEO map has no rows: expected a header and one row "
                         "per code")
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ValueError(f"{name}: CAMEO map lacks column(s) {', '.join(missing)}; "
                         f"expected {', '.join(MAP_COLUMNS)}")
    frame = frame.copy()
    for column in MAP_COLUMNS:
        frame[column] = frame[column].str.strip() if column in frame.columns else ""
    problems = []
    lines = np.arange(len(frame)) + 2
    bad = ~frame["cameo_code"].str.match(_CODE.pattern)
    problems += [f"line {n}: cameo_code {c!r} is not a 2-4 digit code (keep leading zeros)"
                 for n, c in zip(lines[bad], frame["cameo_code"][bad], strict=True)]
    root = pd.to_numeric(frame["cameo_code"].str[:2].where(~bad), errors="coerce")
    rootless = ~bad & ~root.between(1, 20)
    problems += [f"line {n}: cameo_code {c!r} has no CAMEO root (01-20): did it lose a "
                 "leading zero?"
                 for n, c in zip(lines[rootless], frame["cameo_code"][rootless], strict=True)]
    dup = frame["cameo_code"].duplicated()
    problems += [f"line {n}: cameo_code {c!r} appears twice"
                 for n, c in zip(lines[dup], frame["cameo_code"][dup], strict=True)]
    unknown = ~frame["relation_type"].isin(list(vocabulary.types))
    problems += [f"line {n}: relation_type {t!r} is not in the vocabulary (register it "
                 "first with graphkit.register_relation_type)"
                 for n, t in zip(lines[unknown], frame["relation_type"][unknown], strict=True)]
    goldstein = pd.to_numeric(frame["goldstein"].replace("", None), errors="coerce")
    bad = (frame["goldstein"] != "") & ~goldstein.between(-10, 10)
    problems += [f"line {n}: goldstein {g!r} is not a number in -10..10"
                 for n, g in zip(lines[bad], frame["goldstein"][bad], strict=True)]
    quad = pd.to_numeric(frame["quad_class"].replace("", None), errors="coerce")
    bad = (frame["quad_class"] != "") & ~quad.isin([1, 2, 3, 4])
    problems += [f"line {n}: quad_class {q!r} must be 1, 2, 3 or 4"
                 for n, q in zip(lines[bad], frame["quad_class"][bad], strict=True)]
    if problems:
        shown = "; ".join(problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise ValueError(f"{name}: invalid CAMEO map: {shown}{more}")
    frame["goldstein"] = goldstein.astype(float)
    frame["quad_class"] = quad
    return frame[MAP_COLUMNS]


@lru_cache(maxsize=1)
def _shipped_map() -> tuple[dict, pd.DataFrame]:
    path = resources.files("graphkit") / "resources" / "cameo_relation_map.csv"
    with path.open(encoding="utf-8") as handle:
        meta, frame = _read_commented_csv(handle)
    return meta, _check_map(frame, "cameo_relation_map.csv", import_vocabulary(), False)


def load_cameo_map(
    path: str | os.PathLike | pd.DataFrame | CameoMap | None = None,
    *,
    merge: bool = True,
    vocabulary: Vocabulary | None = None,
) -> CameoMap:
    """Load the CAMEO code -> relation type map, optionally with user overrides.

    Parameters
    ----------
    path : path, DataFrame or CameoMap, optional
        A CSV file (``# key: value`` comment lines allowed at the top) or a table with
        columns ``cameo_code`` and ``relation_type``, and optionally ``goldstein``,
        ``quad_class`` and ``description``. Read codes as text: ``"043"``, not ``43``.
        Without it, the shipped map.
    merge : bool
        ``True`` (default): the rows given replace the shipped rows for the same codes
        and add new codes; missing ``goldstein`` / ``quad_class`` / ``description`` are
        taken from the shipped row of the code, else from its root. ``False``: the given
        table is the whole map (all columns required).
    vocabulary : Vocabulary, optional
        Relation types the map may name (default: the default vocabulary plus
        :data:`IMPORT_TYPES`).

    Returns
    -------
    CameoMap

    Raises
    ------
    ValueError
        Naming each bad line: codes that are not 2-4 digits, duplicated codes, unknown
        relation types, weights outside -10..10, quad classes outside 1-4.

    Examples
    --------
    >>> cmap = load_cameo_map()
    >>> entry = cmap.table.loc["043"]
    >>> entry["relation_type"], float(entry["goldstein"]), int(entry["quad_class"])
    ('meeting', 2.8, 1)
    >>> mine = pd.DataFrame({"cameo_code": ["043"], "relation_type": ["support"]})
    >>> load_cameo_map(mine).table.loc["043", "relation_type"]
    'support'
    """
    if isinstance(path, CameoMap):
        return path
    vocabulary = import_vocabulary(vocabulary)
    meta, shipped = _shipped_map()
    version = meta.get("version", "unversioned")
    if path is None:
        return CameoMap(shipped.set_index("cameo_code"), version, ("cameo_relation_map.csv",))
    if isinstance(path, pd.DataFrame):
        name, user_meta = "<DataFrame>", {}
        frame = path.astype(str).copy()
        frame.columns = [str(c).strip().lower() for c in frame.columns]
    else:
        name = str(path)
        if not Path(path).exists():
            raise ValueError(f"{name}: no such CAMEO map file")
        user_meta, frame = _read_commented_csv(path)
    frame = _check_map(frame, name, vocabulary, partial=merge)
    label = user_meta.get("version") or (
        "custom" if isinstance(path, pd.DataFrame) else Path(name).stem)
    if not merge:
        missing = frame["goldstein"].isna() | frame["quad_class"].isna()
        if missing.any():
            raise ValueError(f"{name}: a complete map (merge=False) needs goldstein and "
                             f"quad_class on every line; missing for "
                             f"{', '.join(frame['cameo_code'][missing].head(5))}")
        table = frame.set_index("cameo_code")
        return CameoMap(table, str(user_meta.get("version", label)), (name,))
    base = shipped.set_index("cameo_code")
    new = frame.set_index("cameo_code")
    own = base.reindex(new.index)
    root = base.reindex(new.index.str[:2])
    for column in ("goldstein", "quad_class"):
        fill = own[column].fillna(pd.Series(root[column].to_numpy(), index=new.index))
        new[column] = new[column].fillna(fill)
    new["quad_class"] = new["quad_class"].fillna(quad_class_of(new.index.to_series()))
    new["goldstein"] = new["goldstein"].fillna(
        new["relation_type"].map(vocabulary.column("weight")))
    new["description"] = new["description"].where(new["description"] != "",
                                                  own["description"].fillna(""))
    table = pd.concat([base.drop(index=new.index, errors="ignore"), new])
    table = table.sort_index(key=lambda s: s.str[:2] + s)
    table["quad_class"] = table["quad_class"].astype(int)
    return CameoMap(table, f"{version}+{label}", ("cameo_relation_map.csv", name))


# ------------------------------------------------------------------- code normalisation


def _restore(value: str, known: frozenset[str], min_digits: int) -> tuple[str, str, str]:
    """``(code, status, lookup key)`` for one distinct raw value."""
    text = value.strip()
    match = _FLOAT_INT.match(text)
    if match:
        text = match.group(1)
    if text == "":
        return "", "missing", ""
    if not text.isdigit():
        return text, "invalid", ""
    candidates = [text]
    if not text.startswith("0") and len(text) <= 3:
        candidates.append("0" + text)
    exact = [c for c in candidates if c in known]
    preferred = [c for c in exact if len(c) >= min_digits]
    if len(preferred) > 1:
        return text, "ambiguous", text
    if preferred or exact:
        code = (preferred or exact)[0]
        return code, ("ok" if code == text else "restored"), code
    for n in (3, 2):  # an unknown code as written: fall back to its base, then its root
        if len(text) > n and text[:n] in known:
            return text, "unknown", text[:n]
    return text, "invalid", ""


def normalize_codes(
    codes: pd.Series, known: Iterable[str] | None = None, min_digits: int = 3
) -> pd.DataFrame:
    """Normalise CAMEO codes read from a file, restoring lost leading zeros.

    Parameters
    ----------
    codes : pandas.Series
        Codes as text (``"043"``, ``"43"``, ``"43.0"``, ``""``).
    known : iterable of str, optional
        The valid codes (default: those of the shipped map).
    min_digits : int
        Shortest code expected in the column: 3 for event codes (GDELT ``EventCode``,
        ICEWS ``CAMEO Code``), 2 for tables coded at root level.

    Returns
    -------
    pandas.DataFrame
        Same index; ``code`` (the normalised code, or the cleaned text when unusable),
        ``status`` and ``key`` (the map entry to use, ``""`` when none). ``status`` is
        ``ok``; ``restored`` (a leading zero was put back: ``43`` -> ``043``);
        ``ambiguous`` (both readings are valid codes, e.g. ``10`` with ``min_digits=2``:
        kept as written); ``unknown`` (not in the list: ``key`` is its known base or
        root code, such as ``021`` for ``0215``); ``invalid`` (no known root: not usable);
        ``missing`` (empty).

    Examples
    --------
    >>> normalize_codes(pd.Series(["43", "10", "111", "211", "0215", "xx"]))["code"].tolist()
    ['043', '010', '111', '0211', '0215', 'xx']
    >>> normalize_codes(pd.Series(["43", "0215", "xx"]))["status"].tolist()
    ['restored', 'unknown', 'invalid']
    """
    known = frozenset(known) if known is not None else load_cameo_map().codes
    values = pd.Series(codes, dtype="str").fillna("")
    index_codes, uniques = pd.factorize(values)
    rows = [_restore(str(u), known, min_digits) for u in uniques]
    table = pd.DataFrame(rows, columns=["code", "status", "key"], dtype="str")
    if len(values) == 0:
        return table.iloc[:0].set_axis(values.index)
    return table.iloc[index_codes].set_axis(values.index)


# ------------------------------------------------------------------------- countries


@lru_cache(maxsize=1)
def country_table() -> pd.DataFrame:
    """The shipped country and region table, indexed by ``code``.

    Columns ``name``, ``type`` (``state``, ``territory`` or ``region``),
    ``names`` (other names, ``;``-separated) and ``codes`` (legacy codes meaning the same
    entity, e.g. ``ROM`` for ``ROU``).
    """
    path = resources.files("graphkit") / "resources" / "countries.csv"
    with path.open(encoding="utf-8") as handle:
        _, frame = _read_commented_csv(handle)
    return frame.set_index("code")


def _norm_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("&", " and ").replace("\u2019", "'")
    text = re.sub(r"[^a-z0-9']+", " ", text).replace("'", "")
    words = ["saint" if w == "st" else w for w in text.split()]
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


@lru_cache(maxsize=1)
def _name_index() -> dict[str, str]:
    table = country_table()
    index: dict[str, str] = {}
    for code, row in table.iterrows():
        for name in [row["name"], *str(row["names"]).split(";")]:
            key = _norm_name(name)
            if key and key not in index:
                index[key] = str(code)
    return index


@lru_cache(maxsize=1)
def _code_aliases() -> dict[str, str]:
    table = country_table()
    aliases = {str(c): str(c) for c in table.index}
    for code, legacy in table["codes"].items():
        for alias in str(legacy).split(";"):
            if alias.strip():
                aliases.setdefault(alias.strip().upper(), str(code))
    return aliases


def names_to_countries(names: pd.Series) -> pd.Series:
    """ISO 3166 alpha-3 codes for country names (``""`` when the name is not known).

    Matching ignores case, accents, punctuation, a leading "the" and writes "St." as
    "Saint", so ``"Cote d'Ivoire"``, ``"Côte d’Ivoire"`` and ``"Ivory Coast"`` give
    ``CIV``.

    Examples
    --------
    >>> names = pd.Series(["Russian Federation", "Moldova, Republic of", "Mars"])
    >>> names_to_countries(names).tolist()
    ['RUS', 'MDA', '']
    """
    values = pd.Series(names, dtype="str").fillna("")
    codes, uniques = pd.factorize(values)
    index = _name_index()
    mapped = np.array([index.get(_norm_name(u), "") for u in uniques] + [""], dtype=object)
    return pd.Series(mapped[codes], index=values.index, dtype="str")


def normalize_country_codes(codes: pd.Series) -> pd.Series:
    """Upper-case, stripped actor country codes with legacy CAMEO codes replaced
    (``ROM`` -> ``ROU``, ``ZAR`` -> ``COD``, ``TMP`` -> ``TLS``); unknown codes unchanged."""
    values = pd.Series(codes, dtype="str").fillna("").str.strip().str.upper()
    aliases = _code_aliases()
    legacy = {k: v for k, v in aliases.items() if k != v}
    return values.replace(legacy) if legacy else values


def country_names(codes: pd.Series) -> pd.DataFrame:
    """``name``, ``type`` and ``known`` for country or region codes.

    Unknown codes get their own code as name and type ``"unknown"``.
    """
    table = country_table()
    values = pd.Series(codes, dtype="str").fillna("")
    known = values.isin(table.index)
    name = values.map(table["name"]).where(known, values)
    kind = values.map(table["type"]).where(known, "unknown")
    return pd.DataFrame({"name": name.astype("str"), "type": kind.astype("str"),
                         "known": known.to_numpy()}, index=values.index)
