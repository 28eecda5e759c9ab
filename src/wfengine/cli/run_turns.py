"""Which of the run's open work items ``wfengine run`` may complete now.

In a sequential ad-hoc set (``AdHocOrdering="Sequential"``) the engine offers the work of
every person's activity at once and refuses to complete one while another activity of the set
is in progress (a subflow, a block, a person's started work: docs/semantics.md, "Ad-hoc
activity sets"). The runner completed the oldest open item whatever its turn, so a set whose
oldest item waited for a subflow's (newer) one crashed the run on the engine's refusal. It now
completes the oldest item whose turn it is, as the engine decides it (``turn_taken``, the rule
its start and complete commands apply).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from wfengine.runtime.navigation.turns import turn_taken

if TYPE_CHECKING:
    from wfengine.runtime.engine import Engine
    from wfengine.runtime.snapshots import WorkItemSnapshot


class Turns:
    """Asks, for the run's work items, whether one waits for its turn. Whether an activity is
    in a sequential set at all is read once per instance and activity (an instance keeps its
    version), so the common item, in no such set, costs no look-up after its first."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        #: (instance id, activity id) -> whether the activity is in a sequential ad-hoc set
        self._sequential: dict[tuple[str, str], bool] = {}

    def waits(self, item: WorkItemSnapshot) -> bool:
        """Whether ``item`` may not be completed now: another activity of its sequential
        ad-hoc set is in progress."""
        where = (item.instance_id, item.activity_id)
        if self._sequential.get(where) is False:
            return False
        store = self.engine.store
        ai = store.instance(item.instance_id).activities.get(item.activity_instance_id)
        if ai is None:  # (closed since it was listed: completing it says so)
            return False
        sequential = self._sequential[where] = ai.scope.graph.adhoc_sequential
        if not sequential:
            return False
        return turn_taken(ai.scope, lambda wid: store.work_item(wid).state, ai) is not None

    def first_ready(self, items: Sequence[WorkItemSnapshot]) -> WorkItemSnapshot | None:
        """The oldest of ``items`` (oldest first) that does not wait for its turn, else
        None."""
        return next((item for item in items if not self.waits(item)), None)
