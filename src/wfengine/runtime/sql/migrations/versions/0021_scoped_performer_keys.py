"""Document format 6 (an instance document may key its performer summaries by scope), and
the index of the leased jobs.

Since commit e61adbf an instance of a process that repeats an activity Id across activity
sets keeps its summaries (``performers``, ``co_performers``) under ``<set Id>/<Id>`` for
such an activity, and the Id alone names the top level's (the document says
``"scoped_keys": true``). A wfengine from before reads the Id alone as the one entry every
holder shares: it opened such a database without a word and sent work back to, or kept off
a four-eyes check, the top-level activity's performer instead of the block's. Format 6 says
a document may hold such keys, and this revision marks it
(``wfengine.runtime.sql.document_format.FORMAT_REVISIONS``): a wfengine that cannot read
format 6 does not know this revision, so it refuses a database at it when it opens it.

``upgrade`` changes no row: a format 5 document reads as format 6 as it is (one written by
a wfengine between e61adbf and this revision already says ``scoped_keys`` when it holds
such keys). ``downgrade`` (a rollback to a wfengine of format 5) gives back format 5 to the
documents that hold no scoped keys, which read the same there, and format 6 to those that
do, so the older wfengine refuses those instances one by one ("stored by a newer
wfengine") rather than misreading their performers; each rewritten document's row version
counts the change.

It also adds ``ix_jobs_leased``: the jobs a worker holds, by the end of their lease (NULL,
so not in the index, on every other job). The earliest time a job can next be claimed
(``JobQueue.next_due_at``, which every idle worker asks after each round) is the earlier of
the first job along the due-time index whose lease does not run past its due time and the
first lease along this one that does; it was one ``min`` over every pending job.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None
#: the instance document format a database at this revision may hold (see the module's doc)
document_format = 6

#: documents read at a time
_BATCH = 2000

_instances = sa.table(
    "process_instances",
    sa.column("id", sa.String),
    sa.column("version", sa.Integer),
    sa.column("state_blob", sa.JSON),
)


def upgrade() -> None:
    """No row to rewrite (see the module's doc): the revision marks the format. And the
    index of the leased jobs (below)."""
    where = sa.text("lock_expires_at IS NOT NULL")
    op.create_index(
        "ix_jobs_leased",
        "jobs",
        ["lock_expires_at"],
        sqlite_where=where,
        postgresql_where=where,
    )


def downgrade() -> None:
    op.drop_index("ix_jobs_leased", table_name="jobs")
    conn = op.get_bind()
    p = _instances
    rewrite = (
        p.update()
        .where(p.c.id == sa.bindparam("b_id"))
        .values(state_blob=sa.bindparam("b_document", type_=sa.JSON), version=p.c.version + 1)
    )
    after: str | None = None
    while True:
        batch = sa.select(p.c.id, p.c.state_blob)
        if after is not None:
            batch = batch.where(p.c.id > after)
        found = conn.execute(batch.order_by(p.c.id).limit(_BATCH)).all()
        if not found:
            return
        changed = [
            {"b_id": instance_id, "b_document": document}
            for instance_id, document in found
            if _format_5_reads(document)
        ]
        if changed:
            conn.execute(rewrite, changed)
        after = found[-1][0]


def _format_5_reads(document: Any) -> bool:
    """Set ``document``'s format (in place) to what a wfengine of format 5 must make of it:
    6 (refused) when it holds scoped keys, else 5; whether that changed it."""
    if not isinstance(document, dict) or document.get("format") not in (5, 6):
        return False  # older documents read the same on both sides
    wanted = 6 if document.get("scoped_keys") else 5
    if document["format"] == wanted:
        return False
    document["format"] = wanted
    return True
