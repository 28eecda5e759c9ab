"""Data fields declared on an activity: ``activity-data-field`` (an error).

XPDL 2.2 lets an ``Activity`` hold ``DataFields`` of its own: data local to the activity
(BPMN's properties of an activity), created when it starts and gone when it ends. The engine
keeps one set of instance data per process instance and no scope below it: it neither declares
nor initialises an activity's fields, so a script ``n = local + 1`` that reads one stops with
an incident ("unknown variable 'local'"), a condition reading one is never true, and an OUT
parameter written to one lands in the process's data. Accepting such a definition and then
running something else is worse than refusing it, so validation refuses it, and deploy with
it, saying what to do: declare the field at process (or package) level, where every activity
of the process reads and writes it.

One activity field the engine does write: the activity's own loop counter
(``wfe:LoopCounter`` naming it), which it sets before every iteration as instance data
(``docs/semantics.md``, Loop counters). That one is left alone: the definition runs as drawn.
The reader, the writer and the model keep every activity field either way, so a file
converted by wfengine loses nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from wfengine.definition.checks.context import Context
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.model import Activity


def own_counter(activity: Activity) -> str | None:
    """The field the activity's loop counts in, which the engine writes as instance data."""
    loop = activity.loop
    return loop.counter_field if loop is not None else None


def check_activity_fields(ctx: Context) -> Iterator[Diagnostic]:
    """One error per data field an activity declares, other than its own loop counter."""
    for scope in ctx.scopes:
        holder = f"process {scope.process.id!r}"
        for activity in scope.activities:
            counter = own_counter(activity)
            for field in activity.data_fields:
                if field.id == counter:
                    continue
                yield make(
                    "activity-data-field",
                    f"activity {activity.id!r} in {scope.where} declares its own data field "
                    f"{field.id!r} (an activity's DataFields, XPDL 2.2), which the engine does "
                    f"not provide: it keeps no data local to an activity, so an expression "
                    f"reading {field.id!r} stops with an incident (unknown variable); declare "
                    f"{field.id!r} among the DataFields of {holder} (or of the package) instead",
                    element_id=field.id,
                    line=field.line if field.line is not None else activity.line,
                )
