"""Sequential ad-hoc sets in a simulation: a person takes a work item of one only when it is
its turn (``AdHocOrdering="Sequential"``; docs/semantics.md, "Ad-hoc activity sets").

The engine offers the work of every person's activity of such a set at once and refuses to
start one while another activity of the set is in progress (a person's started item, a
subflow, a block, a Tool's applications). A simulated person who took such an item had its
start refused; the run took the item for withdrawn and never handed it out again, so the
case stayed open for ever, without a word. Now an item whose turn has not come waits on
offer, unclaimed, as a worklist shows it (``people.Staff`` parks it), and goes to its people
when the activity in progress closes: that time counts as the step's waiting.

Nothing the outbox tells marks an activity's close, so a parked item's turn is looked up
again as the run moves on, but only when the engine changed its process instance since (the
store's commits say which): looking up every parked item at every step of the run took
time growing with the square of the cases waiting (a day-long Tool step before a person's,
one case a minute: 300 cases took 116 s on SQLite, 24 s without the set).
"""

from __future__ import annotations

from collections.abc import Collection

from wfengine.definition.checks.adhoc import is_sequential
from wfengine.definition.model import Package, WorkflowProcess
from wfengine.errors import NotFoundError
from wfengine.runtime.navigation.turns import turn_taken
from wfengine.runtime.store import Step, Store
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
    sequential ad-hoc set, as the engine's start command decides it (``turn_taken``); and
    ``Staff``'s ``changed``: the process instances the engine changed since last asked (see
    the module notes), noted as ``store`` commits them."""

    def __init__(self, store: Store, steps: frozenset[str]) -> None:
        self._store = store
        self._steps = steps
        #: instances changed since :meth:`changed` was last asked (a dict: in their order)
        self._changed: dict[str, None] = {}
        commit = store.commit

        def commit_noted(step: Step) -> None:
            commit(step)
            self._note(step)

        # (every change reaches the store through one commit, whatever made it: a person's
        # command, a job, a subflow's close; the engine itself runs unchanged)
        store.commit = commit_noted  # type: ignore[method-assign]

    def _note(self, step: Step) -> None:
        """Note the instances ``step`` changed: their documents, and the items it changed
        (a person's item released or escalated passes the turn on with no instance saved)."""
        changed = self._changed
        for instance_id in step.instances:
            changed[instance_id] = None
        for item in step.work_items:
            changed[item.instance_id] = None

    def changed(self) -> Collection[str]:
        """The instances changed since the last call (the next call names only later ones)."""
        changed, self._changed = self._changed, {}
        return changed.keys()

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
