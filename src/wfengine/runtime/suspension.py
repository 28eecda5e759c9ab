"""What suspending or resuming an instance takes along: the synchronous subflow instances it
waits for (they are its work), and their own, at every depth.

A subflow taken along records the instance that took it (``by`` in its ``instance.state``
event), and a later resume of its caller resumes only those: a subflow an operator suspended
on its own stays suspended until it is resumed by its own id (before, resuming the caller
resumed it too).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from wfengine.runtime.audit_query import AuditQuery
from wfengine.runtime.engine_base import _set_state
from wfengine.runtime.history import EventKind, InstanceStateChanged, change
from wfengine.runtime.instance import ActivityInstance, ProcessInstance
from wfengine.runtime.navigation import Navigator
from wfengine.runtime.states import ProcessState
from wfengine.runtime.store import Store

#: a message kept on a paused instance: (name, data, when it arrived)
KeptMessage = tuple[str, dict[str, Any], datetime]
#: when a subflow closed whose close time is not stored
_LONG_AGO = datetime.min.replace(tzinfo=UTC)


def take_in_time(nav: Navigator, store: Store, resumed: Sequence[ProcessInstance]) -> None:
    """Give the instances one resume continues (the instance resumed and the synchronous
    subflows it took along) what came while they were paused: their kept messages, to the
    catches that wait for them, and the results of their synchronous subflows that closed
    meanwhile, to the subflow activities that wait for them; and fire first each of their
    timers that fell due before one of those came.

    Why: while an instance is paused, its timers wait, the messages sent to it are kept and
    a subflow that closes leaves its result for the resume; at resume all are taken, and had
    messages or results gone first, one that came after a timer fell due would win what the
    timer had won (an event-based gateway; a synchronous deadline on the subflow activity,
    which withdraws the call). So they are taken merged by time, as they would have come to
    a running instance: a timer due at or before a message's arrival or a subflow's close
    fires before it. The subflows a caller's suspension took along are its work and are
    merged with it. Timers due after the last of them fire after the resume, as before."""
    arrivals: list[tuple[datetime, int, ProcessInstance, KeptMessage | ActivityInstance]] = []
    for inst in resumed:  # each instance's messages in the order they arrived
        arrivals.extend((m[2], len(arrivals), inst, m) for m in inst.messages)
        for ai in list(inst.activities.values()):
            if ai.state.is_open and ai.child_instance is not None:
                child = nav.instance(ai.child_instance)
                if child.parent_waits and child.state.is_closed:
                    at = child.completed_at or _LONG_AGO  # (not known: it goes first)
                    arrivals.append((at, len(arrivals), inst, ai))
    if not arrivals:
        return
    last = max(at for at, _, _, _ in arrivals)
    timers = sorted(
        (
            (t.due, n, t.seq, t)
            for n, inst in enumerate(resumed)
            for t in store.timers(inst.id)
            if t.due <= last
        ),
        key=lambda entry: entry[:3],
    )
    arrivals.sort(key=lambda arrival: arrival[:2])
    for inst in resumed:
        inst.messages.clear()  # given back one at a time, in the order they came
    for at, _, inst, what in arrivals:
        while timers and timers[0][0] <= at:
            nav.fire_timer(timers.pop(0)[3])
        if isinstance(what, ActivityInstance):
            _take_closed_subflow(nav, inst, what)
            continue
        inst.messages.append(what)
        if inst.state is ProcessState.RUNNING:
            nav.take_kept_messages(inst)


def _take_closed_subflow(nav: Navigator, inst: ProcessInstance, ai: ActivityInstance) -> None:
    """Give subflow activity ``ai`` of ``inst`` the result of its synchronous subflow that
    closed while ``inst`` was paused, unless what came before withdrew the call (a deadline,
    an interrupting event) or closed ``inst``."""
    if inst.state is not ProcessState.RUNNING or ai.state.is_closed or ai.child_instance is None:
        return
    child = nav.instance(ai.child_instance)
    if child.parent_waits and child.state.is_closed:
        nav.subflow_result(inst, ai, child)


def taken_along(store: Store, child: ProcessInstance) -> bool:
    """Was suspended ``child`` suspended by its caller's suspension (rather than on its
    own)? Its last ``instance.state`` event says (``by``). A suspension recorded before
    ``by`` was (an earlier wfengine) reads as the child's own.

    Last by the instance's own sequence, not by time: the audit query orders by time, and an
    operator on a host whose clock runs behind (or a clock stepped back) records a later
    suspension at an earlier time; read by time, the caller's resume took it for the
    caller's and undid the operator's hold."""
    query = AuditQuery(instance_id=child.id, kinds=(EventKind.INSTANCE_STATE.value,))
    changes = store.audit_events(query)
    last = max(changes, key=lambda event: event.seq).detail if changes else None
    return isinstance(last, dict) and last.get("by") is not None


def waited_for(
    nav: Navigator,
    inst: ProcessInstance,
    state: ProcessState,
    also: Callable[[ProcessInstance], bool] | None = None,
) -> list[ProcessInstance]:
    """The synchronous subflow instances ``inst`` waits for, and theirs, that are in
    ``state`` (and that ``also`` accepts): what suspending or resuming it takes along. One
    left out is not looked into: what waits under it is its own."""
    found: list[ProcessInstance] = []
    todo = [inst]
    while todo:
        current = todo.pop()
        for ai in list(current.activities.values()):
            if not ai.state.is_open or ai.child_instance is None:
                continue
            child = nav.instance(ai.child_instance)
            if child.parent_waits and child.state is state and (also is None or also(child)):
                found.append(child)
                todo.append(child)
    return found


def take_along(
    nav: Navigator, child: ProcessInstance, state: ProcessState, user: str | None, by: str
) -> None:
    """Move ``child`` to ``state`` with the instance ``by`` whose suspension or resumption
    took it along, recording ``by`` in its ``instance.state`` event: what tells a later
    resume of its caller that it was not suspended on its own."""
    previous = child.state
    _set_state(nav, child, state, user)
    at, kind, _, _, _ = child.changes[-1]
    assert kind == EventKind.INSTANCE_STATE
    recorded = InstanceStateChanged(state.value, previous.value, user, by)
    child.changes[-1] = change(at, recorded)
