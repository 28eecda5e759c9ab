"""Compiling one activity: what it does, how it joins, loops, times out and where it goes next.

Why a module of its own: this is the part of deploying that reads an activity's every field
(body, join, modes, tools and their parameters, loop, deadlines, outgoing transitions), while
:mod:`.compiler` deals with a graph as a whole (indexes, start activities, OR-join upstream
sets). The rules both follow are written down once, in :mod:`.compiler`'s notes.

:class:`ActivityCompiler` holds what compiling needs of the package and process; the graph
compiler extends it and supplies :meth:`ActivityCompiler.compile`, which a block activity
calls for its activity set.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta

from wfengine.applications.specs import build_tool_spec
from wfengine.definition.checks.cancel_remaining import cancels_remaining
from wfengine.definition.checks.deadline_unset import unset
from wfengine.definition.checks.loops import counter_problem, declared_items
from wfengine.definition.lanes import LanePerformers
from wfengine.definition.model import (
    Activity,
    ActivitySet,
    Application,
    BlockActivity,
    ConditionType,
    Event,
    EventPosition,
    Execution,
    GatewayType,
    MIFlowCondition,
    MIOrdering,
    Mode,
    MultiInstanceLoop,
    Package,
    ParameterMode,
    ReferenceImplementation,
    Route,
    StandardLoop,
    SubFlowImplementation,
    TaskImplementation,
    TaskKind,
    TestTime,
    Transition,
    WorkflowProcess,
)
from wfengine.definition.model_activities import ToolCall, actual_attrs
from wfengine.definition.model_processes import choosing_ways, left_empty, tried_in_order
from wfengine.definition.modes import modes
from wfengine.definition.parameters import implied_formals, takes_actuals_as_given
from wfengine.definition.reading import declared_types, is_identifier
from wfengine.definition.scripts import parse_assignments, unsupported_reason
from wfengine.definition.work_rules import (
    ESCALATE_AFTER,
    ESCALATE_TO,
    MIN_REMINDER_EVERY,
    REMINDER_AFTER,
    REMINDER_EVERY,
    positive_duration,
    reminder_duration,
)
from wfengine.errors import DeployError
from wfengine.expressions.lexer import name_problem
from wfengine.runtime.compile_events import (
    assignments,
    condition_of,
    event_throws,
    event_wait,
    message_name,
    signal_name,
    task_message_name,
    unrunnable_event,
)
from wfengine.runtime.compile_people import assignment, data_access
from wfengine.runtime.compile_subflow import compile_subflow
from wfengine.runtime.compile_task import runs_calls
from wfengine.runtime.compiled import (
    JOIN_AND,
    JOIN_COMPLEX,
    JOIN_OR,
    JOIN_PASS,
    KIND_BLOCK,
    KIND_CONDITION,
    KIND_MESSAGE,
    KIND_NONE,
    KIND_SCRIPT,
    KIND_SIGNAL,
    KIND_SUBFLOW,
    KIND_TASK,
    KIND_TIMER,
    KIND_UNSUPPORTED,
    SPLIT_ALL,
    SPLIT_FIRST,
    T_DEFAULT_EXCEPTION,
    T_EXCEPTION,
    T_NORMAL,
    T_OTHERWISE,
    CActivity,
    CDeadline,
    CGraph,
    CLoop,
    CReminders,
    CSubflow,
    CTool,
    CTransition,
)
from wfengine.runtime.evaluation import CompiledExpression, ExpressionReader
from wfengine.runtime.package_memo import package_memo


def _epoch() -> datetime:
    """The clock a literal is read with (a literal does not look at it)."""
    return datetime(1970, 1, 1, tzinfo=UTC)


class ActivityCompiler:
    """Compiles the activities of one process (see the module notes)."""

    def __init__(self, package: Package, process: WorkflowProcess, exprs: ExpressionReader) -> None:
        self.package = package
        self.exprs = exprs
        self.process = process
        #: the applications an activity may call: the process's own hide the package's
        self.applications: dict[str, Application] = {a.id: a for a in package.applications}
        self.applications.update({a.id: a for a in process.applications})
        self.fields = {f.id: f for f in (*package.data_fields, *process.data_fields)}
        #: what a loop counter may name: the fields and the process's formal parameters
        self.counter_items = declared_items(
            package.data_fields, process.data_fields, process.formal_parameters
        )
        self.types = declared_types(package)
        #: the declared participants a performer may name: the process's hide the package's
        self.participants = {p.id: p for p in (*package.participants, *process.participants)}
        #: the names a work item's data rules and a performer expression may use
        self.variables = frozenset((*self.fields, *(f.id for f in process.formal_parameters)))
        self.activities_by_id = {
            act.id: act
            for act in (
                *process.activities,
                *(x for s in process.activity_sets for x in s.activities),
            )
        }
        self.activity_ids = frozenset(self.activities_by_id)
        #: the activity sets by Id, the first where one repeats (a lookup per block, not a walk)
        self.activity_sets = {s.id: s for s in reversed(process.activity_sets)}
        #: who an activity that names no performer works for: its pool lane's performers
        self.lanes = package_memo(package, LanePerformers, lambda: LanePerformers(package))

    def compile(self, activity_set: ActivitySet | None, start_override: str | None) -> CGraph:
        """Compile a graph (a block's activity set): the graph compiler's part."""
        raise NotImplementedError

    def activity(self, scope: str, idx: int, a: Activity, n_in: int) -> CActivity:
        """Activity ``a`` at index ``idx`` with ``n_in`` incoming transitions; its outgoing
        transitions are filled in by :meth:`outgoing` once every activity has its index."""
        where = f"{scope}, activity {a.id!r}"
        if isinstance(a.body, ReferenceImplementation):
            a = self._referenced(where, a)
        a = self.lanes.applied(a)  # its lane's performers, when it names none (lanes.py)
        body = a.body
        kind = KIND_NONE
        tools: tuple[CTool, ...] = ()
        subflow: CSubflow | None = None
        block: CGraph | None = None
        script: tuple[tuple[str, CompiledExpression], ...] = ()
        unsupported: str | None = None
        wait: timedelta | datetime | CompiledExpression | None = None
        message: str | None = None
        signal: str | None = None
        throws: tuple[str, str | None] | None = None
        condition: CompiledExpression | None = None
        terminate = False
        if isinstance(body, TaskImplementation):
            if runs_calls(where, body, stored=_STORED.get()):  # its kind's work only
                kind = KIND_TASK
                tools = tuple(
                    self._tool(where, position, call) for position, call in enumerate(body.tools)
                )
            elif body.task is TaskKind.RECEIVE:
                kind, message = KIND_MESSAGE, task_message_name(a, body.detail)
            elif body.task is TaskKind.SEND:
                throws = ("Message", task_message_name(a, body.detail))
            elif body.task is TaskKind.SCRIPT and body.script:
                statements = parse_assignments(body.script, self.exprs.language)
                if statements is None:  # not assignments: never executed
                    kind = KIND_UNSUPPORTED
                    why = unsupported_reason(body.script, self.exprs.language)
                    unsupported = f"the script of activity {a.id!r} {why}: the engine never runs it"
                else:
                    kind = KIND_SCRIPT
                    script = tuple(  # a target may be a field's Name, as in expressions
                        (
                            self.exprs.aliases.get(name, name),
                            self.exprs.required(text, f"{where}, script, {name} ="),
                        )
                        for name, text in statements
                    )
            # TaskUser, TaskManual, TaskNone, ...: a person's work or nothing, like Impl. No
        elif isinstance(body, SubFlowImplementation):
            kind = KIND_SUBFLOW
            subflow = compile_subflow(self.package, self.exprs, where, body)
        elif isinstance(body, BlockActivity):
            kind = KIND_BLOCK
            aset = self.activity_sets.get(body.activity_set_id)
            if aset is None:
                raise DeployError(f"{where}: block names no activity set {body.activity_set_id!r}")
            block = self.compile(aset, body.start_activity_id or aset.default_start_activity_id)
        elif isinstance(body, Event):
            terminate = body.is_terminate
            trigger = body.trigger
            if body.target is not None:
                pass  # a boundary event: armed on its activity (the graph compiler attaches it)
            elif (thrown := event_throws(a, body)) is not None:
                throws = thrown  # (a message or signal too: audited as event.thrown)
            elif body.position is EventPosition.START and trigger == "Message":
                message = message_name(a, body)  # Engine.start_by_message starts here
            elif body.position is EventPosition.INTERMEDIATE and trigger not in ("None", ""):
                if trigger == "Timer":
                    kind = KIND_TIMER
                    wait = event_wait(self.exprs, where, body)[0]
                elif trigger == "Message":
                    kind, message = KIND_MESSAGE, message_name(a, body)
                elif trigger == "Signal":
                    kind, signal = KIND_SIGNAL, signal_name(a, body)[0]
                elif trigger == "Conditional":
                    condition = condition_of(self.exprs, where, a, body)
                    kind = KIND_CONDITION if condition is not None else KIND_UNSUPPORTED
                elif trigger != "Link":  # a link goes where its name says (the graph's part)
                    kind = KIND_UNSUPPORTED
                if kind == KIND_UNSUPPORTED:
                    unsupported = unrunnable_event(body)
        elif isinstance(body, Route):
            pass

        join = JOIN_PASS
        join_condition = None
        gateway_join = a.join_gateway
        # a Complex join with a condition on one incoming transition merges threads of it
        threads = (
            n_in == 1
            and gateway_join is GatewayType.COMPLEX
            and a.join is not None
            and bool((a.join.incoming_condition or "").strip())
        )
        if (n_in > 1 or threads) and gateway_join is not None:
            if gateway_join is GatewayType.PARALLEL:
                join = JOIN_AND
            elif gateway_join is GatewayType.INCLUSIVE:
                join = JOIN_OR
            elif gateway_join is GatewayType.COMPLEX:
                join = JOIN_COMPLEX
                text = a.join.incoming_condition if a.join is not None else None
                join_condition = self.exprs.optional(text, f"{where}, join condition")
                if join_condition is None:
                    join = JOIN_OR  # a Complex join without a condition waits like an OR-join
        assign_start, assign_end = assignments(self.exprs, where, a)
        start_mode, finish_mode = modes(a)
        manual_start = start_mode is Mode.MANUAL and kind in (KIND_NONE, KIND_TASK, KIND_SCRIPT)
        manual_finish = finish_mode is Mode.MANUAL and kind in (KIND_NONE, KIND_TASK, KIND_SCRIPT)
        return CActivity(
            index=idx,
            id=a.id,
            model=a,
            kind=kind,
            performers=a.performers,
            participants=tuple(self.participants.get(p) for p in a.performers),
            join=join,
            n_in=n_in,
            split=SPLIT_ALL,
            terminate=terminate,
            join_condition=join_condition,
            loop=self._loop(where, a),
            deadlines=self._deadlines(where, a),
            tools=tools,
            subflow=subflow,
            block=block,
            offer_first=manual_start or (kind == KIND_NONE and manual_finish),
            offer_after=kind in (KIND_TASK, KIND_SCRIPT) and manual_finish and not manual_start,
            reminders=_reminders(where, a),
            script=script,
            unsupported=unsupported,
            assign_start=assign_start,
            assign_end=assign_end,
            wait=wait,
            message=message,
            signal=signal,
            throws=throws,
            condition=condition,
            cancel_remaining=cancels_remaining(a),
            assignment=assignment(
                where, a, self.exprs, self.participants, self.variables, self.activity_ids
            ),
            access=data_access(a),
        )

    def _referenced(self, where: str, a: Activity) -> Activity:
        """A Reference activity as the activity it names would run in its place: that one's
        implementation, performers, modes, loop, deadlines and extended attributes (its own,
        where it states them, win), with its own id, name, join, split and transitions."""
        seen = [a.id]
        found = a
        while isinstance(found.body, ReferenceImplementation):
            target = found.body.activity_id
            if target in seen:
                raise DeployError(f"{where}: references lead round in a circle ({target!r})")
            seen.append(target)
            named = self.activities_by_id.get(target)
            if named is None:
                raise DeployError(f"{where}: it references {target!r}, which is no activity")
            found = named
        own = {e.name for e in a.extended_attributes}
        return a.model_copy(
            update={
                "body": found.body,
                "performers": a.performers or found.performers,
                "start_mode": a.start_mode or found.start_mode,
                "finish_mode": a.finish_mode or found.finish_mode,
                "loop": a.loop or found.loop,
                "deadlines": a.deadlines or found.deadlines,
                "extended_attributes": (
                    *a.extended_attributes,
                    *(e for e in found.extended_attributes if e.name not in own),
                ),
            }
        )

    def _tool(self, where: str, position: int, call: ToolCall) -> CTool:
        app_id, actuals = call.application_id, call.actual_parameters
        app = self.applications.get(app_id)
        # an application of another package (validation warns when the package declares
        # ExternalPackages, refuses the process otherwise) is bound by its id alone, and like
        # one declared only by an ExternalReference it takes the actual parameters as given
        if app is None or takes_actuals_as_given(app):
            formals = implied_formals(actuals)
        else:
            formals = app.formal_parameters
        if len(formals) != len(actuals):
            raise DeployError(
                f"{where}: application {app_id!r} has {len(formals)} formal parameters, "
                f"the activity gives {len(actuals)}"
            )
        params: list[tuple[str, ParameterMode, CompiledExpression | None, str | None, str]] = []
        for i, (fp, actual) in enumerate(zip(formals, actuals, strict=True)):
            text = actual.strip()
            value = None
            target = None
            if fp.mode in (ParameterMode.IN, ParameterMode.INOUT):
                value = self.exprs.required(
                    text, f"{where}, parameter {fp.id!r} of {app_id!r}", actual_attrs(call, i)
                )
            if fp.mode in (ParameterMode.OUT, ParameterMode.INOUT):
                # any identifier an expression reads as written (``größe`` too: this took
                # ASCII only, though expressions read the name); a superset of the old shape,
                # so a stored deployment compiles as it did
                if not is_identifier(text):
                    problem = name_problem(text)
                    raise DeployError(
                        f"{where}: {fp.mode.value} parameter {fp.id!r} of {app_id!r} must name "
                        f"a data field, not {text!r}" + (f" ({problem})" if problem else "")
                    )
                target = self.exprs.aliases.get(text, text)
            params.append((fp.id, fp.mode, value, target, text))
        spec = build_tool_spec(
            app_id, app, position, params, self.fields, self.types, self.exprs.aliases
        )
        return CTool(application_id=app_id, spec=spec)

    def _loop(self, where: str, a: Activity) -> CLoop | None:
        loop = a.loop
        if loop is not None and loop.counter_field is not None:
            self._counter(where, a, loop.counter_field)
        if isinstance(loop, StandardLoop):
            return CLoop(
                multi=False,
                condition=self.exprs.optional(
                    loop.condition, f"{where}, loop condition", loop.condition_attrs
                ),
                maximum=loop.maximum,
                test_before=loop.test_time is TestTime.BEFORE,
                counter=loop.counter_field,
            )
        if isinstance(loop, MultiInstanceLoop):
            count = self.exprs.optional(
                loop.mi_condition, f"{where}, MI condition", loop.mi_condition_attrs
            )
            if count is None:
                raise DeployError(f"{where}: a MultiInstance loop needs an MI_Condition")
            flow_condition = self.exprs.optional(
                loop.complex_flow_condition,
                f"{where}, complex MI flow condition",
                loop.complex_flow_condition_attrs,
            )
            if loop.flow_condition is MIFlowCondition.COMPLEX and flow_condition is None:
                raise DeployError(f"{where}: MI flow condition Complex needs its expression")
            return CLoop(
                multi=True,
                count=count,
                parallel=loop.ordering is MIOrdering.PARALLEL,
                flow=loop.flow_condition,
                flow_condition=flow_condition,
                counter=loop.counter_field,
            )
        return None

    def _counter(self, where: str, a: Activity, field: str) -> None:
        """A loop counter naming a field that cannot hold the count refuses the deploy
        (validation reports it first, as ``loop-counter``); a stored deployment keeps counting
        in it, with a warning. A field no one declared gets the count as undeclared data."""
        own = next((f for f in a.data_fields if f.id == field), None)
        item = own if own is not None else self.counter_items.get(field)
        problem = counter_problem(item, self.types) if item is not None else None
        if problem is None:
            return
        if not _STORED.get():
            raise DeployError(f"{where}: {problem}")
        _deploy_log.warning(
            "%s (deployed earlier): %s; it counts in it all the same", where, problem
        )

    def _deadlines(self, where: str, a: Activity) -> tuple[CDeadline, ...]:
        out: list[CDeadline] = []
        for i, d in enumerate(a.deadlines):
            if unset(d):
                # Modelling tools leave an unset deadline as an empty (or "None") duration;
                # it never fires, so it is no deadline (validation: deadline-no-duration)
                continue
            text = (d.duration or "").strip()
            read = self.exprs.duration(
                text, f"{where}, deadline {i + 1} duration", d.duration_attrs
            )
            duration: timedelta | CompiledExpression = read
            if read.constant:
                duration = read.evaluate({}, _epoch, "deploy")
            out.append(
                CDeadline(
                    index=i,
                    duration=duration,
                    synchronous=d.execution is Execution.SYNCHR,
                    exception_name=d.exception_name or "DeadlineExceeded",
                )
            )
        return tuple(out)

    # -- outgoing transitions ----------------------------------------------------------------

    def outgoing(
        self,
        scope: str,
        ca: CActivity,
        a: Activity,
        outs: list[Transition],
        by_id: dict[str, int],
        slots: dict[str, int],
    ) -> None:
        """Sort ``outs``, the transitions leaving ``a``, into ``ca``'s evaluation order and
        kinds (normal, OTHERWISE, EXCEPTION, DEFAULTEXCEPTION), and decide its split."""
        where = f"{scope}, activity {a.id!r}"
        tried = tried_in_order(a, outs)
        ca.split = SPLIT_ALL if tried is None else SPLIT_FIRST
        outs = outs if tried is None else tried
        normal: list[CTransition] = []
        exceptions: list[CTransition] = []
        unnamed: list[CTransition] = []
        ways = len(choosing_ways(outs))
        for t in outs:
            cond = t.condition
            ctype = cond.type if cond is not None else None
            text = cond.expression if cond is not None else None
            twhere = f"{where}, transition {t.id!r}"
            ct = CTransition(
                id=t.id,
                source=ca.index,
                target=by_id[t.to],
                slot=slots[t.id],
                kind=T_NORMAL,
                condition=None,
                exception_name=None,
            )
            if ctype is ConditionType.OTHERWISE:
                if ca.otherwise is not None:
                    raise DeployError(f"{where}: more than one OTHERWISE transition")
                ct.kind = T_OTHERWISE
                ca.otherwise = ct
            elif ctype is ConditionType.EXCEPTION and (text or "").strip():
                ct.kind = T_EXCEPTION
                ct.exception_name = (text or "").strip()
                exceptions.append(ct)
            elif ctype is ConditionType.EXCEPTION:
                # an EXCEPTION naming no exception (JaWE, Shark and the WfMC's own 1.0 sample
                # write it so) is taken on any failure, as DEFAULTEXCEPTION is; a name could
                # never match it. A DEFAULTEXCEPTION of the same activity comes first
                ct.kind = T_DEFAULT_EXCEPTION
                unnamed.append(ct)
            elif ctype is ConditionType.DEFAULTEXCEPTION:
                ct.kind = T_DEFAULT_EXCEPTION
                ca.default_exception = ct
            else:
                attrs = cond.expression_attrs if cond is not None else ()
                if ways > 1 and left_empty(t):
                    # a condition the modeller left empty where the activity chooses: a
                    # decision for people (condition-empty), not a way always taken
                    ct.condition = self.exprs.decision(t.name, f"{twhere} condition")
                else:
                    ct.condition = self.exprs.optional(text, f"{twhere} condition", attrs)
                normal.append(ct)
        if ca.default_exception is None and unnamed:
            ca.default_exception = unnamed[0]
        ca.normal = tuple(normal)
        ca.exceptions = tuple(exceptions)
        ca.ends_quietly = a.split is None and not isinstance(a.body, Route)
        if len(normal) == 1 and normal[0].condition is None and ca.otherwise is None:
            ca.only_next = normal[0]


#: set while a stored deployment is compiled (:func:`stored_deployment`)
_STORED: ContextVar[bool] = ContextVar("wfengine_compiling_stored", default=False)
#: set while one stored by a wfengine before its texts' readings changed is compiled
_READS_AS_BEFORE: ContextVar[bool] = ContextVar("wfengine_reads_as_before", default=False)
_deploy_log = logging.getLogger("wfengine.deploy")


@contextmanager
def stored_deployment(*, reads_as_before: bool = False) -> Iterator[None]:
    """Compile a deployment read back from a store: maybe one deployed by an earlier wfengine,
    whose rules for new definitions may have been looser. The rules that only guard what a new
    definition may ask (the reminder rhythm) then bend, with a warning, instead of refusing
    the process, so the work already stored keeps running (what this wfengine deployed never
    meets them: it refused them at deploy).

    ``reads_as_before``: the store marks it deployed before its expressions' readings changed
    (``deployments.reads_expressions_as_before``, migration 0026), so they read as then
    (:mod:`wfengine.expressions.stored_reading`). Why a mark and not "read back": a
    reading that is no refusal at deploy (a text that now fails at run time) would otherwise
    differ between the process that deployed it and every other one reading it back."""
    token = _STORED.set(True)
    as_before = _READS_AS_BEFORE.set(reads_as_before)
    try:
        yield
    finally:
        _READS_AS_BEFORE.reset(as_before)
        _STORED.reset(token)


def reads_as_before() -> bool:
    """Whether the deployment being compiled reads its expressions as an earlier wfengine did
    (:func:`stored_deployment`)."""
    return _READS_AS_BEFORE.get()


def _reminders(where: str, a: Activity) -> CReminders | None:
    """The activity's reminders, or None; a duration that is not one, not positive, or longer
    than the engine waits refuses the deploy (a zero interval would remind without end). A
    stored deployment (:func:`stored_deployment`) is not refused: a rhythm under the shortest
    is raised to it, any other refused duration is left out (no such reminder)."""

    def duration(name: str) -> timedelta | None:
        text = a.extended_attribute(name)
        if text is None:
            return None
        found = reminder_duration(name, text)
        if isinstance(found, str):  # validation reports it first, as reminder-duration
            if not _STORED.get():
                raise DeployError(f"{where}: {name} {text!r} is {found}")
            # only a rhythm under the shortest is taken as the shortest; what is no duration
            # above zero, or longer than the engine waits, is left out
            length = positive_duration(text)
            kept = (
                MIN_REMINDER_EVERY
                if name == REMINDER_EVERY and length is not None and length < MIN_REMINDER_EVERY
                else None
            )
            _deploy_log.warning(
                "%s (deployed earlier): %s %r is %s; %s",
                where,
                name,
                text,
                found,
                "it is left out" if kept is None else "it is taken as a minute",
            )
            return kept
        return found

    first, every = duration(REMINDER_AFTER), duration(REMINDER_EVERY)
    escalate, to = duration(ESCALATE_AFTER), a.extended_attribute(ESCALATE_TO)
    if first is None and every is None and escalate is None:
        return None
    return CReminders(first or every, every, escalate, to or None)
