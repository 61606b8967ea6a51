"""``graphkit report PATH -o DIR``: the analyst report (the main job)."""

from __future__ import annotations

import argparse

from graphkit.cli.common import (
    add_force_option,
    add_freq_option,
    add_list_option,
    add_measure_options,
    add_normalize_option,
    add_raw_csv_option,
    date_range,
    positive_int,
)
from graphkit.io import load


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write the analyst report: network view, timelines, shift and metric tables",
        description="Write a report folder, atomically: index.html (what the data holds, "
        "the top shifts in plain language, key metrics over time, links), network.html, "
        "timelines.html, shifts.html and tables/*.csv. Without --before/--after, sensible "
        "periods are chosen from the data.",
    )
    parser.add_argument("path", help="graphkit folder or .json file")
    parser.add_argument("-o", "--output", required=True, metavar="DIR",
                        help="folder to write: a new or empty folder, or an earlier graphkit "
                        "output (replaced); never the input or a folder holding it")
    parser.add_argument("--before", type=date_range, metavar="A:B",
                        help="first period, half-open [A, B)")
    parser.add_argument("--after", type=date_range, metavar="C:D",
                        help="second period, half-open [C, D)")
    add_freq_option(parser, "M", "period of dyad series and centrality")
    parser.add_argument("--top", type=positive_int, default=8, metavar="N",
                        help="top shifts described, drawn and tabled, and rows of the "
                        "centrality table (default 8)")
    add_list_option(parser, "--reference", "ID", "reference actors for the alignment table")
    parser.add_argument("--balance-time-limit", type=float, default=10.0, metavar="SECONDS",
                        help="seconds the exact frustration index may take per year (default "
                        "10; past it: best partition found, exact=False, a proven lower bound)")
    add_measure_options(parser, bootstrap=True)
    add_normalize_option(parser)
    add_force_option(parser, "a non-empty folder")
    add_raw_csv_option(parser, "tables/*.csv")
    parser.add_argument("--full-tables", action="store_true",
                        help="tables/dyad_scores.csv and centrality.csv for every period "
                        "and entity (default: the compared span, entities with ties)")
    parser.set_defaults(run=run, output_kind="folder")


def run(args: argparse.Namespace) -> int:
    if (args.before is None) != (args.after is None):
        raise ValueError("give both --before and --after, or neither")
    from graphkit.report import build_report  # heavy: views, metrics, balance

    tg = load(args.path)
    report = build_report(tg, args.output, before=args.before, after=args.after,
                          freq=args.freq, top=args.top, references=args.reference,
                          combine=args.combine, weight_by=args.weight_by,
                          normalize=args.normalize,
                          n_boot=args.n_boot, seed=args.seed,
                          balance_time_limit=args.balance_time_limit, force=args.force,
                          raw_csv=args.raw_csv,
                          full_tables=args.full_tables)
    print(f"Report written to {report.path}/ ({len(report.files)} files)")
    print(f"Compared {report.before[0]}:{report.before[1]} with "
          f"{report.after[0]}:{report.after[1]}")
    for line in report.narrative:
        print(f"- {line}")
    print(f"Open {report.path / 'index.html'}")
    return 0
