"""``graphkit validate PATH``: check a folder or JSON file and list every problem."""

from __future__ import annotations

import argparse

from graphkit.cli.common import add_raw_csv_option, write_table
from graphkit.core.problems import ValidationError
from graphkit.io import load


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check data and list every problem",
        description="Check a graphkit folder (entities.csv, relations.csv) or JSON file. "
        "Prints every problem with file, row, column, value and reason; exits 1 when "
        "there are problems, 0 when the data is clean.",
    )
    parser.add_argument("path", help="graphkit folder or .json file")
    parser.add_argument("--csv", metavar="FILE", help="also write the problems to FILE as CSV")
    add_raw_csv_option(parser, "CSV")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        tg = load(args.path)
    except ValidationError as err:
        if args.csv:
            write_table(err.problems, args)
        raise
    print(f"{args.path}: OK: {len(tg.entities)} entities, {len(tg.relations)} relations, "
          f"no problems")
    return 0
