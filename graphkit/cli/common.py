"""Helpers shared by the subcommands: argument types, tables and problem output."""

from __future__ import annotations

import argparse
import os
import re
import sys
import warnings

import pandas as pd

from graphkit.core.atomic import check_output_file, check_output_folder, write_csv
from graphkit.core.dates import to_timestamp
from graphkit.core.problems import format_problems
from graphkit.core.timespec import FREQUENCIES, FREQUENCY_NAMES, parse_freq

__all__ = [
    "DEFAULT_LIMIT",
    "EscapingStream",
    "UsageError",
    "add_freq_option",
    "add_list_option",
    "add_output_options",
    "add_span_options",
    "check_inputs",
    "check_outputs",
    "date_range",
    "emit_table",
    "print_problems",
    "spanned",
    "write_table",
]

#: Rows a command prints by default (``--limit 0`` prints all).
DEFAULT_LIMIT = 100
#: Periods past which an over-time command without ``--start``/``--end`` warns.
LONG_SPAN = 5000

# C0 controls but tab, newline and carriage return (progress bars redraw with it), DEL,
# C1 controls (ESC, CSI, OSC...) and the bidirectional overrides
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class UsageError(Exception):
    """A mistake in how the command was called (exit code 2)."""


def date(text: str) -> str:
    """Argument type for one (partial) date such as ``2023-09`` or ``2023-09-25``."""
    try:
        to_timestamp(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
    return text


def date_range(text: str) -> tuple[str, str]:
    """Argument type for ``A:B`` date ranges such as ``2020-11-10:2023-06-30``."""
    parts = text.split(":")
    if len(parts) != 2 or not all(parts):
        raise argparse.ArgumentTypeError(f"expected START:END, got {text!r}")
    return date(parts[0]), date(parts[1])


def print_problems(problems: pd.DataFrame, stream=None) -> None:
    stream = stream or sys.stderr
    for line in format_problems(problems):
        print(line, file=stream)
    n = len(problems)
    print(f"{n} problem{'s' if n != 1 else ''} found", file=stream)


def escape_controls(text: str) -> str:
    """``text`` with terminal control characters shown as ``\\uXXXX`` (tab, newline and
    carriage return kept).

    An entity name holding ESC or OSC sequences cannot then move the cursor, retitle the
    terminal or hide text; the ``\\u`` form is also a valid escape inside JSON strings.
    """
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class EscapingStream:
    """A text stream wrapper escaping control characters (:func:`escape_controls`)."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(escape_controls(text))

    def __getattr__(self, name: str):
        return getattr(self.stream, name)


def add_force_option(parser: argparse.ArgumentParser, what: str) -> None:
    """``--force``: replace ``what`` graphkit did not write (never the input)."""
    parser.add_argument("--force", action="store_true",
                        help=f"replace {what} graphkit did not write (never the input)")


def add_raw_csv_option(parser: argparse.ArgumentParser, what: str = "CSV") -> None:
    """``--raw-csv``: write ``what`` without neutralising spreadsheet formulas."""
    parser.add_argument("--raw-csv", action="store_true",
                        help=f"write {what} text as it is (by default cells a spreadsheet "
                        "would run as formulas, starting with = + - @, get a leading ')")


def add_time_view_options(parser: argparse.ArgumentParser, at_help: str,
                          range_help: str) -> None:
    """``--at DATE`` or ``--start DATE --end DATE``: a snapshot or a window."""
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--at", type=date, metavar="DATE", help=at_help)
    when.add_argument("--start", type=date, metavar="DATE", help=range_help)
    parser.add_argument("--end", type=date, metavar="DATE", help="end of the range (exclusive)")


def add_span_options(parser: argparse.ArgumentParser) -> None:
    """``--start DATE`` and ``--end DATE``: measure only the periods of that span."""
    parser.add_argument("--start", type=date, metavar="DATE",
                        help="measure from the period holding DATE (default: the data's "
                        "first period)")
    parser.add_argument("--end", type=date, metavar="DATE",
                        help="measure up to the period holding the instant before DATE "
                        "(default and at most: the data's last period)")


def spanned(tg, args: argparse.Namespace):
    """``tg`` viewed on ``--start``/``--end`` widened to whole ``--freq`` periods
    (:meth:`TemporalGraph.window` with ``align``); without them ``tg`` itself, with a
    warning naming the outermost relations when its span has more than
    :data:`LONG_SPAN` periods (a relation dated 9000 makes 84,000 months)."""
    table = tg.period_table(args.freq)
    if args.start is None and args.end is None:
        if len(table) > LONG_SPAN:
            rel = tg.relations
            first, last = rel["t_start"].idxmin(), rel["t_start"].idxmax()
            unit = FREQUENCY_NAMES[parse_freq(args.freq)]
            warnings.warn(
                f"the data's span, {table['period'].iloc[0]} to {table['period'].iloc[-1]}, "
                f"has {len(table):,} periods (one a {unit}): the earliest relation (id "
                f"{rel.at[first, 'id']}) starts {rel.at[first, 'start']}, the latest (id "
                f"{rel.at[last, 'id']}) {rel.at[last, 'start']}; a mistyped year? Give --start and "
                "--end to measure fewer", UserWarning, stacklevel=2)
        return tg
    start = to_timestamp(args.start) if args.start else table["start"].iloc[0]
    end = to_timestamp(args.end) if args.end else table["end"].iloc[-1]
    if end <= start:
        raise UsageError(f"--end {args.end} is not after --start {args.start}")
    return tg.window(start, end, align=args.freq)


def add_output_options(parser: argparse.ArgumentParser, *, limit: bool = True) -> None:
    """``--csv FILE``, ``--raw-csv``, ``--json`` and ``--limit`` for commands printing a
    table."""
    parser.add_argument("--csv", metavar="FILE", help="also write the full table to FILE as CSV")
    add_raw_csv_option(parser)
    parser.add_argument("--json", action="store_true",
                        help="print the table as JSON records instead of text")
    if limit:
        parser.add_argument("--limit", type=non_negative_int, default=None,
                            metavar="N", help=f"print at most N rows (default {DEFAULT_LIMIT};"
                            " 0 prints all; --csv and --json get the full table)")


def check_outputs(args: argparse.Namespace) -> None:
    """Check every output path of a command before any work (exit 2 when refused).

    ``-o``/``--output`` is a folder when the command sets ``output_kind="folder"``, else
    a file; ``--csv`` is a file. The inputs are ``path``, ``files`` and ``map``.
    """
    named = [getattr(args, "path", None), getattr(args, "map", None),
             *(getattr(args, "files", None) or [])]
    inputs = [p for p in named if p]
    force = getattr(args, "force", False)
    output = getattr(args, "output", None)
    if output:
        if getattr(args, "output_kind", "file") == "folder":
            check_output_folder(output, inputs=inputs, force=force)
        else:
            check_output_file(output, inputs=inputs, force=force)
    if getattr(args, "csv", None):
        check_output_file(args.csv, inputs=inputs, force=force)


def write_table(frame: pd.DataFrame, args: argparse.Namespace) -> None:
    """Write ``frame`` to ``--csv FILE`` atomically (formulas neutralised unless
    ``--raw-csv``), when asked."""
    if getattr(args, "csv", None):
        write_csv(frame, args.csv, raw=getattr(args, "raw_csv", False))


def limited(frame: pd.DataFrame, limit: int | None, *, what: str = "rows",
            option: str = "--limit", stream=None) -> pd.DataFrame:
    """The first ``limit`` rows of ``frame`` (all when ``limit`` is 0 or None); says on
    ``stream`` (stderr) what was cut and how to get everything. ``None`` means
    :data:`DEFAULT_LIMIT`."""
    limit = DEFAULT_LIMIT if limit is None else limit
    if not limit or len(frame) <= limit:
        return frame
    print(f"(showing {limit:,} of {len(frame):,} {what}; {option} 0 prints all, "
          "--csv FILE writes all)", file=stream or sys.stderr)
    return frame.head(limit)


def emit_table(frame: pd.DataFrame, args: argparse.Namespace) -> None:
    """Print a table as text or JSON (at most ``--limit`` rows), and write it as CSV when
    asked."""
    write_table(frame, args)
    as_json = getattr(args, "json", False)
    limit = getattr(args, "limit", None)
    if not as_json or limit is not None:  # JSON is the full table unless --limit is given
        frame = limited(frame, limit)
    if as_json:
        print(frame.to_json(orient="records", date_format="iso", indent=1, force_ascii=False))
    else:
        with pd.option_context("display.max_rows", 200, "display.max_columns", 30,
                               "display.width", 160, "display.max_colwidth", 60):
            print(frame.to_string(index=False) if len(frame) else "(no rows)")


def name_list(values: list[str] | None) -> list[str] | None:
    """Names given as ``--opt a,b`` or ``--opt a --opt b`` (see :func:`add_list_option`);
    None when absent."""
    if values is None:
        return None
    names = [n.strip() for v in values for n in v.split(",") if n.strip()]
    if not names:
        raise UsageError("expected at least one name")
    return names


def _comma_list(text: str) -> list[str]:
    """argparse type: ``a,b`` -> ``["a", "b"]`` (empty items dropped; none is an error)."""
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise argparse.ArgumentTypeError(f"expected one or more names, got {text!r}")
    return names


def add_list_option(parser: argparse.ArgumentParser, flag: str, metavar: str,
                    help: str) -> None:
    """A list option given as ``--opt a,b`` or repeated (``--opt a --opt b``).

    Each use takes exactly one value, so the option never swallows a positional argument
    that follows it (``--types criticism data/x`` keeps ``data/x`` as the path).
    """
    parser.add_argument(flag, action="extend", type=_comma_list, metavar=metavar,
                        help=f"{help} (comma-separated, or repeat the option)")


def add_freq_option(parser: argparse.ArgumentParser, default: str, help: str) -> None:
    """``--freq`` as one of D, W, M, Q, Y, in either case (``m`` is ``M``)."""
    parser.add_argument("--freq", type=str.upper, choices=list(FREQUENCIES),
                        default=default, help=f"{help} (default {default})")


def check_inputs(args: argparse.Namespace) -> None:
    """A usage error (exit 2) when an input path named on the command line does not exist.

    Problems *inside* an existing input are data problems (exit 1), found when it is read.
    """
    named = [getattr(args, "path", None), getattr(args, "map", None),
             *(getattr(args, "files", None) or [])]
    for item in named:
        if item and not os.path.exists(item):
            raise UsageError(f"{item}: no such file or folder")


def _whole_number(minimum: int):
    """An argparse type: a whole number >= ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected a number >= {minimum}, got {text!r}")
        return value

    parse.__name__ = f"whole number >= {minimum}"
    return parse


#: argparse types: whole numbers >= 1 and >= 0.
positive_int = _whole_number(1)
non_negative_int = _whole_number(0)


def add_measure_options(parser: argparse.ArgumentParser, bootstrap: bool = False) -> None:
    """``--combine`` and ``--weight-by`` (and, for comparisons, ``--n-boot``, ``--seed``)."""
    from graphkit.model.measure import COMBINATIONS

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



def add_normalize_option(parser: argparse.ArgumentParser) -> None:
    """``--normalize coverage``: event flows divided by the coverage of the dyad's actors
    (:mod:`graphkit.analysis.coverage`)."""
    parser.add_argument("--normalize", choices=["coverage"], default=None,
                        help="coverage: divide each dyad's event flow by the coverage of "
                        "its two actors in the same range, so that a dyad merely in the "
                        "news more does not score higher (graphkit.analysis.coverage)")


def half_life(text: str) -> str:
    """argparse type for ``--half-life``: a duration (``90D``, ``26W``) or a number of days,
    read as in the Python API (:func:`graphkit.core.timespec.half_life_seconds`)."""
    from graphkit.core.timespec import half_life_seconds

    try:
        half_life_seconds(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a positive duration such as 90D or 26W, or a number of days, not "
            f"{text!r}") from None
    return text
