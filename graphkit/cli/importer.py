"""``graphkit import gdelt|icews FILES... -o DIR``: event data to a graphkit folder.

Reads the files, prints the import report (rows read, imported, merged and skipped by
reason, and who was taken to act for whom)
and writes a folder that ``graphkit.load`` reads: CSV, or Parquet for large imports.
"""

from __future__ import annotations

import argparse
import sys

from graphkit.cli.common import UsageError, add_force_option, add_raw_csv_option

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
                        help="key actors by country code (default), actor (GDELT: full "
                        "CAMEO actor code; ICEWS: country and role such as ISR-GOV, "
                        "typed by role and linked to their state) or actor name")
    dedupe = parser.add_mutually_exclusive_group()
    dedupe.add_argument("--dedupe", choices=["event", "day", "none"], default="event",
                        help="merge rows reporting one event: 'event' (default: same "
                        "day, actors, CAMEO code and ICEWS story / GDELT place), 'day' "
                        "(one per dyad, code and day across stories), 'none' (keep all)")
    dedupe.add_argument("--keep-duplicates", dest="dedupe", action="store_const",
                        const="none", help="keep every row (same as --dedupe none)")
    parser.add_argument("--nonstate", choices=["separate", "drop", "state"],
                        default="separate",
                        help="under country keying, actors that do not speak for a state "
                        "(citizens, media, business, opposition, armed groups): their own "
                        "entities such as ISR-CVL (default), left out, or counted as the "
                        "state")
    parser.add_argument("--no-organisations", dest="organisations", action="store_false",
                        help="skip international organisations (EU, UN, NATO) instead of "
                        "importing them as organisation entities")
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
    from graphkit.io import save
    from graphkit.io.events import EventFileError, EventFormatError, read_gdelt, read_icews

    reader = read_gdelt if args.source == "gdelt" else read_icews
    try:
        tg, report = reader(args.files, key=args.key, dedupe=args.dedupe,
                            nonstate=args.nonstate, organisations=args.organisations,
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
