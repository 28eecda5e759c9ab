"""The audit trail's ``(kind, at)`` index is dropped: a kind filter is read through the time
index (or the process or user index when the query names one) and the rows it finds.

A command records events of several kinds at one moment (an activity started, an application
invoked and returned, the activity completed, a work item offered), and each kind has its own
stretch of a ``(kind, at)`` index, so every commit rewrote about one index page per kind: 9 of
the 35 pages a SQLite commit of the manual workload (``bench/peers`` W4) wrote, about 7% of
its commands per second. The queries that named a kind still return the same events in the
same order; a page of them (``limit``) scans the time index until it has its events.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_audit_events_kind_at", table_name="audit_events")


def downgrade() -> None:
    op.create_index("ix_audit_events_kind_at", "audit_events", ["kind", "at"])
