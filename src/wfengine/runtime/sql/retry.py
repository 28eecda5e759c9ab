"""What the SQL store does when the database fails under it: roll back, wait, try again.

A *transient* failure is one that a fresh attempt can get past: a dropped or refused
connection, a server's host name that does not resolve (yet), a PostgreSQL serialization
failure (SQLSTATE 40001) or deadlock (40P01), an administrator shutting a session down, or
SQLite saying the database is locked or busy (or that its WAL locking protocol failed). Every
attempt runs in its own transaction, which the failure rolled back, so retrying repeats nothing
(but see below for a COMMIT whose answer never came).
A database that refuses the work for a reason of its own (a read-only file or standby, a full
disk, a damaged file or one that is not a database, a refused login, a connection option of
the URL the driver cannot use: :func:`condition`) raises
:class:`~wfengine.errors.StoreUnavailableError` at once (not retried: trying again at once does
not cure it), naming the database (without its password), the driver's first line and what to
check. Anything else (a constraint violation,
which the store turns into what it means, a missing table, a bug) is raised at once as it is.
When the attempts run out the store raises :class:`~wfengine.errors.StoreUnavailableError`,
naming the database and the last error (and what to check, as above, when it is a disk's).

One ambiguity is inherent to any database client: when the connection drops *during* COMMIT
(sent, its answer never came: a network cut, the server killed mid-commit), the transaction
may have committed, or may still be committing. The store does not guess: before it tries
such a transaction again it finds out.

* On PostgreSQL every write transaction reads its own transaction id before its COMMIT goes
  (a command's commit in its batch, right after the BEGIN, the server asked to send that
  answer at once; any other write in the round trip of its COMMIT, just before it:
  ``pg_current_xact_id()``, on servers before 13 ``txid_current()``), and another
  connection asks the server what became of it (``pg_xact_status``): *committed*, the
  transaction succeeds as if the answer had come (a start is not run again, a completion not
  refused, a host's transaction not done twice); *aborted*, it is tried again; *in
  progress*, the server is still at it (its COMMIT waits for a lock or a standby, or its
  process waits for the rest of a batch whose client is gone): the store waits and asks
  again, with this policy's waits, as many as it has attempts; then it ends that server
  process (``pg_terminate_backend``: it holds the transaction's row locks, which a retry
  would wait for, for as long as the server takes to find the connection dead) and waits
  again. One still running after that raises :class:`~wfengine.errors.StoreUnavailableError`
  saying its outcome is unknown (unless it said a check, below). A write that changed
  nothing has no id and nothing to do twice; it is tried again.
* When the id is unknown (its answer was lost with the COMMIT's, or the server no longer
  knows it), the check the transaction said
  (:func:`~wfengine.runtime.sql.driver.note_check`) looks for its rows. A command's commit
  says one: whether the last audit event it writes for one of its instances is stored, with
  its hash (events are never changed, and another engine's event of that number has another
  hash), or, when it writes none, its instance row at the new version and update time
  (:meth:`~wfengine.runtime.sql.commit.StepWriter.landed`). Not stored: it is tried again;
  should that attempt meet its own rows after all (the cut connection's server process was
  still committing them: the insert or the row version waits for it), the check runs once
  more before a lost race is reported. A transaction with neither (a host's
  :meth:`~wfengine.runtime.sql.store.SqlStore.transaction` whose id's answer was lost) is
  tried again as it is.

SQLite needs none of this: its COMMIT is a call into the library on the same machine, which
returns with its outcome (an error there is a transaction rolled back). When the attempts run
out, :class:`~wfengine.errors.StoreUnavailableError` says whether stored data is unchanged or
whether an attempt's outcome is still unknown.

A connection the server ends just *after* answering the COMMIT (an administrator's
``pg_terminate_backend``, a fast shutdown, between the COMMIT and the end of the batch) is not
that case: the outcome is known, and the store returns the committed transaction instead of
running it again, on every path a transaction is written (batched or not, its statements
watched or not): what sent the COMMIT saw its answer and said so
(:func:`~wfengine.runtime.sql.driver.note_committed`), and
:meth:`~wfengine.runtime.sql.database.Database.write` runs no attempt after that one.
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import exc as sa_exc

from wfengine.errors import StoreUnavailableError

_T = TypeVar("_T")
_log = logging.getLogger("wfengine.store")

#: PostgreSQL SQLSTATEs worth another attempt (classes 08 connection, 40 rollback, 57P admin)
_TRANSIENT_SQLSTATES = ("08", "40001", "40P01", "57P01", "57P02", "57P03", "53300")
#: SQLite's messages for the same; "locking protocol" (SQLITE_PROTOCOL) is a WAL lock it could
#: not take after its own retries, seen when other processes are killed while they use the file
_SQLITE_TRANSIENT = (
    "database is locked",
    "database table is locked",
    "busy",
    "disk i/o error",
    "locking protocol",
)


#: what to check when the database's file could not be written, or its disk is full
#: (SQLite in WAL mode writes its -shm file even to read, so ``mode=ro`` cannot read a file on a
#: read-only medium; ``immutable=1`` can, which the message names for commands that only read)
_WRITABLE = (
    "check that this process may write the file, its directory and its -wal and -shm files "
    "(permissions, a read-only mount, a mode=ro or immutable=1 URL); a command that only reads "
    "may read a database on a read-only medium as sqlite:///file:PATH?immutable=1&uri=true "
    "when no -wal file lies beside it"
)
_FULL = "check the free space of the disk holding it (and any file size limit)"
_STORAGE = f"{_FULL}, and {_WRITABLE.removeprefix('check ')}"
#: what to check when the file is not a sound database
_DAMAGED = (
    "the file is damaged or is not a database: check the path, and restore it from a backup "
    "(`wfengine db current` reads it)"
)
#: SQLite primary result codes (a sqlite3 error's ``sqlite_errorcode & 0xff``) of a database
#: that cannot do the work for a reason of its own, and what to check
_SQLITE_CONDITIONS = {
    3: _WRITABLE,  # SQLITE_PERM
    8: _WRITABLE,  # SQLITE_READONLY
    10: _STORAGE,  # SQLITE_IOERR (also retried: a disk that failed once may not again)
    11: _DAMAGED,  # SQLITE_CORRUPT
    13: _FULL,  # SQLITE_FULL
    14: _WRITABLE,  # SQLITE_CANTOPEN
    26: _DAMAGED,  # SQLITE_NOTADB
}
#: PostgreSQL SQLSTATE prefixes of the same, and what to check
_PG_CONDITIONS = (
    ("53100", "check the free space of the server's disk"),
    ("53200", "check the server's memory"),
    ("58", "check the server's disk and its log"),
    ("XX00", "the server found its data damaged: see its log, restore from a backup"),
    ("25006", "it is read-only here (a standby, default_transaction_read_only): use the primary"),
    ("28", "check the user name and password (or the server's pg_hba.conf)"),
    ("3D000", "check the database name (create it first)"),
)
#: what the server (or libpq) says when it refuses a login, and the SQLSTATE it stands for.
#: Why: psycopg 3 raises a failed connection attempt with no SQLSTATE (libpq keeps none for
#: it), so a wrong password, an unknown role or a missing database matched no condition
#: above, was retried as a lost connection ("connection failed" in its text) and, six
#: attempts later, blamed on the server being down. (A server whose lc_messages is not
#: English says these in its language: they are still retried, as before.)
_PG_LOGIN_REFUSALS = (
    (re.compile(r"authentication failed for user"), "28P01"),  # password, peer, ident, ...
    (re.compile(r"no password supplied"), "28P01"),  # libpq: the server asked for one
    (re.compile(r"no pg_hba\.conf entry|pg_hba\.conf rejects connection"), "28000"),
    (re.compile(r"FATAL:\s+role \".*\" (?:does not exist|is not permitted to log in)"), "28000"),
    (re.compile(r"FATAL:\s+database \".*\" does not exist"), "3D000"),
)
#: what psycopg (resolving the host itself) or libpq says when the host name does not
#: resolve. Why: such a failure has no SQLSTATE and its text may not say "connection"
#: ("failed to resolve host 'db': [Errno -2] Name or service not known"), so it escaped
#: ``Engine()`` at once as a raw SQLAlchemy error, where a DNS hiccup or a database service
#: not up yet (its name registered when it starts) is what retries are for.
_PG_UNRESOLVED = re.compile(
    r"failed to resolve host|could not translate host name|name or service not known"
    r"|temporary failure in name resolution|nodename nor servname",
    re.IGNORECASE,
)
#: what psycopg or libpq says of a connection option of the URL it cannot use (a query
#: argument it does not know, or a value it cannot read), before any server is asked. Why:
#: psycopg raises it as a ProgrammingError without SQLSTATE, which escaped ``Engine()`` as a
#: raw SQLAlchemy error (or, said as a "connection is bad", was retried as a lost one); the
#: URL does not mend itself, so it is refused at once, saying what to check.
_PG_BAD_OPTION = re.compile(
    r"invalid connection option|bad value for \w+|invalid \w+ value|connection info string"
    r"|invalid URI",
    re.IGNORECASE,
)
_OPTIONS = "check the connection options of the URL (its query arguments after '?')"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """``attempts`` tries in all, waiting ``base_delay * 2**n`` (capped, with jitter) between,
    with ``sleep`` (a test's or a simulation's own clock may stand in for the real one).

    The same waits bound how long the store waits for a transaction whose COMMIT went
    unanswered while the server still runs it (see the module notes)."""

    attempts: int = 6
    base_delay: float = 0.05
    max_delay: float = 2.0
    sleep: Callable[[float], object] = time.sleep

    def delay(self, failures: int) -> float:
        wait = min(self.max_delay, self.base_delay * 2.0 ** (failures - 1))
        jitter: float = random.random()  # spreads retries of engines that failed together
        return wait * (0.5 + jitter / 2)


def sqlstate(orig: BaseException | None) -> str | None:
    """The SQLSTATE of the driver's error ``orig``; for a login the server refused, which
    psycopg raises without one (see :data:`_PG_LOGIN_REFUSALS`), the one its text stands for."""
    code = getattr(orig, "sqlstate", None)
    if isinstance(code, str) or orig is None or not type(orig).__module__.startswith("psycopg"):
        return code if isinstance(code, str) else None
    text = str(orig)
    pgconn = getattr(orig, "pgconn", None)  # (libpq's own message, should str() leave it out)
    said = getattr(pgconn, "error_message", None)
    if isinstance(said, bytes):
        text += "\n" + said.decode("utf-8", "replace")
    return next((code for pattern, code in _PG_LOGIN_REFUSALS if pattern.search(text)), None)


def is_transient(error: BaseException) -> bool:
    """Would the same transaction, tried again, have a fair chance to succeed?"""
    if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, sa_exc.DisconnectionError | sa_exc.TimeoutError):
        return True
    if not isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError):
        return False
    orig = error.orig
    code = sqlstate(orig)
    if isinstance(code, str):
        return code.startswith(_TRANSIENT_SQLSTATES)
    if type(orig).__module__.startswith("sqlite3"):
        text = str(orig).lower()
        return any(s in text for s in _SQLITE_TRANSIENT)
    # a driver error without a code (psycopg: connection lost before a code was known, or
    # its host's name not resolved), unless the URL's options are what it could not use
    if _bad_option(error):
        return False
    text = str(orig)
    return (
        isinstance(error, sa_exc.InterfaceError)
        or "connection" in text.lower()
        or _PG_UNRESOLVED.search(text) is not None
    )


def condition(error: BaseException) -> str | None:
    """What to check when ``error`` is the database refusing the work for a reason of its own
    (see :data:`_SQLITE_CONDITIONS`, :data:`_PG_CONDITIONS`); None for any other error."""
    if not isinstance(error, sa_exc.DBAPIError) or isinstance(error, sa_exc.IntegrityError):
        return None  # (a constraint the store turns into what it means: a lost race)
    orig = error.orig
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return _SQLITE_CONDITIONS.get(code & 0xFF)
    state = sqlstate(orig)
    if isinstance(state, str):
        for prefix, check in _PG_CONDITIONS:
            if state.startswith(prefix):
                return check
        return None
    return _OPTIONS if _bad_option(error) else None


def _bad_option(error: sa_exc.DBAPIError) -> bool:
    """Is ``error`` psycopg refusing a connection option of the URL? Only an error raised
    outside any statement (SQLAlchemy gives one raised as it connects no ``statement``) is
    read so: a statement's error saying "bad value for ..." (a numeric psycopg could not
    read) was reported as the URL's options to check."""
    orig = error.orig
    return (
        error.statement is None
        and type(orig).__module__.startswith("psycopg")
        and _PG_BAD_OPTION.search(str(orig)) is not None
    )


#: what to do when the attempts ran out waiting for a lock someone else holds
_LOCK_HELD = (
    "another connection or process holds the database's write lock (a transaction left "
    "open: a database tool, a script, another program): find it and have it commit or roll "
    "back"
)
#: ... and when they kept losing to concurrent transactions
_CONFLICTS = (
    "concurrent transactions kept conflicting with it (serialization failures or deadlocks): "
    "try again when the load is lower, or run fewer workers"
)
#: SQLite primary result codes of a lock someone else holds: SQLITE_BUSY, SQLITE_LOCKED
_SQLITE_LOCK_CODES = (5, 6)


def contention(error: BaseException) -> str | None:
    """What to do when ``error`` is a wait for a lock another session holds, or a lost race
    with concurrent transactions (None for any other error).

    Why it matters: such a database is up, and "check that the database is up" sent
    operators looking at the wrong thing while a forgotten open transaction (SQLite's
    BEGIN IMMEDIATE in another process) held every writer back."""
    if not isinstance(error, sa_exc.DBAPIError):
        return None
    orig = error.orig
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return _LOCK_HELD if code & 0xFF in _SQLITE_LOCK_CODES else None
    sqlstate = getattr(orig, "sqlstate", None)
    if isinstance(sqlstate, str):
        return _CONFLICTS if sqlstate in ("40001", "40P01") else None
    if type(orig).__module__.startswith("sqlite3"):  # a driver that gives no code
        text = str(orig).lower()
        return _LOCK_HELD if "locked" in text or "busy" in text else None
    return None


def run_with_retries(
    attempt: Callable[[], _T],
    *,
    what: str,
    policy: RetryPolicy,
    sleep: Callable[[float], object] | None = None,
    unknown: Callable[[], bool] | None = None,
) -> _T:
    """Run ``attempt`` (one whole transaction) until it succeeds or the policy gives up.

    ``what`` names the database in the final error; ``sleep`` waits between attempts (by
    default the policy's); ``unknown``, asked when the attempts run
    out: whether an attempt's COMMIT went unanswered and it is still not known whether it
    committed (the final error then says so instead of "stored data is unchanged").
    """
    failures = 0
    while True:
        try:
            return attempt()
        except sa_exc.SQLAlchemyError as error:
            cause = error.orig if isinstance(error, sa_exc.DBAPIError) else error
            if not is_transient(error):
                check = condition(error)
                if check is None:
                    raise
                raise StoreUnavailableError(
                    f"the database {what} refused the work ({type(cause).__name__}: "
                    f"{first_line(error)}); nothing was changed; {check}"
                ) from error
            failures += 1
            if failures >= policy.attempts:
                check = condition(error) or contention(error) or "check that the database is up"
                outcome = (
                    "the COMMIT of an attempt was sent and its answer never came, so whether "
                    f"it was stored is unknown (the others were rolled back); {check}, and "
                    "whether the change is there before you retry"
                    if unknown is not None and unknown()
                    else f"each attempt was rolled back, stored data is unchanged; {check}, "
                    "then retry"
                )
                raise StoreUnavailableError(
                    f"the database {what} failed {failures} times in a row "
                    f"({type(cause).__name__}: {first_line(error)}); {outcome}"
                ) from error
            wait = policy.delay(failures)
            _log.warning(
                "database %s: %s; retrying in %.2fs (%d/%d)",
                what,
                first_line(error),
                wait,
                failures,
                policy.attempts,
            )
            (policy.sleep if sleep is None else sleep)(wait)


def first_line(error: sa_exc.SQLAlchemyError) -> str:
    """The first line of what ``error`` (its driver's error, when it has one) says."""
    orig = error.orig if isinstance(error, sa_exc.DBAPIError) else error
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0]
