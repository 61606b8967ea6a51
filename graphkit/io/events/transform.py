"""Events to relations: one chunk of raw event rows to graphkit relations (CAMEO types,
weights, quad classes, evidence), with the counts the import report needs."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from graphkit.core.dates import parse_partial_dates
from graphkit.io.cameo import CameoMap, import_vocabulary, load_cameo_map, normalize_codes
from graphkit.io.events.dedupe import DEDUPE_MODES
from graphkit.io.events.entities import actor_keys
from graphkit.io.events.registry import get_schema
from graphkit.io.events.report import MALFORMED_LIMIT
from graphkit.io.events.roles import NONSTATE_OPTIONS
from graphkit.io.events.schema import EventSchema, text_column

__all__ = ["check_options", "event_days", "events_to_relations", "parse_numbers",
           "transform_chunk"]

_MISSING_KEY = {"country": "no country code", "actor": "no actor code", "name": "no actor name"}


def event_days(values: pd.Series, date_format: str) -> pd.Series:
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


def parse_numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``(numbers, bad)``: numbers (NaN where empty) and non-empty cells not numbers."""
    empty = (values == "").to_numpy()
    numbers = pd.to_numeric(values.where(~pd.Series(empty, index=values.index)),
                            errors="coerce").to_numpy(dtype=float)
    return numbers, np.isnan(numbers) & ~empty


def transform_chunk(  # noqa: C901 - one step per column
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

    raw_date = text_column(chunk, schema.date, na)
    day = event_days(raw_date, schema.date_format)
    sides = {side: actor_keys(chunk, schema, key, side, nonstate, organisations)
             for side in ("source", "target")}
    src, tgt = sides["source"].value, sides["target"].value
    src_unknown, tgt_unknown = sides["source"].unknown, sides["target"].unknown
    raw_code = text_column(chunk, schema.code, na)
    codes = normalize_codes(raw_code, cmap.codes, schema.min_code_digits)
    status = codes["status"].to_numpy(dtype=object)
    raw_weight = text_column(chunk, schema.weight, na)
    file_weight, bad_weight = parse_numbers(raw_weight)
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
        quad = pd.Series(parse_numbers(sel(text_column(chunk, schema.quad_class, na)))[0],
                         index=rtype.index)
        quad = quad.where(quad.isin([1, 2, 3, 4]))
    quad = quad.fillna(entry["quad_class"]).fillna(0).to_numpy().astype("int8")
    durable = rtype.map(import_vocabulary().column("durable")).fillna(False).astype(bool)
    start = sel(day)
    code = sel(codes["code"]).astype("str")
    description = entry["description"].astype("str").fillna("")
    if schema.description:
        given = sel(text_column(chunk, schema.description, na))
        description = given.where(given != "", description)
    event_id = sel(text_column(chunk, schema.event_id, na))
    ref = pd.Series(schema.label, index=event_id.index, dtype="str")
    ref = ref.where(event_id == "", ref + " " + event_id)
    for prefix, column in schema.ref_columns:
        part = sel(text_column(chunk, column, na))
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
                value = sel(text_column(chunk, column, na))
                out[f"{side}_{part}"] = value.str.upper() if part == "actor" else value
    if schema.story:
        out["story_id"] = sel(text_column(chunk, schema.story, na))
    for side in ("source", "target"):
        out[f"{side}_role"] = sel(sides[side].role)
        out[f"{side}_state"] = sel(sides[side].state)
    for name, column, kind in schema.extras:
        value = sel(text_column(chunk, column, na))
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
    >>> from graphkit.io.events.gdelt import GDELT1_COLUMNS
    >>> raw = dd.read_csv("*.export.CSV", sep="\\t", header=None, names=GDELT1_COLUMNS,
    ...                   dtype=str, keep_default_na=False, quoting=3)  # doctest: +SKIP
    >>> relations = raw.map_partitions(events_to_relations, "gdelt")  # doctest: +SKIP
    """
    schema = get_schema(schema)
    schema.key_columns(key)
    if weights not in ("file", "table"):
        raise ValueError(f"weights must be 'file' or 'table', not {weights!r}")
    cmap = load_cameo_map(cameo_map)
    check_options(nonstate, "none")
    out, _ = transform_chunk(chunk, schema, cmap, key, weights, keep_skipped, "", nonstate,
                             organisations)
    return out


def check_options(nonstate: str, dedupe: str | bool) -> str:
    """Check ``nonstate`` and return the dedupe mode (``True`` -> ``"day"``)."""
    if nonstate not in NONSTATE_OPTIONS:
        raise ValueError(f"nonstate must be one of {', '.join(NONSTATE_OPTIONS)}, "
                         f"not {nonstate!r}")
    mode = {True: "day", False: "none"}.get(dedupe, dedupe) \
        if isinstance(dedupe, bool) else dedupe
    if mode not in DEDUPE_MODES:
        raise ValueError(f"dedupe must be one of {', '.join(DEDUPE_MODES)}, not {dedupe!r}")
    return mode
