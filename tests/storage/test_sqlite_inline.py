"""SQLite's calls run on the event loop's thread (plugins/charter/sqlite_inline.py) and
still behave as a database must: errors, rollbacks, another process's lock."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError

from plugins.charter.database import create_engine


@pytest.fixture
def db_path(tmp_path):  # type: ignore[no-untyped-def]
    return tmp_path / "inline.db"


async def test_statements_run_on_the_event_loops_thread(db_path) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(f"sqlite+aiosqlite:///{db_path}")

    @event.listens_for(engine.sync_engine, "connect")
    def _thread_probe(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.create_function("thread_id", 0, threading.get_ident)

    try:
        async with engine.connect() as connection:
            ran_on = (await connection.execute(text("SELECT thread_id()"))).scalar_one()
            mode = (await connection.execute(text("PRAGMA journal_mode"))).scalar_one()
    finally:
        await engine.dispose()
    assert ran_on == threading.get_ident()
    assert mode == "wal"  # the pragmas of database.py still apply


async def test_a_failed_transaction_raises_and_leaves_nothing(db_path) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(f"sqlite+aiosqlite:///{db_path}")
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE marker (key TEXT PRIMARY KEY)"))
            await connection.execute(text("INSERT INTO marker VALUES ('a')"))
        with pytest.raises(IntegrityError):
            async with engine.begin() as connection:
                await connection.execute(text("INSERT INTO marker VALUES ('b')"))
                await connection.execute(text("INSERT INTO marker VALUES ('a')"))
        async with engine.connect() as connection:
            keys = (await connection.execute(text("SELECT key FROM marker ORDER BY key"))).scalars().all()
    finally:
        await engine.dispose()
    assert keys == ["a"]  # 'b' was rolled back with the failed transaction


async def test_a_write_waits_for_another_processes_lock(db_path) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(f"sqlite+aiosqlite:///{db_path}")
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE marker (key TEXT PRIMARY KEY)"))
        other = sqlite3.connect(db_path, check_same_thread=False, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # e.g. a CLI command writing to the same file
        threading.Timer(0.3, other.execute, ("COMMIT",)).start()
        began = time.perf_counter()
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO marker VALUES ('after the lock')"))
        waited = time.perf_counter() - began
        other.close()
        async with engine.connect() as connection:
            keys = (await connection.execute(text("SELECT key FROM marker"))).scalars().all()
    finally:
        await engine.dispose()
    assert keys == ["after the lock"] and waited >= 0.25
