"""Reference checks: performers, tools, subflows, blocks and their parameters, and the rules
of an activity's work (reminder durations, assignment to another activity's performer).

A reference that may resolve in another package (a SubFlow with a PackageRef, any reference in
a package that declares ExternalPackages) is only a warning: wfengine validates one package at
a time and cannot see the others.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from wfengine.definition.checks.call_parameters import call_parameters
from wfengine.definition.checks.context import Context, Scope, is_plain_name
from wfengine.definition.diagnostics import Diagnostic, Severity, make
from wfengine.definition.graph import MAX_BLOCK_DEPTH
from wfengine.definition.model import (
    Activity,
    ArrayType,
    BlockActivity,
    DeclaredType,
    Execution,
    FormalParameter,
    ListType,
    ParameterMode,
    RedefinableHeader,
    ReferenceImplementation,
    SubFlowImplementation,
    TaskImplementation,
)
from wfengine.definition.model_nodes import descendants
from wfengine.definition.parameters import takes_actuals_as_given
from wfengine.definition.reading import name_aliases
from wfengine.definition.work_rules import (
    ESCALATE_AFTER,
    ESCALATE_TO,
    REMINDER_DURATIONS,
    performer_activities,
    reminder_duration,
)


def _activities(ctx: Context) -> Iterator[tuple[Scope, Activity]]:
    for scope in ctx.scopes:
        for activity in scope.activities:
            yield scope, activity


def check_performers(ctx: Context) -> Iterator[Diagnostic]:
    """``undefined-participant``: a performer that looks like an Id names no participant.

    Performers may also be expressions evaluated at run time (or the name of a data field that
    holds a user), so only bare identifiers that are neither participants nor data fields are
    reported, at the line of the ``<Performer>`` that names it. Nothing is reported for a
    package that declares ExternalPackages: sharing
    participants through a repository package is common (JaWE's examples do it), and this
    package alone cannot tell a typo from a participant defined there.
    """
    if ctx.has_external_packages:
        return
    for scope, activity in _activities(ctx):
        known = ctx.participant_ids(scope.process)
        data = ctx.data_names(scope.process, activity)
        for performer in activity.performers:
            name = performer.strip()
            if not name or not is_plain_name(name) or name in known or name in data:
                continue
            yield make(
                "undefined-participant",
                f"activity {activity.id!r} in {scope.where} has performer {name!r}, which is "
                "no participant of the process or package",
                element_id=activity.id,
                line=activity.performer_line(performer),
            )


def check_other_participant_references(ctx: Context) -> Iterator[Diagnostic]:
    """``undefined-participant`` for what else names participants: a Lane's performers and
    the RedefinableHeader's Responsibles (of the package and of each process).

    A lane's performers are the performers of the activities drawn in it that name none
    (:mod:`wfengine.definition.lanes`), so they are read as an activity's are: the name of a
    data field of the package or of the pool's process is an expression over the data, not
    a participant; each other unknown name is reported once, on the lane, not again on
    every activity in it."""
    if ctx.has_external_packages:
        return
    everywhere, lanes = ctx.once(_participants_and_lanes, lambda: _participants_and_lanes(ctx))
    named = list(lanes)
    headers: list[tuple[RedefinableHeader | None, str, str | None]] = [
        (ctx.package.redefinable_header, f"package {ctx.package.id!r}", None)
    ]
    headers += [(w.redefinable_header, f"process {w.id!r}", w.id) for w in ctx.processes]
    for header, where, element_id in headers:
        if header is not None:
            named.extend(
                (r.strip(), f"the Responsible of {where}", element_id or "", header.line)
                for r in header.responsibles
            )
    for name, where, element_id, line in named:
        if name and is_plain_name(name) and name not in everywhere:
            yield make(
                "undefined-participant",
                f"{where} names {name!r}, which is no participant of the package or its processes",
                element_id=element_id or None,
                line=line,
            )


def _participants_and_lanes(
    ctx: Context,
) -> tuple[set[str], list[tuple[str, str, str, int | None]]]:
    """The participant Ids of the package and of all its processes, and (name, where, lane
    Id, line) for each lane performer that names no data field: the package's, worked out
    once for every process validated."""
    everywhere = {p.id for p in ctx.package.participants}
    for process in ctx.package.workflow_processes:
        everywhere.update(p.id for p in process.participants)
    processes = {w.id: w for w in ctx.package.workflow_processes}
    named: list[tuple[str, str, str, int | None]] = []
    for pool in ctx.package.pools:
        drawn = processes.get(pool.process or "")
        data = ctx.data_names(drawn) if drawn is not None else set()
        data.update(f.id for f in ctx.package.data_fields)
        for lane in pool.lanes:
            named.extend(
                (p.strip(), f"lane {lane.id!r} of pool {pool.id!r}", lane.id, lane.line)
                for p in lane.performers
                if p.strip() not in data
            )
    return everywhere, named


def check_declared_types(ctx: Context) -> Iterator[Diagnostic]:
    """``undefined-type``: a DeclaredType naming no TypeDeclaration of the package (values of
    that field or parameter are then not checked against any type). Every process's fields
    count, whichever process is validated: found once per package."""
    yield from ctx.once(_undeclared_types, lambda: list(_undeclared_types(ctx)))


def _undeclared_types(ctx: Context) -> Iterator[Diagnostic]:
    declared = {t.id for t in ctx.package.type_declarations}
    typed: list[tuple[str, str, int | None, Any]] = [
        (f"type declaration {t.id!r}", t.id, t.line, t.data_type)
        for t in ctx.package.type_declarations
    ]
    holders: list[tuple[str, Any]] = [(f"package {ctx.package.id!r}", ctx.package)]
    for process in ctx.package.workflow_processes:
        holders.append((f"process {process.id!r}", process))
        holders.extend((f"activity {a.id!r}", a) for a in process.activities)
        for activity_set in process.activity_sets:
            holders.extend((f"activity {a.id!r}", a) for a in activity_set.activities)
    for where, holder in holders:
        for item in (
            *getattr(holder, "data_fields", ()),
            *getattr(holder, "formal_parameters", ()),
        ):
            typed.append(
                (f"{_kind(item)} {item.id!r} of {where}", item.id, item.line, item.data_type)
            )
        for app in getattr(holder, "applications", ()):
            for fp in app.formal_parameters:
                typed.append(
                    (
                        f"formal parameter {fp.id!r} of application {app.id!r}",
                        fp.id,
                        fp.line,
                        fp.data_type,
                    )
                )
    for what, element_id, line, data_type in typed:
        for ref in descendants(data_type):
            if isinstance(ref, DeclaredType) and ref.id not in declared:
                yield make(
                    "undefined-type",
                    f"{what} is of declared type {ref.id!r}, which is no TypeDeclaration of "
                    f"package {ctx.package.id!r}: its values are not checked against a type",
                    element_id=element_id,
                    line=ref.line if ref.line is not None else line,
                    severity=_may_be_external(ctx),
                )
    yield from _type_cycles(ctx)


def _type_cycles(ctx: Context) -> Iterator[Diagnostic]:
    """``type-cycle``: type declarations that stand for each other in a circle (``T`` is
    ``U``, ``U`` is ``T``; or an array of itself), once per circle. Such a chain never reaches
    a type, so nothing given for a field of one is checked, with nothing said."""
    declared = {t.id: t for t in ctx.package.type_declarations}
    reported: set[str] = set()
    for start in ctx.package.type_declarations:
        path = [start.id]
        current = _stands_for(start.data_type)
        while current in declared and current not in path:
            path.append(current)
            current = _stands_for(declared[current].data_type)
        if current == start.id and reported.isdisjoint(path):
            reported.update(path)
            yield make(
                "type-cycle",
                f"type declaration {start.id!r} refers back to itself "
                f"({' -> '.join([*path, start.id])}): it never reaches a type, so values of "
                "fields and parameters of it are not checked; make one of them a type",
                element_id=start.id,
                line=start.line,
            )


def _stands_for(data_type: Any) -> str | None:
    """The declaration a type names, also as an array's or a list's element."""
    while isinstance(data_type, ArrayType | ListType):
        data_type = data_type.element
    return data_type.id if isinstance(data_type, DeclaredType) else None


def _kind(item: Any) -> str:
    return "formal parameter" if isinstance(item, FormalParameter) else "data field"


def _may_be_external(ctx: Context) -> Severity | None:
    """Warning severity when the target may live in an external package, else the default."""
    return Severity.WARNING if ctx.has_external_packages else None


def check_tools(ctx: Context) -> Iterator[Diagnostic]:
    """``undefined-application`` and the tool half of ``parameter-count`` / ``parameter-mode``
    / ``parameter-type``."""
    for scope, activity in _activities(ctx):
        body = activity.body
        if not isinstance(body, TaskImplementation):
            continue
        for tool in body.tools:
            line = tool.line if tool.line is not None else activity.line
            app = ctx.application(scope.process, tool.application_id)
            if app is None:
                yield make(
                    "undefined-application",
                    f"activity {activity.id!r} in {scope.where} calls application "
                    f"{tool.application_id!r}, which is not defined in the process or package",
                    element_id=activity.id,
                    line=line,
                    severity=_may_be_external(ctx),
                )
                continue
            if takes_actuals_as_given(app):
                continue
            yield from call_parameters(
                ctx,
                scope,
                activity,
                f"application {app.id!r}",
                app.formal_parameters,
                tool.actual_parameters,
                line,
                extras=tool.extras,
            )


def check_subflows(ctx: Context) -> Iterator[Diagnostic]:
    """``undefined-process``, ``subflow-start``, ``subflow-start-activity``, an
    InstanceDataField naming no field (``undefined-data-field``, a warning) and the subflow
    half of ``parameter-count`` / ``parameter-mode`` / ``parameter-type``."""
    for scope, activity in _activities(ctx):
        body = activity.body
        if not isinstance(body, SubFlowImplementation):
            continue
        line = body.line if body.line is not None else activity.line
        keeps = (body.instance_data_field or "").strip()
        if keeps:
            names = ctx.data_names(scope.process, activity)
            names.update(name_aliases(ctx.package, scope.process))
            if keeps not in names:
                yield make(
                    "undefined-data-field",
                    f"activity {activity.id!r} in {scope.where} keeps the called instance's id "
                    f"in {keeps!r} (InstanceDataField), which is no data field or formal "
                    "parameter of the process or package; the instance gets it as undeclared "
                    "data",
                    element_id=activity.id,
                    line=line,
                    severity=Severity.WARNING,
                )
        if body.start_activity_set_id:
            yield make(
                "subflow-start",
                f"activity {activity.id!r} in {scope.where} asks to start subprocess "
                f"{body.process_id!r} inside its activity set {body.start_activity_set_id!r}; "
                "wfengine starts a called process at its own start activities there",
                element_id=activity.id,
                line=line,
            )
        external = bool(body.package_ref) and body.package_ref != ctx.package.id
        called = ctx.process_ids.get(body.process_id)
        if called is None:
            elsewhere = external or ctx.has_external_packages
            yield make(
                "undefined-process",
                f"activity {activity.id!r} in {scope.where} starts subprocess "
                f"{body.process_id!r}, which is not a process of package {ctx.package.id!r}",
                element_id=activity.id,
                line=line,
                severity=Severity.WARNING if elsewhere else None,
            )
            continue
        if external:
            continue  # the PackageRef says the callee is another package's, not this one
        start = body.start_activity_id
        if (
            start
            and not body.start_activity_set_id
            and all(a.id != start for a in called.activities)
        ):
            yield make(
                "subflow-start-activity",
                f"activity {activity.id!r} in {scope.where} starts subprocess "
                f"{called.id!r} at {start!r}, which is no activity of its top level",
                element_id=activity.id,
                line=line,
            )
        returned = [f.id for f in called.formal_parameters if f.mode is not ParameterMode.IN]
        if body.execution is Execution.ASYNCHR and returned:
            yield make(
                "parameter-mode",
                f"activity {activity.id!r} in {scope.where} starts subprocess {called.id!r} "
                f"asynchronously (Execution ASYNCHR), and a process started so returns "
                f"nothing: the values of its OUT/INOUT parameter(s) "
                f"{', '.join(map(repr, returned))} never reach the caller; call it SYNCHR "
                "to receive them",
                element_id=activity.id,
                line=line,
                severity=Severity.WARNING,
            )
        yield from call_parameters(
            ctx,
            scope,
            activity,
            f"process {called.id!r}",
            called.formal_parameters,
            body.actual_parameters,
            line,
            receives=body.execution is not Execution.ASYNCHR,
            extras=body.extras,
        )


def check_references(ctx: Context) -> Iterator[Diagnostic]:
    """``reference-activity``: a Reference activity (which runs as the activity it names)
    names no activity of its process or its activity sets, or a chain of references comes
    back to where it began."""
    for scope, activity in _activities(ctx):
        if not isinstance(activity.body, ReferenceImplementation):
            continue
        everything = ctx.process_index(scope.process).activities
        seen = [activity.id]
        found = activity
        problem = None
        while isinstance(found.body, ReferenceImplementation):
            target = found.body.activity_id
            if target in seen:
                problem = f"its references go round in a circle ({' -> '.join([*seen, target])})"
                break
            seen.append(target)
            named = everything.get(target)
            if named is None:
                problem = f"it references {target!r}, which is no activity of the process"
                break
            found = named
        if problem is not None:
            line = activity.body.line if activity.body.line is not None else activity.line
            yield make(
                "reference-activity",
                f"Reference activity {activity.id!r} in {scope.where}: {problem}",
                element_id=activity.id,
                line=line,
            )


def check_blocks(ctx: Context) -> Iterator[Diagnostic]:
    """``undefined-activity-set``: a BlockActivity names no activity set of its process, or a
    start activity that is not in the set; ``block-recursion``: a block runs, directly or
    through other blocks, the activity set it is in (recursion belongs in a subflow);
    ``block-depth``: blocks nest deeper than :data:`MAX_BLOCK_DEPTH` (activity sets are flat
    in the file, so the document's depth limit does not bound them, and each level is a
    level of the engine's own recursion)."""
    for scope, activity in _activities(ctx):
        body = activity.body
        if not isinstance(body, BlockActivity):
            continue
        line = body.line if body.line is not None else activity.line
        index = ctx.process_index(scope.process)
        target = index.sets.get(body.activity_set_id)
        if target is None:
            yield make(
                "undefined-activity-set",
                f"block activity {activity.id!r} in {scope.where} names activity set "
                f"{body.activity_set_id!r}, which process {scope.process.id!r} does not define",
                element_id=activity.id,
                line=line,
            )
            continue
        start = body.start_activity_id or target.default_start_activity_id
        if start is not None and all(a.id != start for a in target.activities):
            yield make(
                "undefined-activity-set",
                f"block activity {activity.id!r} in {scope.where} starts activity set "
                f"{target.id!r} at {start!r}, which is not an activity of that set",
                element_id=activity.id,
                line=line,
            )
        # (said once, at the outermost block: every set a chain runs is run from the top)
        if scope.activity_set is None and index.nesting(target.id) > MAX_BLOCK_DEPTH:
            yield make(
                "block-depth",
                f"block activity {activity.id!r} in {scope.where} runs activity set "
                f"{target.id!r}, whose blocks nest more than {MAX_BLOCK_DEPTH} deep",
                element_id=activity.id,
                line=line,
            )
        if scope.activity_set is not None and index.runs(target.id, scope.activity_set.id):
            yield make(
                "block-recursion",
                f"block activity {activity.id!r} in {scope.where} runs activity set "
                f"{target.id!r}, which runs the set it is in again: a block cannot run itself "
                "(recursion belongs in a subflow)",
                element_id=activity.id,
                line=line,
            )


def check_work_rules(ctx: Context) -> Iterator[Diagnostic]:
    """``reminder-duration``: a reminder or escalation interval that is no duration above
    zero, or longer than the engine waits (:func:`~wfengine.definition.durations.
    too_long_to_remind`: the one limit deadlines and timers have); ``performer-activity``:
    assignment to (or away from) the performer of an activity the process does not have;
    ``undefined-participant``: a ``wfengine:escalate-to`` that names no participant of the
    process or package (a typo escalates to the supervisors instead; it may be a role, unit
    or user of the directory, so it is a warning, and none is reported in a package with
    ExternalPackages, as for performers); ``escalation-without-time``: a
    ``wfengine:escalate-to`` with no ``wfengine:escalate-after``, so nothing ever escalates
    (a warning: the definition is valid, only the escalation is lost). The rules are
    :mod:`wfengine.definition.work_rules`', which the compiler applies too; deploy refuses a
    reminder longer than the engine waits as this finding (it validates first)."""
    for scope, activity in _activities(ctx):
        where = f"activity {activity.id!r} in {scope.where}"
        escalate_to = (activity.extended_attribute(ESCALATE_TO) or "").strip()
        if escalate_to and activity.extended_attribute(ESCALATE_AFTER) is None:
            yield make(
                "escalation-without-time",
                f"{where} has {ESCALATE_TO} {escalate_to!r} but no {ESCALATE_AFTER}: its work "
                "never escalates",
                element_id=activity.id,
                line=activity.line,
            )
        if (
            escalate_to
            and not ctx.has_external_packages
            and is_plain_name(escalate_to)
            and escalate_to not in ctx.participant_ids(scope.process)
        ):
            yield make(
                "undefined-participant",
                f"{where} has {ESCALATE_TO} {escalate_to!r}, which is no participant of the "
                "process or package",
                element_id=activity.id,
                line=activity.line,
            )
        for name in REMINDER_DURATIONS:
            text = activity.extended_attribute(name)
            found = None if text is None else reminder_duration(name, text)
            if isinstance(found, str):
                yield make(
                    "reminder-duration",
                    f"{where} has {name} {text!r}, which is {found}",
                    element_id=activity.id,
                    line=activity.line,
                )
        to, not_to = performer_activities(activity)
        if to is None and not not_to:
            continue
        known = ctx.process_index(scope.process).activities
        for named in (to, *not_to):
            if named is not None and named not in known:
                yield make(
                    "performer-activity",
                    f"{where} is assigned by the performer of {named!r}, which is no "
                    "activity of the process",
                    element_id=activity.id,
                    line=activity.line,
                )
