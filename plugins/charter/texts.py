"""What the bot says when it enforces the charter: short, polite Simplified Chinese."""

from __future__ import annotations

from datetime import datetime

RULE_TITLES = {
    "membership.real_name": "群名片实名",
    "membership.roster": "入群范围",
    "membership.invites": "邀请入群",
    "membership.audit": "成员核查",
    "content.flood": "刷屏",
    "content.links": "链接",
    "content.ads": "广告",
    "content.abuse": "不文明用语",
    "content.banned": "违法违规内容",
    "content.student_privacy": "学生隐私",
    "content.leave_requests": "请假",
    "content.ack_replies": "无需回复的通知",
    "content.chitchat": "闲聊",
    "content.confidential": "保密信息",
    "content.report": "成员举报",
    "timing.quiet_hours": "休息时段",
    "timing.teacher_unavailable": "老师上课中",
    "timing.response_sla": "回复时限",
    "timing.notice_receipts": "通知回执",
    "escalation.ladder": "违规处理",
    "escalation.teachers": "教师提醒",
    "escalation.chain": "逐级上报",
    "escalation.severe": "严重违规",
    "escalation.capabilities": "需人工处理",
    "manual": "班主任提醒",
}


def title(rule_id: str) -> str:
    return RULE_TITLES.get(rule_id, rule_id)


def hhmm(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def private_reminder(class_name: str, rule_id: str, clause: str, count: int) -> str:
    quote = f"群规：「{clause}」" if clause else ""
    return (
        f"您好，您在{class_name}群里的消息涉及「{title(rule_id)}」，已按群规处理。{quote}"
        f"这是第 {count} 次提醒，感谢您的理解与配合。"
    )


def public_notice(rule_id: str, count: int) -> str:
    return f"温馨提示：您的消息涉及「{title(rule_id)}」，这是第 {count} 次违反群规，请遵守群规，谢谢配合。"


def removal_notice(name: str) -> str:
    return f"{name} 多次违反群规，已按群规移出本群。"


def removal_request(class_name: str, name: str, count: int, rule_id: str, decision_id: int) -> str:
    return (
        f"【{class_name}】{name} 已累计 {count} 次违规（最近一次：{title(rule_id)}）。"
        f"按群规可请其退群。确认移出请回复 /confirm {decision_id}，不移出请回复 /reject {decision_id}。"
    )


def teacher_note(class_name: str, name: str, rule_id: str, evidence: str) -> str:
    return (
        f"【{class_name}】老师 {name} 的消息可能涉及「{title(rule_id)}」：「{evidence}」。"
        "机器人未作处理，请您私下沟通。"
    )


def staff_alert(class_name: str, name: str, rule_id: str, evidence: str, when: datetime) -> str:
    return f"【{class_name}】{name} {hhmm(when)} 的消息涉及「{title(rule_id)}」：「{evidence}」。"


def suspected_alert(class_name: str, name: str, account: str, rule_id: str, evidence: str, when: datetime) -> str:
    return (f"【{class_name}·待您判断】{name}（{account}）{hhmm(when)} 的消息疑似「{title(rule_id)}」，"
            f"但不确定，机器人未做处理：「{evidence}」。如需提醒：/warn {account} 原因。")


def suspected_member_text() -> str:
    return "您好，您刚才的消息可能不符合群规，已请班主任查看，谢谢理解。"


def severe_alert(class_name: str, name: str, account: str, group: str, evidence: str, when: datetime,
                 decision_id: int | None) -> str:
    tail = f"建议移出该成员：确认请回复 /confirm {decision_id}。" if decision_id else ""
    return (
        f"【严重违规·{class_name}】{name}（{account}）于 {when:%Y-%m-%d %H:%M} 在群 {group} 发布：「{evidence}」。"
        f"证据已存档。{tail}"
    )


def manual_recall(name: str, when: datetime) -> str:
    return f"机器人无法撤回，请在群里撤回 {name} 在 {hhmm(when)} 发的消息。"


def manual_remove(name: str) -> str:
    return f"机器人无法移出成员，请在群里手动移出 {name}。"


def manual_recall_and_remove(name: str, when: datetime) -> str:
    return f"请在群里撤回 {name} 在 {hhmm(when)} 发的消息并移出该成员。"


def manual_action(class_name: str, instruction: str, reason: str) -> str:
    return f"【{class_name}·需人工处理】{instruction}（原因：{reason}）"


def chain_reminder(class_name: str, level: str, what: str) -> str:
    return f"【{class_name}·逐级上报】以下事项班主任尚未处理，现转交{level}：{what}"


def chain_group_reminder(rule_id: str) -> str:
    return f"温馨提示：请勿重复发送相同内容（{title(rule_id)}），谢谢大家配合。"


def leave_reply(procedure: str) -> str:
    how = procedure or "请直接私信班主任，写明孩子姓名、日期和原因。"
    return f"您好，请假不必在群里留言，以免刷屏后老师看不到。{how}已帮您转告班主任。"


def ack_reminder() -> str:
    return "您好，老师的这条通知没有要求回复，知悉即可，不必在群里回复“收到”。谢谢配合！"


def chitchat_reminder() -> str:
    return "温馨提示：本群用于家校沟通，闲聊请移步私聊，谢谢大家配合。"


DECISION_KINDS = {"remove": "移出成员", "join": "入群申请", "report": "成员举报"}


def decision_kind(kind: str) -> str:
    return DECISION_KINDS.get(kind, kind)


def decision_expired(class_name: str, decision_id: int, kind: str, account: str) -> str:
    return f"【{class_name}】待处理事项 #{decision_id}（{kind} {account}）已过期，未做处理。如仍需处理请在群里手动操作。"


def deferred_warning(class_name: str, name: str, rule_id: str, evidence: str, when: datetime) -> str:
    return (f"【{class_name}】记录系统暂时不可用：{name} {hhmm(when)} 的消息涉及「{title(rule_id)}」"
            f"（「{evidence}」），已尝试撤回，违规次数将在系统恢复后补记。")
