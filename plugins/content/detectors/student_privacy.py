"""content.student_privacy: rankings, score comparisons and negative judgements
about students named from the class roster. Applies to teachers too (the
escalation plugin never strikes them).

- Ranking: `min_names_for_ranking` or more roster names in a message that has a
  score or a rank (分数, 第N名, 倒数, 不及格...).
- Rank or score next to a roster name ("马浩宇倒数第一", "胡一鸣考了100分"), in the
  same sentence. A place won in a contest ("运动会跑步获得第一名") is praise, unless
  the sentence is about an exam.
- A negative judgement in the same sentence as a roster name (privacy/negative),
  unless the sentence praises ("进步很大，表扬"), or the word is a part played or
  a game's ("在课本剧里演一个抽烟的老爷爷", "捉迷藏第一个被抓了").
- Negative information in shapes with no negative word (probe 53): pupils listed
  after a heading of work not done or a test failed ("作业没交的同学：…",
  "不合格名单：…"), a pupil's low result ("宇航才60个" in a test), a misdeed
  repeated or a thing not given back ("迟到四次", "又推了同学", "拿了…不还"), and (probes
  55/56) work not done again or counted ("作业三次没交"), others' work copied, talking in
  class again or called out for it ("上课讲话被我点名三次").
- A named pupil's family matters ("…家长离婚了"), and the harm an addressed parent's child
  did to the speaker's ("…家长，你家孩子把我儿子的文具盒摔坏了"; not an apology for one's own).
- A ranking of contest placings alone ("作文比赛前五名：…，恭喜") is praise, like one place won.
- (probes 57/58) A named pupil's place asked ("…这次排第几？"), a result set against the speaker's
  child's ("…考得没我家好", "我家孩子比…考得好"; not the speaker's own told lower), and the parents
  spoken of for not checking the pupil ("…家长也不管管，孩子天天骂人": not an address). A negative word
  denied, forbidden or feared ("从不影响其他小朋友", "不要上课玩手机", "怕影响…"), a meeting's topic
  ("早恋的危害") and homework copied down for the speaker's child ("帮我家孩子抄作业题目") are not one.

What a parent says about their own child (a name in the parent's display name,
DetectContext.own_students, or a name the message calls theirs: "我家子涵") is
not reported, except a ranking of several pupils.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from plugins.charter.catalogue import StudentPrivacySettings
from plugins.charter.normalize import NormalizedText, normalize
from plugins.content.detectors.base import DetectContext, Hit, NameMatch, make_hit
from plugins.content.detectors.first_chars import skipping
from plugins.content.detectors.triggers import HINT_PRIVACY

RULE_ID = "content.student_privacy"

_CN = "一二三四五六七八九十百两"
_RANK = re.compile(
    # probe 53: a place told roughly ("第十几名", "第二十多名")
    rf"第\s*[{_CN}\d]+[几多来]?\s*(?:名|(?=[\s,，。.、；;！!？?]|$))"
    r"|倒数|垫底|最后一名|倒一|排名|名次|前[三五十几]名|年级第|全班第|班级第"
    # probe 57: a place asked ("这次排第几？", "考了第几名", "排多少名"); not a row or a group ("坐第几排")
    r"|(?<!队)排(?:在|到)?第几(?![排个组号列位天次])|第几名|考(?:了|到)?第几(?![排个组号列位天次])|(?:排|考)了?多少名"
    # probe 55: the first places of a test named without 名 ("班里成绩前五：…", "单元测试前三："), or
    # any first places heading a list ("前十："); not a time before ("前几天", "前五分钟", "考试前一直在复习")
    rf"|(?:成绩|考试|测试|测验|分数|总分|期中|期末|月考|单元测)前[{_CN}\d几]{{1,2}}(?=名|[\s,，。.、；;：:！!？?的是有就]|$)"
    rf"|前[{_CN}\d几]{{1,2}}名?(?=\s*[:：])"
    # probe 53: a place dropped to, or reached by an exam, told without 第 ("从前五掉到二十几名了",
    # "考了个二十多名"); not a count of people ("二十几名家长") nor a temperature ("降到37度")
    + "".join(f"|{verb}第?[{_CN}0-9]+[几多来]?名(?=[\\s,，。.、；;！!？?]|$|了|开外|以后|之后|左右|以下|吧|吗|呢|啊)"
              for verb in ("掉到了?", "跌到了?", "滑到了?", "退到了?", "落到了?", "降到了?", "排到了?", "排在了?",
                           "考到了?", "考了个?"))
    # probe 53: out of the top places ("掉出了前十"), not a thing dropped
    + "".join(f"|{verb}了?前[{_CN}0-9]+名?" for verb in ("掉出", "跌出", "滑出"))
    # (each alternative begins with a literal: the regex engine then skips to the
    # characters that can start a match by itself, as it does for the others)
)
_SCORE = re.compile(
    rf"\d{{1,3}}(?:\.\d+)?\s*分(?!钟|之|享|别|开|组|班|配|发|享|析|数线)|[{_CN}]+分(?=[，,。.、；;！!？?\s]|$)"
    r"|考了\s*\d|得了\s*\d|满分|零分|最[高低]分|不及格|没及格|没有及格|及格了|挂科|[abcd][+-]?等"
    # probe 57: a score in numerals ("英语考了九十八"), not a count of tests ("考了三次", "考了两三回"); a
    # difference told ("多考了十五分呢"); who did better than whom ("考得没我家好", "考得不如…")
    rf"|(?:考|得)了\s*(?:[{_CN}]{{2,}}|[一二三四五六七八九]十|一百)(?![{_CN}]*(?:次|门|遍|回|场|天|个|科|年|节|道|题|页|本|张|轮|期))"
    rf"|[{_CN}]+分(?=呢|吧|啊|呀|哦|哈|吗)"
    # probe 46: how many wrong ("都错了十个以上"), not what was taken wrongly (拿错了)
    rf"|错了?\s*[{_CN}\d]+[几多]?\s*(?:个|道|题|处)"
    # probe 55: who scored higher asked of pupils ("刘欣怡和陈思琪谁考得高？")
    r"|谁考得?更?(?:高|好|多|差|低)|谁的?分数?更?(?:高|低)"
)
# Every alternative of _RANK holds one of RANK_CHARS, every alternative of _SCORE
# one of SCORE_CHARS (tests/unit/test_content_fastpath.py). One scan for them (a
# character class, at C speed) rules out most texts: _SCORE has no literal prefix,
# so the regex engine tries each of its alternatives at every position. They are
# CJK letters, in `compact` exactly when in `loose` (no contact homophone holds one)
RANK_CHARS = "第倒垫名掉跌滑前"
SCORE_CHARS = "分考得及挂等错"
SCORE_HINT = re.compile(f"[{SCORE_CHARS}]")
_SIGNAL_HINT = re.compile(f"[{RANK_CHARS}{SCORE_CHARS}]")
# the highest or lowest mark: a score, but like a place when won in a contest
_TOP_MARK = re.compile(r"最[高低]\s*分")
# a bare number right after a name is a score ("张子涵98，李思远95"); not a body's
# temperature (probe 53: "陈思远 36.5℃ 正常", "林一诺：36.5，正常": a tenth between 35 and
# 42, a unit or a health word) nor another measure with its unit ("132cm")
_NAME_SCORE = re.compile(r"[\s:：,，]*(?:考了|得了|是|为)?\s*(?!(?:3[5-9]|4[0-2])\.[0-9](?![0-9]))"
                         r"\d{2,3}(?:\.\d+)?(?![\d年月日号点岁元块个次班级天米:：-]|\.[0-9])"
                         r"(?!\s*(?:[℃°度斤厘公]|cm|kg|mm|正常|无异常|体温|健康|已测))")
# probe 56: a subject's score right after a name ("张可馨数学92，我们家才80", "陈浩然英语考试98");
# not a range or a page of it ("数学100以内加减法")
_SUBJECT = "数学|语文|英语|科学|物理|化学|生物|历史|地理|道法|体育|总分"
_NAME_SUBJECT_SCORE = re.compile(
    rf"[\s:：,，]*(?:这次|期中|期末|单元)?(?:{_SUBJECT})(?:考试|测试|测验|成绩)?[\s:：,，]*"
    r"(?:考了|得了|是|为|才|只有|只)?\s*(?:\d{2,3}(?:\.\d+)?|一百)\s*分?(?=[\s,，。.、；;！!？?~～]|$|吧|啊|呢|了)"
)
# probe 57: who did better than whom, after the pupil's name ("董梓萱考得没我家好", "…比我家考得好"); not
# before it ("我家考得没董梓萱好": the speaker's own child's result)
# ("…成绩比上次好多了" is progress, "成绩没有下降" none lost)
_NOT_OTHERS = r"(?!上次|以前|之前|上学期|上个|过去|期中|原来|去年|平时)"
_NAME_COMPARED = re.compile(
    rf"(?:这次|期中|期末|单元)?(?:{_SUBJECT})?(?:考试)?(?:考得|成绩|分数)"
    rf"(?:不如{_NOT_OTHERS}|还?没有?(?:我家|我们家|我儿子|我女儿|我孩子|我闺女|他|她|人家|别人|[^\W\d]{{2,3}}?(?:好|高|多))"
    rf"|比{_NOT_OTHERS})"
    rf"|比{_NOT_OTHERS}[^，,。！？!?；;]{{1,6}}?考得"
    # ("董梓萱这次没我家考得好")
    rf"|(?:这次|期中|期末|单元)?(?:{_SUBJECT})?(?:还?没有?|不如)(?:我家|我们家|我儿子|我女儿|我孩子|我闺女)[^，,。！？!?；;]{{0,3}}?(?:考得|成绩|分数)")
# the pupil compared with after 比 ("我家孩子比董梓萱考得好", "…比宋佳怡多考了十分")
_COMPARED_WITH = re.compile(rf"(?:这次|期中|期末|单元)?(?:{_SUBJECT})?(?:考得|成绩|分数|[多少高低]考了?|考)")
_SENTENCE = re.compile(r"[。！？!?\n；;]")
_DIGIT = re.compile(r"\d")  # what _NAME_SCORE needs (any Unicode decimal digit)
_NEAR_AFTER = 14
_NEAR_BEFORE = 8
_NEGATIVE_REACH = 30
# a part played, just before a negative word: "演一个抽烟的老爷爷", "演两只打架的小公鸡"
# (not "演出时跟人打架": a part is counted, 一个, 两只)
_ROLE = re.compile(r"(?:扮?演|饰演|扮成)(?:了|的是)?[一两三几]?[个只位名头条][^，,。！？!?；;\s]{0,4}$")
# caught in a game ("捉迷藏第一个被抓了"), not in the act
_GAME = re.compile(r"(?:捉迷藏|老鹰捉小鸡|警察抓小偷|抓人游戏|木头人)[^，,。！？!?；;\s]{0,6}$")


# probe 46: someone else did it ("宋佳怡看见有人偷东西", "宋佳怡被人欺负了")
_SOMEONE_ELSE = re.compile(r"(?:有人|别人|被人)$")


# probe 57/58: a rule, a worry or a deed denied, not a deed ("不要上课玩手机", "怕影响其他小朋友休息", "从不
# 影响其他小朋友"), and a pupil copied from ("唐诗雨的作文被抄袭了"; but "被罚站" is the pupil's)
_NOT_DONE = re.compile(r"(?:不要|不许|不准|不能|禁止|严禁|杜绝|防止|预防|避免|以免|免得|怕|担心|不想|为了不|不|没有?|从没有?)$")
_COPIED_FROM = re.compile(r"被(?:人|别人|同学)?$")
# the topic of a lesson or a meeting ("讲了早恋的危害", "防欺负主题班会")
_TOPIC = re.compile(r"的?(?:危害|话题|讲座|主题|专题|教育|知识|宣传|班会)")
# probe 55/56 FP: homework copied down for someone, not copied from them ("天天帮我家孩子抄作业题目，谢谢他",
# "给我家孩子抄了作业"): a help given to the speaker's child before it, or the assignment's words after it
_HELPED = re.compile(r"(?:帮|给|替)(?:我家|我们家|我|孩子|我孩子|我儿子|我女儿)[^，,。！？!?；;]{0,6}$")
_ASSIGNMENT = re.compile(r"题目|要求|内容|清单|布置|回来|给")


def _pretend(text: str, term: str, start: int, end: int) -> bool:
    if _SOMEONE_ELSE.search(text, max(0, start - 2), start) is not None:
        return True
    if _NOT_DONE.search(text, max(0, start - 4), start) is not None and not term.startswith(("被", "不", "没")):
        return True
    if _TOPIC.match(text, end) is not None:
        return True
    if term == "抄袭" and _COPIED_FROM.search(text, max(0, start - 3), start) is not None:
        return True
    if term.startswith("抄作业") and (_HELPED.search(text, max(0, start - 12), start) is not None
                                      or _ASSIGNMENT.match(text, end) is not None):
        return True
    lo = max(0, start - 10)
    return _ROLE.search(text, lo, start) is not None or (
        term.startswith("被抓") and _GAME.search(text, lo, start) is not None)



_MAX_NAMES = 200  # a message naming more pupils than this is judged on the first ones


class _Sentences:
    """Sentence bounds of a text, computed once, looked up by bisection."""

    __slots__ = ("_ends", "_n")

    def __init__(self, text: str) -> None:
        self._ends = [m.start() for m in _SENTENCE.finditer(text)]
        self._n = len(text)

    def of(self, pos: int) -> tuple[int, int]:
        i = bisect_right(self._ends, pos - 1)
        start = self._ends[i - 1] + 1 if i > 0 else 0
        end = self._ends[i] if i < len(self._ends) else self._n
        return start, end


# a pupil named as the thief ("是刘浩然偷的", "陈浩然又偷了…"): 偷 right after the name;
# not one stolen from ("王雨桐的文具盒被偷了": 的, 被), nor 偷偷, 偷笑
_STOLE = re.compile(r"(?:又|还|也|就|总|经常)?(?:偷(?:了|的|走|拿|过|东西|钱))"
                    # probe 46: a few words between ("天天在班上偷别人东西"); not stolen from
                    # (被, 的: "王雨桐的文具盒在班上被偷了"), nor a thief seen or told of
                    # ("说有人偷了", "看见有人偷")
                    r"|[^，,。！？!?被的偷说人让给帮看见抓发现知听]{1,6}?偷(?:了|走|拿|过|东西|钱|别人|同学|人家)")


# -- probe 53: negative information in shapes with no negative word ------------------
# Pupils listed after a heading that says what they failed: their own work not done
# ("本周作业没交的同学：吴浩然（三次）、…", "以下同学作业未完成：…", "没交作文的同学有…"), a
# test failed ("体质健康测试不合格名单：…", "不达标的同学：…"). Not a list of the parents'
# errands (班费, 回执, 登记表: a teacher's notice), not praise ("作业全部按时完成的同学：…",
# "合格名单"), and not a name before the work ("孙嘉怡、胡一鸣的作业没交，请家长提醒一下", a
# reminder the probe set keeps as ordinary)
_WORK = "作业|作文|练习册?|习题|试卷|卷子|订正|改错|背诵|默写|听写|日记|周记|口算|预习|读书笔记|手抄报|字帖|课文"
_UNDONE = "没有?交|未交|缺交|欠交|漏交|没有?完成|未完成|没[写做]完?|[没未]订正|没改|[没未]背|没带|忘带|[没未]过关"
_FAILED = "不合格|不及格|[没未]及格|不达标|[没未]达标|[没未]通过|[没未]过关"
_HEADING = skipping(  # (tried only where a heading's first character stands)
    rf"(?:(?:{_WORK})[^，,。；;！!？?：:\n费钱款表]{{0,6}}?(?:{_UNDONE})|(?:{_UNDONE})的?(?:{_WORK})|(?:{_FAILED}))"
    r"[^，,。；;！!？?：:\n]{0,6}?(?:[：:]|[的学单][有是])"
)
# between a heading and its first name, or between two names of its list: separators,
# a numbering, a remark in brackets ("吴浩然（三次）、黄宇航（两次）")
_LIST_GAP = re.compile(r"(?:[\s、，,：:；;和与及跟.．0-9]|[（(][^（()）\n]{0,10}[)）])*")
_LIST_GAP_MAX = 14

# A pupil's result told as low beside the speaker's pride or a test ("我家一诺一分钟180个，
# 宇航才60个", "赵梓萌只有20个"), in a message about a test or a contest. Not an age or a time
# ("才8岁", "只跑了8秒": fast), a thing counted ("只有一个跳绳"), nor the family's ("刘若汐家离
# 学校才500米")
_LOWER = re.compile(
    r"[^，,。；;！!？?\n被让给帮叫听说知看见发现的家]{0,4}?"
    r"(?:才|只有|只|仅)(?:[考跳做对得拿背写投踢]了?)?"
    rf"(?:[0-9]+(?:\.[0-9]+)?|[{_CN}几]+)(?:个|下|分|道|题|米)?"
    r"(?=[，,。；;！!？?、\s~～]|$|了|而已|哈|啊|呀|呢|吧)"
)
_TESTED = re.compile(r"测|考|成绩|分数|跳绳|仰卧起坐|跳远|引体向上|俯卧撑|踢毽|跑步|口算|听写|默写|背诵|比赛")

# A misdeed of the pupil's own, repeated or not made good: late or absent again or a
# number of times ("这周已经迟到四次了", "天天迟到", "旷课三次"), others' things taken and
# not given back ("又拿了同学的文具不还"), others pushed or hit again ("又推了同学"), a thing
# spoilt again ("又把同桌的本子撕了"). Right after the name, with no one else's act between
# ("何佳怡说有人拿了她的橡皮不还", "刘若汐的文具被同学拿了不还"); not once ("今天迟到了",
# "迟到过一次"), not good deeds ("又帮同学…"), not late for the bus ("迟到两次都是因为校车晚点":
# _EXCUSED)
_REPEAT = "又|总是|老是|总|经常|天天|每天都?|屡次|多次|一直|三番五次"
_ABSENT = "迟到|早退|旷课|逃课|逃学"
_TIMES = rf"[两二三四五六七八九十几多好][{_CN}几多]*|[2-9]|[1-9][0-9]"
# talking in class, not of a voice or a part ("上课讲话声音洪亮", "上课说话很积极")
_TALK = r"(?:讲话|说话|讲小话|说小话|聊天|捣乱|打闹)(?!声音|很|特别|大声|清楚|流利|积极|时|的|要|响亮)"
_DEED = re.compile(
    r"[^，,。；;！!？?\n被让给帮叫听说知看见发现的]{0,8}?"
    # (after each character of the gap, a look-ahead for the characters the misdeeds
    # begin with, read from them by `skipping`, fails the try at most positions)
    + skipping(
        rf"(?P<absent>(?:{_REPEAT})(?:{_ABSENT})"
        rf"|(?:{_ABSENT})[过了]?(?:[两二三四五六七八九十几多好][{_CN}几多]*|[2-9]|[1-9][0-9])(?:次|回|天))"
        r"|[拿借](?!给)了?[^，,。；;！!？?\n被给让说]{0,10}?不还"
        rf"|(?:{_REPEAT})(?:在|去)?(?:推|打|踢|咬|掐|抢|骂|欺负)了?"
        r"(?:同学|别人|人家|小朋友|其他|我家|女生|男生|同桌|[他她](?![的们家最]))"
        rf"|(?:{_REPEAT})把[^，,。；;！!？?\n]{{1,8}}?(?:撕|弄坏|弄哭|弄脏|打哭|推倒|扔|剪坏|踩坏|摔坏)"
        # probe 55/56: work not done again or a number of times ("又没带作业", "作业三次没交"; not a
        # cup forgotten), others' work copied again ("作业天天抄别人的"), talking in class again or
        # called out for it a number of times ("天天上课讲话", "上课讲话被我点名三次"; not a voice
        # praised, "上课讲话声音洪亮"), called out or criticised a number of times
        rf"|(?:{_REPEAT})(?:{_UNDONE}|不交|不写|不做)(?:{_WORK})"
        rf"|(?:{_WORK})?(?:{_TIMES})次都?(?:{_UNDONE}|不交)|(?:{_UNDONE}|不交)(?:{_WORK})(?:{_TIMES})次"
        rf"|(?:{_REPEAT})抄(?:别人|同学|人家|同桌|答案)"
        rf"|(?:{_REPEAT})上课(?:总是|老是|一直)?{_TALK}"
        # probe 57: the repeat after 上课 ("上课一直讲话，屡教不改")
        rf"|上课(?:{_REPEAT}){_TALK}"
        rf"|上课{_TALK}[^。；;！!？?\n]{{0,10}}?(?:{_TIMES})次"
        rf"|被(?:我|老师|班主任)?(?:点名|批评|警告)了?(?:{_TIMES})次"
    ).pattern
)
_EXCUSED = re.compile(r"校车|公交|堵车|车坏|晚点|地铁|下雨|下雪|大雾")


def _negative_shapes(
    text: str, names: list[NameMatch], sentences: _Sentences
) -> tuple[int, int, str, str] | None:
    """(start, end, subject, kind) of the first negative shape about a pupil, or None."""
    # (a heading ends in a colon, 有 or 是: most messages have none of them)
    headed = "：" in text or ":" in text or "有" in text or "是" in text
    for m in _HEADING.finditer(text) if headed else ():
        listed: list[NameMatch] = []
        prev = m.end()
        for name in names:
            if name.start < prev:
                continue
            if name.start - prev > _LIST_GAP_MAX or _LIST_GAP.fullmatch(text, prev, name.start) is None:
                break
            listed.append(name)
            prev = name.end
        if listed:
            subject = "、".join(dict.fromkeys(n.name for n in listed))
            return m.start(), listed[-1].end, subject, "privacy.negative"
    tested: bool | None = None
    for name in names:
        m = _DEED.match(text, name.end)
        if m is not None:
            if m.group("absent") is not None:
                s0, s1 = sentences.of(name.start)
                if _EXCUSED.search(text, s0, s1) is not None:
                    continue
            return name.start, m.end(), name.name, "privacy.negative"
        m = _LOWER.match(text, name.end)
        if m is not None:
            if tested is None:
                tested = _TESTED.search(text) is not None
            if tested:
                return name.start, m.end(), name.name, "privacy.rank"
    return None


_PRESENT = ("privacy/negative", HINT_PRIVACY)  # what may_report asks of the presence pass


def may_report(norm: NormalizedText, ctx: DetectContext) -> bool:
    """A necessary condition of a hit, cheaper than `detect`: a roster name and a
    negative word, or a signal (a rank or score word, or a score right after a
    name, as _NAME_SCORE reads it), or a word of the shapes with no negative word
    (triggers.HINT_PRIVACY). Most mentions of a pupil have none."""
    if not ctx.roster.find_compact(norm):  # [] for an empty roster
        return False
    lex = ctx.lexicon
    mask = lex.presence().mask(norm)  # (read once for the message, in the engine's first pass)
    bits = lex.group_bits(_PRESENT)
    if mask & bits["privacy/negative"] or "偷" in norm.compact:
        return True
    if _SIGNAL_HINT.search(norm.compact) is not None:  # (else no loose form built for them)
        loose = norm.loose
        if _RANK.search(loose) or (SCORE_HINT.search(loose) and _SCORE.search(loose)):
            return True
    text = norm.original
    if mask & bits[HINT_PRIVACY]:
        return True  # the words of the shapes with no negative word
    if ("考" in text or "成绩" in text or "分数" in text) and any(
            _NAME_COMPARED.match(text, name.end)
            or (text[name.start - 1:name.start] == "比" and _COMPARED_WITH.match(text, name.end))
            for name in ctx.roster.find(norm)[:_MAX_NAMES]):
        return True
    if _DIGIT.search(text) is None:
        return False  # what a score after a name needs: most messages have no digit
    # the names' spans in the original text (detect reads them again, from the memo)
    return any(_NAME_SCORE.match(text, name.end) or _NAME_SUBJECT_SCORE.match(text, name.end)
               for name in ctx.roster.find(norm)[:_MAX_NAMES])


def _signals(norm: NormalizedText) -> list[tuple[int, int, str]]:
    """Ranks and scores, as spans of the original text, in order."""
    loose = norm.loose
    out = []
    for pattern, kind in ((_RANK, "rank"), (_SCORE, "score")):
        if pattern is _SCORE and SCORE_HINT.search(loose) is None:
            continue
        for m in pattern.finditer(loose):
            start, end = norm.span_loose(m.start(), m.end())
            out.append((start, end, kind))
    out.sort()
    return out


def detect(
    norm: NormalizedText, ctx: DetectContext, settings: StudentPrivacySettings
) -> list[Hit]:
    if not ctx.roster:
        return []
    names = ctx.roster.find(norm)[:_MAX_NAMES]
    if not names:
        return []
    text = norm.original
    signals = _signals(norm)
    compared = "考" in text or "成绩" in text or "分数" in text
    for name in names:
        m = _NAME_SCORE.match(text, name.end) or _NAME_SUBJECT_SCORE.match(text, name.end)
        if m is None and compared:
            m = _NAME_COMPARED.match(text, name.end)
            if m is None and text[name.start - 1:name.start] == "比":
                m = _COMPARED_WITH.match(text, name.end)
        if m is not None:
            signals.append((m.start(), m.end(), "score"))
    signals.sort()
    hit = _about_the_family_or_to_it(norm, ctx, names)
    if hit is not None:
        return [hit]
    names = [name for name in names if not _addresses_parent(text, name)]
    if not names:
        return []
    distinct = {n.name for n in names}

    # 1. a ranking: several pupils with scores or ranks (not the placings of a contest)
    if signals and len(distinct) >= settings.min_names_for_ranking and not _contest_placings(norm, ctx, signals):
        start = min(names[0].start, signals[0][0])
        end = max(names[-1].end, signals[-1][1])
        return [make_hit(RULE_ID, norm, start, end, "在群内公布或比较学生成绩、排名",
                         kind="privacy.ranking", subject="、".join(sorted(distinct)))]

    lex = ctx.lexicon
    names = [name for name in names if name.name not in ctx.own_students and not _called_own(text, name)]
    sentences: _Sentences | None = None
    if signals:
        sentences = _Sentences(text)
        starts = [s[0] for s in signals]
        for name in names:
            hit = _rank_near(norm, ctx, sentences, name, signals, starts)
            if hit is not None:
                return [hit]
    if "偷" in text:
        for name in names:
            m = _STOLE.match(text, name.end)
            if m is not None:
                return [make_hit(RULE_ID, norm, name.start, m.end(),
                                 "在群内发布对具体学生的负面评价或负面信息",
                                 kind="privacy.negative", subject=name.name)]
    negatives = [n for n in lex.matcher("privacy/negative").find(norm) if not _pretend(text, n.term, n.start, n.end)]
    if negatives:
        if sentences is None:
            sentences = _Sentences(text)
        praise = [p.start for p in lex.matcher("privacy/praise").find(norm)]
        praise.sort()
        negatives.sort(key=lambda n: n.start)
        neg_starts = [n.start for n in negatives]
        for name in names:
            s0, s1 = sentences.of(name.start)
            i = bisect_left(praise, s0)
            if i < len(praise) and praise[i] < s1:
                continue
            lo = bisect_left(neg_starts, max(s0, name.start - _NEGATIVE_REACH))
            hi = bisect_right(neg_starts, min(s1 - 1, name.start + _NEGATIVE_REACH))
            if lo < hi:
                neg = negatives[lo]
                start, end = min(name.start, neg.start), max(name.end, neg.end)
                return [make_hit(RULE_ID, norm, start, end,
                                 "在群内发布对具体学生的负面评价或负面信息",
                                 kind="privacy.negative", subject=name.name)]
    # negative information with no negative word (probe 53), last: most messages that
    # show one are caught above
    if names and lex.present(norm, HINT_PRIVACY):
        shape = _negative_shapes(text, names, sentences if sentences is not None else _Sentences(text))
        if shape is not None:
            start, end, subject, kind = shape
            reason = ("在群内公布学生的成绩或排名" if kind == "privacy.rank"
                      else "在群内发布对具体学生的负面评价或负面信息")
            return [make_hit(RULE_ID, norm, start, end, reason, kind=kind, subject=subject)]
    return []


# "我家子涵…", "我女儿雨桐…": the sender says the child is their own (a parent whose
# display name names a sibling, or only the given name, still talks about their own)
_MY_CHILD_WORDS = "我家|我们家|俺家|我儿子|我女儿|我闺女|我孩子|我家孩子|我家宝贝"
_OWN_CHILD = re.compile(f"(?:{_MY_CHILD_WORDS})$")


def _contest_placings(norm: NormalizedText, ctx: DetectContext, signals: list[tuple[int, int, str]]) -> bool:
    """Whether every signal is a place in a contest (probe 55: "作文比赛前五名：…，恭喜！"), as a
    head teacher announces winners: ranks only, each in a sentence about a contest and not
    about an exam (a place won is praise, as for one pupil in _rank_near)."""
    if any(kind != "rank" for _, _, kind in signals):
        return False
    lex = ctx.lexicon
    sentences = _Sentences(norm.original)
    for start, _, _ in signals:
        s0, s1 = sentences.of(start)
        sub = normalize(norm.original[s0:s1])
        if not lex.matcher("privacy/award").find(sub) or lex.matcher("privacy/exam").find(sub):
            return False
    return True


# probe 55/56: a named pupil's family matters ("黄浩然家长离婚了", "杨天佑爸妈离婚了"): right after
# the name, a parent told of, not addressed (so before _addresses_parent drops the name)
_FAMILY = re.compile(r"的?(?:家长|父母|爸妈|爸爸妈妈|爸爸|妈妈|爸|妈|家里|家)(?:好像|听说|早就|已经|早|都|也)?闹?"
                     r"(?:离婚|离异|分居|坐牢|欠债|破产|家暴|出轨)")
# probe 56: the addressed parent's child harmed the speaker's ("李沐阳家长，你家孩子把我儿子的文具盒
# 摔坏了", "…你家孩子又推了我儿子"); not the speaker's child the doer, apologising ("我家孩子把你家
# 孩子的笔弄坏了，对不起"), nor a thing brought back ("把我女儿的书捡回来了")
_HARM = re.compile(
    r"(?:你家|您家|你们家)(?:孩子|儿子|女儿|闺女|娃|小孩)[^，,。！？!?；;我]{0,6}?"
    r"(?:把(?:我家|我们家|我)[^，,。！？!?；;]{0,8}?(?:摔坏|弄坏|撕坏|撕破|撕烂|撕了|扔了|踩坏|弄丢|弄脏|剪坏|打哭|弄哭|推倒|划破|咬伤|抓伤)"
    r"|(?:打|推|踢|咬|掐|抓|骂|欺负|抢)了?(?:我家|我们家|我儿子|我女儿|我闺女|我孩子))"
)


def _about_the_family_or_to_it(norm: NormalizedText, ctx: DetectContext, names: list[NameMatch]) -> Hit | None:
    text = norm.original
    for name in names:
        if name.name in ctx.own_students or _called_own(text, name):
            continue
        m = _FAMILY.match(text, name.end)
        if m is not None:
            return make_hit(RULE_ID, norm, name.start, m.end(), "在群内发布对具体学生的负面评价或负面信息",
                            kind="privacy.negative", subject=name.name)
        if _PARENT_WORD.match(text, name.end) is not None:
            m = _HARM.search(text, name.end)
            if m is not None:
                return make_hit(RULE_ID, norm, name.start, m.end(), "在群内发布对具体学生的负面评价或负面信息",
                                kind="privacy.negative", subject=name.name)
    return None


def _called_own(text: str, name: NameMatch) -> bool:
    return _OWN_CHILD.search(text, max(0, name.start - 4), name.start) is not None


# "周雨桐妈妈，我家孩子欺负了你家孩子，对不起": the name calls a parent, and what follows
# is about someone else's child. It still names the pupil when the message is about
# the addressed parent's child alone ("孙嘉怡妈妈，你家孩子又不及格了")
_PARENT_WORD = re.compile(r"爸爸妈妈|爸妈|父母|妈妈|爸爸|妈|爸|家长|奶奶|爷爷|外婆|外公|姥姥|姥爷")
_THEIR_CHILD = re.compile(r"你家|您家|你们家|你孩子|你儿子|你女儿|你闺女")
_MY_CHILD = re.compile(_MY_CHILD_WORDS)


# probe 57: the parent spoken of for not checking the pupil ("曹欣然家长也不管管，孩子天天骂人"), not
# addressed: the message is about the pupil
_UNCHECKED = re.compile(r"(?:也|都|就|从来|根本|一点都|一点也|完全)?(?:不管管?|不管教|不教育|不闻不问|管都不管|"
                        r"也不说说|纵容|护短|怎么教的|怎么教育的|怎么管的)")


def _addresses_parent(text: str, name: NameMatch) -> bool:
    m = _PARENT_WORD.match(text, name.end)
    if m is None:
        return False
    if _UNCHECKED.match(text, m.end()) is not None:
        return False
    return _THEIR_CHILD.search(text) is None or _MY_CHILD.search(text) is not None


def _rank_near(
    norm: NormalizedText,
    ctx: DetectContext,
    sentences: _Sentences,
    name: NameMatch,
    signals: list[tuple[int, int, str]],
    starts: list[int],
) -> Hit | None:
    if not signals:
        return None
    s0, s1 = sentences.of(name.start)
    lo = bisect_left(starts, max(s0, name.start - _NEAR_BEFORE - 40))
    hi = bisect_right(starts, min(s1, name.end + _NEAR_AFTER))
    for start, end, kind in signals[lo:hi]:
        if not (s0 <= start < s1):
            continue
        if not (name.end <= start <= name.end + _NEAR_AFTER or name.start - _NEAR_BEFORE <= end <= name.start):
            continue
        # a place or the top mark won in a contest is praise ("跳绳比赛得了最高分")
        if kind == "rank" or _TOP_MARK.fullmatch(norm.original, start, end):
            sub = normalize(norm.original[s0:s1])
            if ctx.lexicon.matcher("privacy/award").find(sub) and not ctx.lexicon.matcher(
                "privacy/exam"
            ).find(sub):
                continue
        a, b = min(name.start, start), max(name.end, end)
        return make_hit(RULE_ID, norm, a, b, "在群内公布学生的成绩或排名",
                        kind="privacy.rank", subject=name.name)
    return None
