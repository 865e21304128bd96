"""Text helpers for names: one normal form, relations, subjects, surnames, distance.

`compact` is the form every membership comparison uses, for display names and
roster names alike: NFKC (full-width letters, digits and brackets folded),
traditional characters to simplified (OpenCC t2s), case folded, and everything
that is not a letter or a digit dropped: spaces, punctuation, brackets,
separators, emoji and symbols, invisible characters. A few letters that Chinese
nicknames use as ornaments (ღ, 灬, ゞ ...) are dropped too, and the Japanese の
reads as 的. So "【張子涵-媽媽】🌸" and "张子涵妈妈" have the same compact form,
while words and digits added to a name ("张子涵妈妈广告", "张子涵妈妈138...")
stay and are judged by the naming rules.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import opencc

DECORATIVE_LETTERS = frozenset("ღʚɞ๑ゞ〆ぃ灬ヅツ✿")
CHARACTER_MAP = {"の": "的"}

_converter = opencc.OpenCC("t2s")


@lru_cache(maxsize=4096)
def compact(text: str) -> str:
    """The comparison form of a name (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text)
    # lone surrogates (possible in text from a JSON bridge) cannot be converted; they are not letters anyway
    text = "".join(ch for ch in text if not "\ud800" <= ch <= "\udfff")
    text = _converter.convert(text).casefold()
    out: list[str] = []
    for ch in text:
        ch = CHARACTER_MAP.get(ch, ch)
        if ch in DECORATIVE_LETTERS:
            continue
        if unicodedata.category(ch)[0] in "LN":
            out.append(ch)
    return "".join(out)


def is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


# --- relations ----------------------------------------------------------------

# The relations the product knows; a charter may configure others, which are then
# taken as written.
KNOWN_RELATIONS = ("爸爸", "妈妈", "爷爷", "奶奶", "外公", "外婆", "监护人")

# Formal words for the same relation: accepted, and counted as the canonical word.
FORMAL_ALIASES = {
    "父亲": "爸爸",
    "母亲": "妈妈",
    "祖父": "爷爷",
    "祖母": "奶奶",
    "外祖父": "外公",
    "外祖母": "外婆",
    "姥爷": "外公",
    "姥姥": "外婆",
}

# Colloquial or shortened forms: understood, but the member is asked to write
# the canonical word ("张子涵妈" -> "张子涵妈妈").
INFORMAL_ALIASES = {
    "爸": "爸爸",
    "妈": "妈妈",
    "老爸": "爸爸",
    "老妈": "妈妈",
    "爸比": "爸爸",
    "粑粑": "爸爸",
    "爹地": "爸爸",
    "爹": "爸爸",
    "麻麻": "妈妈",
    "妈咪": "妈妈",
    "爷": "爷爷",
    "奶": "奶奶",
}

# Pinyin-input slips: a character typed for the relation's sound ("张子涵马").
HOMOPHONES = {
    **dict.fromkeys("马吗麻码嘛骂蚂玛", "妈妈"),
    **dict.fromkeys("巴八吧拔把霸芭扒", "爸爸"),
    **dict.fromkeys("也野耶页夜业叶", "爷爷"),
    **dict.fromkeys("乃奈耐", "奶奶"),
    "婆": "外婆",
    "公": "外公",
}

# Words that say "a parent" without saying which one.
GENERIC_GUARDIAN_WORDS = ("家长",)


def canonical_relation(word: str) -> str:
    """The canonical relation for a configured or written relation word."""
    key = compact(word)
    return FORMAL_ALIASES.get(key, INFORMAL_ALIASES.get(key, key))


@lru_cache(maxsize=64)
def relation_words(permitted: tuple[str, ...]) -> dict[str, tuple[str, bool]]:
    """Every relation word -> (canonical relation, written in full), for matching (do not mutate)."""
    words: dict[str, tuple[str, bool]] = {}
    for word, canonical in INFORMAL_ALIASES.items():
        words[word] = (canonical, False)
    for word in (*KNOWN_RELATIONS, *(compact(r) for r in permitted)):
        if word:
            words[word] = (canonical_relation(word), True)
    for word, canonical in FORMAL_ALIASES.items():
        words[word] = (canonical, True)
    return words


# --- subjects -------------------------------------------------------------------

COMMON_SUBJECTS = (
    "语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "政治", "道德与法治",
    "科学", "音乐", "美术", "体育", "信息", "劳动", "心理", "书法", "综合实践", "日语",
    "俄语", "舞蹈", "阅读", "写字", "编程", "社会", "手工", "实验",
)

SUBJECT_ALIASES = {
    "道法": "道德与法治",
    "思品": "道德与法治",
    "品德": "道德与法治",
    "思政": "政治",
    "信息技术": "信息",
    "信息科技": "信息",
    "计算机": "信息",
    "电脑": "信息",
    "体育与健康": "体育",
    "英文": "英语",
    "心理健康": "心理",
    "综合": "综合实践",
}


def canonical_subject(word: str) -> str:
    key = compact(word)
    return SUBJECT_ALIASES.get(key, key)


# --- surnames -----------------------------------------------------------------

COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木 独孤 南宫 "
    "西门 申屠 轩辕 钟离 闻人 万俟 赫连 澹台 公冶 太叔 濮阳 呼延 百里 东郭 拓跋".split()
)


def surname_of(name: str) -> str:
    if len(name) > 2 and name[:2] in COMPOUND_SURNAMES:
        return name[:2]
    return name[:1]


def given_name_of(name: str) -> str:
    return name[len(surname_of(name)):]


# --- distance -----------------------------------------------------------------


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance; names are short."""
    if a == b:
        return 0
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
