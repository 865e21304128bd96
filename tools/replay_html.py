"""The replay report as one self-contained HTML file: inline style, no scripts, no external assets."""

from __future__ import annotations

from html import escape

from plugins.charter.texts import title

from .replay import STEP_LABELS, Flagged, ReplayResult

STYLE = """
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:2rem auto;max-width:72rem;
color:#1d2433;line-height:1.5;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d5dae3}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #d5dae3;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f4f8}td.n{text-align:right}mark{background:#ffe58a}
.meta{color:#5b6477}.shadow{color:#8a5a00}.tag{display:inline-block;background:#eef1f6;border-radius:3px;
padding:0 .3rem;margin-right:.2rem;font-size:.85em}code{background:#f2f4f8;padding:0 .2rem}
"""

ACTION_LABELS = {
    "recall": "撤回", "strike": "记违规", "remind": "私信提醒", "remind_group": "群内提醒", "reply": "群内回复",
    "reply_private": "私信回复", "notify_head_teacher": "告知班主任", "forward_head_teacher": "转交班主任",
    "severe": "严重违规处理", "mute_group": "全群禁言", "report_unknown": "列出未识别成员",
    "approve_join": "同意入群",
}


def highlighted(text: str, evidence: str) -> str:
    """The message with the evidence marked, when it appears verbatim."""
    core = evidence.strip().rstrip("…")
    at = text.find(core) if core else -1
    if at < 0:
        return escape(text)
    return escape(text[:at]) + "<mark>" + escape(core) + "</mark>" + escape(text[at + len(core):])


def _actions(item: Flagged) -> str:
    parts = [f'<span class="tag">{escape(ACTION_LABELS.get(a, a))}</span>' for a in item.finding.actions]
    if item.step:
        count = f"第 {item.strike} 次违规：" if item.strike else ""
        parts.append(f'<span class="tag">{escape(count + STEP_LABELS[item.step])}</span>')
    if item.finding.shadow:
        parts.append('<span class="tag shadow">试运行：只记录</span>')
    return "".join(parts) or "-"


def _row(item: Flagged, cls_zone) -> str:  # type: ignore[no-untyped-def]
    when = item.line.time.astimezone(cls_zone)
    member = item.member
    who = f"{escape(member.display_name or member.account.user_id)}<br><span class=meta>{escape(member.role.label)}"
    who += f" · {escape(member.account.user_id)}</span>" if not member.account.user_id.startswith("name:") else "</span>"
    return (f"<tr><td>{when:%Y-%m-%d %H:%M:%S}<br><span class=meta>第 {item.line.line_no} 行</span></td>"
            f"<td>{who}</td><td>{highlighted(item.line.text, item.finding.evidence)}</td>"
            f"<td>{escape(item.finding.reason)}</td><td>{_actions(item)}</td></tr>")


def render_html(result: ReplayResult) -> str:
    cls = result.cls
    zone = cls.timezone
    period = (f"{result.first.astimezone(zone):%Y-%m-%d %H:%M} 至 {result.last.astimezone(zone):%Y-%m-%d %H:%M}"
              if result.first and result.last else "—")
    by_rule = result.by_rule()
    out = [
        "<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>群规回放报告 · {escape(cls.name)}</title><style>{STYLE}</style></head><body>",
        f"<h1>群规回放报告：{escape(cls.name)}（{escape(cls.id)}）</h1>",
        f"<p class=meta>聊天记录 <code>{escape(result.source)}</code>（{escape(result.fmt)}），"
        f"{result.messages} 条消息，{len(result.senders)} 位发言人，{escape(period)}。"
        f"群规模板 <code>{escape(cls.charter.id)}</code>（{escape(cls.charter.title)}）。"
        "回放只在本机运行，没有在任何群里执行操作。</p>",
        f"<p>按当前配置，共有 <strong>{result.flagged_messages()}</strong> 条消息会被处理"
        f"（{len(result.flagged)} 项规则命中）。</p>",
        "<h2>按规则汇总</h2>",
        "<table><tr><th>规则</th><th>编号</th><th>命中</th><th>涉及成员</th><th>配置的处理</th></tr>",
    ]
    for rule_id, items in by_rule.items():
        members = len({i.member.person_key for i in items})
        actions = "、".join(ACTION_LABELS.get(a, a) for a in items[0].finding.actions) or "—"
        shadow = " <span class=shadow>（试运行）</span>" if any(i.finding.shadow for i in items) else ""
        out.append(f'<tr><td><a href="#{escape(rule_id)}">{escape(title(rule_id))}</a>{shadow}</td>'
                   f"<td><code>{escape(rule_id)}</code></td><td class=n>{len(items)}</td>"
                   f"<td class=n>{members}</td><td>{escape(actions)}</td></tr>")
    if not by_rule:
        out.append("<tr><td colspan=5>没有消息会被处理。</td></tr>")
    out.append("</table>")
    worst = result.furthest_steps()
    if worst:
        out.append("<h2>违规累计（按成员）</h2><table><tr><th>成员</th><th>有效违规</th><th>达到的处理</th></tr>")
        for item in sorted(worst.values(), key=lambda i: -i.strike):
            out.append(f"<tr><td>{escape(item.member.display_name)}</td><td class=n>{item.strike}</td>"
                       f"<td>{escape(STEP_LABELS.get(item.step, item.step))}</td></tr>")
        out.append("</table>")
    for rule_id, items in by_rule.items():
        out.append(f'<h2 id="{escape(rule_id)}">{escape(title(rule_id))} <code>{escape(rule_id)}</code>'
                   f"（{len(items)}）</h2>")
        clauses = cls.charter.clauses_for(rule_id)
        for clause in clauses:
            out.append(f"<p class=meta>群规 {escape(clause.ref)}：{escape(clause.text)}</p>")
        out.append("<table><tr><th>时间</th><th>成员</th><th>消息</th><th>原因</th><th>处理</th></tr>")
        out += [_row(item, zone) for item in items]
        out.append("</table>")
    if result.not_replayed:
        out.append("<h2>未回放的规则</h2><p>以下规则需要真实的群（入群、改名、计时、数据库），无法从聊天记录判断：")
        out.append("、".join(f"{escape(title(r))} <code>{escape(r)}</code>" for r in result.not_replayed) + "。</p>")
    out.append("</body></html>")
    return "\n".join(out)
