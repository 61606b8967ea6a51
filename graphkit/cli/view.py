"""``graphkit view PATH -o FILE.html``: an interactive, self-contained network page."""

from __future__ import annotations

import argparse

from graphkit.cli.common import UsageError, add_force_option, add_time_view_options
from graphkit.io import load


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "view",
        help="write an interactive network view (one self-contained HTML file)",
        description="Write the network as one HTML file that opens offline in any "
        "browser: a date slider (as of a date, or a date range) with play and step, "
        "relation types as a filter legend, search, details on click and PNG export. "
        "The file makes no network request and runs no script from the data.",
    )
    parser.add_argument("path", help="graphkit folder or .json file")
    add_time_view_options(parser, "open showing the relations active on DATE",
                          "open showing the relations overlapping [START, END)")
    parser.add_argument("--aggregate", action="store_true",
                        help="one edge per pair of entities, labelled with the number of "
                             "relations, instead of one curve per relation")
    parser.add_argument("--title", help="heading of the page (default: the data set title)")
    parser.add_argument("--layout", choices=["auto", "physics", "python"], default="auto",
                        help="physics in the browser, positions computed in Python, or auto "
                             "(physics up to 2,000 nodes and 10,000 edges; default)")
    parser.add_argument("-o", "--output", required=True, metavar="FILE.html",
                        help="HTML file to write")
    add_force_option(parser, "an existing page")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from graphkit import views

    if (args.start is None) != (args.end is None):
        raise UsageError("give both --start and --end for a date range")
    tg = load(args.path)
    view = views.network(tg, at=args.at, start=args.start, end=args.end,
                         aggregate=args.aggregate, title=args.title, layout=args.layout)
    view.save(args.output)
    print(f"wrote {args.output}: {view.nodes} entities, {len(tg.relations)} relations, "
          f"{view.edges} edges, layout {view.layout}")
    return 0
