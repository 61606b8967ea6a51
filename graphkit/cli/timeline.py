"""``graphkit timeline PATH --dyad A:B -o FILE.html``: dyad scores over time."""

from __future__ import annotations

import argparse

from graphkit.cli.common import UsageError, add_force_option, add_freq_option, half_life
from graphkit.io import load


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "timeline",
        help="write dyad score timelines (one self-contained HTML file)",
        description="Chart the score (level of standing ties + flow of events) of chosen "
        "dyads period by period, with "
        "the relations behind it (type, dates, weight, evidence and source on hover). "
        "The file embeds plotly.js and makes no network request.",
    )
    parser.add_argument("path", help="graphkit folder or .json file")
    parser.add_argument("--dyad", action="append", required=True, metavar="A:B",
                        help="pair of entities by id or alias (repeatable)")
    add_freq_option(parser, "M", "period of the scores")
    parser.add_argument("--half-life", type=half_life, metavar="DURATION",
                        help="also draw the exponentially decayed score, e.g. 90D")
    parser.add_argument("--directed", action="store_true",
                        help="only relations from A to B (default: both directions)")
    parser.add_argument("--title", help="chart title")
    parser.add_argument("--start", metavar="DATE",
                        help="first date in view (the whole series stays in the chart)")
    parser.add_argument("-o", "--output", required=True, metavar="FILE.html",
                        help="HTML file to write")
    add_force_option(parser, "an existing page")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from graphkit import views
    from graphkit.analysis import metrics

    tg = load(args.path)
    dyads = []
    for text in args.dyad:
        try:
            dyads.append(views.parse_dyad(tg, text))
        except KeyError as err:
            raise UsageError(f"--dyad {text}: {err.args[0]}") from None
        except ValueError as err:
            raise UsageError(f"--dyad {text}: {err}") from None
    # The view draws the table it is given; the command computes it (the same call the
    # Python convenience makes when no scores are passed).
    scores = metrics.dyad_scores(tg, args.freq, half_life=args.half_life,
                                 directed=args.directed,
                                 fill="all" if args.half_life is not None else "active")
    view = views.timeline(tg, dyads, freq=args.freq, half_life=args.half_life,
                          directed=args.directed, title=args.title, start=args.start,
                          scores=scores)
    view.save(args.output)
    print(f"wrote {args.output}: {len(dyads)} dyad{'s' if len(dyads) != 1 else ''}, "
          f"{view.scores['period'].nunique()} periods")
    return 0
