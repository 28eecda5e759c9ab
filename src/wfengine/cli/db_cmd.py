"""``wfengine db``: the database behind ``--db URL`` (SQLite file or PostgreSQL).

``wfengine db upgrade --db URL`` brings the schema to the revision this wfengine needs (it
creates it in an empty database); an engine refuses an outdated schema and names this command.
``wfengine db current --db URL`` shows the database's revision beside the one needed.
Both exit 0 on success and 2 when the database cannot be reached or migrated (``db current``:
when ``db upgrade`` would refuse it, tables named as wfengine's without its revision), or is an
in-memory SQLite database (``sqlite://``, ``sqlite:///:memory:``, ``mode=memory``): it is gone
when the command ends, so there is no stored revision to show or keep. ``--db`` defaults to
``$WFENGINE_DB``, as in every command that opens a database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import click

from wfengine.cli.database import db_option
from wfengine.cli.exit_status import InputOutputError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL
    from sqlalchemy.exc import DBAPIError

    from wfengine.runtime.sql.dialects import Dialect
    from wfengine.runtime.sql.store import SqlStore

_T = TypeVar("_T")


@click.group(
    epilog="""\b
Examples:
  wfengine db upgrade --db sqlite:///wf.db
  wfengine db current --db postgresql+psycopg://wf@db/wf""",
)
def db() -> None:
    """Create, upgrade and inspect the database of a durable engine."""


@db.command()
@db_option
def upgrade(url: str) -> None:
    """Migrate the schema to the revision this wfengine needs (create it when empty).

    Back the database up first: a migration changes tables that hold running instances.

    \b
    Examples:
      wfengine db upgrade --db sqlite:///wf.db
      wfengine db upgrade --db postgresql+psycopg://wf@db/wf
    """
    import sqlalchemy as sa

    from wfengine.errors import StoreError, StoreUnavailableError
    from wfengine.runtime.sql.connect import shown
    from wfengine.runtime.sql.migrate import upgrade as run_upgrade

    parsed, _ = _supported(url)
    _refuse_in_memory(parsed, url, "upgrade")
    try:  # (one transaction: a connection lost is tried again, as by the store)
        before, after = _retried(lambda: run_upgrade(url), shown(url))
    except StoreUnavailableError as exc:  # (the server down: its URL named in ``exc``)
        raise InputOutputError(f"cannot upgrade: {exc}") from exc
    except sa.exc.DBAPIError as exc:
        raise InputOutputError(_refused_upgrade(shown(url), parsed.username, exc)) from exc
    except (sa.exc.SQLAlchemyError, sa.exc.ArgumentError, OSError, StoreError) as exc:
        raise InputOutputError(f"cannot upgrade {shown(url)}: {exc}") from exc
    if before == after:
        click.echo(f"{shown(url)}: schema already at revision {after}")
    else:
        click.echo(f"{shown(url)}: schema upgraded from {before or 'empty'} to {after}")
    _compile_stored(url, announce=before is not None and before < _READING_MARK <= (after or ""))


#: the migration that marks the versions whose expressions read as an earlier wfengine's did
_READING_MARK = "0026"


def _compile_stored(url: str, *, announce: bool) -> None:
    """Compile every stored version once, saying on stderr what an operator upgrading should
    know: each version with open instances that this wfengine cannot compile (a warning
    naming it, how many instances run on it and why: they fail where they are used, and an
    `org load` leaves them as they are, until the version compiles or they are closed), and,
    with ``announce`` (the upgrade marked versions as reading their expressions as before),
    what reads as then (each process and text; INFO on later commands:
    :func:`wfengine.expressions.stored_reading.announcing`). Why here: the operator chose to
    upgrade now, and the commands that meet such a version later name only their own part."""
    from contextlib import nullcontext

    from wfengine.cli.stderr_log import logging_to_stderr
    from wfengine.errors import DeployError, WorkflowError
    from wfengine.expressions.stored_reading import announcing
    from wfengine.runtime.sql.store import SqlStore

    store = SqlStore(url, create=False)
    try:
        announced = announcing() if announce else nullcontext()
        with logging_to_stderr("WARNING", logger="wfengine.deploy"), announced:
            for process_id, versions in store.deployed_versions().items():
                for version in versions:
                    try:
                        store.deployment(process_id, version)
                    except DeployError as exc:
                        _warn_uncompiled(store, process_id, version, exc)
                    except WorkflowError:
                        continue
    finally:
        store.close()


def _warn_uncompiled(store: SqlStore, process_id: str, version: int, exc: Exception) -> None:
    """Warn of ``process_id`` version ``version``, which does not compile, when instances are
    open on it (a version nothing runs on harms nothing: it is named where it is used)."""
    from wfengine.one_line import one_line as o

    open_on = sum(
        1
        for s in store.instance_summaries(process_id=process_id)
        if s.version == version and s.state.is_open
    )
    if open_on:
        click.echo(
            f"warning: {open_on} open instance(s) run on process {o(process_id)!r} v{version}, "
            f"which this wfengine cannot compile: they fail where they are used until it "
            f"compiles (or they are terminated); {o(str(exc))}",
            err=True,
        )


@db.command()
@db_option
def current(url: str) -> None:
    """Print the database's schema revision and the one this wfengine needs.

    \b
    Examples:
      wfengine db current --db sqlite:///wf.db
    """
    import sqlalchemy as sa

    from wfengine.errors import StoreError
    from wfengine.runtime.sql.connect import create_engine, refuse_missing, shown
    from wfengine.runtime.sql.migrate import (
        current_revision,
        head_revision,
        is_known_revision,
        unstamped,
    )

    parsed, dialect = _supported(url)
    _refuse_in_memory(parsed, url, "inspect")
    try:
        refuse_missing(parsed, dialect)  # inspecting creates nothing
    except StoreError as exc:
        raise InputOutputError(str(exc)) from exc
    engine = create_engine(parsed)

    def read() -> tuple[str | None, str | None]:
        """The revision, and when there is none, why ``db upgrade`` would refuse."""
        with engine.connect() as conn:
            revision = current_revision(conn)
            return revision, None if revision is not None else unstamped(conn, shown(url))

    try:
        revision, refused = _retried(read, shown(url))
    except StoreError as exc:  # (the server down: said as every command says it)
        raise InputOutputError(str(exc)) from exc
    except sa.exc.DBAPIError as exc:
        raise InputOutputError(_unreadable(shown(url), parsed.username, exc)) from exc
    except (sa.exc.SQLAlchemyError, OSError) as exc:
        raise InputOutputError(f"cannot read {shown(url)}: {exc}") from exc
    finally:
        engine.dispose()
    if refused is not None:  # (not "needs `wfengine db upgrade`": it refuses them)
        raise InputOutputError(f"cannot use {shown(url)}: {refused}")
    head = head_revision()
    if revision == head:
        state = "up to date"
    elif revision is not None and not is_known_revision(revision):
        state = "written by a newer wfengine: upgrade wfengine"
    else:
        state = "needs `wfengine db upgrade`"
    click.echo(f"{shown(url)}: revision {revision or 'none'}, needed {head} ({state})")


def _refuse_in_memory(parsed: URL, url: str, what: str) -> None:
    """A usage error (exit 2) for an in-memory SQLite database. Why: each command opens its
    own, empty one and it is gone when the command ends, so ``db current`` answered "revision
    none ... needs `wfengine db upgrade`" and ``db upgrade`` "schema upgraded", advice and
    success that change nothing. ``demo crm`` refuses such a URL the same way."""
    from wfengine.runtime.sql.in_memory import sqlite_in_memory

    if not sqlite_in_memory(parsed):
        return
    raise click.BadParameter(
        f"{url} is an in-memory database: it is gone when the command ends, so it has no "
        f"stored schema revision to {what}: name a SQLite file (sqlite:///wf.db) or a server",
        param_hint="--db",
    )


def _supported(url: str) -> tuple[URL, Dialect]:
    """``url`` read, and its database's dialect; a URL that does not read, or names a
    database wfengine does not store in, is exit status 2 (as for every other command)."""
    import sqlalchemy as sa

    from wfengine.errors import StoreError
    from wfengine.runtime.sql.connect import normalise_url, supported

    try:
        parsed = normalise_url(url)
    except sa.exc.ArgumentError as exc:
        raise InputOutputError(f"cannot read the database URL: {exc}") from None
    except StoreError as exc:  # a port that is not a number (normalise_url)
        raise InputOutputError(str(exc)) from None
    try:
        return parsed, supported(parsed)
    except StoreError as exc:
        raise InputOutputError(str(exc)) from exc


def _retried(attempt: Callable[[], _T], url: str) -> _T:
    """``attempt`` (one transaction, or a read) run as the store runs its own: a connection
    that fails (the server down or restarting) is tried again with a back-off, and once the
    attempts run out is a :class:`~wfengine.errors.StoreUnavailableError` saying to check
    that the database is up; not one failure reported at once as "the database refused it"
    and "then run it again", which sent operators to re-run a command against a server
    that was down. A refusal (a privilege, a read-only or damaged file) is raised as it
    is, for the command to say with its own advice."""
    import sqlalchemy as sa

    from wfengine.runtime.sql.retry import RetryPolicy, is_transient, run_with_retries

    def once() -> _T:
        try:
            return attempt()
        except sa.exc.DBAPIError as exc:
            if is_transient(exc):
                raise
            raise _Refused(exc) from None  # (not judged by the retries: no SQLAlchemyError)

    try:
        return run_with_retries(once, what=url, policy=RetryPolicy())
    except _Refused as refused:
        raise refused.error from None


class _Refused(Exception):
    """A database error :func:`_retried` does not try again, carried past its retries."""

    def __init__(self, error: DBAPIError) -> None:
        super().__init__(str(error))
        self.error = error


def _refused_upgrade(url: str, role: str | None, exc: DBAPIError) -> str:
    """The database refusing the migration, said as the engine says a refused command (the
    driver's first line and what to check, not SQLAlchemy's statement and background link):
    the upgrade is one transaction, so nothing was changed. A refused privilege names the
    grant (or the schema) the role ``role`` needs."""
    from wfengine.runtime.sql.retry import first_line

    check = _advice(exc, role)
    advice = f"; {check}, then run it again" if check else ""
    return (
        f"cannot upgrade {url}: the database refused it ({type(exc.orig).__name__}: "
        f"{first_line(exc)}); nothing was changed{advice}"
    )


def _unreadable(url: str, role: str | None, exc: DBAPIError) -> str:
    """The database refusing to be read, said as every other command says it (the driver's
    first line and what to check, as the store's StoreUnavailableError does; the grant the
    role ``role`` lacks), not SQLAlchemy's text with its statement and background link.
    Reading changes nothing."""
    from wfengine.runtime.sql.retry import contention, first_line

    check = _advice(exc, role) or contention(exc)
    advice = f"; {check}" if check else ""
    return (
        f"cannot read {url}: the database refused it ({type(exc.orig).__name__}: "
        f"{first_line(exc)}){advice}"
    )


#: how the store's advice for a damaged file ends (:mod:`~wfengine.runtime.sql.retry`)
_READS_IT = " (`wfengine db current` reads it)"


def _advice(exc: DBAPIError, role: str | None) -> str | None:
    """What to check when the database refused ``db upgrade`` or ``db current`` (connected
    as ``role``), in both commands' words: the store's advice for a damaged file ends by
    pointing to ``db current``, which is this very command, or (for ``db upgrade``) one
    that reads a file that is not a database no better (``... restore it from a backup
    (`wfengine db current` reads it), then run it again``)."""
    from wfengine.runtime.sql.migrate import refusal_advice

    check = refusal_advice(exc, role)
    return None if check is None else check.removesuffix(_READS_IT)
