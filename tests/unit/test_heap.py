"""The long-lived heap is frozen after start-up, and a configuration replaced by a
reload is still collected (a frozen cycle would otherwise stay for good)."""

from __future__ import annotations

import gc
import weakref

from plugins.charter import heap


class Config:  # stands in for a class configuration: objects that refer to each other
    def __init__(self) -> None:
        self.me = self


def test_settle_freezes_what_exists_and_resettle_collects_a_replaced_config() -> None:
    thresholds = gc.get_threshold()
    try:
        old = Config()
        gone = weakref.ref(old)
        heap.settle()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (heap.GEN0_THRESHOLD, *heap.OLDER_THRESHOLDS)
        del old
        gc.collect()
        assert gone() is not None  # frozen: a plain collection leaves the cycle alone
        heap.resettle()
        assert gone() is None and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def resident_kb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def test_trim_gives_freed_pages_back_to_the_system() -> None:
    # 40 MB in blocks too big for Python's small-object allocator, so the C heap holds
    # them; one block made after them keeps the heap from shrinking by itself when
    # they are freed, as the long-lived objects made during a busy spell do
    blocks = [bytearray(1024) for _ in range(40_000)]
    pin = bytearray(1024)
    del blocks
    freed = resident_kb()
    assert heap.trim(), "this C library has no malloc_trim (CI runs on glibc)"
    assert resident_kb() < freed - 20_000
    del pin
