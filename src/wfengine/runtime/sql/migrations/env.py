"""Alembic environment: migrations run on the connection ``migrate`` passes in."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from wfengine.runtime.sql.connect import begin, create_engine
from wfengine.runtime.sql.schema import metadata

config = context.config


def _run(connection: sa.Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


_connection = config.attributes.get("connection")
if _connection is not None:
    _run(_connection)
else:  # the alembic command line, with sqlalchemy.url set
    _engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with begin(_engine) as _conn:
        _run(_conn)
    _engine.dispose()
