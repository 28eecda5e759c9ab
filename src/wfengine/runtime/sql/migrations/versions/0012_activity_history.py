"""Closed activity instances and the trace leave the instance document (format 3): the
``activity_instances`` rows get the rest of an activity instance's snapshot, and the trace
gets its own table.

Nothing is copied here: a document of format 2 still holds its closed activity instances and
its trace, and its instance's next commit moves them out (see
``wfengine.runtime.sql.document_format``).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

ID = sa.String(200)


def upgrade() -> None:
    with op.batch_alter_table("activity_instances") as batch:
        batch.add_column(sa.Column("iterations", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("mi_index", sa.Integer))
        batch.add_column(sa.Column("work_item_id", ID))
        batch.add_column(sa.Column("subflow_instance_id", ID))
        batch.add_column(sa.Column("incident_id", ID))
    op.create_table(
        "trace_entries",
        sa.Column(
            "instance_id",
            ID,
            sa.ForeignKey("process_instances.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("activity_id", ID, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("trace_entries")
    with op.batch_alter_table("activity_instances") as batch:
        for column in ("incident_id", "subflow_instance_id", "work_item_id", "mi_index"):
            batch.drop_column(column)
        batch.drop_column("iterations")
