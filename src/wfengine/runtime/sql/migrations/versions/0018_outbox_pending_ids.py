"""``ix_outbox_pending``: the ids of the pending outbox entries (``status = 'pending'``), so
a claim, which takes due entries in id order, walks the pending entries in that order and
stops after a batch. Without it a database either walks the primary key through every
delivered and skipped entry kept for the retention period, or reads every due entry from the
time index and sorts them: delivering a backlog of P entries cost P * P / batch. (On
``status``, not ``next_attempt_at``: the query for the earliest due time keeps the time
index, which holds the same rows.)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    where = sa.text("status = 'pending'")
    op.create_index(
        "ix_outbox_pending", "outbox", ["id"], sqlite_where=where, postgresql_where=where
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_pending", table_name="outbox")
