"""Replay an exported chat history through a class's charter, touching no group.

Which policies: the bot registers its pure policies with
`plugins.charter.policies.register_policy`, but only while NoneBot loads a plugin
(`loaded_by_nonebot`), so a plain import of the plugins registers nothing. Three
ways to get the same policy objects without running the bot were weighed:

- start NoneBot (a `none` driver) and load the plugins, then read the registry:
  exact, but slow, it reads `.env` files and registers matchers, for a CLI that
  only needs pure functions;
- have each plugin expose a pure `policy_factories()` beside its `__init__`:
  the cleanest in the long run, but it changes every policy plugin;
- list the policy classes here, in `BOT_POLICIES`, and let a test compare the
  list with what the loaded bot registered (tests/unit/test_replay_policies.py).

The third is used: no plugin changes, no NoneBot at run time, and the test fails
the day a plugin registers a policy that replay does not run. Rules that are not
pure policies (listeners on the database, timers: membership.*, timing.*
deadlines) cannot be judged from a log; the report names them.

Senders become members exactly as in the bot: staff from the class file by
account, everyone else through `identity.resolve_member` with the display name
of the export, mapped to the roster by the membership plugin's resolver.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from plugins.charter import identity
from plugins.charter.catalogue import PLUGINS, LadderSettings, plugin_of
from plugins.charter.config import ClassConfig, LoadedConfig, load_class_file, load_config_dir
from plugins.charter.ladder import step_for
from plugins.charter.model import Account, Finding, GroupRef, IncomingMessage, Member
from plugins.charter.policies import Policy
from plugins.content.policy import ContentPolicy
from plugins.membership.identity import class_person_key

from .chatlog import ChatLine

# the policies the bot registers (see the module docstring), as factories
BOT_POLICIES: tuple[Callable[[], Policy], ...] = (ContentPolicy,)
# the roster-based person resolver the membership plugin provides to the core
PERSON_RESOLVER: identity.PersonResolver = class_person_key
# rules that act on commands, not on messages
COMMAND_RULES = frozenset({"content.report"})

STEP_LABELS = {"remind": "私信提醒", "notice": "群内 @提醒", "remove": "移出（或请班主任确认）",
               "teacher": "告知班主任（老师不计违规）"}


@dataclass(frozen=True)
class Flagged:
    line: ChatLine
    member: Member
    finding: Finding
    strike: int = 0  # the member's active strike count after this finding (0: no strike)
    step: str = ""  # remind | notice | remove | teacher | ""


@dataclass
class ReplayResult:
    cls: ClassConfig
    source: str
    fmt: str
    messages: int = 0
    first: datetime | None = None
    last: datetime | None = None
    senders: set[str] = field(default_factory=set)
    flagged: list[Flagged] = field(default_factory=list)
    replayed_rules: tuple[str, ...] = ()
    not_replayed: tuple[str, ...] = ()

    def by_rule(self) -> dict[str, list[Flagged]]:
        groups: dict[str, list[Flagged]] = defaultdict(list)
        for item in self.flagged:
            groups[item.finding.rule_id].append(item)
        return dict(sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])))

    def flagged_messages(self) -> int:
        return len({item.line.line_no for item in self.flagged})

    def furthest_steps(self) -> dict[str, Flagged]:
        """Per member (person key), the flagged item with the highest strike count."""
        worst: dict[str, Flagged] = {}
        for item in self.flagged:
            key = item.member.person_key
            if item.strike and (key not in worst or item.strike > worst[key].strike):
                worst[key] = item
        return worst


@contextlib.contextmanager
def person_resolver(resolver: identity.PersonResolver) -> Iterator[None]:
    """The bot's resolver while replaying; the previous one is restored afterwards."""
    previous = identity._resolver
    identity.set_person_resolver(previous or resolver)
    try:
        yield
    finally:
        identity.set_person_resolver(previous)


def class_from_config(config_dir: Path, class_id: str) -> tuple[LoadedConfig, ClassConfig]:
    config = load_config_dir(config_dir)
    if class_id not in config.classes:
        raise KeyError(f"unknown class {class_id!r}; known: {', '.join(config.classes)}")
    return config, config.classes[class_id]


def class_from_charter(config_dir: Path, charter: str, roster: Path | None, staff: dict[str, list[str]],
                       platform: str = "qq") -> tuple[LoadedConfig, ClassConfig]:
    """A throwaway class on `charter` with `roster`, validated by the same loader as class files."""
    import json

    config_dir = config_dir.resolve()
    heads = staff.get("head_teacher") or [f"{platform}:0"]  # a class needs one; nobody speaks as account 0
    lines = [
        "[class]", 'id = "replay"', 'name = "回放"', f"charter = {json.dumps(charter)}",
        *([f"roster = {json.dumps(str(roster.resolve()))}"] if roster else []),
        "[[groups]]", f"platform = {json.dumps(platform)}", 'group_id = "replay"',
        "[staff]", f"head_teacher = {json.dumps(heads)}",
        f"teachers = {json.dumps(staff.get('teachers', []))}",
    ]
    with tempfile.TemporaryDirectory(prefix="charterbot-replay-") as tmp:
        path = Path(tmp) / "replay.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        cls = load_class_file(path, config_dir, charters={})
    config = LoadedConfig(config_dir, {cls.id: cls}, {cls.charter.id: cls.charter},
                          {g.key: cls for g in cls.groups})
    return config, cls


def rules_by_coverage(cls: ClassConfig, policies: list[Policy]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(enabled rules replay judges, enabled rules it cannot judge from a log)."""
    covered_plugins = {p.plugin for p in policies}
    enabled = [r for r in cls.rules if cls.rule_mode(r) != "off" and plugin_of(r) != "escalation"]
    replayed = tuple(r for r in enabled if plugin_of(r) in covered_plugins and r not in COMMAND_RULES)
    return replayed, tuple(r for r in enabled if r not in replayed)


class LadderProjection:
    """Strikes counted per person as the enforcer counts them, with expiry, no database."""

    def __init__(self, cls: ClassConfig):
        self.cls = cls
        self.settings: LadderSettings = cls.settings("escalation.ladder")
        self._strikes: dict[str, deque[datetime]] = defaultdict(deque)

    def apply(self, finding: Finding) -> tuple[int, str]:
        if "strike" not in finding.actions or finding.shadow or self.cls.mode("escalation") == "off":
            return 0, ""
        if finding.member.is_staff and self.cls.rule_mode("escalation.teachers") != "off":
            return 0, "teacher"
        when = finding.time
        assert when is not None
        window = self._strikes[finding.member.person_key]
        while window and window[0] <= when - timedelta(days=self.settings.strike_expiry_days):
            window.popleft()
        window.append(when)
        return len(window), step_for(len(window), self.settings)


def group_for(cls: ClassConfig, platform: str) -> GroupRef:
    return next((g for g in cls.groups if g.platform == platform), GroupRef(platform, cls.groups[0].group_id))


def replay(lines: list[ChatLine], config: LoadedConfig, cls: ClassConfig, *, source: str = "", fmt: str = "",
           platform: str = "qq", progress: Callable[[int], None] | None = None) -> ReplayResult:
    policies = [factory() for factory in BOT_POLICIES]
    for policy in policies:
        policy.prepare(config)
    replayed, not_replayed = rules_by_coverage(cls, policies)
    result = ReplayResult(cls, source, fmt, replayed_rules=replayed, not_replayed=not_replayed)
    group = group_for(cls, platform)
    ladder = LadderProjection(cls)
    ids_by_name: dict[str, str] = {}
    with person_resolver(PERSON_RESOLVER):
        for index, line in enumerate(lines):
            ids_by_name[line.sender_name] = line.sender_id
            member = identity.resolve_member(cls, Account(platform, line.sender_id), line.sender_name, frozenset())
            message = IncomingMessage(
                group=group, message_id=f"replay-{index + 1}", sender=member, text=line.text, time=line.time,
                mentions=tuple(ids_by_name[n] for n in line.mentioned_names if n in ids_by_name),
                has_image=line.has_image,
            )
            result.messages += 1
            result.senders.add(line.sender_id)
            result.first = result.first or line.time
            result.last = line.time
            for policy in policies:
                if cls.mode(policy.plugin) == "off":
                    continue
                for finding in policy.check(message, cls):
                    strike, step = ladder.apply(finding)
                    result.flagged.append(Flagged(line, member, finding, strike, step))
            if progress is not None:
                progress(index + 1)
    return result


def summary_lines(result: ReplayResult) -> list[str]:
    """The terminal summary, in English like the rest of the command line."""
    from plugins.charter.texts import title

    cls = result.cls
    period = (f"{result.first.astimezone(cls.timezone):%Y-%m-%d %H:%M} .. "
              f"{result.last.astimezone(cls.timezone):%Y-%m-%d %H:%M}") if result.first and result.last else "-"
    lines = [
        f"replay of {result.source} ({result.fmt}): {result.messages} messages from {len(result.senders)} senders, "
        f"{period}",
        f"class {cls.id} {cls.name}, charter {cls.charter.id}; plugins: "
        + ", ".join(f"{p}={cls.mode(p)}" for p in PLUGINS),
        f"would have flagged {result.flagged_messages()} message(s), {len(result.flagged)} finding(s):",
    ]
    for rule_id, items in result.by_rule().items():
        shadow = " [shadow: recorded only]" if any(i.finding.shadow for i in items) else ""
        actions = ", ".join(items[0].finding.actions) or "-"
        lines.append(f"  {rule_id:<26} {len(items):>5}  {actions}  ({title(rule_id)}){shadow}")
    if not result.flagged:
        lines.append("  (nothing)")
    worst = result.furthest_steps()
    if worst:
        lines.append("ladder (strikes per person, with expiry):")
        for item in sorted(worst.values(), key=lambda i: -i.strike):
            lines.append(f"  {item.member.display_name or item.member.account.user_id}: {item.strike} strike(s), "
                         f"reaches {item.step}")
    if result.not_replayed:
        lines.append("not judged from a log (need a live group or the database): " + ", ".join(result.not_replayed))
    return lines
