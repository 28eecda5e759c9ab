"""How an activity's ``wfengine:cancelRemaining`` is read, and its findings:
``cancel-remaining-value`` (an error) and ``cancel-remaining-flow`` (a warning).

``wfengine:cancelRemaining`` on a Complex join makes it cancelling (the branches still to come
are withdrawn, WCP29, WCP32) and on a multi-instance activity whose flow condition holds
cancels its other instances (WCP27, WCP35). It is read as the data fields' yes/no marks are
(:func:`~wfengine.definition.checks.field_marks.mark_flag`): ``true``/``yes``/``1`` and
``false``/``no``/``0`` in any case. Why: the compiler took ``true`` alone as yes and anything
else as no, silently, so ``Value="yes"``, ``"1"`` or a slip such as ``"ture"`` turned a
cancelling join into a blocking one (the withdrawn branches ran on) with no finding. Any other
value, or the mark given with no value, is ``cancel-remaining-value``, an error the deploy
refuses: whether branches are withdrawn is a word said on purpose.

On a multi-instance activity whose ``MI_FlowCondition`` is ``None`` the mark has no meaning
the patterns give it: each instance's thread goes on by itself (WCP12, WCP42), so no moment
says the rest are no longer needed. The engine then treats the first completion as the one
that ends the activity (as ``One`` with the mark: the others are cancelled), which is kept, so
a process relying on it still runs; ``cancel-remaining-flow`` warns, and says to write
``MI_FlowCondition="One"`` for that, or to drop the mark.
"""

from __future__ import annotations

from collections.abc import Iterator

from wfengine.definition.checks.context import Context
from wfengine.definition.checks.field_marks import first_mark, mark_flag
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.model import Activity
from wfengine.definition.model_activities import MultiInstanceLoop
from wfengine.definition.model_enums import MIFlowCondition

#: the activity mark that withdraws what a cancelling join or multi-instance activity leaves
CANCEL_REMAINING = "wfengine:cancelRemaining"


def cancels_remaining(activity: Activity) -> bool:
    """Whether ``activity``'s ``wfengine:cancelRemaining`` says yes (what the compiler
    reads). Absent, no, or unreadable (refused at deploy by ``cancel-remaining-value``; a
    definition stored before that check kept it): not, as it was read before."""
    ea = first_mark(activity, CANCEL_REMAINING)
    return ea is not None and mark_flag(ea, bare=None) is True


def check_cancel_remaining(ctx: Context) -> Iterator[Diagnostic]:
    """One ``cancel-remaining-value`` per mark that is neither yes nor no, and one
    ``cancel-remaining-flow`` per mark saying yes on a multi-instance activity with
    ``MI_FlowCondition`` None, in the processes under validation."""
    for scope in ctx.scopes:
        for activity in scope.activities:
            ea = first_mark(activity, CANCEL_REMAINING)
            if ea is None:
                continue
            line = ea.line if ea.line is not None else activity.line
            flag = mark_flag(ea, bare=None)
            if flag is None:
                text = ea.value if ea.value is not None else ea.text
                said = f"{text!r}, which is" if text else "with no value, which is"
                yield make(
                    "cancel-remaining-value",
                    f"activity {activity.id!r} in {scope.where} has {CANCEL_REMAINING} {said} "
                    "neither true nor false (true/false, yes/no or 1/0, in any case): write "
                    "true to withdraw what is left when it goes on, or false",
                    element_id=activity.id,
                    line=line,
                )
            elif flag and _flow_none(activity):
                yield make(
                    "cancel-remaining-flow",
                    f"activity {activity.id!r} in {scope.where} has {CANCEL_REMAINING} true on "
                    "a multi-instance loop whose MI_FlowCondition is None: each instance's "
                    "thread goes on by itself (WCP12, WCP42), yet the engine cancels the other "
                    "instances at the first completion, as with One; write "
                    'MI_FlowCondition="One" for that, or drop the mark',
                    element_id=activity.id,
                    line=line,
                )


def _flow_none(activity: Activity) -> bool:
    loop = activity.loop
    return isinstance(loop, MultiInstanceLoop) and loop.flow_condition is MIFlowCondition.NONE
