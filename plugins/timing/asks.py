"""Is a message a question or a task for the person it addresses?

`classify_ask` decides from the text alone; whether the message is addressed to a
responsible person (a mention, or a reply to their message) is the caller's part.
It is tuned for precision: ordinary parent chatter ("收到", "好的", "谢谢老师",
"孩子今天请假", "我们马上到") must not start a response deadline, so every marker
below is paired with the statement forms that share its characters.

How a text is read:
1. NFKC (full-width "？" becomes "?"), zero-width characters, links and WeChat
   emoticon codes ("[强]") removed, Latin case folded.
2. A WeCom/WeChat 接龙 chain (numbered reply lines) is never an ask.
3. Split into clauses at punctuation and spaces. In each clause, statement forms
   ("没什么", "不管什么时候", "请假", "麻烦您了", "谢谢帮忙") are blanked out first.
4. A request ("请…", "麻烦…", "烦请…", "帮我…") makes the message a TASK, even when
   phrased as a question ("能不能麻烦您看一下？").
5. Otherwise a question mark or a question marker (吗, 请问, 能否, 是否, A不A,
   怎么, 什么时候, 几点…) makes it a QUESTION.
6. Otherwise a task marker (务必, 尽快, 今天之内, 安排一下, 由你负责, 记得…) in a
   clause that is not about the writer themself ("我们尽快交", "孩子会尽快补上")
   makes it a TASK.

`is_answer` says whether a message from the responsible person stops a deadline:
any substantive message they post in the group after the ask counts, whatever it
says (an answer, "收到", "稍后回复" or a photo of the document all show the person
has seen it). Only empty, punctuation-only or emoji/sticker-only messages do not.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class AskKind(StrEnum):
    QUESTION = "question"
    TASK = "task"


@dataclass(frozen=True, slots=True)
class AskMatch:
    kind: AskKind
    marker: str  # the words that decided it, for the audit log


_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")
_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_EMOTICON = re.compile(r"\[[^\[\]\s]{1,6}\]")  # WeChat/QQ codes: [强] [抱拳] [图片]
_CHAIN_LINE = re.compile(r"^\s*\d{1,3}\s*[.、)）:：]\s*\S", re.MULTILINE)
_CLAUSE_SPLIT = re.compile(r"[\s,.;:!?，。；：！？、~～…—\-/|]+")
_WORDY = re.compile(r"[^\W_]")  # a letter, digit or CJK character

# Statement forms that contain question or task characters; blanked before matching.
_STATEMENT_FORMS = re.compile(
    "|".join(
        [
            r"吗啡",
            r"([不没])([\u4e00-\u9fff])\1\2",  # 没有没有, 不是不是: a polite "no"
            r"我(?:们)?(?:去|再|帮你|帮您|来|先)问(?:一下|下|问)?",
            r"(?:什么|啥)(?:时候|时间)?[^,.;:!?，。；！？]{0,8}都(?:可以|行|好|没问题|方便)",
            r"没什么|没啥|不为什么|什么都|什么也|啥都|啥也|什么的",
            r"怎么都|怎么也|不怎么|怎么说呢",
            r"多少有|多多少少|或多或少|至多|至少",
            r"哪里哪里|哪怕",
            r"谁都|谁也",
            r"(?:无论|不管|不论)[^,.;:!?，。；！？]*",
            r"不知(?:道)?(?:为什么|为何|怎么(?:的|地|回事))",
            r"有什么(?:事|问题|需要|情况)?(?:可以|随时|请|就|再)[^,.;:!?，。；！？]*",
            r"几点(?=建议|意见|要求|想法|看法|注意|说明|体会|感受|希望|心得)",  # "a few points"
            r"请假\S*",
            r"请(?:您|你|老师|大家|各位)?(?:放心|见谅|原谅|谅解|包涵|稍等|稍候|多(?:关照|指教|包涵|担待)|慢用)",
            r"敬请期待",
            r"(?:谢谢|感谢|多谢)(?:您|你|老师|大家|各位)?的?(?:帮忙|帮助|提醒|回复|耐心|付出|关心|辛苦)?|辛苦(?:了|啦)?",
            r"(?:添|太|很|不|怕|好|挺|真|多|这么|那么|有点|有些|比较|特别)麻烦",
            r"麻烦(?:您|你|大家|老师|各位|你们|您们)?(?:了|啦|咯|喽|哈)",
            r"安排好了|已(?:经)?安排|都安排",
            r"(?:很|真|太|挺|认真|非常)负责|负责任",
        ]
    )
)

# A request: the addressee is asked to do something. Decides TASK on its own.
_REQUEST = re.compile(
    r"(?:^|老师|主任|校长|组长|班长|经理|领导|师傅|您|你|大家|麻烦)请(?!问|教|客|柬)"
    r"|烦请|恳请|还请|务请|敬请"
    r"|麻烦(?=\S)"
    r"|(?:^|你|您|老师|能|可以|可否|麻烦)帮(?:我|忙|一下|着|看|问|查|转|发|找|催|拿|带|交)"
)

_QUESTION = re.compile(
    "|".join(
        [
            r"吗|(?<![这那多要什怎])么$",
            r"请问|想问|问一下|问下|请教|咨询|打听",
            r"能否|可否|是否|可不可以|可以不|对吧|是吧|行吧",
            r"([\u4e00-\u9fff])[不没]\1",  # A不A: 是不是, 有没有, 去不去
            r"怎么|怎样|如何|为什么|为啥|干嘛|干吗|咋",
            r"什么时候|啥时候|什么时间|几时|什么|啥",
            r"几点|几号|几月|周几|星期几|礼拜几|几年级|几楼",
            r"哪(?:里|儿|天|个|些|位|种|家|边|一)|在哪",
            r"多少|多久|多长时间|多大|多远",
            r"谁",
        ]
    )
)

# A task given without a request word: a deadline, an assignment, a reminder to act.
_TASK = re.compile(
    "|".join(
        [
            r"务必|尽快|抓紧|赶紧|立即|立刻|尽早|速(?:回|报|交|办)",
            r"今天之内|今天内|今日内|今晚之前|今天下班前|下班前|明天之前|明早之前|明天上午之前|中午之前|放学前",
            r"\d{1,2}点(?:\d{1,2}分?|半)?(?:之)?前",
            r"安排(?:一下|下|好|个|人|时间)",
            r"(?:由[^,.;:!?，。；！？]{0,6}|你|您)负责|负责(?:一下|把|跟进|落实|统计|收集|通知|对接|联系|处理)",
            r"^(?:你|您)?记得|别忘了|不要忘了|不要忘记",
            r"(?:看|发|回复|回|确认|核实|处理|统计|转发|通知|提醒|说|讲|查|交|报|签|填|落实|跟进)一下(?![午子])",
            r"^(?:你|您)?(?:发给我|发我|提交|上报|填写)(?!了)",
        ]
    )
)

_FIRST_PERSON = re.compile(r"^(?:我|我们|咱们|咱|俺|本人)")
# A clause reporting what someone does or did, not asking: "孩子会尽快补上".
_STATEMENT_VERBS = re.compile(r"会(?:尽快|按时|及时|抓紧|准时)|已|正在|刚|马上|这就|一会|稍后|等下|等会|收到|好的|明白|知道了")
# Inside a first-person clause these still ask something of the addressee.
_FIRST_PERSON_REQUEST = re.compile(r"(?:请|麻烦)(?:您|你|老师|\S{1,3}老师)|帮我|给我(?:发|回|打|看)")
# A leading form of address ("王老师", "各位老师", "好的老师", "您好"), not a request word.
_ADDRESS = re.compile(
    r"^(?:(?![请麻帮烦恳还])[\u4e00-\u9fff]{0,3}?(?:老师|主任|校长|组长|班长|经理|领导|师傅|总)|您好|你好|亲)"
)
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _ZERO_WIDTH.sub("", text)
    text = _LINK.sub(" ", text)
    text = _EMOTICON.sub(" ", text)
    return text.casefold().strip()


def is_chain(text: str) -> bool:
    """A 接龙 chain: numbered reply lines (at least two), or the #接龙 tag."""
    normal = unicodedata.normalize("NFKC", text)
    return "#接龙" in normal or len(_CHAIN_LINE.findall(normal)) >= 2


def _clauses(text: str) -> list[str]:
    clauses = []
    for raw in _CLAUSE_SPLIT.split(text):
        clause = raw.strip()
        if clause:
            clauses.append(clause)
    return clauses


def _strip_address(clause: str) -> str:
    stripped = _ADDRESS.sub("", clause, count=1)
    return stripped or clause


def find_ask(text: str) -> AskMatch | None:
    """The kind of ask in `text` and the marker that decided it, or None."""
    normal = normalise(text)
    if not _WORDY.search(normal) or is_chain(normal):
        return None
    normal = _CLOCK.sub(r"\1点\2", normal)  # "17:00前" -> "17点00前"
    # each clause with its parts: statement forms blanked, leading address removed
    clauses = [
        (clause, [_strip_address(part) for part in _clauses(_STATEMENT_FORMS.sub(" ", clause))])
        for clause in _clauses(normal)
    ]
    for _clause, parts in clauses:
        for part in parts:
            pattern = _FIRST_PERSON_REQUEST if _FIRST_PERSON.match(part) else _REQUEST
            match = pattern.search(part)
            if match:
                return AskMatch(AskKind.TASK, match.group(0))

    if "?" in normal and any(parts for _clause, parts in clauses):
        return AskMatch(AskKind.QUESTION, "?")
    for _clause, parts in clauses:
        for part in parts:
            match = _QUESTION.search(part)
            if match:
                return AskMatch(AskKind.QUESTION, match.group(0))

    for clause, parts in clauses:
        if _STATEMENT_VERBS.search(clause):
            continue
        for part in parts:
            if _FIRST_PERSON.match(part):
                continue
            match = _TASK.search(part)
            if match:
                return AskMatch(AskKind.TASK, match.group(0))
    return None


def classify_ask(text: str) -> AskKind | None:
    """QUESTION, TASK, or None for anything else (acknowledgements, thanks, statements)."""
    found = find_ask(text)
    return found.kind if found else None


def is_answer(text: str, has_image: bool = False) -> bool:
    """Whether a message from the responsible person stops their deadline.

    Any message with a letter, digit or Chinese character counts, and so does an
    image or file; empty, punctuation-only and emoji/sticker-only messages do not.
    """
    if has_image:
        return True
    return bool(_WORDY.search(normalise(text)))
