"""Indexes so that a page stays one index range however many rows are stored:

* ``ix_process_instances_state_listing`` ``(state, created_at, length(id), id)`` and
  ``ix_process_instances_process_listing`` ``(process_id, created_at, length(id), id)``: a page
  of the instances in one state or of one process, in listing order, without sorting every
  match. They lead with the column the old single-column indexes
  (``ix_process_instances_state``, ``ix_process_instances_process_id``) held, so every query
  those served is served by these, and the old ones are dropped (one index per instance
  write each, not two).
* ``ix_audit_events_instance_at`` ``(instance_id, at, seq)``: a page of one instance's trail
  in the audit order ``(at, instance_id, seq)``; the primary key ``(instance_id, seq)`` gives
  seq order, and an event's time is the committing engine's clock, which need not grow with
  seq (clocks of several engines on one database differ; a system clock can be set back).
* ``ix_jobs_seq``: ``max(seq)``, read by every engine that opens the database, is the index's
  last entry instead of a scan of the jobs.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_LISTING = [sa.text("created_at"), sa.text("length(id)"), sa.text("id")]


def upgrade() -> None:
    op.create_index(
        "ix_process_instances_state_listing", "process_instances", [sa.text("state"), *_LISTING]
    )
    op.create_index(
        "ix_process_instances_process_listing",
        "process_instances",
        [sa.text("process_id"), *_LISTING],
    )
    op.drop_index("ix_process_instances_state", table_name="process_instances")
    op.drop_index("ix_process_instances_process_id", table_name="process_instances")
    op.create_index("ix_audit_events_instance_at", "audit_events", ["instance_id", "at", "seq"])
    op.create_index("ix_jobs_seq", "jobs", ["seq"])


def downgrade() -> None:
    op.drop_index("ix_jobs_seq", table_name="jobs")
    op.drop_index("ix_audit_events_instance_at", table_name="audit_events")
    op.create_index("ix_process_instances_process_id", "process_instances", ["process_id"])
    op.create_index("ix_process_instances_state", "process_instances", ["state"])
    op.drop_index("ix_process_instances_process_listing", table_name="process_instances")
    op.drop_index("ix_process_instances_state_listing", table_name="process_instances")
