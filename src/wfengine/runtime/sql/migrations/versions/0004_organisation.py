"""The organisation: users, units, roles, memberships and administrators.

Empty until ``wfengine org load FILE --db URL`` writes one; a database without an
organisation offers work as before (a performer resolves to itself).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ID = sa.String(200)


def upgrade() -> None:
    op.create_table(
        "org_users",
        sa.Column("id", ID, primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.Text),
        sa.Column("email", sa.Text),
    )
    op.create_table(
        "org_units",
        sa.Column("id", ID, primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.Text),
        sa.Column("supervisor", ID),
        sa.Column("parent", ID),
    )
    op.create_table(
        "org_roles",
        sa.Column("id", ID, primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.Text),
    )
    op.create_table(
        "org_memberships",
        sa.Column("user_id", ID, primary_key=True),
        sa.Column("kind", sa.String(10), primary_key=True),
        sa.Column("group_id", ID, primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "org_admins",
        sa.Column("user_id", ID, primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    for table in ("org_admins", "org_memberships", "org_roles", "org_units", "org_users"):
        op.drop_table(table)
