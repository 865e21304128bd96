"""GroupCommit: writes arriving while one is in flight are written together, each
caller gets its own result, and a failed batch fails each of its callers."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from plugins.charter.group_commit import GroupCommit


class Recorder:
    def __init__(self, fail_on: int | None = None) -> None:
        self.batches: list[list[int]] = []
        self.fail_on = fail_on

    async def run(self, items: Sequence[int]) -> list[int]:
        self.batches.append(list(items))
        await asyncio.sleep(0.01)  # the transaction in flight
        if self.fail_on in items:
            raise ConnectionError("database away")
        return [item * 10 for item in items]


async def test_alone_a_write_goes_at_once_and_concurrent_ones_share_the_next_batch() -> None:
    recorder = Recorder()
    group = GroupCommit(recorder.run)
    assert await group.submit(1) == 10
    results = await asyncio.gather(*(group.submit(n) for n in range(2, 8)))
    assert results == [20, 30, 40, 50, 60, 70]
    # submitted together, before the writer ran: one batch
    assert recorder.batches == [[1], [2, 3, 4, 5, 6, 7]]
    # while a batch is in flight, what arrives waits for the next one
    first = asyncio.ensure_future(group.submit(8))
    await asyncio.sleep(0.001)
    assert await asyncio.gather(first, group.submit(9), group.submit(10)) == [80, 90, 100]
    assert recorder.batches[-2:] == [[8], [9, 10]]


async def test_a_failed_batch_fails_each_of_its_callers_and_the_next_batch_still_runs() -> None:
    recorder = Recorder(fail_on=3)
    group = GroupCommit(recorder.run)
    first = asyncio.ensure_future(group.submit(1))
    await asyncio.sleep(0.001)
    results = await asyncio.gather(first, *(group.submit(n) for n in (2, 3, 4)), return_exceptions=True)
    assert results[0] == 10
    assert all(isinstance(r, ConnectionError) for r in results[1:])  # 2, 3, 4 were one batch
    assert await group.submit(5) == 50


async def test_cancelling_the_writer_leaves_nobody_waiting() -> None:
    started = asyncio.Event()

    async def hang(items: Sequence[int]) -> list[int]:
        started.set()
        await asyncio.sleep(3600)
        return list(items)

    group = GroupCommit(hang)
    waiting = [asyncio.ensure_future(group.submit(n)) for n in range(3)]
    await started.wait()
    assert group._drainer is not None
    group._drainer.cancel()
    for task in waiting:
        with pytest.raises(asyncio.CancelledError):
            await task
