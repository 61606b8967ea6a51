"""``graphkit export gexf|graphml PATH -o FILE``: the graph for Gephi, yEd, Cytoscape."""

from __future__ import annotations

import argparse

from graphkit.cli.common import UsageError, add_time_view_options
from graphkit.io import load

FORMATS = ("gexf", "graphml")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write the graph as GEXF (Gephi) or GraphML (yEd, Cytoscape, networkx)",
        description="Write the graph, a snapshot (--at) or a window (--start/--end) as "
        "GEXF 1.3 or GraphML. GEXF is dynamic (time spells for Gephi's timeline) unless "
        "--static; GraphML is always one static graph. Every relation is one edge with "
        "its relation id and every column a typed attribute.",
    )
    parser.add_argument("format", choices=FORMATS, help="gexf or graphml")
    parser.add_argument("path", help="graphkit folder, .json or .gexf file")
    add_time_view_options(parser, "only the relations that hold on DATE",
                          "only the relations overlapping [START, END)")
    parser.add_argument("--static", action="store_true",
                        help="GEXF without time spells (static mode)")
    parser.add_argument("-o", "--output", required=True, metavar="FILE",
                        help="file to write (.gexf or .graphml)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from graphkit.io import write_gexf, write_graphml

    if (args.start is None) != (args.end is None):
        raise UsageError("give both --start and --end for a date range")
    if args.static and args.format != "gexf":
        raise UsageError("--static applies to gexf only (GraphML is always static)")
    tg = load(args.path)
    if args.at is not None:
        tg = tg.at(args.at)
    elif args.start is not None:
        tg = tg.window(args.start, args.end)
    if args.format == "gexf":
        write_gexf(tg, args.output, dynamic=not args.static)
    else:
        write_graphml(tg, args.output)
    print(f"wrote {args.output}: {args.format}, {len(tg.entities)} entities, "
          f"{len(tg.relations)} relations")
    return 0
