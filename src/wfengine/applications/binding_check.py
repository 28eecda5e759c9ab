"""Checking a package against a registry's bindings (:meth:`ApplicationRegistry.check`).

Its own module: the registry holds the bindings; what it finds wrong with a package's use of
them grows finding by finding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Protocol

from wfengine.definition.application_settings import AGENT_ATTRIBUTE
from wfengine.definition.diagnostics import Diagnostic, Severity
from wfengine.definition.model import (
    Activity,
    Application,
    Package,
    TaskImplementation,
    WorkflowProcess,
)
from wfengine.errors import ApplicationError


class _Bound(Protocol):
    """What the check reads of a binding (the registry's ``Binding``: not imported, as the
    registry imports this module)."""

    @property
    def source(self) -> str: ...


def check_bindings(
    package: Package,
    bindings: Mapping[str, _Bound],
    resolve: Callable[[Application], object | None],
    agents: Mapping[str, object],
    *,
    has_fallback: bool,
    plugin_source: str,
) -> list[Diagnostic]:
    """The findings of :meth:`~wfengine.applications.registry.ApplicationRegistry.check`
    (``bindings``: its code bindings; ``resolve``: its resolution; ``agents``: the enabled
    kinds). Each declaration a Tool activity uses is resolved as that activity's process sees
    it (a process's own Application shadows the package's of the same id): all processes
    were judged by the last process's declaration."""
    declared: dict[str, Application] = {a.id: a for a in package.applications}
    used: dict[tuple[str, int], tuple[Application, Activity]] = {}
    for process in package.workflow_processes:
        scoped = dict(declared)
        scoped.update({a.id: a for a in process.applications})
        for activity in _activities(process):
            body = activity.body
            if isinstance(body, TaskImplementation):
                for call in body.tools:
                    app = scoped.get(call.application_id)
                    if app is not None:
                        used.setdefault((app.id, id(app)), (app, activity))
        declared.update({a.id: a for a in process.applications})
    out: list[Diagnostic] = []
    for app_id, bound in sorted(bindings.items()):
        if app_id not in declared and not bound.source.startswith(plugin_source):
            said = "is bound, but the package declares no application with that id"
            out.append(_warning("application-undeclared", f"application {app_id!r} {said}", app_id))
    for app, activity in used.values():
        app_id = app.id
        try:
            binding = resolve(app)
        except ApplicationError as exc:
            kind = app.extended_attribute(AGENT_ATTRIBUTE)
            stand_in = has_fallback and (kind is None or kind not in agents)
            # the fallback failed: the application stays unbound
            code = "application-unbound" if stand_in else "application-agent-disabled"
            out.append(_warning(code, str(exc), app_id, app.line))
            continue
        if binding is None:
            said = (
                f"application {app_id!r}, used by activity {activity.id!r}, is not bound: "
                "register it (or --apps MODULE); instances reaching it stop with an incident"
            )
            out.append(_warning("application-unbound", said, app_id, app.line))
    return out


def _warning(code: str, message: str, app_id: str, line: int | None = None) -> Diagnostic:
    """One finding of the check (all are warnings about ``app_id``)."""
    return Diagnostic(
        severity=Severity.WARNING, code=code, message=message, element_id=app_id, line=line
    )


def _activities(process: WorkflowProcess) -> Iterator[Activity]:
    yield from process.activities
    for activity_set in process.activity_sets:
        yield from activity_set.activities
