"""Two bot processes on one PostgreSQL database, under load: no strike or timer twice.

    .venv/bin/python bench/many_processes.py [--classes 50] [--messages 600] [--rate 40] [--quick]

A fresh database on the local PostgreSQL server; two real bot processes (bot.py,
every plugin on) share it, each with its own QQ bot account (3001 and 3002, two
OneBot v11 clients). Both accounts sit in every group, so each process receives
every event: the hardest case for duplicates. The same message sequence goes to
both at `--rate` messages a second. Then the database is asked:

- strikes per event (strike.event_key): more than one is a duplicated strike;
- timers per dedupe key, and timers finished by more than one owner;
- findings journaled per event.

Prints one JSON document; the database is dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.load_client import LoadClient, event_frame  # noqa: E402
from bench.workload import charter_bot, generate_config, machine, plan_messages, postgres_version, print_json  # noqa: E402

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"


async def send_both(clients: list[LoadClient], messages, rate: float) -> float:  # type: ignore[no-untyped-def]
    frames = [[event_frame(c.self_id, m) for m in messages] for c in clients]
    start = time.perf_counter()
    for n, message in enumerate(messages):
        delay = start + n / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        for client, own in zip(clients, frames, strict=True):
            await client.send(message, own[n])
    return time.perf_counter() - start


async def duplicates(conn) -> dict:  # type: ignore[no-untyped-def]
    async def scalar(sql: str) -> int:
        return int(await conn.fetchval(sql) or 0)

    return {
        "strikes": await scalar("SELECT count(*) FROM strike"),
        "strike_events": await scalar("SELECT count(DISTINCT event_key) FROM strike"),
        "events_struck_twice": await scalar(
            "SELECT count(*) FROM (SELECT event_key FROM strike GROUP BY event_key HAVING count(*) > 1) d"),
        "timers": await scalar("SELECT count(*) FROM timer"),
        "timer_keys_twice": await scalar(
            "SELECT count(*) FROM (SELECT dedupe_key FROM timer GROUP BY dedupe_key HAVING count(*) > 1) d"),
        "timers_fired": await scalar("SELECT count(*) FROM timer WHERE done_at IS NOT NULL"),
        "findings_journaled": await scalar("SELECT count(*) FROM finding_journal"),
        "findings_journaled_twice": await scalar(
            "SELECT count(*) FROM (SELECT event_key FROM finding_journal GROUP BY event_key HAVING count(*) > 1) d"),
        "audit_rows": await scalar("SELECT count(*) FROM audit_record"),
    }


async def run(args: argparse.Namespace) -> dict:
    import asyncpg

    home = Path(tempfile.mkdtemp(prefix="charterbot-multi-"))
    generated = generate_config(home, args.classes, members_per_group=args.members)
    name = f"cb_bench_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(PG_ADMIN)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    bots = [charter_bot(home / f"bot{k}", generated.config_dir, url) for k in (1, 2)]
    report: dict = {"machine": machine(), "postgresql": postgres_version(PG_ADMIN), "classes": args.classes,
                    "groups": len(generated.groups), "messages_per_process": args.messages, "rate": args.rate}
    try:
        for process in bots:
            process.start()
        clients = [LoadClient(process.v11_url, self_id=str(3001 + k)) for k, process in enumerate(bots)]
        for client in clients:
            await client.connect()
        messages = plan_messages(generated, args.messages, args.violations, seed=9, first_id=5_000_000)
        took = await send_both(clients, messages, args.rate)
        await asyncio.sleep(args.settle)
        report["sent_in_s"] = round(took, 1)
        report["violations_sent"] = sum(m.violation for m in messages)
        report["recalled_by"] = {c.self_id: len(c.recalled_at) for c in clients}
        report["action_frames_by"] = {c.self_id: len(c.frames) for c in clients}
        for client in clients:
            await client.close()
        db = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:5432/{name}")
        try:
            report["database"] = await duplicates(db)
        finally:
            await db.close()
    finally:
        for process in bots:
            process.stop()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    found = report["database"]
    report["target"] = {"no event struck twice": found["events_struck_twice"] == 0,
                        "no timer twice": found["timer_keys_twice"] == 0,
                        "no finding journaled twice": found["findings_journaled_twice"] == 0}
    report["home"] = str(home)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--classes", type=int, default=50)
    parser.add_argument("--members", type=int, default=10)
    parser.add_argument("--messages", type=int, default=600)
    parser.add_argument("--rate", type=float, default=40.0)
    parser.add_argument("--violations", type=float, default=0.2)
    parser.add_argument("--settle", type=float, default=8.0, help="seconds to let both processes finish")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.classes, args.members, args.messages, args.rate, args.settle = 3, 5, 20, 20, 3
    print_json(asyncio.run(run(args)))


if __name__ == "__main__":
    main()
