"""Helpers shared by the subcommands: argument types, tables and problem output."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from graphkit.dates import to_timestamp
from graphkit.validation import format_problems

__all__ = ["UsageError", "add_output_options", "date_range", "emit_table", "print_problems"]


class UsageError(Exception):
    """A mistake in how the command was called (exit code 2)."""


def date_range(text: str) -> tuple[str, str]:
    """Argument type for ``A:B`` date ranges such as ``2020-11-10:2023-06-30``."""
    parts = text.split(":")
    if len(parts) != 2 or not all(parts):
        raise argparse.ArgumentTypeError(f"expected START:END, got {text!r}")
    for part in parts:
        try:
            to_timestamp(part)
        except ValueError as err:
            raise argparse.ArgumentTypeError(str(err)) from None
    return parts[0], parts[1]


def print_problems(problems: pd.DataFrame, stream=None) -> None:
    stream = stream or sys.stderr
    for line in format_problems(problems):
        print(line, file=stream)
    n = len(problems)
    print(f"{n} problem{'s' if n != 1 else ''} found", file=stream)


def add_output_options(parser: argparse.ArgumentParser) -> None:
    """``--csv FILE`` and ``--json`` for commands that print a table."""
    parser.add_argument("--csv", metavar="FILE", help="also write the full table to FILE as CSV")
    parser.add_argument("--json", action="store_true",
                        help="print the table as JSON records instead of text")


def emit_table(frame: pd.DataFrame, args: argparse.Namespace) -> None:
    """Print a table as text or JSON, and write it as CSV when asked."""
    if getattr(args, "csv", None):
        frame.to_csv(args.csv, index=False, lineterminator="\n")
    if getattr(args, "json", False):
        print(frame.to_json(orient="records", date_format="iso", indent=1, force_ascii=False))
    else:
        with pd.option_context("display.max_rows", 200, "display.max_columns", 30,
                               "display.width", 160, "display.max_colwidth", 60):
            print(frame.to_string(index=False) if len(frame) else "(no rows)")


def name_list(values: list[str] | None) -> list[str] | None:
    """Names given as ``--opt a b`` or ``--opt a,b`` (``nargs="+"``); None when absent."""
    if values is None:
        return None
    names = [n.strip() for v in values for n in v.split(",") if n.strip()]
    if not names:
        raise UsageError("expected at least one name")
    return names


def positive_int(text: str) -> int:
    """An argparse type: a whole number >= 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {text!r}")
    return value


def add_measure_options(parser: argparse.ArgumentParser, bootstrap: bool = False) -> None:
    """``--combine`` and ``--weight-by`` (and, for comparisons, ``--n-boot``, ``--seed``)."""
    from graphkit.measure import COMBINATIONS

    parser.add_argument("--combine", choices=COMBINATIONS, default="level+flow",
                        help="how a score is made of standing ties' level and events' flow "
                        "(default level+flow)")
    parser.add_argument("--weight-by", choices=["confidence"], default=None,
                        help="multiply each relation's weight by its confidence")
    if bootstrap:
        parser.add_argument("--n-boot", type=non_negative_int, default=1000, metavar="N",
                            help="bootstrap replicates for the interval of each change "
                            "(default 1000; 0: none)")
        parser.add_argument("--seed", type=non_negative_int, default=0,
                            help="seed of the bootstrap (default 0)")


def non_negative_int(text: str) -> int:
    """argparse type: a whole number >= 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, not {text!r}")
    return value
