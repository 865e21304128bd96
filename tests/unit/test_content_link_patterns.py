"""links.py writes two patterns with their leading look-behind after the first
character (so that they start with a character class and the regex engine skips
to the positions holding one). Each must find exactly what its plain form finds:
the same spans and groups, on the labelled sets' loose forms and on generated text
made of what links are made of."""

from __future__ import annotations

import re

from hypothesis import given, settings as hsettings, strategies as st

from plugins.charter.normalize import normalize
from plugins.content.detectors import links
from test_content_support import DEV, OWN, PROBES, load_jsonl

_DOT, _LABEL = links._DOT, links._LABEL
PLAIN_DOMAIN = re.compile(
    rf"(?<![a-z0-9@_-])((?:{_LABEL}{_DOT})+)([a-z]{{2,24}}|中国|公司|网络)(?![a-z0-9])"
)
PLAIN_IP = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?/")
LINKISH = st.text(alphabet="ab.。点 -@_cnomwx1９2:/ps．·丶dot[]()中国公司网络٣", max_size=40)


def _same(text: str) -> None:
    assert ([(m.span(), m.groups()) for m in links._DOMAIN.finditer(text)]
            == [(m.span(), m.groups()) for m in PLAIN_DOMAIN.finditer(text)]), text
    assert [m.span() for m in links._IP.finditer(text)] == [m.span() for m in PLAIN_IP.finditer(text)], text


def test_labelled_messages() -> None:
    for row in load_jsonl(OWN) + load_jsonl(DEV) + load_jsonl(PROBES):
        _same(normalize(row["text"]).loose)
        _same(row["text"])


@hsettings(max_examples=3000, deadline=None)
@given(LINKISH)
def test_generated_text(text: str) -> None:
    _same(text)


def test_the_look_behind_still_rejects_what_precedes() -> None:
    # not vacuous: a letter, "@", "_" or "-" before the first label is no domain start
    for text in ("x@abc.com", "_abc.com", "-abc.com", "1.2.3.4.5/", "9.1.2.3/"):
        assert [m.span() for m in links._DOMAIN.finditer(text)] == [m.span() for m in PLAIN_DOMAIN.finditer(text)]
        assert [m.span() for m in links._IP.finditer(text)] == [m.span() for m in PLAIN_IP.finditer(text)]
    assert links._DOMAIN.search("x@abc.com") is None  # an e-mail address's domain: no label may start there
    assert links._DOMAIN.search("见abc.com").span() == (1, 8)
