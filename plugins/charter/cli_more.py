"""Subcommands that reach the database or other plugins' modules."""

from __future__ import annotations

import argparse
import asyncio
import csv
import sys
from datetime import UTC, datetime
from pathlib import Path

from .cli import EXTRA_SUBCOMMANDS
from .config import ConfigError, load_config_dir
from .database import ENV_DATABASE_URL, create_engine, database_url, migrate
from .runtime import config_dir_from_env
from .store import Store


def default_data_dir() -> Path:
    """NoneBot's data directory for this plugin, as nonebot-plugin-localstore computes it."""
    import os

    from nonestorage import user_data_dir

    configured = os.environ.get("LOCALSTORE_DATA_DIR")
    base = Path(configured) if configured else user_data_dir("nonebot2")
    return base / "charter"


def parse_date(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text).replace(tzinfo=UTC) if "T" not in text else datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


async def export_log(class_id: str, since: datetime, out) -> int:  # type: ignore[no-untyped-def]
    engine = create_engine(database_url(default_data_dir()))
    try:
        await migrate(engine)
        records = await Store(engine).audit_log(class_id, since=since, limit=None)
    finally:
        await engine.dispose()
    writer = csv.writer(out)
    writer.writerow(["time_utc", "class", "platform", "group", "rule", "account", "person", "action", "ok",
                     "shadow", "excerpt", "detail"])
    for r in reversed(records):
        writer.writerow([r.created_at.isoformat(), r.class_id, r.platform, r.group_id, r.rule_id, r.account_key,
                         r.person_key, r.action, int(r.ok), int(r.shadow), r.excerpt, r.detail])
    return len(records)


def cmd_export_log(args: argparse.Namespace) -> int:
    try:
        config = load_config_dir(config_dir_from_env())
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 1
    if args.class_id not in config.classes:
        print(f"unknown class {args.class_id!r}; known: {', '.join(config.classes)}", file=sys.stderr)
        return 1
    if args.output:
        with open(args.output, "w", encoding="utf-8-sig", newline="") as handle:
            count = asyncio.run(export_log(args.class_id, args.since, handle))
        print(f"wrote {count} records to {args.output}", file=sys.stderr)
    else:
        asyncio.run(export_log(args.class_id, args.since, sys.stdout))
    return 0


def register(sub) -> None:  # type: ignore[no-untyped-def]
    export = sub.add_parser("export-log", help=f"write a class's audit log as CSV (database: ${ENV_DATABASE_URL})")
    export.add_argument("--class", dest="class_id", required=True)
    export.add_argument("--since", type=parse_date, required=True, help="YYYY-MM-DD")
    export.add_argument("--output", "-o", help="file to write (default: standard output)")
    export.set_defaults(func=cmd_export_log)


EXTRA_SUBCOMMANDS.append(register)
