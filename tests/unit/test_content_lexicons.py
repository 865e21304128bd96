"""The project's lexicons: format, loading, override directory, and no everyday
class-group word listed as a bad term."""

from __future__ import annotations

from pathlib import Path

import pytest

from plugins.charter.normalize import fold_term, normalize
from plugins.content.lexicons import DEFAULT_DIR, Lexicon, load_lexicon, parse_lines

EVERYDAY = ["考试", "第一", "妈妈", "安全", "垃圾", "猪", "滚", "黄色", "色", "武术", "佛山",
            "菠菜", "溜冰", "彩票", "排名", "老师", "学校", "作业", "分数", "报名", "免费",
            "微信", "电话", "2b", "av", "一对一", "资料", "辅导", "课程"]
BAD_GROUPS = ("abuse", "banned", "ads/strong", "ads/recruiting")


def test_default_directory_is_in_the_repo() -> None:
    assert DEFAULT_DIR == Path(__file__).resolve().parents[2] / "config" / "lexicons"
    lex = load_lexicon()
    assert lex.size() > 500
    for group in ("abuse/insult", "abuse/profanity", "abuse/defamation", "banned/porn",
                  "banned/gambling", "banned/drugs", "banned/violence", "banned/cults",
                  "banned/extremism", "banned/illegal_goods", "banned/phishing",
                  "ads/strong", "ads/recruiting", "ads/selling", "privacy/negative"):
        assert lex.categories.get(group), group


@pytest.mark.parametrize("word", EVERYDAY)
def test_everyday_words_are_not_bad_terms(word: str) -> None:
    lex = load_lexicon()
    for group in BAD_GROUPS:
        folded = {fold_term(t.text) for t in lex.terms(group)}
        assert fold_term(word) not in folded, (group, word)
        assert not lex.matcher(group).find(normalize(word)), (group, word)


@pytest.mark.parametrize("text", ["加微信", "加威信", "加薇信", "加v信", "➕V", "加vx", "加 微 信"])
def test_every_spelling_of_an_invitation_meets_the_contact_term(text: str) -> None:
    # a term is normalised as a message is: 加微信 must read as its homophones do
    assert load_lexicon().matcher("ads/contact").first(normalize(f"有意的{text}详聊")) is not None


def test_format_comments_flags_and_unknown_flag() -> None:
    terms = parse_lines("# comment\n傻逼  # inline\n\nfuck [prefix]\n", "abuse/x")
    assert [(t.text, t.prefix) for t in terms] == [("傻逼", False), ("fuck", True)]
    with pytest.raises(ValueError):
        parse_lines("foo [wat]", "x")


def test_override_directory(tmp_path: Path) -> None:
    (tmp_path / "abuse").mkdir()
    (tmp_path / "abuse" / "custom.txt").write_text("坏蛋蛋\n", encoding="utf-8")
    (tmp_path / "allow.txt").write_text("不是坏蛋蛋\n", encoding="utf-8")
    lex = Lexicon.load(tmp_path)
    assert lex.matcher("abuse").find(normalize("你个坏 蛋蛋"))
    assert not lex.matcher("abuse").find(normalize("他不是坏蛋蛋"))
    with pytest.raises(FileNotFoundError):
        Lexicon.load(tmp_path / "missing")


def test_every_lexicon_file_parses() -> None:
    for path in DEFAULT_DIR.rglob("*.txt"):
        parse_lines(path.read_text(encoding="utf-8"), path.stem)
