"""``task-content``: an activity's Task carries work its kind does not do.

An XPDL Task is one of its kinds, and each kind holds its own work: application calls belong to
a TaskApplication (1.0's Tool), a script to a TaskScript. The XPDL reader only ever builds
those shapes, but a model built in code (``add_activity`` with a
:class:`~wfengine.definition.model.TaskImplementation`) can put calls on a TaskService or a
TaskScript, or a script on an application task. The writer writes only what its kind holds (an
application task's calls, a script task's script), so the rest would be dropped without a word
from every file written from the model, and a run of the model would differ from a run of its
file. An error, so it is refused before anyone relies on it; the runtime compiler refuses it
too (:func:`task_content_problems` says why for both).
"""

from __future__ import annotations

from collections.abc import Iterator

from wfengine.definition.checks.context import Context
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.model import TaskImplementation, TaskKind


def task_content_problems(body: TaskImplementation) -> list[str]:
    """What ``body`` holds that its kind does not run, each as "a <kind> task ...: why, and
    what to do"; empty when it holds only its own kind's work."""
    kind = body.task.value
    found: list[str] = []
    if body.tools and body.task is not TaskKind.APPLICATION:
        called = ", ".join(repr(tool.application_id) for tool in body.tools)
        found.append(
            f"a {kind} task that calls applications ({called}): calls belong to an "
            f"application task (TaskApplication, 1.0's Tool), and an XPDL file cannot hold "
            f"them on a {kind} task; make it task=TaskKind.APPLICATION, or drop the calls"
        )
    if body.script is not None and body.script.strip() and body.task is not TaskKind.SCRIPT:
        found.append(
            f"a {kind} task with a script: a script belongs to a script task (TaskScript), "
            f"and an XPDL file cannot hold it on a {kind} task; make it task=TaskKind.SCRIPT "
            "(with no application calls), or drop the script"
        )
    return found


def check_task_content(ctx: Context) -> Iterator[Diagnostic]:
    """One finding per activity and work its task holds but its kind does not run."""
    for scope in ctx.scopes:
        for activity in scope.activities:
            body = activity.body
            if not isinstance(body, TaskImplementation):
                continue
            for problem in task_content_problems(body):
                yield make(
                    "task-content",
                    f"activity {activity.id!r} in {scope.where} is {problem}",
                    element_id=activity.id,
                    line=body.line if body.line is not None else activity.line,
                )
