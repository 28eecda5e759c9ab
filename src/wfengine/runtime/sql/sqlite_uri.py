"""The file a SQLite ``file:`` URI makes when it is opened (:func:`created_file`).

Why: ``create=False`` refuses a SQLite database that does not exist yet before connecting,
since connecting makes the file (:meth:`~wfengine.runtime.sql.dialects.Dialect.missing`). A
``file:`` URI (``sqlite:///file:/p/wf.db?uri=true``, the form the README gives for SQLite's
parameters) was taken to say itself whether it may be created, so it was connected to and an
empty database was left at a mistyped path; yet without a ``mode=`` SQLite opens it
read-write-create, like a plain path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import unquote

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

__all__ = ["created_file"]

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
    name = path.removeprefix("file:").split("#", 1)[0]
    if name.startswith("//"):  # an authority before the path: SQLite takes only these
        authority, _, rest = name[2:].partition("/")
        if authority not in ("", "localhost"):
            return None  # (SQLite refuses it itself, making nothing)
        name = "/" + rest
    name = unquote(name)
    return None if name in ("", ":memory:") else name
