"""`charterbot` administration subcommands (the bot itself runs with `charterbot run`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .catalogue import PLUGINS
from .config import ClassConfig, ConfigError, load_config_dir
from .runtime import config_dir_from_env
from .texts import title


def describe_class(cls: ClassConfig) -> list[str]:
    groups = ", ".join(g.key for g in cls.groups)
    lines = [f"{cls.id} {cls.name}: charter {cls.charter.id} ({cls.charter.title}), groups {groups}"]
    roster = cls.roster
    lines.append(f"  roster: {len(roster.students)} students, {len(roster.teachers)} teachers, "
                 f"{len(roster.staff)} staff")
    lines.append("  plugins: " + ", ".join(f"{p}={cls.mode(p)}" for p in PLUGINS))
    for rule_id, settings in cls.rules.items():
        mode = cls.rule_mode(rule_id)
        if mode == "off":
            continue
        actions = ", ".join(settings.action) or "-"
        marker = " [shadow]" if mode == "shadow" else ""
        lines.append(f"  {rule_id:<28} {title(rule_id)}{marker}: {actions}")
    return lines


def cmd_check(args: argparse.Namespace) -> int:
    config_dir = Path(args.dir) if args.dir else config_dir_from_env()
    try:
        config = load_config_dir(config_dir)
    except ConfigError as exc:
        print(f"configuration errors in {config_dir}:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {ConfigError.format(problem)}", file=sys.stderr)
        return 1
    for cls in config.classes.values():
        print("\n".join(describe_class(cls)))
    print(f"ok: {len(config.classes)} class(es), {len(config.by_group)} group(s)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="charterbot", description="Class-group charter bot administration.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the bot (the default)")
    check = sub.add_parser("check", help="validate a config directory and print what each class enforces")
    check.add_argument("dir", nargs="?", help="config directory (default: $CHARTERBOT_CONFIG_DIR or config/)")
    check.set_defaults(func=cmd_check)
    for register in EXTRA_SUBCOMMANDS:
        register(sub)
    return parser


# other modules add their subcommands here: callables taking the subparsers object
EXTRA_SUBCOMMANDS: list = []

# modules that append to EXTRA_SUBCOMMANDS when imported
CLI_MODULES = ("plugins.charter.cli_more", "tools.cli", "plugins.membership.cli", "adapters.wecom.roster_sync")


def main(argv: list[str] | None = None) -> int:
    import importlib

    for module in CLI_MODULES:
        importlib.import_module(module)
    args = build_parser().parse_args(argv)
    return int(args.func(args))
