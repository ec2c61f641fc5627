"""The privacy command: pseudonymise."""

from __future__ import annotations

import argparse
import os
import sys

from ..errors import no_such_file
from ..privacy import pseudonymise_file, read_key

__all__ = ["COMMANDS"]


def cmd_pseudonymise(args: argparse.Namespace) -> int:
    try:
        key = read_key(args.key_file)
    except FileNotFoundError:
        raise no_such_file(args.key_file, "key file") from None
    if not os.path.exists(args.input):
        raise no_such_file(args.input)
    if os.path.abspath(args.input) == os.path.abspath(args.output):
        raise ValueError("IN and OUT must be different files")
    rows = pseudonymise_file(args.input, args.output, key, birth_date=args.birth_date)
    sys.stdout.write(f"wrote {args.output}: {rows:,} rows with pseudonymised person keys "
                     "(still personal data: keep the key apart)\n")
    return 0


def add_pseudonymise(add, common) -> None:
    sub = add("pseudonymise", cmd_pseudonymise, "Replace employee_id and manager_id with keyed HMAC-SHA-256 "
              "pseudonyms.")
    sub.add_argument("input", help="register or sick-leave CSV")
    sub.add_argument("output", help="the pseudonymised CSV to write")
    sub.add_argument("--key-file", required=True, metavar="KEY", help="secret key file (at least 32 bytes)")
    sub.add_argument("--birth-date", choices=["year-month"], help="also coarsen birth dates to year and month")


COMMANDS = (add_pseudonymise,)
