"""End to end: the real charter bot against a bare NoneBot, same load, same machine.

    .venv/bin/python bench/e2e_load.py [--classes 200] [--rate 100] [--seconds 30]
                                        [--burst 3000] [--database sqlite|postgresql] [--rounds 1]
                                        [--pairs 1] [--quick]

It starts both bots (bot.py with every plugin on, and bench/bare_bot.py) on
127.0.0.1, connects a OneBot v11 client to each as NapCat does and, one bot at a
time while the other idles:

1. warms up (a few messages, so the platform connection and database pool exist);
   with `--seen-members`, every member's first message too (unmeasured), so the
   phases below measure members the bot has already seen, as in a bot that has
   been running for a while, instead of each member's first sight (sent at
   `--seen-rate`);
2. steady: `--rate` messages a second for `--seconds`, open loop; latency is the
   time from an event leaving the client to the bot's first action frame for it
   (delete_msg of that message id), over the violations the charter bot recalled;
3. saturation: `--burst` messages sent as fast as the socket takes them, then a
   sentinel violation; throughput = messages / (first send -> the last action
   frame of the burst's work, once none has come for half a second): every
   recall, reminder and notice the burst caused. The charter bot recalls first
   and sends its reminders and notices after, so the time to its last recall
   alone (`messages_per_s`, `throughput_ratio`) flatters it; the targets are
   judged on all its actions (`messages_per_s_all_actions`,
   `throughput_ratio_all_actions`). For the bare bot, whose only action is the
   recall, the two are the same.

Both bots get the identical message sequence (same ids, groups, members, texts).
The bot and this client share the machine's cores; the report says how much CPU
each used. On a shared VM one burst's figures vary by more than most changes
measured (the same bot's CPU for the same burst by up to half), so the targets
are judged on the median ratio of several: `--pairs N` sends N bursts to each
bot, warm, the two bots' in turn (each pair's first bot alternating), each burst
with its own lines and message ids, and takes each pair's ratio; `--rounds N`
repeats all of it N times, each time with fresh processes and a fresh database.

`--instructions` runs both bots under valgrind's callgrind, counting only during
each bot's own bursts, and reports the CPU instructions each bot spent a message
and their ratio (bare over charter) per pair: the work each bot does for the same
burst, which the VM's speed from minute to minute does not move. Under callgrind
both bots run tens of times slower, so their seconds, rates and latencies mean
nothing in this mode; use a burst small enough for the bots' API calls to be
answered within NoneBot's timeout (`--burst 1000`). Keep the steady phase as it
is: a shorter one leaves the first burst to meet groups whose chit-chat reminder
is not yet out, which a timed run's first burst does not. Needs valgrind.
Prints one JSON document.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.load_client import LoadClient, event_frame  # noqa: E402
from bench.workload import (  # noqa: E402
    DEFAULT_TIMEZONE,
    Generated,
    Planned,
    PYTHON,
    ROOT,
    Process,
    bare_bot,
    charter_bot,
    classes_local_time,
    generate_config,
    machine,
    percentile,
    plan_messages,
    postgres_version,
    print_json,
    trigger_texts,
)

SENTINEL_TEXT = "优惠详情加微信 bench-sentinel 点击 http://bench-sentinel.example.net/go"
PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
# callgrind without instrumentation until a burst: start-up and warm-up run a few
# times slower instead of tens of times
CALLGRIND = ("valgrind", "--tool=callgrind", "--instr-atstart=no")
CALLGRIND_STARTUP_S = 900.0
# a core's share an idle bot stays under (its timers poll once a second), uninstrumented
# and instrumented: the charter bot's timers cost about 0.005 of a core natively
IDLE_UNINSTRUMENTED, IDLE_INSTRUMENTED = 0.1, 0.5


def under_callgrind(process: Process, argv: list[str], cache_sim: bool = False) -> list[str]:
    return [*CALLGRIND, *(["--cache-sim=yes"] if cache_sim else []),
            f"--callgrind-out-file={process.home / 'callgrind.out.%p'}", *argv]


def callgrind_control(process: Process, *options: str) -> str:
    """A command to the bot's callgrind, sent with the bot's environment: valgrind names
    its command pipe after $USER and $HOST, and the bot's HOST is the address it serves."""
    assert process.process is not None
    return subprocess.run(["callgrind_control", *options, str(process.process.pid)], capture_output=True,
                          text=True, check=True, timeout=120, env=process.env()).stdout


def start_counting(process: Process) -> None:
    """Instrument the bot and count from zero."""
    callgrind_control(process, "--instr=on")
    callgrind_control(process, "--zero")


async def until_idle(process: Process, busy_share: float, limit: float = 600.0) -> None:
    """Wait until the bot used less than `busy_share` of a core over a second: under
    callgrind the work of one phase (first sights, reminders after the recalls) runs on
    for seconds after its last frame, and must not be counted in the next burst or
    left out of its own."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = process.cpu_seconds()
        await asyncio.sleep(1.0)
        if process.cpu_seconds() - before < busy_share:
            return
    raise TimeoutError(f"{process.script.name} still busy after {limit:g} s")


async def idle_instructions(process: Process, seconds: float = 5.0) -> int:
    """What the bot does with no message (its timers), in instructions a second: the
    wait for the end of a burst counts a second or two of it."""
    start_counting(process)
    await asyncio.sleep(seconds)
    counted = await events_counted(process, "idle")
    callgrind_control(process, "--instr=off")
    return round(counted["Ir"] / seconds)


async def events_counted(process: Process, label: str) -> dict[str, int]:
    """The events counted since the last zeroing (instructions, "Ir", and with the
    cache simulated its misses), from a dump of them (the file may come a moment
    after the command returns)."""
    before = set(process.home.glob("callgrind.out.*"))
    callgrind_control(process, f"--dump={label}")
    trigger = re.compile(rf"^desc: Trigger: dump {re.escape(label)}$", re.M)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for path in set(process.home.glob("callgrind.out.*")) - before:
            text = path.read_text(encoding="utf-8", errors="replace")
            if trigger.search(text) and re.search(r"^totals:", text, re.M):  # written whole
                return dumped_totals(text)
        await asyncio.sleep(0.2)
    raise RuntimeError(f"callgrind wrote no dump for {label!r} in {process.home} within a minute")


def dumped_totals(dump: str) -> dict[str, int]:
    """Each event's total in a callgrind dump: the names on its "events:" line, the
    counts on its "totals:" line (else "summary:")."""
    events = re.search(r"^events:((?:[ \t]+\S+)+)[ \t]*$", dump, re.M)
    if events is None:
        raise ValueError("no events line in the callgrind dump")
    names = events.group(1).split()
    for key in ("totals", "summary"):
        found = re.search(rf"^{key}:((?:[ \t]+\d+)+)[ \t]*$", dump, re.M)
        if found:
            return dict(zip(names, map(int, found.group(1).split()), strict=False))
    raise ValueError("no totals in the callgrind dump")


def per_message(events: dict[str, int], messages: int) -> dict[str, float | int]:
    """A burst's counts a message: instructions, and with the cache simulated the
    misses of the first-level data cache and of the last level (what goes to memory)."""
    counted: dict[str, float | int] = {"instructions": events["Ir"],
                                       "instructions_per_message": round(events["Ir"] / messages)}
    if "DLmr" in events:
        counted["first_level_data_misses_per_message"] = round((events["D1mr"] + events["D1mw"]) / messages, 1)
        counted["last_level_misses_per_message"] = round(
            (events["ILmr"] + events["DLmr"] + events["DLmw"]) / messages, 1)
    return counted


def sentinel(generated: Generated, message_id: int) -> Planned:
    group = generated.groups[0]
    return Planned(group.group_id, 99_000_000 + message_id % 1_000_000, "李思远妈妈", SENTINEL_TEXT, True, message_id)


async def see_every_member(client: LoadClient, generated: Generated, rate: float) -> None:
    """One ordinary line from every member at `rate` (first sights are the costly case: a
    burst of them would only measure the overload), then a sentinel: returns once the bot
    got through them."""
    from bench.workload import corpus_lines

    ordinary = corpus_lines()[0]
    first = [Planned(group.group_id, member.user_id, member.card, ordinary[n % len(ordinary)].text, False,
                     500_000 + n)
             for n, (group, member) in enumerate((g, m) for g in generated.groups for m in g.members)]
    await client.at_rate(first, rate)
    last = sentinel(generated, 1_950_000)
    await client.send(last, event_frame(client.self_id, last))
    await client.wait_recalled(last.message_id, timeout=len(first) / 10 + 30)


def summary(latencies: list[float]) -> dict[str, float | int]:
    return {"samples": len(latencies), "p50_ms": round(percentile(latencies, 50), 2),
            "p90_ms": round(percentile(latencies, 90), 2), "p99_ms": round(percentile(latencies, 99), 2),
            "max_ms": round(max(latencies), 2) if latencies else float("nan")}


async def prepare(process: Process, generated: Generated, args: argparse.Namespace,
                  charter_recalled: set[int] | None) -> tuple[LoadClient, dict]:
    """Connect, warm up and run the steady phase: the connected client and the report so far."""
    client = LoadClient(process.v11_url)
    await client.connect()
    result: dict = {"startup_s": round(process.started_in, 2)}
    warm = plan_messages(generated, args.warmup, 0.3, seed=1, first_id=1_000_000)
    await client.at_rate(warm, 50)
    if args.seen_members:
        await see_every_member(client, generated, args.seen_rate)
    await asyncio.sleep(1.5)

    steady = plan_messages(generated, int(args.rate * args.seconds), args.violations, seed=2, first_id=2_000_000)
    cpu0, t0 = process.cpu_seconds(), time.perf_counter()
    took = await client.at_rate(steady, args.rate)
    await asyncio.sleep(2.0)
    steady_cpu = process.cpu_seconds() - cpu0
    recalled = {m.message_id for m in steady if m.violation and m.message_id in client.recalled_at}
    result["steady"] = {
        "rate_offered": args.rate, "messages": len(steady), "sent_in_s": round(took, 2),
        "violations_sent": sum(m.violation for m in steady), "violations_recalled": len(recalled),
        "latency": summary(client.latencies_ms(steady, charter_recalled)),
        "bot_cpu_share": round(steady_cpu / (time.perf_counter() - t0), 2),
        "bot_cpu_ms_per_message": round(steady_cpu * 1000 / len(steady), 2),
    }
    result["_recalled"] = sorted(recalled)
    return client, result


def burst_plan(generated: Generated, args: argparse.Namespace, index: int) -> tuple[list[Planned], Planned]:
    """The `index`th burst and its sentinel: fresh message ids and lines each time, and a
    sentinel from a member of its own (a repeated sender would climb the ladder)."""
    offset = index * 1_000_000
    burst = plan_messages(generated, args.burst, args.violations, seed=3 + 7919 * index, first_id=3_000_000 + offset)
    return burst, sentinel(generated, 3_900_000 + offset + index)


async def saturate(process: Process, client: LoadClient, generated: Generated, args: argparse.Namespace,
                   index: int = 0) -> dict:
    """One burst as fast as the socket takes it, then a sentinel: the saturation figures."""
    burst, last = burst_plan(generated, args, index)
    if args.instructions:  # count this burst's work only
        await until_idle(process, IDLE_UNINSTRUMENTED)
        start_counting(process)
    cpu0, frames_before = process.cpu_seconds(), len(client.frames)
    start = await client.burst(burst)
    await client.send(last, event_frame(client.self_id, last))
    sent_all = time.perf_counter()
    ok = await client.wait_recalled(last.message_id, timeout=args.burst / 20 + 30)
    # the burst's other actions (reminders, notices) may still be on their way: its work
    # is done when no action frame has come for a while
    await client.until_quiet(0.5, limit=args.burst / 20 + 30)
    burst_ids = {m.message_id for m in burst}
    ends = [t for mid, t in client.recalled_at.items() if mid in burst_ids or mid == last.message_id]
    end = max(ends) if ends else time.perf_counter()
    end_all = max((t for _, t in client.frames[frames_before:]), default=end)
    burst_cpu = process.cpu_seconds() - cpu0
    counted: dict[str, float | int] = {}
    if args.instructions:
        await until_idle(process, IDLE_INSTRUMENTED)
        events = await events_counted(process, f"burst-{index}")
        callgrind_control(process, "--instr=off")
        counted = per_message(events, len(burst) + 1)
    return counted | {
        "messages": len(burst) + 1, "client_send_s": round(sent_all - start, 3),
        "sentinel_recalled": ok, "seconds": round(end - start, 3),
        "messages_per_s": round((len(burst) + 1) / (end - start), 1),
        # to the last action frame of any kind: every reminder and notice sent too
        "seconds_all_actions": round(end_all - start, 3),
        "messages_per_s_all_actions": round((len(burst) + 1) / (end_all - start), 1),
        "latency": summary(client.latencies_ms(burst)),
        "bot_cpu_s": round(burst_cpu, 2),
        # what the bot sent while handling the burst: each call costs the framework a round trip
        "action_frames_by_kind": dict(Counter(action for action, _ in client.frames[frames_before:]).most_common()),
    }


async def finish(process: Process, client: LoadClient, result: dict) -> dict:
    result["action_frames"] = len(client.frames)
    result["rss_mb"] = round(process.rss_mb(), 1)
    # both bots log alike (bot.log_without_per_message_lines): a few lines a run, not
    # lines per message. A bot writing thousands would be measuring its log
    result["log_lines"] = process.log().count("\n")
    result.pop("_recalled", None)
    await client.close()
    return result


async def fresh_database(home: Path, kind: str) -> tuple[str, str | None]:
    if kind == "sqlite":
        return f"sqlite+aiosqlite:///{home / 'bench.db'}", None
    import asyncpg

    name = f"cb_bench_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/test")
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    return f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}", name


async def drop_database(name: str | None) -> None:
    if name is None:
        return
    import asyncpg

    conn = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/test")
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await conn.close()


async def run(args: argparse.Namespace) -> dict:
    home = Path(tempfile.mkdtemp(prefix="charterbot-bench-"))
    generated = generate_config(home, args.classes, members_per_group=args.members, timezone=args.timezone)
    triggers = home / "triggers.json"
    triggers.write_text(json.dumps(trigger_texts() + [SENTINEL_TEXT], ensure_ascii=False), encoding="utf-8")
    url, dbname = await fresh_database(home, args.database)
    report: dict = {
        "machine": machine(), "database": args.database,
        "postgresql": postgres_version(PG_URL) if args.database == "postgresql" else None,
        "classes": args.classes, "groups": len(generated.groups), "members": generated.member_count,
        "violation_share": args.violations, "seen_members": args.seen_members, "home": str(home),
        "classes_local_time": classes_local_time(args.timezone),
    }
    alone = bool(args.profile or args.charter_only)
    charter = charter_bot(home / "charter", generated.config_dir, url)
    bare = None if alone else bare_bot(home / "bare", triggers)
    try:
        profiled = [PYTHON, str(ROOT / "bench" / "profiled_bot.py"), str(Path(args.profile).resolve())] \
            if args.profile else None
        started = [(charter, profiled)] + ([(bare, None)] if bare is not None else [])
        for process, argv in started:  # each idle while the other is measured
            if args.instructions:
                process.start(argv=under_callgrind(process, [PYTHON, str(process.script)], args.cache_sim),
                              timeout=CALLGRIND_STARTUP_S)
            else:
                process.start(argv=argv)
        clients: dict[str, tuple[Process, LoadClient]] = {}
        client, report["charter"] = await prepare(charter, generated, args, None)
        clients["charter"] = (charter, client)
        if bare is not None:
            recalled = set(report["charter"]["_recalled"])
            client, report["bare"] = await prepare(bare, generated, args, recalled)
            clients["bare"] = (bare, client)
        report["pairs"] = []
        for index in range(max(1, args.pairs)):
            # each bot's bursts alternate with the other's, first one then the other first:
            # a slow spell of a shared VM falls on both
            sides = list(clients) if index % 2 == 0 else list(reversed(clients))
            pair = {}
            for side in sides:
                others = [process for other, (process, _) in clients.items() if other != side]
                before = sum(process.cpu_seconds() for process in others)
                pair[side] = await saturate(*clients[side], generated, args, index)
                # the idle bot's own work meanwhile (its timers), taken from the measured one's cores
                pair[side]["other_bot_cpu_s"] = round(sum(process.cpu_seconds() for process in others) - before, 3)
            report["pairs"].append(pair)
        for side, (process, client) in clients.items():
            report[side]["saturation"] = report["pairs"][0][side]
            if args.instructions:
                report[side]["idle_instructions_per_s"] = await idle_instructions(process)
            await finish(process, client, report[side])
    finally:
        charter.stop()
        if bare is not None:
            bare.stop()
        await drop_database(dbname)
    if args.profile:
        report["profile"] = str(Path(args.profile).resolve())
    return report


def ratio(pair: dict, key: str = "messages_per_s") -> float | None:
    """The charter bot's figure over the bare bot's, for one pair of bursts."""
    c, b = pair["charter"][key], pair["bare"][key]
    return round(c / b, 3) if b else None


MAX_LOG_LINES = 1_000  # per bot and run; a burst alone is 3,001 messages


def instruction_ratio(pair: dict) -> float | None:
    """The bare bot's instructions a message over the charter bot's, for one pair: the
    share of the framework's throughput the charter's work leaves, at equal speed per
    instruction."""
    c, b = pair["charter"].get("instructions_per_message"), pair["bare"].get("instructions_per_message")
    return round(b / c, 3) if b and c else None


def median(values: list[float | None]) -> float | None:
    known = sorted(v for v in values if v is not None)
    return known[(len(known) - 1) // 2] if known else None  # the lower middle


def conclude(reports: list[dict], args: argparse.Namespace) -> dict:
    """The first round's report, with every pair's ratio and the targets judged on
    the median ratio and the worst p99: on a shared VM one run's figures vary by
    more than the changes being measured."""
    report = reports[0]
    pairs = [pair for r in reports for pair in r.pop("pairs")]
    ratios = [ratio(pair) for pair in pairs]
    ratios_all = [ratio(pair, "messages_per_s_all_actions") for pair in pairs]
    if len(pairs) > 1:
        report["pairs"] = [pair | {"throughput_ratio": q, "throughput_ratio_all_actions": q_all}
                           for pair, q, q_all in zip(pairs, ratios, ratios_all, strict=True)]
        report["throughput_ratios"] = ratios
        report["throughput_ratios_all_actions"] = ratios_all
    if len(reports) > 1:
        report["rounds"] = [{side: {"steady": r[side]["steady"]} for side in ("charter", "bare")} for r in reports]
    report["throughput_ratio"] = median(ratios)
    report["throughput_ratio_all_actions"] = median(ratios_all)
    if args.instructions:
        # under callgrind the seconds are valgrind's: only the work is compared
        report["instruction_ratios"] = [instruction_ratio(pair) for pair in pairs]
        report["instruction_ratio"] = median(report["instruction_ratios"])
        report["targets"] = {"instructions a message: bare / charter >= 0.8": (report["instruction_ratio"] or 0) >= 0.8}
        return report
    judged = report["throughput_ratio_all_actions"]
    worst_p99 = max(r["charter"]["steady"]["latency"]["p99_ms"] for r in reports)
    report["targets"] = {
        "throughput (all actions) >= 80% of bare": judged is not None and judged >= 0.8,
        f"p99 < 50 ms at {args.rate:g} msg/s": worst_p99 < 50,
    }
    # like for like: a bot that logged each message would be measuring its log (the
    # fifth round's bare bot did, flattering the ratio); a run logs start-up,
    # connections and warnings, tens of lines
    logged = [r[side].get("log_lines", 0) for r in reports for side in ("charter", "bare") if side in r]
    report["checks"] = {"no log line per message in either bot": max(logged, default=0) < MAX_LOG_LINES}
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--classes", type=int, default=200)
    parser.add_argument("--members", type=int, default=40, help="members per group")
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--burst", type=int, default=3000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--violations", type=float, default=0.15, help="share of violations in the mix")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--timezone", default=DEFAULT_TIMEZONE,
                        help="the classes' time zone (quiet hours 21:30-07:00 are local to it)")
    parser.add_argument("--seen-members", action="store_true",
                        help="warm up with every member's first message: measure members already seen")
    parser.add_argument("--seen-rate", type=float, default=50.0, help="messages a second of that warm-up")
    parser.add_argument("--profile", metavar="OUT.pstats", help="run the charter bot under cProfile, skip the bare bot")
    parser.add_argument("--charter-only", action="store_true", help="skip the bare bot (while iterating)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="all of it this many times, each with fresh processes and a fresh database; "
                             "the median ratio of every pair of every round counts")
    parser.add_argument("--pairs", type=int, default=1,
                        help="bursts a round: the charter bot's and the bare bot's in turn, both bots warm; "
                             "the median ratio of every pair counts")
    parser.add_argument("--instructions", action="store_true",
                        help="both bots under callgrind: CPU instructions a message in each burst, not seconds")
    parser.add_argument("--cache-sim", action="store_true",
                        help="with --instructions: callgrind simulates the caches too (misses a message)")
    parser.add_argument("--quick", action="store_true", help="a few messages: checks that the benchmark runs")
    args = parser.parse_args()
    if args.instructions and not (shutil.which("valgrind") and shutil.which("callgrind_control")):
        parser.error("--instructions needs valgrind (Debian package valgrind)")
    if args.cache_sim and not args.instructions:
        parser.error("--cache-sim goes with --instructions")
    if args.instructions and args.profile:
        parser.error("--instructions runs the bots under callgrind, not under cProfile (--profile)")
    if args.quick:
        args.classes, args.members, args.rate, args.seconds, args.burst, args.warmup = 3, 5, 20, 1, 20, 5
    if args.profile or args.charter_only:
        print_json(asyncio.run(run(args)))
        return
    print_json(conclude([asyncio.run(run(args)) for _ in range(max(1, args.rounds))], args))


if __name__ == "__main__":
    main()
