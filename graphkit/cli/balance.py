"""``graphkit balance PATH``: structural balance per period (triangles, frustration)."""

from __future__ import annotations

import argparse

from graphkit.cli.common import (
    UsageError,
    add_freq_option,
    add_list_option,
    add_output_options,
    add_span_options,
    emit_table,
    half_life,
    name_list,
    positive_int,
    spanned,
)
from graphkit.io import load


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "balance",
        help="structural balance per period: triangle census, frustration index",
        description="Load a data set and print, per calendar period, the signed ties, the "
        "triangle census, the strong and weak triangle indices, the frustration index "
        "(fewest ties whose removal leaves two camps with only positive ties inside and "
        "negative ties across) and the line index of balance 1 - 2L/m.",
    )
    parser.add_argument("path", help="graphkit folder or .json file")
    add_freq_option(parser, "Y", "period length: day, week, month, quarter or year")
    add_span_options(parser)
    parser.add_argument("--window", type=positive_int, metavar="N",
                        help="rolling window: each period also holds the N-1 before it")
    add_list_option(parser, "--types", "TYPE", "only these relation types")
    parser.add_argument("--half-life", type=half_life, metavar="DURATION",
                        help="take each pair's sign from its decayed score (events count "
                        "less with age, standing ties never decay), e.g. 90D or days")
    parser.add_argument("--time-limit", type=_positive_float, metavar="SECONDS",
                        help="time limit of the frustration index per period")
    add_output_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from graphkit.analysis.balance import over_time  # heavy: scipy's MILP

    types = name_list(args.types)
    tg = load(args.path)
    if tg.relations.empty:
        raise UsageError(f"{args.path} has no relations")
    tg = spanned(tg, args)
    table = over_time(tg, args.freq, window=args.window, types=types, half_life=args.half_life,
                      time_limit=args.time_limit)
    table["period"] = table["period"].astype(str)
    emit_table(table, args)
    return 0
