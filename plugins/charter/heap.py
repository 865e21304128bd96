"""The long-lived heap out of the garbage collector's way.

After start-up the bot holds a few hundred thousand long-lived objects (every
class's configuration, rosters, automata, NoneBot's own state) that never become
garbage, and Python's full collections walk all of them again and again under load
(about 150 ms each with 200 classes). `gc.freeze()` moves them to a generation the
collector does not scan; objects made later are collected as usual.

Each event allocates a few thousand short-lived objects (NoneBot's event model,
its tasks, our message and findings), nearly all freed by reference counting; at
the default threshold (700) a young collection ran every few events. A higher one
(GEN0_THRESHOLD) lets reference counting do that work; cyclic garbage waits a little
longer, a few megabytes at most. End to end at saturation this took the charter
bot from 2.29 to 1.78 CPU s for 3,001 messages (docs/performance.md).
"""

from __future__ import annotations

import gc

GEN0_THRESHOLD = 20_000  # allocations between young collections (default 700)
OLDER_THRESHOLDS = (20, 20)  # young collections per middle one, middle per full (default 10, 10)


def settle() -> None:
    """Collect what start-up left behind, then freeze the rest (call once it is built)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GEN0_THRESHOLD, *OLDER_THRESHOLDS)


def resettle() -> None:
    """After a configuration reload: the replaced configuration may be garbage now."""
    gc.unfreeze()
    settle()
