"""escalation.chain: what the head teacher does not decide in time goes up, privately.

The core opens a decision (a removal to confirm, a reported message) and schedules
its follow-up; when the follow-up fires and the decision is still open, the next
level (the family-school office, then the school leaders) is told with the evidence
and the one-line commands, and the level after that is scheduled.
"""

from __future__ import annotations

from datetime import timedelta

from plugins.charter import texts
from plugins.charter.enforce import CHAIN_TIMER
from plugins.charter.model import Account, Action, ActionKind, GroupRef, Role
from plugins.charter.runtime import Runtime
from plugins.charter.store import DueTimer
from plugins.charter.timers import housekeeping, timer_handler

LEVEL_ROLES = {"office": Role.OFFICE, "leaders": Role.LEADER}
LEVEL_NAMES = {"office": "家校协作办公室", "leaders": "学校领导"}


def group_of(group_key: str) -> GroupRef:
    platform, _, group_id = group_key.partition(":")
    return GroupRef(platform, group_id)


@timer_handler(CHAIN_TIMER)
async def escalate(runtime: Runtime, timer: DueTimer) -> None:
    decision = await runtime.store.decision(int(timer.payload["decision"]))
    cls = runtime.config.classes.get(timer.class_id)
    if decision is None or cls is None or decision.status != "pending" or decision.expires_at <= runtime.clock():
        return
    chain = cls.settings("escalation.chain")
    level_index = int(timer.payload.get("level", 0))
    if cls.rule_mode("escalation.chain") != "on" or level_index >= len(chain.levels):
        return
    level = chain.levels[level_index]
    what = (f"#{decision.id} {texts.decision_kind(decision.kind)} {decision.account_key}：{decision.reason}。"
            f"处理请回复 /confirm {decision.id}，不处理请回复 /reject {decision.id}。")
    text = texts.chain_reminder(cls.name, LEVEL_NAMES[level], what)
    group = group_of(decision.group_key) if decision.group_key else cls.groups[0]
    subject = Account.parse(decision.account_key) if decision.account_key else None
    actions = [Action(ActionKind.NOTIFY_STAFF, group, account, text=text, rule_id="escalation.chain", subject=subject)
               for account in cls.staff.get(LEVEL_ROLES[level], ())]
    if actions:
        await runtime.enforcer.execute(actions, cls)
    if level_index + 1 < len(chain.levels):
        now = runtime.clock()
        await runtime.store.schedule(
            kind=CHAIN_TIMER, class_id=cls.id, now=now, due_at=now + timedelta(minutes=chain.handle_within_minutes),
            payload={"decision": decision.id, "level": level_index + 1},
            dedupe_key=f"{CHAIN_TIMER}:{decision.id}:{level_index + 1}",
        )


@housekeeping
async def expire_decisions(runtime: Runtime, now) -> None:  # type: ignore[no-untyped-def]
    """Decisions nobody took in time lapse; the head teacher hears that they did."""
    for decision in await runtime.store.expire_decisions(now):
        cls = runtime.config.classes.get(decision.class_id)
        if cls is None:
            continue
        group = group_of(decision.group_key) if decision.group_key else cls.groups[0]
        text = texts.decision_expired(cls.name, decision.id, texts.decision_kind(decision.kind), decision.account_key)
        actions = [Action(ActionKind.NOTIFY_STAFF, group, account, text=text, rule_id="escalation.ladder")
                   for account in cls.staff.get(Role.HEAD_TEACHER, ())]
        await runtime.enforcer.execute(actions, cls)
