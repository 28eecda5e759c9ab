"""Process instances get an index in their listing order (created_at, length(id), id), so a
page of ``wfengine instances --limit N --after ID`` is one index range at any size.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_process_instances_listing",
        "process_instances",
        [sa.text("created_at"), sa.text("length(id)"), sa.text("id")],
    )


def downgrade() -> None:
    op.drop_index("ix_process_instances_listing", table_name="process_instances")
