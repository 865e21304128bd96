"""The group-commit writer's transactions on SQLite, run straight on the driver's connection.

Under SQLAlchemy's async engine every statement of a write passes through its
execution machinery and a greenlet switch (`AsyncConnection.execute`), and so do the
transaction's begin, commit and close: about 280 µs of CPU for one journal entry
written alone, of which SQLite's own work is about 30 µs (docs/performance.md). Every
violation writes three such transactions (its journal entry, its strike, its close).

Here a batch of the writer's lanes (group_commit.SharedCommit) runs as one
transaction on the sqlite3 connection that SQLAlchemy's pool hands out
(sqlite_inline.py runs it on the event loop's thread): the same Core statements,
compiled once for SQLite by SQLAlchemy, their parameters and results converted by
the columns' own types, and the columns' Python defaults filled in as SQLAlchemy
would. Only the pool's checkout and checkin pass through SQLAlchemy, so the pool
still hands the one connection to one user at a time. PostgreSQL keeps SQLAlchemy's
path. tests/storage/test_sqlite_direct.py runs every lane both ways and compares.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections import namedtuple
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util import greenlet_spawn

from .sqlite_inline import InlineConnection

Processor = Callable[[Any], Any]
PREPARED_KEPT = 256


class DirectResult:
    """The part of SQLAlchemy's Result that the writer's lanes read."""

    __slots__ = ("_rows",)

    def __init__(self, rows: list[Any]) -> None:
        self._rows = rows

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows)

    def all(self) -> list[Any]:
        return self._rows

    def scalars(self) -> list[Any]:
        return [row[0] for row in self._rows]

    def scalar_one(self) -> Any:
        if len(self._rows) != 1:
            raise ValueError(f"expected one row, got {len(self._rows)}")
        return self._rows[0][0]


class _Prepared:
    """One statement compiled for SQLite with one set of parameter names."""

    __slots__ = ("statement", "compiled", "sql", "names", "processors", "order", "defaults", "generated",
                 "expanding", "row", "results")

    def __init__(self, statement: Any, dialect: Dialect, keys: Sequence[str] | None) -> None:
        self.statement = statement  # kept: the cache is keyed by its id
        compiled = statement.compile(dialect=dialect, column_keys=list(keys) if keys is not None else None)
        self.compiled = compiled
        self.sql: str = compiled.string
        self.names: tuple[str, ...] = tuple(compiled.positiontup or ())
        self.expanding = any(bind.expanding for bind in compiled.binds.values())
        self.processors: dict[str, Processor] = {}
        for name, bind in compiled.binds.items():
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                self.processors[name] = processor
        self.order = tuple((name, self.processors.get(name)) for name in self.names)  # without expansion
        # literal values in the statement (a CASE's '') go in as binds of their own
        self.defaults: dict[str, Any] = {name: bind.effective_value for name, bind in compiled.binds.items()
                                         if bind.value is not None or bind.callable is not None}
        # columns left out of an INSERT's (or UPDATE's) values that have a default in
        # Python: SQLAlchemy fills them in at execution, a value as it is and a function
        # called for each row (with no execution context: there is none here)
        self.generated: dict[str, Callable[[Any], Any]] = {}
        for column in (*compiled.insert_prefetch, *compiled.update_prefetch):
            default = column.default if compiled.isinsert else column.onupdate
            if default.is_callable:
                self.generated[column.key] = default.arg
            else:
                self.defaults[column.key] = default.arg
        columns = list(statement.exported_columns)  # a SELECT's columns, or RETURNING's (else none)
        self.row = namedtuple("Row", [column.key for column in columns], rename=True) if columns else None  # type: ignore[misc]
        self.results: tuple[Processor | None, ...] = tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns)

    def bind(self, parameters: dict[str, Any] | None) -> tuple[str, tuple[Any, ...]]:
        """The SQL and its positional parameters for one parameter set."""
        values = {**self.defaults, **parameters} if self.defaults else (parameters or {})
        if self.generated:
            values = {**{key: make(None) for key, make in self.generated.items() if key not in values}, **values}
        if not self.expanding:
            return self.sql, tuple([values[name] if process is None else process(values[name])
                                    for name, process in self.order])
        state = self.compiled.construct_expanded_state(values)
        processors = {**self.processors, **state.processors} if state.processors else self.processors
        values = state.parameters
        return state.statement, tuple([processors[name](values[name]) if name in processors else values[name]
                                       for name in state.positiontup or ()])

    def rows(self, fetched: list[tuple[Any, ...]]) -> list[Any]:
        row, results = self.row, self.results
        if row is None:
            return []
        if not any(results):
            return [row._make(values) for values in fetched]
        return [row._make([value if process is None else process(value) for process, value in zip(results, values)])
                for values in fetched]


class DirectConnection:
    """The part of SQLAlchemy's AsyncConnection the writer's lanes use (`execute` with
    one parameter set or a list of them), on a sqlite3 connection in a transaction."""

    def __init__(self, sqlite: sqlite3.Connection, dialect: Dialect, prepared: dict[tuple[int, Any], _Prepared]):
        self._sqlite = sqlite
        self._dialect = dialect
        self._prepared = prepared

    def _prepare(self, statement: Any, parameters: dict[str, Any] | None) -> _Prepared:
        keys = tuple(parameters) if parameters is not None and (statement.is_insert or statement.is_update) else None
        found = self._prepared.get((id(statement), keys))
        if found is None or found.statement is not statement:
            if len(self._prepared) >= PREPARED_KEPT:  # the lanes' statements are built once: a few dozen
                self._prepared.clear()
            found = self._prepared[(id(statement), keys)] = _Prepared(statement, self._dialect, keys)
        return found

    async def execute(self, statement: Any, parameters: dict[str, Any] | list[dict[str, Any]] | None = None
                      ) -> DirectResult:
        if isinstance(parameters, list):
            if not parameters:
                return DirectResult([])
            prepared = self._prepare(statement, parameters[0])
            if prepared.row is None and not prepared.expanding:
                # no rows to read back: one executemany (every row has the same names)
                self._sqlite.executemany(prepared.sql, [prepared.bind(values)[1] for values in parameters])
                return DirectResult([])
            fetched: list[tuple[Any, ...]] = []
            for values in parameters:  # RETURNING a row each: sqlite3's executemany reads none back
                sql, bound = prepared.bind(values)
                fetched += self._sqlite.execute(sql, bound).fetchall()
            return DirectResult(prepared.rows(fetched))
        prepared = self._prepare(statement, parameters)
        sql, bound = prepared.bind(parameters)
        return DirectResult(prepared.rows(self._sqlite.execute(sql, bound).fetchall()))


class DirectTransactions:
    """Opens the writer's transactions on SQLite's driver connection (see the module)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._prepared: dict[tuple[int, Any], _Prepared] = {}

    @contextlib.asynccontextmanager
    async def begin(self) -> AsyncIterator[DirectConnection]:
        pooled = await self._engine.raw_connection()
        try:
            driver = pooled.driver_connection
            if not isinstance(driver, InlineConnection):
                raise TypeError(f"the direct path needs sqlite_inline's connection, not {type(driver).__name__}")
            sqlite = driver.sqlite
            # the batch's reads and writes as one, the write lock taken at once (the pool
            # rolled back whatever its last user left open)
            sqlite.execute("BEGIN IMMEDIATE")
            try:
                yield DirectConnection(sqlite, self._engine.dialect, self._prepared)
            except BaseException:
                sqlite.rollback()
                raise
            sqlite.commit()
        finally:
            await greenlet_spawn(pooled.close)  # the checkin resets through the async adapter
