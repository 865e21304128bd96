"""SQLModel tables: what must survive a restart.

Times go in and come out as aware UTC datetimes, stored as plain UTC timestamps so
SQLite and PostgreSQL behave the same. Schema changes go through an Alembic
migration in plugins/charter/migrations.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Index, Text, UniqueConstraint
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcTimestamp(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC out; naive UTC in the database."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def _when(nullable: bool = False) -> Any:
    if nullable:
        return Field(default=None, sa_type=UtcTimestamp, nullable=True)
    return Field(sa_type=UtcTimestamp, nullable=False)


class Strike(SQLModel, table=True):
    __tablename__ = "strike"
    __table_args__ = (
        Index("ix_strike_person", "class_id", "person_key"),
        UniqueConstraint("event_key", name="uq_strike_event"),
    )

    id: int | None = Field(default=None, primary_key=True)
    class_id: str = Field(max_length=64)
    person_key: str = Field(max_length=200)
    account_key: str = Field(max_length=200)
    rule_id: str = Field(max_length=64)
    created_at: datetime = _when()
    expires_at: datetime = _when()
    evidence: str = Field(default="", max_length=200)
    # the message (or manual warning) that caused it: a redelivered event strikes once
    event_key: str = Field(max_length=300)
    source: str = Field(default="auto", max_length=16)  # auto | manual
    issued_by: str = Field(default="", max_length=200)
    pardoned_at: datetime | None = _when(nullable=True)
    pardoned_by: str = Field(default="", max_length=200)


class AuditRecord(SQLModel, table=True):
    __tablename__ = "audit_record"
    __table_args__ = (Index("ix_audit_class_time", "class_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = _when()
    class_id: str = Field(max_length=64)
    platform: str = Field(default="", max_length=16)
    group_id: str = Field(default="", max_length=100)
    rule_id: str = Field(default="", max_length=64)
    account_key: str = Field(default="", max_length=200)
    person_key: str = Field(default="", max_length=200)
    excerpt: str = Field(default="", max_length=200)  # evidence excerpt, never a conversation
    action: str = Field(max_length=32)  # finding | recall | remind_private | ... | command
    ok: bool = True
    shadow: bool = False
    detail: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class PendingDecision(SQLModel, table=True):
    """A decision that waits for a person: removal confirmation, held join request."""

    __tablename__ = "pending_decision"
    __table_args__ = (Index("ix_pending_class_status", "class_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    class_id: str = Field(max_length=64)
    kind: str = Field(max_length=32)  # remove | join
    person_key: str = Field(default="", max_length=200)
    account_key: str = Field(default="", max_length=200)
    group_key: str = Field(default="", max_length=200)
    reason: str = Field(default="", max_length=300)
    flag: str = Field(default="", max_length=200)  # platform handle (join request flag)
    created_at: datetime = _when()
    expires_at: datetime = _when()
    status: str = Field(default="pending", max_length=16)  # pending|approved|rejected|expired
    decided_by: str = Field(default="", max_length=200)
    decided_at: datetime | None = _when(nullable=True)


class Timer(SQLModel, table=True):
    """A persisted timer, claimed row by row so no two processes fire it twice."""

    __tablename__ = "timer"
    __table_args__ = (
        Index("ix_timer_due", "done_at", "due_at"),
        UniqueConstraint("dedupe_key", name="uq_timer_dedupe"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=48)
    class_id: str = Field(max_length=64)
    due_at: datetime = _when()
    payload: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    dedupe_key: str = Field(max_length=300)
    claimed_by: str = Field(default="", max_length=100)
    claimed_until: datetime | None = _when(nullable=True)
    done_at: datetime | None = _when(nullable=True)
    created_at: datetime = _when()


class KnownMember(SQLModel, table=True):
    """Members seen per class: names checked, people who left are remembered."""

    __tablename__ = "known_member"
    __table_args__ = (UniqueConstraint("class_id", "account_key", name="uq_known_member"),)

    id: int | None = Field(default=None, primary_key=True)
    class_id: str = Field(max_length=64)
    account_key: str = Field(max_length=200)
    group_key: str = Field(default="", max_length=200)
    display_name: str = Field(default="", max_length=200)
    person_key: str = Field(default="", max_length=200)
    name_ok: bool = False
    first_seen: datetime = _when()
    last_seen: datetime = _when()
    left_at: datetime | None = _when(nullable=True)


class Marker(SQLModel, table=True):
    """'Done once' markers: one reminder per member per quiet window, and the like."""

    __tablename__ = "marker"

    key: str = Field(primary_key=True, max_length=300)
    created_at: datetime = _when()
    expires_at: datetime = _when()


class PluginMode(SQLModel, table=True):
    """A plugin mode set with /plugin; it wins over the class file until changed again."""

    __tablename__ = "plugin_mode"

    class_id: str = Field(primary_key=True, max_length=64)
    plugin: str = Field(primary_key=True, max_length=32)
    mode: str = Field(max_length=8)
    changed_by: str = Field(default="", max_length=200)
    changed_at: datetime = _when()


class FindingJournal(SQLModel, table=True):
    """Findings written before they are acted on: a redelivered event is recognised,
    and a finding whose process died before acting is carried out after a restart."""

    __tablename__ = "finding_journal"
    __table_args__ = (Index("ix_finding_journal_open", "done_at", "created_at"),)

    event_key: str = Field(primary_key=True, max_length=300)
    class_id: str = Field(max_length=64)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = _when()
    done_at: datetime | None = _when(nullable=True)
    claimed_by: str = Field(default="", max_length=100)
    claimed_until: datetime | None = _when(nullable=True)


ALL_TABLES = (FindingJournal, PluginMode, Strike, AuditRecord, PendingDecision, Timer, KnownMember, Marker)
