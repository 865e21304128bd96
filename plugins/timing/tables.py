"""The timing plugin's own table: notice receipt lists, which must survive a restart.

One row per list; the list itself is JSON (receipts.ReceiptList.to_dict) and
`version` makes each update a compare-and-swap, so two bot processes counting
replies to the same notice never lose one. Created by the Alembic migration
plugins/charter/migrations/versions/0002_receipts.py.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from plugins.charter.tables import UtcTimestamp


class ReceiptListRow(SQLModel, table=True):
    __tablename__ = "receipt_list"
    __table_args__ = (Index("ix_receipt_list_group", "group_key", "created_at"),)

    key: str = Field(primary_key=True, max_length=300)  # receipts.receipt_key(group, notice_id)
    class_id: str = Field(max_length=64)
    group_key: str = Field(max_length=200)
    created_at: datetime = Field(sa_type=UtcTimestamp, nullable=False)
    closes_at: datetime = Field(sa_type=UtcTimestamp, nullable=False)
    version: int = 0
    payload: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
