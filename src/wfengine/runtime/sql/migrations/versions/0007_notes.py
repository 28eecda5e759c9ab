"""Comments and attachments on instances and work items, and the blobs that hold attachments.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

ID = sa.String(200)
TS = sa.DateTime(timezone=True)


def _instance() -> sa.ForeignKey:
    return sa.ForeignKey("process_instances.id", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "comments",
        sa.Column("id", ID, primary_key=True),
        sa.Column("instance_id", ID, _instance(), nullable=False),
        sa.Column("work_item_id", ID),
        sa.Column("author", ID, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_comments_instance_id", "comments", ["instance_id"])
    op.create_table(
        "attachments",
        sa.Column("id", ID, primary_key=True),
        sa.Column("instance_id", ID, _instance(), nullable=False),
        sa.Column("work_item_id", ID),
        sa.Column("author", ID, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("content_type", sa.String(200), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("blob_key", ID, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_attachments_instance_id", "attachments", ["instance_id"])
    op.create_table(
        "blobs",
        sa.Column("key", ID, primary_key=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("blobs")
    op.drop_index("ix_attachments_instance_id", "attachments")
    op.drop_table("attachments")
    op.drop_index("ix_comments_instance_id", "comments")
    op.drop_table("comments")
