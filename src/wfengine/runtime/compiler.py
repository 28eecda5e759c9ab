"""Compile a process definition into plain navigation tables, once, at deploy time.

Why: a step of a running instance must cost the same whatever the size of the process. So
everything that can be decided from the definition alone is decided here: activities get an
integer index; each activity knows its outgoing transitions already sorted into evaluation
order and grouped by kind (normal, OTHERWISE, EXCEPTION, DEFAULTEXCEPTION), its join type and
number of inputs, and every expression is parsed. For each Inclusive (OR) and Complex join
the places from which a token can still reach each of its inputs without passing through it
are computed here, once per graph, as bitsets (:func:`.compile_links.or_join_reach`), so the
run-time OR-join test is a few integer operations over the (few) live places, which also gives
the non-local semantics inside cycles and unstructured graphs. An OR-join waits while a live
token can reach one of its *empty* inputs: in an acyclic graph, every such token (WCP37). In a
loop, BPMN 2.0's refinement holds for a later round's token (one that can get back to the
loop's entry without passing the join): it does not hold the join up if it can also reach a
*filled* input. Without that an OR-join and a Parallel join inside one loop wait for each
other for ever (the "vicious circle"); applied to every token, it fires a join early in an
acyclic graph, before a branch that can still arrive on an empty input comes.

Where the parts are: the tables themselves (:class:`CompiledProcess`, :class:`CGraph`,
:class:`CActivity`, ... and the kinds) are in :mod:`.compiled`, re-exported here; one
activity's compiling is :mod:`.compile_activity`; this module compiles graphs (indexes, join
slots, start activities, the OR-join sets) and is the entry point, :func:`compile_process`.

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
  one token and no live place that can reach an empty input (as above). *Complex*: the
  ``IncomingCondition`` is evaluated on each arrival with ``arrived`` (tokens arrived this
  round; XPDL 2.2's ``activationCount`` is the same count) and ``incoming`` (number of incoming
  transitions) added to the data; the join fires the first time it holds in a round, and the
  branches still to come are absorbed (blocking) or, with ``wfengine:cancelRemaining`` =
  ``true``, withdrawn (cancelling). A round ends when every way in has delivered or no
  further token can arrive (the OR-join test); then the count resets. The tokens of a round in
  which the condition never held stay at the join, and the instance gets an incident on it
  (mend the data and retry, which tests the condition again, or terminate): an instance does
  not complete past a join that never fired (:mod:`.navigation.joins`).
* Events that are not transitions: boundary events, links and event-based gateways are tied
  in by :mod:`.compile_links` (what each event means is read by :mod:`.compile_events`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from unicodedata import normalize

import networkx as nx

from wfengine.applications.coercion import Checked, CoercionError, coerce
from wfengine.applications.redaction import is_sensitive_field
from wfengine.applications.specs import basic_kind
from wfengine.definition.checks.adhoc import is_sequential
from wfengine.definition.checks.flow import CORRELATION as CORRELATION
from wfengine.definition.checks.flow import correlation_keys
from wfengine.definition.checks.read_only import field_writes, read_only_fields
from wfengine.definition.checks.readings import shared_names
from wfengine.definition.graph import MAX_BLOCK_DEPTH, is_triggered_start, start_ids
from wfengine.definition.model import (
    Activity,
    ActivitySet,
    DataField,
    DataType,
    FormalParameter,
    Package,
    Transition,
    WorkflowProcess,
)
from wfengine.definition.non_identifier_names import non_identifier_names
from wfengine.definition.reading import ReadKind, name_aliases, package_language
from wfengine.errors import DataTypeError, DeployError, ExpressionError, Place, place_text
from wfengine.expressions import stored_reading
from wfengine.expressions.name_spelling import composing_stored_names
from wfengine.expressions.stored_reading import noting_stored_readings
from wfengine.runtime.compile_activity import _STORED, ActivityCompiler, reads_as_before
from wfengine.runtime.compile_links import (
    connect_events,
    dominators,
    event_subprocesses,
    or_join_reach,
)

# The tables live in :mod:`.compiled`. They stay importable from here, where the runtime has
# always imported them: ``compiled.__all__`` is re-exported whole, so a table added there is
# here too. (Names are bound once, at import: no cost on a step.)
from wfengine.runtime.compiled import *  # noqa: F403
from wfengine.runtime.compiled import (
    JOIN_COMPLEX,
    JOIN_OR,
    CActivity,
    CGraph,
    CompiledProcess,
    OrReach,
)
from wfengine.runtime.evaluation import CompiledExpression, ExpressionReader
from wfengine.runtime.fast_paths import mark_fast_paths

#: where compiling a stored deployment says what it let pass (as :mod:`.compile_activity`)
_deploy_log = logging.getLogger("wfengine.deploy")

# --------------------------------------------------------------------------- compiling


def compile_process(package: Package, process: WorkflowProcess) -> CompiledProcess:
    """Compile ``process`` of ``package``; raises :class:`DeployError` naming what is wrong.

    Every text is read by :mod:`wfengine.definition.reading`, as validation reads it. A
    deployment the store marks as stored before the readings changed
    (:func:`~.compile_activity.stored_deployment` ``reads_as_before``) reads its texts as the
    wfengine that deployed it did, with a warning for each (a name spelt decomposed, composed:
    :mod:`wfengine.expressions.name_spelling`; the others:
    :mod:`wfengine.expressions.stored_reading`): its instances keep running. Any other reads
    as this wfengine deploys it, in every process.
    """
    if not reads_as_before():
        return _compile_process(package, process)
    # (its parses are cached apart from others)
    with composing_stored_names() as composed, noting_stored_readings() as notes:
        compiled = _compile_process(package, process)
        for field, text in misfit_initials(compiled):  # (stored as computed, as then)
            stored_reading.note(
                f"data field {field!r}: its initial value {text!r} gives a value its type does "
                "not take; it is stored as computed, as the wfengine that deployed it did. "
                "Deployed again so, each start not giving the field is refused: change the "
                "InitialValue"
            )
    level = stored_reading.level()  # (INFO, or WARNING where db upgrade marks them)
    for note in sorted(notes):  # what its texts read as then, or read otherwise now
        if stored_reading.stands(note, compiled.field_kinds):  # (both readings may differ)
            _deploy_log.log(level, "process %r (deployed earlier): %s", process.id, note)
    if composed:
        _deploy_log.log(
            level,
            "process %r (deployed earlier) spells names decomposed (a letter and a separate "
            "combining mark): %s; each is read composed, as the wfengine that deployed it did. "
            "A new version must write them composed (Unicode NFC), or it is refused",
            process.id,
            ", ".join(f"{name!a} as {normalize('NFC', name)!r}" for name in sorted(composed)),
        )
    return compiled


def _compile_process(package: Package, process: WorkflowProcess) -> CompiledProcess:
    """:func:`compile_process`, whatever the deployment."""
    where = f"process {process.id!r}"
    names = frozenset(f.id for f in (*package.data_fields, *process.data_fields)) | frozenset(
        p.id for p in process.formal_parameters
    )
    aliases = name_aliases(package, process)
    shared = shared_names(package, process)
    exprs = ExpressionReader(package_language(package), aliases, names, shared)
    compiler = _GraphCompiler(package, process, exprs)
    kinds = field_kinds(package, process, compiler.types)
    fields: list[tuple[str, CompiledExpression | None]] = []
    for df in (*package.data_fields, *process.data_fields):
        initial = exprs.initial_value(df, compiler.types, f"{where}, data field {df.id!r} initial")
        if initial is not None and initial.kind is ReadKind.EXPRESSION and df.id in kinds:
            initial = FittedInitial(
                initial, kinds[df.id], df.id, is_sensitive_field(df), as_before=reads_as_before()
            )
        fields.append((df.id, initial))
    graph = compiler.compile(None, None)
    # every graph compiled, not activity_graph's: it keeps the first graph of each Id, so an
    # activity set whose every Id another set repeats is in none of its entries, and its
    # four-eyes rules and conditional events were left out of the tables below
    every = [a for g in compiler.graphs for a in g.activities]
    return CompiledProcess(
        conditional=any(
            a.condition is not None
            or any(b.trigger == "Conditional" for b in a.boundaries)
            or (a.loop is not None and a.loop.flow_condition is not None)
            for a in every
        ),
        four_eyes_of=frozenset(
            checked
            for a in every
            if a.assignment is not None
            for checked in a.assignment.not_performer_keys
        ),
        scoped_keys=compiler.scoped_keys(),
        process_id=process.id,
        package_id=package.id,
        graph=graph,
        data_fields=tuple(fields),
        formal_parameters=process.formal_parameters,
        activity_graph=compiler.activity_graph,
        correlation_keys=correlation_keys(process),
        sensitive_fields=frozenset(
            df.id for df in (*package.data_fields, *process.data_fields) if is_sensitive_field(df)
        ),
        field_kinds=kinds,
        read_only=_read_only(package, process),
        field_names={**shared, **aliases},
        unusable_names=non_identifier_names(package, process),
    )


class FittedInitial(CompiledExpression):
    """An initial value computed by an expression, its value converted to the field's type
    where that loses nothing, as a value given from outside is (``2 + 3`` for a FLOAT is
    ``5.0``, not the integer 5 no one else could store there). A value the type cannot take
    (``total / people`` giving 2.5 for an INTEGER, ``people`` giving 2 for a BOOLEAN) refuses
    the start with :class:`~wfengine.errors.DataTypeError` naming the field and its initial
    value, as the same value given by the starter is: it was stored as computed, and the
    instance failed later, at whatever activity next checked the field. Nothing is stored
    then. Validation's ``initial-value-type`` refuses a constant one at deployment; one that
    reads other fields is known only here. A literal needs none of this: it is read as a
    value of the field's type (:func:`~wfengine.definition.literals.parse_literal`).

    Not refused: a field the starter gives a value (:meth:`fitted`; the creator decides:
    :func:`~wfengine.runtime.navigation.lifecycle.instance_data`), nor one of a version an
    earlier wfengine stored (``as_before``: :func:`~.compile_activity.reads_as_before`),
    whose value is stored as computed, as then, with a warning (:func:`misfit_initials`)."""

    __slots__ = ("_as_before", "_field", "_fit", "_inner", "_sensitive")

    def __init__(
        self,
        inner: CompiledExpression,
        fit: tuple[Checked, bool],
        field: str,
        sensitive: bool,
        *,
        as_before: bool = False,
    ) -> None:
        super().__init__(inner.text, inner.where, _unused, inner.names, inner.kind)
        self._inner = inner
        self._fit = fit
        self._field = field
        self._sensitive = sensitive
        self._as_before = as_before

    def evaluate(
        self,
        variables: Mapping[str, Any],
        now: Callable[[], datetime],
        context: Place,
    ) -> Any:
        value, refusal = self.fitted(variables, now, context)
        if refusal is not None:
            raise refusal
        return value

    def fitted(
        self,
        variables: Mapping[str, Any],
        now: Callable[[], datetime],
        context: Place,
    ) -> tuple[Any, DataTypeError | None]:
        """The value to store, and the refusal when its type does not take it (None then
        for a version stored by an earlier wfengine: the value stays as computed)."""
        value = self._inner.evaluate(variables, now, context)
        if value is None:
            return value, None
        try:
            return coerce(value, *self._fit), None
        except CoercionError as exc:
            if self._as_before:
                return value, None
            shown = exc.hidden if self._sensitive else str(exc)
            return value, DataTypeError(
                f"{place_text(context)}: data field {self._field!r}: its initial value "
                f"{self.text!r} gives a value its type does not take ({shown}): change the "
                "InitialValue to give one, or give the field a value when starting it "
                "(nothing was stored)"
            )

    def takes(self, value: Any) -> bool:
        """Whether the field's type takes ``value`` (converted where that loses nothing)."""
        try:
            coerce(value, *self._fit)
        except CoercionError:
            return False
        return True


def _unused(variables: Mapping[str, Any], now: Callable[[], datetime]) -> Any:
    """(:class:`FittedInitial` evaluates its inner expression itself.)"""
    raise AssertionError("FittedInitial.evaluate is the way in")


def misfit_initials(compiled: CompiledProcess) -> list[tuple[str, str]]:
    """The fields (and their initial values' texts) of ``compiled`` whose computed initial
    value its type does not take, as an instance created with no data would compute them,
    now. Why computed here: an initial value reads only the initial values before it (not
    the starter's data), so what it gives is known before any instance is, but for the
    clock; one whose computation fails stops the look there (each start says so)."""
    at = datetime.now(UTC)
    values: dict[str, Any] = {}
    found: list[tuple[str, str]] = []
    for fid, init in compiled.data_fields:
        try:
            value = None if init is None else init.evaluate(values, lambda: at, "")
        except (ExpressionError, DataTypeError):
            break
        values[fid] = value
        if isinstance(init, FittedInitial) and value is not None and not init.takes(value):
            found.append((fid, init.text or ""))
    return found


def _read_only(package: Package, process: WorkflowProcess) -> frozenset[str]:
    """The read-only fields of ``process`` (:func:`read_only_fields`). Its own activities
    writing one refuses a new definition (validation says ``read-only-assigned`` first); a
    deployment an earlier wfengine stored, which did not keep ReadOnly, keeps running as it
    did: those fields are left writable (by everyone, as then), with a warning."""
    found = read_only_fields(package, process)
    if not found:
        return found
    written = {w.field: w for w in field_writes(package, process) if w.certain}
    clash = sorted(found.intersection(written))
    if not clash:
        return found
    first = written[clash[0]]
    what = (
        f"process {process.id!r}: activity {first.activity.id!r} writes the read-only field "
        f"{first.field!r} with {first.what}"
    )
    if not _STORED.get():
        raise DeployError(f"{what} (read-only-assigned)")
    _deploy_log.warning(
        "%s (deployed earlier); %s left writable, as the wfengine that deployed it did",
        what,
        ", ".join(map(repr, clash)),
    )
    return found.difference(clash)


def field_kinds(
    package: Package, process: WorkflowProcess, types: Mapping[str, DataType]
) -> dict[str, tuple[Checked, bool]]:
    """What each field and formal parameter of ``process`` is checked against (the process's
    own declarations win over the package's, as they do for reading them). An array of a
    type that is not checked (records, schemas) is kept as ``(None, True)``: its value must be
    a list, as validation asks of its initial value and ``run --set`` of what it is given."""
    found: dict[str, tuple[Checked, bool]] = {}
    declared: list[DataField | FormalParameter] = [*package.data_fields, *process.data_fields]
    declared.extend(process.formal_parameters)
    for item in declared:
        kind, listed = basic_kind(item.data_type, types)
        if kind is not None or listed or item.is_array:
            found[item.id] = (kind, listed or item.is_array)
    return found


class _GraphCompiler(ActivityCompiler):
    """Compiles a process's graphs: the top level, and each activity set a block runs."""

    def __init__(self, package: Package, process: WorkflowProcess, exprs: ExpressionReader) -> None:
        super().__init__(package, process, exprs)
        self.activity_graph: dict[str, CGraph] = {}
        #: every graph compiled, the top level last (a set two blocks run: once per block)
        self.graphs: list[CGraph] = []
        self._active_sets: list[str] = []
        #: activity Id -> the scopes holding it (None: the top level), top level first
        self._holders: dict[str, list[str | None]] = {}
        #: scope (None: the top level) -> the activity Ids it holds
        self._ids_in: dict[str | None, frozenset[str]] = {}
        for scope in (None, *process.activity_sets):
            scope_id = None if scope is None else scope.id
            held = (process if scope is None else scope).activities
            self._ids_in[scope_id] = frozenset(a.id for a in held)
            for a in held:
                self._holders.setdefault(a.id, []).append(scope_id)

    def key(self, scope_id: str | None, activity_id: str) -> str:
        """The :attr:`CActivity.key` of activity ``activity_id`` of scope ``scope_id``."""
        return performer_key(scope_id, activity_id, len(self._holders.get(activity_id, ())) > 1)

    def scoped_keys(self) -> dict[str, tuple[str, ...]]:
        """:attr:`CompiledProcess.scoped_keys`: each Id several scopes hold -> the keys of
        its holders in activity sets."""
        found: dict[str, tuple[str, ...]] = {}
        for activity_id, scopes in self._holders.items():
            if len(scopes) > 1:
                keys = (self.key(s, activity_id) for s in scopes if s is not None)
                found[activity_id] = tuple(dict.fromkeys(keys))
        return found

    def resolve(self, activity_id: str) -> str:
        """The key of the activity a performer rule (``AssignToPerformerOfActivity``,
        ``DoNotAssignToPerformerOfActivity``) of the scope being compiled names, as XPDL
        scopes Ids: its own activity set first, then the sets enclosing it out to the top
        level. An Id none of them holds (another block's) names its holder among the top
        level, then the activity sets in order, the last that holds it: the holder ``wfengine
        convert`` (:mod:`wfengine.definition.unique_ids`) rewrites such a reference to."""
        for scope in reversed(self._active_sets):
            scope_id = scope or None
            if activity_id in self._ids_in.get(scope_id, ()):
                return self.key(scope_id, activity_id)
        holders = self._holders.get(activity_id)
        return self.key(holders[-1], activity_id) if holders else activity_id

    def _keyed(self, activity_set: ActivitySet | None, compiled: list[CActivity]) -> None:
        """Give each activity of the graph being compiled its :attr:`CActivity.key`, and its
        performer rules the keys of the activities they name (:meth:`resolve`)."""
        scope_id = None if activity_set is None else activity_set.id
        for ca in compiled:
            ca.key = self.key(scope_id, ca.id)
            rule = ca.assignment
            if rule is not None and (rule.to_performer_of or rule.not_performer_of):
                to = rule.to_performer_of
                ca.assignment = replace(
                    rule,
                    to_performer_key=None if to is None else self.resolve(to),
                    not_performer_keys=tuple(self.resolve(n) for n in rule.not_performer_of),
                )

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
            if len(self._active_sets) > MAX_BLOCK_DEPTH:  # validation says it first
                raise DeployError(
                    f"process {process.id!r}: blocks nest more than {MAX_BLOCK_DEPTH} deep at "
                    f"activity set {activity_set.id!r} (block-depth)"
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
            compiled.append(self.activity(name, idx, a, len(incoming[idx])))
        for idx, a in enumerate(activities):
            self.outgoing(name, compiled[idx], a, outgoing[idx], by_id, slots)
            compiled[idx].incoming = tuple(t.id for t in incoming[idx])
        # events that tie activities together beyond transitions: boundary events, links,
        # event-based gateways; their extra edges feed the OR-join bookkeeping below
        extra_edges = connect_events(self.exprs, name, activities, compiled, outgoing, by_id)

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

        # OR / Complex joins: the places that can still feed them (bitsets, once per graph)
        edges = [(by_id[t.from_], by_id[t.to]) for t in transitions]
        edges.extend(extra_edges)
        joins = {
            ca.index: [by_id[t.from_] for t in incoming[ca.index]]
            for ca in compiled
            if ca.join in (JOIN_OR, JOIN_COMPLEX)
        }
        reach = or_join_reach(len(activities), edges, joins, starts) if joins else {}
        cancelling = [ca for ca in compiled if ca.index in joins and ca.cancel_remaining]
        if cancelling:
            digraph: nx.DiGraph[int] = nx.DiGraph()
            digraph.add_nodes_from(range(len(activities)))
            digraph.add_edges_from(edges)
            idom = dominators(digraph, starts)
            for ca in cancelling:
                ca.round_upstream = _this_round(digraph, idom, ca.index, reach[ca.index])

        subs = event_subprocesses(self.exprs, name, self.activity_sets, activities, compiled)
        if subs:  # they start on their event, not with the scope
            starts = tuple(i for i in starts if i not in {s.block for s in subs})
        attrs = dict((activity_set or self.process).extra_attrs)
        adhoc = attrs.get("AdHoc", "false").strip().lower() == "true"
        completion_text = attrs.get("AdHocCompletionCondition", "").strip() if adhoc else ""
        graph = CGraph(
            name=name,
            activities=tuple(compiled),
            by_id=by_id,
            starts=starts,
            # the rule of starts_together: a triggered start event is another way in; an
            # event with no way in in a scope with no start events begins with it and waits
            plain_starts=tuple(i for i in starts if not is_triggered_start(compiled[i].model))
            or starts,
            tracks_places=bool(joins),
            # (any case, TIBCO's AdhocOrdering too: validation's adhoc-unused names the rest)
            adhoc_sequential=adhoc and is_sequential((activity_set or self.process).extra_attrs),
            completion=self.exprs.optional(completion_text, f"{name}, ad-hoc completion"),
            event_subs=subs,
            reach=reach,
        )
        mark_fast_paths(graph)
        self._keyed(activity_set, compiled)
        for ca in compiled:
            self.activity_graph.setdefault(ca.id, graph)
        self.graphs.append(graph)
        return graph


def performer_key(scope_id: str | None, activity_id: str, repeated: bool) -> str:
    """What an instance's summaries of who did an activity key it by
    (:attr:`CActivity.key`): ``activity_id`` itself, unless other scopes of the process hold
    that Id too (``repeated``) and this one is an activity set (``scope_id``): then
    ``<scope_id>/<activity_id>``. The top level and every Id no other scope repeats (nearly
    every process's every activity) keep the bare Id, so instances stored before these keys
    read the same; :func:`~wfengine.runtime.instance.carry_scoped_keys` carries the others'
    entries forward."""
    if not repeated or scope_id is None:
        return activity_id
    return f"{scope_id}/{activity_id}"


def _this_round(
    digraph: nx.DiGraph[int], idom: Mapping[int, int], join: int, reach: OrReach
) -> frozenset[int]:
    """The places of the join's upstream that reach ``join`` without passing a place every
    path from the start to it passes (its dominators). In a loop a parallel sibling of the
    round's branches reaches the join only through the loop back and the split that began the
    round: a token there belongs to the next round, and a cancelling join must not withdraw it."""
    bits = reach.upstream
    upstream = frozenset(i for i in range(bits.bit_length()) if bits >> i & 1)
    if join not in idom:  # not reached from a start (an event sub-process's own)
        return upstream
    passed: set[int] = set()
    at = idom[join]
    while at != -1:
        passed.add(at)
        at = idom[at]
    if not passed:
        return upstream
    view = nx.restricted_view(digraph, list(passed), [])
    return upstream & frozenset(nx.ancestors(view, join))
