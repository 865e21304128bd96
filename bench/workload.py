"""What every benchmark shares: generated class configurations, the message mix,
bot processes on 127.0.0.1, percentiles and the machine's description.

Nothing here is timed; the benchmark scripts time what they measure.
"""

from __future__ import annotations

import json
import os
import platform
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools.botprocess import accepts_connections, free_port  # noqa: E402  (after the path fix)

ACCESS_TOKEN = "bench-token-7d21"
PYTHON = sys.executable
CORPORA = (ROOT / "tests" / "data" / "content_labelled.jsonl", Path("/work/shared/corpus/dev.jsonl"))
# labels whose messages the charter recalls (recall is the first action the enforcer plans)
RECALLED_LABELS = frozenset({"ad", "link", "abuse", "banned", "privacy"})

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "子涵雨桐俊杰嘉怡浩宇梦琪一鸣思远可欣一诺欣怡若曦俊熙梓萱浩然一帆宇轩诗涵语嫣梓涵子墨皓轩奕辰天佑雅静明轩晨曦欣然思彤家豪佳琪文博"
RELATIONS = ("妈妈", "爸爸", "奶奶", "爷爷", "外婆", "外公")


# --- the message mix ----------------------------------------------------------


@dataclass(frozen=True)
class Line:
    text: str
    label: str

    @property
    def violation(self) -> bool:
        return self.label in RECALLED_LABELS


def corpus_lines() -> tuple[list[Line], list[Line], list[str]]:
    """(ordinary lines, violation lines, roster names the corpora mention)."""
    ordinary: list[Line] = []
    violations: list[Line] = []
    names: set[str] = set()
    for path in CORPORA:
        if not path.exists():
            continue
        for raw in path.read_text(encoding="utf-8").splitlines():
            if not raw.strip():
                continue
            item = json.loads(raw)
            if item.get("role", "parent") != "parent":
                continue
            names.update(item.get("roster", ()))
            line = Line(item["text"], item["label"])
            if line.label == "ok":
                ordinary.append(line)
            elif line.violation:
                violations.append(line)
    # dev.jsonl's README names its roster; tests/data carries it per line
    names.update(("周雨桐", "吴俊杰", "孙嘉怡", "马浩宇", "朱梦琪", "胡一鸣"))
    return ordinary, violations, sorted(names)


# --- generated configuration ----------------------------------------------------


@dataclass(frozen=True)
class Member:
    user_id: int
    card: str


@dataclass
class GroupPlan:
    class_id: str
    group_id: int
    members: list[Member]


@dataclass
class Generated:
    config_dir: Path
    groups: list[GroupPlan]
    head_teachers: dict[str, int]  # class id -> head teacher's QQ number

    @property
    def member_count(self) -> int:
        return sum(len(g.members) for g in self.groups)


# what a class file without a time zone gets (plugins.charter.config.ClassHeader, which
# this module does not import; tests/unit/test_bench_smoke.py checks they agree)
DEFAULT_TIMEZONE = "Asia/Shanghai"


def student_names(count: int, rng: random.Random, must: list[str]) -> list[str]:
    names = list(dict.fromkeys(must))[:count]
    seen = set(names)
    while len(names) < count:
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


CLASS_TEMPLATE = """[class]
id = "{class_id}"
name = "{name}"
charter = "school-full"
timezone = "{timezone}"
roster = "{class_id}.csv"
leave_procedure = "请私信班主任请假。"

{groups}
[staff]
head_teacher = ["qq:{head}"]
teachers = ["qq:{teacher}"]
office = ["qq:{office}"]
leaders = ["qq:{leader}"]

[plugins]
membership = "on"
content = "on"
timing = "on"
escalation = "on"

{rules}"""


def all_rules_on(extra: dict[str, str] | None = None) -> str:
    """Every rule of the product defaults enabled, keeping the template's parameters.
    (Read from the TOML files: importing plugins.charter here would keep NoneBot from
    loading it as a plugin later in the same process.)"""
    rule_ids: list[str] = []
    for path in sorted((ROOT / "config" / "charters" / "defaults").glob("*.toml")):
        rule_ids += tomllib.loads(path.read_text(encoding="utf-8")).get("rules", {})
    tables = []
    for rule_id in rule_ids:
        body = (extra or {}).get(rule_id, "")
        tables.append(f'[rules."{rule_id}"]\nenabled = true\n{body}')
    return "\n".join(tables)


def generate_config(dest: Path, classes: int, groups_per_class: int = 1, members_per_group: int = 40,
                    students_per_class: int = 40, seed: int = 7, extra_rules: dict[str, str] | None = None,
                    group_base: int = 700_000_000, timezone: str = DEFAULT_TIMEZONE) -> Generated:
    """A config dir with `classes` class files on the full charter, every plugin and rule
    on, each with a roster and groups whose members are parents named after it."""
    rng = random.Random(seed)
    config = dest / "config"
    if config.exists():
        shutil.rmtree(config)
    (config / "classes").mkdir(parents=True)
    shutil.copytree(ROOT / "config" / "charters", config / "charters")
    shutil.copytree(ROOT / "config" / "lexicons", config / "lexicons")
    _, _, corpus_names = corpus_lines()
    rules = all_rules_on(extra_rules)
    groups: list[GroupPlan] = []
    heads: dict[str, int] = {}
    next_user = 100_000_000
    for index in range(classes):
        class_id = f"c{index:05d}"
        students = student_names(students_per_class, rng, corpus_names)
        roster = ["role,name,subject", "teacher,王芳,班主任", "teacher,李强,语文"]
        roster += [f"student,{s}," for s in students]
        (config / "classes" / f"{class_id}.csv").write_text("\n".join(roster) + "\n", encoding="utf-8")
        staff = [50_000_000 + index * 4 + k for k in range(4)]
        heads[class_id] = staff[0]
        group_ids = [group_base + index * groups_per_class + g for g in range(groups_per_class)]
        group_tables = "".join(f'[[groups]]\nplatform = "qq"\ngroup_id = "{g}"\n\n' for g in group_ids)
        text = CLASS_TEMPLATE.format(class_id=class_id, name=f"测试{index}班", groups=group_tables,
                                     head=staff[0], teacher=staff[1], office=staff[2], leader=staff[3],
                                     rules=rules, timezone=timezone)
        (config / "classes" / f"{class_id}.toml").write_text(text, encoding="utf-8")
        for group_id in group_ids:
            members = []
            for k in range(members_per_group):
                members.append(Member(next_user, f"{students[k % len(students)]}{RELATIONS[k % len(RELATIONS)]}"))
                next_user += 1
            groups.append(GroupPlan(class_id, group_id, members))
    return Generated(config, groups, heads)


# --- a message schedule -----------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    group_id: int
    user_id: int
    card: str
    text: str
    violation: bool
    message_id: int


def plan_messages(generated: Generated, count: int, violation_share: float, seed: int,
                  first_id: int) -> list[Planned]:
    """A deterministic sequence: random groups and members, ordinary lines with
    `violation_share` of violations drawn from the corpora."""
    rng = random.Random(seed)
    ordinary, violations, _ = corpus_lines()
    planned = []
    for n in range(count):
        group = rng.choice(generated.groups)
        member = rng.choice(group.members)
        line = rng.choice(violations) if rng.random() < violation_share else rng.choice(ordinary)
        planned.append(Planned(group.group_id, member.user_id, member.card, line.text, line.violation, first_id + n))
    return planned


def trigger_texts() -> list[str]:
    """The violation texts, for the bare bot's one answer."""
    _, violations, _ = corpus_lines()
    return sorted({v.text for v in violations})


# --- processes ------------------------------------------------------------------


@dataclass
class Process:
    """A NoneBot process (the charter's bot.py or the bare bot) on 127.0.0.1."""

    script: Path
    home: Path
    env_extra: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    log_path: Path | None = None
    started_in: float = 0.0

    @property
    def v11_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/onebot/v11/ws"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CHARTERBOT_", "PYTEST_"))}
        env.update({
            "HOST": "127.0.0.1", "PORT": str(self.port), "DRIVER": "~fastapi+~httpx+~websockets",
            "ONEBOT_ACCESS_TOKEN": ACCESS_TOKEN, "SUPERUSERS": '["10001"]', "COMMAND_START": '["/"]',
            "LOG_LEVEL": "INFO", "LOCALSTORE_DATA_DIR": str(self.home / "data"), "PYTHONUNBUFFERED": "1",
        })
        env.update(self.env_extra)
        return env

    def start(self, timeout: float = 120.0, argv: list[str] | None = None) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        self.log_path = self.home / f"{self.script.stem}-{self.port}.log"
        log = self.log_path.open("w", encoding="utf-8")
        began = time.perf_counter()
        self.process = subprocess.Popen(argv or [PYTHON, str(self.script)], cwd=self.home, env=self.env(),
                                        stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.script.name} exited with {self.process.returncode}:\n{self.log()[-3000:]}")
            # uvicorn logs "startup complete" before it binds the port
            if "Application startup complete" in self.log() and accepts_connections(self.port):
                self.started_in = time.perf_counter() - began
                return
            time.sleep(0.05)
        self.stop()
        raise TimeoutError(f"{self.script.name} did not start within {timeout}s:\n{self.log()[-3000:]}")

    def stop(self, timeout: float = 20.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)

    def rss_mb(self, field: str = "VmRSS") -> float:
        """Resident MB now; field "VmHWM": the most it has been."""
        return rss_mb(self.process.pid, field) if self.process else 0.0

    def cpu_seconds(self) -> float:
        if self.process is None:
            return 0.0
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path else ""


def charter_bot(home: Path, config_dir: Path, database_url: str, **env: str) -> Process:
    return Process(ROOT / "bot.py", home, {"CHARTERBOT_CONFIG_DIR": str(config_dir),
                                           "CHARTERBOT_DATABASE_URL": database_url, **env})


def bare_bot(home: Path, triggers: Path) -> Process:
    return Process(ROOT / "bench" / "bare_bot.py", home, {"BENCH_TRIGGERS": str(triggers)})


# --- figures ----------------------------------------------------------------------


def rss_mb(pid: int | None = None, field: str = "VmRSS") -> float:
    status = Path(f"/proc/{pid or 'self'}/status").read_text()
    for line in status.splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def postgres_version(url: str) -> str:
    try:
        out = subprocess.run(["psql", url.replace("+asyncpg", ""), "-tAc", "show server_version"],
                             capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or "unavailable"
    except (OSError, subprocess.TimeoutExpired):
        return "unavailable"


def machine() -> dict[str, str]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "nproc": str(os.cpu_count()), "cpu": cpu, "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
        "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def classes_local_time(timezone: str = DEFAULT_TIMEZONE) -> str:
    """The generated classes' local time when a run starts: inside the template's quiet
    hours (21:30-07:00) each member's first message of the night earns a private
    reminder, so runs at different hours do different work (a class time zone where
    it is day now measures the day)."""
    return f"{datetime.now(ZoneInfo(timezone)):%H:%M} {timezone}"


def print_json(result: dict) -> None:
    print(json.dumps(result, ensure_ascii=False, indent=2))
