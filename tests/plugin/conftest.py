"""Plugin tests drive timers themselves (an injected clock and run_due), so the bot's
own background timer loop is stopped: otherwise it races the test for the same timers."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def no_background_timer_loop(nonebug_init: None) -> None:
    from plugins.charter import lifecycle

    lifecycle._stop.set()  # the loop ends at its next wake-up; run_due still works when called
