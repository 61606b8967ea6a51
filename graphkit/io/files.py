"""Reading and writing graphkit folders and JSON files.

A graphkit folder holds ``entities.csv`` and ``relations.csv`` (or ``.parquet`` for large
imports), optionally ``relation_types.csv`` with user-defined relation types, and
optionally a Frictionless ``datapackage.json`` describing them. Every input is untrusted:
problems are collected across all files and raised together as a
:class:`graphkit.ValidationError`; writing is atomic (a failed save leaves nothing).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from pathlib import Path

import numpy as np
import pandas as pd

from graphkit import model
from graphkit.atomic import atomic_folder, write_csv, write_text, writing
from graphkit.temporal import TemporalGraph
from graphkit.validation import Problems
from graphkit.vocabulary import BUILTIN, Vocabulary, default_vocabulary
from graphkit.vocabulary import COLUMNS as TYPE_COLUMNS

__all__ = ["load", "read_json", "save", "to_json", "write_json"]

JSON_FORMAT = "graphkit-temporal-graph"
JSON_VERSION = 1

FIELD_DOCS = {
    "entities": {
        "id": ("string", "Stable short code: ISO 3166 alpha-3 for states, upper case otherwise"),
        "name": ("string", "Display name"),
        "type": ("string", "state, organisation, person, territory, armed_group, group, ..."),
        "aliases": ("string", "Other names, separated by ';', matched case-insensitively"),
    },
    "relations": {
        "source": ("string", "Entity id (or alias) of the actor"),
        "target": ("string", "Entity id (or alias) acted upon"),
        "type": ("string", "Relation type from the vocabulary"),
        "start": ("string", "Partial ISO date YYYY, YYYY-MM or YYYY-MM-DD"),
        "end": ("string", "Partial ISO date; empty: ongoing (durable) or on start (event)"),
        "weight": ("number", "Strength on the Goldstein -10..10 scale"),
        "sign": ("integer", "+1 cooperative, 0 neutral, -1 hostile"),
        "directed": ("boolean", "Whether the relation goes from source to target"),
        "confidence": ("number", "Confidence of the curator, 0..1"),
        "quad_class": ("integer", "CAMEO quad class: 0 none, 1-4 verbal/material coop/conflict"),
        "evidence": ("string", "What happened, in the curator's own words"),
        "source_ref": ("string", "Where it is reported"),
    },
}


# ------------------------------------------------------------------------- reading


def load(path: str | os.PathLike) -> TemporalGraph:
    """Load a temporal graph from a graphkit folder or a JSON file.

    Parameters
    ----------
    path : str or path-like
        A folder with ``entities.csv`` and ``relations.csv`` (or ``.parquet``), and
        optionally ``relation_types.csv`` and ``datapackage.json``; or a ``.json`` file
        written by :func:`write_json`.

    Returns
    -------
    TemporalGraph

    Raises
    ------
    graphkit.ValidationError
        With every problem in every file: file, row (the header is row 1), column,
        value and reason.

    Examples
    --------
    >>> import graphkit
    >>> tg = graphkit.load("data/nagorno_karabakh")  # doctest: +SKIP
    """
    path = Path(path)
    problems = Problems()
    if path.is_file() and path.suffix.lower() == ".json":
        return read_json(path)
    if not path.exists():
        problems.add(str(path), "no such file or folder")
        problems.raise_if_any()
    if not path.is_dir():
        problems.add(str(path), "not a folder holding entities.csv and relations.csv, "
                                "nor a .json file")
        problems.raise_if_any()

    descriptor, resources = _read_descriptor(path, problems)
    vocabulary = default_vocabulary()
    types_path = resources.get("relation_types", {}).get("path", "relation_types.csv")
    if (path / types_path).exists():
        frame = _read_table(path / types_path, problems, resources.get("relation_types"))
        if frame is not None:
            _add_types(vocabulary, frame, str(path / types_path), problems)

    tables = {}
    for name in ("entities", "relations"):
        tables[name] = _read_named_table(path, name, resources.get(name), problems)
    if tables["entities"] is None or tables["relations"] is None:
        problems.raise_if_any()
    entities, relations = model.build(
        tables["entities"],
        tables["relations"],
        vocabulary,
        entities_file=str(_table_path(path, "entities", resources.get("entities"))),
        relations_file=str(_table_path(path, "relations", resources.get("relations"))),
        first_row=None,
        problems=problems,
    )
    metadata = {k: v for k, v in descriptor.items() if k != "resources"}
    return TemporalGraph(entities, relations, vocabulary, metadata)


def _table_path(folder: Path, name: str, resource: dict | None) -> Path:
    if resource and resource.get("path"):
        return folder / resource["path"]
    parquet = folder / f"{name}.parquet"
    return parquet if parquet.exists() and not (folder / f"{name}.csv").exists() \
        else folder / f"{name}.csv"


def _read_named_table(folder: Path, name: str, resource: dict | None, problems: Problems):
    path = _table_path(folder, name, resource)
    if not path.exists():
        problems.add(str(path), f"missing file: a graphkit folder needs {name}.csv")
        return None
    return _read_table(path, problems, resource)


def _read_descriptor(folder: Path, problems: Problems) -> tuple[dict, dict[str, dict]]:
    path = folder / "datapackage.json"
    if not path.exists():
        return {}, {}
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as err:
        problems.add(str(path), f"undecodable bytes (not UTF-8) at byte {err.start}")
        return {}, {}
    except json.JSONDecodeError as err:
        problems.add(str(path), f"not valid JSON: {err.msg} (line {err.lineno}, "
                                f"column {err.colno})", row=err.lineno)
        return {}, {}
    if not isinstance(descriptor, dict):
        problems.add(str(path), "a data package descriptor must be a JSON object")
        return {}, {}
    resources = {}
    for i, resource in enumerate(descriptor.get("resources") or []):
        if not isinstance(resource, dict) or not isinstance(resource.get("path"), str):
            problems.add(str(path), "resource needs a 'path' string", column=f"resources[{i}]")
            continue
        target = (folder / resource["path"]).resolve()
        if folder.resolve() not in target.parents:
            problems.add(str(path), "resource path must stay inside the folder",
                         column=f"resources[{i}].path", value=resource["path"])
            continue
        name = resource.get("name") or Path(resource["path"]).stem
        resources[name] = resource
    return descriptor, resources


def _read_table(path: Path, problems: Problems, resource: dict | None = None):
    """Read one table as text, or record why it cannot be read and return None."""
    if path.suffix.lower() == ".parquet":
        try:
            frame = pd.read_parquet(path)
            frame.index = np.arange(len(frame)) + 1
            return frame
        except Exception as err:  # pyarrow raises many kinds
            problems.add(str(path), f"unreadable Parquet file: {err}")
            return None
    raw = path.read_bytes()
    if not raw.strip():
        problems.add(str(path), "file is empty: it needs at least a header row")
        return None
    encoding = (resource or {}).get("encoding", "utf-8").lower().replace("_", "-")
    if encoding in ("utf-8", "utf8"):
        encoding = "utf-8-sig"
    try:
        text = raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        _report_undecodable(path, raw, encoding, problems)
        return None
    delimiter = ((resource or {}).get("dialect") or {}).get("delimiter", ",")
    return _parse_csv(path, text, delimiter, problems)


def _parse_csv(path: Path, text: str, delimiter: str, problems: Problems):
    """Parse CSV text into a frame of strings indexed by row number (header is row 1).

    Rows whose field count differs from the header's are reported and left out, so every
    other row keeps the number a spreadsheet shows for it.
    """
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                                  strict=True))
    except csv.Error as err:
        problems.add(str(path), f"malformed CSV: {err}")
        return None
    header = records[0] if records else []
    dup = sorted({c for c in header if header.count(c) > 1})
    for column in dup:
        problems.add(str(path), "column appears more than once in the header", row=1,
                     column=column)
    if dup or not any(c.strip() for c in header):
        if not dup:
            problems.add(str(path), "the first row must be a header naming the columns", row=1)
        return None
    numbers, rows = [], []
    for number, record in enumerate(records[1:], start=2):
        if not record or (len(record) == 1 and not record[0].strip()):
            continue
        if len(record) != len(header):
            problems.add(
                str(path), f"row has {len(record)} fields but the header has {len(header)}",
                row=number, value=delimiter.join(record),
            )
            continue
        numbers.append(number)
        rows.append(record)
    frame = pd.DataFrame(rows, columns=header, dtype="str") if rows else \
        pd.DataFrame(columns=header, dtype="str")
    frame.index = np.asarray(numbers, dtype=int)
    return frame


def _report_undecodable(path: Path, raw: bytes, encoding: str, problems: Problems) -> None:
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    try:
        "".encode(codec)
    except LookupError:
        problems.add(str(path), f"unknown encoding {encoding!r} in datapackage.json")
        return
    for number, line in enumerate(raw.split(b"\n"), start=1):
        try:
            line.decode(codec)
        except UnicodeDecodeError as err:
            problems.add(
                str(path), f"undecodable bytes (not {codec.upper()}) at column {err.start + 1}",
                row=number, value=line[max(err.start - 10, 0): err.end + 10].decode(
                    codec, errors="backslashreplace"),
            )


def _add_types(vocabulary: Vocabulary, frame: pd.DataFrame, file: str, problems: Problems):
    missing = [c for c in ("type", "sign", "weight", "durable") if c not in frame.columns]
    for column in missing:
        problems.add(file, "required column is missing", column=column)
    if missing:
        return
    for number, record in enumerate(frame.to_dict("records"), start=2):
        try:
            new = Vocabulary.from_frame(pd.DataFrame([record]))
            (relation_type,) = new
            vocabulary.register(relation_type, replace=True)
        except (ValueError, TypeError) as err:
            problems.add(file, str(err), row=number, column="type", value=record.get("type"))


# ------------------------------------------------------------------------- writing


def _user_relations(tg: TemporalGraph) -> pd.DataFrame:
    return tg.relations.drop(columns=model.DERIVED_COLUMNS).reset_index(drop=True)


def _custom_types(tg: TemporalGraph) -> pd.DataFrame:
    custom = [t for t in tg.vocabulary if BUILTIN.types.get(t.name) != t]
    return Vocabulary({t.name: t for t in custom}).to_frame()


def _schema(name: str, frame: pd.DataFrame) -> dict:
    docs = FIELD_DOCS.get(name, {})
    fields = []
    for column in frame.columns:
        kind, description = docs.get(column, ("string", "Extra column kept from the input"))
        field = {"name": str(column), "type": kind, "description": description}
        if kind == "boolean":
            field.update(trueValues=["true"], falseValues=["false"])
        fields.append(field)
    schema = {"fields": fields, "missingValues": [""]}
    if name == "entities":
        schema["primaryKey"] = ["id"]
    return schema


def _csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_bool_dtype(out[column]):
            out[column] = np.where(out[column], "true", "false")
    return out


def save(tg: TemporalGraph, path: str | os.PathLike, *, format: str = "csv",
         force: bool = False, raw_csv: bool = False) -> Path:
    """Write a temporal graph as a graphkit folder, atomically.

    The folder holds ``entities`` and ``relations`` tables (CSV, or Parquet with
    ``format="parquet"``), ``relation_types.csv`` when the graph uses types beyond the
    built-in vocabulary, and a Frictionless ``datapackage.json`` describing them and
    carrying the graph's metadata. :func:`load` reads it back to equal tables. The folder
    is written next to its destination and moved into place only when complete.

    Parameters
    ----------
    tg : TemporalGraph
    path : path-like
        Folder to write. It may not exist yet, be empty, or be an earlier graphkit output
        (it holds :data:`graphkit.atomic.MARKER`); any other folder, or a file, is refused
        with :class:`graphkit.atomic.UnsafeOutputError` unless ``force=True`` (folders only).
    format : {"csv", "parquet"}
    force : bool
        Replace a non-empty folder graphkit did not write.
    raw_csv : bool
        Write text cells as they are; by default cells that a spreadsheet would run as a
        formula get a leading ``'`` (see :func:`graphkit.atomic.neutralise`).

    Returns
    -------
    pathlib.Path
        The folder written.
    """
    if format not in ("csv", "parquet"):
        raise ValueError(f"format must be 'csv' or 'parquet', not {format!r}")
    path = Path(path)
    tables = {"entities": tg.entities.reset_index(drop=True), "relations": _user_relations(tg)}
    custom = _custom_types(tg)
    if len(custom):
        tables["relation_types"] = custom
    resources = []
    with atomic_folder(path, force=force) as tmp:
        for name, frame in tables.items():
            suffix = "parquet" if format == "parquet" and name != "relation_types" else "csv"
            filename = f"{name}.{suffix}"
            if suffix == "parquet":
                with writing(tmp / filename, "wb") as handle:
                    frame.to_parquet(handle, index=False)
            else:
                write_csv(_csv_frame(frame), tmp / filename, raw=raw_csv)
            resources.append({
                "name": name, "path": filename, "profile": "tabular-data-resource",
                "format": suffix, "mediatype": "text/csv" if suffix == "csv"
                else "application/vnd.apache.parquet",
                **({"encoding": "utf-8"} if suffix == "csv" else {}),
                "schema": _schema(name, frame),
            })
        descriptor = {"profile": "tabular-data-package", **tg.metadata, "resources": resources}
        descriptor.setdefault("name", path.name.lower().replace("_", "-") or "graphkit-data")
        write_text(tmp / "datapackage.json",
                   json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n")
    return path


def _records(frame: pd.DataFrame) -> list[dict]:
    out = []
    for record in frame.to_dict("records"):
        out.append({k: _json_value(v) for k, v in record.items()})
    return out


def _json_value(value):
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def to_json(tg: TemporalGraph) -> str:
    """The temporal graph as a JSON document (see :func:`write_json`)."""
    entities = tg.entities.copy()
    entities["aliases"] = [[a for a in s.split(";") if a] for s in entities["aliases"]]
    document = {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "metadata": tg.metadata,
        "relation_types": _records(_custom_types(tg)),
        "entities": _records(entities),
        "relations": _records(_user_relations(tg)),
    }
    return json.dumps(document, indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def write_json(tg: TemporalGraph, path: str | os.PathLike) -> Path:
    """Write the graph to one JSON file, atomically; :func:`read_json` reads it back."""
    return write_text(path, to_json(tg))


def read_json(path: str | os.PathLike) -> TemporalGraph:
    """Read a graph written by :func:`write_json`.

    Problems are reported with ``row`` = the record's position (first record is 1).
    """
    path = Path(path)
    problems = Problems()
    name = str(path)
    try:
        document = json.loads(path.read_bytes().decode("utf-8-sig"))
    except FileNotFoundError:
        problems.add(name, "no such file or folder")
        problems.raise_if_any()
    except UnicodeDecodeError as err:
        problems.add(name, f"undecodable bytes (not UTF-8) at byte {err.start}")
        problems.raise_if_any()
    except json.JSONDecodeError as err:
        problems.add(name, f"not valid JSON: {err.msg} (line {err.lineno}, column {err.colno})",
                     row=err.lineno)
        problems.raise_if_any()
    if not isinstance(document, dict):
        problems.add(name, "expected a JSON object with 'entities' and 'relations'")
        problems.raise_if_any()
    tables = {}
    for key in ("entities", "relations"):
        records = document.get(key)
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            problems.add(name, f"'{key}' must be a list of objects", column=key)
            continue
        tables[key] = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    vocabulary = default_vocabulary()
    types = document.get("relation_types") or []
    if types:
        _add_types(vocabulary, pd.DataFrame.from_records(types).reindex(columns=TYPE_COLUMNS),
                   f"{name}#relation_types", problems)
    if len(tables) < 2:
        problems.raise_if_any()
    entities, relations = model.build(
        tables["entities"], tables["relations"], vocabulary,
        entities_file=f"{name}#entities", relations_file=f"{name}#relations",
        first_row=1, problems=problems,
    )
    metadata = document.get("metadata") if isinstance(document.get("metadata"), dict) else {}
    return TemporalGraph(entities, relations, vocabulary, metadata)
