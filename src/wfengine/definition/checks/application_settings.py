"""``application-setting``: an application a Tool activity calls says something the runtime
refuses or would misread: a yes/no setting (``wfengine:asynchronous``) that is neither, a
formal parameter named ``idempotency_key`` (the name reserved for the engine's idempotency
key), or an agent's ``wfengine:retries`` that is not a whole number 0 or more (see
:mod:`wfengine.definition.application_settings`). An error: the deploy refuses the
process, as the runtime compiler would."""

from __future__ import annotations

from collections.abc import Iterator

from wfengine.definition.application_settings import problems
from wfengine.definition.checks.context import Context
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.model import TaskImplementation


def check_application_settings(ctx: Context) -> Iterator[Diagnostic]:
    """One finding per process, application it calls and problem of that application."""
    seen: set[tuple[str, str]] = set()
    for scope in ctx.scopes:
        for activity in scope.activities:
            body = activity.body
            if not isinstance(body, TaskImplementation):
                continue
            for tool in body.tools:
                app = ctx.application(scope.process, tool.application_id)
                if app is None or (scope.process.id, app.id) in seen:
                    continue
                seen.add((scope.process.id, app.id))
                for problem in problems(app):
                    yield make(
                        "application-setting",
                        f"{problem} (called by activity {activity.id!r} in {scope.where})",
                        element_id=app.id,
                        line=app.line,
                    )
