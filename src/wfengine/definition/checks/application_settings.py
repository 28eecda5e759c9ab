"""``application-setting``: an application a Tool activity calls gives a yes/no setting
(``wfengine:asynchronous``) that is neither, which the runtime compiler refuses (see
:mod:`wfengine.definition.application_settings`)."""

from __future__ import annotations

from collections.abc import Iterator

from wfengine.definition.application_settings import asynchronous
from wfengine.definition.checks.context import Context
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.model import TaskImplementation


def check_application_settings(ctx: Context) -> Iterator[Diagnostic]:
    """One finding per process and application it calls whose setting is unreadable."""
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
                try:
                    asynchronous(app)
                except ValueError as exc:
                    yield make(
                        "application-setting",
                        f"{exc} (called by activity {activity.id!r} in {scope.where})",
                        element_id=app.id,
                        line=app.line,
                    )
