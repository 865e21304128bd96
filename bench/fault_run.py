"""Load and faults: sustained traffic with a connection drop and a database outage, then an accounting.

The real bot process (example config: class g3c2 on QQ group 900001) keeps its
state in PostgreSQL behind a TCP proxy on 127.0.0.1 that this script cuts and
restores. A simulated NapCat client sends a steady mix of ordinary messages and
adverts. In the middle the client drops its connection and comes back (as NapCat
does), and later the database goes away for a while and comes back. At the end
every advert must have been withdrawn exactly once and journaled and struck
exactly once; nothing may be lost or doubled. Exit status 1 when the accounting
does not balance.

    .venv/bin/python bench/fault_run.py --seconds 180 --rate 20
    .venv/bin/python bench/fault_run.py --quick          # about 30 s, for CI
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402

from adapters.qq.peer import OneBotV11Peer  # noqa: E402
from tools.botprocess import BotProcess, make_config  # noqa: E402
from tools.faults import CuttableProxy  # noqa: E402

PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
GROUP = "900001"
ORDINARY = ["收到，谢谢老师", "请问周四要交美术作业吗？", "孩子今天咳嗽，我下午去接他", "明天降温，孩子们记得穿厚点",
            "秋游的费用交给谁？", "好的 明白", "这次考试的范围是哪几个单元？", "家长会我可能晚到十分钟"]
ADVERTS = ["少儿编程免费试听，加微信 code2025 预约", "自家果园橙子，包邮，电话15911112222",
           "招代理，宝妈在家轻松月入五千", "微商新品上市，私聊有优惠", "加V：abc_123，领取免费学习资料"]
STUDENTS = ["张子涵", "周雨桐", "吴俊杰", "孙嘉怡", "马浩宇", "朱梦琪", "胡一鸣", "李思远", "王可欣", "赵一诺"]


async def run(seconds: float, rate: float, outage: float, drain: float) -> int:
    schema = f"cb_fault_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(PG)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    proxy = CuttableProxy("127.0.0.1", 5432)
    await proxy.start()
    home = Path(tempfile.mkdtemp(prefix="charterbot-fault-"))
    bot = BotProcess(home, make_config(home), f"postgresql+asyncpg://postgres@127.0.0.1:{proxy.port}/test"
                     f"?search_path={schema}")
    await asyncio.to_thread(bot.start)
    sent: Counter[str] = Counter()
    adverts: dict[int, str] = {}
    peers: list[OneBotV11Peer] = []
    try:
        peer = OneBotV11Peer(bot.v11_url, access_token=bot.access_token)
        await peer.connect()
        peers.append(peer)
        started = time.monotonic()
        drop_at, cut_at = seconds * 0.3, seconds * 0.55
        dropped = cut = restored = False
        n = 0
        while (elapsed := time.monotonic() - started) < seconds:
            if not dropped and elapsed >= drop_at:
                dropped = True
                print(f"[{elapsed:5.1f}s] the QQ client drops its connection", flush=True)
                await peer.close()
                await asyncio.sleep(1.0)
                peer = OneBotV11Peer(bot.v11_url, access_token=bot.access_token)
                await peer.connect()
                peers.append(peer)
                print(f"[{time.monotonic() - started:5.1f}s] ... and reconnects", flush=True)
            if not cut and elapsed >= cut_at:
                cut = True
                print(f"[{elapsed:5.1f}s] the database goes away for {outage:.0f}s", flush=True)
                await proxy.cut()
                cut_since = time.monotonic()
            if cut and not restored and time.monotonic() - cut_since >= outage:
                restored = True
                await proxy.restore()
                print(f"[{time.monotonic() - started:5.1f}s] the database is back", flush=True)
            n += 1
            member = 40_000 + n % 97
            card = f"{STUDENTS[member % len(STUDENTS)]}{'妈妈' if member % 2 else '爸爸'}"
            if n % 5 == 0:
                line = ADVERTS[n % len(ADVERTS)]
                message_id = await peer.group_message(GROUP, str(member), card, line)
                adverts[message_id] = line
                sent["adverts"] += 1
            else:
                await peer.group_message(GROUP, str(member), card, ORDINARY[n % len(ORDINARY)])
                sent["ordinary"] += 1
            await asyncio.sleep(1 / rate)
        if cut and not restored:
            await proxy.restore()
        # let the bot catch up: every advert withdrawn and journaled, no journal entry open
        print(f"[{time.monotonic() - started:5.1f}s] traffic stopped; waiting for the bot to catch up", flush=True)
        deadline = time.monotonic() + drain
        while time.monotonic() < deadline:
            recalled = {int(c.params["message_id"]) for p in peers for c in p.calls if c.action == "delete_msg"}
            async with admin.connect() as conn:
                open_entries, journaled = (await conn.execute(text(
                    f'SELECT count(*) FILTER (WHERE done_at IS NULL), count(*) FROM "{schema}".finding_journal'))).one()
            if set(adverts) <= recalled and open_entries == 0 and journaled >= len(adverts):
                break
            await asyncio.sleep(1.0)
        print(f"[{time.monotonic() - started:5.1f}s] caught up (or gave up after {drain:.0f}s)", flush=True)
        await asyncio.sleep(2.0)
        return await account(sent, adverts, peers, admin, schema)
    finally:
        for p in peers:
            await p.close()
        await asyncio.to_thread(bot.stop)
        await proxy.close()
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


async def account(sent: Counter[str], adverts: dict[int, str], peers: list[OneBotV11Peer], admin, schema: str) -> int:  # type: ignore[no-untyped-def]
    recalls = Counter(int(c.params["message_id"]) for p in peers for c in p.calls if c.action == "delete_msg")
    async with admin.connect() as conn:
        journal = (await conn.execute(text(
            f'SELECT event_key, done_at IS NOT NULL FROM "{schema}".finding_journal'))).all()
        strikes = (await conn.execute(text(f'SELECT event_key FROM "{schema}".strike'))).scalars().all()
    advert_ids = {str(m) for m in adverts}
    journaled = Counter(key.split(":")[2] for key, _ in journal if key.count(":") >= 3)
    struck = Counter(key.split(":")[2] for key in strikes if key.count(":") >= 3)
    lost_recall = [m for m in adverts if recalls[m] == 0]
    lost_finding = [m for m in advert_ids if journaled[m] == 0]
    unfinished = [key for key, done in journal if not done]
    lost_strike = [m for m in advert_ids if struck[m] == 0]
    doubled_strike = [m for m, c in struck.items() if c > 1]
    by_rule = Counter(key.split(":")[3] for key, _ in journal if key.count(":") >= 3)
    # group-level nudges (a run of idle chat) may follow ordinary messages; a withdrawal or strike may not
    punitive = {"content.ads", "content.links", "content.abuse", "content.banned", "content.student_privacy"}
    false_findings = [key for key, _ in journal if key.count(":") >= 3 and key.split(":")[2] not in advert_ids
                      and key.split(":")[3] in punitive]
    rows = [
        ("events sent", sum(sent.values())), ("  adverts", sent["adverts"]), ("  ordinary", sent["ordinary"]),
        ("findings journaled", len(journal)), ("  not carried out", len(unfinished)),
        ("withdrawals", sum(recalls[m] for m in adverts)), ("  adverts never withdrawn", len(lost_recall)),
        ("strikes", len(strikes)), ("  adverts never struck", len(lost_strike)),
        ("  adverts struck twice", len(doubled_strike)), ("  punitive findings on ordinary lines", len(false_findings)),
    ] + [(f"  findings of {rule}", count) for rule, count in sorted(by_rule.items())]
    print("\naccounting")
    for label, value in rows:
        print(f"  {label:<34} {value:>6}")
    balanced = not (lost_recall or lost_finding or unfinished or lost_strike or doubled_strike or false_findings)
    print("result: " + ("balanced — nothing lost or doubled" if balanced else "NOT BALANCED"))
    return 0 if balanced else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=180.0, help="length of the traffic (default 180)")
    parser.add_argument("--rate", type=float, default=20.0, help="messages per second (default 20)")
    parser.add_argument("--outage", type=float, default=15.0, help="seconds the database is away (default 15)")
    parser.add_argument("--drain", type=float, default=300.0, help="seconds to wait for the bot to catch up")
    parser.add_argument("--quick", action="store_true", help="30 s at 10 msg/s with a 6 s outage (CI smoke)")
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.rate, args.outage = 30.0, 10.0, 6.0
    return asyncio.run(run(args.seconds, args.rate, args.outage, args.drain))


if __name__ == "__main__":
    raise SystemExit(main())
