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
bot from 2.29 to 1.78 CPU s for 3,001 messages (docs/performance.md). In a burst
NoneBot's adapter makes a task for every frame the socket holds before any runs
(about 4,000 events in flight), and each young collection walks them: 100,000
rather than 20,000 took the charter bot from 306 – 310 to 267 – 275 µs of CPU a
message over a 10,000-message burst (the bare bot, which uses this module too,
from 222 – 228 to 209 – 215).

Memory that Python frees goes back to the C allocator, which keeps the pages:
a burst of events in flight leaves tens of megabytes resident that no object
uses. `trim()` hands those pages back to the system (glibc's malloc_trim); the
timer loop calls it once a housekeeping sweep (timers.py). With 10,000 groups it
took the resident size after 60,000 first messages from 356 to 314 MB.
"""

from __future__ import annotations

import ctypes
import gc
from collections.abc import Callable

GEN0_THRESHOLD = 100_000  # allocations between young collections (default 700)
OLDER_THRESHOLDS = (20, 20)  # young collections per middle one, middle per full (default 10, 10)


def settle() -> None:
    """Collect what start-up left behind, then freeze the rest (call once it is built)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GEN0_THRESHOLD, *OLDER_THRESHOLDS)
    trim()


def _find_malloc_trim() -> Callable[[int], int] | None:
    try:
        function = ctypes.CDLL(None).malloc_trim  # glibc only (not musl, macOS or Windows)
    except (OSError, AttributeError, TypeError):
        return None
    function.argtypes = [ctypes.c_size_t]
    function.restype = ctypes.c_int
    return function  # type: ignore[no-any-return]


_malloc_trim = _find_malloc_trim()


def trim() -> bool:
    """Return the C heap's free pages to the system; False where the C library has no
    malloc_trim (nothing to do there: its allocator decides alone)."""
    if _malloc_trim is None:
        return False
    _malloc_trim(0)
    return True


def resettle() -> None:
    """After a configuration reload: the replaced configuration may be garbage now."""
    gc.unfreeze()
    settle()
