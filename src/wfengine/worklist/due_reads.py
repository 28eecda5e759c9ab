"""What a page of work items needs to say when each is due, read for the page's instances at
once: each instance's process version and deadline timers, the deadlines that fired, and
the containers of multi-instance items (:mod:`wfengine.worklist.worklists` works the due
times out of them).

Why: ``wfengine worklist`` read each listed instance whole, then its timers, one instance
after the other: two statements per instance, 4,002 for a list of 2,000 items, seconds where
the items themselves took a fraction of one. On a SQL store the instances are read by id
lists in one snapshot each (:meth:`~wfengine.runtime.sql.store.SqlStore.transaction`), a
statement per 500 instances and per thing read, however many items a page holds; what
fired and the containers only for the instances whose items have deadlines. Another store
is asked per instance, as before (the memory store holds them in memory: no read to save).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from wfengine.runtime.instance import Timer
from wfengine.runtime.store import AuditEvent

if TYPE_CHECKING:
    import sqlalchemy as sa

    from wfengine.runtime.engine import Engine
    from wfengine.runtime.snapshots import WorkItemSnapshot

#: what a deadline that fired is recorded as
FIRED = "deadline.fired"


@dataclass(slots=True)
class PageInstances:
    """What :func:`page_instances` read, by instance id."""

    #: each instance's process and the version it runs
    versions: dict[str, tuple[str, int]] = field(default_factory=dict)
    #: the instances' deadline timers (a boundary timer's too: the caller tells them apart)
    timers: list[Timer] = field(default_factory=list)


def page_instances(engine: Engine, instance_ids: Sequence[str]) -> PageInstances:
    """The process versions and deadline timers of the instances ``instance_ids``. An
    instance whose row a SQL listing cannot read is asked on its own, which raises what
    reading it raises (as reading the instance whole did)."""
    store = engine.store
    found = PageInstances()
    if _by_id(store) and instance_ids:

        def read(conn: sa.Connection) -> PageInstances:
            from wfengine.runtime.sql import listing

            read_now = PageInstances()
            for s in listing.summaries_of(conn, instance_ids):
                read_now.versions[s.id] = (s.process_id, s.version)
            read_now.timers = listing.deadline_timers_of(conn, instance_ids)
            return read_now

        found = store.transaction(read, write=False)
    for instance_id in instance_ids:
        if instance_id not in found.versions:  # (another store; a row a listing skips)
            summary = store.instance_summary(instance_id)
            found.versions[instance_id] = (summary.process_id, summary.version)
            found.timers.extend(store.timers(instance_id))
    return found


@dataclass(slots=True)
class Deadlines:
    """What :func:`deadlines` read."""

    #: the ``deadline.fired`` events of the instances asked about
    fired: list[AuditEvent] = field(default_factory=list)
    #: the container of each multi-instance item asked about, by its activity instance
    containers: dict[str, str] = field(default_factory=dict)


def deadlines(
    engine: Engine, instance_ids: Sequence[str], mi_items: Sequence[WorkItemSnapshot]
) -> Deadlines:
    """The deadlines that fired in the instances ``instance_ids``, and the container of each
    of ``mi_items`` (instances of multi-instance activities, whose deadlines are their
    container's). A SQL store reads both at once (the containers from its activity rows);
    an item whose row names no container (another store; a row written before containers
    were recorded) has it looked up among its instance's activity instances."""
    store = engine.store
    found = Deadlines()
    wanted = [i.activity_instance_id for i in mi_items]
    if _by_id(store) and instance_ids:

        def read(conn: sa.Connection) -> Deadlines:
            from wfengine.runtime.sql import listing

            events = listing.events_of(conn, instance_ids, (FIRED,))
            return Deadlines(events, listing.containers_of(conn, wanted) if wanted else {})

        found = store.transaction(read, write=False)
    else:
        for instance_id in instance_ids:
            found.fired += engine.audit_events(instance_id=instance_id, kind=FIRED)
    unread = {i.instance_id for i in mi_items if i.activity_instance_id not in found.containers}
    for instance_id in sorted(unread):
        for a in engine.activity_instances(instance_id):
            if a.mi_parent_id is not None:
                found.containers.setdefault(a.id, a.mi_parent_id)
    return found


def _by_id(store: Any) -> bool:
    """Is ``store`` a SQL store (whose tables :mod:`wfengine.runtime.sql.listing` reads)?"""
    if "wfengine.runtime.sql.store" not in sys.modules:  # (no SQL store made: not imported)
        return False
    from wfengine.runtime.sql.store import SqlStore

    return isinstance(store, SqlStore)
