"""`charterbot replay` and `charterbot demo` (added to plugins.charter.cli through CLI_MODULES)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from plugins.charter.cli import EXTRA_SUBCOMMANDS
from plugins.charter.config import ConfigError
from plugins.charter.runtime import config_dir_from_env

from .chatlog import FORMATS, ChatLogError, load_chat


def cmd_replay(args: argparse.Namespace) -> int:
    from .progress import Progress
    from .replay import class_from_charter, class_from_config, replay, summary_lines
    from .replay_html import render_html

    config_dir = Path(args.config) if args.config else config_dir_from_env()
    try:
        if args.class_id:
            config, cls = class_from_config(config_dir, args.class_id)
        else:
            staff = {"head_teacher": args.head_teacher or [], "teachers": args.teacher or []}
            config, cls = class_from_charter(config_dir, args.charter, Path(args.roster) if args.roster else None,
                                             staff, args.platform)
    except ConfigError as exc:
        print(f"configuration errors:\n{exc}", file=sys.stderr)
        return 1
    except KeyError as exc:
        print(exc.args[0], file=sys.stderr)
        return 1
    source = Path(args.file)
    try:
        fmt, lines = load_chat(source, cls.timezone, args.format)
    except (ChatLogError, OSError) as exc:
        print(f"cannot read {source}: {exc}", file=sys.stderr)
        return 1
    progress = Progress(len(lines), "replay", enabled=not args.no_progress)
    try:
        result = replay(lines, config, cls, source=source.name, fmt=fmt, platform=args.platform, progress=progress)
    finally:
        progress.close()
    output = Path(args.output) if args.output else Path(f"{source.stem}.replay.html")
    output.write_text(render_html(result), encoding="utf-8")
    print("\n".join(summary_lines(result)))
    print(f"report: {output}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    return run_demo(speed=args.speed)


def register(sub) -> None:  # type: ignore[no-untyped-def]
    replay = sub.add_parser("replay", help="run an exported chat history through a class's charter, offline",
                            description="Judge an exported chat history (QQ .txt export, CSV time,sender,text, or "
                                        "JSON lines) by a class's charter without touching any group; print a "
                                        "summary and write an HTML report.")
    replay.add_argument("file", help="the chat export (.txt from QQ, .csv, .jsonl)")
    which = replay.add_mutually_exclusive_group(required=True)
    which.add_argument("--class", dest="class_id", help="a class id from the configuration")
    which.add_argument("--charter", help="a charter template name or path (with --roster)")
    replay.add_argument("--roster", help="roster CSV for --charter (role,name,subject)")
    replay.add_argument("--teacher", action="append", metavar="PLATFORM:ID",
                        help="a teacher's account for --charter (repeatable)")
    replay.add_argument("--head-teacher", action="append", metavar="PLATFORM:ID",
                        help="the head teacher's account for --charter")
    replay.add_argument("--config", help="config directory (default: $CHARTERBOT_CONFIG_DIR or config/)")
    replay.add_argument("--format", choices=("auto", *FORMATS), default="auto")
    replay.add_argument("--platform", default="qq", choices=("qq", "wechat", "wecom"),
                        help="platform of the sender ids in the export (default qq)")
    replay.add_argument("--output", "-o", help="HTML report to write (default: <file stem>.replay.html)")
    replay.add_argument("--no-progress", action="store_true", help="no progress output on stderr")
    replay.set_defaults(func=cmd_replay)

    demo = sub.add_parser("demo", help="watch the bot handle a scripted class-group chat, no account needed",
                          description="Start the real bot on a free local port with a temporary configuration "
                                      "and database, connect a simulated QQ client, play a scripted chat and "
                                      "print what the bot does. Cleans up after itself.")
    demo.add_argument("--speed", type=float, default=1.0, help="pause multiplier between messages (0 = none)")
    demo.set_defaults(func=cmd_demo)


EXTRA_SUBCOMMANDS.append(register)
