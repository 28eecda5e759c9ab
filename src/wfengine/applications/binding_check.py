"""Checking a package against a registry's bindings (:meth:`ApplicationRegistry.check`).

Its own module: the registry holds the bindings; what it finds wrong with a package's use of
them grows finding by finding.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Mapping
from typing import Protocol

from wfengine.applications.unknown_settings import UnknownSettingError
from wfengine.definition.application_settings import (
    AGENT_ATTRIBUTE,
    IDEMPOTENCY_KEYWORD,
    problems,
)
from wfengine.definition.diagnostics import Diagnostic, Severity
from wfengine.definition.model import (
    Activity,
    Application,
    Package,
    ParameterMode,
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
            # the fallback failed: the application stays unbound; an enabled agent refused
            # the definition's own settings (retries, timeout, backoff: what validation's
            # application-setting reports), not its agent's: that setting's finding (it read
            # as a disabled agent)
            if stand_in:
                code = "application-unbound"
            elif isinstance(exc.__cause__, UnknownSettingError):
                code = "application-setting-unknown"  # (a built-in agent's: a misspelling)
            elif kind in agents and any(True for _ in problems(app)):
                code = "application-setting"
            else:
                code = "application-agent-disabled"
            out.append(_warning(code, str(exc), app_id, app.line))
            continue
        if binding is None:
            said = (
                f"application {app_id!r}, used by activity {activity.id!r}, is not bound: "
                "register it (or --apps MODULE); instances reaching it stop with an incident"
            )
            out.append(_warning("application-unbound", said, app_id, app.line))
            continue
        out.extend(_binding_findings(app, activity, binding, plugin_source))
    return out


#: the settings a definition gives that only an agent binding reads (a code binding sets its
#: own when registered); ``wfengine:asynchronous`` is read whatever binds the application
_AGENT_ONLY = ("retries", "timeout", "backoff", "max-backoff")


def _binding_findings(
    app: Application, activity: Activity, binding: object, plugin_source: str
) -> Iterator[Diagnostic]:
    """What is wrong between ``app``'s declaration and the host's code (or plug-in) binding
    of it: definition settings it does not read, and a callable that cannot take the
    application's IN and INOUT parameters (each call failed with a ``TypeError``, retried and
    routed as the service's failure: a DEFAULTEXCEPTION transition took it). An agent's
    binding (``wfengine:agent``) is judged by its callable's signature too: an agent that
    takes named parameters only (the e-mail agent: ``to``, ``subject``, ``body``, ``cc``)
    says so in it, and a parameter it does not take fails every call."""
    source = getattr(binding, "source", "")
    agent = source.startswith(AGENT_SOURCE)
    if source != "code" and not source.startswith(plugin_source) and not agent:
        return
    unread = [
        f"wfengine:{name}"
        for name in _AGENT_ONLY
        if not agent and app.extended_attribute(f"wfengine:{name}") is not None
    ]
    if unread:
        said = (
            f"application {app.id!r} is bound {'in code' if source == 'code' else 'by ' + source}"
            ", whose registration sets "
            f"how it is retried and timed: {', '.join(unread)} of the definition are not read"
        )
        yield _warning("application-setting", said, app.id, app.line)
    func = getattr(binding, "func", None)
    try:
        signature = inspect.signature(func) if callable(func) else None
    except (TypeError, ValueError):  # (a builtin without a signature: not judged)
        signature = None
    if signature is None:
        return
    inputs = {p.id: None for p in app.formal_parameters if p.mode is not ParameterMode.OUT}
    if getattr(binding, "takes_key", False):
        inputs[IDEMPOTENCY_KEYWORD] = None
    try:
        signature.bind(**inputs)
    except TypeError as exc:
        if agent:
            said = _agent_said(app, activity, source, signature, inputs, exc)
            yield _warning("application-signature", said, app.id, app.line)
            return
        said = (
            f"application {app.id!r}, used by activity {activity.id!r}: its callable "
            f"{getattr(func, '__name__', repr(func))}{signature} cannot take the "
            f"application's parameters ({', '.join(inputs) or 'none'}): {exc}; every call "
            "would fail with a TypeError"
        )
        yield _warning("application-signature", said, app.id, app.line)


#: how the source of a binding made by an agent factory begins (``definition (agent KIND)``:
#: the registry writes it with this, and the check tells such bindings by it)
AGENT_SOURCE = "definition (agent "


def _agent_said(
    app: Application,
    activity: Activity,
    source: str,
    signature: inspect.Signature,
    inputs: Mapping[str, None],
    exc: TypeError,
) -> str:
    """The finding for an agent that cannot take ``app``'s parameters: the agent's kind, the
    parameters it takes and the application's."""
    kind = source.removeprefix(AGENT_SOURCE).removesuffix(")")
    takes = [
        name
        for name, p in signature.parameters.items()
        if name != IDEMPOTENCY_KEYWORD and p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    given = [name for name in inputs if name != IDEMPOTENCY_KEYWORD]
    return (
        f"application {app.id!r}, used by activity {activity.id!r}: agent {kind!r} takes the "
        f"parameters {', '.join(takes) or 'none'}, not the application's "
        f"({', '.join(given) or 'none'}): {exc}; every call would fail at once"
    )


def _warning(code: str, message: str, app_id: str, line: int | None = None) -> Diagnostic:
    """One finding of the check (all are warnings about ``app_id``)."""
    return Diagnostic(
        severity=Severity.WARNING, code=code, message=message, element_id=app_id, line=line
    )


def _activities(process: WorkflowProcess) -> Iterator[Activity]:
    yield from process.activities
    for activity_set in process.activity_sets:
        yield from activity_set.activities
