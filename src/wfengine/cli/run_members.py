"""The instances a ``wfengine run`` drives: its instance and the subflow instances under it.

Why a module of its own: the runner asks it what is the run's on every step (a database holds
other instances too), the repeat guard reads its members' state, and the runner's module
stayed under the size limit only without it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from wfengine.runtime.repeat_guard import Member, member_state

if TYPE_CHECKING:
    from wfengine.runtime.engine import Engine
    from wfengine.runtime.snapshots import ActivityInstanceSnapshot, InstanceSummary


class Tree:
    """The run's instance and its subflow instances: a database holds other instances too,
    whose work items and incidents are not this run's business."""

    def __init__(self, engine: Engine, root: str) -> None:
        self.engine = engine
        self.root = root
        self.known = {root: True}
        #: members not seen closed yet, whose data is part of the runner's state
        self.live = {root}

    def contains(self, instance_id: str) -> bool:
        found = self.known.get(instance_id)
        if found is None:
            parent = self.engine.instance(instance_id).parent_instance_id
            found = parent is not None and self.contains(parent)
            self.known[instance_id] = found
            if found:
                self.live.add(instance_id)
        return found

    def walk(
        self, closed: list[InstanceSummary] | None = None
    ) -> list[tuple[str, list[ActivityInstanceSnapshot]]]:
        """Each open member with its activity instances: the root, then the subflow
        instances its activities started (theirs in turn), depth first. Walked down the
        activity instances' subflow links, not found through work items and jobs, so a
        subflow that only waits (at a message catch, say) is a member too. ``closed``, when
        given, is filled with the closed members, in the same order, and the walk goes on
        through them (a closed caller's subflows are members too)."""
        found: list[tuple[str, list[ActivityInstanceSnapshot]]] = []
        todo, seen = [self.root], set()
        while todo:
            instance_id = todo.pop()
            if instance_id in seen:
                continue
            seen.add(instance_id)
            self.known[instance_id] = True
            summary = self.engine.instance_summary(instance_id)
            if not summary.state.is_open:
                if closed is None:
                    continue
                closed.append(summary)
                activities = self.engine.activity_instances(instance_id)
            else:
                self.live.add(instance_id)
                activities = self.engine.activity_instances(instance_id)
                found.append((instance_id, activities))
            children = [a.subflow_instance_id for a in activities if a.subflow_instance_id]
            todo.extend(reversed(children))  # the first subflow is walked first
        return found

    def open_state(self) -> Iterator[Member]:
        """Where each open member stands, as the repeat guard compares it (closed members are
        forgotten): its process id, its data and its open activity instances
        (:func:`~wfengine.runtime.repeat_guard.member_state`). Read from the store's instance, which
        a snapshot would have loaded anyway, since the snapshot leaves out the activities."""
        for instance_id in sorted(self.live):
            inst = self.engine.store.instance(instance_id)
            if inst.state.is_open:
                yield member_state(inst)
            else:
                self.live.discard(instance_id)
