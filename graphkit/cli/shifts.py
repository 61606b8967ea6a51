"""``graphkit shifts PATH --before A:B --after C:D``: which relationships changed."""

from __future__ import annotations

import argparse
import json

from graphkit.analysis import shifts
from graphkit.cli.common import (
    add_freq_option,
    add_list_option,
    add_measure_options,
    add_normalize_option,
    add_output_options,
    date_range,
    limited,
    non_negative_int,
    write_table,
)
from graphkit.io import load

COLUMNS = ["rank", "source", "target", "before", "after", "change", "ci_low", "ci_high",
           "robust", "rests_on", "level_before", "level_after", "flow_before", "flow_after",
           "sign_flip", "drivers", "events_before", "events_after"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "shifts",
        help="rank the relationships that changed most between two periods",
        description="Compare two date ranges and rank dyads by the change in their score: "
        "the level of their standing ties (time-weighted signed weight in force) plus the "
        "flow of their events (signed Goldstein weight per 30 days), measured on the exact "
        "ranges, with a 90%% bootstrap interval, a robustness flag and the relation ids a "
        "fragile shift rests on, and a plain-language line for each top shift. Without "
        "--before/--after, sensible ranges are chosen from the data (the latest busy "
        "period against the three years before it).",
    )
    parser.add_argument("path", help="graphkit folder or .json file")
    parser.add_argument("--before", type=date_range, metavar="A:B",
                        help="first period, half-open [A, B), e.g. 2020-11-10:2023-07-01")
    parser.add_argument("--after", type=date_range, metavar="C:D",
                        help="second period, half-open [C, D), e.g. 2023-09-01:2023-10-01")
    add_freq_option(parser, "M", "period used to suggest ranges when none are given "
                    "(scores do not depend on it)")
    parser.add_argument("--directed", action="store_true",
                        help="score ordered pairs instead of both directions together")
    add_list_option(parser, "--entity", "ID", "only dyads involving these entities (ids or "
                    "aliases)")
    parser.add_argument("--top", type=non_negative_int, default=10, metavar="N",
                        help="rows to print (default 10; 0 prints all; --csv gets them all)")
    add_measure_options(parser, bootstrap=True)
    add_normalize_option(parser)
    add_output_options(parser, limit=False)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    tg = load(args.path)
    if (args.before is None) != (args.after is None):
        raise ValueError("give both --before and --after, or neither")
    before, after = ((args.before, args.after) if args.before
                     else shifts.suggest_periods(tg, args.freq))
    table = shifts.compare(tg, before, after, directed=args.directed, freq=args.freq,
                           combine=args.combine, weight_by=args.weight_by,
                           n_boot=args.n_boot, seed=args.seed, normalize=args.normalize)
    if args.entity:
        ids = tg.resolve(args.entity)
        table = table[table["source"].isin(ids) | table["target"].isin(ids)]
        table = table.reset_index(drop=True).assign(rank=lambda t: t.index + 1)
    write_table(table, args)
    top = limited(table, args.top, what="dyads", option="--top")
    lines = shifts.narrate(tg, top, before, after, top=len(top))
    if args.json:
        records = json.loads(top.to_json(orient="records", force_ascii=False))
        for record, line in zip(records, lines, strict=True):
            record["narrative"] = line
        print(json.dumps({"before": before, "after": after, "shifts": records}, indent=1,
                         ensure_ascii=False))
        return 0
    print(f"Shifts from {before[0]}:{before[1]} to {after[0]}:{after[1]} "
          "(score = level of standing ties + flow of events per 30 days)")
    print(top[COLUMNS].round(2).to_string(index=False) if len(top) else "(no dyads)")
    print()
    for line in lines:
        print(f"- {line}")
    return 0
