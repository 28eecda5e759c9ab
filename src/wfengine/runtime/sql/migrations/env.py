"""Alembic environment: migrations run on the connection ``migrate`` passes in."""

from __future__ import annotations

import warnings

import sqlalchemy as sa
from alembic import context

from wfengine.runtime.sql.connect import begin, create_engine
from wfengine.runtime.sql.migrate import VERSION_TABLE
from wfengine.runtime.sql.schema import metadata

config = context.config


def _run(connection: sa.Connection) -> None:
    # wfengine's revision in a table of its own: alembic_version is a host's Alembic's
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        version_table=VERSION_TABLE,
    )
    with context.begin_transaction(), warnings.catch_warnings():
        # SQLite's batch mode rebuilds a table from its reflection, and reflecting a table
        # with a foreign key to process_instances reflects that one too, whose listing index
        # (over an expression) SQLAlchemy cannot read and warns about. No migration rebuilds
        # process_instances itself, so nothing is lost (test_durable checks a rollback and
        # upgrade keep every index): the warning would only alarm whoever rolls back
        warnings.filterwarnings(
            "ignore", "Skipped unsupported reflection of expression-based index", sa.exc.SAWarning
        )
        context.run_migrations()


_connection = config.attributes.get("connection")
if _connection is not None:
    _run(_connection)
else:  # the alembic command line, with sqlalchemy.url set
    _engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with begin(_engine) as _conn:
        _run(_conn)
    _engine.dispose()
