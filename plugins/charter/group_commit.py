"""Group commit: writes that arrive while one is in flight go to the database together.

Every finding writes its journal entry before acting and closes it afterwards, each
a transaction of its own. Under load many findings are in flight at once, and each
transaction costs far more (its commit, the connection's round trip through the
pool) than its rows do. A writer runs one batch at a time: the first write goes at
once, alone, and whatever arrives meanwhile waits for the next batch. Each caller
still awaits its own write's result, after its commit, so nothing is acted on before
it is durable; a failed batch raises in every caller of it, as a failed single
write would.

`SharedCommit` is one writer for several kinds of writes (its lanes: journal
entries, strikes, audit rows...): what is pending in every lane goes in one
transaction, each lane's rows by its own statements. Should that transaction fail,
each lane's batch is tried again in a transaction of its own, so that one kind's
failure fails only its own callers. `GroupCommit` is a writer with one lane and no
shared transaction (its batch function opens its own, or only reads).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MAX_BATCH = 500  # rows in one statement: well under SQLite's and asyncpg's parameter limits

Waiting = list[tuple[Any, asyncio.Future[Any]]]


class Lane(Generic[Item, Result]):
    """One kind of write of a SharedCommit; `write(connection, items)` answers one
    result per item, in order, inside the transaction the writer holds."""

    def __init__(self, writer: SharedCommit,
                 write: Callable[[Any, Sequence[Item]], Awaitable[Sequence[Result]]]) -> None:
        self._writer = writer
        self.write = write
        self.pending: Waiting = []

    async def submit(self, item: Item) -> Result:
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self.pending.append((item, future))
        self._writer.wake()
        return await future

    def take(self) -> Waiting:
        batch, self.pending = self.pending[:MAX_BATCH], self.pending[MAX_BATCH:]
        return batch


class SharedCommit:
    def __init__(self, transaction: Callable[[], AbstractAsyncContextManager[Any]] | None = None) -> None:
        """`transaction()` opens the transaction a batch runs in (None: the lanes' own)."""
        self._transaction = transaction or (lambda: contextlib.nullcontext())
        self._lanes: list[Lane[Any, Any]] = []
        self._drainer: asyncio.Task[None] | None = None

    def lane(self, write: Callable[[Any, Sequence[Item]], Awaitable[Sequence[Result]]]) -> Lane[Item, Result]:
        lane: Lane[Item, Result] = Lane(self, write)
        self._lanes.append(lane)
        return lane

    def wake(self) -> None:
        if self._drainer is None or self._drainer.done():
            self._drainer = asyncio.get_running_loop().create_task(self._drain())

    async def _drain(self) -> None:
        while True:
            taken = [(lane, lane.take()) for lane in self._lanes if lane.pending]
            if not taken:
                return
            try:
                await self._write(taken)
            except BaseException as exc:  # cancelled (shutdown): nobody is left waiting forever
                for _, batch in taken:
                    _fail(batch, exc)
                for lane in self._lanes:
                    _fail(lane.pending, exc)
                    lane.pending = []
                raise

    async def _write(self, taken: list[tuple[Lane[Any, Any], Waiting]]) -> None:
        try:
            async with self._transaction() as connection:
                results = [await lane.write(connection, [item for item, _ in batch]) for lane, batch in taken]
        except Exception as exc:
            if len(taken) == 1:  # every caller of the batch sees the failure
                _fail(taken[0][1], exc)
                return
            for lane, batch in taken:  # one kind's failure must not fail the others' callers
                await self._write([(lane, batch)])
            return
        for (_, batch), answers in zip(taken, results, strict=True):
            for (_, future), answer in zip(batch, answers, strict=True):
                if not future.done():
                    future.set_result(answer)


class GroupCommit(Generic[Item, Result]):
    """A writer of one kind: `run_batch(items)` opens its own transaction (or only reads)."""

    def __init__(self, run_batch: Callable[[Sequence[Item]], Awaitable[Sequence[Result]]]) -> None:
        self._writer = SharedCommit()
        self._lane: Lane[Item, Result] = self._writer.lane(lambda _, items: run_batch(items))

    async def submit(self, item: Item) -> Result:
        return await self._lane.submit(item)

    @property
    def _drainer(self) -> asyncio.Task[None] | None:
        return self._writer._drainer


def _fail(waiting: Waiting, exc: BaseException) -> None:
    for _, future in waiting:
        if not future.done():
            future.set_exception(exc)
