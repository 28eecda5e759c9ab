"""Incidents get a table of their own, so listing the open ones does not unpack every instance.

The table mirrors the incidents kept in each instance's ``state_blob`` (the source of truth);
the store rewrites an instance's rows in the same transaction as the instance. Upgrading a
0001 database fills the table from the blobs already stored.

Revision ID: 0002
Revises: 0001
Create Date: 2026-05-10
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ID = sa.String(200)
TS = sa.DateTime(timezone=True)
#: instances read per query while filling the table
_BATCH = 500


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", ID, primary_key=True),
        sa.Column(
            "instance_id",
            ID,
            sa.ForeignKey("process_instances.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("activity_instance_id", ID),
        sa.Column("activity_id", ID),
        sa.Column("application_id", ID),
        sa.Column("operation", sa.String(20), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("resolved", sa.Boolean, nullable=False),
    )
    op.create_index("ix_incidents_instance_id", "incidents", ["instance_id"])
    op.create_index("ix_incidents_resolved", "incidents", ["resolved"])
    _fill_from_blobs()


def _fill_from_blobs() -> None:
    """Copy the incidents recorded in the stored instances into the new table.

    The tables are spelled out here as they are at this revision (not imported from the
    current schema), so later revisions cannot change what this one does.
    """
    from wfengine.runtime.sql.schema import UtcDateTime

    conn = op.get_bind()
    incidents = sa.table(
        "incidents",
        *(
            sa.column(name)
            for name in (
                "id",
                "instance_id",
                "activity_instance_id",
                "activity_id",
                "application_id",
                "operation",
                "message",
                "attempts",
                "resolved",
            )
        ),
        sa.column("created_at", UtcDateTime),
    )
    instances = sa.table("process_instances", sa.column("id", ID), sa.column("state_blob", sa.JSON))
    last = ""
    while True:
        rows = conn.execute(
            sa.select(instances.c.id, instances.c.state_blob)
            .where(instances.c.id > last)
            .order_by(instances.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        found: list[dict[str, Any]] = []
        for instance_id, blob in rows:
            for i in (blob or {}).get("incidents", ()):
                found.append(
                    {
                        "id": i["id"],
                        "instance_id": instance_id,
                        "activity_instance_id": i["ai"],
                        "activity_id": i["activity"],
                        "application_id": i.get("app"),
                        "operation": i["operation"],
                        "message": i["message"],
                        "attempts": i.get("attempts", 0),
                        "created_at": _aware(datetime.fromisoformat(i["created"])),
                        "resolved": i["resolved"],
                    }
                )
        if found:
            conn.execute(incidents.insert(), found)
        last = rows[-1][0]


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def downgrade() -> None:
    op.drop_index("ix_incidents_resolved", "incidents")
    op.drop_index("ix_incidents_instance_id", "incidents")
    op.drop_table("incidents")
