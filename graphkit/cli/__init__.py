"""The ``graphkit`` command line.

Each subcommand lives in its own module of this package with a ``register(subparsers)``
function that adds its parser and sets ``run``. Exit codes: 0 success, 1 problems in the
data, 2 usage errors (bad options, unknown names, an input path that does not exist, an
output path that would destroy what graphkit did not write; ``graphkit`` alone prints the
command list and exits 2). User errors never show a traceback; control characters in
anything printed are escaped.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings

from graphkit import __version__
from graphkit.cli.common import (
    EscapingStream,
    UsageError,
    check_inputs,
    check_outputs,
    print_problems,
)
from graphkit.core.problems import ValidationError

__all__ = ["main"]

COMMANDS = ["validate", "summary", "shifts", "report", "importer", "balance", "view", "timeline",
            "metrics", "export"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="graphkit",
        description="Temporal graphs of political actors: validate, analyse and view.",
    )
    parser.add_argument("--version", action="version", version=f"graphkit {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"graphkit.cli.{name}").register(subparsers)
    return parser


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Warnings as one plain line on standard error, without source locations."""
    print(f"graphkit: warning: {message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv:  # `graphkit` alone: the command list, as a usage error
        parser.print_help(sys.stderr)
        return 2
    args = parser.parse_args(argv)
    warnings.showwarning = _show_warning
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = EscapingStream(stdout), EscapingStream(stderr)
    try:
        return _run(args)
    finally:
        sys.stdout, sys.stderr = stdout, stderr


def _run(args: argparse.Namespace) -> int:
    try:
        check_inputs(args)
        check_outputs(args)
        return int(args.run(args) or 0)
    except ValidationError as err:
        print_problems(err.problems)
        return 1
    except (UsageError, KeyError, ValueError) as err:
        message = err.args[0] if isinstance(err, KeyError) and err.args else err
        print(f"graphkit {args.command}: error: {message}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except OSError as err:  # unreadable input, unwritable output, full disk
        print(f"graphkit {args.command}: error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
