"""Expression checks: every text the engine will read, read the way the engine reads it.

Which texts are expressions: transition conditions, loop and multi-instance conditions,
complex join/split conditions, an ad-hoc activity set's completion condition, deadline
durations, actual parameters passed to IN formals (an OUT or INOUT actual is a variable name,
checked by the reference checks), data fields' initial values, events' timers and conditions,
and assignments (a script task's, and an activity's XPDL 2.x ``Assignments``). Each is read
by :mod:`wfengine.definition.reading`, the module the engine's compiler reads them with, and
found where the compiler finds it (:mod:`wfengine.definition.event_texts`,
:mod:`wfengine.definition.scripts`), so that validation and deploy agree:

* ``expression-syntax`` (error): a text in wfengine's own language that does not parse, or a
  duration wfengine does not read: one counting months or years (``P1M``; their length
  varies), a timer cycle repeating zero times (``R0/PT1H``: it would never fire), a timer
  date written as a date that is no ISO 8601 one (``2030-1-5``, ``2024-13-45``,
  ``12/31/2030``: read as an expression it would be a subtraction or a division), a timer
  date after the last day the engine keeps (9999-12-31 UTC), a deadline or timer written as a
  text (``'PT1H'``: the engine reads no wait from text; :mod:`.constant_waits`);
* ``expression-foreign`` (warning): a JavaScript, Java or other-language text that uses more
  of its language than wfengine reads; it fails only when an instance reaches it;
* ``expression-label`` (warning): a label for people where an expression belongs; an instance
  reaching it stops with an incident an operator resolves;
* ``expression-unknown-name`` (warning): a name that is no data field or parameter;
* ``initial-value-type`` (error): an initial value that is not a value of its field's type;
* ``deadline-duration`` (error): a literal deadline, or constant number of seconds, not
  above zero (it fires at once, or is no wait; :mod:`.constant_waits`);
* ``timer-cycle`` (error): a repeating timer whose literal interval (or constant number of
  seconds) is not above zero (:mod:`.constant_waits`);
* ``assignment-target`` (error): an ``Assignment`` whose Target is no field name;
* ``script-unsupported`` (warning): a script task's script that is not assignments, which the
  engine never runs;
* ``loop-incomplete`` (error): a multi-instance loop without its count or Complex flow
  condition;
* ``loop-counter`` (error) and ``undefined-data-field`` (a warning): a loop counter naming a
  field that is not an INTEGER, or no field (:mod:`.loops`);
* ``undefined-data-field`` (a warning): a script or ``Assignment`` target that no field,
  formal parameter or field Name stands for (a typo writes undeclared data);
* ``math-argument`` (a warning): a Java or JavaScript ``Math.max/min/abs`` given a constant
  or a field it does not take (:mod:`.math_argument_types`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

from wfengine.definition.checks.constant_waits import wait_findings
from wfengine.definition.checks.context import Context, Scope, condition_kind
from wfengine.definition.checks.initial_values import initial_value_findings
from wfengine.definition.checks.instance_data_field import fields_by_id
from wfengine.definition.checks.loops import counter_findings
from wfengine.definition.checks.math_argument_types import math_argument_findings
from wfengine.definition.checks.readings import (
    DEADLINE_SITE,
    LANGUAGE_GLOBALS,
    global_outcome,
    quote,
    reading_findings,
    shared_names,
    unread_names,
)
from wfengine.definition.diagnostics import Diagnostic, Severity, make
from wfengine.definition.event_texts import LAST_MOMENT, Timer, condition_text, held, timer_of
from wfengine.definition.model import (
    Activity,
    Attrs,
    ConditionType,
    DataField,
    Event,
    EventPosition,
    Execution,
    MIFlowCondition,
    MultiInstanceLoop,
    ParameterMode,
    StandardLoop,
    SubFlowImplementation,
    TaskImplementation,
    TaskKind,
    ToolCall,
)
from wfengine.definition.model_activities import actual_attrs
from wfengine.definition.reading import (
    Reading,
    ReadKind,
    declared_types,
    language_name,
    name_aliases,
    read_duration,
    read_expression,
    read_moment,
    site_language,
)
from wfengine.definition.scripts import (
    activity_assignments,
    parse_assignments,
    unsupported_reason,
)
from wfengine.expressions import Language


@dataclass(frozen=True)
class _Site:
    """One text to read and where it lives, for messages."""

    text: str
    what: str
    element_id: str
    line: int | None
    activity: Activity | None
    attrs: Attrs = ()
    duration: bool = False
    #: names the engine provides where this text is evaluated (a join's ``activationCount``)
    given: frozenset[str] = frozenset()
    #: the timer whose cycle this text is (its repeat decides which intervals it takes)
    timer: Timer | None = None
    #: a timer's ``TimeDate``: a text written as a date must be an ISO 8601 one
    moment: bool = False
    #: report only a text that does not parse: a subflow's OUT actual is a name (the
    #: reference checks report unknown ones), but the compiler reads every subflow actual
    #: as an expression, since the called process's modes may be known only at run time
    syntax_only: bool = False


def _language_globals(reading: Reading, site: _Site, known: set[str]) -> Iterator[Diagnostic]:
    """``expression-foreign`` for each global of the text's language it uses (JavaScript's
    ``undefined``, Java's ``Boolean.TRUE``); these names are then known, so no
    ``expression-unknown-name`` sends the modeller looking for a mistyped field."""
    if reading.kind is not ReadKind.EXPRESSION or reading.expression is None:
        return
    names = reading.expression.names - known
    for name in sorted(names & LANGUAGE_GLOBALS.get(reading.language, frozenset())):
        known.add(name)
        yield make(
            "expression-foreign",
            f"{site.what} uses {language_name(reading.language)}'s {name!r}, which wfengine's "
            f"reading of {language_name(reading.language)} does not provide (in "
            f"{quote(reading.text)}); {global_outcome(site.what)}",
            element_id=site.element_id,
            line=site.line,
        )


#: the names a Complex join's condition may use besides the data
JOIN_NAMES = frozenset({"arrived", "activationCount", "incoming"})
#: the names a Complex MI flow condition may use besides the data
MI_FLOW_NAMES = frozenset({"completed", "instances"})


def _site(
    scope: Scope,
    activity: Activity,
    text: str | None,
    what: str,
    line: int | None,
    *,
    attrs: Attrs = (),
    duration: bool = False,
    given: frozenset[str] = frozenset(),
    timer: Timer | None = None,
    required: bool = False,
    moment: bool = False,
) -> Iterator[_Site]:
    """The site of a non-blank expression on ``activity``; nothing for a blank one, unless
    ``required`` (the compiler reads it even blank, and refuses it: an empty expression)."""
    if text is not None and (required or text.strip()):
        where = f"{what} of activity {activity.id!r} in {scope.where}"
        line = line if line is not None else activity.line
        yield _Site(text, where, activity.id, line, activity, attrs, duration, given, timer, moment)


def _loop_findings(scope: Scope, activity: Activity) -> Iterator[Diagnostic]:
    """``loop-incomplete``: a multi-instance loop without its count, or a Complex flow
    condition without its expression: the engine cannot run either."""
    loop = activity.loop
    if not isinstance(loop, MultiInstanceLoop):
        return
    line = loop.line if loop.line is not None else activity.line
    if not (loop.mi_condition or "").strip():
        yield make(
            "loop-incomplete",
            f"the multi-instance loop of activity {activity.id!r} in {scope.where} has no "
            "MI_Condition: how many instances to start",
            element_id=activity.id,
            line=line,
        )
    if (
        loop.flow_condition is MIFlowCondition.COMPLEX
        and not (loop.complex_flow_condition or "").strip()
    ):
        yield make(
            "loop-incomplete",
            f"the multi-instance loop of activity {activity.id!r} in {scope.where} has the "
            "flow condition Complex but no ComplexMI_FlowCondition expression",
            element_id=activity.id,
            line=line,
        )


def _activity_sites(ctx: Context, scope: Scope, activity: Activity) -> Iterator[_Site]:
    loop = activity.loop
    if isinstance(loop, StandardLoop):
        yield from _site(
            scope,
            activity,
            loop.condition,
            "the loop condition",
            loop.line,
            attrs=loop.condition_attrs,
        )
    elif isinstance(loop, MultiInstanceLoop):
        yield from _site(
            scope,
            activity,
            loop.mi_condition,
            "the MI condition",
            loop.line,
            attrs=loop.mi_condition_attrs,
        )
        yield from _site(
            scope,
            activity,
            loop.complex_flow_condition,
            "the complex flow condition",
            loop.line,
            attrs=loop.complex_flow_condition_attrs,
            given=MI_FLOW_NAMES,
        )
    join, split = activity.join, activity.split
    if join is not None:
        yield from _site(
            scope,
            activity,
            join.incoming_condition,
            "the join condition",
            join.line,
            given=JOIN_NAMES,
        )
    if split is not None:
        yield from _site(
            scope, activity, split.outgoing_condition, "the split condition", split.line
        )
    for deadline in activity.deadlines:
        duration = deadline.duration
        if duration is not None and duration.strip() != "None":
            yield from _site(
                scope,
                activity,
                duration,
                DEADLINE_SITE,
                deadline.line,
                attrs=deadline.duration_attrs,
                duration=True,
            )
    yield from _actual_sites(ctx, scope, activity)
    yield from _event_sites(scope, activity)
    yield from _assignment_sites(scope, activity, ctx.language)


def _event_sites(scope: Scope, activity: Activity) -> Iterator[_Site]:
    """A start or intermediate event's timer and condition (the texts the compiler reads
    from its trigger element, found the same way: :mod:`wfengine.definition.event_texts`)."""
    event = activity.body
    if not isinstance(event, Event) or event.position is EventPosition.END:
        return
    line = event.line
    if event.trigger == "Timer":
        timer = timer_of(event)
        if timer is None or timer.moment is not None:
            return
        if timer.is_date:
            yield from _site(scope, activity, timer.text, "the timer date", line, moment=True)
        else:
            what = "the timer cycle"  # "R/" alone leaves an empty one
            yield from _site(
                scope, activity, timer.text, what, line, duration=True, timer=timer, required=True
            )
    elif event.trigger == "Conditional":
        yield from _site(scope, activity, condition_text(event), "the event condition", line)


def _timer_date(scope: Scope, activity: Activity) -> Iterator[Diagnostic]:
    """``expression-syntax``: a timer's literal ``TimeDate`` after the last time the engine
    keeps (near the year 9999: no database holds it, and it would never come due)."""
    event = activity.body
    if not isinstance(event, Event) or event.trigger != "Timer":
        return
    timer = timer_of(event)
    if timer is None or timer.moment is None or held(timer.moment):
        return
    yield make(
        "expression-syntax",
        f"the timer date of activity {activity.id!r} in {scope.where} is "
        f"{timer.moment.isoformat()}, at or after {LAST_MOMENT.isoformat()}, where the "
        "engine's time ends: it would never come due (and no database holds it)",
        element_id=activity.id,
        line=event.line if event.line is not None else activity.line,
    )


def _assignment_sites(scope: Scope, activity: Activity, language: Language) -> Iterator[_Site]:
    """A script task's assignments and the activity's XPDL 2.x ``Assignments``, read as the
    compiler reads them (:mod:`wfengine.definition.scripts`). A script that is not made of
    assignments is never run (an incident when reached), so it has no expression to read."""
    body = activity.body
    if isinstance(body, TaskImplementation) and body.task is TaskKind.SCRIPT and body.script:
        assigned: frozenset[str] = frozenset()  # each statement sees the ones before it
        for name, text in parse_assignments(body.script, language) or ():
            what = f"the script's assignment to {name!r}"
            yield from _site(scope, activity, text, what, None, given=assigned)
            assigned |= {name}
    for n, assignment in enumerate(activity_assignments(activity)):
        what = f"assignment {n + 1} ({assignment.target} =)"
        expression, line = assignment.expression, assignment.line
        yield from _site(scope, activity, expression, what, line, required=True)


def _unrun_script(scope: Scope, activity: Activity, language: Language) -> Iterator[Diagnostic]:
    """``script-unsupported``: a script task whose script is not made of assignments, which
    the engine never runs (:mod:`wfengine.definition.scripts`): an instance reaching it stops
    with an incident. The compiler accepts it (code in a language the engine does not run)."""
    body = activity.body
    if (
        not isinstance(body, TaskImplementation)
        or body.task is not TaskKind.SCRIPT
        or body.tools
        or not body.script
    ):
        return
    reason = unsupported_reason(body.script, language)
    if reason is None:
        return
    yield make(
        "script-unsupported",
        f"the script of activity {activity.id!r} in {scope.where} {reason}: the engine never "
        "runs it, and an instance reaching it stops with an incident",
        element_id=activity.id,
        line=body.line if body.line is not None else activity.line,
    )


def _assignment_targets(scope: Scope, activity: Activity) -> Iterator[Diagnostic]:
    """``assignment-target``: an ``Assignment`` whose Target is no field name."""
    for n, assignment in enumerate(activity_assignments(activity)):
        if not assignment.target.isidentifier():
            yield make(
                "assignment-target",
                f"assignment {n + 1} of activity {activity.id!r} in {scope.where} assigns to "
                f"{assignment.target!r}, which is no data field name",
                element_id=activity.id,
                line=assignment.line if assignment.line is not None else activity.line,
            )


def _undeclared_targets(
    ctx: Context, scope: Scope, activity: Activity, aliases: Mapping[str, str]
) -> Iterator[Diagnostic]:
    """``undefined-data-field`` (a warning): a script or ``Assignment`` that assigns to a name
    no field, formal parameter or Name (:func:`name_aliases`) stands for, as for an OUT
    actual or a loop counter: a typo (``totl =``) leaves the field unset and writes
    undeclared data. A name stated twice is reported once."""
    body = activity.body
    targets: list[tuple[str, str, int | None]] = []
    if isinstance(body, TaskImplementation) and body.task is TaskKind.SCRIPT and body.script:
        line = body.line if body.line is not None else activity.line
        for name, _ in parse_assignments(body.script, ctx.language) or ():
            targets.append((name, "its script", line))
    for n, assignment in enumerate(activity_assignments(activity)):
        if assignment.target.isidentifier():  # (else assignment-target)
            line = assignment.line if assignment.line is not None else activity.line
            targets.append((assignment.target, f"its assignment {n + 1}", line))
    if not targets:
        return
    known = ctx.data_names(scope.process, activity) | set(aliases)
    for name, what, line in targets:
        if name in known:
            continue
        known.add(name)
        fields = (*scope.process.data_fields, *ctx.package.data_fields)
        named = [f.id for f in fields if f.name == name]  # (a Name two fields carry)
        hint = f" (data fields {named} are all named {name!r}; name one by its Id)"
        yield make(
            "undefined-data-field",
            f"activity {activity.id!r} in {scope.where} assigns to {name!r} in {what}, which "
            "is no data field or formal parameter of the process or package"
            f"{hint if named else ''}; the instance gets it as undeclared data",
            element_id=activity.id,
            line=line,
            severity=Severity.WARNING,
        )


def _actual_sites(ctx: Context, scope: Scope, activity: Activity) -> Iterator[_Site]:
    """Actual parameters bound to IN formals (or to formals this package cannot see), and an
    asynchronous subflow's INOUT actuals: it receives nothing, so they only go in (its OUT ones
    are never evaluated)."""
    body = activity.body
    calls: list[tuple[ToolCall | SubFlowImplementation, list[ParameterMode]]] = []
    if isinstance(body, TaskImplementation):
        for tool in body.tools:
            app = ctx.application(scope.process, tool.application_id)
            modes = [f.mode for f in app.formal_parameters] if app is not None else []
            calls.append((tool, modes))
    elif isinstance(body, SubFlowImplementation):
        called = ctx.process_ids.get(body.process_id)
        modes = [f.mode for f in called.formal_parameters] if called is not None else []
        calls.append((body, modes))
    subflow = isinstance(body, SubFlowImplementation)
    receives = not (isinstance(body, SubFlowImplementation) and body.execution is Execution.ASYNCHR)
    for call, modes in calls:
        for i, actual in enumerate(call.actual_parameters):
            mode = modes[i] if i < len(modes) else ParameterMode.IN
            what = f"actual parameter {i + 1}"
            # its own ScriptType (a FormalExpression's) names its language
            attrs = actual_attrs(call, i)
            # (an application's is read even blank; a subflow's blank actual passes nothing)
            if mode is ParameterMode.IN or (not receives and mode is ParameterMode.INOUT):
                yield from _site(
                    scope, activity, actual, what, call.line, attrs=attrs, required=not subflow
                )
            elif subflow:
                for site in _site(scope, activity, actual, what, call.line, attrs=attrs):
                    yield replace(site, syntax_only=True)


def _scope_sites(ctx: Context, scope: Scope) -> Iterator[_Site]:
    """Every expression of one scope, transitions' conditions first, in definition order."""
    for transition in scope.transitions:
        condition = transition.condition
        if condition_kind(transition) is not ConditionType.CONDITION or condition is None:
            continue
        graph = scope.graph
        source = graph.nodes[transition.from_]["activity"] if transition.from_ in graph else None
        yield _Site(
            condition.expression or "",
            f"the condition of transition {transition.id!r} in {scope.where}",
            transition.id,
            condition.line if condition.line is not None else transition.line,
            source,
            condition.expression_attrs,
        )
    for activity in scope.activities:
        yield from _activity_sites(ctx, scope, activity)
    yield from _adhoc_site(scope)


def _adhoc_site(scope: Scope) -> Iterator[_Site]:
    """An ad-hoc scope's ``AdHocCompletionCondition`` (an activity set's, or a process's),
    which the compiler reads when ``AdHoc`` is true: evaluated after each of its activities
    completes, with the instance's data."""
    attrs = dict((scope.activity_set or scope.process).extra_attrs)
    text = attrs.get("AdHocCompletionCondition")
    if attrs.get("AdHoc", "false").strip().lower() != "true" or not (text or "").strip():
        return
    assert text is not None
    what = f"the ad-hoc completion condition of {scope.where}"
    yield _Site(text, what, scope.element_id, scope.line, None)


def _read(site: _Site, default: Language, aliases: Mapping[str, str], known: set[str]) -> Reading:
    language = site_language(default, site.attrs)
    if site.duration:
        return read_duration(site.text, language, aliases, known)
    if site.moment:
        return read_moment(site.text, language, aliases, known)
    return read_expression(site.text, language, aliases)


def check_expressions(ctx: Context) -> Iterator[Diagnostic]:
    """``expression-syntax``, ``expression-foreign``, ``expression-label``,
    ``expression-unknown-name``, ``initial-value-type``, ``deadline-duration``,
    ``timer-cycle``, ``assignment-target``, ``script-unsupported``, ``loop-incomplete``,
    ``loop-counter``, ``math-argument`` and a loop counter's, script's or Assignment's
    ``undefined-data-field``."""
    default = ctx.language
    types = declared_types(ctx.package)
    package_fields: list[DataField] = list(ctx.package.data_fields)
    # each process's scopes, found once: a scan of every scope per process cost N x N
    scopes: dict[int, list[Scope]] = {}
    for scope in ctx.scopes:
        scopes.setdefault(id(scope.process), []).append(scope)
    for process in ctx.processes:
        aliases = name_aliases(ctx.package, process)
        shared = shared_names(ctx.package, process)
        unread = unread_names(ctx.package, process)
        # the package's own fields once (with the first process), then the process's
        fields = [*package_fields, *process.data_fields]
        yield from initial_value_findings(ctx, fields, aliases, shared, unread)
        package_fields = []
        declared = fields_by_id(ctx, process)
        for scope in scopes.get(id(process), ()):
            for activity in scope.activities:
                yield from _loop_findings(scope, activity)
                yield from counter_findings(ctx, scope, activity)
                yield from _assignment_targets(scope, activity)
                yield from _undeclared_targets(ctx, scope, activity, aliases)
                yield from _unrun_script(scope, activity, default)
                yield from _timer_date(scope, activity)
            for site in _scope_sites(ctx, scope):
                known = ctx.data_names(scope.process, site.activity) | site.given
                reading = _read(site, default, aliases, known)
                if not site.syntax_only:
                    yield from _language_globals(reading, site, known)
                found = reading_findings(
                    reading,
                    site.what,
                    site.element_id,
                    site.line,
                    known,
                    shared=shared,
                    unread=unread,
                )
                if site.syntax_only:
                    found = (d for d in found if d.code == "expression-syntax")
                yield from found
                if not site.syntax_only:
                    where = (site.what, site.element_id, site.line)
                    yield from math_argument_findings(reading, where, declared, types, aliases)
                if site.duration or site.moment:
                    yield from wait_findings(
                        reading,
                        site.what,
                        site.element_id,
                        site.line,
                        timer=site.timer,
                        moment=site.moment,
                    )
