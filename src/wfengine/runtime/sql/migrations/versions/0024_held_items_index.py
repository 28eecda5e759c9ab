"""A user's held work items are one index range in worklist order: ``ix_work_items_held``
``(holder, created_at, id)`` over the open held items only (``holder IS NOT NULL AND state
IN ('allocated', 'started')``), in place of ``ix_work_items_holder`` ``(holder)``.

A work item keeps its holder once completed, so a page of a user's worklist read, through
``ix_work_items_holder``, every item the user ever held, kept the open ones and sorted them:
its time grew with the user's history (20,000 completed items: 34 times a fresh user's).
The worklist's query writes the same states as this index's predicate, so both SQLite and
PostgreSQL read its first ``limit`` entries of the user and stop. Every other query that read
the old index (the items people hold, per process: ``metrics_sql``) asks for the same open
held items, which this index serves. Indexes are rebuilt from the table's rows, so existing
databases lose nothing.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    held = sa.text("holder IS NOT NULL AND state IN ('allocated', 'started')")
    op.create_index(
        "ix_work_items_held",
        "work_items",
        ["holder", "created_at", "id"],
        sqlite_where=held,
        postgresql_where=held,
    )
    op.drop_index("ix_work_items_holder", table_name="work_items")


def downgrade() -> None:
    where = sa.text("holder IS NOT NULL")
    op.create_index(
        "ix_work_items_holder",
        "work_items",
        ["holder"],
        sqlite_where=where,
        postgresql_where=where,
    )
    op.drop_index("ix_work_items_held", table_name="work_items")
