"""What deciding who may read many instances reads of them, read by the instances' ids: who
created each (and each caller up its chain), its open work items, and the items it offered.

Why: a non-administrator's listing of more than a few instances read those for the whole
store (every creation, every caller, every open item, every offer), however few instances a
filter kept: 40 of 10,000 instances on SQLite cost the reads of all 10,000. Read by id lists,
the check costs what it lists. Only a SQL store is read this way (a few statements over its
indexes, in one snapshot, through its :meth:`~wfengine.runtime.sql.store.SqlStore.
transaction`); another store answers None and the caller reads the whole store as before
(the memory store holds it in memory: no read to save).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from wfengine.runtime.snapshots import InstanceSummary, WorkItemSnapshot, work_item_snapshot

if TYPE_CHECKING:
    import sqlalchemy as sa

#: what the audit trail's first event of an instance is
CREATED = "instance.created"
#: what an offer of a work item is recorded as
OFFERED = "work_item.offered"
#: most instances read by id lists; a longer listing reads the whole store (which it mostly is)
MOST_BY_ID = 2_000


@dataclass(slots=True)
class ListingFacts:
    """What :func:`listing_facts` read, by instance id."""

    #: the user each instance's creation names (None: the host's, or a subflow's)
    created: dict[str, str | None] = field(default_factory=dict)
    #: each instance's caller (None: a top-level instance)
    callers: dict[str, str | None] = field(default_factory=dict)
    open_items: dict[str, list[WorkItemSnapshot]] = field(default_factory=dict)
    #: the ids of the work items each instance offered, in the order offered
    offered: dict[str, list[str]] = field(default_factory=dict)


def listing_facts(store: Any, summaries: Sequence[InstanceSummary]) -> ListingFacts | None:
    """The facts of the instances ``summaries`` lists, and the creations and callers of
    their callers up each chain; None when ``store`` cannot read them by id lists (not a
    SQL store, or more than :data:`MOST_BY_ID` instances)."""
    if len(summaries) > MOST_BY_ID or not _by_id(store):
        return None
    ids = [s.id for s in summaries]

    def read(conn: sa.Connection) -> ListingFacts:
        from wfengine.runtime.sql import listing

        facts = ListingFacts()
        facts.callers.update((s.id, s.parent_instance_id) for s in summaries)
        for item in listing.open_items_of(conn, ids):
            facts.open_items.setdefault(item.instance_id, []).append(work_item_snapshot(item))
        wanted = ids
        kinds: tuple[str, ...] = (CREATED, OFFERED)
        while wanted:  # the listed instances, then the callers their creations leave open
            for event in listing.events_of(conn, wanted, kinds):
                if event.kind == CREATED:
                    facts.created.setdefault(event.instance_id, event.user)
                elif event.work_item_id is not None:
                    facts.offered.setdefault(event.instance_id, []).append(event.work_item_id)
            callers = {
                caller
                for instance_id in wanted
                if facts.created.get(instance_id) is None
                and (caller := facts.callers.get(instance_id)) is not None
                and caller not in facts.callers
            }
            wanted = sorted(callers)
            if wanted:
                found = listing.summaries_of(conn, wanted)
                facts.callers.update((s.id, s.parent_instance_id) for s in found)
                facts.callers.update((x, None) for x in wanted if x not in facts.callers)
            kinds = (CREATED,)  # (a caller's offers concern the caller, not those listed)
        return facts

    facts: ListingFacts = store.transaction(read, write=False)
    return facts


def _by_id(store: Any) -> bool:
    """Is ``store`` a SQL store (whose tables :mod:`wfengine.runtime.sql.listing` reads)?"""
    if "wfengine.runtime.sql.store" not in sys.modules:  # (no SQL store made: not imported)
        return False
    from wfengine.runtime.sql.store import SqlStore

    return isinstance(store, SqlStore)
