"""Tokens arriving at joins: Parallel (one per input), Inclusive (when no live token can still
reach it), Complex (its condition), and deadlocks.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Iterator

from wfengine.errors import ExpressionEvaluationError
from wfengine.runtime.compiler import (
    JOIN_AND,
    JOIN_COMPLEX,
    JOIN_OR,
    JOIN_PASS,
    CActivity,
    CGraph,
    CTransition,
)
from wfengine.runtime.history import JoinDiscarded, change
from wfengine.runtime.instance import (
    ActivityInstance,
    Incident,
    ProcessInstance,
    Scope,
)
from wfengine.runtime.loop_counters import counter_layer
from wfengine.runtime.navigation.abort_causes import Cause, aborted_by
from wfengine.runtime.navigation.base import (
    NavigatorBase,
)
from wfengine.runtime.navigation.incidents import end_incident
from wfengine.runtime.states import P_RUNNING


class Joins(NavigatorBase):
    """Tokens arriving at joins."""

    def _arrive(self, scope: Scope, ct: CTransition) -> None:
        """A token moves along ``ct`` to its target."""
        ca = scope.graph.activities[ct.target]
        join = ca.join
        if join == JOIN_PASS:
            self._ready(scope, ca)
            return
        if join == JOIN_COMPLEX:
            rnd = scope.rounds.get(ca.index)
            if rnd is None:
                rnd = scope.rounds[ca.index] = [0, 0, 0]
            elif len(rnd) < 3:  # a round stored before the branches were kept
                rnd.append(0)
            own_pending(scope).add(ca.index)
            self._pending_scopes[(scope.instance.id, scope.id)] = scope
            came = rnd[2] >> ct.slot & 1
            if rnd[1] and came and ca.n_in > 1:
                # fired, and this branch came already this round: the token is the next
                # round's and waits for this one to end (WCP28, blocking discriminator)
                self._hold(scope, ca, ct.slot)
                return
            rnd[0] += 1
            rnd[2] |= 1 << ct.slot
            if rnd[1]:  # already fired this round: the token is absorbed
                if _all_came(ca, rnd):
                    # every branch has come: the round is over and the next starts afresh
                    # (in a loop the join is upstream of itself, so no other end comes)
                    del scope.rounds[ca.index]
                    self._next_round(scope, ca)
                return
            self._hold(scope, ca, ct.slot)
            self._try_complex(scope, ca)
            return
        waiting = self._hold(scope, ca, ct.slot)
        if join == JOIN_AND:
            # (else a token was just added: the entry holds one). The last way first, an
            # exact test that spares most arrivals the scan of every way: the branches of a
            # split run in order, so its last way is most often the last to come
            if waiting[-1] and all(waiting):
                while all(waiting):
                    for i in range(ca.n_in):
                        waiting[i] -= 1
                    self._consume(scope, ca, ca.n_in)
                _drop_if_empty(scope, ca.index)
        else:  # JOIN_OR: decided when the work runs out
            own_pending(scope).add(ca.index)
            self._pending_scopes[(scope.instance.id, scope.id)] = scope

    def branch_lost(self, ai: ActivityInstance) -> None:
        """``ai`` is cancelled by an operator, its branch ending there: a Complex join of its
        scope whose round fired and still awaits the one way in ``ai`` feeds takes that way as
        delivered, and the round ends once every way has (WCP9, WCP28 in a loop).

        Why here: in a loop the next round's branches are live beside the round's own, at the
        same places, so "can a token still reach the way?" (:func:`_blocked`) keeps answering
        yes; the round stayed open, absorbed the next round's first arrival as its own and the
        next round fired one arrival late. Tokens at one place are alike: whichever of them
        was cancelled, one fewer can come, and the ones left belong to the later rounds. Not
        taken as delivered: a way the round had already (``ai`` was a later round's), an
        activity feeding several ways (which one lost it is not known) or one a token reaches
        the join from only by going round the loop again."""
        scope = ai.scope
        rounds = scope.rounds
        if not rounds or ai.mi_parent is not None:  # (an MI instance: its activity goes on)
            return
        graph = scope.graph
        bit = 1 << ai.act.index
        for index, rnd in list(rounds.items()):
            ca = graph.activities[index]
            reach = graph.reach.get(index)
            if len(rnd) < 3 or not rnd[1] or ca.n_in < 2 or reach is None:
                continue
            if not reach.upstream & bit or reach.later & bit:
                continue
            slots = [slot for slot, mask in enumerate(reach.slots) if mask & bit]
            if len(slots) != 1 or rnd[2] >> slots[0] & 1:
                continue
            rnd[2] |= 1 << slots[0]
            if _all_came(ca, rnd):
                del rounds[index]
                self._next_round(scope, ca)

    def _hold(self, scope: Scope, ca: CActivity, slot: int) -> list[int]:
        """Keep a token at the join ``ca`` on its way in ``slot`` (any join; at a Complex
        join that fired, it waits for the next round); the tokens waiting there, per way in.
        The join's entry is made by its first token and dropped by :func:`_drop_if_empty`
        once none waits."""
        waiting = scope.tokens.get(ca.index)
        if waiting is None:
            waiting = scope.tokens[ca.index] = [0] * ca.n_in
        waiting[slot] += 1
        scope.count += 1
        if scope.graph.tracks_places:
            scope.places[ca.index] = scope.places.get(ca.index, 0) + 1
        return waiting

    def _next_round(self, scope: Scope, ca: CActivity) -> None:
        """The Complex join's round ended: the tokens it held for the next one start it."""
        waiting = scope.tokens.get(ca.index)
        if not waiting or not any(waiting):
            return
        mask = sum(1 << slot for slot, n in enumerate(waiting) if n)
        scope.rounds[ca.index] = [sum(waiting), 0, mask]
        self._try_complex(scope, ca)

    def _consume(self, scope: Scope, ca: CActivity, n: int) -> None:
        """``n`` waiting tokens fire the join of ``ca``: one ready activity replaces them."""
        self._ready(scope, ca)
        self._release(scope, ca.index, n)

    def _try_complex(self, scope: Scope, ca: CActivity) -> None:
        rnd = scope.rounds[ca.index]
        assert ca.join_condition is not None
        inst = scope.instance
        counts = {"arrived": rnd[0], "activationCount": rnd[0], "incoming": ca.n_in}
        owner = scope.owner  # (in a block: its multi-instance instance's own loop counter)
        layer = counter_layer(owner) if owner is not None else None
        variables = (
            ChainMap(counts, inst.data) if layer is None else ChainMap(counts, layer, inst.data)
        )
        try:
            ok = ca.join_condition.holds(variables, self._clock, f"instance {inst.id!r}")
        except ExpressionEvaluationError as exc:
            self._join_incident(scope, ca, str(exc))
            return
        if ok:
            self._resolve_join_incident(scope, ca)
            rnd[1] = 1
            self._consume(scope, ca, _take_all(scope, ca.index))
            if ca.cancel_remaining:
                # a cancelling join withdraws the branches still to come, which resets it
                # (WCP29, WCP32): the next token starts the next round
                self._withdraw_upstream(scope, ca)
                scope.rounds.pop(ca.index, None)
            elif ca.n_in == 1 or _all_came(ca, rnd):
                # the last branch fired it, or a thread merge merged its number of threads
                # (WCP41): the round is over, and the next thread starts the next
                scope.rounds.pop(ca.index, None)
        elif _all_came(ca, rnd):
            self._never_held(scope, ca, rnd[0])

    def _never_held(self, scope: Scope, ca: CActivity, arrived: int) -> None:
        """Every branch that could came and the Complex join's condition did not hold: its
        tokens wait (the instance stays open, not completed past a join that never fired),
        with an incident whose retry tests the condition again (after the data is mended)."""
        assert ca.join_condition is not None
        self._join_incident(
            scope,
            ca,
            f"instance {scope.instance.id!r}: the condition {ca.join_condition.text!r} of "
            f"Complex join {ca.id!r} did not hold for the {arrived} branch(es) that came, and no "
            "other can come: its tokens wait; mend the data and retry, or terminate the instance",
        )

    def _join_incident(self, scope: Scope, ca: CActivity, message: str) -> None:
        """An incident on the join (one at a time: a join waits on the first)."""
        if next(_open_join_incidents(scope, ca), None) is None:
            inst = scope.instance
            self._incident(inst, None, ca.id, "join", message, scope=scope, join_index=ca.index)

    def _resolve_join_incident(self, scope: Scope, ca: CActivity) -> None:
        """The Complex join ``ca`` fires: an open incident saying it could not (its condition
        failed to evaluate, or did not hold when nothing more seemed to come) is answered by
        the firing, so it is resolved rather than left open for someone to skip in vain
        (told and audited: :func:`~wfengine.runtime.navigation.incidents.end_incident`)."""
        inst = scope.instance
        for incident in list(_open_join_incidents(scope, ca)):
            end_incident(self, inst, incident)  # (told and audited)

    def _withdraw_upstream(self, scope: Scope, ca: CActivity) -> None:
        """A cancelling Complex join fired: withdraw the branches still to come (the open
        activities and ready work from which a token of this round could still reach it), as
        aborted."""
        up = ca.round_upstream
        with aborted_by(scope.instance, Cause("join", activity=ca.id)):
            self._withdraw(scope, up)
        for index, waiting in list(scope.tokens.items()):
            if index in up and index != ca.index and any(waiting):
                self._release(scope, index, _take_all(scope, index))

    def _check_pending_joins(self) -> None:
        """Fire Inclusive joins that no live token can still reach; close Complex join rounds."""
        scopes = sorted(self._pending_scopes.items())
        self._pending_scopes.clear()
        for _, scope in scopes:
            if scope.closed:
                continue
            for index in sorted(scope.pending):
                ca = scope.graph.activities[index]
                waiting = scope.tokens.get(index)
                if ca.join == JOIN_OR:
                    filled = None if not waiting else [bool(c) for c in waiting]
                elif ca.n_in == 1:
                    # a thread merge (WCP41): its threads all come along the one way in, so
                    # that way having delivered says nothing; any live token upstream (the
                    # other threads) can still come
                    filled = None
                else:  # Complex: the ways that delivered this round
                    filled = _came(ca, scope.rounds.get(index))
                if _blocked(scope.graph, ca, scope.places, filled):
                    continue  # a token can still arrive
                if ca.join == JOIN_OR:
                    _unpend(scope, index)
                    if waiting is None:
                        continue
                    n = 0
                    for i, c in enumerate(waiting):
                        if c:
                            waiting[i] = c - 1
                            n += 1
                    if any(waiting):
                        own_pending(scope).add(index)
                        self._pending_scopes[(scope.instance.id, scope.id)] = scope
                    else:
                        del scope.tokens[index]
                    if n:
                        self._consume(scope, ca, n)
                else:  # Complex: the round is over
                    _unpend(scope, index)
                    rnd = scope.rounds.get(index)
                    if rnd is not None and not rnd[1] and waiting is not None and any(waiting):
                        self._never_held(scope, ca, rnd[0])  # the tokens wait
                        continue
                    scope.rounds.pop(index, None)
                    if rnd is not None and rnd[1]:
                        self._next_round(scope, ca)  # what it held for the next round
                    if waiting is not None and any(waiting):
                        n = _take_all(scope, index)
                        scope.instance.changes.append(
                            change(self.now, JoinDiscarded(n), None, ca.id)
                        )
                        self._release(scope, index, n)

    def find_deadlocks(self, inst: ProcessInstance) -> None:
        """Open instances with tokens stuck at joins and nothing running get a deadlock incident."""
        if inst.state is not P_RUNNING or inst.parked:  # parked: work still to do
            return
        for scope in inst.scopes.values():  # (no generator per command: most hold no token)
            if scope.tokens and any(map(any, scope.tokens.values())):
                break
        else:
            return
        if any(ai.state.is_open for ai in inst.activities.values()):
            return
        if any(not i.resolved for i in inst.incidents.values()):
            return
        # (in scope and declaration order, as a stored instance is read back: not in the order
        # tokens came, which the memory store keeps, so every store names the same join first)
        stuck = [
            scope.graph.activities[idx].id
            for _, scope in sorted(inst.scopes.items())
            if not scope.closed
            for idx, waiting in sorted(scope.tokens.items())
            if any(waiting)
        ]
        if stuck:
            self._incident(
                inst,
                None,
                stuck[0],
                "deadlock",
                f"instance {inst.id!r} is deadlocked: tokens wait at join(s) {stuck} that can "
                "never fire, and nothing else is running; terminate or abort it",
            )


def _all_came(ca: CActivity, rnd: list[int]) -> bool:
    """Has a token come along every way into the Complex join ``ca`` this round? (A join with
    one way in, a thread merge, ends its round when it fires.)"""
    return ca.n_in > 1 and len(rnd) > 2 and rnd[2] == (1 << ca.n_in) - 1


def _came(ca: CActivity, rnd: list[int] | None) -> list[bool] | None:
    """Which ways into the Complex join ``ca`` delivered this round (None: no round open)."""
    if rnd is None or len(rnd) < 3 or not rnd[2]:
        return None
    return [bool(rnd[2] >> slot & 1) for slot in range(ca.n_in)]


def _blocked(
    graph: CGraph, ca: CActivity, places: dict[int, int], filled: list[bool] | None
) -> bool:
    """Can a live token still reach the OR/Complex join ``ca`` in this round? ``filled``: per
    way in, whether it holds a token (an OR join) or delivered this round (a Complex join);
    None: nothing came yet, so every live token upstream counts. Otherwise a live token holds
    the join up if it can reach an empty way in, and is not a later round's (see
    :class:`~wfengine.runtime.compiled.OrReach`). Why a Complex join asks the same: in a loop,
    a token past the join (the step before the loop back) reaches it again only through the
    split that starts the next round; counted as this round's, it kept a round that lost a
    branch from ever ending, and every later round waited for all branches (WCP9, WCP28, WCP30,
    WCP31 turned into an AND-join)."""
    reach = graph.reach.get(ca.index)
    if reach is None:
        return False
    up = reach.upstream
    live = 0
    for p in places:
        if up >> p & 1:
            live |= 1 << p
    if not live:
        return False
    if filled is None:
        return True
    empty = full = 0
    for mask, came in zip(reach.slots, filled, strict=True):
        if came:
            full |= mask
        else:
            empty |= mask
    return bool(live & empty & ~(full & reach.later))


def _take_all(scope: Scope, index: int) -> int:
    """Take every token waiting at the join ``index`` of ``scope`` (it fired, or its round
    ended, or its branch was withdrawn): how many there were. The join's entry goes (see
    :func:`_drop_if_empty`), and its list is zeroed too, for a caller still holding it
    (the end of a Complex join's round reads it again after the next round fired)."""
    waiting = scope.tokens.pop(index, [])
    n = sum(waiting)
    waiting[:] = [0] * len(waiting)
    return n


def _drop_if_empty(scope: Scope, index: int) -> None:
    """Forget the join ``index`` of ``scope`` once no token waits there. Why: an entry of
    zeros says no more than no entry (every reader skips a zero), yet each one a run left
    behind was kept, stored and compared at every step the progress watch looks at
    (:mod:`wfengine.runtime.progress`), so a run through n joins cost n squared. An entry
    of zeros in a stored instance (written before) still reads as no token."""
    waiting = scope.tokens.get(index)
    if waiting is not None and not any(waiting):
        del scope.tokens[index]


def _open_join_incidents(scope: Scope, ca: CActivity) -> Iterator[Incident]:
    """The open incidents of the join ``ca`` in ``scope`` (one at a time: a join waits on the
    first)."""
    for incident in scope.instance.incidents.values():
        here = incident.join_index == ca.index and incident.scope_id == scope.id
        if here and not incident.resolved:
            yield incident


def own_pending(scope: Scope) -> set[int]:
    """``scope``'s pending joins, to add to: its own set (the shared empty
    :data:`~wfengine.runtime.empty_defaults.NO_PENDING` replaced by a new one first)."""
    pending = scope.pending
    if type(pending) is not set:
        pending = scope.pending = set()
    return pending


def _unpend(scope: Scope, index: int) -> None:
    """Join ``index`` of ``scope`` is no longer pending (a look first: the scope may have been
    emptied meanwhile, its pending joins then the shared empty set, never changed)."""
    pending = scope.pending
    if index in pending:
        pending.discard(index)
