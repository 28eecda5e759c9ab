"""Schema migrations, run programmatically: checking, creating and upgrading a database.

The Alembic scripts live in ``migrations/`` inside the package (no ``alembic.ini`` needed);
``wfengine db upgrade --db URL`` calls :func:`upgrade`. An engine calls :func:`check_schema`
when it opens a store:

* a database at the revision this code needs is used as it is;
* an *empty* database (no wfengine tables, no Alembic revision) is created on the spot, for
  SQLite files and PostgreSQL alike: a first ``wfengine worker`` or ``instance start`` on a
  fresh database just works (pass ``create=False`` to :class:`SqlStore` to forbid that);
* a database at an older revision raises :class:`~wfengine.errors.SchemaOutdatedError`
  naming ``wfengine db upgrade --db URL``; an engine never migrates a database that holds
  data by itself;
* wfengine tables without a revision (its ``alembic_version`` table dropped, or tables made
  some other way) raise the same error saying so: no upgrade can tell which revision they
  are at, so it would only fail on the first table that exists; ``db upgrade`` refuses them
  too;
* a revision this code does not know (written by a newer wfengine) raises the same error,
  asking for a newer wfengine.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL

from wfengine.errors import SchemaOutdatedError
from wfengine.runtime.sql.connect import begin, create_engine, shown
from wfengine.runtime.sql.in_memory import sqlite_in_memory


def script_location() -> Path:
    """Where the migration scripts are (a function, so tests can point elsewhere)."""
    return Path(__file__).with_name("migrations")


def _config(connection: sa.Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location()))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "no migration scripts"
    return head


def current_revision(connection: sa.Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(url: str | URL, revision: str = "head") -> tuple[str | None, str | None]:
    """Migrate the database at ``url`` to ``revision``; returns (revision before, after)."""
    engine = create_engine(url)
    try:
        with begin(engine) as conn:
            before = current_revision(conn)
            if before is not None and not is_known_revision(before):
                raise SchemaOutdatedError(_newer(shown(engine.url), before))
            if before is None and (found := _our_tables(conn)):
                raise SchemaOutdatedError(_unstamped(shown(engine.url), found))
            command.upgrade(_config(conn), revision)
            after = current_revision(conn)
        return before, after
    finally:
        engine.dispose()


def _newer(url: str, revision: str) -> str:
    return (
        f"the database {url} has schema revision {revision!r}, which this wfengine does not "
        f"know (it needs {head_revision()!r}); it was written by a newer wfengine: upgrade "
        "wfengine"
    )


def _our_tables(conn: sa.Connection) -> list[str]:
    """The tables of wfengine's schema the database already has (by name: an application's
    own ``jobs`` or ``deployments`` table counts, since wfengine could not create its own)."""
    from wfengine.runtime.sql.schema import metadata

    existing = set(sa.inspect(conn).get_table_names())
    return sorted(name for name in metadata.tables if name in existing)


def _unstamped(url: str, tables: list[str]) -> str:
    shown_tables = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
    return (
        f"the database {url} has tables named as wfengine's ({shown_tables}) but no wfengine "
        "schema revision (its alembic_version table is missing: dropped, or the tables are "
        "another application's or were not made by wfengine db upgrade), so wfengine can "
        "neither use them nor create its own; give wfengine a database of its own (or an "
        "empty one), or restore this one from a backup"
    )


def is_known_revision(revision: str) -> bool:
    """Whether ``revision`` is one of this wfengine's (else a newer one wrote it)."""
    return _known(ScriptDirectory.from_config(_config()), revision)


def downgrade(url: str | URL, revision: str) -> tuple[str | None, str | None]:
    """Migrate the database at ``url`` back to ``revision`` (what a rollback of wfengine
    needs); returns (revision before, after). Tables a later revision added are dropped."""
    engine = create_engine(url)
    try:
        with begin(engine) as conn:
            before = current_revision(conn)
            command.downgrade(_config(conn), revision)
            after = current_revision(conn)
        return before, after
    finally:
        engine.dispose()


def check_schema(engine: sa.Engine, *, create: bool) -> None:
    """Make sure the database behind ``engine`` has the schema this code needs (see above)."""
    url = shown(engine.url)
    script = ScriptDirectory.from_config(_config())
    head = script.get_current_head()
    with engine.connect() as conn:
        current = current_revision(conn)
        found = _our_tables(conn)
    if current == head:
        return
    if current is None and not found:
        if not create:
            raise SchemaOutdatedError(
                f"the database {url} has no wfengine schema; {_create(engine)}"
            )
        try:
            with begin(engine) as conn:
                command.upgrade(_config(conn), "head")
        except sa.exc.SQLAlchemyError:
            # another process may have created it at the same moment: look again
            with engine.connect() as conn:
                if current_revision(conn) != head:
                    raise
        return
    if current is None:
        raise SchemaOutdatedError(_unstamped(url, found))
    if not _known(script, current):
        raise SchemaOutdatedError(_newer(url, current))
    raise SchemaOutdatedError(
        f"the database {url} has schema revision {current}, older than the "
        f"{head!r} this wfengine needs; {_upgrade(engine)}"
    )


def _create(engine: sa.Engine) -> str:
    """What makes the missing schema. Why not always ``wfengine db upgrade``: an in-memory
    SQLite database is new and empty in that command's process (which refuses it), so for one
    the advice is to let this program create the schema as it opens the store."""
    if sqlite_in_memory(engine.url):
        return (
            "it is an in-memory database, new and empty in each program that opens it: open "
            "the store with create=True to have the schema made there"
        )
    return f"create it with `wfengine db upgrade --db {shown(engine.url)}`"


def _upgrade(engine: sa.Engine) -> str:
    """What brings an older schema up to date (see :func:`_create`: an in-memory database
    is upgraded in the program that holds it, by :func:`upgrade`)."""
    if sqlite_in_memory(engine.url):
        return (
            "it is an in-memory database, so `wfengine db upgrade` (another program) cannot "
            "reach it: upgrade it in this program (wfengine.runtime.sql.migrate.upgrade)"
        )
    return f"upgrade it with `wfengine db upgrade --db {shown(engine.url)}` (back it up first)"


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for an unknown id
        return False
