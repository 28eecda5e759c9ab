"""``unused-activity-set`` (a warning): an activity set that no block activity runs.

An activity set runs only where a BlockActivity names it (an event sub-process too: the engine
arms it through the block that runs it, a block no transition reaches). One that no block
names never runs, its activities with it, and nothing said so: the modeller who drew an event
sub-process's handler, or a block's body, and forgot the block, met it only when the handler
did not fire. A warning, not an error: the rest of the process runs as drawn, and tools' files
may keep a set they no longer use.
"""

from __future__ import annotations

from collections.abc import Iterator

from wfengine.definition.checks.context import Context
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.model import BlockActivity


def check_unused_activity_sets(ctx: Context) -> Iterator[Diagnostic]:
    """One warning per activity set of a process that no block activity of it names."""
    for process in ctx.processes:
        if not process.activity_sets:
            continue
        run = {
            activity.body.activity_set_id
            for activities in (process.activities, *(s.activities for s in process.activity_sets))
            for activity in activities
            if isinstance(activity.body, BlockActivity)
        }
        triggered = ctx.process_index(process).triggered
        for activity_set in process.activity_sets:
            if activity_set.id in run:
                continue
            event_sub = activity_set.id in triggered
            what = "event sub-process" if event_sub else "activity set"
            hint = (
                "add a block activity naming it, with no transitions in or out, to arm it"
                if event_sub
                else "add a block activity naming it where its work belongs, or remove it"
            )
            yield make(
                "unused-activity-set",
                f"{what} {activity_set.id!r} of process {process.id!r} is run by no block "
                f"activity, so its activities never run: {hint}",
                element_id=activity_set.id,
                line=activity_set.line,
            )
