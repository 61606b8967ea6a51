"""The validated data model: an entities table and a relations table.

:func:`build` turns raw tables (as read from CSV, JSON or handed over as DataFrames)
into the canonical tables every other part of graphkit works on, checking every row and
collecting every problem before it raises. All checks are vectorised; values that repeat
(entity references, types, dates) are parsed once per distinct value.

Canonical entities: ``id``, ``name``, ``type``, ``aliases`` (``;``-separated), then any
extra columns as given. The optional columns ``start`` and ``end`` (partial ISO dates, as
text) say when the actor existed; a relation dated outside either actor's existence is a
problem.

Canonical relations: ``id`` (the relation's stable id: the file's ``id`` column when it has
one, validated unique and non-empty, else the row number as the user sees it, header = row
1; ids that are whole numbers are integers), ``source``, ``target`` (entity ids), ``type``,
``start``, ``end``
(partial ISO dates as text, precision kept), ``weight`` (float, Goldstein -10..10),
``sign`` (-1, 0, 1), ``directed`` (bool), ``confidence`` (0..1), ``quad_class`` (0-4),
``evidence``, ``source_ref``, then extra columns, then the derived columns ``t_start`` and
``t_end`` (the half-open interval ``[t_start, t_end)`` the relation covers; a durable
relation with no end is ongoing and ends at :data:`graphkit.core.dates.ONGOING`), ``durable``
(the type's: a standing tie, measured as a level, rather than an event, measured as a flow;
see :mod:`graphkit.model.measure`) and ``signed_weight`` (``sign * |weight|``: the sign decides
the direction of a tie, the weight its strength).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from graphkit.core.dates import ONGOING, parse_partial_date_codes
from graphkit.core.problems import Problems
from graphkit.core.vocabulary import Vocabulary

__all__ = [
    "DERIVED_COLUMNS",
    "ENTITY_COLUMNS",
    "RELATION_COLUMNS",
    "build",
    "entity_lookup",
]

ENTITY_COLUMNS = ["id", "name", "type", "aliases"]
ENTITY_REQUIRED = ["id", "name", "type"]
ENTITY_TYPES = ("state", "organisation", "person", "territory", "armed_group", "group")
EXISTENCE_COLUMNS = ("start", "end")

RELATION_COLUMNS = [
    "id", "source", "target", "type", "start", "end", "weight", "sign", "directed",
    "confidence", "quad_class", "evidence", "source_ref",
]
RELATION_REQUIRED = ["source", "target", "type", "start"]
DERIVED_COLUMNS = ["t_start", "t_end", "durable", "signed_weight"]

_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}


def build(
    entities: pd.DataFrame,
    relations: pd.DataFrame,
    vocabulary: Vocabulary,
    *,
    entities_file: str = "entities",
    relations_file: str = "relations",
    first_row: int | None = 2,
    problems: Problems | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate raw tables and return the canonical ``(entities, relations)``.

    Parameters
    ----------
    entities, relations : pandas.DataFrame
        Raw tables; cells may be text (as read from a file) or typed values.
    vocabulary : Vocabulary
        The relation types allowed and their defaults.
    entities_file, relations_file : str
        Names used in problem reports.
    first_row : int or None
        Row number of the first record as the user sees it (2 in a CSV file, whose
        header is row 1; 1 for a list of JSON records). ``None``: the tables' index
        holds each record's row number (readers that skipped unreadable rows).
    problems : Problems, optional
        An accumulator that already holds problems (for example, from reading files).

    Raises
    ------
    graphkit.ValidationError
        With every problem found, in both tables.
    """
    problems = problems if problems is not None else Problems()
    ents = _entities(entities, entities_file, first_row, problems)
    rels = _relations(relations, ents, vocabulary, relations_file, first_row, problems)
    problems.raise_if_any()
    return ents, rels


# --------------------------------------------------------------------------- helpers


def _text(column: pd.Series) -> pd.Series:
    """Column as stripped Python strings, missing as ``""`` (parsed once per distinct value)."""
    try:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
    except TypeError:  # unhashable cells, such as lists of aliases read from JSON
        codes, uniques = pd.factorize(column.map(_clean), use_na_sentinel=True)
    cleaned = pd.array([_clean(u) for u in uniques] + [""], dtype="str")
    codes = np.where(codes < 0, len(cleaned) - 1, codes)
    # take() on the string array: no Python string per row
    return pd.Series(cleaned.take(codes), index=column.index)


def _map_values(column: pd.Series, mapping: dict, factorized: tuple | None = None) -> pd.Series:
    """``column.map(mapping)``, looked up once per distinct value (``factorized``: the
    column's ``pd.factorize(column, use_na_sentinel=False)``, if already computed)."""
    codes, uniques = factorized or pd.factorize(column, use_na_sentinel=False)
    return pd.Series(uniques).map(mapping).take(codes).set_axis(column.index)


def _clean(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (list, tuple)):
        return ";".join(str(v).strip() for v in value)
    return str(value).strip()


def _numbers(column: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(values, empty, bad)`` for a column of numbers given as numbers or text."""
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        values = column.to_numpy(dtype=float, na_value=np.nan)
        empty = np.isnan(values)
        return values, empty, np.zeros(len(column), dtype=bool)
    text = _text(column)
    empty = (text == "").to_numpy()
    values = pd.to_numeric(text.where(~empty, None), errors="coerce").to_numpy(dtype=float)
    bad = np.isnan(values) & ~empty
    bad |= np.isinf(values)
    return values, empty, bad


def _booleans(column: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if pd.api.types.is_bool_dtype(column):
        values = column.to_numpy(dtype=bool, na_value=False)
        return values, column.isna().to_numpy(), np.zeros(len(column), dtype=bool)
    lower = _text(column).str.lower()
    empty = (lower == "").to_numpy()
    true = lower.isin(_TRUE).to_numpy()
    bad = ~(true | lower.isin(_FALSE).to_numpy() | empty)
    return true, empty, bad


def _map_unique(column: pd.Series, func: Callable[[pd.Series], pd.DataFrame]) -> pd.DataFrame:
    codes, uniques = pd.factorize(column)
    result = func(pd.Series(uniques, dtype=object))
    return result.iloc[codes].set_axis(column.index)


def _row_numbers(frame: pd.DataFrame, first_row: int | None) -> tuple[np.ndarray, pd.DataFrame]:
    rows = frame.index.to_numpy() if first_row is None else np.arange(len(frame)) + first_row
    return rows, frame.reset_index(drop=True)


def _missing_columns(
    frame: pd.DataFrame, required: list[str], file: str, problems: Problems
) -> set[str]:
    missing = [c for c in required if c not in frame.columns]
    for column in missing:
        problems.add(file, "required column is missing", column=column)
    return set(missing)


# -------------------------------------------------------------------------- entities


def _entities(frame: pd.DataFrame, file: str, first_row: int, problems: Problems) -> pd.DataFrame:
    rows, frame = _row_numbers(frame, first_row)
    missing = _missing_columns(frame, ENTITY_REQUIRED, file, problems)
    out = pd.DataFrame(index=frame.index)
    for column in ENTITY_COLUMNS:
        out[column] = _text(frame[column]) if column in frame.columns else ""

    if "id" not in missing:
        empty = (out["id"] == "").to_numpy()
        problems.add_rows(file, rows[empty], "id", out["id"][empty], "id is empty")
        dup = out["id"].duplicated() & ~empty
        first = pd.Series(rows, index=out.index).groupby(out["id"]).transform("min")
        problems.add_rows(
            file, rows[dup], "id", out["id"][dup],
            "duplicate id: first defined on row " + first[dup].astype(str),
        )
    if "name" not in missing:
        out["name"] = out["name"].where(out["name"] != "", out["id"])
    if "type" not in missing:
        empty = (out["type"] == "").to_numpy()
        problems.add_rows(
            file, rows[empty], "type", out["type"][empty],
            "type is empty: use one of " + ", ".join(ENTITY_TYPES) + " or a type of your own",
        )
    _check_aliases(out, rows, file, problems)
    extras = [c for c in frame.columns if c not in ENTITY_COLUMNS]
    for column in extras:
        out[column] = frame[column].to_numpy()
    _existence_dates(frame, out, rows, file, problems)
    return out


def _existence_dates(
    frame: pd.DataFrame, out: pd.DataFrame, rows: np.ndarray, file: str, problems: Problems
) -> None:
    """Check the optional ``start`` and ``end`` of entities; keep them as canonical text."""
    parsed = {}
    for column in EXISTENCE_COLUMNS:
        if column not in frame.columns:
            continue
        codes, dates = parse_partial_date_codes(frame[column])
        out[column] = _texts(dates, codes)
        bad = dates["error"].notna().to_numpy()[codes]
        problems.add_rows(file, rows[bad], column, out[column][bad],
                          dates["error"].to_numpy(dtype=object)[codes[bad]])
        parsed[column] = (codes, dates)
    if len(parsed) == 2:
        (s_codes, start), (e_codes, end) = parsed["start"], parsed["end"]
        reversed_ = (end["end"].to_numpy(dtype="datetime64[s]")[e_codes]
                     <= start["start"].to_numpy(dtype="datetime64[s]")[s_codes])
        problems.add_rows(file, rows[reversed_], "end", out["end"][reversed_],
                          "end is before start (" + out["start"][reversed_].astype(str) + ")")


def _alias_table(entities: pd.DataFrame) -> pd.DataFrame:
    """One row per (entity, name it answers to), with the lower-cased key."""
    aliases = entities["aliases"].str.split(";").explode().str.strip()
    aliases = aliases[aliases.fillna("") != ""]
    table = pd.concat(
        [
            pd.DataFrame({"pos": entities.index, "id": entities["id"], "alias": entities["id"],
                          "is_id": True}),
            pd.DataFrame({"pos": aliases.index, "id": entities["id"].loc[aliases.index],
                          "alias": aliases.to_numpy(), "is_id": False}),
        ],
        ignore_index=True,
    )
    table = table[table["alias"] != ""]
    table["key"] = table["alias"].str.lower()
    return table


def _check_aliases(entities: pd.DataFrame, rows: np.ndarray, file: str, problems: Problems):
    table = _alias_table(entities)
    pairs = table.drop_duplicates(["key", "id"])
    # Only names of more than one entity need their owners listed (usually none).
    shared = pairs[pairs["key"].duplicated(keep=False)].groupby("key")["id"].agg(list)
    clashes = table[~table["is_id"] & table["key"].isin(shared.index)]
    if len(clashes):
        others = [
            ", ".join(i for i in shared[k] if i != own)
            for k, own in zip(clashes["key"], clashes["id"], strict=True)
        ]
        problems.add_rows(
            file, rows[clashes["pos"].to_numpy()], "aliases", clashes["alias"],
            pd.Series(others, dtype=object).radd("ambiguous alias: it also names ").to_numpy(),
        )


def entity_lookup(entities: pd.DataFrame) -> pd.Series:
    """Map of lower-cased id or alias -> entity id, for names that name one entity only."""
    table = _alias_table(entities).drop_duplicates(["key", "id"])
    unique = table[~table["key"].duplicated(keep=False)]
    return pd.Series(unique["id"].to_numpy(), index=unique["key"].to_numpy())


def _resolve(refs: pd.Series, entities: pd.DataFrame) -> pd.DataFrame:
    """Resolve entity references (id or alias, any case) to ids, per distinct value."""
    ids = set(entities["id"])
    table = _alias_table(entities).drop_duplicates(["key", "id"])
    listed: dict[str, list[str]] = {}
    for key, owner in zip(table["key"], table["id"], strict=True):
        listed.setdefault(key, []).append(owner)
    # sorted owners per name, as a groupby would give, without a Python call per group
    owners = pd.Series({k: sorted(v) for k, v in listed.items()}, dtype=object)

    def resolve(unique: pd.Series) -> pd.DataFrame:
        exact = unique.isin(ids)
        found = unique.str.lower().map(owners)  # a list of ids, or NaN when none
        n = np.array([len(f) if isinstance(f, list) else 0 for f in found], dtype=np.int64)
        first = np.array([f[0] if isinstance(f, list) else "" for f in found], dtype=object)
        resolved = np.where(exact, unique, np.where(n == 1, first, ""))
        reason = np.full(len(unique), None, dtype=object)
        ambiguous = ~exact.to_numpy() & (n > 1)
        reason[ambiguous] = [
            "ambiguous alias: it names " + ", ".join(o) for o in found[ambiguous]
        ]
        reason[~exact.to_numpy() & (n == 0)] = "unknown entity or alias"
        reason[(unique == "").to_numpy()] = "required value missing"
        return pd.DataFrame({"id": pd.array(resolved, dtype="str"), "reason": reason})

    return _map_unique(refs, resolve)


# ------------------------------------------------------------------------- relations


def _relations(
    frame: pd.DataFrame,
    entities: pd.DataFrame,
    vocabulary: Vocabulary,
    file: str,
    first_row: int,
    problems: Problems,
) -> pd.DataFrame:
    rows, frame = _row_numbers(frame, first_row)
    missing = _missing_columns(frame, RELATION_REQUIRED, file, problems)
    out = pd.DataFrame(index=frame.index)
    out["id"] = _relation_ids(frame, rows, file, problems)

    raw_refs = {}
    for column in ("source", "target"):
        raw = _text(frame[column]) if column in frame.columns else pd.Series("", index=out.index)
        raw_refs[column] = raw
        if column in missing:
            out[column] = raw
            continue
        resolved = _resolve(raw, entities)
        ids = resolved["id"].array  # "str" already: no Python string per row
        out[column] = ids if len(ids) else ids.to_numpy()  # (no rows: object, as before)
        bad = resolved["reason"].notna().to_numpy()
        problems.add_rows(file, rows[bad], column, raw[bad], resolved["reason"][bad].to_numpy())
    if not {"source", "target"} & missing:
        self_loop = ((out["source"] == out["target"]) & (out["source"] != "")).to_numpy()
        problems.add_rows(
            file, rows[self_loop], "target", raw_refs["target"][self_loop],
            "self-relation: source and target are the same entity",
        )
    raw_refs = raw = resolved = None  # free the raw and resolved references

    out["type"] = _text(frame["type"]) if "type" in frame.columns else ""
    known = out["type"].isin(list(vocabulary.types)).to_numpy()
    if "type" not in missing:
        empty = (out["type"] == "").to_numpy()
        problems.add_rows(file, rows[empty], "type", out["type"][empty], "required value missing")
        unknown = ~known & ~empty
        problems.add_rows(
            file, rows[unknown], "type", out["type"][unknown],
            "unknown relation type: register it first (graphkit.register_relation_type) "
            "or add it to relation_types.csv",
        )

    types = pd.factorize(out["type"], use_na_sentinel=False)  # once, for every default
    spans = _dates(frame, out, vocabulary, rows, file, missing, problems, types)
    if not {"source", "target", "start"} & missing:
        _check_existence(out, entities, spans, rows, file, problems)

    def default(attribute: str) -> pd.Series:
        return _map_values(out["type"], vocabulary.column(attribute), types)

    weight, empty, bad = _numbers(_column(frame, "weight", out.index))
    problems.add_rows(file, rows[bad], "weight", frame["weight"][bad] if bad.any() else [],
                      "weight is not a number")
    outside = ~bad & ~empty & ((weight < -10) | (weight > 10))
    problems.add_rows(file, rows[outside], "weight", _column(frame, "weight", out.index)[outside],
                      "weight outside the Goldstein range -10..10")
    out["weight"] = np.where(empty, default("weight").to_numpy(dtype=float, na_value=0.0), weight)
    del weight  # (each temporary is a column's worth of memory: free them as we go)

    sign, empty, bad = _numbers(_column(frame, "sign", out.index))
    bad |= ~empty & ~np.isin(sign, (-1.0, 0.0, 1.0))
    problems.add_rows(file, rows[bad], "sign", frame["sign"][bad] if bad.any() else [],
                      "sign must be -1, 0 or 1")
    sign = np.where(empty | bad, default("sign").to_numpy(dtype=float, na_value=0.0), sign)
    out["sign"] = sign.astype("int8")
    del sign

    directed, empty, bad = _booleans(_column(frame, "directed", out.index))
    problems.add_rows(file, rows[bad], "directed", frame["directed"][bad] if bad.any() else [],
                      "directed must be true or false")
    fallback = default("directed").astype("boolean").fillna(True).to_numpy(dtype=bool)
    out["directed"] = np.where(empty | bad, fallback, directed)
    del directed, fallback

    confidence, empty, bad = _numbers(_column(frame, "confidence", out.index))
    problems.add_rows(file, rows[bad], "confidence",
                      frame["confidence"][bad] if bad.any() else [],
                      "confidence is not a number")
    outside = ~bad & ~empty & ((confidence < 0) | (confidence > 1))
    problems.add_rows(file, rows[outside], "confidence",
                      _column(frame, "confidence", out.index)[outside],
                      "confidence outside 0..1")
    out["confidence"] = np.where(empty, 1.0, confidence)
    del confidence

    quad, empty, bad = _numbers(_column(frame, "quad_class", out.index))
    bad |= ~empty & ~np.isin(quad, (0.0, 1.0, 2.0, 3.0, 4.0))
    problems.add_rows(file, rows[bad], "quad_class",
                      frame["quad_class"][bad] if bad.any() else [],
                      "quad_class must be 0, 1, 2, 3 or 4")
    quad = np.where(empty | bad, default("quad_class").to_numpy(dtype=float, na_value=0.0), quad)
    out["quad_class"] = quad.astype("int8")
    del quad, empty, bad, outside
    types = None  # (the defaults are all taken)

    for column in ("evidence", "source_ref"):
        out[column] = _text(frame[column]) if column in frame.columns else ""
    extras = [c for c in frame.columns if c not in RELATION_COLUMNS and c not in DERIVED_COLUMNS]
    if extras:  # all at once: one insert per column is quadratic in the number of columns
        added = pd.DataFrame({c: frame[c].to_numpy() for c in extras}, index=out.index)
        out = pd.concat([out, added], axis=1)
    for column in ("t_start", "t_end", "durable"):
        out[column] = out.pop(column)
    out["signed_weight"] = out["sign"] * np.abs(out["weight"])
    return out


def _relation_ids(frame: pd.DataFrame, rows: np.ndarray, file: str,
                  problems: Problems) -> np.ndarray | pd.api.extensions.ExtensionArray:
    """Each relation's stable id: the ``id`` column when given, else its row number."""
    if "id" not in frame.columns:
        return rows.astype(np.int64)
    text = _text(frame["id"])
    empty = (text == "").to_numpy()
    problems.add_rows(file, rows[empty], "id", text[empty],
                      "required value missing: with an id column every relation needs an id")
    repeated = text.duplicated(keep=False).to_numpy() & ~empty
    problems.add_rows(file, rows[repeated], "id", text[repeated],
                      "duplicate relation id: ids must be unique")
    if len(text) and text.str.fullmatch(r"[1-9][0-9]{0,17}").all():
        return text.astype(np.int64).to_numpy()  # row numbers written back by graphkit.save
    return text.array


def _column(frame: pd.DataFrame, name: str, index: pd.Index) -> pd.Series:
    return frame[name] if name in frame.columns else pd.Series(np.nan, index=index)


def _texts(parsed: pd.DataFrame, codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """The ``text`` of parsed dates, row by row (as strings; an empty object array when
    there are no rows, as an assignment of ``.to_numpy()`` gives)."""
    texts = pd.array(parsed["text"].to_numpy(dtype=object), dtype="str").take(codes)
    return texts if len(codes) else texts.to_numpy()


def _dates(
    frame: pd.DataFrame,
    out: pd.DataFrame,
    vocabulary: Vocabulary,
    rows: np.ndarray,
    file: str,
    missing: set[str],
    problems: Problems,
    types: tuple | None = None,
) -> dict[str, np.ndarray]:
    """Parse ``start`` and ``end``, report bad dates, set ``t_start``/``t_end``.

    Returns the spans the existence check needs: ``start_end`` (the end of the start's
    unit), ``end_start`` (the beginning of the end's unit, NaT when there is no end) and
    ``ongoing`` (durable relations with no end).
    """
    # Each distinct date is parsed once; only the needed columns are taken per row.
    start_codes, start = parse_partial_date_codes(
        _column(frame, "start", out.index) if "start" in frame.columns
        else pd.Series("", index=out.index))
    end_codes, end = parse_partial_date_codes(_column(frame, "end", out.index))
    out["start"] = _texts(start, start_codes)
    out["end"] = _texts(end, end_codes)
    if "start" not in missing:
        empty = (out["start"] == "").to_numpy()
        problems.add_rows(file, rows[empty], "start", out["start"][empty],
                          "required value missing")
        bad = start["error"].notna().to_numpy()[start_codes]
        problems.add_rows(file, rows[bad], "start", out["start"][bad],
                          start["error"].to_numpy(dtype=object)[start_codes[bad]])
    bad_end = end["error"].notna().to_numpy()[end_codes]
    problems.add_rows(file, rows[bad_end], "end", out["end"][bad_end],
                      end["error"].to_numpy(dtype=object)[end_codes[bad_end]])
    start_start = start["start"].to_numpy(dtype="datetime64[s]")[start_codes]
    end_end = end["end"].to_numpy(dtype="datetime64[s]")[end_codes]
    reversed_ = end_end <= start_start
    problems.add_rows(file, rows[reversed_], "end", out["end"][reversed_],
                      "end is before start (" + out["start"][reversed_].astype(str) + ")")

    durable = _map_values(out["type"], vocabulary.column("durable"), types)
    durable = durable.astype("boolean").fillna(False).to_numpy(dtype=bool)
    no_end = np.isnat(end_end)
    t_end = np.where(no_end, start["end"].to_numpy(dtype="datetime64[s]")[start_codes], end_end)
    t_end[no_end & durable] = ONGOING.to_datetime64().astype("datetime64[s]")
    out["t_start"] = start_start
    out["t_end"] = t_end
    out["durable"] = durable
    return {
        "start_end": start["end"].to_numpy(dtype="datetime64[s]")[start_codes],
        "end_start": end["start"].to_numpy(dtype="datetime64[s]")[end_codes],
        "ongoing": no_end & durable,
    }


def _existence_bounds(entities: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Per entity id: when it began (NaT: always) and when it ceased (NaT: never)."""
    bounds = []
    for column, edge in (("start", "start"), ("end", "end")):
        if column not in entities.columns:
            bounds.append(pd.Series(pd.NaT, index=entities["id"], dtype="datetime64[s]"))
            continue
        codes, dates = parse_partial_date_codes(entities[column])
        values = dates[edge].to_numpy(dtype="datetime64[s]")[codes]
        values[dates["error"].notna().to_numpy()[codes]] = np.datetime64("NaT")
        bounds.append(pd.Series(values, index=entities["id"].to_numpy()))
    began, ceased = (b[~b.index.duplicated()] for b in bounds)
    reversed_ = (ceased <= began).to_numpy()  # reported on the entity: not used here
    began[reversed_], ceased[reversed_] = pd.NaT, pd.NaT
    return began, ceased


def _check_existence(
    out: pd.DataFrame,
    entities: pd.DataFrame,
    spans: dict[str, np.ndarray],
    rows: np.ndarray,
    file: str,
    problems: Problems,
) -> None:
    """Report relations dated outside the existence of their source or target.

    A partial date covers its unit, so a relation is outside only when its whole start
    unit lies before the actor began, when it starts after the actor ceased, or when its
    end (or an ongoing durable relation) runs past the actor's end.
    """
    began, ceased = _existence_bounds(entities)
    if began.isna().all() and ceased.isna().all():
        return
    start_start = out["t_start"].to_numpy(dtype="datetime64[s]")
    for role in ("source", "target"):
        ids = out[role]
        first = _map_values(ids, began.to_dict()).to_numpy(dtype="datetime64[s]")
        last = _map_values(ids, ceased.to_dict()).to_numpy(dtype="datetime64[s]")
        before = ~np.isnat(first) & (spans["start_end"] <= first)
        after = ~np.isnat(last) & (start_start >= last)
        runs_on = ~np.isnat(last) & ~after & (
            (~np.isnat(spans["end_start"]) & (spans["end_start"] >= last)) | spans["ongoing"])
        actor = ids.astype(str)
        began_text = pd.Series(np.datetime_as_string(first, unit="D"), index=out.index)
        ceased_text = pd.Series(np.datetime_as_string(last, unit="D"), index=out.index)
        problems.add_rows(file, rows[before], "start", out["start"][before],
                          ("dated before " + role + " " + actor[before]
                           + " existed (from " + began_text[before] + ")").to_numpy())
        problems.add_rows(file, rows[after], "start", out["start"][after],
                          ("dated after " + role + " " + actor[after]
                           + " ceased to exist (on " + ceased_text[after] + ")").to_numpy())
        problems.add_rows(file, rows[runs_on], "end", out["end"][runs_on],
                          ("runs past the end of " + role + " " + actor[runs_on]
                           + " (ceased on " + ceased_text[runs_on] + ")").to_numpy())
