"""A group message through the charter: class, member, policies, enforcement."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import replace

from loguru import logger

from .config import ClassConfig
from .enforce import Outcome
from .identity import member_of
from .model import Finding, GroupRef, IncomingMessage
from .policies import policies
from .runtime import Runtime

MAX_TEXT = 20_000  # longer messages are checked on their first part only


def checked_text(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT]


def fields_in_order(*, group: GroupRef, user_id: str, display_name: str, message_id: str, text: str, time,  # type: ignore[no-untyped-def]
                    mentions: tuple[str, ...] = (), mentions_all: bool = False, reply_to: str | None = None,
                    has_image: bool = False, segment_count: int = 1) -> tuple:
    """A message's fields by name, with their defaults, in the order of MESSAGE_FIELDS."""
    return (group, user_id, display_name, message_id, text, time, mentions, mentions_all, reply_to, has_image,
            segment_count)


# the fields of a group message in order, for message_of
MESSAGE_FIELDS = ("group", "user_id", "display_name", "message_id", "text", "time", "mentions", "mentions_all",
                  "reply_to", "has_image", "segment_count")


def build_message(runtime: Runtime, cls: ClassConfig, **fields) -> IncomingMessage:  # type: ignore[no-untyped-def]
    """The message of a group message's fields given by name (see fields_in_order)."""
    return message_of(runtime, cls, *fields_in_order(**fields))


def message_of(runtime: Runtime, cls: ClassConfig, group: GroupRef, user_id: str, display_name: str,
               message_id: str, text: str, time, mentions: tuple[str, ...], mentions_all: bool,  # type: ignore[no-untyped-def]
               reply_to: str | None, has_image: bool, segment_count: int) -> IncomingMessage:
    """`build_message` with every field given in order (MESSAGE_FIELDS): every group
    message is built here, and keyword arguments cost a dict and a match by name each."""
    member = member_of(cls, group.platform, user_id, display_name, runtime.superusers)
    return IncomingMessage(group, message_id, member, checked_text(text), time, mentions, mentions_all, reply_to,
                           has_image, segment_count)


def find(message: IncomingMessage, cls: ClassConfig) -> list[Finding]:
    """Every enabled policy's findings for one message; a failing policy is logged, not fatal."""
    findings: list[Finding] = []
    for policy in policies():
        if cls.mode(policy.plugin) == "off":
            continue
        try:
            found = policy.check(message, cls)
        except Exception as exc:  # one broken rule must not silence the others
            logger.opt(exception=exc).error(f"policy {policy.plugin} failed on a message in {message.group.key}")
            continue
        findings += found
    return findings


async def process(runtime: Runtime, message: IncomingMessage, cls: ClassConfig) -> list[Outcome]:
    pending = start_process(runtime, message, cls)
    return [] if pending is None else await pending


def start_process(runtime: Runtime, message: IncomingMessage, cls: ClassConfig) -> Awaitable[list[Outcome]] | None:
    """`process` as a plain call up to the enforcement: None when the message breaks no
    rule (nearly every message), else the enforcement to await."""
    findings = find(message, cls)
    if not findings:
        return None
    return runtime.enforcer.handle(once_per_message(findings), cls)


def once_per_message(findings: list[Finding]) -> list[Finding]:
    """One withdrawal and one strike per message, however many rules it breaks: the
    first finding (policies report the most severe first) keeps them."""
    done: set[str] = set()
    unique: list[Finding] = []
    for finding in findings:
        if finding.shadow:
            unique.append(finding)
            continue
        repeated = {a for a in ("recall", "strike") if a in finding.actions and a in done}
        done |= {a for a in ("recall", "strike") if a in finding.actions}
        if repeated:
            finding = replace(finding, actions=tuple(a for a in finding.actions if a not in repeated))
        unique.append(finding)
    return unique
