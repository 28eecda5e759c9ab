"""Sequential ad-hoc sets in a simulation: a person takes a work item of one only when it is
its turn (``AdHocOrdering="Sequential"``; docs/semantics.md, "Ad-hoc activity sets").

The engine offers the work of every person's activity of such a set at once and refuses to
start one while another activity of the set is in progress (a person's started item, a
subflow, a block, a Tool's applications). A simulated person who took such an item had its
start refused; the run took the item for withdrawn and never handed it out again, so the
case stayed open for ever, without a word. Now an item whose turn has not come waits on
offer, unclaimed, as a worklist shows it (``people.Staff`` parks it), and goes to its people
when the activity in progress closes: that time counts as the step's waiting.
"""

from __future__ import annotations

from wfengine.definition.checks.adhoc import is_sequential
from wfengine.definition.model import Package, WorkflowProcess
from wfengine.errors import NotFoundError
from wfengine.runtime.navigation.turns import turn_taken
from wfengine.runtime.store import Store
from wfengine.simulation.binding import called_processes


def sequential_steps(package: Package, process: WorkflowProcess) -> frozenset[str]:
    """The ids of the activities of ``process`` and the processes it calls that belong to
    a sequential ad-hoc set (a superset is harmless: :class:`Turns` reads the compiled set).
    Why: only their items' turns are looked up, as a look-up reads the store."""
    found: set[str] = set()
    for proc in called_processes(package, process):
        scopes = [(proc.extra_attrs, proc.activities)]
        scopes += [(s.extra_attrs, s.activities) for s in proc.activity_sets]
        for attrs, activities in scopes:
            if is_sequential(attrs):
                found.update(a.id for a in activities)
    return frozenset(found)


class Turns:
    """``Staff``'s ``waits``: whether an offered work item waits for its turn in its
    sequential ad-hoc set, as the engine's start command decides it (``turn_taken``)."""

    def __init__(self, store: Store, steps: frozenset[str]) -> None:
        self._store = store
        self._steps = steps

    def __call__(self, item_id: str, activity: str) -> bool:
        if activity not in self._steps:
            return False
        store = self._store
        try:
            item = store.work_item(item_id)
            inst = store.instance(item.instance_id)
        except NotFoundError:
            return False  # (withdrawn: taking it finds that out)
        ai = inst.activities.get(item.activity_instance_id)
        if ai is None or not item.state.is_open or not ai.scope.graph.adhoc_sequential:
            return False
        return turn_taken(ai.scope, lambda wid: store.work_item(wid).state, ai) is not None
