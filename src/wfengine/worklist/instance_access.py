"""Who may read or control a process instance: the rule a WAPI session applies
(:mod:`wfengine.wapi.access` re-exports it), and the detailed status read as a user.

Why: a session's work-item operations were checked by the engine's rules, but its instance
operations were not, so any user (even one the organisation does not know) could read an
instance's whole data, sensitive fields included, past the ``wfengine:reads`` limits of the
items they hold, and terminate it. The rule, as engines with an organisation have it:

* a user the organisation does not know is refused everything;
* an administrator (the directory's ``is_admin``) may do everything;
* controlling an instance (change its state, suspend, resume, terminate, abort, assign an
  attribute, cancel an activity) is for administrators and the instance's creator: the user
  its ``instance.created`` event names (a session's user; none when the host created it),
  and for a subflow instance its root caller's creator;
* reading it (the instance, its attributes, its activity instances) is for administrators,
  its creator, and the users it concerns: those who may see one of its work items, open or
  closed (offered to them, held or owned by them, or by someone they supervise). Such a user
  sees only the data their items may read (``wfengine:reads``), sensitive fields masked;
* a work item's own data (``WMGetWorkItemAttributeValue``, ``wfengine workitem show``) is for
  those who may see the item; sensitive fields are in clear only to whoever can act on the
  open item now (the one it is offered to while unclaimed, its holder, the owner who
  delegated it), who needs them to do the work, and to those who read the whole instance
  (administrators, its creator). Everyone else (a supervisor overseeing it, its performer
  once it is closed) sees them as ``***``, as the instance's data shows them.

An engine without an organisation (a directory that cannot say who is an administrator)
trusts its sessions, as it did before: the host decided who may connect.

Every refusal that concerns an instance is recorded in its audit trail as
``operation.refused`` (``Engine.record_refusal``), as refused work-item operations are. A
user the organisation does not know is refused before the id is looked up, with the same
error whether it exists or not (recorded when it does): else a ``NotFoundError`` for the ids
that do not exist told them which do.

Why here, in Interface 2, and not in the WAPI: ``wfengine.audit``'s detailed status, read as
a user, must answer what that user's session answers (it gave a clerk fields her items may
not read, and refused an instance's creator), and the audit may import the worklist, not the
WAPI beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from wfengine.applications.redaction import REDACTED
from wfengine.errors import NotAuthorizedError, NotFoundError
from wfengine.runtime.engine import Engine
from wfengine.runtime.listing_facts import OFFERED, ListingFacts, listing_facts
from wfengine.runtime.snapshots import (
    InstanceSnapshot,
    InstanceSummary,
    WorkItemData,
    WorkItemSnapshot,
)
from wfengine.runtime.states import WorkItemState
from wfengine.runtime.work_rules import Supervision, asking
from wfengine.worklist.worklists import may_see

#: what the audit trail's first event of an instance is
_CREATED = "instance.created"
#: why a user the organisation does not know is refused
_STRANGER = "the organisation does not know them"
#: :meth:`InstanceAccess.creator` reads an instance's caller itself
_ASK = object()
#: most instances :meth:`InstanceAccess.readable` checks one by one (some five reads each)
#: rather than reading for the whole store at once (four reads as long as it is large)
CHECKED_EACH = 32


@dataclass(frozen=True, slots=True)
class Reading:
    """What a user may read of one instance: everything (``items`` None), or what the work
    items ``items`` may read."""

    items: tuple[str, ...] | None


#: the whole instance
WHOLE = Reading(None)


class InstanceAccess:
    """The access rule of one session's user (see the module notes)."""

    def __init__(self, engine: Engine, user: str) -> None:
        self.engine, self.user = engine, user

    def _org(self) -> Supervision | None:
        """The directory's answers; one that fails raises a DirectoryError naming it."""
        return asking(self.engine.directory)

    def check_known(self, subject: str, operation: str) -> None:
        """Refuse a user the organisation does not know an operation that concerns no one
        instance (creating one, listing): there is no instance trail to record it in."""
        if self._stranger():
            raise NotAuthorizedError(subject, operation, self.user, _STRANGER)

    def _stranger(self) -> bool:
        """Whether the organisation (there is one) does not know the user."""
        org = self._org()
        return org is not None and not org.knows(self.user)

    def creator(self, instance_id: str, parent: object = _ASK) -> str | None:
        """Who created ``instance_id`` (its ``instance.created`` event's user); for a
        subflow instance, which the engine created, the creator of the instance that called
        it (up to the root caller): who started the work controls and reads all of it, as
        terminating their instance terminates its subflows. None: the host (or an unknown
        id, which the operation itself then reports). ``parent``: ``instance_id``'s caller, when
        whoever asks has read it already (None: it has none), which saves a read."""
        engine, seen, current = self.engine, {instance_id}, instance_id
        while True:
            found = engine.audit_events(instance_id=current, kind=_CREATED, limit=1)
            if found and found[0].user is not None:
                return found[0].user
            if parent is _ASK:
                try:
                    parent = engine.instance_summary(current).parent_instance_id
                except NotFoundError:  # (an unknown id, or a caller no longer kept)
                    return None
            if not isinstance(parent, str) or parent in seen:
                return None
            seen.add(parent)
            current, parent = parent, _ASK

    def _refuse(self, instance_id: str, operation: str, reason: str) -> NotAuthorizedError:
        """The refusal to raise, recorded in ``instance_id``'s trail; an id no instance has
        (a user the organisation does not know, refused before it was looked up) the same
        error, unrecorded: there is no trail to record it in."""
        subject = f"process instance {instance_id!r}"
        try:
            return self.engine.record_refusal(instance_id, subject, operation, self.user, reason)
        except NotFoundError:
            return NotAuthorizedError(subject, operation, self.user, reason)

    def control(self, instance_id: str, operation: str) -> None:
        """Refuse (recorded) ``operation`` on ``instance_id`` unless the user is an
        administrator or its creator."""
        org = self._org()
        if org is None or org.is_admin(self.user):
            return
        if not org.knows(self.user):  # (before the id is looked up: no probing)
            raise self._refuse(instance_id, operation, _STRANGER)
        summary = self.engine.instance_summary(instance_id)  # an unknown id: NotFoundError
        if self.creator(instance_id, summary.parent_instance_id) != self.user:
            reason = "only an administrator or the user who created it may"
            raise self._refuse(instance_id, operation, reason)

    def read(self, instance_id: str, operation: str) -> Reading:
        """What the user may read of ``instance_id``; a user it does not concern is refused
        (recorded)."""
        reading, reason = self._reading(instance_id)
        if reading is None:
            raise self._refuse(instance_id, operation, reason)
        return reading

    def reads_everything(self) -> bool:
        """Whether the user may read every instance (an administrator, or no organisation):
        a listing then needs no filter."""
        org = self._org()
        return org is None or org.is_admin(self.user)

    def may_read(self, instance_id: str) -> bool:
        """Whether the user may read ``instance_id`` at all (a listing's filter: nothing is
        recorded for the instances left out)."""
        try:
            return self._reading(instance_id)[0] is not None
        except NotFoundError:  # (gone meanwhile)
            return False

    def readable(self, summaries: list[InstanceSummary]) -> list[InstanceSummary]:
        """Those of ``summaries`` the user may read (:meth:`may_read` of each, nothing
        recorded), asked of the store once for them all: who created every instance, every
        instance's caller, every open work item and every offer made. Why: asking per
        instance cost five reads or more each (its summary, its creation, its open items, its
        offers, each item), which made a non-administrator's listing some 80 times slower
        than an administrator's on SQLite. Only an item no longer open is read on its own.

        On a SQL store they are read by the listed instances' ids, a few statements
        (:mod:`~wfengine.runtime.listing_facts`): the reads cost what the listing holds, not
        what the store holds (a listing of 40 of 10,000 instances read all 10,000). On
        another store a short list (at most :data:`CHECKED_EACH`) is checked instance by
        instance, as reading for them all costs what the whole store holds."""
        org = self._org()
        if org is None or org.is_admin(self.user):
            return summaries
        if not summaries or not org.knows(self.user):
            return []
        engine, user = self.engine, self.user
        facts = listing_facts(engine.store, summaries)
        if facts is None and len(summaries) <= CHECKED_EACH:
            return [summary for summary in summaries if self.may_read(summary.id)]
        if facts is None:  # (a store that reads no id lists: the whole of it)
            facts = ListingFacts()
            facts.created = {e.instance_id: e.user for e in engine.audit_events(kind=_CREATED)}
            facts.callers = {s.id: s.parent_instance_id for s in engine.instance_summaries()}
            for item in engine.work_items():
                facts.open_items.setdefault(item.instance_id, []).append(item)
            for event in engine.audit_events(kind=OFFERED):
                if event.work_item_id is not None:
                    facts.offered.setdefault(event.instance_id, []).append(event.work_item_id)
        created, callers, open_items, offered = (
            facts.created,
            facts.callers,
            facts.open_items,
            facts.offered,
        )
        out = []
        for summary in summaries:
            # the creator: the first up the chain of callers that a creation names (as
            # :meth:`creator` finds it)
            current: str | None = summary.id
            seen: set[str] = set()
            while current is not None and current not in seen and created.get(current) is None:
                seen.add(current)
                current = callers.get(current)
            if current is not None and created.get(current) == user:
                out.append(summary)
                continue
            items = open_items.get(summary.id, [])
            if any(may_see(engine, item, user) for item in items):
                out.append(summary)
                continue
            known = {item.id for item in items}
            for work_item_id in dict.fromkeys(offered.get(summary.id, ())):
                if work_item_id in known:
                    continue
                try:
                    item = engine.work_item(work_item_id)
                except NotFoundError:  # (a store that no longer keeps it)
                    continue
                if may_see(engine, item, user):
                    out.append(summary)
                    break
        return out

    def _reading(self, instance_id: str) -> tuple[Reading | None, str]:
        org = self._org()
        if org is None or org.is_admin(self.user):
            return WHOLE, ""
        if not org.knows(self.user):  # (before the id is looked up: no probing)
            return None, _STRANGER
        summary = self.engine.instance_summary(instance_id)  # an unknown id: NotFoundError
        if self.creator(instance_id, summary.parent_instance_id) == self.user:
            return WHOLE, ""
        seen = tuple(
            item.id for item in self._items(instance_id) if may_see(self.engine, item, self.user)
        )
        if not seen:
            return None, "it concerns none of their work items and they did not create it"
        return Reading(seen), ""

    def seen_item(self, work_item_id: str, operation: str) -> WorkItemSnapshot:
        """The work item, when the user may see it (``may_see``); else refused, recorded in
        its instance's trail, so who looked at what they may not see can be found later. A
        user the organisation does not know is refused before the id is looked up, the same
        error for an id no item has (unrecorded: no trail)."""
        engine, subject = self.engine, f"work item {work_item_id!r}"  # as notes name it
        stranger = self._stranger()  # (asked first: no probing)
        try:
            item = engine.work_item(work_item_id)
        except NotFoundError:
            if not stranger:
                raise
            raise NotAuthorizedError(subject, operation, self.user, _STRANGER) from None
        if not stranger and may_see(engine, item, self.user):
            return item
        reason = _STRANGER if stranger else "it is not theirs"
        raise engine.record_refusal(
            item.instance_id, subject, operation, self.user, reason, work_item=work_item_id
        )

    def refuse_stranger(self, work_item_id: str, operation: str) -> None:
        """Refuse a user the organisation does not know an action on a work item before the
        engine's command looks its id up, as :meth:`seen_item` refuses them a look: the same
        error whether the item exists (recorded in its trail) or not. Why: the command said
        ``NotFoundError`` for an id no item has, which told a stranger which ids exist."""
        if not self._stranger():
            return
        engine, subject = self.engine, f"work item {work_item_id!r}"
        why = f"{self.user!r} is not a user of the organisation"  # (as the command says it)
        try:
            item = engine.work_item(work_item_id)
        except NotFoundError:
            raise NotAuthorizedError(subject, operation, self.user, why) from None
        raise engine.record_refusal(
            item.instance_id, subject, operation, self.user, why, work_item=work_item_id
        )

    def item_data(self, item: WorkItemSnapshot) -> WorkItemData:
        """The data of ``item`` (which the user may see: :meth:`seen_item`) as the user may
        read it: sensitive fields in clear to whoever can act on the open item now and to
        those who read the whole instance, ``***`` to anyone else (see the module notes).
        Why: the instance's data masked them for a clerk while the item's data showed them in
        clear, to a supervisor who only oversees it and to its performer long after it
        closed, as they stand now."""
        data = self.engine.work_item_data(item.id)
        if self._acts_on(item) or self._reads_whole(item.instance_id):
            return data
        hidden = self.engine.store.instance(item.instance_id).sensitive_fields
        values = {k: (REDACTED if k in hidden else v) for k, v in data.values.items()}
        return replace(data, values=values)

    def _acts_on(self, item: WorkItemSnapshot) -> bool:
        """Whether the user can act on ``item`` now: it is open and offered to them
        unclaimed, held by them, or owned by them (they delegated it)."""
        if not item.state.is_open:
            return False
        if item.state is WorkItemState.OFFERED:  # (unclaimed: a released item has no holder)
            return self.user in item.assignees
        return self.user in (item.holder, item.owner)

    def _reads_whole(self, instance_id: str) -> bool:
        """Whether the user reads the whole of ``instance_id``: no organisation, an
        administrator, or its creator (as :meth:`read` has it)."""
        org = self._org()
        if org is None or org.is_admin(self.user):
            return True
        return self.creator(instance_id) == self.user

    def _items(self, instance_id: str) -> list:  # type: ignore[type-arg]
        """Every work item of the instance, open or closed: those it offered (its trail's
        ``work_item.offered`` events) and those open now."""
        engine = self.engine
        ids = dict.fromkeys(w.id for w in engine.work_items(instance_id))
        for event in engine.audit_events(instance_id=instance_id, kind="work_item.offered"):
            if event.work_item_id is not None:
                ids[event.work_item_id] = None
        found = []
        for work_item_id in ids:
            try:
                found.append(engine.work_item(work_item_id))
            except NotFoundError:  # (a store that no longer keeps it)
                continue
        return found


def shown(engine: Engine, snapshot: InstanceSnapshot, reading: Reading) -> InstanceSnapshot:
    """``snapshot`` as ``reading`` lets its reader see it: whole, or with the data its
    reader's work items may read, sensitive fields masked: the instance's, which are its
    process's and, in a subflow, the formal parameters its caller filled from a sensitive
    field of its own (as its audit trail masks them). The messages it keeps are masked by the
    same rule (:func:`masked`): their data becomes the instance's data when a catch takes
    them, so a field the reader may not read in one may not be read in the other (they
    showed a bank's IBAN in clear to a clerk whose item reads only a note)."""
    if reading is WHOLE or reading.items is None:
        return snapshot
    data: dict[str, Any] = {}
    for work_item_id in reading.items:
        data.update(engine.work_item_data(work_item_id).values)
    readable = frozenset(data)
    hidden = engine.store.instance(snapshot.id).sensitive_fields
    messages = tuple(
        replace(message, data=masked(message.data, readable, hidden))
        for message in snapshot.messages
    )
    return replace(snapshot, data=masked(data, readable, hidden), messages=messages)


def masked(
    values: dict[str, Any], readable: frozenset[str], hidden: frozenset[str]
) -> dict[str, Any]:
    """``values`` as a reader who may read only the fields ``readable`` sees them: the others
    left out, the ``hidden`` (sensitive) ones as ``***``. One rule for the instance's data and
    for every copy of it an instance snapshot carries."""
    return {k: (REDACTED if k in hidden else v) for k, v in values.items() if k in readable}
