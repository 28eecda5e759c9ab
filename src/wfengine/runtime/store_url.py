"""The store a URL names: ``Engine.from_url(url)`` and ``Engine(db_url=...)``.

``memory://`` (``memory:``, any case) is the in-memory store; any other URL a SQLAlchemy
database URL for a :class:`~wfengine.runtime.sql.store.SqlStore` (imported only then, so a
program on the memory store never loads SQLAlchemy). Why ``memory://`` with a path or a name
is refused by name: it read "unsupported database memory://x: wfengine stores in SQLite or
PostgreSQL", though ``memory://`` is documented, and as ``db_url`` (a SQL database's URL) it
read the same.
"""

from __future__ import annotations

from wfengine.errors import StoreError
from wfengine.runtime.host_arguments import check_url
from wfengine.runtime.memory_store import MemoryStore
from wfengine.runtime.store import Store

#: the URL of the in-memory store for :meth:`Engine.from_url`
MEMORY_URL = "memory://"


def memory_url(url: object) -> bool:
    """Does ``url`` name the memory store? One with a path or name after ``memory:`` is a
    :class:`~wfengine.errors.StoreError` saying it takes none."""
    if not isinstance(url, str):
        return False  # (SqlStore says what a URL is)
    scheme, _, rest = url.partition(":")
    if scheme.lower() != "memory":
        return False
    if rest not in ("", "//"):
        raise StoreError(
            f"{url}: memory:// (the in-memory store) takes no path or name: write "
            f"{MEMORY_URL} (each engine made from it has a new, empty store of its own)"
        )
    return True


def store_for(url: str, *, create: bool) -> Store:
    """The store ``url`` names (``Engine.from_url``); ``create=False`` refuses a new one."""
    check_url(url, "Engine.from_url")
    if memory_url(url):
        if not create:
            raise StoreError(f"{url} names a new, empty store: nothing is stored there")
        return MemoryStore()
    from wfengine.runtime.sql.store import SqlStore

    return SqlStore(url, create=create)


def sql_store(db_url: str) -> Store:
    """The SQL store ``Engine(db_url=...)`` names; the memory store's URL is refused."""
    if memory_url(db_url):
        raise StoreError(
            f"Engine: db_url names a SQL database, and {db_url} is the memory store: "
            f"use Engine() (or Engine.from_url({db_url!r}))"
        )
    from wfengine.runtime.sql.store import SqlStore

    return SqlStore(db_url)
