"""A deadline with no duration: ``deadline-no-duration`` (a warning).

Modelling tools leave a deadline someone added but never filled in as a ``Deadline`` with no
``DeadlineDuration``, an empty one or the text ``None`` (JaWE writes
``<DeadlineDuration/><ExceptionName/>``). The engine arms no timer for it
(:meth:`wfengine.runtime.compile_activity.ActivityCompiler._deadlines` skips it), so it never
fires, its exception is never raised and the escalation drawn from it never runs. That is no
reason to refuse the process (the rest of it runs as drawn, and real tools' files do it), but
the modeller should hear that the deadline does nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from wfengine.definition.checks.context import Context
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.model import Deadline


def unset(deadline: Deadline) -> bool:
    """Whether ``deadline`` has no duration the engine runs: none, blank or ``None`` (the
    compiler's test too)."""
    text = (deadline.duration or "").strip()
    return not text or text == "None"


def check_unset_deadlines(ctx: Context) -> Iterator[Diagnostic]:
    """One warning per deadline with no duration, naming its activity and what it raises."""
    for scope in ctx.scopes:
        for activity in scope.activities:
            for number, deadline in enumerate(activity.deadlines, start=1):
                if not unset(deadline):
                    continue
                raised = (deadline.exception_name or "").strip()
                what = f", so its exception {raised!r} is never raised" if raised else ""
                yield make(
                    "deadline-no-duration",
                    f"deadline {number} of activity {activity.id!r} in {scope.where} has no "
                    f"duration (its DeadlineDuration is missing, empty or 'None'): the engine "
                    f"never fires it{what}; give it a duration or remove it",
                    element_id=activity.id,
                    line=deadline.line if deadline.line is not None else activity.line,
                )
