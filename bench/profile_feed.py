"""Profile the message path in process: where a group message's time goes.

    .venv/bin/python bench/profile_feed.py [--classes 100] [--messages 600] [--out feed.pstats] [--quick]

NoneBot and every plugin loaded as bot.py does, a generated configuration, then
through the real handler (plugins.charter.matchers.on_group_message), each phase
under its own cProfile after a short warm-up:

- first sight: every member's first message (the costly case, once per member
  and process);
- known members: a second message from each of the same members (the ordinary
  case: a member this process has already seen, no open receipt list or deadline).

Reports, per phase, CPU and wall time per message, SQL statements per message
(counted at the engine), and the top functions of the project by cumulative
time. For the whole process under load, see `bench/e2e_load.py --profile`.

`--instructions` times nothing: after the first sights (unmeasured) it runs the
known members' phase once inside `itertools.pairwise`, so that callgrind, collecting
only inside `pairwise_next`, counts the handler's CPU instructions on that phase
alone (divide by the `messages` it reports): a count other load on the machine does
not change, unlike the end-to-end ratio (docs/performance.md):

    valgrind --tool=callgrind --collect-atstart=no --toggle-collect=pairwise_next \
        .venv/bin/python bench/profile_feed.py --instructions --concurrency 50
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import itertools
import pstats
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import scale  # noqa: E402
from bench.workload import generate_config, machine, print_json  # noqa: E402


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


async def started(args: argparse.Namespace) -> tuple[object, list, list, list[int]]:
    """The bot, every member's first message, a second message from each, and the
    count of SQL statements."""
    from sqlalchemy.util import greenlet_spawn

    home = Path(tempfile.mkdtemp(prefix="charterbot-profile-"))
    generated = generate_config(home, args.classes, members_per_group=40)
    scale.start_bot(generated, home, f"sqlite+aiosqlite:///{home / 'profile.db'}")
    runtime = await scale.started_runtime()
    statements = [0]

    def _count(sql: str) -> None:
        if not sql.lstrip().upper().startswith(TRANSACTION_CONTROL):
            statements[0] += 1

    # every statement the pool's one SQLite connection runs: the writer's go to it
    # directly (plugins/charter/sqlite_direct.py), not through SQLAlchemy's events
    pooled = await runtime.store.engine.raw_connection()
    pooled.driver_connection.sqlite.set_trace_callback(_count)
    await greenlet_spawn(pooled.close)

    messages = scale.first_messages(generated, args.violations)[: args.messages + args.warmup]
    bot = scale.in_process_bot()
    await scale.feed(bot, messages[: args.warmup])
    # a second message from each member, another member's line (no member repeats themself)
    again = [replace(m, message_id=m.message_id + 50_000_000, text=other.text, violation=other.violation)
             for m, other in zip(messages, messages[7:] + messages[:7])]
    return bot, messages, again, statements


async def run(args: argparse.Namespace) -> dict:
    bot, messages, again, statements = await started(args)
    first = await profiled(bot, messages[args.warmup:], statements, args, args.out)
    known = await profiled(bot, again, statements, args, f"{args.out}.known" if args.out else None)
    from plugins.charter import lifecycle

    await lifecycle.stop()
    return {"machine": machine(), **first, "known_members": known}


def count_instructions(args: argparse.Namespace) -> dict:
    """The known members' phase once inside itertools.pairwise (see the module's doc)."""
    loop = asyncio.new_event_loop()
    bot, messages, again, statements = loop.run_until_complete(started(args))
    loop.run_until_complete(scale.feed(bot, messages[args.warmup:], concurrency=args.concurrency))
    statements[0] = 0

    def phase():  # type: ignore[no-untyped-def]
        yield
        loop.run_until_complete(scale.feed(bot, again, concurrency=args.concurrency))
        yield

    for _ in itertools.pairwise(phase()):
        pass
    from plugins.charter import lifecycle

    loop.run_until_complete(lifecycle.stop())
    loop.close()
    return {"machine": machine(), "instructions_of": "known members", "messages": len(again),
            "concurrency": args.concurrency, "violations": args.violations,
            "sql_statements_per_message": round(statements[0] / len(again), 2)}


async def profiled(bot: object, measured: list, statements: list[int], args: argparse.Namespace,
                   out: str | None) -> dict:
    statements[0] = 0
    profiler = cProfile.Profile() if args.profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    await scale.feed(bot, measured, concurrency=args.concurrency)
    if profiler:
        profiler.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    result = {
        "messages": len(measured), "concurrency": args.concurrency, "profiled": args.profile,
        "cpu_ms_per_message": round(cpu / len(measured) * 1000, 2),
        "wall_ms_per_message": round(wall / len(measured) * 1000, 2),
        "sql_statements_per_message": round(statements[0] / len(measured), 2),
    }
    if profiler:
        if out:
            profiler.dump_stats(out)
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(r"/(plugins|adapters)/", args.top)
        result["top"] = [line.strip() for line in text.getvalue().splitlines()
                         if "/plugins/" in line or "/adapters/" in line]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--classes", type=int, default=100)
    parser.add_argument("--messages", type=int, default=600)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--violations", type=float, default=0.02)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--concurrency", type=int, default=1,
                        help="messages handled at once, each in its own task (as under load)")
    parser.add_argument("--no-profile", dest="profile", action="store_false",
                        help="CPU and wall time without cProfile (which about doubles them)")
    parser.add_argument("--out", help="write the cProfile data here (pstats format; the known-member phase to OUT.known)")
    parser.add_argument("--instructions", action="store_true",
                        help="time nothing; run the known members' phase inside itertools.pairwise for callgrind")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.classes, args.messages, args.warmup, args.top = 3, 20, 5, 5
    print_json(count_instructions(args) if args.instructions else asyncio.run(run(args)))


if __name__ == "__main__":
    main()
