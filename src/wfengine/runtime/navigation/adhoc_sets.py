"""Ad-hoc activity sets: the activities a set begins with, whose turn it is in a sequential
set, and the completion condition that ends a set (docs/semantics.md, "Ad-hoc activity sets").

Apart from :mod:`.activities` (which these methods serve, and which inherits them) so that an
activity's own life stays in a module of a readable size.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from wfengine.runtime.history import EventKind
from wfengine.runtime.instance import ActivityInstance, Scope
from wfengine.runtime.navigation.abort_causes import Cause, aborted_by
from wfengine.runtime.navigation.base import _OP_START, NavigatorBase, _Failure
from wfengine.runtime.navigation.turns import turn_taken
from wfengine.runtime.states import A_RUNNING, ActivityState, WorkItemState

if TYPE_CHECKING:
    from wfengine.runtime.navigation.incidents import Incidents

#: the kind an activity's start is recorded as, as text (see :mod:`.activities`)
_STARTED: str = EventKind.ACTIVITY_STARTED.value


class AdHocSets(NavigatorBase):
    """The part of the navigator that begins, turns and ends ad-hoc activity sets."""

    def _adhoc_complete(self, scope: Scope, ai: ActivityInstance) -> bool:
        """An activity of an ad-hoc set completed: when the set's completion condition now
        holds, what is left of the set is withdrawn (aborted) and the set is done. ``ai``: the
        activity that completed (or, on a retry of the incident a failed condition opened,
        the block running the set)."""
        condition = scope.graph.completion
        assert condition is not None
        try:
            done = self._holds(ai, condition)
        except _Failure as exc:  # as not holding: the set goes on, with an incident
            cast("Incidents", self)._completion_failed(scope, exc.message)
            return False
        if not done:
            return False
        owner = None if scope.owner is None else scope.owner.act.id
        with aborted_by(scope.instance, Cause("completion", activity=owner)):
            self._cancel_scope(scope, ActivityState.ABORTED)
        scope.closed = False
        self._scope_done(scope)
        return True

    def _item_state(self, work_item_id: str) -> WorkItemState:
        return self._work_item(work_item_id).state

    def pass_turn(self, ai: ActivityInstance) -> bool:
        """``ai``'s work item may have stopped holding its sequential ad-hoc set (a command
        released, delegated, reassigned or escalated it: it is no longer started): when
        nothing of the set is in progress now, what waits for its turn is queued to start,
        as after a close (:meth:`_next_turn`). Returns whether something was: the caller
        then runs the agenda (``drain``), or it would wait for the set's next close."""
        scope = ai.scope
        if not scope.graph.adhoc_sequential or scope.closed:
            return False
        return self._next_turn(scope)

    def _next_turn(self, scope: Scope) -> bool:
        """An activity of the sequential ad-hoc set ``scope`` closed (or its work stopped:
        :meth:`pass_turn`): when nothing of the set is in progress now, the first activity
        that waits for its turn (one that runs by itself, begun while another was in
        progress) starts; returns whether one did."""
        if turn_taken(scope, self._item_state) is not None:
            return False
        for ai in scope.instance.activities.values():
            if (
                ai.scope is scope
                and ai.state is ActivityState.NOT_STARTED
                and not ai.act.offer_first
                and ai.mi_parent is None
            ):
                ai.state = A_RUNNING
                ai.running_at = self.now
                scope.instance.changes.append((self.now, _STARTED, ai.id, ai.act.id, None))
                self._agenda.append((_OP_START, ai, None))
                return True
        return False

    def _start_set(self, scope: Scope, starts: tuple[int, ...]) -> None:
        """Begin the activities ``starts`` (those with no way in) of the new scope ``scope``.

        An ad-hoc set with a completion condition creates every one of them before any
        runs, and offers the people's work before its automatic work runs (in definition
        order, each unless withdrawn by then: :meth:`_take_turn`). The first to complete
        can make the condition hold, which withdraws what is left of the set; what is left
        must not depend on where an activity is declared (one declared after the automatic
        ones was never created, one declared before them offered and withdrawn). Other
        scopes begin them as ready work, one after the other."""
        graph = scope.graph
        if graph.completion is None:
            for idx in starts:
                self._ready(scope, graph.activities[idx])
            return
        inst = scope.instance
        people: list[ActivityInstance] = []
        automatic: list[ActivityInstance] = []
        for idx in starts:
            scope.count += 1  # held as _ready holds it, released as the activity leaves
            if graph.tracks_places:
                scope.places[idx] = scope.places.get(idx, 0) + 1
            inst.seq += 1
            ai = self._create(scope, graph.activities[idx], f"{inst.id}:{inst.seq}")
            if ai is not None:  # (None: it waits for its turn in a sequential set)
                (people if ai.act.offer_first else automatic).append(ai)
        for ai in (*people, *automatic):
            self._agenda.append((_OP_START, ai, None))
