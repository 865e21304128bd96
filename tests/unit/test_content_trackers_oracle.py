"""The stateful rules (flood, ack replies, chit-chat) as the engine runs them must
report exactly what a plain reference of their rules reports, message by message,
on generated conversations: several groups, members and teachers, notices that
ask for replies and notices that do not, acknowledgements with a child's name,
repeats, empty messages and time gaps. The reference below is deliberately
simple (a set of senders per run, every lookup done again) so that the trackers'
faster bookkeeping is checked against it."""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from plugins.charter.model import Role, Severity
from plugins.charter.normalize import fold_term, normalize
from plugins.content.detectors.acks import is_ack
from plugins.content.detectors.base import DetectContext, Hit, make_hit
from plugins.content.engine import ContentEngine
from test_content_support import all_settings, message

STATEFUL = ("content.flood", "content.ack_replies", "content.chitchat")
ROSTER = ("张子涵", "李思远")


class Reference:
    """The three rules from their definitions, one conversation at a time."""

    def __init__(self, rules: dict, enabled: frozenset[str] = frozenset(STATEFUL)) -> None:
        self.enabled = enabled
        self.flood_s, self.acks_s, self.chat_s = (rules[r] for r in STATEFUL)
        self.markers = [m for m in (fold_term(x) for x in self.acks_s.reply_markers) if m]
        self.runs: dict[str, list] = {}  # group -> [key, count, senders, chain_reported]
        self.notices: dict[str, list] = {}  # group -> [time, asks, reminded]
        self.chats: dict[str, deque] = {}
        self.chat_quiet: dict[str, datetime] = {}  # group -> no new run counted before (reminded)

    def feed(self, group: str, sender: str, text: str, ctx: DetectContext,
             now: datetime) -> list[Hit]:
        norm = normalize(text)
        hits: list[Hit] = []
        window = timedelta(minutes=self.acks_s.window_minutes)
        notice = self.notices.get(group)
        expected = bool(notice and notice[1] and now - notice[0] <= window)
        # ack replies
        if ctx.is_staff:
            if len(norm.compact) >= self.acks_s.notice_min_chars and not is_ack(norm):
                asks = any(m in norm.compact for m in self.markers)
                self.notices[group] = [now, asks, set()]
        elif (notice and not notice[1] and timedelta(0) <= now - notice[0] <= window
              and sender not in notice[2] and is_ack(norm, ctx.roster)):
            notice[2].add(sender)
            hits.append(make_hit("content.ack_replies", norm, 0, len(text),
                                 "老师的通知未要求回复，无需在群里回复“收到”，以免刷掉通知",
                                 severity=Severity.INFO, kind="ack"))
        # flood
        key = norm.compact or norm.loose.replace(" ", "")
        if not key:
            self.runs.pop(group, None)
        else:
            run = self.runs.get(group)
            if run is None or run[0] != key:
                run = self.runs[group] = [key, 0, set(), False]
            run[1] += 1
            run[2].add(sender)
            if run[1] >= self.flood_s.repeat:
                if len(run[2]) == 1:
                    hits.append(make_hit("content.flood", norm, 0, len(text),
                                         f"连续{run[1]}次发送相同内容，属于刷屏", kind="flood.single"))
                elif not run[3] and not expected:
                    run[3] = True
                    hits.append(make_hit("content.flood", norm, 0, len(text),
                                         "多位成员连续发送相同内容，请大家避免刷屏",
                                         severity=Severity.INFO, kind="flood.chain"))
        # chit-chat
        if ctx.is_staff:
            self.chats.pop(group, None)
        elif (norm.compact and "老师" not in norm.compact and not is_ack(norm, ctx.roster)
              and now >= self.chat_quiet.get(group, now)):
            run = self.chats.setdefault(group, deque(maxlen=max(1, self.chat_s.run_length)))
            run.append((now, sender))
            while run and now - run[0][0] > timedelta(minutes=self.chat_s.window_minutes):
                run.popleft()
            if len(run) >= self.chat_s.run_length and len({s for _, s in run}) >= 2:
                run.clear()
                self.chat_quiet[group] = now + timedelta(minutes=self.chat_s.window_minutes)
                hits.append(make_hit("content.chitchat", norm, 0, len(text),
                                     "群内闲聊较多，班级群仅用于家校沟通，请移步私聊",
                                     severity=Severity.INFO, kind="chitchat"))
        return [h for h in hits if h.rule_id in self.enabled]


TEXTS = ["收到", "好的", "收到 张子涵妈妈", "谢谢老师", "👍", "", "快来看", "快 来 看！", "快來看",
         "生日快乐", "周末去哪玩", "哈哈哈", "有人知道明天下雨吗", "老师好",
         "今天的作业是语文第三课，请家长检查签字", "明天春游，请家长准备好午餐，收到请回复"]
ITEMS = st.lists(
    st.tuples(st.sampled_from("ab"), st.sampled_from("1234"), st.sampled_from(["parent", "teacher"]),
              st.sampled_from(TEXTS), st.sampled_from([0, 0, 0.5, 3, 40, 150])),
    max_size=40,
)


@hsettings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ITEMS, st.sampled_from([{}, {"content.flood": {"repeat": 2},
                                    "content.chitchat": {"run_length": 3, "window_minutes": 2},
                                    "content.ack_replies": {"window_minutes": 5}}]))
def test_stateful_rules_match_the_reference(items, overrides) -> None:
    rules = {r: s for r, s in all_settings(**overrides).items() if r in STATEFUL}
    engine = ContentEngine(rules, roster_names=ROSTER)
    ref = Reference(rules)
    minutes = 0.0
    for i, (group, user, role, text, gap) in enumerate(items):
        minutes += gap
        msg = message(text, role=role, user=user, minutes=minutes, group=group, mid=str(i))
        ctx = engine.context_for(msg)
        want = ref.feed(msg.group.key, msg.sender.person_key, text, ctx, msg.time)
        assert engine.check(msg) == want, (i, text, role)


def test_the_reference_sees_every_stateful_rule() -> None:
    # the comparison above is not vacuous: the reference reports each kind
    rules = {r: s for r, s in all_settings().items() if r in STATEFUL}
    engine = ContentEngine(rules, roster_names=ROSTER)
    ref = Reference(rules)
    script = [("1", "teacher", "今天的作业是语文第三课，请家长检查签字", 0), ("2", "parent", "收到", 1),
              *(("3", "parent", "快来看", 2) for _ in range(3)),
              *((u, "parent", "生日快乐", 3) for u in "1245"),
              *((u, "parent", t, 4) for u, t in zip("12121212", ["周末去哪玩", "哈哈哈"] * 4))]
    kinds = set()
    for i, (user, role, text, minutes) in enumerate(script):
        msg = message(text, role=role, user=user, minutes=minutes, mid=str(i))
        hits = ref.feed(msg.group.key, msg.sender.person_key, text, engine.context_for(msg), msg.time)
        assert engine.check(msg) == hits
        kinds |= {h.kind for h in hits}
    assert kinds == {"ack", "flood.single", "flood.chain", "chitchat"}


def test_chains_after_a_notice_that_asked_for_replies() -> None:
    # replies a notice asked for are no chain while its window lasts, and are after
    rules = {r: s for r, s in all_settings().items() if r in STATEFUL}
    engine = ContentEngine(rules, roster_names=ROSTER)
    ref = Reference(rules)
    script = [("9", "teacher", "明天春游，请家长准备好午餐，收到请回复", 0),
              *((u, "parent", "收到", 1) for u in "123"),
              ("9", "teacher", "明天春游，请家长准备好午餐，收到请回复", 2),
              *((u, "parent", "加油", 200) for u in "123")]
    kinds = []
    for i, (user, role, text, minutes) in enumerate(script):
        msg = message(text, role=role, user=user, minutes=minutes, mid=str(i))
        hits = ref.feed(msg.group.key, msg.sender.person_key, text, engine.context_for(msg), msg.time)
        assert engine.check(msg) == hits, (i, text)
        kinds += [h.kind for h in hits]
    assert kinds == ["flood.chain"]


SUBSETS = [frozenset(s) for s in ({"content.flood"}, {"content.ack_replies"}, {"content.chitchat"},
                                  {"content.flood", "content.chitchat"},
                                  {"content.flood", "content.ack_replies"})]


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ITEMS, st.sampled_from(SUBSETS))
def test_each_rule_alone_or_in_pairs_matches_the_reference(items, enabled) -> None:
    # a disabled rule reports nothing; the engine gets every rule's settings, as the
    # plugin gives it a class's, so with ack replies off a notice that asks for
    # replies still excuses their chain (the flood rule's own definition)
    rules = {r: s for r, s in all_settings(**{"content.flood": {"repeat": 2},
                                              "content.chitchat": {"run_length": 3}}).items()
             if r in STATEFUL}
    engine = ContentEngine({r: s if r in enabled else s.model_copy(update={"enabled": False})
                            for r, s in rules.items()}, roster_names=ROSTER)
    ref = Reference(rules, enabled)
    minutes = 0.0
    for i, (group, user, role, text, gap) in enumerate(items):
        minutes += gap
        msg = message(text, role=role, user=user, minutes=minutes, group=group, mid=str(i))
        want = ref.feed(msg.group.key, msg.sender.person_key, text, engine.context_for(msg), msg.time)
        assert engine.check(msg) == want, (i, text, role)
