"""The XES ``suspend`` and ``resume`` of the activities an instance's suspension paused (what
:mod:`wfengine.audit.exports` adds to a trace).

The engine suspends whole instances, not single activities: one ``instance.state`` event
records the pause, another the instance running again. XES's standard life cycle has the
activity-level transitions for it (``suspend`` and ``resume``, between an activity's
``start`` and its ``complete``), and the tools that measure service time by the life cycle
(ProM's, Disco's) leave the time between them out. Why: without them a clerk's work item that
waited a weekend while an operator held the instance counted as two days of the clerk's work.

Which activities: those started and not yet closed when the instance was suspended (an
activity offered to people but not started has no ``start`` to pause; its waiting time is not
service time anyway). Each gets a ``suspend`` at the suspension's moment and, if it is still
open then, a ``resume`` when the instance runs again; an instance aborted or terminated while
suspended closes them with ``pi_abort`` as usual, without a resume. ``org:resource`` is who
suspended or resumed the instance, when a person did.
"""

from __future__ import annotations

from collections.abc import Iterable

from wfengine.runtime.history import state_entered
from wfengine.runtime.states import ProcessState
from wfengine.runtime.store import AuditEvent

SUSPEND, RESUME = "suspend", "resume"
#: the transitions that close an activity instance's life cycle (or a loop round's: a
#: ``complete`` followed by the next round's ``start`` keeps it open)
_CLOSING = frozenset({"complete", "ate_abort", "pi_abort"})
_SUSPENDED = ProcessState.SUSPENDED.value
_RUNNING = ProcessState.RUNNING.value


class XesPauses:
    """One trace's running activity instances, to pause and resume with their instance."""

    __slots__ = ("_paused", "_running")

    def __init__(self) -> None:
        #: activity instance -> its activity, for those started and not closed, in start order
        self._running: dict[str, str] = {}
        self._paused: list[str] = []

    def note(self, event: AuditEvent, transitions: Iterable[str]) -> None:
        """Follow the life cycle the trace writes for ``event``'s activity instance."""
        ai, activity = event.activity_instance_id, event.activity_id
        if ai is None or activity is None:
            return
        for transition in transitions:
            if transition == "start":
                self._running[ai] = activity
            elif transition in _CLOSING:
                self._running.pop(ai, None)

    def pauses(self, event: AuditEvent) -> list[tuple[AuditEvent, str]]:
        """For an ``instance.state`` event that suspends or resumes the instance, an event per
        paused activity instance (``event`` naming that activity and activity instance) with
        its transition; else none."""
        if event.kind != "instance.state":
            return []
        state = state_entered(event.detail)
        if state == _SUSPENDED:
            self._paused = list(self._running)
            transition = SUSPEND
        elif state == _RUNNING and self._paused:
            transition = RESUME
        else:
            return []
        paused = [ai for ai in self._paused if ai in self._running]
        if transition == RESUME:
            self._paused = []
        return [
            (
                event._replace(activity_instance_id=ai, activity_id=self._running[ai]),
                transition,
            )
            for ai in paused
        ]
