"""content.abuse: insults, profanity, personal attacks and defamation, from the
project's lexicons (config/lexicons/abuse/), matched on the normalised text so
spacing, look-alikes, traditional forms, pinyin and abbreviations do not hide them.

A word a member asks about is quoted, not used: "孩子老说cnm，是什么意思？" or
"sb这个词是什么意思" is a parent asking the teacher, not abusing anyone. So is a
word in quotes that someone else said ("同学骂他“nt”，我该怎么跟老师反映", a
sketch's line: 台词是“…”), and a word a child has taken to saying ("孩子跟同学学会了说
卧槽，回家被我批评了"). "NT$280" is a price. So is asking whether a word is a swear word
(probe 54: "孩子问我“笨蛋”是不是骂人的话", "tmd是脏话吗").

Some terms count only in a shape of their own (probe 54, _SHAPES): 傻 only masked ("傻*",
"傻×"; not 傻乐, 傻眼); 尼玛 only as the expletive ("尼玛的，又要交钱", "去你尼玛的"; 尼玛 is
a Tibetan given name: "尼玛的作业本", "尼玛，明天记得带彩笔"); words of abuse/aimed only
aimed at people or the school ("学校就是想捞钱", "一群吸血鬼", "某些人真是贱"; not "有骗子
冒充老师捞钱", "万圣节孩子想扮吸血鬼", "现在的菜真是贱")."""

from __future__ import annotations

import re

from plugins.charter.catalogue import AbuseSettings
from plugins.charter.normalize import NormalizedText, normalize
from plugins.content.detectors.base import DetectContext, Hit, make_hit
from plugins.content.detectors.terms import TermHit, TermMatcher

RULE_ID = "content.abuse"
_REASONS = {
    "abuse/insult": "含有辱骂或人身攻击的用语",
    "abuse/profanity": "含有不文明用语",
    "abuse/defamation": "含有诋毁学校或师生的言论",
    "abuse/masked": "含有不文明用语",
    "abuse/expletive": "含有不文明用语",
    "abuse/aimed": "含有辱骂或诋毁他人的言论",
    "abuse/beast": "含有辱骂或人身攻击的用语",
    "abuse/addressed": "含有辱骂或人身攻击的用语",
    "abuse/accused": "含有诋毁学校或师生的言论",
    "abuse/emoji": "含有辱骂或人身攻击的用语",
    "abuse/infix": "含有不文明用语",
}
# probe 57/58: the new shaped labels' hits are reported as the kind of their family
_KIND_OF = {"abuse/accused": "abuse/defamation", "abuse/emoji": "abuse/insult", "abuse/infix": "abuse/profanity"}
# a swear word, as a parent asks whether a word is one (probe 54)
_SWEAR = r"(?:一?句|个)?(?:骂人|脏话|粗话|粗口|不文明|不礼貌)"
# what follows a word that is asked about: "…是什么意思", "…啥意思", "…这个词是啥"
_ASKED_ABOUT = re.compile(
    r"[\s\"'“”‘’「」『』]*[，,]?\s*(?:这个|这种|这两个)?(?:词|字母|缩写|说法)?\s*(?:是|指|表示|代表)?\s*"
    r"(?:(?:什么|什麼|甚么|啥)\s*(?:意思|含义|梗)|(?:是啥|是什么|是什麼)\s*(?:[?？。，,！!]|$)"
    # probe 54: whether it is a swear word ("…是不是骂人的话", "…算不算脏话", "…是脏话吗")
    rf"|(?:是不是|算不算|属不属于){_SWEAR}|(?:算|属于)?{_SWEAR}[^，,。！？!?]{{0,5}}?[吗么嘛])"
)
# a cheap test before the pattern
_ASKING_WORDS = ("意思", "含义", "梗", "啥", "什么", "什麼", "骂人", "脏话", "粗话", "粗口", "不文明", "不礼貌")
_QUOTES = "\"'“‘「『"
# what comes before a quoted word someone said: "骂他“…”", "同学说“…”"
_REPORTED = re.compile(
    r"(?:(?:骂|说|叫|喊|称)(?:他|她|我|孩子|我家孩子|我们|别人|同学|人)?(?:是|为|成)?"
    r"|(?:台词|口头禅|外号|绰号)(?:是|叫)?"
    # a line known from elsewhere ("电影里那句“滚出去”孩子老学"), not given to you (送你这句)
    r"|(?:那|这)句(?:话)?(?:是|叫)?)\s*$"
)
# but a nickname given to the one addressed is an insult ("你在群里的外号是“神经病”")
_NAMED = "台口外绰那这"
_ADDRESSEE = re.compile(r"(?:你|您)(?!家|们家)[^，,。！？!?“”\"']{0,10}?的?$")
# what a child has taken to saying, reported by a parent ("孩子跟同学学会了说卧槽")
_HABIT = re.compile(r"(?:学会了?|老是?|总是?|爱|天天|经常|整天|动不动就|张口就)说\s*$")
# a Latin letter pair before a currency sign is an amount ("标价NT$280")
_CURRENCY = re.compile(r"\s*[$＄]")
# 滚 standing alone as a clause, said to someone ("滚！少在这里装好人", "滚，别在这装",
# "@王五 滚"): not inside a word (滚动, 打滚, 滚雪球, 球滚出界, 滚瓜烂熟; the phrases
# 你滚, 滚开 … are lexicon terms), not quoted ("“滚”字怎么写"), and not one character
# of a spaced-out word ("滚 动 字 幕": a space then a lone character)
_LONE_GUN = re.compile(
    r"(?:^|(?<=[\s,.!?;:~，。！？；：、…@]))滚+"
    r"(?=$|[,.!?;:~，。！？；：、…]|[^\w\s\"'“”‘’「」『』《》]|\s+[\u4e00-\u9fff]{2})"
)


# probe 56: a title in book-title marks ("孩子想买《白痴》"): the word is a book's, not said to anyone
_TITLE_OPEN = re.compile(r"《[^《》\n]{0,20}$")
_TITLE_CLOSE = re.compile(r"[^《》\n]{0,20}》")
# probe 55: a word someone else called a child, told unquoted ("孩子说有同学叫他笨蛋，他挺难过的");
# not the speaker's own words, nor everyone's (大家都说他是…)
_REPORTED_BARE = re.compile(
    r"(?:同学|有人|别人|人家|他们|她们|小朋友|男生|女生|孩子们|班上的?|班里的?|几个)[^，,。！？!?]{0,6}?"
    r"(?:叫|骂|喊|说|称|笑)(?:他|她|我家孩子|孩子|我儿子|我女儿|我们家孩子|我家娃|娃|我家宝贝|宝贝)"
    r"(?:是|为|成|作)?\s*$"
)


def _titled(text: str, hit: TermHit) -> bool:
    return (_TITLE_OPEN.search(text, max(0, hit.start - 21), hit.start) is not None
            and _TITLE_CLOSE.match(text, hit.end) is not None)


def _asked_about(norm: NormalizedText, hit: TermHit) -> bool:
    """A Latin abbreviation (cnm, sb) or a quoted word, followed by a question about
    its meaning, or a quoted word after who said it (骂他“…”), or a word a child
    has taken to saying (学会了说…). Not a Chinese phrase unquoted: "你妈的什么意思"
    is abuse. A book's title ("《白痴》") and a word others called a child, told
    unquoted ("有同学叫他笨蛋") are not either (probes 55, 56)."""
    text = norm.original
    hit = _with_mask(text, hit)
    if _titled(text, hit):
        return True
    if _REPORTED_BARE.search(text, max(0, hit.start - 20), hit.start) is not None:
        return True
    quoted = hit.start > 0 and text[hit.start - 1] in _QUOTES
    if quoted and _AIMED_AFTER.match(text, hit.end):  # "这句“滚出去”就是送给你的"
        return False
    said = _REPORTED.search(text, max(0, hit.start - 12), hit.start - 1) if quoted else None
    if said is not None and not (said.group()[0] in _NAMED
                                 and _ADDRESSEE.search(text, max(0, said.start() - 12), said.start())):
        return True
    if _HABIT.search(text, max(0, hit.start - 6), hit.start):
        return True
    if hit.term.isascii() and _CURRENCY.match(text, hit.end):
        return True
    mentioned = hit.term.isascii() or quoted
    return mentioned and _ASKED_ABOUT.match(text, hit.end) is not None


# a quoted word given to the one addressed, after the closing quote
_AIMED_AFTER = re.compile(r"[\"'”’」』][^。！？!?\n]{0,10}?(?:对|送给?|给|回)(?:你|您)")
# a quoted 滚 given to the one addressed ("“滚”，这就是我想对你说的"); not a character asked
# about ("“滚”字怎么写")
_QUOTED_GUN_AIMED = re.compile(
    r"[\"'“‘「『]滚+[\"'”’」』][^。！？!?\n]{0,10}?(?:对|送给?|给|回)(?:你|您)"
)


def _lone_gun(norm: NormalizedText) -> Hit | None:
    if "滚" not in norm.loose:
        return None
    m = _LONE_GUN.search(norm.loose) or _QUOTED_GUN_AIMED.search(norm.loose)
    if m is None:
        return None
    start, end = norm.span_loose(m.start(), m.end())
    return make_hit(RULE_ID, norm, start, end, _REASONS["abuse/insult"], kind="abuse/insult")


# probe 51: the speaker calls themself names ("连我这个数学笨蛋都听懂了")
_ONESELF = re.compile(r"我(?:这个|这种|真是个?|就是个?|是个|这)[^，,。！？!?你他她]{0,4}$")


def _of_oneself(text: str, hit: TermHit) -> bool:
    return hit.label == "abuse/insult" and _ONESELF.search(text, max(0, hit.start - 10), hit.start) is not None


# probe 54: terms that count only in a shape of their own, read in the original text.
# 傻 masked by a star, a cross or a box right after it ("你才是傻*", "傻 × 家长")
_MASK = re.compile(r"\s*[*＊×✕✖✗✘※■□●○]")
# 尼玛 as the expletive: "尼玛的" closing its clause at a clause's start, or said to someone
# ("去你尼玛的", "你尼玛"); not the name ("尼玛的作业本", "这个水杯是尼玛的，…", "尼玛，明天…")
_CLAUSE_START = re.compile(r"(?:^|[\s,.!?;:~，。！？；：、…@“”\"'])$")
_SAID_TO = re.compile(r"(?:你|去你|滚你|操你|草你|艹你)$")
_EXPLETIVE_END = re.compile(r"(?:的)?\s*(?:$|[,.!?;:~，。！？；：、…]|逼|个|比)")
_NAME_END = re.compile(r"的\s*(?:$|[,.!?;:~，。！？；：、…])")
# abuse/aimed: at people or the school, as the subject with only adverbs and a copula between
# ("学校就是想捞钱", "老师变着法子捞钱", "某些人真是贱"), a gang of them ("一群吸血鬼"), or the
# school or a teacher named right after ("一群吸血鬼老师", "吸血鬼学校")
_TARGET = (r"(?:学校|校方|校长|老师|班主任|家委会|家长们?|你们|你|他们|她们|他|她|某些人|有些人|有的人"
           r"|这种人|这些人|那些人|这人|那人|这帮人|这群人)")
_BETWEEN = (r"(?:就|真|都|也|只|又|还|嘴|简直|纯粹|根本|分明|无非|不过|一直|总是|天天|整天|是|像|想|在|要|会"
            r"|知道|变着法子?|想方设法|一门心思|一心|个|一个"
            # probe 55: asked scornfully ("你是不是没长脑子"); probe 58: "有些家长是真的没脑子"
            r"|是不是|真的)")
_AIMED_BEFORE = re.compile(rf"(?:{_TARGET}{_BETWEEN}{{0,4}}|一群|一帮|这帮|这群|一伙|这伙|那帮|那群|那伙)$")
_AIMED_AFTER_TERM = re.compile(r"学校|老师|校长|班主任|家长")
# not in a tale, a costume or a game ("绘本里一群吸血鬼", "老师让孩子扮吸血鬼"), nor a scam
# or a rule told of ("有骗子冒充学校老师捞钱", "学校严禁老师借补课捞钱")
_TALE = re.compile(r"《|绘本|故事|动画|电影|电视剧|小说|扮|万圣节|面具|游戏|角色|表演")
_WARNED = re.compile(r"冒充|假冒|骗子|严禁|禁止|不得|不准|不许|谨防")
_CLAUSE_MARK = re.compile(r"[，,。！？!?；;\n]")


def _masked(text: str, hit: TermHit) -> bool:
    return _MASK.match(text, hit.end) is not None


def _with_mask(text: str, hit: TermHit) -> TermHit:
    """A masked word's hit with its mask ("傻*"): where a quote closes or a question follows."""
    if hit.label != "abuse/masked":
        return hit
    m = _MASK.match(text, hit.end)
    return hit if m is None else hit._replace(end=m.end())


def _expletive(text: str, hit: TermHit) -> bool:
    if _SAID_TO.search(text, max(0, hit.start - 2), hit.start) is not None:
        return _EXPLETIVE_END.match(text, hit.end) is not None
    return (_CLAUSE_START.search(text, max(0, hit.start - 1), hit.start) is not None
            and _NAME_END.match(text, hit.end) is not None)


def _aimed(text: str, hit: TermHit) -> bool:
    if _TALE.search(text) is not None:
        return False
    if hit.term.endswith("蠢") and text.startswith("蠢", hit.end):  # 蠢蠢欲动: eager, not stupid
        return False
    left = max((m.end() for m in _CLAUSE_MARK.finditer(text, 0, hit.start)), default=0)
    if _WARNED.search(text, left, hit.start) is not None:
        return False
    return (_AIMED_BEFORE.search(text, max(left, hit.start - 16), hit.start) is not None
            or _AIMED_AFTER_TERM.match(text, hit.end) is not None)


# probe 56: a dog or a pig right after 是条, 像只 … in the text (the emoji the compact form drops)
_BEAST_AFTER = re.compile(r"\s*(?:狗|猪|🐶|🐕|🐩|🐷|🐖|🐽|走狗|疯狗|哈巴狗|畜生|蛆)")


def _beast(text: str, hit: TermHit) -> bool:
    return _BEAST_AFTER.match(text, hit.end) is not None and _aimed(text, hit)


# probe 55: a clause of its own said to someone ("老东西，管好你自己", "闭嘴吧", "你们都闭嘴"), not
# told after a verb of saying ("我说：闭嘴！"); the names of people (老东西 …) only with 你 elsewhere
# in the message ("老东西，新用途" is a craft)
_CLAUSE_HEAD = re.compile(r"\s*[\"'“‘「『]?\s*(?:你们?|大家)?(?:都|就|快|赶紧|给我|先|还不)*\s*$")
_CLAUSE_TAIL = re.compile(r"\s*(?:吧|啊|呀|了|哦|你|行不行|好吗)*\s*(?:$|[,.!?;:~，。！？；：、…]|[^\w\s])")
_TOLD_BEFORE = re.compile(r"(?:说|喊|叫|道|骂|吼)\s*[：:，,]?\s*$")
_COMMANDS = frozenset({"闭嘴", "住嘴"})
# an old friend greeted by a name of people: a reunion, health asked after, a laugh
_FRIENDLY = re.compile(r"好久不见|好久没见|还记得我|记不记得我|记得我吗|想你|想死你|最近(?:怎么样|好吗|还好|咋样|忙啥)"
                       r"|身体(?:怎么样|还好|好吗|咋样)|生日快乐|新年快乐|聚一聚|聚聚|喝一杯|老同学|老朋友|哈哈|嘿嘿")


# probe 57/58: a teacher or the school accused of a crime (abuse/accused). A bribe: a teacher or the
# school named before it, not refused or forbidden right before ("老师从来不收红包"), a favour bought
# after it or disgust ("才给排座位", "恶心"); 收钱不办事 is scorn itself. Not where the message forbids,
# reports as a parent should, asks or warns of a scam ("学校严禁老师收红包，发现请举报", "…我该向哪里反映")
_STAFF = r"(?:学校|校方|校长|老师|班主任|园长|主任|教练|幼儿园)"
_STAFF_NAMED = re.compile(_STAFF)
_REFUSED = re.compile(r"(?:不|没|没有|从不|从来不|从没|拒|拒绝|不会|不能|不敢|不得|不准|不许|严禁|禁止|别|不要|不肯|不让)\s*$")
_PROPERLY = re.compile(r"严禁|禁止|不得|不准|不许|举报|反映|投诉|如果|如发现|若发现|一经发现|是否|会不会|有没有|冒充|假冒"
                       r"|谨防|别信|别上当|上当|诈骗|谣言|造谣|澄清|退回|退还|拒收|自称|陌生")
_FAVOUR = re.compile(r"(?<![刚方])才(?![艺华能子智干])|区别对待|差别对待|看人下菜|偏心|特殊照顾|另眼相看")
_SCORN = re.compile(r"恶心|无耻|不要脸|黑心|缺德|败类|垃圾|腐败|没有?师德|良心|呸|呵呵|真行|可耻|丢人|寒心|吸血|什么东西")
_SCORN_ITSELF = frozenset({"收钱不办事", "收了钱不办事", "拿钱不办事", "受贿", "索贿", "索要红包"})
_SWINDLER = frozenset({"骗子", "大骗子"})
# 骗子 said of a teacher or the school in its clause, only adverbs and a copula between ("校长就是个骗子");
# not a teacher who is the scam's victim or bait ("老师也是骗子的目标")
_STAFF_BEFORE = re.compile(rf"{_STAFF}们?{_BETWEEN}{{0,4}}$")
_SWINDLER_AFTER = re.compile(r"的(?!话)|们?冒充|打来|电话|短信|套路|手段|陷阱|骗")


def _accused(text: str, hit: TermHit) -> bool:
    if _PROPERLY.search(text) is not None:
        return False
    if hit.term in _SWINDLER:
        left = max((m.end() for m in _CLAUSE_MARK.finditer(text, 0, hit.start)), default=0)
        return (_STAFF_BEFORE.search(text, max(left, hit.start - 16), hit.start) is not None
                and _SWINDLER_AFTER.match(text, hit.end) is None)
    if _STAFF_NAMED.search(text, 0, hit.start) is None:
        return False
    if _REFUSED.search(text, max(0, hit.start - 4), hit.start) is not None:
        return False
    return (hit.term in _SCORN_ITSELF or _FAVOUR.search(text, hit.end) is not None
            or _SCORN.search(text) is not None)


# probe 57: an expletive between the one addressed and what is said ("你tm说谁呢"): tm not inside a
# Latin word ("你tmall上买的"), 他妈 not one's mother (他妈妈)
def _infix(text: str, hit: TermHit) -> bool:
    after = text[hit.end:hit.end + 1]
    if hit.term.endswith("他妈"):
        return after != "妈"
    return not (after.isascii() and after.isalpha())


# probe 58: a beast emoji for 猪 or 狗, which the compact form drops ("你是🐷脑子吧": 是脑子 in
# compact), folded back in the text (one character for one, so positions stay) and the insult
# looked for again over the term's span
_BEAST_FOLD = str.maketrans({"🐷": "猪", "🐖": "猪", "🐽": "猪", "🐗": "猪", "🐶": "狗", "🐕": "狗", "🐩": "狗"})


def _emoji(text: str, hit: TermHit, matcher: TermMatcher | None) -> bool:
    span = text[hit.start:hit.end]
    if matcher is None or span.translate(_BEAST_FOLD) == span:
        return False
    folded = text.translate(_BEAST_FOLD)
    return any(h.label != "abuse/emoji" and h.start < hit.end and hit.start < h.end and _fits(folded, h)
               for h in matcher.find(normalize(folded)))


def _addressed(text: str, hit: TermHit) -> bool:
    left = max((m.end() for m in _CLAUSE_MARK.finditer(text, 0, hit.start)), default=0)
    if _CLAUSE_HEAD.fullmatch(text, left, hit.start) is None or _CLAUSE_TAIL.match(text, hit.end) is None:
        return False
    if left and _TOLD_BEFORE.search(text, max(0, left - 4), left) is not None:
        return False
    if hit.term in _COMMANDS:
        return True
    if _FRIENDLY.search(text) is not None:  # probe 57: an old friend greeted ("老家伙，你还记得我吗")
        return False
    return "你" in text[:left] + text[hit.end:] or "您" in text


_SHAPES = {"abuse/masked": _masked, "abuse/expletive": _expletive, "abuse/aimed": _aimed,
           "abuse/beast": _beast, "abuse/addressed": _addressed, "abuse/accused": _accused,
           "abuse/infix": _infix, "abuse/emoji": lambda text, hit: False}


def _fits(text: str, hit: TermHit, matcher: TermMatcher | None = None) -> bool:
    if hit.label == "abuse/emoji":
        return _emoji(text, hit, matcher)
    shape = _SHAPES.get(hit.label)
    return shape is None or shape(text, hit)


def detect(norm: NormalizedText, ctx: DetectContext, settings: AbuseSettings) -> list[Hit]:
    matcher = ctx.lexicon.matcher("abuse")
    found = matcher.first(norm)
    text = norm.original
    if found is not None and found.label in _SHAPES and not _fits(text, found, matcher):
        # a shaped term out of its shape (傻乐, 尼玛的作业): as if not there
        found = next((hit for hit in matcher.find(norm) if _fits(text, hit, matcher)), None)
    if found is None:
        lone = _lone_gun(norm)
        return [lone] if lone is not None else []
    if (any(word in text for word in _ASKING_WORDS) or any(q in text for q in _QUOTES)
            or "说" in text or "$" in text or "＄" in text or "我" in text
            or "《" in text or "叫" in text or "骂" in text or "喊" in text or "笑" in text):
        found = next((hit for hit in matcher.find(norm)
                      if _fits(text, hit, matcher) and not _asked_about(norm, hit)
                      and not _of_oneself(text, hit)), None)
        if found is None:
            return []
    found = _with_mask(text, found)
    return [make_hit(RULE_ID, norm, found.start, found.end, _REASONS.get(found.label, "含有不文明用语"),
                     kind=_KIND_OF.get(found.label, found.label))]
