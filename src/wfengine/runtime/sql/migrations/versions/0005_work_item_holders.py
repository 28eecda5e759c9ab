"""Work items get their life cycle: who holds one, who delegated it, when it was started.

``holder`` (indexed: "my work" is a query by holder), ``owner`` and ``started_at`` are NULL
for the items already stored, which were only ever offered, completed or cancelled.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ID = sa.String(200)
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("work_items") as batch:
        batch.add_column(sa.Column("holder", ID))
        batch.add_column(sa.Column("owner", ID))
        batch.add_column(sa.Column("started_at", TS))
        batch.create_index("ix_work_items_holder", ["holder"])


def downgrade() -> None:
    with op.batch_alter_table("work_items") as batch:
        batch.drop_index("ix_work_items_holder")
        batch.drop_column("started_at")
        batch.drop_column("owner")
        batch.drop_column("holder")
