"""Blind probes 57 and 58: their abuse and banned misses and their banned and leave false
positives, fixed by kind, with the previous round's risks that proved real (a friend greeted
as 老家伙, explosives in Nobel's story, a banned term told against by 反对, a pipe burst before
a notice read as a school bombed). Each fix is tested beside the ordinary message nearest it,
which shares its words and must stay unflagged; the violations are of the same kinds in
other words than the probes'."""

from __future__ import annotations

import pytest

from test_content_detectors import _told_apart


@pytest.mark.parametrize(("ordinary", "asked"), [
    # a pickup by someone else, the gate told; with an appointment or an hour of lessons it is
    # a fetch in school time
    ("今天下午外婆来接，已经跟门卫说好了", "孩子下午要去医院拔牙，外婆来接，麻烦跟门卫说一声"),
    ("周五爷爷来接孩子，跟门卫说一声哈", "周五下午两点爷爷来接孩子去考级，跟门卫说一声哈"),
    # the probe's pickup beside the probe's illness kept home, which stays a leave notice
    ("今天下午奶奶来接，已经跟门卫说了", "孩子发烧了，今天在家休息一天"),
])
def test_probe57_leave_pickup_by_kin_and_its_neighbours(ordinary: str, asked: str) -> None:
    _told_apart("content.leave_requests", ordinary, asked)
