"""The audit trail gets the rest of the WfMC common header as columns (process, user, work
item: queries by them are index hits) and a hash chain per instance (each event's hash; the
head on the instance row); the activity-instance mirror what the metrics read; messages a
table of correlation keys.

Rows written before keep no hash (``wfengine audit verify`` reports them as unchained); their
``process_id`` is filled in from their instance, their user and work item stay empty.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_ID = sa.String(200)


def upgrade() -> None:
    # plain ALTER TABLE ... ADD COLUMN: never a table rebuild (see downgrade)
    op.add_column("process_instances", sa.Column("audit_head", sa.String(64)))
    for column in ("process_id", "user_id", "work_item_id"):
        op.add_column("audit_events", sa.Column(column, _ID))
    op.add_column("audit_events", sa.Column("hash", sa.String(64)))
    # what the metrics query reads of each activity instance (older ones: unknown, not late)
    op.add_column("activity_instances", sa.Column("running_at", sa.DateTime(timezone=True)))
    op.add_column(
        "activity_instances",
        sa.Column("late", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.add_column("activity_instances", sa.Column("process_id", _ID))
    op.add_column("activity_instances", sa.Column("performer", _ID))
    op.execute(
        "UPDATE activity_instances SET process_id = (SELECT p.process_id FROM "
        "process_instances p WHERE p.id = activity_instances.instance_id)"
    )
    op.create_index("ix_activity_instances_process_id", "activity_instances", ["process_id"])
    # messages correlated by key (no process declared correlation keys before)
    op.create_table(
        "correlation_keys",
        sa.Column(
            "instance_id",
            _ID,
            sa.ForeignKey("process_instances.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("key", _ID, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_index("ix_correlation_keys_key_value", "correlation_keys", ["key", "value"])
    op.execute(
        "UPDATE audit_events SET process_id = (SELECT p.process_id FROM process_instances p "
        "WHERE p.id = audit_events.instance_id)"
    )
    op.create_index("ix_audit_events_at", "audit_events", ["at"])
    op.create_index("ix_audit_events_process_at", "audit_events", ["process_id", "at"])
    op.create_index("ix_audit_events_user_at", "audit_events", ["user_id", "at"])
    op.create_index("ix_audit_events_kind_at", "audit_events", ["kind", "at"])


def downgrade() -> None:
    op.drop_index("ix_correlation_keys_key_value", "correlation_keys")
    op.drop_table("correlation_keys")
    # plain ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later have it), not a batch: a batch
    # recreates the table on SQLite, and dropping process_instances would cascade to the
    # rows of every table that refers to it
    for name in ("kind_at", "user_at", "process_at", "at"):
        op.drop_index(f"ix_audit_events_{name}", "audit_events")
    for column in ("hash", "work_item_id", "user_id", "process_id"):
        op.drop_column("audit_events", column)
    op.drop_column("process_instances", "audit_head")
    op.drop_index("ix_activity_instances_process_id", "activity_instances")
    op.drop_column("activity_instances", "performer")
    op.drop_column("activity_instances", "process_id")
    op.drop_column("activity_instances", "late")
    op.drop_column("activity_instances", "running_at")
