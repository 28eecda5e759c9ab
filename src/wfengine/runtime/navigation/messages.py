"""Message and signal catch events: a thread that waits for a message, and a message that
arrives (taken by the oldest catch of its name that waits, else kept on the instance for the
next one); a signal, taken by every catch of its name waiting, else lost."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from wfengine.runtime.compiled import KIND_MESSAGE, KIND_SIGNAL
from wfengine.runtime.history import MessageKept, MessageReceived, SignalReceived, change
from wfengine.runtime.instance import ActivityInstance, ChoiceBegin, ProcessInstance
from wfengine.runtime.navigation.base import NavigatorBase
from wfengine.runtime.navigation.event_subs import armed
from wfengine.runtime.states import ProcessState
from wfengine.runtime.values import owned_values


def mi_container(ai: ActivityInstance) -> bool:
    """Is ``ai`` the container of a multi-instance activity (whose instances wait, each a
    catch of its own, and whose completion is theirs), rather than a catch itself?"""
    loop = ai.act.loop
    return ai.mi_parent is None and loop is not None and loop.multi


class Messages(NavigatorBase):
    """Messages to an instance."""

    def _await_message(self, ai: ActivityInstance) -> None:
        """A catch event was reached: take a kept message of its name, or wait. A target of an
        event-based gateway leaves the kept messages to a rival whose message arrived first
        (the rivals begin together, and the one that takes it withdraws the others)."""
        if ai.act.rivals and ai.activation != "" and self._rival_first(ai):
            return
        data = self._take_kept(ai.scope.instance, ai.act.message)
        if data is not None:
            self._take(ai, data)
        # else it waits: an open activity instance of kind MESSAGE is a catch waiting

    def _rival_first(self, ai: ActivityInstance) -> bool:
        """Whether a message a rival of ``ai`` catches was kept before one ``ai`` catches:
        a rival its gateway's activation began with it, or queued to begin (``ai.activation``;
        None, stored before activations were kept: its rival activities')."""
        if ai.act.kind != KIND_MESSAGE:
            return False
        key = ai.activation
        if key is None:
            graph = ai.scope.graph.activities
            catches = {graph[i] for i in ai.act.rivals}
        else:  # (those begun, and those whose begin is still queued)
            catches = {
                other.act
                for other in ai.scope.instance.activities.values()
                if other.activation == key and other is not ai and other.state.is_open
            }
            catches.update(item[2] for item in self._pending_rivals(ai))
        rivals = {ca.message for ca in catches if ca.kind == KIND_MESSAGE} - {ai.act.message}
        if not rivals:
            return False
        for name, _, _ in ai.scope.instance.messages:  # in the order they arrived
            if name == ai.act.message:
                return False
            if name in rivals:
                return True
        return False

    def _pending_rivals(self, ai: ActivityInstance) -> list[ChoiceBegin]:
        """The begins of ``ai``'s rivals in its gateway's activation still queued in this
        command or parked on the instance (step budget, ``defer``, ``commit_every``)."""
        key = ai.activation
        return [
            item
            for queue in (self._agenda, ai.scope.instance.parked)
            for item in queue
            if isinstance(item, ChoiceBegin) and item.activation == key and item[2] is not ai.act
        ]

    def _rival_waits_to_begin(self, ai: ActivityInstance) -> bool:
        """Whether ``ai``, a waiting target of an event-based gateway, must not fire yet: a
        rival whose begin is still queued or parked catches a message kept on the instance
        (it arrived earlier, so the rival decides the choice as it begins, in arrival order).
        Nothing to look at for an activity that is no gateway's target."""
        if not ai.act.rivals or not ai.activation:
            return False
        kept = {name for name, _, _ in ai.scope.instance.messages}
        if not kept:
            return False
        return any(
            item[2].kind == KIND_MESSAGE and item[2].message in kept
            for item in self._pending_rivals(ai)
        )

    def _take_kept(self, inst: ProcessInstance, name: str | None) -> dict[str, Any] | None:
        """The data of the oldest message ``name`` kept on ``inst``, taken off it (None: no
        such message waits). Taking one is progress, as an application's call is: the
        progress watch compares no kept messages, and a loop taking one per round (a receive
        task, a catch) with the same data each time ends when they run out, not a cycle."""
        taken = self._take_kept_of(inst, (name,))
        return None if taken is None else taken[1]

    def _take_kept_of(
        self, inst: ProcessInstance, names: Collection[str | None]
    ) -> tuple[str, dict[str, Any]] | None:
        """The name and data of the oldest message kept on ``inst`` whose name is one of
        ``names``, taken off it (None: none waits), as :meth:`_take_kept` takes one."""
        for n, (kept, data, _) in enumerate(inst.messages):
            if kept in names:
                del inst.messages[n]
                self.calls += 1  # (progress: see NavigatorBase.calls)
                return kept, data
        return None

    def deliver_message(self, inst: ProcessInstance, name: str, data: Mapping[str, Any]) -> bool:
        """Message ``name`` with ``data`` arrives at ``inst``: the oldest catch of that name
        waiting takes it (a catch event, a receive task, or an event attached to a running
        activity) (True), else it is kept on the instance (False)."""
        self.touch(inst)
        if inst.state is ProcessState.RUNNING and self._give(inst, name, data):
            return True  # a paused instance keeps it until it is resumed
        inst.messages.append((name, dict(data), self.now))
        inst.changes.append(change(self.now, MessageKept(name)))
        return False

    def take_kept_messages(self, inst: ProcessInstance) -> None:
        """Give kept messages to the catches that wait for them (after a resume)."""
        for kept in list(inst.messages):
            if self._give(inst, kept[0], kept[1], dry=True):
                inst.messages.remove(kept)
                self._give(inst, kept[0], kept[1])

    def _give(
        self, inst: ProcessInstance, name: str, data: Mapping[str, Any], *, dry: bool = False
    ) -> bool:
        """The oldest open catch of message ``name`` in ``inst`` takes it (``dry``: only
        say whether one would). A multi-instance catch waits in its instances, each taking
        one message: its container catches nothing itself (its attached events do)."""
        for ai in inst.activities.values():
            if not ai.state.is_open:
                continue
            if ai.act.kind == KIND_MESSAGE and ai.act.message == name and not mi_container(ai):
                if self._rival_waits_to_begin(ai):
                    continue  # (kept: an earlier message for a rival not begun yet wins)
                if not dry:
                    self._take(ai, data)
                return True
            if ai.act.boundaries:
                b = self._boundary_for(ai, "Message", name)
                if b is not None:
                    if not dry:
                        self._boundary_message(ai, b, data)
                    return True
        found = self._scope_sub_for(inst, "Message", name)
        if found is not None:
            if not dry:
                self._scope_message(found[0], found[1], data)
            return True
        return False

    def deliver_signal(self, inst: ProcessInstance, name: str, data: Mapping[str, Any]) -> int:
        """Signal ``name`` reaches ``inst``: every catch of that name waiting takes it (a
        running instance only: a signal is not kept), and every event of that name attached
        to a running activity fires. Returns how many took it (a catch withdrawn before its
        turn, by an interrupting event sub-process the signal started, took nothing)."""
        if inst.state is not ProcessState.RUNNING:
            return 0
        waiting = [
            ai
            for ai in inst.activities.values()
            if ai.state.is_open
            and (
                (ai.act.kind == KIND_SIGNAL and ai.act.signal == name and not mi_container(ai))
                or (ai.act.boundaries and self._boundary_for(ai, "Signal", name) is not None)
            )
        ]
        subs = [
            (scope, sub)
            for scope in inst.scopes.values()
            if armed(scope)
            for sub in scope.graph.event_subs
            if sub.trigger.trigger == "Signal" and sub.trigger.name == name
        ]
        if not waiting and not subs:
            return 0
        self.touch(inst)
        inst.data.update(owned_values(data))
        taken = 0
        for scope, sub in subs:
            if armed(scope):  # (an interrupting one before it disarms the rest)
                block = scope.graph.activities[sub.block].id
                received = SignalReceived(name, tuple(sorted(data)))
                inst.changes.append(change(self.now, received, None, block))
                self._start_event_sub(scope, sub)
                taken += 1
        for ai in waiting:
            if not ai.state.is_open:
                continue  # withdrawn by an earlier one (a race, an interrupted region)
            taken += 1
            b = self._boundary_for(ai, "Signal", name) if ai.act.boundaries else None
            received = SignalReceived(name, tuple(sorted(data)))
            if b is not None:
                event_id = ai.scope.graph.activities[b.event].id
                inst.changes.append(change(self.now, received, ai.id, event_id))
                self._fire_boundary(ai, b)
            else:
                inst.changes.append(change(self.now, received, ai.id, ai.act.id))
                self._body_done(ai)
        return taken

    def _take(self, ai: ActivityInstance, data: Mapping[str, Any]) -> None:
        inst = ai.scope.instance
        inst.data.update(owned_values(data))
        received = MessageReceived(ai.act.message or "", tuple(sorted(data)))
        inst.changes.append(change(self.now, received, ai.id, ai.act.id))
        self._body_done(ai)
