"""The async engine and Alembic migrations, applied at start.

SQLite in the bot's data directory by default; any SQLAlchemy URL through
CHARTERBOT_DATABASE_URL (PostgreSQL: postgresql+asyncpg://...).
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from .sqlite_inline import inline_connector

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
ENV_DATABASE_URL = "CHARTERBOT_DATABASE_URL"


def database_url(data_dir: Path) -> str:
    configured = os.environ.get(ENV_DATABASE_URL, "").strip()
    if configured:
        return normalise_url(configured)
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite+aiosqlite:///{(data_dir / 'charterbot.db').as_posix()}"


def normalise_url(url: str) -> str:
    """Accept plain postgresql:// and sqlite:// URLs and pick the async drivers."""
    parsed = make_url(url)
    driver = {"postgresql": "postgresql+asyncpg", "postgres": "postgresql+asyncpg", "sqlite": "sqlite+aiosqlite"}
    if parsed.drivername in driver:
        parsed = parsed.set(drivername=driver[parsed.drivername])
    return parsed.render_as_string(hide_password=False)


SECRET_QUERY_KEYS = ("password", "passwd", "pwd", "passfile", "sslpassword")


def redacted(url: str) -> str:
    """The URL with its password hidden, for logs and error messages: in the user part,
    and in the query (asyncpg also takes ?password=); a URL that does not parse at all
    is not shown."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError, TypeError):
        return "<database URL that does not parse>"
    secret = [key for key in parsed.query if key.lower() in SECRET_QUERY_KEYS]
    if secret:
        parsed = parsed.update_query_dict({key: "***" for key in secret})
    return parsed.render_as_string(hide_password=True)


def create_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        # SQLite has one writer: one connection, handed out in turn, instead of several
        # that sleep in lock waits under load (measured in bench/e2e_load.py: 1.8x the
        # throughput at half the memory)
        # SQLite's calls run on the event loop's thread, not aiosqlite's (sqlite_inline.py)
        engine = create_async_engine(url, async_creator=inline_connector(make_url(url), timeout=30),
                                     pool_size=1, max_overflow=0, pool_timeout=300)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    parsed = make_url(url)
    connect_args = {}
    schema = parsed.query.get("search_path")
    if schema:  # a PostgreSQL schema of its own: ?search_path=NAME (tests, several bots in one database)
        parsed = parsed.difference_update_query(["search_path"])
        connect_args["server_settings"] = {"search_path": str(schema)}
    return create_async_engine(parsed, pool_pre_ping=True, pool_size=5, max_overflow=5, connect_args=connect_args)


def _upgrade(connection: Connection) -> None:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def migrate(engine: AsyncEngine) -> None:
    """Bring the schema to the newest revision; safe to run from several processes."""
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # one process migrates at a time; the others wait, then find nothing to do
            from sqlalchemy import text

            await connection.execute(text("SELECT pg_advisory_xact_lock(727274001)"))
        await connection.run_sync(_upgrade)
