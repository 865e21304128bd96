"""Property tests: no detector raises on arbitrary or pathological input, and
every evidence excerpt is a substring of the original message."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from plugins.charter.model import Role
from plugins.charter.normalize import normalize
from plugins.content.detectors import (
    abuse, ads, banned, confidential, leave_requests, links, student_privacy,
)
from plugins.content.detectors.base import DetectContext
from plugins.content.engine import ContentEngine
from test_content_support import all_settings, message, settings

ROSTER = ("张子涵", "李思远", "王梓萱")
CTX = DetectContext.build(roster_names=ROSTER, confidential_terms=("蓝鲸项目",))
DETECTORS = [
    (abuse, "content.abuse"), (banned, "content.banned"), (ads, "content.ads"),
    (links, "content.links"), (student_privacy, "content.student_privacy"),
    (confidential, "content.confidential"), (leave_requests, "content.leave_requests"),
]
RULES = {rule_id: settings(rule_id) for _, rule_id in DETECTORS}

MESSAGES = st.one_of(
    st.text(max_size=400),
    st.text(alphabet="张子涵李思远第一名倒数不及格分90 .。点com傻逼加薇信13800001111请假赌场👍\u200b", max_size=200),
    st.builds(lambda c, n: c * n, st.sampled_from(["1", "a", "第", ".", "傻", "张子涵", "w", " "]),
              st.integers(0, 3000)),
    st.builds(str, st.integers(min_value=-10**80, max_value=10**80)),
)


@hsettings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MESSAGES, st.sampled_from(list(Role)))
def test_detectors_never_raise_and_quote_the_original(text: str, role: Role) -> None:
    norm = normalize(text)
    ctx = replace(CTX, role=role)
    for module, rule_id in DETECTORS:
        for hit in module.detect(norm, ctx, RULES[rule_id]):
            assert hit.rule_id == rule_id
            assert hit.evidence in text
            assert 0 <= hit.start <= hit.end <= len(text)
            assert hit.reason


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from(["parent", "teacher"]),
                          st.sampled_from(["收到", "好的", "今天作业是第3页，请家长检查", "快来", ""]),
                          st.integers(0, 300)), max_size=40))
def test_engine_with_stateful_rules_never_raises(items) -> None:
    engine = ContentEngine(all_settings(), roster_names=ROSTER)
    for i, (user, role, text, minutes) in enumerate(sorted(items, key=lambda x: x[3])):
        for hit in engine.check(message(text, user=user, role=role, minutes=minutes, mid=str(i))):
            assert hit.evidence in text


def test_one_megabyte_message() -> None:
    text = ("张子涵第一名 www.a.com 傻 逼 加薇信abc123 13800001111 " * 25000)[:1_000_000]
    engine = ContentEngine(all_settings(), roster_names=ROSTER)
    hits = engine.check(message(text))
    assert hits and all(h.evidence in text and len(h.evidence) <= 40 for h in hits)
