"""Trigger words of the regex detectors, indexed in the lexicon's presence pass.

The lexicon's Presence (terms.Presence) already scans every message once, in the
compact form, for every lexicon term. These words ride along in that same pass
under their own bits, so the engine can skip a regex detector outright when none
of its trigger words occurs: most class-group messages contain none.

Each list must be a necessary condition: every match the detector's regular
expressions can make contains at least one of its words (in `compact`). A word
missing here would hide real matches; tests/unit/test_content_fastpath.py
compares the gated engine with the ungated one on generated and labelled
messages so that such a mistake fails a test.
"""

from __future__ import annotations

HINT_ADS = "\x00hint/ads"
HINT_LEAVE = "\x00hint/leave"

TRIGGERS: dict[str, tuple[str, ...]] = {
    # ads._INCOME: [月日周天](入|赚|收入|薪)... -> 入, 赚, 薪; 日结<number> -> 日结; ads._CHAIN -> 转发;
    # ads._VOTE: (投票|投一票|投个票|投一下|投上|拉票|拉个票|点赞|点个赞|助力|砍一刀|砍价), 投..号, 号..(投票|一票|投一下)
    HINT_ADS: ("入", "赚", "薪", "日结", "转发", "投", "票", "赞", "助力", "砍"),
    # leave_requests._LEAVE: 请..假, 告假, 销假, 批..假 -> 假; (不能|无法|没法|没办法|不去|去不了|来不了|到不了|不来)(到校..);
    # leave_requests._ILL_HOME: ..(在家休息|在家养病|在家观察|请?休息[一两半几]天) -> 在家, 休息
    HINT_LEAVE: ("假", "不能", "无法", "没法", "没办法", "不去", "去不了", "来不了", "到不了", "不来",
                 "在家", "休息"),
}
