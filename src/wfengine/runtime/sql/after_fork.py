"""What a process forked from one with live engines and SQL stores must not share with it.

Why: a host that opens its ``Engine`` before it forks (gunicorn ``--preload``, multiprocessing's
``fork``) gave the child copies of everything: the engine's lease owner (``worker_id``), so
parent and child each claimed the jobs leased to the other (a claim takes the jobs leased to
its own owner) and made each asynchronous call twice; the id blocks the store had reserved, so
both handed out ``pi-101`` and the second commit was refused (``IdTakenError``); and the
connections the store kept, one database session used by two processes.

So each such object registers here (:func:`renew_in_child`, weakly: a registered object is
not kept alive) and its ``after_fork()`` runs in the child, right after the fork: an engine
takes a lease owner of its own, an id generator forgets its blocks, a database forgets the
parent's connections. Those are not closed: closing one from the child ends the parent's
session (PostgreSQL's connection ends for both), and SQLAlchemy resets a connection it
collects; the child keeps them, unused (:func:`inherited`), and opens its own. Except an
in-memory SQLite database private to its connection: its data is in that connection, so the
child keeps using its copy of it (a database of the child's own, as before the fork).
"""

from __future__ import annotations

import os
import weakref
from typing import Protocol


class Renewed(Protocol):
    """An object whose state a forked child must not share with its parent."""

    def after_fork(self) -> None:
        """Run in the child, right after the fork (one thread: the one that forked)."""


_live: weakref.WeakSet[Renewed] = weakref.WeakSet()
#: the parent's connections a child was forked holding: kept, never used nor closed
_inherited: list[object] = []


def renew_in_child(obj: Renewed) -> None:
    """Call ``obj.after_fork()`` in each child forked from this process while ``obj`` lives."""
    _live.add(obj)


def inherited(connection: object) -> None:
    """Keep ``connection``, the parent's, unused for the child's lifetime (see the module
    notes: neither closed nor collected)."""
    _inherited.append(connection)


def _in_child() -> None:
    for obj in list(_live):
        obj.after_fork()


if hasattr(os, "register_at_fork"):  # (not on Windows, which has no fork)
    os.register_at_fork(after_in_child=_in_child)
