"""Which work of a Task the engine runs: the one its kind holds, as the XPDL writer writes it.

An application task runs its calls, a script task its script; calls on any other kind, and a
script on any kind but a script task, are what validation refuses as ``task-content``
(:func:`~wfengine.definition.checks.task_content.task_content_problems`), since no file written
from the model could hold them. A new deploy is refused on them here too. A deployment an
earlier wfengine stored, which ran such calls, keeps running them, with a warning, so work
already under way goes on as it began.
"""

from __future__ import annotations

import logging

from wfengine.definition.checks.task_content import task_content_problems
from wfengine.definition.model import TaskImplementation, TaskKind
from wfengine.errors import DeployError

_deploy_log = logging.getLogger("wfengine.deploy")


def runs_calls(where: str, body: TaskImplementation, *, stored: bool) -> bool:
    """True when the engine runs ``body``'s application calls (an application task's; a
    stored deployment's on any kind, as the wfengine that deployed it did). Raises
    :class:`DeployError` for a new deploy of a task holding work its kind does not run."""
    problems = task_content_problems(body)
    if problems and not stored:
        raise DeployError(f"{where}: it is {problems[0]} (task-content)")
    for problem in problems:
        _deploy_log.warning(
            "%s (deployed earlier): it is %s; it runs as the wfengine that deployed it did",
            where,
            problem,
        )
    return body.task is TaskKind.APPLICATION or bool(body.tools)
