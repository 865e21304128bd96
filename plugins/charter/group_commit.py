"""Group commit: writes that arrive while one is in flight go to the database together.

Every finding writes its journal entry before acting and closes it afterwards, each
a transaction of its own. Under load many findings are in flight at once, and each
transaction costs far more in the driver (a round trip to aiosqlite's thread, the
commit) than its rows do. A `GroupCommit` runs one batch at a time: the first write
goes at once, alone, and whatever arrives meanwhile waits for the next batch,
which `run_batch` writes in one transaction. Each caller still awaits its own
write's result, after its commit, so nothing is acted on before it is durable; a
failed batch raises in every caller of it, as a failed single write would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MAX_BATCH = 500  # rows in one statement: well under SQLite's and asyncpg's parameter limits


class GroupCommit(Generic[Item, Result]):
    def __init__(self, run_batch: Callable[[Sequence[Item]], Awaitable[Sequence[Result]]]) -> None:
        self._run_batch = run_batch
        self._pending: list[tuple[Item, asyncio.Future[Result]]] = []
        self._drainer: asyncio.Task[None] | None = None

    async def submit(self, item: Item) -> Result:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Result] = loop.create_future()
        self._pending.append((item, future))
        if self._drainer is None or self._drainer.done():
            self._drainer = loop.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
            try:
                results = await self._run_batch([item for item, _ in batch])
            except Exception as exc:  # every caller of the batch sees the failure
                _fail(batch, exc)
                continue
            except BaseException as exc:  # cancelled (shutdown): nobody is left waiting forever
                _fail(batch + self._pending, exc)
                self._pending = []
                raise
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)


def _fail(waiting: list[tuple[object, asyncio.Future]], exc: BaseException) -> None:  # type: ignore[type-arg]
    for _, future in waiting:
        if not future.done():
            future.set_exception(exc)
