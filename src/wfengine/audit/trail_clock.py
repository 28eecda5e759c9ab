"""When a kept simulation trail's clock stopped: the "now" its figures are measured at.

``wfengine simulate --db URL`` keeps a replication's trail in a database of its own, written on
the run's virtual clock. Its work still waiting at the end waited from a simulated moment (2020,
or the default start in 2027) until the simulated end; measured against the reader's wall
clock (``wfengine stats --db``, :func:`~wfengine.audit.metrics.process_metrics` on an engine
opened on the database) it waited decades, or not at all yet, and the bottlenecks came out in
another order than the simulation's own report. So the simulation records, in the trail's
database, the moment its clock stopped (:func:`keep_stopped_clock`), and the figures read
"now" from there (:func:`trail_now`); a live database holds no such record and is measured
at its engine's clock, as before.

Why the ``blobs`` table, under a key no attachment takes (attachments are keyed by their
generated ids): it is a key-value table of every store's schema, so the record needs no
migration, and it travels with the database (a copy, a backup) as the trail does.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wfengine.runtime.engine import Engine
    from wfengine.worklist.notes import SqlBlobs

#: the record's key in the ``blobs`` table
STOPPED_CLOCK_KEY = "wfengine.simulation.stopped-clock"


def keep_stopped_clock(engine: Engine, when: datetime) -> None:
    """Record in ``engine``'s database that its trail's clock stopped at ``when`` (a
    simulation's end). Nothing for a memory store: its engine's clock is the simulation's."""
    blobs = _blobs(engine)
    if blobs is not None:
        blobs.delete(STOPPED_CLOCK_KEY)
        blobs.put(STOPPED_CLOCK_KEY, when.astimezone(UTC).isoformat().encode("ascii"))


def stopped_clock(engine: Engine) -> datetime | None:
    """The moment ``engine``'s trail's clock stopped, when a simulation kept it, else None."""
    blobs = _blobs(engine)
    if blobs is None:
        return None
    try:
        text = blobs.get(STOPPED_CLOCK_KEY)
    except KeyError:
        return None
    return datetime.fromisoformat(text.decode("ascii"))


def trail_now(engine: Engine) -> datetime:
    """ "Now" for the figures of ``engine``'s trail: when a simulation's clock stopped, for a
    trail it kept; the engine's clock otherwise."""
    return stopped_clock(engine) or engine.clock.now()


def _blobs(engine: Engine) -> SqlBlobs | None:
    """The ``blobs`` table of ``engine``'s database; None for a memory store. Why through
    ``sys.modules``: a store can only be a SQL one once its module was imported, and the
    figures of a memory engine should not import SQLAlchemy to learn that."""
    module = sys.modules.get("wfengine.runtime.sql.store")
    if module is None or not isinstance(engine.store, module.SqlStore):
        return None
    from wfengine.worklist.notes import SqlBlobs

    return SqlBlobs(engine.store)
