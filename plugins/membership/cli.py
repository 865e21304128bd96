"""`charterbot roster import FILE --class ID`: a school's spreadsheet (.xlsx or .csv) as a class's roster.

The class file is found by its id in $CHARTERBOT_CONFIG_DIR/classes (default
config/classes). Exit status: 0 when every row was read, 2 when the roster was
written but some rows could not be read (each printed as FILE: row: reason on
standard error), 1 when nothing was written.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

from plugins.charter.cli import EXTRA_SUBCOMMANDS
from plugins.charter.roster import RosterError
from plugins.charter.runtime import config_dir_from_env

from .roster_import import import_class_roster

PARTIAL = 2


def find_class_file(config_dir: Path, class_id: str) -> Path | None:
    """The class file under config_dir/classes whose [class] id is `class_id`."""
    for path in sorted((config_dir / "classes").glob("*.toml")):
        try:
            with path.open("rb") as handle:
                header = tomllib.load(handle).get("class")
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
            continue
        if isinstance(header, dict) and header.get("id") == class_id:
            return path
    return None


def cmd_roster_import(args: argparse.Namespace) -> int:
    config_dir = config_dir_from_env()
    class_file = find_class_file(config_dir, args.class_id)
    if class_file is None:
        print(f"{config_dir / 'classes'}: no class file with id {args.class_id!r}", file=sys.stderr)
        return 1
    file = Path(args.file)
    try:
        summary, report = import_class_roster(file, class_file)
    except RosterError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(summary)
    for problem in report.problems:
        print(f"{file}: {problem}", file=sys.stderr)
    return PARTIAL if report.problems else 0


def register(sub) -> None:  # type: ignore[no-untyped-def]
    roster = sub.add_parser("roster", help="class rosters")
    actions = roster.add_subparsers(dest="roster_command", required=True)
    importer = actions.add_parser(
        "import", help="import a roster from .xlsx or .csv into a class (beside its class file)")
    importer.add_argument("file", help="the spreadsheet: .xlsx or .csv (UTF-8 or GBK)")
    importer.add_argument("--class", dest="class_id", required=True, help="the class id, e.g. g3c2")
    importer.set_defaults(func=cmd_roster_import)


EXTRA_SUBCOMMANDS.append(register)
