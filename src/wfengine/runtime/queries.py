"""The engine's read-only queries: snapshots of instances, work, tokens, jobs and the audit.

Each returns copies (:mod:`wfengine.runtime.snapshots`), never the records the navigator
works on, so a caller cannot change an instance behind the engine's back.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Sequence
from datetime import datetime
from enum import Enum
from typing import TypeVar

from wfengine.errors import DeployError, NotFoundError, StoreError
from wfengine.runtime.activity_holders import common_access, holders
from wfengine.runtime.audit_chain import ChainReport
from wfengine.runtime.audit_kinds import audit_kinds
from wfengine.runtime.audit_query import AuditQuery
from wfengine.runtime.audit_query import key as audit_key
from wfengine.runtime.compile_people import OPEN_READ
from wfengine.runtime.engine_base import EngineBase
from wfengine.runtime.host_arguments import check_after, check_user, described, page_size
from wfengine.runtime.id_arguments import check_id, check_instance_id, check_work_item_id
from wfengine.runtime.instance import ProcessInstance
from wfengine.runtime.loop_counters import counter_layer
from wfengine.runtime.memory_store import MemoryStore
from wfengine.runtime.snapshots import (
    ActivityInstanceSnapshot,
    IncidentSnapshot,
    InstanceSnapshot,
    InstanceSummary,
    TimerSnapshot,
    TokenSnapshot,
    WorkItemData,
    WorkItemSnapshot,
    activity_order,
    activity_snapshot,
    incident_snapshot,
    instance_snapshot,
)
from wfengine.runtime.states import ProcessState, WorkItemState
from wfengine.runtime.store import AuditEvent, Store
from wfengine.runtime.timer_owners import timer_event, timer_kind
from wfengine.runtime.work_item_marks import marked
from wfengine.runtime.work_rules import asking

#: the states a worklist lists (and filters by): the open ones; completed and cancelled work
#: is on no one's worklist (the audit trail has it)
OPEN_WORK_ITEM_STATES: tuple[str, ...] = tuple(s.value for s in WorkItemState if s.is_open)


def open_work_item_state(state: object, where: str) -> WorkItemState | None:
    """``state``, a worklist's filter, as a :class:`WorkItemState` (None: every open one).
    Why: a closed state (``completed``) or a misspelt one matched no open item and listed
    nothing, silently, while ``wfengine worklist --state`` refuses it; ``where`` names the
    call in the ``ValueError``, with the states allowed."""
    if state is None:
        return None
    try:
        found = WorkItemState(state) if isinstance(state, str) else None
    except ValueError:
        found = None
    if found is None or not found.is_open:
        allowed = ", ".join(OPEN_WORK_ITEM_STATES)
        shown = state.value if isinstance(state, WorkItemState) else state
        raise ValueError(
            f"{where}: state must be an open work-item state ({allowed}): a worklist lists "
            f"open work only, not {shown!r}"
        )
    return found


_E = TypeVar("_E", bound=Enum)


def named_state(kind: type[_E], state: object, where: str, allowed: Sequence[str] = ()) -> _E:
    """``state`` as a ``kind`` member (a member, or its value). Why: a misspelt state
    (``"running"`` for ``open.running``) was a bare enum error naming neither the argument
    nor the states accepted; the ``ValueError`` names ``where``, the argument and ``allowed``
    (else every state of ``kind``). The engine's listings and the WAPI session share it."""
    if isinstance(state, kind):
        return state
    try:
        return kind(state)
    except ValueError:
        shown = ", ".join(allowed or [str(m.value) for m in kind])
        raise ValueError(f"{where}: state must be one of {shown}, not {state!r}") from None


def state_or_last_word(kind: type[_E], state: object, where: str) -> _E:
    """``state`` as a ``kind`` member: a member, its WfMC name (``open.running``) or that
    name's last word (``running``). Every listing of instances takes both forms by it (the
    engine's ``instances`` and ``instance_summaries``, the WAPI's
    ``open_process_instances_list``): the engine's refused the last words the WAPI took.
    A last word more than one state ends with (none of ProcessState's) is refused naming
    their full names; any other refusal (:func:`named_state`) names every form taken."""
    names = [str(m.value) for m in kind]
    by_word: dict[str, list[_E]] = {}
    for member in kind:
        by_word.setdefault(str(member.value).rsplit(".", 1)[-1], []).append(member)
    if isinstance(state, str) and state not in names and state in by_word:
        (found, *others) = by_word[state]
        if others:
            full = ", ".join(str(m.value) for m in (found, *others))
            raise ValueError(f"{where}: state {state!r} is the last word of {full}: name one")
        return found
    words = [w for w, members in by_word.items() if len(members) == 1 and w not in names]
    return named_state(kind, state, where, [*names, *words])


def check_process_filter(process_id: object, command: str) -> None:
    """Raise ``TypeError`` naming ``command`` when ``process_id``, a listing's filter, is
    neither None nor a process id (a string). Why: a list of ids raised a bare
    ``sqlite3.ProgrammingError`` on SQLite and listed nothing in memory, and a number listed
    nothing, as if the process had no work."""
    check_id_filter(process_id, "process_id", "process id", command)


def check_id_filter(value: object, name: str, what: str, command: str) -> None:
    """Raise ``TypeError`` naming ``command`` and the filter ``name`` when ``value`` is
    neither None nor one ``what`` (a string): the stores compare the filter with one id, so
    a list was a bare ``sqlite3.ProgrammingError`` on SQLite and matched nothing in
    memory."""
    if value is None or (type(value) is str and value.isascii() and "\x00" not in value):
        return  # (None, or an id every store holds, told without a call: see .id_arguments)
    if not isinstance(value, str):
        raise TypeError(
            f"{command}: {name} must be one {what} (a string) or None, not {described(value)}"
        )
    check_id(value, name, what, command)  # one no store holds: a ValueError on each alike


def check_instance_filter(store: Store, instance_id: str | None, command: str) -> None:
    """:func:`check_id_filter` of a listing's ``instance_id`` filter, and
    :class:`~wfengine.errors.NotFoundError` when it names no instance (read without loading
    the instance). Why: ``jobs()`` and ``timers()`` of a mistyped id answered ``[]``, which
    reads as "nothing is waiting", where ``incidents()``, ``tokens()`` and ``trace()`` say
    there is no such instance."""
    check_id_filter(instance_id, "instance_id", "process instance id", command)
    if instance_id is not None:
        store.instance_summary(instance_id)


def check_audit_filters(
    command: str,
    *,
    instance_id: object = None,
    process_id: object = None,
    activity_id: object = None,
    user: object = None,
) -> None:
    """Raise ``TypeError`` naming ``command`` for an audit listing's id filter that is not
    one id (a string) or None (:func:`check_id_filter`): what ``Engine.audit_events`` checks,
    and what a lazy reader of it (``iter_events``) may check before its first read."""
    check_id_filter(instance_id, "instance_id", "instance id", command)
    check_id_filter(process_id, "process_id", "process id", command)
    check_id_filter(activity_id, "activity_id", "activity id", command)
    check_id_filter(user, "user", "user id", command)


def refuse_unknown_filters(
    store: Store, process_id: str | None = None, activity_id: str | None = None
) -> None:
    """Raise :class:`~wfengine.errors.NotFoundError` for a ``process_id`` never deployed on
    ``store`` (naming those deployed) or an ``activity_id`` that no deployed version of that
    process (or, without one, of any process) has (naming the closest).

    Why: a misspelt filter (``--process claims`` for ``claim``) matched nothing and read as
    an empty trail, worklist or listing, exit 0, where ``wfengine stats`` refuses the same
    id. A version that no longer compiles is passed over (its activities are unknown), and
    with one of those an activity id is taken as it is."""
    if isinstance(process_id, str) and not store.versions(process_id):
        known = ", ".join(sorted(store.deployed_process_ids())) or "none"
        raise NotFoundError("deployed process", process_id, f"deployed: {known}")
    if not isinstance(activity_id, str):
        return
    seen: set[str] = set()
    unread = False  # a version that no longer compiles: its activities are unknown
    for pid in [process_id] if process_id is not None else store.deployed_process_ids():
        for version in store.versions(pid):
            try:
                deployed = store.deployment(pid, version)
            except DeployError:
                unread = True
                continue
            if deployed is not None:
                if activity_id in deployed.compiled.activity_graph:
                    return
                seen.update(deployed.compiled.activity_graph)
    if unread:  # (it may be one of those: "no version has it" would not be true)
        return
    where = "any deployed process" if process_id is None else f"process {process_id!r}"
    close = difflib.get_close_matches(activity_id, sorted(seen), n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise NotFoundError("activity", activity_id, f"no version of {where} has it{hint}")


class Queries(EngineBase):
    """Reading instances (:class:`~wfengine.runtime.engine.Engine` mixes this in)."""

    def __repr__(self) -> str:
        """The engine by its store (a database as its URL shows, password hidden, or
        ``memory://``) and whether it is closed. Why: a host's log line or debugger showed
        ``<...Engine object at 0x...>``, which said nothing of which database it works on."""
        store = "memory://" if isinstance(self.store, MemoryStore) else repr(self.store)
        return f"{type(self).__name__}({store}{', closed' if self._closed else ''})"

    def instance(self, instance_id: str) -> InstanceSnapshot:
        check_instance_id(instance_id, "instance")
        return instance_snapshot(self.store.instance(instance_id))

    def instances(
        self, *, state: ProcessState | str | None = None, process_id: str | None = None
    ) -> list[InstanceSnapshot]:
        """The instances in creation order, of ``state`` (a WfMC state name, ``open.running``,
        or its last word, ``running``) / ``process_id`` when given. One on a stored version
        that no longer compiles (stored by an earlier wfengine) is left out, a warning on the
        ``wfengine.store`` logger naming it and why: it fails only what needs it
        (``instance(id)`` raises its :class:`~wfengine.errors.DeployError`)."""
        check_process_filter(process_id, "instances")
        wanted = None if state is None else state_or_last_word(ProcessState, state, "instances")
        return [
            instance_snapshot(i) for i in self.store.instances(state=wanted, process_id=process_id)
        ]

    def instance_summaries(
        self,
        *,
        state: ProcessState | str | None = None,
        process_id: str | None = None,
        limit: int | None = None,
        after: str | None = None,
    ) -> list[InstanceSummary]:
        """What :meth:`instances` lists, without ``data`` and ``incidents``: read without
        loading any instance, so listing a large database stays cheap. ``limit`` and
        ``after`` page through it (keyset paging: the page after instance ``after``, in
        creation order, one index range on the SQL store at any size; an unknown ``after``
        is :class:`~wfengine.errors.NotFoundError`)."""
        check_process_filter(process_id, "instance_summaries")
        limit = page_size(limit, "instances")
        check_after(after, str, "the id of the last instance of the previous page")
        check_id_filter(after, "after", "process instance id", "instance_summaries")
        wanted = (
            None if state is None else state_or_last_word(ProcessState, state, "instance_summaries")
        )
        return self.store.instance_summaries(
            state=wanted, process_id=process_id, limit=limit, after=after
        )

    def instance_summary(self, instance_id: str) -> InstanceSummary:
        """One instance's state and times without ``data`` and ``incidents``: read without
        loading the instance (on the SQL store, one row's columns), so checking where many
        instances stand stays cheap; raises :class:`~wfengine.errors.NotFoundError`."""
        check_instance_id(instance_id, "instance_summary")
        return self.store.instance_summary(instance_id)

    def activity_instances(self, instance_id: str) -> list[ActivityInstanceSnapshot]:
        """Every activity instance the instance had, in creation order: the open ones it holds
        and the closed ones its store keeps as history. (Over a copy of the live ones: on
        the memory store a command in another thread may be adding to them.)"""
        check_instance_id(instance_id, "activity_instances")
        inst = self.store.instance(instance_id)
        live = {ai.id: activity_snapshot(inst, ai) for ai in list(inst.activities.values())}
        found = {s.id: s for s in self.store.activity_history(instance_id) if s.id not in live}
        found.update(live)
        return sorted(found.values(), key=lambda s: activity_order(s.id))

    def tokens(self, instance_id: str) -> list[TokenSnapshot]:
        """Tokens waiting at joins (running activities are in ``activity_instances``)."""
        check_instance_id(instance_id, "tokens")
        inst = self.store.instance(instance_id)
        out: list[TokenSnapshot] = []
        for scope in list(inst.scopes.values()):  # (a copy: as activity_instances)
            if scope.closed:
                continue
            for index, waiting in sorted(scope.tokens.items()):
                ca = scope.graph.activities[index]
                for slot, count in enumerate(waiting):
                    if count:
                        out.append(
                            TokenSnapshot(
                                instance_id=inst.id,
                                activity_id=ca.id,
                                transition_id=ca.incoming[slot],
                                count=count,
                                block_activity_instance_id=scope.owner.id if scope.owner else None,
                            )
                        )
        return out

    def trace(self, instance_id: str) -> list[str]:
        """Activity ids in completion order (routes included; one entry per loop iteration and
        per completed multi-instance instance; a multi-instance activity none of whose
        instances completed, once)."""
        check_instance_id(instance_id, "trace")
        return self.store.trace(instance_id)

    def work_items(self, instance_id: str | None = None) -> list[WorkItemSnapshot]:
        """Open work items (offered, allocated or started) in creation order, of one instance
        or of all; those of a suspended instance marked ``suspended``."""
        if instance_id is not None and (
            type(instance_id) is not str or not instance_id.isascii() or "\x00" in instance_id
        ):  # (an id every store holds told without a call: every step of a driver lists)
            check_id_filter(instance_id, "instance_id", "process instance id", "work_items")
        store = self.store
        return marked(store, store.open_work_items(instance_id))

    def work_items_of(
        self,
        user: str,
        *,
        state: WorkItemState | str | None = None,
        process_id: str | None = None,
        after: WorkItemSnapshot | None = None,
        limit: int | None = None,
    ) -> list[WorkItemSnapshot]:
        """A user's open work: the items offered to ``user`` (not yet claimed) or held by
        ``user``, oldest first (items made at the same instant, by one command, in the order
        of their ids as text), at most ``limit``; the next page starts ``after`` the last
        item of this one (keyset paging: items that come or go do not shift the pages, and
        none is listed twice; an item made before ``after`` that joins the user's work after
        that page was read, released or reassigned to them, is not on a later page). A user the
        directory does not know (``knows``) has none: work offered to someone who has left
        stays on offer to them until :meth:`reoffer_work` runs, and was listed to them.
        The work of a suspended instance is listed, marked ``suspended``: every action on it
        is refused until the instance is resumed."""
        check_user(user, "user", "work_items_of")
        wanted = open_work_item_state(state, "work_items_of")
        check_process_filter(process_id, "work_items_of")
        limit = page_size(limit, "work items")
        check_after(after, WorkItemSnapshot, "the last WorkItemSnapshot of the previous page")
        org = asking(self.directory)  # (one that fails: a DirectoryError naming it)
        if org is not None and not org.knows(user):
            return []
        found = self.store.worklist(
            user,
            state=wanted,
            process_id=process_id,
            after=None if after is None else (after.created_at, after.id),
            limit=limit,
        )
        return marked(self.store, found)

    def work_item(self, work_item_id: str) -> WorkItemSnapshot:
        """The work item, open or closed; an open one ``suspended`` when its instance is."""
        check_work_item_id(work_item_id, "work_item")
        (found,) = marked(self.store, [self.store.work_item(work_item_id)])
        return found

    def work_item_data(self, work_item_id: str) -> WorkItemData:
        """The instance data ``work_item_id`` may read, and the fields it may write (the
        rules of :mod:`wfengine.runtime.compile_people`). Who may see the item is the
        caller's check (``wfengine.worklist.worklists.may_see``)."""
        check_work_item_id(work_item_id, "work_item_data")
        item = self.store.work_item(work_item_id)
        inst = self.store.instance(item.instance_id)
        # its own activity instance's activity: another activity set's of that Id (TIBCO
        # files repeat Ids across sets) has other rules; a closed item's activity instance
        # may have left the instance, and then what every holder of the Id allows
        ai = inst.activities.get(item.activity_instance_id)
        if ai is not None:
            access = ai.act.access or OPEN_READ
        else:
            acts = holders(inst.compiled, item.activity_id)
            assert acts, f"work item {item.id!r}: no activity {item.activity_id!r}"
            access = common_access(acts) or OPEN_READ
        reads = access.reads
        data = list(inst.data.items())  # (a copy: as activity_instances)
        values = {k: copy.deepcopy(v) for k, v in data if reads is None or k in reads}
        # an instance of a multi-instance activity (or an activity of one's block) shows its
        # own index as the loop counter, not the field the last instance started wrote
        counters = counter_layer(ai) if ai is not None else None
        if counters:
            values.update((k, v) for k, v in counters.items() if reads is None or k in reads)
        return WorkItemData(item.id, values, tuple(sorted(access.writes)))

    def incidents(self, instance_id: str | None = None) -> list[IncidentSnapshot]:
        """Open incidents, of one instance or of all (in creation order)."""
        check_id_filter(instance_id, "instance_id", "process instance id", "incidents")
        if instance_id is not None:
            inst = self.store.instance(instance_id)
            return [incident_snapshot(i) for i in list(inst.incidents.values()) if not i.resolved]
        return [incident_snapshot(i) for i in self.store.open_incidents()]

    def timers(self, instance_id: str | None = None) -> list[TimerSnapshot]:
        """The timers set (of ``instance_id``, else of every instance), in due order: each
        one's ``kind`` (a deadline, a timer event, an attached one, an event sub-process's
        start) and ``activity_id`` (the activity or event whose timer it is), worked out from
        its instance (read once per instance listed), as a host cannot from the row's
        ``deadline_index``, the engine's numbering."""
        check_instance_filter(self.store, instance_id, "timers")  # an unknown id raises
        loaded: dict[str, ProcessInstance | None] = {}
        listed = []
        for t in self.store.timers(instance_id):
            if t.instance_id not in loaded:
                loaded[t.instance_id] = self._timer_instance(t.instance_id)
            inst = loaded[t.instance_id]
            index = t.deadline_index
            owner = None if inst is None else timer_event(inst, t.activity_instance_id, index)
            made = (t.id, t.due, t.instance_id, t.activity_instance_id, index)
            listed.append(TimerSnapshot(*made, kind=timer_kind(index), activity_id=owner))
        return listed

    def _timer_instance(self, instance_id: str) -> ProcessInstance | None:
        """The instance, or None when it cannot be read (stored on a version that no longer
        compiles: it fails only what needs it, as ``instances()`` leaves it out)."""
        try:
            return self.store.instance(instance_id)
        except (DeployError, NotFoundError):
            return None

    def audit_events(
        self,
        *,
        instance_id: str | None = None,
        process_id: str | None = None,
        activity_id: str | None = None,
        user: str | None = None,
        kind: str | Sequence[str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        after: AuditEvent | None = None,
        limit: int | None = None,
    ) -> list[AuditEvent]:
        """Audit events across instances, oldest first (by time, instance, seq): filtered by
        instance, process, activity, acting user, kind (one or several), time range
        (``since`` inclusive, ``until`` exclusive); a page of ``limit`` continues ``after`` the
        last event of the previous one (keyset paging, an index range on the SQL store). A
        kind that is no kind of audit event (:class:`~wfengine.runtime.history.EventKind`) is
        a ``ValueError`` naming the closest, not an empty list. A ``process_id`` or
        ``activity_id`` nothing deployed has selects nothing here (a filter, combined with
        the others); :func:`refuse_unknown_filters` refuses one, as ``wfengine audit``
        does. An id filter (instance, process, activity, user) that is not one id, such as a
        list of them, is a ``TypeError`` naming it (:func:`check_audit_filters`)."""
        check_audit_filters(
            "audit_events",
            instance_id=instance_id,
            process_id=process_id,
            activity_id=activity_id,
            user=user,
        )
        kinds = audit_kinds(kind, "audit_events")
        check_after(after, AuditEvent, "the last AuditEvent of the previous page")
        query = AuditQuery(
            instance_id=instance_id,
            process_id=process_id,
            activity_id=activity_id,
            user=user,
            kinds=kinds,
            since=since,
            until=until,
            after=None if after is None else audit_key(after),
            limit=limit,
        )
        return self.store.audit_events(query)

    def verify_audit(self, instance_id: str | None = None) -> ChainReport:
        """Recompute the audit trail's hash chain (of one instance, or of all) and report the
        first edited, removed, reordered or inserted event of each instance where one is
        (:mod:`wfengine.runtime.audit_chain`). Only a database's trail is chained: the memory
        store raises :class:`~wfengine.errors.StoreError`. The chains are per stored instance
        (one across the trail would serialise every start): an instance removed whole, its
        row and its events, leaves nothing to check."""
        check_id_filter(instance_id, "instance_id", "process instance id", "verify_audit")
        verify = getattr(self.store, "verify_audit", None)
        if verify is None:
            raise StoreError(
                "the memory store keeps no hash chain; the audit trail of a database is "
                "verified (Engine(db_url=...))"
            )
        report: ChainReport = verify(instance_id)
        return report

    def audit(self, instance_id: str) -> list[AuditEvent]:
        check_instance_id(instance_id, "audit")
        self.store.instance_summary(instance_id)  # an unknown id raises; no unpacking
        return self.store.audit(instance_id)
