"""Deployments stored before the expressions' readings changed keep reading their texts as
then (``deployments.reads_expressions_as_before``).

This wfengine reads some texts otherwise than the one before it: JavaScript and Java string
literals by their language's escapes (an escape Java refuses, a Python prefix, a malformed
``\\x`` or ``\\u``: a syntax error), ``Math.max/min/abs`` of numbers and values in time only
(text or a boolean: an incident), and a name spelt decomposed is refused. A deployment stored
earlier keeps the earlier reading, with a warning naming the process and the text, so its
instances keep running. Which deployment is that old cannot be told from its row, and "read
back from the store" is every deployment another process reads, also one this wfengine
deployed: the same deployment then failed in the process that deployed it and read leniently
in a worker, or after a restart. So every row stored when the database is upgraded is marked
here; every deployment stored from now on reads as this wfengine reads a new definition, in
every process.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

_deployments = sa.table("deployments", sa.column("reads_expressions_as_before", sa.Boolean))


def upgrade() -> None:
    # plain ALTER TABLE ... ADD COLUMN: never a table rebuild
    op.add_column(
        "deployments",
        sa.Column(
            "reads_expressions_as_before", sa.Boolean, nullable=False, server_default=sa.false()
        ),
    )
    op.get_bind().execute(_deployments.update().values(reads_expressions_as_before=sa.true()))


def downgrade() -> None:
    op.drop_column("deployments", "reads_expressions_as_before")
