"""A worklist index: who each offered work item is offered to.

One row per assignee of an item while it is offered (unclaimed), keyed (user, created_at,
item) so that a user's worklist is an index range scan in creation order. Filled from the
offered items already stored.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ID = sa.String(200)
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "work_item_offers",
        sa.Column("user_id", ID, primary_key=True),
        sa.Column("created_at", TS, primary_key=True),
        sa.Column("work_item_id", ID, primary_key=True),
    )
    op.create_index("ix_work_item_offers_work_item_id", "work_item_offers", ["work_item_id"])
    items = sa.table(
        "work_items",
        sa.column("id", ID),
        sa.column("assignees", sa.JSON),
        sa.column("state", sa.String(20)),
        sa.column("created_at", TS),
    )
    conn = op.get_bind()
    found = conn.execute(
        sa.select(items.c.id, items.c.assignees, items.c.created_at).where(
            items.c.state == "offered"
        )
    ).all()
    rows = []
    for item_id, assignees, created_at in found:
        users = json.loads(assignees) if isinstance(assignees, str) else assignees
        for user in dict.fromkeys(users or ()):
            rows.append({"user_id": user, "created_at": created_at, "work_item_id": item_id})
    if rows:
        raw = sa.table(
            "work_item_offers",
            sa.column("user_id", ID),
            sa.column("created_at", TS),
            sa.column("work_item_id", ID),
        )
        conn.execute(raw.insert(), rows)


def downgrade() -> None:
    op.drop_index("ix_work_item_offers_work_item_id", "work_item_offers")
    op.drop_table("work_item_offers")
