"""GroupCommit: writes arriving while one is in flight are written together, each
caller gets its own result, and a failed batch fails each of its callers."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from plugins.charter.group_commit import GroupCommit, SharedCommit


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


class Transactions:
    """A stand-in for engine.begin(): records each transaction's lanes and its end."""

    def __init__(self) -> None:
        self.log: list[str] = []

    def __call__(self):  # type: ignore[no-untyped-def]
        log = self.log

        class Transaction:
            async def __aenter__(self) -> list[str]:
                log.append("begin")
                return log

            async def __aexit__(self, kind, *_: object) -> None:  # type: ignore[no-untyped-def]
                log.append("rollback" if kind else "commit")

        return Transaction()


def lane_writer(name: str, fail_on: int | None = None):  # type: ignore[no-untyped-def]
    async def write(connection: list[str], items: Sequence[int]) -> list[str]:
        connection.append(f"{name}{list(items)}")
        await asyncio.sleep(0.01)
        if fail_on in items:
            raise ConnectionError(f"{name} refused")
        return [f"{name}{item}" for item in items]
    return write


async def test_several_kinds_pending_together_share_one_transaction() -> None:
    transactions = Transactions()
    writer = SharedCommit(transactions)
    journal, strikes = writer.lane(lane_writer("j")), writer.lane(lane_writer("s"))
    assert await journal.submit(1) == "j1"  # alone, at once
    got = await asyncio.gather(strikes.submit(2), journal.submit(3), strikes.submit(4))
    assert got == ["s2", "j3", "s4"]
    assert transactions.log == ["begin", "j[1]", "commit", "begin", "j[3]", "s[2, 4]", "commit"]


async def test_one_kinds_failure_fails_only_its_callers() -> None:
    transactions = Transactions()
    writer = SharedCommit(transactions)
    journal, strikes = writer.lane(lane_writer("j", fail_on=3)), writer.lane(lane_writer("s"))
    got = await asyncio.gather(journal.submit(3), strikes.submit(2), return_exceptions=True)
    assert isinstance(got[0], ConnectionError) and got[1] == "s2"
    # the shared transaction was rolled back; each kind then went alone
    assert transactions.log == ["begin", "j[3]", "rollback", "begin", "j[3]", "rollback",
                                "begin", "s[2]", "commit"]
    assert await journal.submit(5) == "j5"  # the writer goes on
