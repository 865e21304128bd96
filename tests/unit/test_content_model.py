"""The content model's second opinion (plugins/content/model.py): the shipped file is
what the trainer gives from the repository's data now, fixed point decides as floating
point does, the model suspects new plain paraphrases of each label and none of the
ordinary messages below, and the engine reports what it suspects as one INFO hit of
kind "suspected", only when no rule hit and the rule asks for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from plugins.charter.model import Severity
from plugins.charter.normalize import normalize
from plugins.content import model_train
from plugins.content.detectors.base import NameIndex
from plugins.content.engine import ContentEngine
from plugins.content.model import DEFAULT_PATH, LABELS, SuspicionModel, grams, label_bits
from test_content_support import HELD_OUT, all_settings, load_jsonl, message

STATEFUL = ("content.flood", "content.ack_replies", "content.chitchat")
ROSTER = ("林晓雯", "高子轩", "何雨萱", "郑浩然", "许若涵", "沈嘉树")
# new messages, none in the training sets, written plainly as a parent would
SUSPECTS = {
    "ad": [
        "我家自己种的脐橙，十块钱三斤，需要的私聊我",
        "有需要少儿英语外教一对一的家长可以找我，试听免费",
        "本人做代购，日本韩国化妆品都有，价格比专柜便宜",
        "暑假托管班招生啦，包午饭接送，名额有限先到先得",
        "新开的烘焙店开业大酬宾，报我名字打八折",
        "朋友开的游泳馆在搞活动，办卡送二十节课，想办的联系我",
        "自家做的辣椒酱，干净卫生，二十元一瓶，包邮",
        "二手钢琴转让，九成新，价格好商量，有意向的私聊",
        "专业做儿童摄影，全家福写真都可以约，群里家长优惠",
        "保险到期的家长可以找我续保，返点多",
        "数学提分辅导，一期十次课，保证提高二十分",
        "卖房子了，学区房，步行五分钟到学校，感兴趣的加我",
    ],
    "abuse": [
        "你这个人脑子有病吧，天天在群里瞎说",
        "老师你是不是眼瞎了，看不到我家孩子被欺负吗",
        "什么垃圾家长，教出这种孩子",
        "你算什么东西，也配在这里指手画脚",
        "滚出这个群，没人欢迎你",
        "一群神经病，懒得跟你们吵",
        "你就是个废物，什么事都办不好",
        "班主任真是没用，啥也不管",
        "闭上你的臭嘴",
        "脑残才会相信这种话",
        "这种老师就是人渣",
        "你妈没教过你怎么说话吗",
    ],
    "banned": [
        "有没有人一起玩网上百家乐，稳赚不赔",
        "出售仿真枪，需要的私聊",
        "谁有黄色网站，发一个",
        "我要带刀去学校砍了那个欺负我儿子的人",
        "代办假证件，毕业证驾驶证都能做",
        "网上赌球，今晚这场稳赢，带你们发财",
        "有大麻吗，价格好说",
        "卖迷药，无色无味",
        "信全能神得永生，快来入教",
        "六合彩特码内部消息，跟我买必中",
        "收购个人身份证银行卡，高价",
        "我要炸了这个破学校",
    ],
    "privacy": [
        "高子轩这次数学才考了四十分，全班倒数第一",
        "何雨萱家里离婚了，她现在跟奶奶住",
        "郑浩然有多动症，大家让孩子离他远点",
        "许若涵偷了同学的钱，被老师抓到了",
        "沈嘉树的爸爸坐牢了，你们知道吗",
        "晓雯又没交作业，被罚站了一节课",
        "班里成绩排名：林晓雯第一，高子轩第二，何雨萱第三",
        "郑浩然家住在幸福小区三栋二单元",
        "子轩上课老是尿裤子，同学都笑他",
        "许若涵妈妈电话是13912345678，有事直接找她",
        "何雨萱这次考试作弊被抓了",
        "沈嘉树体检查出来有乙肝",
    ],
}
# (role, text, sender's display name)
ORDINARY = [
    ("parent", "收到", ""), ("parent", "收到，谢谢老师", ""), ("parent", "好的", ""), ("parent", "收到！", ""),
    ("parent", "老师辛苦了", ""), ("parent", "明天几点到校？", ""), ("parent", "请问周五要穿校服吗", ""),
    ("parent", "数学作业第5题是什么意思，孩子不会做", ""), ("parent", "家长会在几楼开？", ""),
    ("parent", "孩子今天有点发烧，明天看情况再说", ""), ("parent", "请问秋游需要带午饭吗", ""),
    ("parent", "语文练习册丢了，在哪里可以买到", ""), ("parent", "谢谢老师的耐心指导", ""),
    ("parent", "孩子回家说今天很开心", ""), ("parent", "我家孩子这次数学考了92分，还要继续努力", "高子轩妈妈"),
    ("parent", "子轩这次英语进步了，谢谢老师", "高子轩妈妈"), ("parent", "我的电话是13812345678，有事可以打给我", ""),
    ("parent", "老师，我手机号换了，新号码15900001111", ""), ("parent", "放学是四点半吗？", ""),
    ("parent", "今天下雨，孩子带伞了吗", ""), ("parent", "运动会报名表已经交了", ""),
    ("parent", "请问校服尺码怎么选", ""), ("parent", "明天的手工课需要准备什么材料", ""),
    ("parent", "孩子的水杯落在教室了，麻烦老师看一下", ""), ("parent", "好的，我们会注意的", ""),
    ("parent", "感谢各位家长的帮忙", ""), ("parent", "作业已经检查签字了", ""),
    ("parent", "这周的阅读打卡在哪里提交", ""), ("parent", "孩子说今天的午饭很好吃", ""),
    ("parent", "家委会的同志们辛苦了", ""), ("parent", "国庆放几天假？", ""),
    ("parent", "孩子说体育课要跳绳，需要自己带绳子吗", ""), ("parent", "谢谢林晓雯同学帮我家孩子补笔记", ""),
    ("parent", "何雨萱真棒，作文写得太好了", ""), ("parent", "沈嘉树这孩子真懂礼貌", ""),
    ("parent", "大家注意天冷了给孩子加衣服", ""), ("parent", "👍👍👍", ""), ("parent", "[鼓掌][鼓掌]", ""),
    ("parent", "老师节日快乐！", ""), ("parent", "孩子的疫苗本需要交吗", ""),
    ("teacher", "请各位家长督促孩子完成今天的口算练习", ""), ("teacher", "明天上午八点在操场举行升旗仪式，请穿校服", ""),
    ("teacher", "本周五下午两点召开家长会，请准时参加", ""), ("teacher", "表扬高子轩、何雨萱同学，本周作业全对", ""),
    ("teacher", "郑浩然同学在书法比赛中获得一等奖，祝贺！", ""), ("teacher", "请家长收到回复", ""),
    ("teacher", "明天数学单元测试，请提醒孩子带好文具", ""), ("teacher", "秋游费用每人八十元，请于周三前交给班长", ""),
    ("teacher", "今天的作业：语文第三课生字抄写两遍", ""), ("teacher", "期中考试成绩已发到各位家长手机上，请查收", ""),
    ("teacher", "下周一开始冬季作息，下午四点十分放学", ""), ("teacher", "请家长配合做好孩子的晨检", ""),
    ("teacher", "本周值日生名单已贴在教室门口", ""), ("teacher", "许若涵同学捡到钱包主动交给老师，值得大家学习", ""),
    ("teacher", "请家长提醒孩子不要带零食到学校", ""), ("teacher", "明天有雨，请孩子带好雨具", ""),
    ("head_teacher", "各位家长好，本学期的课程表已上传群文件", ""), ("head_teacher", "请没有交回执的家长尽快交一下", ""),
    ("head_teacher", "感谢家长们对班级工作的支持", ""), ("head_teacher", "放假期间注意安全，按时完成假期作业", ""),
    ("parent", "我们家晓雯说想和子轩一起做手抄报", "林晓雯爸爸"), ("parent", "孩子最近视力下降了，有推荐的眼科医院吗", ""),
    ("parent", "谁家孩子捡到一个蓝色文具盒，是我家的", ""), ("parent", "好的收到，马上交", ""),
]

# per label, how many of SUSPECTS the shipped model flags at least (measured when it was
# trained: ad 8, abuse 9, banned 8, privacy 5 of 12; the rules catch most of the rest)
MIN_SUSPECTED = {"ad": 8, "abuse": 9, "banned": 8, "privacy": 5}


@pytest.fixture(scope="module")
def trained() -> model_train.Trained:
    return model_train.train()


@pytest.fixture(scope="module")
def model() -> SuspicionModel:
    return SuspicionModel.load()


def _engine(**per_rule) -> ContentEngine:
    rules = all_settings(**per_rule)
    for rule_id in STATEFUL:
        rules.pop(rule_id)
    return ContentEngine(rules, roster_names=ROSTER)


def test_shipped_model_is_what_the_trainer_gives(trained: model_train.Trained, model: SuspicionModel) -> None:
    hint = "the training sets changed: run `python -m plugins.content.model_train` and commit the model"
    assert model.sha256 == model_train.data_sha256(), hint
    assert DEFAULT_PATH.read_text(encoding="utf-8") == trained.text, hint


def _labelled_cases() -> list[tuple[str, str]]:
    """(role, prepared text) of every training row (the probe set holds probes 55 - 58) and
    of the held-out set, which the model never saw."""
    rows = model_train.load_rows()
    cases = list(zip((row.role for row in rows), model_train.prepared(rows)))
    held = load_jsonl(HELD_OUT)
    names = NameIndex(held[0]["roster"])
    return cases + [(row["role"], model_train.prepare(normalize(row["text"]), names)) for row in held]


def test_fixed_point_decides_as_floating_point(trained: model_train.Trained, model: SuspicionModel) -> None:
    """On every training row and the held-out set: the flags of the shipped model
    (its fast path and its exact sums) are the float model's."""
    cases = _labelled_cases()
    assert len(cases) > 6000
    flagged = 0
    for role, text in cases:
        floats = [s > t for s, t in zip(trained.floats.scores(model_train.features(text, role)), trained.thresholds)]
        exact = [m > 0 for m in model.margins(text, role)]
        fast = model.flagged_bits(text, role)
        assert exact == floats, (role, text)
        assert fast == label_bits(label for label, f in zip(LABELS, floats) if f), (role, text)
        flagged += any(floats)
    assert flagged > 500  # the comparison covers flagged rows, not only quiet ones


def test_long_messages_are_summed_in_chunks(trained: model_train.Trained, model: SuspicionModel) -> None:
    text = normalize("。".join(SUSPECTS["ad"] + SUSPECTS["abuse"])).compact
    assert len(grams(text)) > 3 * model.chunk
    floats = [s > t for s, t in zip(trained.floats.scores(model_train.features(text, "parent")), trained.thresholds)]
    assert [m > 0 for m in model.margins(text, "parent")] == floats
    assert model.flagged_bits(text, "parent") == label_bits(label for label, f in zip(LABELS, floats) if f)


def test_training_is_deterministic(trained: model_train.Trained) -> None:
    rows = model_train.load_rows()
    again = model_train.train(rows=list(reversed(rows)), sha=trained.model.sha256)
    assert again.text == trained.text


@pytest.mark.parametrize("label", LABELS)
def test_new_paraphrases_are_suspected(model: SuspicionModel, label: str) -> None:
    known = {row.text for row in model_train.load_rows()}
    scorer = model.for_roster(ROSTER)
    assert len(SUSPECTS[label]) >= 10 and not known & set(SUSPECTS[label])
    found = []
    for text in SUSPECTS[label]:
        suspected = scorer.suspect(normalize(text), "parent")
        if suspected is not None:
            assert LABELS[suspected[0]] == label, (text, LABELS[suspected[0]])
            found.append(text)
    assert len(found) >= MIN_SUSPECTED[label], found


def test_ordinary_messages_get_no_hit_of_any_kind() -> None:
    assert len(ORDINARY) >= 60
    engine = _engine()
    hits = {}
    for i, (role, text, name) in enumerate(ORDINARY):
        found = engine.check(message(text, role=role, name=name, user=str(i), mid=str(i), minutes=i * 10))
        if found:
            hits[text] = [(h.rule_id, h.kind) for h in found]
    assert hits == {}


def test_ordinary_messages_are_not_suspected_by_the_model(model: SuspicionModel) -> None:
    scorer = model.for_roster(ROSTER)
    # (a parent's own child is exempted by the engine, as the privacy rule exempts it)
    suspected = {text: LABELS[found[0]] for role, text, name in ORDINARY if not name
                 for found in [scorer.suspect(normalize(text), role)] if found is not None}
    assert suspected == {}


SUSPECTED_ABUSE = "你妈没教过你怎么说话吗"  # no rule matches it, the model suspects abuse


def test_a_suspected_message_is_one_info_hit_of_the_rule() -> None:
    hits = _engine().check(message(SUSPECTED_ABUSE))
    assert [(h.rule_id, h.severity, h.kind) for h in hits] == [("content.abuse", Severity.INFO, "suspected")]
    hit = hits[0]
    assert (hit.start, hit.end, hit.evidence) == (0, len(SUSPECTED_ABUSE), SUSPECTED_ABUSE)
    assert "模型" in hit.reason and "未自动处理" in hit.reason


def test_no_suspected_hit_when_the_rule_does_not_ask() -> None:
    assert _engine(**{"content.abuse": {"suspected_action": []}}).check(message(SUSPECTED_ABUSE)) == []
    assert _engine(**{"content.abuse": {"enabled": False}}).check(message(SUSPECTED_ABUSE)) == []
    # nor the model loaded when no rule asks for it
    off = {rule_id: {"suspected_action": []} for rule_id in
           ("content.ads", "content.abuse", "content.banned", "content.student_privacy")}
    assert _engine(**off)._suspects is None


def test_no_suspected_hit_when_a_rule_hit(model: SuspicionModel) -> None:
    text = "有没有人一起玩网上百家乐，稳赚不赔"
    assert model.for_roster(ROSTER).suspect(normalize(text), "parent") is not None
    hits = _engine().check(message(text))
    assert hits and all(h.kind != "suspected" for h in hits)
    # another rule's hit is enough: a link the links rule reports, and an ad the model suspects
    text = "自家做的辣椒酱，二十元一瓶，包邮 t.cn/a1"
    assert model.for_roster(ROSTER).suspect(normalize(text), "parent") is not None
    hits = _engine(**{"content.ads": {"enabled": False}}).check(message(text))
    assert [(h.rule_id, h.kind) for h in hits] == [("content.links", "link")]
    text = "你妈没教过你怎么说话吗 www.abc.cn"  # the model's abuse, beside a link
    assert model.for_roster(ROSTER).suspect(normalize(text), "parent") is not None
    assert [(h.rule_id, h.kind) for h in _engine().check(message(text))] == [("content.links", "link")]


def test_no_suspected_ad_from_staff_the_rule_exempts(model: SuspicionModel) -> None:
    text = "自家做的辣椒酱，干净卫生，二十元一瓶，包邮"
    assert LABELS[model.for_roster(ROSTER).suspect(normalize(text), "teacher")[0]] == "ad"
    assert _engine().check(message(text, role="teacher")) == []  # exempt_staff by default
    # the same ad from a parent: the rule reports it itself
    assert [h.kind for h in _engine().check(message(text))] != ["suspected"]


def test_a_parents_own_child_is_not_suspected_but_anothers_is() -> None:
    text = "高子轩这次数学才考了四十分，全班倒数第一"
    engine = _engine(**{"content.student_privacy": {"enabled": True}})
    assert engine.check(message(text, name="高子轩妈妈")) == []
    assert [h.rule_id for h in engine.check(message(text, name="李四", user="2"))] == ["content.student_privacy"]


def test_the_model_file_is_small_and_loads_once(model: SuspicionModel) -> None:
    assert DEFAULT_PATH.stat().st_size < 2_000_000
    assert SuspicionModel.load() is model
    assert SuspicionModel.load(Path(DEFAULT_PATH)) is not None


def test_placeholders_never_occur_in_compact_text() -> None:
    assert normalize("§¤\x02\x03 a§b").compact == "ab"


def _gate_cases() -> list[tuple[str, str]]:
    """(role, prepared text) of every training row, the held-out set and generated text
    (random strings of the model's characters, with repeats)."""
    import random

    cases = _labelled_cases()
    model = SuspicionModel.load()
    chars = sorted(model.gate_chars) + ["x", "中"]
    rng = random.Random(5)
    texts = [row_text for _, row_text in cases]
    for i in range(3000):
        n = rng.randint(1, model.gate_len + 5)
        if i % 2:  # pieces of real messages, glued: the n-grams the model knows
            text = "".join(rng.choice(texts)[: rng.randint(1, 12)] for _ in range(4))[:n]
        else:
            text = "".join(rng.choice(chars[: rng.choice((20, 200, len(chars)))]) for _ in range(n))
        cases.append((rng.choice(("parent", "teacher", "head_teacher", "guest")), text))
    return cases


def test_the_gate_bounds_every_score(model: SuspicionModel) -> None:
    """The gate's bound of each label is at least the n-gram sum, on every labelled row and
    on generated text: where it lets no label through, the full scoring flags none."""
    cases = _gate_cases()
    assert len(cases) > 9000
    passed = gated = 0
    for role, text in cases:
        bounds = model.bounds(text)
        gate = model.gate_bits(text, role)
        fast = model.flagged_bits(text, role)
        assert fast & ~gate == 0, (role, text)  # a flagged label always passes the gate
        if bounds is None:
            assert len(text) > model.gate_len and gate == label_bits(LABELS)
            continue
        gated += 1
        sums = model.sums(text)
        assert all(b >= s for b, s in zip(bounds, sums)), (role, text, bounds, sums)
        assert gate == label_bits(label for label, b, lim in zip(LABELS, bounds, model.limits(role)) if b > lim)
        passed += bool(gate)
    assert gated > 8000 and passed < gated


def test_the_gated_and_ungated_model_agree(model: SuspicionModel) -> None:
    """RosterScorer.suspect with the gate and without it: the same answer on every labelled
    row (training sets, held-out set, probes) and generated text, for every label mask."""
    from test_content_support import HELD_OUT, load_jsonl

    rows = model_train.load_rows() + [
        model_train.Row(r["label"], r["role"], r["text"], tuple(r["roster"])) for r in load_jsonl(HELD_OUT)]
    scorers: dict[tuple[str, ...], tuple] = {}
    masks = [label_bits(LABELS), label_bits(["ad"]), label_bits(["abuse", "banned"]), label_bits(["privacy"])]
    found = 0
    for row in rows:
        pair = scorers.get(row.roster)
        if pair is None:
            names = NameIndex(row.roster)
            pair = scorers[row.roster] = (model.for_names(names), model.for_names(names, gated=False))
        norm = normalize(row.text)
        for allowed in masks:
            gated, full = pair[0].suspect(norm, row.role, allowed), pair[1].suspect(norm, row.role, allowed)
            assert gated == full, (row, allowed)
            found += gated is not None
    assert found > 500
