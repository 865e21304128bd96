"""The ladder's pure parts: steps, expiry, and the caps on the bot's own voice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from plugins.charter.config import load_defaults
from plugins.charter.catalogue import LadderSettings
from plugins.charter.ladder import GroupRateLimit, NoticeThrottle, step_for, strike_expiry

T0 = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def ladder() -> LadderSettings:
    return LadderSettings.model_validate(load_defaults(Path("config"))["escalation.ladder"])


@pytest.mark.parametrize(("count", "step"), [(1, "remind"), (2, "notice"), (3, "remove"), (7, "remove")])
def test_default_steps(ladder: LadderSettings, count: int, step: str) -> None:
    assert step_for(count, ladder) == step


def test_a_two_step_ladder_stays_on_its_last_step(ladder: LadderSettings) -> None:
    short = ladder.model_copy(update={"steps": ("remind", "notice")})
    assert [step_for(n, short) for n in (1, 2, 3, 4)] == ["remind", "notice", "notice", "notice"]


def test_strikes_expire_after_the_configured_days(ladder: LadderSettings) -> None:
    assert strike_expiry(T0, ladder) - T0 == timedelta(days=ladder.strike_expiry_days) == timedelta(days=30)


def test_one_public_notice_per_member_per_rule_per_interval() -> None:
    throttle = NoticeThrottle()
    hour = timedelta(hours=1)
    assert throttle.allow("g3c2:p1:content.ads", T0, hour)
    assert not throttle.allow("g3c2:p1:content.ads", T0 + timedelta(minutes=59), hour)
    assert throttle.allow("g3c2:p1:content.links", T0 + timedelta(minutes=1), hour)
    assert throttle.allow("g3c2:p2:content.ads", T0 + timedelta(minutes=1), hour)
    assert throttle.allow("g3c2:p1:content.ads", T0 + timedelta(minutes=61), hour)


def test_the_throttle_stays_bounded() -> None:
    throttle = NoticeThrottle(max_keys=100)
    for n in range(1000):
        throttle.allow(f"k{n}", T0 + timedelta(minutes=n * 2), timedelta(minutes=1))
    assert len(throttle._last) <= 100


def test_the_bot_posts_at_most_n_messages_per_group_per_minute() -> None:
    limit = GroupRateLimit()
    sent = [limit.allow("qq:900001", T0 + timedelta(seconds=s), 6) for s in range(10)]
    assert sent == [True] * 6 + [False] * 4
    assert limit.allow("qq:900002", T0 + timedelta(seconds=9), 6)  # another group has its own budget
    assert limit.allow("qq:900001", T0 + timedelta(seconds=61), 6)  # the window slides
