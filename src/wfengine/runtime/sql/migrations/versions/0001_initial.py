"""The initial schema: deployments, instances and their mirrors, work items, jobs, audit, outbox.

Revision ID: 0001
Revises:
Create Date: 2026-05-09
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(200)
TS = sa.DateTime(timezone=True)


def _instance_fk() -> sa.ForeignKey:
    return sa.ForeignKey("process_instances.id", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "deployments",
        sa.Column("process_id", ID, primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("package_id", ID, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("xpdl", sa.Text, nullable=False),
        sa.Column("xpdl_sha256", sa.String(64), nullable=False),
        sa.Column("deployed_at", TS, nullable=False),
    )
    op.create_table(
        "process_instances",
        sa.Column("id", ID, primary_key=True),
        sa.Column("process_id", ID, nullable=False),
        sa.Column("definition_version", sa.Integer, nullable=False),
        sa.Column("state", sa.String(40), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("audit_seq", sa.Integer, nullable=False),
        sa.Column("parent_instance_id", ID),
        sa.Column("parent_activity_instance_id", ID),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("started_at", TS),
        sa.Column("completed_at", TS),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("state_blob", sa.JSON, nullable=False),
    )
    op.create_index("ix_process_instances_state", "process_instances", ["state"])
    op.create_index("ix_process_instances_process_id", "process_instances", ["process_id"])
    op.create_table(
        "activity_instances",
        sa.Column("id", ID, primary_key=True),
        sa.Column("instance_id", ID, _instance_fk(), nullable=False),
        sa.Column("activity_id", ID, nullable=False),
        sa.Column("state", sa.String(40), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("completed_at", TS),
    )
    op.create_index("ix_activity_instances_instance_id", "activity_instances", ["instance_id"])
    op.create_table(
        "tokens",
        sa.Column("instance_id", ID, _instance_fk(), primary_key=True),
        sa.Column("scope_id", sa.Integer, primary_key=True),
        sa.Column("activity_id", ID, primary_key=True),
        sa.Column("slot", sa.Integer, primary_key=True),
        sa.Column("transition_id", ID, nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("block_activity_instance_id", ID),
    )
    op.create_table(
        "work_items",
        sa.Column("id", ID, primary_key=True),
        sa.Column("instance_id", ID, _instance_fk(), nullable=False),
        sa.Column("activity_instance_id", ID, nullable=False),
        sa.Column("activity_id", ID, nullable=False),
        sa.Column("performers", sa.JSON, nullable=False),
        sa.Column("assignees", sa.JSON, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("completed_at", TS),
        sa.Column("mi_index", sa.Integer),
    )
    op.create_index("ix_work_items_instance_id", "work_items", ["instance_id"])
    op.create_index("ix_work_items_state", "work_items", ["state"])
    op.create_table(
        "jobs",
        sa.Column("id", ID, primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("instance_id", ID, _instance_fk(), nullable=False),
        sa.Column("due_at", TS, nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("lock_owner", sa.String(200)),
        sa.Column("lock_expires_at", TS),
        sa.Column("payload", sa.JSON),
        sa.Column("idempotency_key", sa.String(300)),
    )
    op.create_index("ix_jobs_due_at", "jobs", ["due_at"])
    op.create_index("ix_jobs_instance_id", "jobs", ["instance_id"])
    op.create_table(
        "audit_events",
        sa.Column("instance_id", ID, _instance_fk(), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("activity_instance_id", ID),
        sa.Column("activity_id", ID),
        sa.Column("detail", sa.JSON),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("instance_id", ID, nullable=False),
        sa.Column("payload", sa.JSON),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("dispatched_at", TS),
    )
    op.create_index("ix_outbox_dispatched_at", "outbox", ["dispatched_at"])
    op.create_table(
        "id_blocks",
        sa.Column("kind", sa.String(40), primary_key=True),
        sa.Column("next_value", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "id_blocks",
        "outbox",
        "audit_events",
        "jobs",
        "work_items",
        "tokens",
        "activity_instances",
        "process_instances",
        "deployments",
    ):
        op.drop_table(table)
