"""Deployments keep their package's model as JSON next to its XPDL text, so an engine that
starts reads a process back without parsing XPDL (``wfengine.definition.model_format``).

Deployments stored before have none and are read from their XPDL text, as before.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deployments") as batch:
        batch.add_column(sa.Column("model", sa.Text))
        batch.add_column(sa.Column("model_format", sa.Integer))


def downgrade() -> None:
    with op.batch_alter_table("deployments") as batch:
        batch.drop_column("model_format")
        batch.drop_column("model")
