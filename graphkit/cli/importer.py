"""``graphkit import gdelt|icews FILES... -o DIR``: event data to a graphkit folder.

Reads the files, prints the import report (rows read, imported and skipped by reason)
and writes a folder that ``graphkit.load`` reads: CSV, or Parquet for large imports.
"""

from __future__ import annotations

import argparse
import sys

from graphkit.cli.common import UsageError, add_force_option, add_raw_csv_option
from graphkit.io.events import EventFileError, EventFormatError

#: Imports with more relations than this are written as Parquet by ``--format auto``.
PARQUET_THRESHOLD = 500_000


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import",
        help="import GDELT or ICEWS event files as a graphkit folder",
        description="Read CAMEO-coded event files (GDELT 1.0/2.0 raw or exported with a "
        "header; ICEWS), map event codes to relation types, print a report accounting for "
        "every row, and write a graphkit folder. Files may be plain, .gz or .zip.",
    )
    parser.add_argument("source", choices=["gdelt", "icews"], help="the data set")
    parser.add_argument("files", nargs="+", metavar="FILE", help="event files")
    parser.add_argument("-o", "--output", required=True, metavar="DIR",
                        help="folder to write: a new or empty folder, or an earlier graphkit "
                        "output (replaced); never an input or a folder holding one")
    parser.add_argument("--key", choices=["country", "actor", "name"], default="country",
                        help="key actors by country code (default), full CAMEO actor "
                        "code (GDELT only) or actor name")
    parser.add_argument("--dedupe", action="store_true",
                        help="keep one event per source, target, CAMEO code and day")
    parser.add_argument("--format", choices=["auto", "csv", "parquet"], default="auto",
                        help=f"output tables (auto: Parquet above {PARQUET_THRESHOLD:,} "
                        "relations, else CSV)")
    parser.add_argument("--map", metavar="FILE",
                        help="CSV of CAMEO codes overriding the shipped map (columns "
                        "cameo_code, relation_type, optional goldstein, quad_class)")
    parser.add_argument("--weights", choices=["file", "table"], default="file",
                        help="weights from the file's Goldstein score (default) or the map")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    add_force_option(parser, "a non-empty folder")
    add_raw_csv_option(parser, "CSV")
    parser.set_defaults(run=run, output_kind="folder")


def run(args: argparse.Namespace) -> int:
    from graphkit.io import read_gdelt, read_icews, save

    if args.source == "icews" and args.key == "actor":
        raise UsageError("ICEWS has no actor codes: use --key country or --key name")
    reader = read_gdelt if args.source == "gdelt" else read_icews
    try:
        tg, report = reader(args.files, key=args.key, dedupe=args.dedupe,
                            cameo_map=args.map, weights=args.weights,
                            progress=False if args.no_progress else None)
    except EventFileError as err:
        raise UsageError(str(err)) from None
    except EventFormatError as err:
        print(f"graphkit import: error: {err}", file=sys.stderr)
        return 1
    print(report)
    fmt = args.format
    if fmt == "auto":
        fmt = "parquet" if len(tg.relations) > PARQUET_THRESHOLD else "csv"
    path = save(tg, args.output, format=fmt, force=args.force, raw_csv=args.raw_csv)
    print(f"wrote {path} ({fmt}): {len(tg.entities)} entities, {len(tg.relations)} relations")
    return 0
