"""charterbot replay: reading chat exports, judging them by the bot's own policies, the reports."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from plugins.charter import identity
from plugins.charter.cli import main
from plugins.charter.model import Role
from plugins.charter.policies import policies as registered_policies
from plugins.charter.runtime import config_dir_from_env
from tools.chatlog import ChatLine, ChatLogError, load_chat, parse_csv, parse_jsonl, parse_qq
from tools.progress import Progress
from tools.replay import BOT_POLICIES, PERSON_RESOLVER, class_from_charter, class_from_config, replay, summary_lines
from tools.replay_html import render_html

DATA = Path(__file__).resolve().parents[1] / "data" / "replay"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def g3c2():  # type: ignore[no-untyped-def]
    return class_from_config(config_dir_from_env(), "g3c2")


def run(path: Path):  # type: ignore[no-untyped-def]
    config, cls = g3c2()
    fmt, lines = load_chat(path, cls.timezone)
    return replay(lines, config, cls, source=path.name, fmt=fmt)


# --- reading exports ---------------------------------------------------------


def test_qq_text_export_blocks_headers_titles_emails_and_placeholders() -> None:
    fmt, lines = load_chat(DATA / "qq_export.txt", SHANGHAI)
    assert fmt == "qq" and len(lines) == 8
    first = lines[0]
    assert (first.sender_name, first.sender_id) == ("王芳", "10002")  # 【班主任】 is a group title, not the name
    assert first.time == datetime(2024, 9, 2, 8, 1, 15, tzinfo=SHANGHAI)
    email = lines[2]
    assert (email.sender_name, email.sender_id, email.text, email.has_image) == (
        "周雨桐爸爸", "zhouyt@example.com", "好的老师", True)
    assert lines[4].text == "请问周五要带孩子来吗？\n还是家长自己来就行"
    assert not any("消息对象" in line.text or "=====" in line.text for line in lines)


def test_qq_export_in_gbk_with_a_second_chat_and_blank_lines_inside_a_message(tmp_path: Path) -> None:
    export = ("消息记录（此消息记录为文本格式，不支持重新导入）\n\n=====================\n消息对象:一班\n"
              "=====================\n\n2024-09-02 18:00:00 陈晨妈妈(30001)\n第一段\n\n第二段\n\n"
              "=====================\n消息对象:二班\n=====================\n\n"
              "2024-09-02 7:05:09 林小雨爸爸(30002)\n早\n")
    path = tmp_path / "export.txt"
    path.write_bytes(export.encode("gbk"))
    _, lines = load_chat(path, SHANGHAI)
    assert [(l.sender_id, l.text) for l in lines] == [("30002", "早"), ("30001", "第一段\n\n第二段")]


def test_csv_with_and_without_a_header_and_ids_inside_the_sender() -> None:
    rows = list(parse_csv("2024-09-03 08:00,王芳(10002),早上好\n2024/09/03 08:01:30,张子涵妈妈,收到\n", SHANGHAI))
    assert [(r.sender_name, r.sender_id, r.text) for r in rows] == [
        ("王芳", "10002", "早上好"), ("张子涵妈妈", "name:张子涵妈妈", "收到")]
    assert rows[1].time == datetime(2024, 9, 3, 8, 1, 30, tzinfo=SHANGHAI)
    _, lines = load_chat(DATA / "chat.csv", SHANGHAI)
    assert len(lines) == 5 and lines[2].sender_id == "49999"


def test_json_lines_with_epoch_offset_and_naive_times() -> None:
    _, lines = load_chat(DATA / "chat.jsonl", SHANGHAI)
    assert [l.sender_id for l in lines] == ["10002", "40006", "49999"]
    assert lines[0].time == datetime(2024, 9, 4, 0, 0, tzinfo=UTC)
    assert lines[1].time == datetime(2024, 9, 4, 8, 5, tzinfo=SHANGHAI)
    assert lines[2].time == datetime.fromtimestamp(1725415200, UTC)


def test_bad_exports_name_the_line() -> None:
    with pytest.raises(ChatLogError, match=r"x\.jsonl:2: not JSON"):
        list(parse_jsonl('{"time": "2024-09-04 08:00", "sender": "a", "text": "b"}\n{oops\n', SHANGHAI, "x.jsonl"))
    with pytest.raises(ChatLogError, match=r"x\.csv:2: not a time"):
        list(parse_csv("time,sender,text\nyesterday,a,b\n", SHANGHAI, "x.csv"))
    assert list(parse_qq("no messages here\n", SHANGHAI)) == []


# --- judging -----------------------------------------------------------------


def test_replay_uses_exactly_the_policies_and_resolver_the_bot_registers() -> None:
    assert sorted(type(p).__name__ for p in registered_policies()) == sorted(f.__name__ for f in BOT_POLICIES)  # type: ignore[attr-defined]
    assert identity._resolver in (None, PERSON_RESOLVER)


def test_each_format_is_judged_with_roles_from_staff_and_roster() -> None:
    qq = run(DATA / "qq_export.txt")
    by_rule = {rule: [i.line.sender_name for i in items] for rule, items in qq.by_rule().items()}
    assert by_rule == {"content.ads": ["推广小助手"], "content.banned": ["推广小助手"],
                       "content.student_privacy": ["语文李强"]}
    roles = {i.member.display_name: i.member.role for i in qq.flagged}
    assert roles == {"推广小助手": Role.UNKNOWN, "语文李强": Role.TEACHER}
    privacy = qq.by_rule()["content.student_privacy"][0]
    assert (privacy.strike, privacy.step) == (0, "teacher")  # teachers are never struck
    assert [(i.strike, i.step) for i in qq.flagged if i.member.display_name == "推广小助手"] == [
        (1, "remind"), (2, "notice")]
    assert set(run(DATA / "chat.csv").by_rule()) == {"content.ads", "content.banned"}
    assert set(run(DATA / "chat.jsonl").by_rule()) == {"content.ads"}
    assert "timing.response_sla" in qq.not_replayed and "content.ads" in qq.replayed_rules


def test_a_roster_parent_is_a_parent_and_strikes_expire_on_the_ladder() -> None:
    config, cls = g3c2()
    start = datetime(2024, 9, 1, 9, tzinfo=SHANGHAI)
    ads = ["少儿编程免费试听，加微信 code2025 预约", "兼职刷单日结，加我微信 job888 详聊", "少儿编程免费试听，加微信 code2025 预约"]
    lines = [ChatLine(start + timedelta(days=d), "张子涵妈妈", "40001", ad, line_no=n)
             for n, (d, ad) in enumerate(zip((0, 1, 40), ads), 1)]
    result = replay(lines, config, cls)
    assert {i.member.role for i in result.flagged} == {Role.PARENT}
    assert result.flagged[0].member.person_key.startswith("guardian:张子涵")
    assert [(i.strike, i.step) for i in result.flagged] == [(1, "remind"), (2, "notice"), (1, "remind")]
    assert identity._resolver is None or identity._resolver is PERSON_RESOLVER  # restored afterwards


def test_a_charter_and_a_roster_without_a_class_file(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("role,name,subject\nstudent,陈晨,\nteacher,刘洋,语文\n", encoding="utf-8")
    config, cls = class_from_charter(config_dir_from_env(), "school-full", roster,
                                     {"teachers": ["qq:20005"]})
    assert cls.charter.id == "school-full" and cls.roster.students
    lines = [ChatLine(datetime(2024, 9, 1, 9, tzinfo=SHANGHAI), "语文刘洋", "20005", "大家好"),
             ChatLine(datetime(2024, 9, 1, 9, 1, tzinfo=SHANGHAI), "陈晨妈妈", "30001",
                      "少儿编程免费试听，加微信 code2025 预约")]
    result = replay(lines, config, cls)
    assert [i.member.role for i in result.flagged] == [Role.PARENT]


# --- reports -----------------------------------------------------------------


def test_html_report_is_self_contained_escaped_and_lists_messages_by_rule(tmp_path: Path) -> None:
    config, cls = g3c2()
    evil = "<script>alert(1)</script> 澳门赌场线上开户，送彩金"
    lines = [ChatLine(datetime(2024, 9, 1, 9, tzinfo=SHANGHAI), "推广<b>小助手</b>", "49999", evil, line_no=7)]
    page = render_html(replay(lines, config, cls, source="x.txt", fmt="qq"))
    assert "<script" not in page and "&lt;script&gt;" in page and "推广&lt;b&gt;小助手" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page) and "<link" not in page
    assert 'id="content.banned"' in page and "<mark>" in page
    assert "违法违规内容" in page and "第 7 行" in page and "撤回" in page
    assert "回放只在本机运行" in page


def test_summary_names_rules_counts_and_the_ladder() -> None:
    text = "\n".join(summary_lines(run(DATA / "qq_export.txt")))
    assert "8 messages from 7 senders" in text
    assert re.search(r"content\.ads\s+1\s+recall, strike", text)
    assert "推广小助手: 2 strike(s), reaches notice" in text
    assert "not judged from a log" in text and "membership.real_name" in text


def test_progress_is_a_bar_on_a_terminal_and_tenths_otherwise() -> None:
    plain = io.StringIO()
    progress = Progress(2000, "replay", stream=plain)
    for done in range(1, 2001):
        progress(done)
    progress.close()
    assert plain.getvalue().splitlines() == [f"replay: {200 * k}/2000 ({10 * k}%)" for k in range(1, 11)]

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    progress = Progress(2000, "replay", stream=tty)
    progress(1)
    progress(2000)
    progress.close()
    assert tty.getvalue().startswith("\rreplay [") and "2000/2000" in tty.getvalue() and tty.getvalue().endswith("\n")
    short = io.StringIO()
    Progress(10, "replay", stream=short)(10)
    assert short.getvalue() == ""  # short files show nothing


def test_the_command_line_writes_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.html"
    assert main(["replay", str(DATA / "qq_export.txt"), "--class", "g3c2", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "would have flagged 3 message(s)" in printed and f"report: {out}" in printed
    assert "群规回放报告" in out.read_text(encoding="utf-8")
    assert main(["replay", str(DATA / "chat.csv"), "--class", "nope", "-o", str(out)]) == 1
    assert "unknown class 'nope'" in capsys.readouterr().err
    assert main(["replay", str(tmp_path / "missing.txt"), "--class", "g3c2", "-o", str(out)]) == 1
