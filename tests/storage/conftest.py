"""Storage back ends: SQLite in a temporary file and the PostgreSQL server on 127.0.0.1.

PostgreSQL tests use a schema of their own, dropped afterwards, so they never touch
other data in the `test` database. When the server is not reachable the tests fail:
CI starts it first (.ci/run).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from plugins.charter.database import create_engine, migrate
from plugins.charter.store import Store

PG_URL = os.environ.get("CHARTERBOT_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")


async def pg_engine_in_new_schema():  # type: ignore[no-untyped-def]
    from sqlalchemy.ext.asyncio import create_async_engine

    schema = f"cb_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(PG_URL)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    await admin.dispose()
    engine = create_async_engine(PG_URL, connect_args={"server_settings": {"search_path": schema}})
    return engine, schema


async def drop_schema(schema: str) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    admin = create_async_engine(PG_URL)
    async with admin.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    await admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
async def store(request: pytest.FixtureRequest, tmp_path) -> AsyncIterator[Store]:  # type: ignore[no-untyped-def]
    schema = None
    if request.param == "sqlite":
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'store.db'}")
    else:
        engine, schema = await pg_engine_in_new_schema()
    await migrate(engine)
    try:
        yield Store(engine)
    finally:
        await engine.dispose()
        if schema:
            await drop_schema(schema)
