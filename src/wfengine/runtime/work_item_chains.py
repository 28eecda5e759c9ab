"""Which work item replaced which, and whom the escalations of the work reached, as an
instance's audit trail tells it.

The engine withdraws an open item and offers its activity's work again as a new item when
the organisation changed (``Engine.reoffer_work``, at once or by an ``offer`` incident's
retry) and when four eyes takes it from the only people who had it: the work goes on, under
another id (``wi-1`` then ``wi-2`` then ``wi-3``). What was given to the work is given to
the chain, not to one id of it: those an escalation reached keep the work at every later
re-offer while the organisation knows them, and the comments and attachments left on an
earlier item are read by whoever may see the one that replaced it. Nothing is copied to the
new item; both follow the chain as this module reads it from the trail.

The rule: an item withdrawn (``work_item.cancelled``) while its activity instance stays open
is replaced by the next item offered on that activity instance. An item completed ends its
chain, as it is never withdrawn (the next item of the same activity instance is another round
of a loop, or the person's part after the applications of a Manual start and finish); an
item withdrawn as its activity closed has no successor.

Why read from the trail: a work item records no predecessor, and the trail already holds
every offer, withdrawal, completion and escalation in the order they happened, on every
store, so no new record (nor audit event kind) is needed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from wfengine.runtime.store import AuditEvent
from wfengine.runtime.work_item_events import WorkItemEscalated

#: the event kinds a chain is read from (an :class:`~wfengine.runtime.audit_query.AuditQuery`
#: of an instance's trail asks for these alone)
CHAIN_KINDS = ("work_item.offered", "work_item.cancelled", WorkItemEscalated.KIND)


@dataclass(slots=True)
class Chains:
    """The work-item chains of one instance: ``replaced_by`` maps an item to the item that
    replaced it; ``escalated`` maps an item to whom the escalations of it, or of the items
    it replaced, added (those they went to, and a holder one took the item from);
    ``escalated_to`` to those they went to alone (whom the escalation reached)."""

    replaced_by: dict[str, str] = field(default_factory=dict)
    escalated: dict[str, set[str]] = field(default_factory=dict)
    escalated_to: dict[str, set[str]] = field(default_factory=dict)

    def successors(self, item_id: str) -> list[str]:
        """The items that replaced ``item_id``, one after the other (``wi-2``, ``wi-3``)."""
        found: list[str] = []
        seen = {item_id}
        after = self.replaced_by.get(item_id)
        while after is not None and after not in seen:  # (a trail never loops; bounded anyway)
            found.append(after)
            seen.add(after)
            after = self.replaced_by.get(after)
        return found


def read_chains(events: Iterable[AuditEvent]) -> Chains:
    """The chains of one instance's ``events`` (its trail, in order; other kinds than
    :data:`CHAIN_KINDS` are passed over)."""
    chains = Chains()
    # activity instance -> its latest item, and whether that one was withdrawn
    latest: dict[str, tuple[str, bool]] = {}
    for event in events:
        kind = event.kind
        if kind not in CHAIN_KINDS or event.activity_instance_id is None:
            continue
        item = event.work_item_id
        if item is None:
            continue
        activity = event.activity_instance_id
        if kind == "work_item.offered":
            before = latest.get(activity)
            if before is not None and before[1]:
                chains.replaced_by[before[0]] = item
                for carried in (chains.escalated, chains.escalated_to):
                    if before[0] in carried:
                        carried[item] = set(carried[before[0]])
            latest[activity] = (item, False)
        elif kind == "work_item.cancelled":
            if latest.get(activity) == (item, False):
                latest[activity] = (item, True)
        elif kind == WorkItemEscalated.KIND:
            escalation = WorkItemEscalated.of(event.detail)
            people = chains.escalated.setdefault(item, set())
            people.update(escalation.to)
            chains.escalated_to.setdefault(item, set()).update(escalation.to)
            if escalation.taken_from is not None:
                people.add(escalation.taken_from)
    return chains
