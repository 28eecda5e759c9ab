"""``activity_instances.mi_parent_id``: a multi-instance activity's instance names its
container, so the metrics and the worklist give each instance its own container's deadline
(two containers of one activity can be open at once: parallel branches, a loop back). Rows
written before stay NULL: the metrics fall back to the container created last before them.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("activity_instances") as batch:
        batch.add_column(sa.Column("mi_parent_id", sa.String(200)))


def downgrade() -> None:
    with op.batch_alter_table("activity_instances") as batch:
        batch.drop_column("mi_parent_id")
