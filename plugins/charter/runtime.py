"""The running bot's state: configuration, store, connected platforms, enforcer.

One `Runtime` per process, built at start-up by the charter plugin and swapped
piecewise on /reload. Everything per-message reads from here; nothing per-message
reads files or builds indexes.
"""

from __future__ import annotations

import os
import socket
import sys
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from loguru import logger
from nonebot import get_bots

from . import heap
from .config import LoadedConfig, load_config_dir
from .enforce import Enforcer
from .model import GroupRef
from .platform import PlatformOps
from .policies import prepare_all
from .store import Store

ENV_CONFIG_DIR = "CHARTERBOT_CONFIG_DIR"
ENV_AUDIT_RETENTION = "CHARTERBOT_AUDIT_RETENTION_DAYS"
AUDIT_RETENTION_DAYS = 180


def config_dir_from_env() -> Path:
    return Path(os.environ.get(ENV_CONFIG_DIR, "config"))


_checked_config: LoadedConfig | None = None


def hand_over_config(config: LoadedConfig) -> None:
    """The configuration bot.py's start-up check loaded, for the start-up hook to use
    instead of loading every class file a second time."""
    global _checked_config
    _checked_config = config


def startup_config() -> LoadedConfig:
    """The configuration to start with: the one handed over (once), if it is of the
    configured directory; otherwise loaded now."""
    global _checked_config
    config, _checked_config = _checked_config, None
    if config is not None and config.config_dir == config_dir_from_env().resolve():
        return config
    return load_config_dir(config_dir_from_env())


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Runtime:
    config: LoadedConfig
    store: Store
    superusers: frozenset[str]
    clock: Callable[[], datetime] = system_clock
    owner: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    ops: dict[str, dict[str, PlatformOps]] = field(default_factory=dict)  # platform -> self_id -> ops
    group_bots: dict[str, str] = field(default_factory=dict)  # group key -> self_id that serves it
    unknown_groups: set[str] = field(default_factory=set)
    recent: "RecentMessages" = field(default_factory=lambda: RecentMessages())
    # the audit log keeps records this long (CHARTERBOT_AUDIT_RETENTION_DAYS), then forgets them
    audit_retention: timedelta = timedelta(days=AUDIT_RETENTION_DAYS)
    # plugin modes changed with /plugin, persisted; they win over the class file
    mode_overrides: dict[str, dict[str, str]] = field(default_factory=dict)
    enforcer: Enforcer = field(init=False)
    file_config: LoadedConfig = field(init=False)

    def __post_init__(self) -> None:
        self.enforcer = Enforcer(self.store, self.ops_for, lambda: self.clock(), self.owner)
        self.file_config = self.config  # as the files say, before /plugin changes
        prepare_all(self.config)

    # --- platforms ----------------------------------------------------------

    def connect(self, ops: PlatformOps, self_id: str) -> None:
        self.ops.setdefault(ops.platform, {})[self_id] = ops

    def disconnect(self, platform: str, self_id: str) -> None:
        self.ops.get(platform, {}).pop(self_id, None)

    def saw_group(self, group: GroupRef, self_id: str) -> None:
        if self.group_bots.get(group.key) != self_id:
            self.group_bots[group.key] = self_id

    def ops_for(self, platform: str, group_id: str | None = None) -> PlatformOps | None:
        """The operations of the account serving the group (else any account on the
        platform), never those of a connection NoneBot no longer lists: between a
        connection's end and its disconnect hook (a task), a OneBot call would fall
        back to HTTP, which without an API root fails only after building a client
        for it, a few milliseconds of CPU for each action left in the queue."""
        bots = self.ops.get(platform)
        while bots:
            found = None
            if group_id is not None:
                found = bots.get(self.group_bots.get(f"{platform}:{group_id}", ""))
            if found is None:
                found = next(iter(bots.values()))
            if still_listed(found):
                return found
            self.drop_closed(platform)
            bots = self.ops.get(platform)
        return None

    def drop_closed(self, platform: str) -> None:
        """Forget the operations of the platform's connections NoneBot no longer lists."""
        accounts = self.ops.get(platform, {})
        for self_id, ops in list(accounts.items()):
            if not still_listed(ops):
                del accounts[self_id]

    def note_unknown_group(self, group: GroupRef) -> None:
        """Log a group that belongs to no class once, not on every message."""
        if group.key not in self.unknown_groups and len(self.unknown_groups) < 10_000:
            self.unknown_groups.add(group.key)
            logger.info(f"group {group.key} belongs to no class; its messages are ignored")

    # --- configuration ------------------------------------------------------

    def reload(self) -> LoadedConfig:
        """Load the configuration again; on error keep the old one and raise."""
        loaded = load_config_dir(self.config.config_dir)
        fresh = with_overrides(loaded, self.mode_overrides)
        prepare_all(fresh)
        self.file_config, self.config = loaded, fresh
        self.unknown_groups.clear()
        heap.resettle()  # the replaced configuration is garbage now
        return fresh

    def apply_modes(self, overrides: dict[str, dict[str, str]]) -> None:
        """Plugin modes set with /plugin, over the class files (an empty dict restores them)."""
        self.mode_overrides = overrides
        fresh = with_overrides(self.file_config, overrides)
        if fresh is not self.config:  # no overrides at start-up: the policies are prepared already
            prepare_all(fresh)
            self.config = fresh
            heap.resettle()


def with_overrides(config: LoadedConfig, overrides: dict[str, dict[str, str]]) -> LoadedConfig:
    """The configuration with /plugin changes applied on top of the class files."""
    if not overrides:
        return config
    classes = {}
    for class_id, cls in config.classes.items():
        extra = overrides.get(class_id)
        classes[class_id] = replace(cls, modes={**cls.modes, **extra}) if extra else cls
    by_group = {key: classes[cls.id] for key, cls in config.by_group.items()}
    return replace(config, classes=classes, by_group=by_group)


QUOTED_CHARS = 120  # of a message's text kept: /report quotes at most 120, the SLA asks read none


class RecentMessages:
    """The last few messages of the most recently active groups, in memory only, so
    /report can quote one and a reply can be traced to its author. Bounded: at most
    per_group x max_groups entries (100,000 by default).

    An entry is (author's account key, display name, the text's first QUOTED_CHARS
    characters, time). Each group's ring is a plain dict in arrival order (the oldest
    first; a few dozen entries, so dropping the oldest is cheap), and the account
    key and name are interned: one member's messages share one copy of each, as
    do the other caches that keep them."""

    def __init__(self, per_group: int = 50, max_groups: int = 2_000):
        self.per_group = per_group
        self.max_groups = max_groups
        self._groups: OrderedDict[str, dict[str, tuple[str, str, str, datetime]]] = OrderedDict()

    def add(self, group_key: str, message_id: str, user_key: str, name: str, text: str, time: datetime) -> None:
        ring = self._groups.get(group_key)
        if ring is None:
            if len(self._groups) >= self.max_groups:
                self._groups.popitem(last=False)  # the group quiet for longest
            ring = self._groups[group_key] = {}
        else:
            self._groups.move_to_end(group_key)
        ring[message_id] = (sys.intern(user_key), sys.intern(name), text[:QUOTED_CHARS], time)
        while len(ring) > self.per_group:
            del ring[next(iter(ring))]

    def get(self, group_key: str, message_id: str) -> tuple[str, str, str, datetime] | None:
        return self._groups.get(group_key, {}).get(message_id)

    def entries(self) -> int:
        return sum(len(ring) for ring in self._groups.values())


def still_listed(ops: PlatformOps) -> bool:
    """Whether NoneBot still lists the connection these operations act through
    (operations without a NoneBot bot, and a process without a driver, count as listed)."""
    bot = getattr(ops, "bot", None)
    if bot is None:
        return True
    try:
        listed = get_bots()
    except ValueError:  # NoneBot is not initialised (tests of the pure parts)
        return True
    return listed.get(bot.self_id) is bot


_runtime: Runtime | None = None


def set_runtime(runtime: Runtime | None) -> None:
    global _runtime
    _runtime = runtime


def get_runtime() -> Runtime:
    if _runtime is None:
        raise RuntimeError("the charter runtime is not started")
    return _runtime


def runtime_or_none() -> Runtime | None:
    return _runtime
