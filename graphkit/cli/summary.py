"""``graphkit summary PATH``: what a data set holds."""

from __future__ import annotations

import argparse

from graphkit.io import load


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "summary",
        help="counts, time span and relation types of a data set",
        description="Load and validate a data set, then print what it holds.",
    )
    parser.add_argument("path", help="graphkit folder or .json file")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    tg = load(args.path)
    print(tg.summary().to_string())
    print()
    counts = tg.relations.groupby("type").agg(
        relations=("type", "size"), first=("start", "min"), last=("start", "max")
    )
    print(counts.sort_values("relations", ascending=False).to_string())
    return 0
