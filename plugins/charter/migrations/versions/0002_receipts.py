"""notice receipt lists (timing.notice_receipts)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "receipt_list",
        sa.Column("key", sa.String(300), primary_key=True),
        sa.Column("class_id", sa.String(64), nullable=False),
        sa.Column("group_key", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("closes_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
    )
    op.create_index("ix_receipt_list_group", "receipt_list", ["group_key", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_receipt_list_group", table_name="receipt_list")
    op.drop_table("receipt_list")
