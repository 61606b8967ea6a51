"""``graphkit metrics PATH``: centrality per entity or scores per dyad, period by period."""

from __future__ import annotations

import argparse

import pandas as pd

from graphkit.analysis import metrics
from graphkit.cli.common import (
    UsageError,
    add_freq_option,
    add_list_option,
    add_measure_options,
    add_normalize_option,
    add_output_options,
    add_span_options,
    emit_table,
    half_life,
    name_list,
    positive_int,
    spanned,
    write_table,
)
from graphkit.io import load


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "metrics",
        help="centrality per entity or cooperation scores per dyad, period by period",
        description="Load a data set and print, per calendar period, the centrality of "
        "every entity (--kind centrality: degrees, strengths, PageRank, eigenvector, "
        "betweenness on request) or the scores of every dyad (--kind dyads: score = level "
        "of standing ties + flow of events per 30 days, counts by sign and CAMEO quad "
        "class, decayed score). Standing ties count by the share of the period they are "
        "in force, events by the share of their weight inside it, so numbers mean the "
        "same at every --freq.",
    )
    parser.add_argument("path", help="graphkit folder or .json file")
    parser.add_argument("--kind", choices=["centrality", "dyads"], default="centrality",
                        help="per entity (default) or per dyad")
    add_freq_option(parser, "M", "period length: day, week, month, quarter or year")
    add_span_options(parser)
    parser.add_argument("--window", type=positive_int, metavar="N",
                        help="rolling window: each period also holds the N-1 before it")
    parser.add_argument("--half-life", metavar="DURATION",
                        help="decay of event flow, e.g. 90D or a number of days: events "
                        "count less with age at each period's end (standing ties never "
                        "decay); centrality then uses the decayed dyad scores")
    add_list_option(parser, "--types", "TYPE", "only these relation types")
    add_list_option(parser, "--measures", "NAME",
                    "centrality measures (default: all but betweenness); of "
                    + ", ".join(metrics.CENTRALITY_MEASURES))
    parser.add_argument("--undirected", action="store_true",
                        help="dyads: one row per unordered pair (both directions summed)")
    parser.add_argument("--fill", choices=["active", "all"], default="active",
                        help="dyads: rows only for periods with relations (default), or "
                        "every period after a dyad's first, to see its score fade")
    parser.add_argument("--top", type=positive_int, metavar="N",
                        help="print only the N highest rows of each period (by --by); "
                        "--csv still gets the full table")
    parser.add_argument("--by", metavar="COLUMN",
                        help="column ranking --top (default: pagerank, or for dyads the "
                        "decayed score or the score, by absolute value)")
    add_measure_options(parser)
    add_normalize_option(parser)
    add_output_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    types = name_list(args.types)
    measures = name_list(args.measures)
    if args.half_life is not None:  # checked here so a bad value is a usage error (exit 2)
        try:
            half_life(args.half_life)
        except argparse.ArgumentTypeError as err:
            raise UsageError(f"--half-life: {err}") from None
    tg = load(args.path)
    if tg.relations.empty:
        raise UsageError(f"{args.path} has no relations")
    tg = spanned(tg, args)
    if args.kind == "centrality":
        if args.undirected or args.fill != "active" or args.normalize:
            raise UsageError("--undirected, --fill and --normalize apply to --kind dyads")
        table = metrics.centrality(tg, args.freq, measures=measures, window=args.window,
                                   half_life=args.half_life, types=types,
                                   combine=args.combine, weight_by=args.weight_by)
        default = "pagerank" if "pagerank" in table.columns else table.columns[2]
        by, absolute = args.by or default, False
    else:
        if measures:
            raise UsageError("--measures applies to --kind centrality")
        table = metrics.dyad_scores(tg, args.freq, half_life=args.half_life,
                                    directed=not args.undirected, window=args.window,
                                    types=types, fill=args.fill, combine=args.combine,
                                    weight_by=args.weight_by, normalize=args.normalize)
        by = args.by or ("decayed" if "decayed" in table.columns else "score")
        absolute = args.by is None
    if by not in table.columns or by == "period":
        raise UsageError(f"--by: no column {by!r}; choose from "
                         + ", ".join(c for c in table.columns if c != "period"))
    table["period"] = table["period"].astype(str)
    write_table(table, args)
    shown = table
    if args.top:
        key = table[by].abs() if absolute and pd.api.types.is_numeric_dtype(table[by]) \
            else table[by]
        order = table.assign(_key=key).sort_values(["period", "_key"], ascending=[True, False],
                                                   kind="stable")
        shown = order.groupby("period", sort=False).head(args.top).drop(columns="_key")
    emit_table(shown.round(6).reset_index(drop=True),
               argparse.Namespace(json=args.json,
                                  limit=0 if args.top and args.limit is None else args.limit))
    return 0
