"""Reading and writing graphkit folders and JSON files.

A graphkit folder holds ``entities.csv`` and ``relations.csv`` (or ``.parquet`` for large
imports), optionally ``relation_types.csv`` with user-defined relation types, and
optionally a Frictionless ``datapackage.json`` describing them. Every input is untrusted:
problems are collected across all files and raised together as a
:class:`graphkit.ValidationError`; writing is atomic (a failed save leaves nothing).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from graphkit import model
from graphkit.core.atomic import atomic_folder, write_csv, write_text, writing
from graphkit.core.problems import Problems
from graphkit.core.vocabulary import BUILTIN, Vocabulary, default_vocabulary
from graphkit.core.vocabulary import COLUMNS as TYPE_COLUMNS
from graphkit.model.temporal import TemporalGraph

__all__ = ["load", "read_json", "save", "to_json", "write_json"]

JSON_FORMAT = "graphkit-temporal-graph"
JSON_VERSION = 1

# Limits on untrusted input, far above real data; exceeding one is a located problem,
# never memory growth or a hang (README, "Security and limits").
#: Characters in one CSV field (an entity with many aliases is a few thousand).
MAX_FIELD_CHARS = 1 << 20
#: Columns in one table (graphkit uses 12; extra columns are kept).
MAX_COLUMNS = 10_000
#: Nesting depth of a JSON document (graphkit writes 3 levels).
MAX_JSON_DEPTH = 64
#: Size of ``datapackage.json``.
MAX_DESCRIPTOR_BYTES = 16 << 20
#: Size of a graph ``.json`` file.
MAX_JSON_BYTES = 2 << 30
#: Characters of a value quoted in a problem.
_VALUE_CHARS = 200
_SCALARS = (str, int, float, bool, type(None))
_SURROGATE = re.compile("[\ud800-\udfff]")

FIELD_DOCS = {
    "entities": {
        "id": ("string", "Stable short code: ISO 3166 alpha-3 for states, upper case otherwise"),
        "name": ("string", "Display name"),
        "type": ("string", "state, organisation, person, territory, armed_group, group, ..."),
        "aliases": ("string", "Other names, separated by ';', matched case-insensitively"),
    },
    "relations": {
        "id": ("string", "Stable relation id (unique); default: the row number in the file"),
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
        optionally ``relation_types.csv`` and ``datapackage.json``; a ``.json`` file
        written by :func:`write_json`; or a ``.gexf`` file written by
        :func:`graphkit.io.write_gexf` (see :func:`graphkit.io.gexf.read_gexf`).

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
    if path.suffix.lower() == ".json" and path.exists() and not path.is_dir():
        return read_json(path)
    if path.is_file() and path.suffix.lower() == ".gexf":
        from graphkit.io.gexf import read_gexf

        return read_gexf(path)
    if not path.exists():
        problems.add(str(path), "no such file or folder")
        problems.raise_if_any()
    if not path.is_dir():
        problems.add(str(path), "not a folder holding entities.csv and relations.csv, "
                                "nor a .json or .gexf file")
        problems.raise_if_any()

    descriptor, resources = _read_descriptor(path, problems)
    vocabulary = default_vocabulary()
    types_path = resources.get("relation_types", {}).get("path", "relation_types.csv")
    if os.path.lexists(path / types_path) and _readable(path, path / types_path, problems):
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


def _readable(folder: Path | None, path: Path, problems: Problems) -> bool:
    """Whether ``path`` is a regular file (inside ``folder`` once links are followed);
    records why not. A FIFO would block the reader forever; a link leading out of the
    folder would publish another file's content."""
    if folder is not None and path.is_symlink():
        target = path.resolve()
        if folder.resolve() not in target.parents:
            problems.add(str(path), "symbolic link leading outside the folder: refused")
            return False
    try:
        mode = path.stat().st_mode
    except OSError as err:
        problems.add(str(path), f"cannot read: {err.strerror}")
        return False
    if not stat.S_ISREG(mode):
        problems.add(str(path), "not a regular file (a folder, pipe, device or socket)")
        return False
    return True


def _table_path(folder: Path, name: str, resource: dict | None) -> Path:
    if resource and resource.get("path"):
        return folder / resource["path"]
    parquet = folder / f"{name}.parquet"
    return parquet if parquet.exists() and not (folder / f"{name}.csv").exists() \
        else folder / f"{name}.csv"


def _read_named_table(folder: Path, name: str, resource: dict | None, problems: Problems):
    path = _table_path(folder, name, resource)
    if not os.path.lexists(path):
        problems.add(str(path), f"missing file: a graphkit folder needs {name}.csv")
        return None
    if not _readable(folder, path, problems):
        return None
    return _read_table(path, problems, resource)


def _read_descriptor(folder: Path, problems: Problems) -> tuple[dict, dict[str, dict]]:
    path = folder / "datapackage.json"
    if not os.path.lexists(path) or not _readable(folder, path, problems):
        return {}, {}
    descriptor = parse_json_file(path, problems, max_bytes=MAX_DESCRIPTOR_BYTES)
    if descriptor is None:
        return {}, {}
    if not isinstance(descriptor, dict):
        problems.add(str(path), "a data package descriptor must be a JSON object")
        return {}, {}
    check_metadata(descriptor, str(path), problems)
    entries = descriptor.get("resources") or []
    if not isinstance(entries, list):
        problems.add(str(path), "'resources' must be a list of objects", column="resources",
                     value=_shown(entries))
        return descriptor, {}
    resources = {}
    for i, resource in enumerate(entries):
        resource = _check_resource(folder, resource, f"resources[{i}]", str(path), problems)
        if resource is not None:
            resources[resource.get("name") or Path(resource["path"]).stem] = resource
    return descriptor, resources


def _check_resource(folder: Path, resource: object, where: str, file: str,
                    problems: Problems) -> dict | None:
    """The resource if every field graphkit uses has the right type, else None."""
    if not isinstance(resource, dict) or not isinstance(resource.get("path"), str):
        problems.add(file, "resource needs a 'path' string", column=where)
        return None
    ok = True
    target = (folder / resource["path"]).resolve()
    if folder.resolve() not in target.parents:
        problems.add(file, "resource path must stay inside the folder",
                     column=f"{where}.path", value=resource["path"])
        ok = False
    for key in ("name", "encoding"):
        if key in resource and not isinstance(resource[key], str):
            problems.add(file, f"'{key}' must be a string", column=f"{where}.{key}",
                         value=_shown(resource[key]))
            ok = False
    dialect = resource.get("dialect", {})
    if not isinstance(dialect, dict):
        problems.add(file, "'dialect' must be an object", column=f"{where}.dialect",
                     value=_shown(dialect))
        return None
    delimiter = dialect.get("delimiter", ",")
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '"\r\n':
        problems.add(file, "delimiter must be one character (not a quote or line end)",
                     column=f"{where}.dialect.delimiter", value=_shown(delimiter))
        ok = False
    return resource if ok else None


def check_metadata(metadata: dict, file: str, problems: Problems) -> None:
    """Check the types of the metadata fields graphkit reads (title, sources)."""
    if "title" in metadata and not isinstance(metadata["title"], str | type(None)):
        problems.add(file, "'title' must be a string", column="title",
                     value=_shown(metadata["title"]))
    sources = metadata.get("sources")
    if sources is not None and (not isinstance(sources, list)
                                or not all(isinstance(s, dict) for s in sources)):
        problems.add(file, "'sources' must be a list of objects", column="sources",
                     value=_shown(sources))


def _shown(value: object) -> str:
    """A value as quoted in a problem, clipped."""
    text = value if isinstance(value, str) else json.dumps(value, default=str)[:_VALUE_CHARS]
    return text[:_VALUE_CHARS]


def json_depth(text: str) -> int:
    """The deepest nesting of ``[`` and ``{`` in JSON text (strings skipped), vectorised."""
    skeleton = re.sub(r'"(?:[^"\\]|\\.)*"', "", text)
    if "[" not in skeleton and "{" not in skeleton:
        return 0
    codes = np.frombuffer(skeleton.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    step = (np.isin(codes, (91, 123)).astype(np.int32)
            - np.isin(codes, (93, 125)).astype(np.int32))
    return int(np.cumsum(step).max())


def parse_json_file(path: Path, problems: Problems, *, max_bytes: int = MAX_JSON_BYTES):
    """Parse a JSON file with size and depth limits; None (and a problem) when it cannot
    be read. A UTF-8 byte order mark is accepted, as in CSV files."""
    name = str(path)
    size = path.stat().st_size
    if size > max_bytes:
        problems.add(name, f"file is {size:,} bytes, over the limit of {max_bytes:,}")
        return None
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        problems.add(name, f"undecodable bytes (not UTF-8) at byte {err.start}")
        return None
    depth = json_depth(text)
    if depth > MAX_JSON_DEPTH:
        problems.add(name, f"JSON nested {depth} levels deep, over the limit of "
                           f"{MAX_JSON_DEPTH}")
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        problems.add(name, f"not valid JSON: {err.msg} (line {err.lineno}, column "
                           f"{err.colno})", row=err.lineno)
    except (ValueError, RecursionError) as err:  # e.g. an integer of 5,000 digits
        problems.add(name, f"unreadable JSON value: {err}")
    return None


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


@contextlib.contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    old = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _csv_records(path: Path, text: str, delimiter: str, problems: Problems
                 ) -> Iterator[tuple[int, list[str]]]:
    """``(row number, record)`` for each readable record; malformed ones (a stray or
    unclosed quote, a field over :data:`MAX_FIELD_CHARS`) are reported with their row and
    line, and reading goes on with the next line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = 0
    with _field_limit(MAX_FIELD_CHARS):
        while True:
            number += 1
            line = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                reason = str(err)
                if "field larger than field limit" in reason:
                    reason = f"a field is over the limit of {MAX_FIELD_CHARS:,} characters"
                problems.add(str(path), f"malformed CSV: {reason} (line {line})", row=number)
                continue
            yield number, record


def _parse_csv(path: Path, text: str, delimiter: str, problems: Problems):
    """Parse CSV text into a frame of strings indexed by row number (header is row 1).

    Rows whose field count differs from the header's are reported and left out, so every
    other row keeps the number a spreadsheet shows for it.
    """
    records = _csv_records(path, text, delimiter, problems)
    first = next(records, None)
    if first is None or first[0] != 1:
        problems.add(str(path), "the first row must be a header naming the columns", row=1)
        return None
    header = first[1]
    if len(header) > MAX_COLUMNS:
        problems.add(str(path), f"{len(header):,} columns, over the limit of "
                                f"{MAX_COLUMNS:,}", row=1)
        return None
    dup = sorted({c for c in header if header.count(c) > 1}) if len(header) < 200 else \
        sorted(pd.Index(header)[pd.Index(header).duplicated()].unique())
    for column in dup:
        problems.add(str(path), "column appears more than once in the header", row=1,
                     column=column)
    if dup or not any(c.strip() for c in header):
        if not dup:
            problems.add(str(path), "the first row must be a header naming the columns", row=1)
        for _ in records:  # still report malformed rows, all at once
            pass
        return None
    numbers, rows = [], []
    for number, record in records:
        if not record or (len(record) == 1 and not record[0].strip()):
            continue
        if len(record) != len(header):
            problems.add(
                str(path), f"row has {len(record)} fields but the header has {len(header)}",
                row=number, value=delimiter.join(record)[:_VALUE_CHARS],
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


def _add_types(vocabulary: Vocabulary, frame: pd.DataFrame, file: str, problems: Problems,
               first_row: int | None = None):
    """Register each row of a relation-types table; ``first_row`` None: the frame's index
    holds the row numbers (a CSV read by :func:`_parse_csv`)."""
    missing = [c for c in ("type", "sign", "weight", "durable") if c not in frame.columns]
    for column in missing:
        problems.add(file, "required column is missing", column=column)
    if missing:
        return
    numbers = frame.index if first_row is None else range(first_row, first_row + len(frame))
    seen: dict[str, int] = {}
    for number, record in zip(numbers, frame.to_dict("records"), strict=True):
        name = str(record.get("type")).strip()
        if name in seen:
            problems.add(file, f"relation type defined twice (first on row {seen[name]})",
                         row=number, column="type", value=name)
            continue
        seen[name] = number
        try:
            new = Vocabulary.from_frame(pd.DataFrame([record]))
            (relation_type,) = new
            vocabulary.register(relation_type, replace=True)
        except (ValueError, TypeError, OverflowError) as err:
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
        (it holds :data:`graphkit.core.atomic.MARKER`); any other folder, or a file, is refused
        with :class:`graphkit.core.atomic.UnsafeOutputError` unless ``force=True`` (folders only).
    format : {"csv", "parquet"}
    force : bool
        Replace a non-empty folder graphkit did not write.
    raw_csv : bool
        Write text cells as they are; by default cells that a spreadsheet would run as a
        formula get a leading ``'`` (see :func:`graphkit.core.atomic.neutralise`).

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

    Problems are reported with ``row`` = the record's position (first record is 1) and
    ``column`` = the key; the file is parsed with the limits :data:`MAX_JSON_BYTES` and
    :data:`MAX_JSON_DEPTH`, and every value graphkit uses has its type checked first.
    """
    path = Path(path)
    problems = Problems()
    name = str(path)
    if not os.path.lexists(path):
        problems.add(name, "no such file or folder")
        problems.raise_if_any()
    if not _readable(None, path, problems):
        problems.raise_if_any()
    document = parse_json_file(path, problems)
    if document is None:
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
        tables[key] = _json_table(records, f"{name}#{key}", problems)
    vocabulary = default_vocabulary()
    types = document.get("relation_types") or []
    if not isinstance(types, list) or not all(isinstance(t, dict) for t in types):
        problems.add(name, "'relation_types' must be a list of objects",
                     column="relation_types", value=_shown(types))
    elif types:
        frame = _json_table(types, f"{name}#relation_types", problems)
        _add_types(vocabulary, frame.reindex(columns=TYPE_COLUMNS),
                   f"{name}#relation_types", problems, first_row=1)
    metadata = document.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        problems.add(name, "'metadata' must be an object", column="metadata",
                     value=_shown(metadata))
    metadata = metadata if isinstance(metadata, dict) else {}
    check_metadata(metadata, f"{name}#metadata", problems)
    if len(tables) < 2:
        problems.raise_if_any()
    entities, relations = model.build(
        tables["entities"], tables["relations"], vocabulary,
        entities_file=f"{name}#entities", relations_file=f"{name}#relations",
        first_row=1, problems=problems,
    )
    return TemporalGraph(entities, relations, vocabulary, metadata)


def _json_table(records: list[dict], file: str, problems: Problems) -> pd.DataFrame:
    """Records as a frame whose cells are all text, numbers, booleans or null.

    Other values (a list where a date goes, an object) and text holding lone surrogates
    are reported at their record and key and read as missing, so every problem shows at
    once; ``aliases`` may also be a list of strings.
    """
    try:
        frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    except UnicodeEncodeError:  # lone surrogates cannot be stored as text
        frame = pd.DataFrame.from_records(_without_surrogates(records, file, problems))
    for column in frame.columns:
        values = frame[column]
        if values.dtype != object:
            continue
        kinds = values.map(type)
        bad = ~kinds.isin(_SCALARS).to_numpy()
        if column == "aliases":
            bad &= ~values.map(lambda v: isinstance(v, list)
                               and all(isinstance(a, str) for a in v)).to_numpy()
        if bad.any():
            rows = np.flatnonzero(bad) + 1
            problems.add_rows(file, rows, str(column), values[bad].map(_shown),
                              "expected text, a number, true/false or null")
            frame[column] = values.where(~bad, None)
    return frame


def _without_surrogates(records: list[dict], file: str, problems: Problems) -> list[dict]:
    """Records with every text holding a lone surrogate (``"\\ud800"``: not a character,
    cannot be written as UTF-8) reported and replaced by null; keys holding one dropped."""
    out = []
    for number, record in enumerate(records, start=1):
        clean = {}
        for key, value in record.items():
            if _SURROGATE.search(key):
                problems.add(file, "key holds a lone surrogate", row=number,
                             column=key.encode("utf-8", "backslashreplace").decode())
                continue
            if isinstance(value, str) and _SURROGATE.search(value):
                problems.add(file, "text holds a lone surrogate (not a character)",
                             row=number, column=key,
                             value=value.encode("utf-8", "backslashreplace").decode())
                value = None
            clean[key] = value
        out.append(clean)
    return out
