"""initial schema: strikes, audit log, pending decisions, timers, known members

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "strike",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("class_id", sa.String(64), nullable=False),
        sa.Column("person_key", sa.String(200), nullable=False),
        sa.Column("account_key", sa.String(200), nullable=False),
        sa.Column("rule_id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("evidence", sa.String(200), nullable=False),
        sa.Column("event_key", sa.String(300), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("issued_by", sa.String(200), nullable=False),
        sa.Column("pardoned_at", sa.DateTime(), nullable=True),
        sa.Column("pardoned_by", sa.String(200), nullable=False),
        sa.UniqueConstraint("event_key", name="uq_strike_event"),
    )
    op.create_index("ix_strike_person", "strike", ["class_id", "person_key"])
    op.create_table(
        "audit_record",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("class_id", sa.String(64), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("group_id", sa.String(100), nullable=False),
        sa.Column("rule_id", sa.String(64), nullable=False),
        sa.Column("account_key", sa.String(200), nullable=False),
        sa.Column("person_key", sa.String(200), nullable=False),
        sa.Column("excerpt", sa.String(200), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("shadow", sa.Boolean(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
    )
    op.create_index("ix_audit_class_time", "audit_record", ["class_id", "created_at"])
    op.create_table(
        "pending_decision",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("class_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("person_key", sa.String(200), nullable=False),
        sa.Column("account_key", sa.String(200), nullable=False),
        sa.Column("group_key", sa.String(200), nullable=False),
        sa.Column("reason", sa.String(300), nullable=False),
        sa.Column("flag", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_pending_class_status", "pending_decision", ["class_id", "status"])
    op.create_table(
        "timer",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(48), nullable=False),
        sa.Column("class_id", sa.String(64), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("dedupe_key", sa.String(300), nullable=False),
        sa.Column("claimed_by", sa.String(100), nullable=False),
        sa.Column("claimed_until", sa.DateTime(), nullable=True),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("dedupe_key", name="uq_timer_dedupe"),
    )
    op.create_index("ix_timer_due", "timer", ["done_at", "due_at"])
    op.create_table(
        "known_member",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("class_id", sa.String(64), nullable=False),
        sa.Column("account_key", sa.String(200), nullable=False),
        sa.Column("group_key", sa.String(200), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("person_key", sa.String(200), nullable=False),
        sa.Column("name_ok", sa.Boolean(), nullable=False),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.Column("left_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("class_id", "account_key", name="uq_known_member"),
    )
    op.create_table(
        "finding_journal",
        sa.Column("event_key", sa.String(300), primary_key=True),
        sa.Column("class_id", sa.String(64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("claimed_by", sa.String(100), nullable=False),
        sa.Column("claimed_until", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_finding_journal_open", "finding_journal", ["done_at", "created_at"])
    op.create_table(
        "plugin_mode",
        sa.Column("class_id", sa.String(64), primary_key=True),
        sa.Column("plugin", sa.String(32), primary_key=True),
        sa.Column("mode", sa.String(8), nullable=False),
        sa.Column("changed_by", sa.String(200), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "marker",
        sa.Column("key", sa.String(300), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    for table in ("finding_journal", "plugin_mode", "marker", "known_member", "timer", "pending_decision", "audit_record", "strike"):
        op.drop_table(table)
