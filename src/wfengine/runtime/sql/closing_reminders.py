"""Which closing work items end reminder jobs, for the SQL commit (``commit.StepWriter``).

Why apart: the commit deletes a closed item's reminders and escalation with one statement per
item, and only for an item whose activity has any, which most have not (their closing costs
no statement); an activity Id that activity sets repeat needs the item's own activity, read
through its activity instance or, retired, through every holder of the Id.
"""

from __future__ import annotations

from wfengine.runtime.activity_holders import holders
from wfengine.runtime.instance import WorkItem
from wfengine.runtime.store import Step


def reminded(step: Step, item: WorkItem) -> bool:
    """Does ``item``'s activity have reminders or an escalation (jobs that end with the item)?
    Most have none, and their closing costs no statement."""
    inst = step.instances.get(item.instance_id)
    if inst is None:  # not loaded by this step: look for its jobs all the same
        return True
    compiled = inst.compiled
    if compiled.scoped_keys and item.activity_id in compiled.scoped_keys:
        # activity sets repeat its Id: the item's own activity's reminders, not those of the
        # first compiled (its activity instance may have been retired already: then those
        # of any holder, at the cost of a statement that may delete nothing)
        ai = inst.activities.get(item.activity_instance_id)
        acts = (ai.act,) if ai is not None else holders(compiled, item.activity_id)
        return any(act.reminders is not None for act in acts)
    act = compiled.activity(item.activity_id)
    return act is None or act.reminders is not None


def like_prefix(text: str) -> str:
    """A LIKE pattern matching what begins with ``text`` (its wildcards escaped)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"
