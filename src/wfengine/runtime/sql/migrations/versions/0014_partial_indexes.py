"""Four indexes leave out the rows where their column is NULL: an audit event's user (most
events are the engine's own), an outbox entry's next attempt (NULL once settled) and its
settling time (NULL while pending), a work item's holder (NULL while only offered).

Both databases index NULLs, so every commit wrote an entry for each of its audit events into
the user index, and for each outbox entry into both of the outbox's, that no query reads:
every query that uses them compares the column with a value. Partial indexes are rebuilt from
the table's rows, so existing databases lose nothing.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

#: (index, table, columns, the column that must be set)
_INDEXES = (
    ("ix_audit_events_user_at", "audit_events", ["user_id", "at"], "user_id"),
    ("ix_outbox_next_attempt_at", "outbox", ["next_attempt_at"], "next_attempt_at"),
    ("ix_outbox_settled_at", "outbox", ["settled_at"], "settled_at"),
    ("ix_work_items_holder", "work_items", ["holder"], "holder"),
)


def upgrade() -> None:
    for name, table, columns, column in _INDEXES:
        where = sa.text(f"{column} IS NOT NULL")
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns, sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    for name, table, columns, _ in _INDEXES:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns)
