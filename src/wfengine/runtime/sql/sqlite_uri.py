"""The file a SQLite ``file:`` URI names: the one it makes when it is opened
(:func:`created_file`), and one ``immutable=1`` would read without its commits
(:func:`refuse_unseen_wal`).

Why: ``create=False`` refuses a SQLite database that does not exist yet before connecting,
since connecting makes the file (:meth:`~wfengine.runtime.sql.dialects.Dialect.missing`). A
``file:`` URI (``sqlite:///file:/p/wf.db?uri=true``, the form the README gives for SQLite's
parameters) was taken to say itself whether it may be created, so it was connected to and an
empty database was left at a mistyped path; yet without a ``mode=`` SQLite opens it
read-write-create, like a plain path.
"""

from __future__ import annotations

import os
import stat
from typing import TYPE_CHECKING
from urllib.parse import unquote

from wfengine.errors import StoreError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

__all__ = ["created_file", "refuse_unseen_wal"]

#: the ``mode=`` values under which SQLite makes a missing file (none given: ``rwc``)
_CREATING_MODES = frozenset({None, "rwc"})


def created_file(url: URL) -> str | None:
    """The path of the file SQLite makes if it is missing when ``url``, a ``file:`` URI with
    ``uri=true``, is opened; None for any other URL, and for a URI that makes no file: an
    in-memory one (``mode=memory``, ``file::memory:``, ``vfs=memdb``) or one whose mode opens
    only what exists (``ro``, ``rw``: SQLite refuses the missing file itself)."""
    path = url.database or ""
    if not path.startswith("file:") or "uri" not in url.query:
        return None
    mode = url.query.get("mode")
    if mode not in _CREATING_MODES or url.query.get("vfs") == "memdb":
        return None
    return _named_file(path)


def refuse_unseen_wal(url: URL) -> None:
    """Raise :class:`StoreError` for an ``immutable=1`` URI whose file has a non-empty
    ``-wal`` file beside it.

    Why: ``immutable`` makes SQLite read the main file alone, which is how a database on a
    read-only medium is read (WAL mode writes the ``-shm`` file even to read); commits still
    in the ``-wal`` file (its last writer died, or the files were copied while it ran) were
    silently not seen: an instance terminated there listed as running, or the whole database
    as having no schema. Refused before anything is opened, saying what to do.
    """
    path = url.database or ""
    if not path.startswith("file:") or "uri" not in url.query:
        return
    if str(url.query.get("immutable", "")).strip().lower() not in ("1", "true", "yes", "on"):
        return
    name = _named_file(path)
    if name is None:
        return
    try:
        found = os.stat(f"{name}-wal")
    except OSError:  # (none beside it: the file holds every commit)
        return
    unseen = stat.S_ISREG(found.st_mode) and found.st_size > 0  # (not a file: no WAL of it)
    if unseen:
        raise StoreError(
            f"cannot read the database {name} with immutable=1: {name}-wal beside it holds "
            "commits SQLite would not read that way (its last writer did not close it); "
            "nothing was opened: open it with a plain URL where its folder may be written, or "
            "copy the file and its -wal file to such a place and open the copy"
        )


def _named_file(path: str) -> str | None:
    """The file a ``file:`` URI's path names; None for an in-memory one or one with a remote
    authority (SQLite refuses it itself)."""
    name = path.removeprefix("file:").split("#", 1)[0]
    if name.startswith("//"):  # an authority before the path: SQLite takes only these
        authority, _, rest = name[2:].partition("/")
        if authority not in ("", "localhost"):
            return None  # (SQLite refuses it itself, making nothing)
        name = "/" + rest
    name = unquote(name)
    return None if name in ("", ":memory:") else name
