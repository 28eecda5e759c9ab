"""Work items get one index over (instance_id, state) in place of the one over instance_id:
listing an instance's open items is then one index range, whatever the number of items in
other instances (SQLite picked the state index before).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_work_items_instance_state", "work_items", ["instance_id", "state"])
    op.drop_index("ix_work_items_instance_id", table_name="work_items")


def downgrade() -> None:
    op.create_index("ix_work_items_instance_id", "work_items", ["instance_id"])
    op.drop_index("ix_work_items_instance_state", table_name="work_items")
