"""``correlation_keys.value_sha256``: the sha256 (hex) of each correlation value, indexed with
the key as ``ix_correlation_keys_key_digest`` ``(key, value_sha256)`` in place of
``ix_correlation_keys_key_value`` ``(key, value)``.

A PostgreSQL btree entry holds at most ~2,700 bytes, and a key field holds text of any
length: an instance whose correlation key held a longer value could not be stored at all
(every command writing it failed on the index, a deferred job ended in an incident). A
digest is 64 characters whatever the value; a lookup finds the rows by key and digest, then
compares the values. SQLite took long values, but both stores keep one schema.

The digest of every existing row is computed here (the same text the code digests: the
stored value, as UTF-8), so existing keys are found as before.

Downgrading rebuilds the old index from the values: on PostgreSQL it fails if a stored value
is too long for it (the revision before could not have stored it); the message names the
instances, to close or re-key before downgrading again.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

#: rows digested at a time
_BATCH = 2000

#: value bytes past which a PostgreSQL btree entry may not fit (its limit is ~2,704 bytes for
#: the whole entry; a compressible value may still fit, so this only names suspects)
_PG_ENTRY_BYTES = 2600

#: PostgreSQL's SQLSTATE for "index row size exceeds btree maximum"
_PROGRAM_LIMIT_EXCEEDED = "54000"

_keys = sa.table(
    "correlation_keys",
    sa.column("instance_id", sa.String),
    sa.column("key", sa.String),
    sa.column("value", sa.Text),
    sa.column("value_sha256", sa.String),
)


def upgrade() -> None:
    with op.batch_alter_table("correlation_keys") as batch:
        batch.add_column(sa.Column("value_sha256", sa.String(64)))
    _digest_every_row()
    with op.batch_alter_table("correlation_keys") as batch:
        batch.alter_column("value_sha256", existing_type=sa.String(64), nullable=False)
    op.create_index("ix_correlation_keys_key_digest", "correlation_keys", ["key", "value_sha256"])
    op.drop_index("ix_correlation_keys_key_value", table_name="correlation_keys")


def _digest_every_row() -> None:
    """Fill ``value_sha256`` of every row, a batch at a time in primary-key order, each
    batch read after the last key of the one before. Why: reading ``value_sha256 IS NULL``
    again for each batch scanned past every row already filled (no index holds it), so the
    upgrade of a large table took the square of its size."""
    conn = op.get_bind()
    k = _keys
    write = (
        k.update()
        .where(k.c.instance_id == sa.bindparam("b_id"), k.c.key == sa.bindparam("b_key"))
        .values(value_sha256=sa.bindparam("b_digest"))
    )
    rows = sa.select(k.c.instance_id, k.c.key, k.c.value).order_by(k.c.instance_id, k.c.key)
    page = rows.limit(_BATCH)
    while found := conn.execute(page).all():
        digests = [
            {"b_id": i, "b_key": key, "b_digest": hashlib.sha256(v.encode("utf-8")).hexdigest()}
            for i, key, v in found
        ]
        conn.execute(write, digests)
        after = sa.tuple_(k.c.instance_id, k.c.key) > sa.tuple_(*found[-1][:2])
        page = rows.where(after).limit(_BATCH)


def downgrade() -> None:
    _index_values()
    op.drop_index("ix_correlation_keys_key_digest", table_name="correlation_keys")
    with op.batch_alter_table("correlation_keys") as batch:
        batch.drop_column("value_sha256")


def _index_values() -> None:
    """The index of revision 0024 back; on PostgreSQL, a value too long for it (which only
    this revision could store) stops the downgrade naming the instances that hold such
    values, in place of a raw error naming none (and printing a value, maybe a secret)."""
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        op.create_index("ix_correlation_keys_key_value", "correlation_keys", ["key", "value"])
        return
    try:
        with conn.begin_nested():  # (a savepoint: the failure leaves the transaction usable)
            op.create_index("ix_correlation_keys_key_value", "correlation_keys", ["key", "value"])
    except sa.exc.DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) != _PROGRAM_LIMIT_EXCEEDED:
            raise
        raise RuntimeError(_too_long(conn)) from None


def _too_long(conn: sa.Connection) -> str:
    k = _keys
    long = sa.func.octet_length(k.c.value) > _PG_ENTRY_BYTES
    ids = sorted(conn.execute(sa.select(k.c.instance_id).where(long).distinct()).scalars())
    return (
        f"cannot downgrade below revision 0025: correlation key values are too long for the "
        f"index of revision 0024 (instances holding values of over {_PG_ENTRY_BYTES} bytes: "
        f"{', '.join(ids[:20]) or 'none'}{' ...' if len(ids) > 20 else ''}); complete or "
        f"terminate those instances, or give them shorter keys, then downgrade again"
    )
