"""Engines sharing one store: the store closes when the last engine using it closes.

Why: README's PgBouncer form builds one ``SqlStore`` and hands it to several engines
(``Engine(store=shared)``, a worker's ``Worker(lambda: Engine(store=shared))`` one per thread),
and ``engine.close()`` closed the store outright: every other engine on it then failed with
"it is closed (engine.close()): open a new Engine on it", and a new Engine on it failed the
same way. Now each engine takes its store into use when it is built (:func:`use`) and gives
it back when it closes (:func:`release`); the store is closed when the last engine using it
gives it back. An engine built on a store that is closed (all its engines closed, or
``store.close()`` called) opens it again (the store's ``reopen``; a store that cannot, an
in-memory SQLite database whose data went with its connection, says to build a new one).
An engine built from ``db_url`` is its store's only user, so closing it closes the store.

Engines are held weakly: one dropped without ``close()`` no longer keeps the store open for
the others (it never closed the store itself either). A store that cannot be held weakly
(a host's own ``Store`` with ``__slots__``) is closed by each engine's ``close()``, as before.
"""

from __future__ import annotations

import threading
import weakref

from wfengine.runtime.store import Store

_lock = threading.Lock()
#: store -> the engines using it (not closed yet)
_users: weakref.WeakKeyDictionary[Store, weakref.WeakSet[object]] = weakref.WeakKeyDictionary()


def use(store: Store, engine: object) -> None:
    """``engine`` is built on ``store``: reopen the store if it is closed, count ``engine``
    among its users."""
    with _lock:
        reopen = getattr(store, "reopen", None)
        if reopen is not None:
            reopen()  # (nothing when it is open)
        try:
            users = _users.get(store)
            if users is None:
                users = _users[store] = weakref.WeakSet()
        except TypeError:  # not weakly referable or not hashable: closed by each engine
            return
        users.add(engine)


def release(store: Store, engine: object) -> None:
    """``engine`` closes: close ``store`` when no other engine uses it. Once per engine (a
    second ``close()`` of the same engine leaves the store to the others)."""
    with _lock:
        try:
            users = _users.get(store)
        except TypeError:
            users = None
        if users is not None:
            if engine not in users:
                return  # (released already)
            users.discard(engine)
            if users:
                return  # other engines still use it
        store.close()
