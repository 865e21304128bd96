"""Scale: memory with many groups and members known, and database growth per million messages.

    .venv/bin/python bench/scale.py memory [--groups 10000] [--members 500000] [--seed --feed 60000] [--quick]
    .venv/bin/python bench/scale.py memory --process [--groups ...] [--chunk 200]
    .venv/bin/python bench/scale.py db [--messages 4000] [--quick]

memory: NoneBot and every plugin loaded as bot.py does, a generated configuration
with `--groups` groups (two per class), then every member's first message through
the real group-message handler (plugins.charter.matchers.on_group_message with a
OneBot v11 bot whose API calls are answered in process): first sight of each
member, the recent-message rings, flood and chit-chat state, the per-class
engines' caches. Reports resident memory (VmRSS) after start-up and after all
members were seen, then the worst case of the recent-message rings (every group's
ring full). At full size (500,000 members) the first sights take too long in
process: `--seed` writes every member to the database as known first (in bulk, as
after a term of use) and `--feed N` sends the first messages of N members only,
spread over every group; N above the process's cache bounds (50,000 names)
fills them. The report gives the process's RSS and, beside it, that RSS less
the benchmark's own plan of members and messages (measured before the bot starts:
over 100 MB at 500,000 members), which a bot does not hold. That is an estimate,
and off in both directions: memory the generation freed stays in the process's
arenas and is counted as the benchmark's, and the seeding leaves the UTF-8 copies
of the 500,000 display names bound in SQLite (about 7 MB, tracemalloc) counted as
the bot's. The ring fill gives every entry its own text, name and account key,
as messages decoded from the wire have (a shared string would hide the texts).

memory --process: the direct measurement. The database is made and seeded in the
benchmark's process; then the real bot.py runs in a process of its own and gets
the same first messages, then the ring fill (the ring's bound: 2,000 groups x 50,
from members already seen), over a OneBot v11 WebSocket as NapCat sends them, in
chunks of `--chunk` each ended by a message the bot recalls (NoneBot starts a
task per event read: a burst of thousands in flight at once costs tens of MB of
its own). RSS is read from /proc/<pid>/status 3 s after each phase and again
after the bot's next housekeeping sweep (about 30 s later), in which it hands the
pages freed during the phase back to the system; the report gives both, and the
peak (VmHWM).

db: the same handler over the benchmark's message mix on SQLite and on
PostgreSQL, then bytes per row from the database's own size accounting, rows
per message, and the growth per million messages at the mix's finding rate and
at a quieter, realistic one (2% of messages with a finding).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.workload import (  # noqa: E402
    Generated,
    Planned,
    corpus_lines,
    generate_config,
    machine,
    plan_messages,
    postgres_version,
    print_json,
    rss_mb,
)

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
REALISTIC_FINDING_RATE = 0.02


def start_bot(generated: Generated, home: Path, database_url: str) -> None:
    os.environ.update({"CHARTERBOT_CONFIG_DIR": str(generated.config_dir), "CHARTERBOT_DATABASE_URL": database_url,
                       "LOCALSTORE_DATA_DIR": str(home / "data"), "LOG_LEVEL": "WARNING",
                       "SUPERUSERS": '["10001"]', "COMMAND_START": '["/"]'})
    import bot
    import nonebot.log

    # the bench prints one JSON document on standard output: the bot's log goes to
    # standard error, NoneBot's first lines included
    nonebot.log.logger.remove(nonebot.log.logger_id)
    nonebot.log.logger_id = nonebot.log.logger.add(
        sys.stderr, level=0, diagnose=False, filter=nonebot.log.default_filter, format=nonebot.log.default_format)
    bot.init()
    bot.log_without_per_message_lines(os.environ["LOG_LEVEL"], sink=sys.stderr)


async def started_runtime() -> Any:
    import nonebot

    from plugins.charter import lifecycle
    from plugins.charter.runtime import get_runtime

    await lifecycle.start()
    del nonebot
    return get_runtime()


def in_process_bot() -> Any:
    """A OneBot v11 bot whose API calls are answered here, as a NapCat would."""
    import nonebot
    from nonebot.adapters.onebot.v11 import Adapter, Bot

    class AnsweringBot(Bot):
        async def call_api(self, api: str, **data: Any) -> Any:
            if api in ("send_group_msg", "send_private_msg", "send_msg"):
                return {"message_id": 1}
            if api == "get_group_member_list":
                return []
            return None

    driver = nonebot.get_driver()
    bot = AnsweringBot(Adapter(driver), "3000")
    # listed as a connected bot, as a bot on a real connection is: the charter prepares
    # platform operations only for a listed bot (runtime.still_listed), and would
    # otherwise prepare them again for every message
    driver._bots[bot.self_id] = bot  # no connect hook: ensure_connected runs on the first message
    return bot


def event_for(message: Planned) -> Any:
    from nonebot.adapters.onebot.v11 import GroupMessageEvent

    return GroupMessageEvent.model_validate({
        "time": int(time.time()), "self_id": 3000, "post_type": "message", "message_type": "group",
        "sub_type": "normal", "message_id": message.message_id, "group_id": message.group_id,
        "user_id": message.user_id, "message": [{"type": "text", "data": {"text": message.text}}],
        "raw_message": message.text, "font": 0, "to_me": False,
        "sender": {"user_id": message.user_id, "nickname": message.card, "card": message.card, "role": "member"},
    })


async def feed(bot: Any, messages: list[Planned], report_every: int = 0, concurrency: int = 1) -> float:
    """Each message through the real handler; `concurrency` > 1 handles that many at
    once, each in its own task, as NoneBot does with events that arrive together."""
    from plugins.charter.matchers import on_group_message

    began = time.perf_counter()
    for start in range(0, len(messages), concurrency):
        window = messages[start:start + concurrency]
        if concurrency == 1:
            await on_group_message(bot, event_for(window[0]))
        else:
            await asyncio.gather(*(on_group_message(bot, event_for(m)) for m in window))
        n = start + len(window)
        if report_every and n // report_every != start // report_every:
            print(f"  {n} messages, {rss_mb():.0f} MB", file=sys.stderr, flush=True)
    return time.perf_counter() - began


async def seed_members(engine: Any, generated: Generated) -> float:
    """Every member written to the database as known (a row each, name checked), in bulk:
    what a bot that has run for a term has. Returns the seconds it took."""
    from plugins.charter.tables import KnownMember

    began = time.perf_counter()
    now = datetime.now(UTC)
    rows = [{"class_id": g.class_id, "account_key": f"qq:{m.user_id}", "group_key": f"qq:{g.group_id}",
             "display_name": m.card, "person_key": "", "name_ok": True, "first_seen": now, "last_seen": now,
             "left_at": None} for g in generated.groups for m in g.members]
    table = KnownMember.__table__  # type: ignore[attr-defined]
    for start in range(0, len(rows), 20_000):
        async with engine.begin() as connection:
            await connection.execute(table.insert(), rows[start:start + 20_000])
    return time.perf_counter() - began


def first_messages(generated: Generated, violation_share: float, seed: int = 11,
                   limit: int | None = None) -> list[Planned]:
    """Every member's first message (the first `limit` of them), groups interleaved as in
    real traffic, so a limit still reaches every group."""
    import random

    rng = random.Random(seed)
    ordinary, violations, _ = corpus_lines()
    planned: list[Planned] = []
    width = max(len(g.members) for g in generated.groups)
    next_id = 10_000_000
    for k in range(width):
        for group in generated.groups:
            if k < len(group.members):
                member = group.members[k]
                line = rng.choice(violations) if rng.random() < violation_share else rng.choice(ordinary)
                planned.append(Planned(group.group_id, member.user_id, member.card, line.text, line.violation,
                                       next_id))
                next_id += 1
    return planned[:limit]


def ring_fill(generated: Generated, per_group: int, senders: int = 0) -> Any:
    """(group, n, member, text) for `per_group` messages in every group: 100 characters
    each, every text its own string; from the first `senders` members of the group (all
    of them when 0)."""
    filler = "家长您好，" * 20
    for group in generated.groups:
        members = group.members[:senders] if senders else group.members
        for n in range(per_group):
            yield group, n, members[n % len(members)], f"{n:03d}{filler[3:]}"


async def memory(args: argparse.Namespace) -> dict:
    home = Path(tempfile.mkdtemp(prefix="charterbot-scale-"))
    classes = args.groups // 2
    per_group = args.members // args.groups
    began = time.perf_counter()
    gc.collect()
    before_data = rss_mb()
    generated = generate_config(home, classes, groups_per_class=2, members_per_group=per_group,
                                students_per_class=max(per_group // 2, 10))
    messages = first_messages(generated, args.violations, limit=args.feed)
    generated_s = time.perf_counter() - began
    gc.collect()
    # the benchmark's own plan (every member, the messages to send) lives in this
    # process too: at 500,000 members it is over 100 MB that a bot does not hold
    bench_data = rss_mb() - before_data
    start_bot(generated, home, f"sqlite+aiosqlite:///{home / 'scale.db'}")
    runtime = await started_runtime()
    gc.collect()
    after_start = rss_mb()
    seeded_s = await seed_members(runtime.store.engine, generated) if args.seed else None
    bot = in_process_bot()
    took = await feed(bot, messages, report_every=0 if args.quick else 100_000)
    gc.collect()
    after_members = rss_mb()
    # the worst case of the rings: every group's ring full of 100-character messages,
    # each text, name and account key its own string, as each message decoded is
    for group, n, member, text in ring_fill(generated, runtime.recent.per_group):
        runtime.recent.add(f"qq:{group.group_id}", f"r{n}", f"qq:{member.user_id}", member.card.encode().decode(),
                           text, datetime.now(UTC))
    gc.collect()
    rings_full = rss_mb()
    from plugins.charter import lifecycle

    await lifecycle.stop()
    return {
        "machine": machine(), "classes": classes, "groups": len(generated.groups), "members": generated.member_count,
        "generate_s": round(generated_s, 1), "members_seeded_s": seeded_s and round(seeded_s, 1),
        "messages_fed": len(messages), "feed_s": round(took, 1),
        "messages_per_s_in_process": round(len(messages) / took, 1),
        "rss_mb": {"after_start": round(after_start, 1), "after_every_member_seen": round(after_members, 1),
                   "recent_rings_full": round(rings_full, 1)},
        "bench_data_mb": round(bench_data, 1),
        "bot_rss_mb_estimated": {"after_start": round(after_start - bench_data, 1),
                                 "after_every_member_seen": round(after_members - bench_data, 1),
                                 "recent_rings_full": round(rings_full - bench_data, 1)},
        "ring_entries": runtime.recent.per_group * min(len(generated.groups), runtime.recent.max_groups),
        "target": {"< 300 MB, every member known, the sample's first messages handled":
                   after_members - bench_data < 300,
                   "< 300 MB with the rings full too": rings_full - bench_data < 300},
    }


async def memory_in_own_process(args: argparse.Namespace) -> dict:
    """The real bot.py in a process of its own, its RSS read from /proc: nothing of the
    benchmark's in it. The database is made and seeded here first; the first messages,
    then the ring fill, go over a OneBot v11 WebSocket as NapCat would send them, in
    chunks each ended by a message the bot recalls, so the bot is never handed a
    backlog it would have to buffer (NoneBot starts a task for every event it reads, so
    a burst of thousands is thousands of messages in flight at once)."""
    from bench.e2e_load import sentinel
    from bench.load_client import LoadClient, event_frame
    from bench.workload import charter_bot
    from plugins.charter.database import create_engine, migrate
    from plugins.charter.timers import HOUSEKEEPING_EVERY, POLL_SECONDS

    home = Path(tempfile.mkdtemp(prefix="charterbot-scale-process-"))
    classes = args.groups // 2
    per_group = args.members // args.groups
    generated = generate_config(home, classes, groups_per_class=2, members_per_group=per_group,
                                students_per_class=max(per_group // 2, 10))
    messages = first_messages(generated, args.violations, limit=args.feed)
    url = f"sqlite+aiosqlite:///{home / 'scale.db'}"
    engine = create_engine(url)
    await migrate(engine)
    seeded_s = await seed_members(engine, generated) if args.seed else None
    await engine.dispose()
    process = charter_bot(home / "bot", generated.config_dir, url)
    process.start(timeout=900)
    result: dict = {"machine": machine(), "classes": classes, "groups": len(generated.groups),
                    "members": generated.member_count, "members_seeded_s": seeded_s and round(seeded_s, 1),
                    "startup_s": round(process.started_in, 1), "messages_fed": len(messages)}
    # the bot hands freed pages back to the system once a housekeeping sweep
    # (plugins/charter/heap.py): RSS is read 3 s after a phase and again after a sweep
    settle_s = HOUSEKEEPING_EVERY * POLL_SECONDS + 3
    rss_3s: dict[str, float] = {}

    async def read_rss(phase: str) -> None:
        await asyncio.sleep(3)
        rss_3s[phase] = round(process.rss_mb(), 1)
        await asyncio.sleep(settle_s - 3)
        rss[phase] = round(process.rss_mb(), 1)

    rss: dict[str, float] = {}
    try:
        await read_rss("after_start")
        client = LoadClient(process.v11_url)
        await client.connect()
        sentinels = iter(range(3_900_000, 4_000_000))

        async def send_all(planned: list[Planned]) -> float:
            began = time.perf_counter()
            for start in range(0, len(planned), args.chunk):
                await client.burst(planned[start:start + args.chunk])
                last = sentinel(generated, next(sentinels))
                await client.send(last, event_frame(client.self_id, last))
                if not await client.wait_recalled(last.message_id, timeout=300):
                    raise RuntimeError("the bot did not get through a chunk within 300 s")
            return time.perf_counter() - began

        took = await send_all(messages)
        await read_rss("after_every_member_seen")
        # the rings: the default bound (2,000 groups x 50), from members already seen
        seen = max(1, len(messages) // len(generated.groups))
        ring_groups = Generated(generated.config_dir, generated.groups[:2_000], generated.head_teachers)
        fill = [Planned(g.group_id, m.user_id, m.card, text, False, 5_000_000 + k)
                for k, (g, _, m, text) in enumerate(ring_fill(ring_groups, 50, senders=seen))]
        ring_took = await send_all(fill)
        await read_rss("recent_rings_full")
        peak = process.rss_mb("VmHWM")
        await client.close()
    finally:
        process.stop()
    result.update({
        "feed_s": round(took, 1), "messages_per_s": round(len(messages) / took, 1),
        "ring_messages": len(fill), "ring_fill_s": round(ring_took, 1), "rss_mb": rss,
        "rss_mb_3s_after_each_phase": rss_3s, "rss_mb_peak": round(peak, 1),
        "target": {"< 300 MB, every member known, the sample's first messages handled":
                   rss["after_every_member_seen"] < 300,
                   "< 300 MB with the rings full too": rss["recent_rings_full"] < 300},
    })
    return result


# --- database growth ----------------------------------------------------------------


TABLES = ("audit_record", "strike", "finding_journal", "known_member", "marker", "timer", "pending_decision")


async def table_sizes(engine: Any) -> dict[str, tuple[int, int]]:
    """table -> (rows, bytes) from the database's own accounting (tables and indexes)."""
    from sqlalchemy import inspect, text

    async with engine.connect() as conn:
        names = await conn.run_sync(lambda c: inspect(c).get_table_names())
        sizes = {}
        for table in names:
            rows = (await conn.execute(text(f'SELECT count(*) FROM "{table}"'))).scalar_one()
            if conn.dialect.name == "postgresql":
                size = (await conn.execute(text(f"SELECT pg_total_relation_size('\"{table}\"')"))).scalar_one()
            else:
                size = (await conn.execute(text(
                    "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = :t "
                    "OR name IN (SELECT name FROM sqlite_master WHERE tbl_name = :t AND type = 'index')"),
                    {"t": table})).scalar_one()
            sizes[table] = (int(rows), int(size))
        return sizes


async def growth_on(url: str, generated: Generated, messages: list[Planned]) -> dict:
    from plugins.charter.database import create_engine

    from plugins.charter.runtime import get_runtime

    runtime = get_runtime()
    engine = create_engine(url)
    from plugins.charter.database import migrate
    from plugins.charter.store import Store

    await migrate(engine)
    old_store = runtime.store
    runtime.store = runtime.enforcer.store = Store(engine)
    try:
        before = await table_sizes(engine)
        took = await feed(in_process_bot(), messages)
        after = await table_sizes(engine)
    finally:
        runtime.store = runtime.enforcer.store = old_store
        await engine.dispose()
    grown = {t: (after[t][0] - before.get(t, (0, 0))[0], after[t][1] - before.get(t, (0, 0))[1]) for t in after}
    grown = {t: v for t, v in grown.items() if v[0] > 0}
    total_bytes = sum(v[1] for v in grown.values())
    findings = grown.get("audit_record", (0, 0))
    return {
        "messages": len(messages), "seconds": round(took, 1),
        "rows": {t: v[0] for t, v in grown.items()},
        "bytes_per_row": {t: round(v[1] / v[0]) for t, v in grown.items()},
        "bytes_per_message": round(total_bytes / len(messages), 1),
        "mb_per_million_messages_at_mix": round(total_bytes / len(messages) * 1e6 / 2**20, 1),
        "audit_rows": findings[0],
    }


async def database(args: argparse.Namespace) -> dict:
    import asyncpg

    home = Path(tempfile.mkdtemp(prefix="charterbot-scale-db-"))
    generated = generate_config(home, args.classes, members_per_group=40)
    start_bot(generated, home, f"sqlite+aiosqlite:///{home / 'boot.db'}")
    await started_runtime()
    messages = plan_messages(generated, args.messages, args.violations, seed=5, first_id=20_000_000)
    _, violations, _ = corpus_lines()
    share = sum(m.violation for m in messages) / len(messages)
    result: dict = {"machine": machine(), "postgresql_version": postgres_version(PG_ADMIN), "violation_share": round(share, 3)}
    result["sqlite"] = await growth_on(f"sqlite+aiosqlite:///{home / 'growth.db'}", generated, messages)
    name = f"cb_bench_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(PG_ADMIN)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        result["postgresql"] = await growth_on(f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}",
                                               generated, plan_messages(generated, args.messages, args.violations,
                                                                        seed=5, first_id=30_000_000))
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    for backend in ("sqlite", "postgresql"):
        figures = result[backend]
        # per message with a finding, then at a realistic finding rate
        per_violation = figures["bytes_per_message"] / share if share else 0.0
        figures["mb_per_million_messages_at_2pct_findings"] = round(
            per_violation * REALISTIC_FINDING_RATE * 1e6 / 2**20, 1)
    from plugins.charter import lifecycle

    await lifecycle.stop()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    mem = sub.add_parser("memory")
    mem.add_argument("--groups", type=int, default=10_000)
    mem.add_argument("--members", type=int, default=500_000)
    mem.add_argument("--violations", type=float, default=0.02)
    mem.add_argument("--seed", action="store_true",
                     help="write every member to the database as known first (bulk), as after a term of use")
    mem.add_argument("--feed", type=int, default=None,
                     help="first messages from this many members only (default: every member)")
    mem.add_argument("--process", action="store_true",
                     help="the real bot.py in a process of its own, fed over a WebSocket: its RSS alone")
    mem.add_argument("--chunk", type=int, default=200,
                     help="with --process: messages sent at once before waiting for the bot to get through them")
    mem.add_argument("--quick", action="store_true")
    db = sub.add_parser("db")
    db.add_argument("--messages", type=int, default=4000)
    db.add_argument("--classes", type=int, default=50)
    db.add_argument("--violations", type=float, default=0.15)
    db.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.what == "memory":
        if args.quick:
            args.groups, args.members = 20, 200
        print_json(asyncio.run(memory_in_own_process(args) if args.process else memory(args)))
    else:
        if args.quick:
            args.messages, args.classes = 40, 3
        print_json(asyncio.run(database(args)))


if __name__ == "__main__":
    main()
