"""Keeping a SQLite store on the file it opened.

Connecting to a SQLite path makes the file when there is none. That is how a store creates its
database, once; later it was how a deleted database came back empty: a worker's file removed
by an operator or a cleanup job while it ran, the supervisor's next connection made a new empty
file at the path and logged ``no such table: jobs`` every second, while the worker's open
connections went on committing into the deleted file (lost when they close), and afterwards the
command line invited a ``db upgrade`` of the empty file.

A :class:`FileGuard` watches one SQLAlchemy engine's file. Once a connection has opened the
file, it notes the file's identity (device and inode); every later connection is refused
before it is made (nothing is created) when the file is gone or another file has taken its
place (moved over it: a restore), with a :class:`~wfengine.errors.StoreUnavailableError`
naming the file (the database cannot be used, and no retry cures it).

Connections already open cannot tell, and the store keeps them (one kept per thread, the rest
pooled): a web app's commands went on committing into the deleted file, and its host was told
they were stored. So the store asks the guard (:meth:`FileGuard.refuse`: one ``os.stat``,
1-3 us) before each write transaction (a command's commit) and each read outside a command,
and refuses with the same error; which guard, if any, is decided once per store
(:func:`guard_of`: none for PostgreSQL or an in-memory database). The
long-running processes also ask :func:`file_problem` as they go (the worker between its
rounds, the supervisor every second) and stop, saying why. A COMMIT that began before the file
went is in the deleted file and lost.
"""

from __future__ import annotations

import contextlib
import os
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wfengine.errors import StoreUnavailableError

if TYPE_CHECKING:
    import sqlalchemy as sa
    from sqlalchemy.engine import URL

#: the guard of each engine on a SQLite file (weak: an engine dropped takes its guard along;
#: keyed by any object, so asking about a store imports no SQLAlchemy: the worker's module is
#: loaded light)
_guards: weakref.WeakKeyDictionary[object, FileGuard] = weakref.WeakKeyDictionary()


class FileGuard:
    """The file ``path`` of one engine's connections (see the module notes)."""

    def __init__(self, path: str) -> None:
        # absolute now: the process may change its directory later, and the file stays
        self.path = str(Path(path).absolute())
        self._identity: tuple[int, int] | None = None

    def watch(self, engine: sa.Engine) -> None:
        """Check every new connection of ``engine`` before it is made, and note the file
        after the first is."""
        from sqlalchemy import event

        event.listen(engine, "do_connect", self._before_connect)
        event.listen(engine, "connect", self._after_connect)
        _guards[engine] = self

    def problem(self) -> str | None:
        """What became of the file since a connection opened it (None: nothing, or none has
        opened it yet): gone, or another file in its place."""
        if self._identity is None:
            return None
        try:
            now = _identity(self.path)
        except FileNotFoundError:
            what = "was deleted"
        except OSError as exc:
            what = f"cannot be read any more ({exc.strerror or exc})"
        else:
            if now == self._identity:
                return None
            what = "was replaced by another file"
        return (
            f"the database file {self.path} {what} while this process had it open: nothing "
            "written since is stored there, and no new database is made in its place; stop "
            "every process using it and restore the file (or start afresh with "
            "`wfengine db upgrade`)"
        )

    def refuse(self) -> None:
        """Raise :class:`~wfengine.errors.StoreUnavailableError` (the worker's error, with the
        same words) when the file is gone or replaced (:meth:`problem`): what would be
        written now would go into a file no one will read again."""
        if (problem := self.problem()) is not None:
            raise StoreUnavailableError(problem)

    def _before_connect(self, *_args: Any) -> None:
        self.refuse()

    def _after_connect(self, *_args: Any) -> None:
        if self._identity is None:  # (not there after all: nothing to watch)
            with contextlib.suppress(OSError):
                self._identity = _identity(self.path)


def file_path(url: URL) -> str | None:
    """The file a SQLite ``url`` names by path; None for an in-memory database or a URI
    (``file:...``, which says itself whether it may be created)."""
    path = url.database
    if not path or path == ":memory:" or path.startswith("file:") or "uri" in url.query:
        return None
    return path


def guard_of(engine: object) -> FileGuard | None:
    """The guard watching ``engine``'s SQLite file (:meth:`FileGuard.watch`); None for any
    other database, or an engine made elsewhere."""
    try:
        return _guards.get(engine)
    except TypeError:  # (not weakly referable: no engine of ours)
        return None


def file_problem(engine: object) -> str | None:
    """What became of the SQLite file ``engine`` opened (see :meth:`FileGuard.problem`);
    None for any other database."""
    guard = guard_of(engine)
    return None if guard is None else guard.problem()


def _identity(path: str) -> tuple[int, int]:
    stat = os.stat(path)
    return stat.st_dev, stat.st_ino


def store_file_problem(store: object) -> str | None:
    """:func:`file_problem` of a store's engine (a SQL store's ``sa_engine``); None for a
    store on no SQLite file (the memory store, PostgreSQL)."""
    engine = getattr(store, "sa_engine", None)
    return None if engine is None else file_problem(engine)
