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
* wfengine tables without a revision (its version table dropped, or tables made
  some other way) raise the same error saying so: no upgrade can tell which revision they
  are at, so it would only fail on the first table that exists; ``db upgrade`` refuses them
  too;
* a revision this code does not know (written by a newer wfengine) raises the same error,
  asking for a newer wfengine.

wfengine keeps its revision in a table of its own, :data:`VERSION_TABLE`
(``wfengine_alembic_version``), not in Alembic's default ``alembic_version``: a host that keeps
its own tables in the same database, migrated by its own Alembic, keeps its revision there, and
the two used to overwrite and misread each other's (wfengine called the host's revision "written
by a newer wfengine"). A revision in ``alembic_version`` that is not one of wfengine's is the
host's and is never touched. A database an earlier wfengine wrote (its tables, its known
revision in ``alembic_version``, no ``wfengine_alembic_version``) is read where it is: an engine
opening it leaves the row there (so workers of that earlier wfengine, in a rolling upgrade, still
find it), and only :func:`upgrade` and :func:`downgrade` (``wfengine db upgrade``) move it to
wfengine's table, in the transaction that migrates the schema, under an advisory lock on
PostgreSQL and the write lock on SQLite; ``alembic_version`` is dropped when that leaves it
empty. An engine's check reads the revision without a lock; when that read fails, or finds
wfengine's tables but no revision (a ``db upgrade`` moving the row between its statements), it
reads once more in one transaction after that lock, so it sees the move whole.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL

from wfengine.errors import SchemaOutdatedError, StoreUnavailableError
from wfengine.runtime.sql.connect import begin, create_engine, shown
from wfengine.runtime.sql.in_memory import sqlite_in_memory
from wfengine.runtime.sql.retry import condition, first_line, is_transient, sqlstate


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


#: the table of wfengine's schema revision (Alembic's default, ``alembic_version``, is a host's)
VERSION_TABLE = "wfengine_alembic_version"
#: where a wfengine before :data:`VERSION_TABLE` kept it (see the module notes)
_SHARED_TABLE = "alembic_version"
#: the PostgreSQL advisory lock a migration holds for its transaction ("wfengine" as a bigint)
_PG_LOCK = int.from_bytes(b"wfengine", "big")


def current_revision(connection: sa.Connection) -> str | None:
    """The database's wfengine schema revision: in :data:`VERSION_TABLE`, else (a database an
    earlier wfengine wrote, not yet moved) its revision in ``alembic_version``."""
    return _revision(connection)[0]


def _revision(conn: sa.Connection) -> tuple[str | None, bool]:
    """The revision, and whether it is still in the shared ``alembic_version`` table."""
    if sa.inspect(conn).has_table(VERSION_TABLE):
        context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        return context.get_current_revision(), False
    shared = _shared_revision(conn)
    return shared, shared is not None


def _shared_revision(conn: sa.Connection) -> str | None:
    """wfengine's revision in ``alembic_version``, as an earlier wfengine left it: a revision
    of this wfengine's there, beside wfengine's tables (without them, or with a revision
    wfengine does not know, the row is a host's)."""
    inspector = sa.inspect(conn)
    if not inspector.has_table(_SHARED_TABLE) or not inspector.has_table("process_instances"):
        return None
    script = ScriptDirectory.from_config(_config())
    rows = conn.execute(sa.text(f"SELECT version_num FROM {_SHARED_TABLE}")).scalars()
    ours = [row for row in rows if isinstance(row, str) and _known(script, row)]
    return ours[0] if len(ours) == 1 else None


def _serialise(conn: sa.Connection) -> None:
    """Make the schema's checkers and migrators wait for each other's transaction to end (on
    SQLite the write transaction's lock does; PostgreSQL runs DDL side by side)."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})


def _move_shared(conn: sa.Connection) -> None:
    """Move the revision an earlier wfengine kept in ``alembic_version`` to
    :data:`VERSION_TABLE` (in the caller's transaction, after :func:`_serialise`): the row goes,
    and the table too when nothing else is left in it (a host's rows stay)."""
    revision, shared = _revision(conn)
    if not shared or revision is None:
        return
    command.stamp(_config(conn), revision)
    conn.execute(
        sa.text(f"DELETE FROM {_SHARED_TABLE} WHERE version_num = :revision"),
        {"revision": revision},
    )
    if conn.execute(sa.text(f"SELECT count(*) FROM {_SHARED_TABLE}")).scalar() == 0:
        conn.execute(sa.text(f"DROP TABLE {_SHARED_TABLE}"))


def upgrade(url: str | URL, revision: str = "head") -> tuple[str | None, str | None]:
    """Migrate the database at ``url`` to ``revision``; returns (revision before, after)."""
    engine = create_engine(url)
    try:
        with begin(engine) as conn:
            _serialise(conn)
            _move_shared(conn)
            before = current_revision(conn)
            if before is not None and not is_known_revision(before):
                raise SchemaOutdatedError(_newer(shown(engine.url), before))
            if before is None and (refused := unstamped(conn, shown(engine.url))):
                raise SchemaOutdatedError(refused)
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


def unstamped(conn: sa.Connection, url: str) -> str | None:
    """Why ``db upgrade`` refuses the database ``url`` (on ``conn``), which has no wfengine
    revision: it has tables named as wfengine's (None: it has none, and can be created).
    ``db current`` says the same of it: it advised ``db upgrade``, which refused."""
    found = _our_tables(conn)
    return _unstamped(url, found) if found else None


def _unstamped(url: str, tables: list[str]) -> str:
    shown_tables = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
    return (
        f"the database {url} has tables named as wfengine's ({shown_tables}) but no wfengine "
        f"schema revision (no {VERSION_TABLE} table, and no wfengine revision in "
        f"{_SHARED_TABLE}: dropped, or the tables are another application's or were not made "
        "by wfengine db upgrade), so wfengine can "
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
            _serialise(conn)
            _move_shared(conn)
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
    current, found = _read_schema(engine)
    if current == head:
        return
    if current is None and not found:
        if not create:
            raise SchemaOutdatedError(
                f"the database {url} has no wfengine schema; {_create(engine)}"
            )
        try:
            with begin(engine) as conn:
                _serialise(conn)
                command.upgrade(_config(conn), "head")
        except sa.exc.SQLAlchemyError as exc:
            # another process may have created it at the same moment: look again
            with engine.connect() as conn:
                if current_revision(conn) != head:
                    raise _refused(engine, "create", exc) from exc
        return
    if current is None:
        raise SchemaOutdatedError(_unstamped(url, found))
    if not _known(script, current):
        raise SchemaOutdatedError(_newer(url, current))
    raise SchemaOutdatedError(
        f"the database {url} has schema revision {current}, older than the "
        f"{head!r} this wfengine needs; {_upgrade(engine)}"
    )


def _refused(engine: sa.Engine, doing: str, exc: sa.exc.SQLAlchemyError) -> Exception:
    """What to raise when ``doing`` (creating, reading) wfengine's schema failed: an error
    worth trying again (a connection lost) as it is, for the store's retries; else the
    database's refusal said as the store says one (:class:`~wfengine.errors.StoreUnavailableError`:
    the driver's first line and what to do), not SQLAlchemy's text with the statement and its
    background link, which reached ``Engine()`` and every command opening the database."""
    if is_transient(exc) or not isinstance(exc, sa.exc.DBAPIError):
        return exc
    advice = refusal_advice(exc, engine.url.username)
    return StoreUnavailableError(
        f"the database {shown(engine.url)} refused to {doing} wfengine's schema "
        f"({type(exc.orig).__name__}: {first_line(exc)}); nothing was changed"
        + (f"; {advice}, then try again" if advice else "")
    )


#: what to do when the role may not create tables where wfengine keeps them (PostgreSQL 15
#: grants CREATE on schema ``public`` to its owner only, so a login role of its own meets
#: this on a first ``db upgrade`` or ``worker``) ...
_NO_CREATE = (
    "{who} may not create tables there: grant it CREATE on the schema (GRANT CREATE ON "
    "SCHEMA public TO {role}), or point the URL at a schema it owns "
    "(?options=-csearch_path=<schema>)"
)
#: ... and when it may not use wfengine's tables another role made
_NO_USE = (
    "{who} may not use wfengine's tables, which another role made: use that role, or grant "
    "it their use (GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "
    "{role}; GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role})"
)
#: ... and when it may use them but not change them, as a migration does (ALTER TABLE needs
#: the table's owner: no grant gives it)
_NOT_OWNER = (
    "{who} does not own wfengine's tables, and a migration changes them (ALTER TABLE), which "
    "only their owner may do: run `wfengine db upgrade` as the role that owns them, or make "
    "{role} their owner (ALTER TABLE <table> OWNER TO {role}, for each of wfengine's tables)"
)
#: the advice for a refused privilege, by what the refusal says (else :data:`_NO_USE`)
_REFUSED = (("must be owner of", _NOT_OWNER), ("for schema", _NO_CREATE))


def refusal_advice(exc: sa.exc.DBAPIError, role: str | None) -> str | None:
    """What to check when the database refused creating, reading or migrating the schema
    with ``exc``, connected as ``role`` (None: nothing to say but its message). A refused
    privilege (SQLSTATE 42501) is the schema's own case: the store's refusals
    (:func:`~wfengine.runtime.sql.retry.condition`) do not cover it."""
    if sqlstate(exc.orig) != "42501":
        return condition(exc)
    said = first_line(exc)
    advice = next((text for mark, text in _REFUSED if mark in said), _NO_USE)
    who = f"the role {role}" if role else "the role"
    return advice.format(who=who, role=role or "<role>")


def _read_schema(engine: sa.Engine) -> tuple[str | None, list[str]]:
    """The revision and wfengine's tables, as :func:`check_schema` judges them. The first read
    takes no lock (a read-only database or standby must open); a ``db upgrade`` moving the
    revision out of ``alembic_version`` at that moment can make it fail (the table gone between
    two statements) or find the tables without a revision, so then it is read again, in one
    transaction after :func:`_serialise`, which waits for that move to commit. A role that may
    not read wfengine's tables fails both: the second failure is said as :func:`_refused` says
    it (the grants it needs), not as SQLAlchemy's text."""
    with engine.connect() as conn:
        try:
            current, found = current_revision(conn), _our_tables(conn)
        except sa.exc.DBAPIError:
            current, found = None, ["(unreadable)"]
    if current is not None or not found:
        return current, found
    try:
        with begin(engine, write=False) as conn:
            _serialise(conn)
            return current_revision(conn), _our_tables(conn)
    except sa.exc.SQLAlchemyError as exc:  # (a role that may not read the tables: say so)
        raise _refused(engine, "read", exc) from exc


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
