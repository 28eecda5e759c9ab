"""Opening a database: URLs as wfengine reads and shows them, engines with each dialect's settings.

The settings themselves live with the dialect (:mod:`~wfengine.runtime.sql.dialects`); this
module is what the command line, the migrations and the store call to open a database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from wfengine.errors import StoreError
from wfengine.runtime.sql.dialects import Dialect, dialect_for
from wfengine.runtime.sql.sqlite_file import file_path
from wfengine.runtime.sql.sqlite_memory import shown_url
from wfengine.runtime.sql.sqlite_pragmas import SQLITE_BUSY_TIMEOUT_MS
from wfengine.runtime.sql.sqlite_uri import created_file, refuse_unseen_wal

__all__ = [
    "SQLITE_BUSY_TIMEOUT_MS",
    "begin",
    "create_engine",
    "normalise_url",
    "refuse_directory",
    "refuse_ignored_arguments",
    "refuse_missing",
    "require_driver",
    "shown",
    "supported",
]


def normalise_url(url: str | URL) -> URL:
    """The URL with ``postgresql://`` meaning psycopg 3 (the driver wfengine depends on).

    A URL SQLAlchemy cannot match raises its ``ArgumentError``; one whose port is not a number
    (``host:notaport``, an IPv6 address without its ``]``) a :class:`StoreError` saying so.
    Why: SQLAlchemy let Python's ``ValueError`` from ``int()`` escape, a traceback on the
    command line; and its text quoted the "port", which is the password of a URL written
    without its ``@host`` (``user:secret/db``), so the message quotes no part of the URL.
    """
    try:
        parsed = make_url(url)
    except ValueError:  # (only the port is converted: see sqlalchemy.engine.url._parse_url)
        if str(url).startswith("sqlite"):  # (sqlite://:memory: reads ":memory:" as a port)
            raise StoreError(_SQLITE_HOST) from None
        raise StoreError(_UNREADABLE_PORT) from None
    if parsed.get_backend_name() == "sqlite" and (parsed.host or parsed.port):
        raise StoreError(_SQLITE_HOST)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


#: what a URL whose port is not a number gets (see :func:`normalise_url`)
_UNREADABLE_PORT = (
    "the database URL cannot be read: its port (after the host and ':') is not a number; "
    "expected postgresql+psycopg://user:password@host:5432/db (an IPv6 address in brackets: "
    "@[::1]:5432), or sqlite:///path/to/file.db"
)


#: what a SQLite URL written with two slashes gets (``sqlite://wf.db``, ``sqlite://:memory:``):
#: the part after them is a host, which SQLite has none of. SQLAlchemy's own refusal came as
#: its ``ArgumentError`` (a traceback on the command line), and ``sqlite://:memory:`` as a
#: port that is no number, pointing at a PostgreSQL URL. The URL is not quoted (see above).
_SQLITE_HOST = (
    "the database URL cannot be read: a SQLite URL has no host, so it takes three slashes: "
    "sqlite:///wf.db for a file in the current directory, sqlite:////abs/path/wf.db for an "
    "absolute path, sqlite:///:memory: for a database in memory"
)


def shown(url: str | URL) -> str:
    """The URL as it may appear in messages and logs: without its password, whether before
    the ``@`` or in the query (``?password=...``, which libpq reads too), a SQLite file's path
    as the user wrote it (see :func:`~wfengine.runtime.sql.sqlite_memory.shown_url`)."""
    return shown_url(normalise_url(url))


def supported(url: URL) -> Dialect:
    """The dialect of ``url``'s database; :class:`StoreError` when wfengine stores in no
    database of its kind (the same words wherever a command is given one)."""
    dialect = dialect_for(url)
    if dialect is None:
        raise StoreError(
            f"unsupported database {shown(url)}: wfengine stores in SQLite or PostgreSQL"
        )
    require_driver(url)
    refuse_ignored_arguments(url)
    refuse_directory(url)
    refuse_unseen_wal(url)
    return dialect


def refuse_directory(url: URL) -> None:
    """Raise :class:`StoreError` when ``url`` names a directory where SQLite needs a file.

    Why: SQLite says only "unable to open database file", at the first connection, which
    wfengine could but read as a file it may not write (it blamed permissions, a read-only
    mount); the path is checked before anything is opened.
    """
    if url.get_backend_name() != "sqlite":
        return
    path = file_path(url) or created_file(url)
    if path is not None and Path(path).is_dir():
        raise StoreError(
            f"the database path {path} is a directory: name a file in it "
            f"(sqlite:///{Path(path) / 'wf.db'}); nothing was opened"
        )


#: the query arguments of a SQLite URL that go to the driver (pysqlite) itself, as SQLAlchemy
#: reads them; any other is a SQLite URI parameter (``mode``, ``immutable``, ``cache``, ...)
_DRIVER_ARGUMENTS = frozenset(
    {"uri", "timeout", "isolation_level", "detect_types", "check_same_thread", "cached_statements"}
)
#: how SQLAlchemy reads a true ``uri=``
_TRUE = frozenset({"true", "yes", "on", "y", "t", "1"})


def refuse_ignored_arguments(url: URL) -> None:
    """Raise :class:`StoreError` for a SQLite URL whose SQLite URI parameters would not be
    read: SQLite reads them only from a ``file:`` path with ``uri=true``
    (``sqlite:///file:wf.db?mode=ro&uri=true``).

    Why: without ``uri=true`` pysqlite drops them (SQLAlchemy printed a bare warning with a
    source line), so ``sqlite:///wf.db?mode=ro`` opened the database for writing and a
    command meant to be read-only wrote to it; with ``uri=true`` but no ``file:``, SQLite
    opened (or made) a file named ``wf.db?mode=ro``. Refused, nothing is opened.
    """
    if url.get_backend_name() != "sqlite":
        return
    ignored = sorted(set(url.query) - _DRIVER_ARGUMENTS)
    uri = url.query.get("uri")
    path = url.database or ""
    as_uri = isinstance(uri, str) and uri.strip().lower() in _TRUE
    if not ignored or (as_uri and path.startswith("file:")):
        return
    query = _query(url, leave_out=frozenset({"uri"}))
    written = path.removeprefix("file:") or ":memory:"
    if as_uri:  # (pysqlite gives SQLite the path with the URI parameters after a "?")
        named = f"{path}?{_query(url, leave_out=_DRIVER_ARGUMENTS)}"
        happens = f"SQLite would open a file named {named}, not {written}"
    else:
        happens = "the driver would ignore " + ("it" if len(ignored) == 1 else "them")
        if "mode" in ignored:
            happens += " and open the database for writing"
    raise StoreError(
        f"cannot use the database {shown(url)}: SQLite reads its URI parameters (here: "
        f"{', '.join(ignored)}) only from a file: path with uri=true; as written, {happens}; "
        f"nothing was opened: write sqlite:///file:{written}?{query}&uri=true"
    )


def _query(url: URL, leave_out: frozenset[str] = frozenset()) -> str:
    """``url``'s query as the user wrote it (SQLAlchemy's rendering escapes it), without the
    arguments ``leave_out`` names."""
    return "&".join(
        f"{key}={value}"
        for key, values in url.query.items()
        if key not in leave_out
        for value in ((values,) if isinstance(values, str) else values)
    )


def require_driver(url: URL) -> None:
    """Raise :class:`StoreError` when the driver module ``url`` names cannot be imported.

    Why here: SQLAlchemy imports the driver only in ``create_engine``, and a missing one
    (``pip install wfengine`` without the ``postgres`` extra) escaped every command as a bare
    ``ModuleNotFoundError`` under a page of SQLAlchemy frames; checked here, it is the same
    "database cannot be used" (exit status 2) as any other, saying what to install. A driver
    name SQLAlchemy does not know is left to ``create_engine``, which names it.
    """
    try:
        dialect_class = url.get_dialect()
    except sa.exc.NoSuchModuleError:
        return
    load = getattr(dialect_class, "import_dbapi", None)
    if load is None:  # a third-party dialect of SQLAlchemy 1.x style loads its driver itself
        return
    try:
        load()
    except ImportError as exc:
        raise StoreError(_missing_driver(url, exc)) from exc


def _missing_driver(url: URL, exc: ImportError) -> str:
    """What to say when ``url``'s driver does not import: absent, or present but broken (a
    psycopg without its C library says "no pq wrapper available")."""
    where = f"cannot use the database {shown(url)}"
    absent = isinstance(exc, ModuleNotFoundError) and exc.name is not None
    if url.get_backend_name() == "postgresql" and url.get_driver_name() == "psycopg":
        state = "which is not installed" if absent else f"which fails to import ({exc})"
        return f"{where}: PostgreSQL needs psycopg 3, {state}: pip install 'wfengine[postgres]'"
    if absent:
        return (
            f"{where}: its driver {url.get_driver_name()!r} needs the module {exc.name!r}, "
            "which is not installed"
        )
    return f"{where}: its driver {url.get_driver_name()!r} fails to import ({exc})"


def refuse_missing(url: URL, dialect: Dialect) -> None:
    """Raise :class:`StoreError` when connecting to ``url`` would make its database (a SQLite
    file that does not exist): what only reads or inspects a database must not leave an empty
    file behind that later looks real."""
    if (absent := dialect.missing(url)) is not None:
        directory = Path(absent).parent
        upgrade = f"`wfengine db upgrade --db {shown(url)}`"
        how = (
            f"a store that may create its schema makes one: {upgrade}"
            if directory.is_dir()
            else f"its directory {directory} does not exist: make it, then {upgrade} makes one"
        )
        raise StoreError(f"no database at {absent}: nothing was created ({how})")


def create_engine(url: str | URL, **kwargs: Any) -> sa.Engine:
    """A SQLAlchemy engine configured for its database (see the dialects' notes); another
    server database (no store runs on one) gets its connections checked before use. A driver
    that cannot be imported is a :class:`StoreError` saying what to install (see
    :func:`require_driver`)."""
    parsed = normalise_url(url)
    require_driver(parsed)
    refuse_ignored_arguments(parsed)
    refuse_directory(parsed)
    refuse_unseen_wal(parsed)
    dialect = dialect_for(parsed)
    kwargs.setdefault("hide_parameters", True)  # no bound value (maybe a secret) in errors
    if dialect is None:
        kwargs.setdefault("pool_pre_ping", True)
        return sa.create_engine(parsed, **kwargs)
    return dialect.create_engine(parsed, **kwargs)


@contextmanager
def begin(engine: sa.Engine, *, write: bool = True) -> Iterator[sa.Connection]:
    """What ``engine.begin()`` is for an engine of :func:`create_engine`: a connection in one
    transaction, committed when the block ends, rolled back when it raises (``write=False``:
    a read of several statements that must see one snapshot).

    Why not ``engine.begin()``: on SQLite the dialect issues the BEGIN itself, and no
    SQLAlchemy listener does it for every transaction (see
    :mod:`~wfengine.runtime.sql.dialects`), so there each statement of ``engine.begin()``
    would commit on its own.
    """
    dialect = dialect_for(engine.url) or Dialect()
    with engine.connect() as conn, dialect.transaction(conn, write=write):
        yield conn
