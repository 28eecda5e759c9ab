"""The outbox is delivered: each entry gets its delivery state and a lease.

``status`` (pending, delivered, skipped, failed), ``attempts``, ``next_attempt_at`` (NULL once
settled, so its index holds only what may be due), the claim's ``lock_owner`` and
``lock_expires_at``, ``last_error`` and ``settled_at`` replace ``dispatched_at``, which nothing
ever set.

Entries already in a 0002 database were written before anything delivered them, often long
ago: handing a host's new handlers months of old notifications would do more harm than good.
They are settled as *skipped* on upgrade (and pruned with the delivered ones after the
retention period); an operator who wants them delivered can set their ``status`` to
``pending`` and ``next_attempt_at`` to a past time.

Revision ID: 0003
Revises: 0002
Create Date: 2026-05-11
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    from wfengine.runtime.sql.schema import UtcDateTime

    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("status", sa.String(20)))
        batch.add_column(sa.Column("attempts", sa.Integer))
        batch.add_column(sa.Column("next_attempt_at", TS))
        batch.add_column(sa.Column("lock_owner", sa.String(200)))
        batch.add_column(sa.Column("lock_expires_at", TS))
        batch.add_column(sa.Column("last_error", sa.Text))
        batch.add_column(sa.Column("settled_at", TS))
    # the table as it is at this revision (not the current schema: later revisions must not
    # change what this one does)
    outbox = sa.table(
        "outbox",
        sa.column("status", sa.String(20)),
        sa.column("attempts", sa.Integer),
        sa.column("settled_at", UtcDateTime),
    )
    op.get_bind().execute(
        outbox.update().values(status="skipped", attempts=0, settled_at=datetime.now(UTC))
    )
    with op.batch_alter_table("outbox") as batch:
        batch.alter_column("status", existing_type=sa.String(20), nullable=False)
        batch.alter_column("attempts", existing_type=sa.Integer, nullable=False)
        batch.drop_index("ix_outbox_dispatched_at")
        batch.drop_column("dispatched_at")
        batch.create_index("ix_outbox_next_attempt_at", ["next_attempt_at"])
        batch.create_index("ix_outbox_settled_at", ["settled_at"])


def downgrade() -> None:
    """Back to 0002: settled entries keep their time as ``dispatched_at``; what was pending or
    failed is undelivered again (0002 had nothing that delivered)."""
    from wfengine.runtime.sql.schema import UtcDateTime

    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("dispatched_at", TS))
    outbox = sa.table(
        "outbox",
        sa.column("status", sa.String(20)),
        sa.column("settled_at", UtcDateTime),
        sa.column("dispatched_at", UtcDateTime),
    )
    op.get_bind().execute(
        outbox.update()
        .where(outbox.c.status.in_(("delivered", "skipped")))
        .values(dispatched_at=outbox.c.settled_at)
    )
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_settled_at")
        batch.drop_index("ix_outbox_next_attempt_at")
        for name in (
            "settled_at",
            "last_error",
            "lock_expires_at",
            "lock_owner",
            "next_attempt_at",
            "attempts",
            "status",
        ):
            batch.drop_column(name)
        batch.create_index("ix_outbox_dispatched_at", ["dispatched_at"])
