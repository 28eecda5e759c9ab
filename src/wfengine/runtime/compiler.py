"""Compile a process definition into plain navigation tables, once, at deploy time.

Why: a step of a running instance must cost the same whatever the size of the process. So
everything that can be decided from the definition alone is decided here: activities get an
integer index; each activity knows its outgoing transitions already sorted into evaluation
order and grouped by kind (normal, OTHERWISE, EXCEPTION, DEFAULTEXCEPTION), its join type and
number of inputs, and every expression is parsed. For each Inclusive (OR) and Complex join the
set of places from which a token can still reach the join without passing through it is
computed here with networkx, so the run-time OR-join test is a set lookup over the (few) live
places, which also gives the non-local semantics inside cycles and unstructured graphs.
The test is the one of BPMN 2.0: a live place blocks an OR-join only if it can reach one of
the join's *empty* incoming transitions and none of its *filled* ones (without passing the
join). Without that refinement an OR-join and a Parallel join inside one loop wait for each
other for ever (the "vicious circle").

Rules decided here (documented for modellers):

* Split semantics. *Exclusive*: transitions are tried in the split's ``TransitionRefs`` order
  (then definition order) and the first that holds is taken. *Parallel*, *Inclusive*, *Complex*
  and no split at all: every transition that holds is taken; an unconditional transition always
  holds. That makes an XPDL 1.0 AND split with conditions a multi-choice, as WfMC.md requires,
  and matches tools (Bonita 5) that write no Split elements.
* OTHERWISE is taken only when no other (non-exception) transition holds, wherever it stands
  in the order.
* When nothing holds and there is no OTHERWISE: a gateway (a Route or an activity with a
  Split) cannot decide, which is an incident; any other activity's thread simply ends there
  (implicit termination, WCP11, as BPMN engines end an execution whose activity has no
  outgoing flow to take), audited as ``activity.thread_ended``.
* EXCEPTION / DEFAULTEXCEPTION transitions are never taken by normal completion; an EXCEPTION
  transition whose condition text is the exception's name catches it (a deadline's
  ``ExceptionName``, or an application error's class name); DEFAULTEXCEPTION catches the rest.
* Join semantics. *Exclusive* (and no join): every arriving token starts the activity (simple
  merge, multi-merge). *Parallel*: one token on each incoming transition. *Inclusive*: at least
  one token and no live place in the join's upstream set. *Complex*: the ``IncomingCondition``
  is evaluated on each arrival with ``arrived`` (tokens arrived this round) and ``incoming``
  (number of incoming transitions) added to the data; the join fires the first time it holds
  in a round. A round ends when no further token can arrive (the OR-join test); then the
  count resets, and tokens of a round in which the condition never held are dropped (an audit
  event ``join.discarded`` records it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import IntEnum

import networkx as nx

from wfengine.applications.specs import ToolSpec, build_tool_spec
from wfengine.definition.graph import start_ids
from wfengine.definition.model import (
    Activity,
    ActivitySet,
    Application,
    BlockActivity,
    ConditionType,
    Event,
    EventPosition,
    Execution,
    FormalParameter,
    GatewayType,
    MIFlowCondition,
    MIOrdering,
    Mode,
    MultiInstanceLoop,
    Package,
    ParameterMode,
    Route,
    StandardLoop,
    SubFlowImplementation,
    TaskImplementation,
    TaskKind,
    TestTime,
    Transition,
    WorkflowProcess,
)
from wfengine.definition.modes import modes
from wfengine.definition.parameters import implied_formals, takes_actuals_as_given
from wfengine.definition.reading import declared_types, name_aliases, package_language
from wfengine.errors import DeployError
from wfengine.runtime.evaluation import CompiledExpression, ExpressionReader


class ActivityKind(IntEnum):
    """What an activity does itself (ints: the navigator compares them on every step)."""

    NONE = 0  # Implementation No, Route, pass-through events: nothing to run
    TASK = 1  # calls applications from the registry
    SUBFLOW = 2
    BLOCK = 3
    UNSUPPORTED = 4  # script tasks, reference activities, ...: an incident when reached


class JoinKind(IntEnum):
    PASS = 0  # Exclusive or a single input: every token starts the activity
    AND = 1
    OR = 2
    COMPLEX = 3


class SplitKind(IntEnum):
    ALL = 0  # follow every transition that holds
    FIRST = 1  # Exclusive: the first that holds


class TransitionKind(IntEnum):
    NORMAL = 0
    OTHERWISE = 1
    EXCEPTION = 2
    DEFAULT_EXCEPTION = 3


# The members under short module-level names, for the navigator's hot paths: a module global
# is read faster than an enum class attribute, and they are the same objects.
KIND_NONE, KIND_TASK, KIND_SUBFLOW, KIND_BLOCK, KIND_UNSUPPORTED = ActivityKind
JOIN_PASS, JOIN_AND, JOIN_OR, JOIN_COMPLEX = JoinKind
SPLIT_ALL, SPLIT_FIRST = SplitKind
T_NORMAL, T_OTHERWISE, T_EXCEPTION, T_DEFAULT_EXCEPTION = TransitionKind

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _epoch() -> datetime:
    """The clock a literal is read with (a literal does not look at it)."""
    return datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(slots=True, eq=False)
class CTransition:
    id: str
    source: int
    target: int
    #: position among the target's incoming transitions (a join's counter slot)
    slot: int
    kind: TransitionKind
    condition: CompiledExpression | None
    #: for EXCEPTION transitions: the exception name it catches
    exception_name: str | None


@dataclass(slots=True, eq=False)
class CDeadline:
    index: int
    #: a fixed duration, or an expression giving seconds / a timedelta / a datetime
    duration: timedelta | CompiledExpression
    synchronous: bool
    exception_name: str


@dataclass(slots=True, eq=False)
class CLoop:
    multi: bool
    condition: CompiledExpression | None = None
    maximum: int | None = None
    test_before: bool = False
    counter: str | None = None
    # multi-instance
    count: CompiledExpression | None = None
    parallel: bool = True
    flow: MIFlowCondition = MIFlowCondition.ALL
    flow_condition: CompiledExpression | None = None


@dataclass(slots=True, eq=False)
class CTool:
    application_id: str
    #: how to call it: parameters, types, sensitivity, built once here
    spec: ToolSpec


@dataclass(slots=True, eq=False)
class CSubflow:
    process_id: str
    synchronous: bool
    #: actual parameter expressions in order; mapped to the called process's formals at run time
    actuals: tuple[CompiledExpression | None, ...]
    actual_texts: tuple[str, ...]
    package_ref: str | None


@dataclass(slots=True, eq=False)
class CActivity:
    index: int
    id: str
    model: Activity
    kind: ActivityKind
    performers: tuple[str, ...]
    join: JoinKind
    n_in: int
    split: SplitKind
    #: normal transitions in evaluation order
    normal: tuple[CTransition, ...] = ()
    otherwise: CTransition | None = None
    exceptions: tuple[CTransition, ...] = ()
    default_exception: CTransition | None = None
    #: the single unconditional successor, when that is all there is (the fast path)
    only_next: CTransition | None = None
    #: ids of the incoming transitions, in join-slot order
    incoming: tuple[str, ...] = ()
    terminate: bool = False
    #: OR/Complex joins: places from which a token can reach the join without passing it
    upstream: frozenset[int] = frozenset()
    #: OR joins: the same, per incoming slot (places that can reach that transition)
    slot_upstream: tuple[frozenset[int], ...] = ()
    join_condition: CompiledExpression | None = None
    loop: CLoop | None = None
    deadlines: tuple[CDeadline, ...] = ()
    tools: tuple[CTool, ...] = ()
    subflow: CSubflow | None = None
    block: CGraph | None = None
    #: runs and completes in one go: nothing to run, no person, loop, deadline or join state
    instant: bool = False
    #: a person's work item comes before the activity's own work (a Manual start; for
    #: Implementation No, any Manual mode): see :mod:`wfengine.definition.modes`
    offer_first: bool = False
    #: a person's work item comes after the applications ran (a Tool with an Automatic start
    #: and a Manual finish)
    offer_after: bool = False
    #: not a gateway (no Split, not a Route): when none of its conditions holds, its thread
    #: ends (implicit termination) instead of waiting for an operator
    ends_quietly: bool = False


@dataclass(slots=True, eq=False)
class CGraph:
    """One scope's graph: the process's top level or one activity set."""

    name: str
    activities: tuple[CActivity, ...]
    by_id: dict[str, int]
    starts: tuple[int, ...]
    #: True when some join needs the live-place bookkeeping (Inclusive or Complex joins)
    tracks_places: bool


@dataclass(slots=True, eq=False)
class CompiledProcess:
    process_id: str
    package_id: str
    graph: CGraph
    #: (data field id, initial-value expression) in declaration order, package fields first
    data_fields: tuple[tuple[str, CompiledExpression | None], ...]
    formal_parameters: tuple[FormalParameter, ...]
    activity_graph: dict[str, CGraph] = field(default_factory=dict)


# --------------------------------------------------------------------------- compiling


def compile_process(package: Package, process: WorkflowProcess) -> CompiledProcess:
    """Compile ``process`` of ``package``; raises :class:`DeployError` naming what is wrong.

    Every text is read by :mod:`wfengine.definition.reading`, as validation reads it.
    """
    where = f"process {process.id!r}"
    exprs = ExpressionReader(package_language(package), name_aliases(package, process))
    applications: dict[str, Application] = {a.id: a for a in package.applications}
    applications.update({a.id: a for a in process.applications})
    types = declared_types(package)
    fields: list[tuple[str, CompiledExpression | None]] = []
    for df in (*package.data_fields, *process.data_fields):
        initial = exprs.initial_value(df, types, f"{where}, data field {df.id!r} initial")
        fields.append((df.id, initial))
    compiler = _GraphCompiler(package, process, applications, exprs)
    graph = compiler.compile(None, None)
    return CompiledProcess(
        process_id=process.id,
        package_id=package.id,
        graph=graph,
        data_fields=tuple(fields),
        formal_parameters=process.formal_parameters,
        activity_graph=compiler.activity_graph,
    )


class _GraphCompiler:
    def __init__(
        self,
        package: Package,
        process: WorkflowProcess,
        applications: dict[str, Application],
        exprs: ExpressionReader,
    ) -> None:
        self.package = package
        self.exprs = exprs
        self.process = process
        self.applications = applications
        self.fields = {f.id: f for f in (*package.data_fields, *process.data_fields)}
        self.types = declared_types(package)
        self.activity_graph: dict[str, CGraph] = {}
        self._active_sets: list[str] = []

    def compile(self, activity_set: ActivitySet | None, start_override: str | None) -> CGraph:
        process = self.process
        if activity_set is None:
            activities, transitions = process.activities, process.transitions
            name = f"process {process.id!r}"
        else:
            if activity_set.id in self._active_sets:
                raise DeployError(
                    f"process {process.id!r}: activity set {activity_set.id!r} contains a block "
                    "that runs itself; recursion belongs in a subflow"
                )
            activities, transitions = activity_set.activities, activity_set.transitions
            name = f"process {process.id!r}, activity set {activity_set.id!r}"
        self._active_sets.append(activity_set.id if activity_set else "")
        try:
            return self._compile(name, activity_set, activities, transitions, start_override)
        finally:
            self._active_sets.pop()

    def _compile(
        self,
        name: str,
        activity_set: ActivitySet | None,
        activities: tuple[Activity, ...],
        transitions: tuple[Transition, ...],
        start_override: str | None,
    ) -> CGraph:
        by_id: dict[str, int] = {}
        for a in activities:
            if a.id in by_id:
                raise DeployError(f"{name}: activity id {a.id!r} is used twice")
            by_id[a.id] = len(by_id)
        incoming: list[list[Transition]] = [[] for _ in activities]
        outgoing: list[list[Transition]] = [[] for _ in activities]
        for t in transitions:
            if t.from_ not in by_id or t.to not in by_id:
                missing = t.from_ if t.from_ not in by_id else t.to
                raise DeployError(f"{name}: transition {t.id!r} names no activity {missing!r}")
            incoming[by_id[t.to]].append(t)
            outgoing[by_id[t.from_]].append(t)

        slots: dict[str, int] = {}
        for ins in incoming:
            for i, t in enumerate(ins):
                slots[t.id] = i

        compiled: list[CActivity] = []
        for idx, a in enumerate(activities):
            compiled.append(self._activity(name, idx, a, len(incoming[idx])))
        for idx, a in enumerate(activities):
            self._outgoing(name, compiled[idx], a, outgoing[idx], by_id, slots)
            compiled[idx].incoming = tuple(t.id for t in incoming[idx])

        # start activities: the shared rule of the definition layer (start events, else no input)
        if start_override is not None:
            if start_override not in by_id:
                raise DeployError(f"{name}: start activity {start_override!r} does not exist")
            starts: tuple[int, ...] = (by_id[start_override],)
        else:
            graph_for_starts: nx.MultiDiGraph[str] = nx.MultiDiGraph()
            for a in activities:
                graph_for_starts.add_node(a.id, activity=a)
            for t in transitions:
                graph_for_starts.add_edge(t.from_, t.to, key=t.id)
            starts = tuple(by_id[s] for s in start_ids(graph_for_starts))

        # OR / Complex joins: the places that can still feed them
        tracks = False
        digraph: nx.DiGraph[int] = nx.DiGraph()
        digraph.add_nodes_from(range(len(activities)))
        digraph.add_edges_from((by_id[t.from_], by_id[t.to]) for t in transitions)
        for ca in compiled:
            if ca.join in (JOIN_OR, JOIN_COMPLEX):
                tracks = True
                view = nx.restricted_view(digraph, [ca.index], [])
                ca.slot_upstream = tuple(
                    _reaching(view, by_id[t.from_], ca.index) for t in incoming[ca.index]
                )
                ca.upstream = frozenset().union(*ca.slot_upstream)

        for ca in compiled:
            ca.instant = (
                ca.kind == KIND_NONE
                and not ca.offer_first
                and ca.loop is None
                and not ca.deadlines
                and not ca.terminate
            )
        graph = CGraph(
            name=name,
            activities=tuple(compiled),
            by_id=by_id,
            starts=starts,
            tracks_places=tracks,
        )
        for ca in compiled:
            self.activity_graph.setdefault(ca.id, graph)
        return graph

    # -- one activity ------------------------------------------------------------------------

    def _activity(self, scope: str, idx: int, a: Activity, n_in: int) -> CActivity:
        where = f"{scope}, activity {a.id!r}"
        body = a.body
        kind = KIND_NONE
        tools: tuple[CTool, ...] = ()
        subflow: CSubflow | None = None
        block: CGraph | None = None
        terminate = False
        if isinstance(body, TaskImplementation):
            if body.task is TaskKind.APPLICATION or body.tools:
                kind = KIND_TASK
                tools = tuple(
                    self._tool(where, position, call.application_id, call.actual_parameters)
                    for position, call in enumerate(body.tools)
                )
            elif body.task is TaskKind.SCRIPT and body.script:
                kind = KIND_UNSUPPORTED
            # TaskUser, TaskManual, TaskNone, ...: a person's work or nothing, like Impl. No
        elif isinstance(body, SubFlowImplementation):
            kind = KIND_SUBFLOW
            subflow = CSubflow(
                process_id=body.process_id,
                synchronous=body.execution is not Execution.ASYNCHR,
                actuals=tuple(
                    self.exprs.optional(p, f"{where}, actual parameter {i + 1}")
                    for i, p in enumerate(body.actual_parameters)
                ),
                actual_texts=tuple(p.strip() for p in body.actual_parameters),
                package_ref=body.package_ref,
            )
        elif isinstance(body, BlockActivity):
            kind = KIND_BLOCK
            try:
                aset = self.process.activity_set(body.activity_set_id)
            except KeyError:
                raise DeployError(
                    f"{where}: block names no activity set {body.activity_set_id!r}"
                ) from None
            block = self.compile(aset, body.start_activity_id or aset.default_start_activity_id)
        elif isinstance(body, Event):
            terminate = body.is_terminate
            if body.position is EventPosition.INTERMEDIATE and body.trigger not in ("None", ""):
                kind = KIND_UNSUPPORTED
        elif isinstance(body, Route):
            pass
        elif body.kind == "reference":
            kind = KIND_UNSUPPORTED

        join = JOIN_PASS
        join_condition = None
        gateway_join = a.join.type if a.join is not None else _route_gateway(a)
        if n_in > 1 and gateway_join is not None:
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
        start_mode, finish_mode = modes(a)
        manual_start = start_mode is Mode.MANUAL and kind in (KIND_NONE, KIND_TASK)
        manual_finish = finish_mode is Mode.MANUAL and kind in (KIND_NONE, KIND_TASK)
        return CActivity(
            index=idx,
            id=a.id,
            model=a,
            kind=kind,
            performers=a.performers,
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
            offer_after=kind == KIND_TASK and manual_finish and not manual_start,
        )

    def _tool(self, where: str, position: int, app_id: str, actuals: tuple[str, ...]) -> CTool:
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
        for fp, actual in zip(formals, actuals, strict=True):
            text = actual.strip()
            value = None
            target = None
            if fp.mode in (ParameterMode.IN, ParameterMode.INOUT):
                value = self.exprs.required(text, f"{where}, parameter {fp.id!r} of {app_id!r}")
            if fp.mode in (ParameterMode.OUT, ParameterMode.INOUT):
                if not _IDENTIFIER.match(text):
                    raise DeployError(
                        f"{where}: {fp.mode.value} parameter {fp.id!r} of {app_id!r} must name "
                        f"a data field, not {text!r}"
                    )
                target = self.exprs.aliases.get(text, text)
            params.append((fp.id, fp.mode, value, target, text))
        spec = build_tool_spec(app_id, app, position, params, self.fields, self.types)
        return CTool(application_id=app_id, spec=spec)

    def _loop(self, where: str, a: Activity) -> CLoop | None:
        loop = a.loop
        if isinstance(loop, StandardLoop):
            return CLoop(
                multi=False,
                condition=self.exprs.optional(loop.condition, f"{where}, loop condition"),
                maximum=loop.maximum,
                test_before=loop.test_time is TestTime.BEFORE,
                counter=loop.counter,
            )
        if isinstance(loop, MultiInstanceLoop):
            count = self.exprs.optional(loop.mi_condition, f"{where}, MI condition")
            if count is None:
                raise DeployError(f"{where}: a MultiInstance loop needs an MI_Condition")
            flow_condition = self.exprs.optional(
                loop.complex_flow_condition, f"{where}, complex MI flow condition"
            )
            if loop.flow_condition is MIFlowCondition.COMPLEX and flow_condition is None:
                raise DeployError(f"{where}: MI flow condition Complex needs its expression")
            return CLoop(
                multi=True,
                count=count,
                parallel=loop.ordering is MIOrdering.PARALLEL,
                flow=loop.flow_condition,
                flow_condition=flow_condition,
                counter=loop.counter,
            )
        return None

    def _deadlines(self, where: str, a: Activity) -> tuple[CDeadline, ...]:
        out: list[CDeadline] = []
        for i, d in enumerate(a.deadlines):
            text = (d.duration or "").strip()
            if not text or text == "None":
                # Modelling tools leave an unset deadline as an empty (or "None") duration;
                # it never fires, so it is no deadline. Validation points it out.
                continue
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

    def _outgoing(
        self,
        scope: str,
        ca: CActivity,
        a: Activity,
        outs: list[Transition],
        by_id: dict[str, int],
        slots: dict[str, int],
    ) -> None:
        where = f"{scope}, activity {a.id!r}"
        gateway = a.split.type if a.split is not None else _route_gateway(a)
        ca.split = SPLIT_FIRST if gateway is GatewayType.EXCLUSIVE else SPLIT_ALL
        if len(outs) <= 1 and a.split is None:
            ca.split = SPLIT_ALL
        if a.split is not None and a.split.transition_refs and ca.split == SPLIT_FIRST:
            order = {ref: i for i, ref in enumerate(a.split.transition_refs)}
            outs = sorted(outs, key=lambda t: order.get(t.id, len(order)))
        normal: list[CTransition] = []
        exceptions: list[CTransition] = []
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
            elif ctype is ConditionType.EXCEPTION:
                ct.kind = T_EXCEPTION
                ct.exception_name = (text or "").strip() or None
                exceptions.append(ct)
            elif ctype is ConditionType.DEFAULTEXCEPTION:
                ct.kind = T_DEFAULT_EXCEPTION
                ca.default_exception = ct
            else:
                attrs = cond.expression_attrs if cond is not None else ()
                ct.condition = self.exprs.optional(text, f"{twhere} condition", attrs)
                normal.append(ct)
        ca.normal = tuple(normal)
        ca.exceptions = tuple(exceptions)
        ca.ends_quietly = a.split is None and not isinstance(a.body, Route)
        if len(normal) == 1 and normal[0].condition is None and ca.otherwise is None:
            ca.only_next = normal[0]


def _route_gateway(a: Activity) -> GatewayType | None:
    if isinstance(a.body, Route):
        return a.body.gateway_type
    return None


def _reaching(view: nx.Graph[int], source: int, join: int) -> frozenset[int]:
    """``source`` and every place that reaches it in ``view`` (the graph without ``join``)."""
    if source == join:
        return frozenset()
    return frozenset({source, *nx.ancestors(view, source)})
