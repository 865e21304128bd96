"""Alembic environment: runs on the connection the bot hands it (see database.py)."""

from alembic import context
from sqlmodel import SQLModel

from plugins.charter import tables  # noqa: F401  (registers the tables on the metadata)
from plugins.timing import tables as timing_tables  # noqa: F401  (the timing plugin's receipt lists)

target_metadata = SQLModel.metadata


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("migrations run through plugins.charter.database.migrate()")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
