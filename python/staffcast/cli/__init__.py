"""The `staffcast` command line. Exit status: 0 success, 2 invalid input or
arguments, 1 other runtime errors, 130 interrupted.

The package sits on top of the library: each command group is one module
(``data``, ``statistics``, ``models``, ``comparisons``, ``privacy``,
``projection``, ``plans``, ``report``) that converts the arguments, calls the library and
writes the result; ``_common`` holds what they share. No library module imports
this package."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from typing import Callable, Optional, Sequence

from .._version import __version__
from ..errors import StaffcastError, ValidationError, printable
from . import comparisons, data, models, plans, privacy, projection, report, statistics
from ._common import (
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_RUNTIME,
    UsageError,
    _print_issues,
    common,
)

__all__ = ["main", "build_parser", "UsageError", "EXIT_OK", "EXIT_RUNTIME", "EXIT_INVALID", "EXIT_INTERRUPTED"]

# Each registers its subcommands with (add, common); in the order `staffcast --help` lists them.
_COMMANDS = (
    data.add_validate,
    data.add_generate,
    *statistics.COMMANDS,
    *models.COMMANDS,
    *comparisons.COMMANDS,
    *privacy.COMMANDS,
    *projection.COMMANDS,
    *plans.COMMANDS,
    report.add_report,
    data.add_mapping_template,
    data.add_save,
    report.add_demo,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="staffcast", description="Workforce analytics for competence-supply "
                                     "planning.")
    parser.add_argument("--version", action="version", version=f"staffcast {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    def add(name: str, handler: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        sub.set_defaults(handler=handler)
        return sub

    for register_commands in _COMMANDS:
        register_commands(add, common)
    return parser


def _parse(parser: argparse.ArgumentParser, argv: Optional[Sequence[str]]) -> argparse.Namespace:
    """parse_args, but an unknown option is answered by its command's usage, with the option
    it most likely meant ("--asof": did you mean --as-of?)."""
    args, extras = parser.parse_known_args(argv)
    if extras:
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        command = commands.choices[args.command]
        known = [o for a in command._actions for o in a.option_strings]
        guesses = []
        for extra in extras:
            option = extra.split("=", 1)[0]
            if option.startswith("-"):
                guesses += [f"{option}: did you mean {m}?" for m in difflib.get_close_matches(option, known, n=1)]
        command.error(printable(f"unrecognized arguments: {' '.join(extras)}" + "".join(f"\n  {g}" for g in guesses)))
    return args


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    try:
        args = _parse(parser, argv)
    except SystemExit as exit_:  # argparse: 2 on bad arguments, 0 for --help
        return int(exit_.code or 0)
    try:
        return args.handler(args)
    except ValidationError as error:
        errors = len(error.issues[error.issues.severity == "error"])
        sys.stderr.write(f"staffcast {args.command}: invalid input: {errors} error(s)\n")
        _print_issues(error.issues, sys.stderr, dropped=error.dropped)
        return EXIT_INVALID
    except FileNotFoundError as error:  # one wording, also for a file that open() did not find
        missing = f"no such file: {error.filename}" if error.filename else str(error)
        sys.stderr.write(printable(f"staffcast {args.command}: error: {missing}") + "\n")
        return EXIT_INVALID
    except (UsageError, IsADirectoryError, ValueError) as error:
        sys.stderr.write(printable(f"staffcast {args.command}: error: {error}") + "\n")
        return EXIT_INVALID
    except KeyboardInterrupt:
        sys.stderr.write(f"staffcast {args.command}: interrupted\n")
        return EXIT_INTERRUPTED
    except (StaffcastError, OSError, MemoryError) as error:
        sys.stderr.write(printable(f"staffcast {args.command}: error: {error}") + "\n")
        return EXIT_RUNTIME
    except Exception as error:  # noqa: BLE001 - the CLI never shows a traceback
        if os.environ.get("STAFFCAST_DEBUG"):
            raise
        sys.stderr.write(printable(f"staffcast {args.command}: internal error: {type(error).__name__}: {error}") + "\n")
        return EXIT_RUNTIME
