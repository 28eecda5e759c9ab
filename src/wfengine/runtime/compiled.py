"""What a deployed process is compiled into: plain tables the navigator reads on every step.

Why a module of its own: these records are what the rest of the runtime (the navigator, the
instance records, the stores) depends on, while how they are built (:mod:`.compiler` and
:mod:`.compile_activity`) depends on the whole definition layer. Readers of the tables import
them from here (or, as before, from :mod:`wfengine.runtime.compiler`, which re-exports them).

The records are slotted dataclasses compared by identity: the navigator reads their attributes
on its hot paths, and a compiled graph is shared by every instance of its process version.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import IntEnum
from typing import Any

from wfengine.applications.coercion import Checked, CoercionError, coerce
from wfengine.applications.specs import ToolSpec
from wfengine.definition.graph import is_triggered_start
from wfengine.definition.model import (
    Activity,
    FormalParameter,
    MIFlowCondition,
    ParameterMode,
    Participant,
)
from wfengine.errors import DataTypeError
from wfengine.runtime.compiled_people import CAssignment, CDataAccess
from wfengine.runtime.evaluation import CompiledExpression

__all__ = [
    "JOIN_AND",
    "JOIN_COMPLEX",
    "JOIN_OR",
    "JOIN_PASS",
    "KIND_BLOCK",
    "KIND_CONDITION",
    "KIND_MESSAGE",
    "KIND_NONE",
    "KIND_SCRIPT",
    "KIND_SIGNAL",
    "KIND_SUBFLOW",
    "KIND_TASK",
    "KIND_TIMER",
    "KIND_UNSUPPORTED",
    "SPLIT_ALL",
    "SPLIT_FIRST",
    "T_DEFAULT_EXCEPTION",
    "T_EXCEPTION",
    "T_NORMAL",
    "T_OTHERWISE",
    "ActivityKind",
    "CActivity",
    "CAssignment",
    "CBoundary",
    "CDataAccess",
    "CDeadline",
    "CEventSub",
    "CGraph",
    "CLoop",
    "CReminders",
    "CSubflow",
    "CTool",
    "CTransition",
    "CompiledProcess",
    "JoinKind",
    "OrReach",
    "SplitKind",
    "TransitionKind",
]


class ActivityKind(IntEnum):
    """What an activity does itself (ints: the navigator compares them on every step)."""

    NONE = 0  # Implementation No, Route, pass-through events: nothing to run
    TASK = 1  # calls applications from the registry
    SUBFLOW = 2
    BLOCK = 3
    UNSUPPORTED = 4  # reference activities, scripts in other languages...: an incident
    SCRIPT = 5  # a script task of assignments (wfengine.definition.scripts)
    TIMER = 6  # an intermediate timer event in the flow: waits, then goes on
    MESSAGE = 7  # an intermediate message catch event in the flow: waits for its message
    SIGNAL = 8  # an intermediate signal catch event in the flow: waits for a broadcast
    CONDITION = 9  # an intermediate conditional event: waits until its condition holds


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
(
    KIND_NONE,
    KIND_TASK,
    KIND_SUBFLOW,
    KIND_BLOCK,
    KIND_UNSUPPORTED,
    KIND_SCRIPT,
    KIND_TIMER,
    KIND_MESSAGE,
    KIND_SIGNAL,
    KIND_CONDITION,
) = ActivityKind
JOIN_PASS, JOIN_AND, JOIN_OR, JOIN_COMPLEX = JoinKind
SPLIT_ALL, SPLIT_FIRST = SplitKind
T_NORMAL, T_OTHERWISE, T_EXCEPTION, T_DEFAULT_EXCEPTION = TransitionKind


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


@dataclass(frozen=True, slots=True)
class CReminders:
    """A person's work item's reminders and escalation (the ``wfengine:reminder-after``,
    ``wfengine:reminder-every``, ``wfengine:escalate-after`` and ``wfengine:escalate-to``
    extended attributes of its activity)."""

    first: timedelta | None
    every: timedelta | None
    escalate_after: timedelta | None
    #: the participant escalated to; None: the supervisors of the holder (or assignees)
    escalate_to: str | None


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
    #: the activity of the called process's top level to start at (XPDL 2.x
    #: ``StartActivityId``; None: its own start activities)
    start_activity_id: str | None = None
    #: the caller's data field that takes the called instance's id when it starts (XPDL 2.x
    #: ``InstanceDataField``: to correlate with it later, an asynchronous one above all)
    instance_field: str | None = None
    #: the formal each actual binds to, named by DataMappings (empty: by position), and the
    #: Mode in the caller's package of the formal each actual binds to, by name or by position
    #: (None, or empty for a positional call: not known) (:mod:`.compile_subflow`)
    formals: tuple[str, ...] = ()
    modes: tuple[ParameterMode | None, ...] = ()


@dataclass(frozen=True, slots=True)
class CBoundary:
    """An event attached to an activity (an ``IntermediateEvent`` with ``Target``): while the
    activity runs, its trigger fires it; an interrupting one cancels the activity first. The
    event activity itself then runs like any other and its transitions lead on."""

    #: its place among its activity's boundary events (a boundary timer's job names it)
    position: int
    #: the index of the event activity in the same graph
    event: int
    #: Timer, Message, Signal, Error, Escalation, Conditional or Cancel
    trigger: str
    interrupting: bool
    #: the message or signal name, the error or escalation code; None: any error/escalation
    name: str | None = None
    #: a timer's wait (as :attr:`CActivity.wait`)
    wait: timedelta | datetime | CompiledExpression | None = None
    #: how often a timer fires: 1 once, n for ``Rn/``, 0 without end (``R/``)
    repeat: int = 1
    #: a conditional event's condition
    condition: CompiledExpression | None = None


@dataclass(slots=True, eq=False)
class CActivity:
    index: int
    id: str
    model: Activity
    kind: ActivityKind
    performers: tuple[str, ...]
    #: the declaration of each performer (None for a name no Participant declares), which a
    #: directory may use to resolve it (its Name, its type)
    participants: tuple[Participant | None, ...]
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
    #: cancelling Complex joins: the upstream places a token of the round that fired it can
    #: be at (not those that reach it only through a place every path to it passes, such as
    #: the split that began the round: they feed the next round), withdrawn when it fires
    round_upstream: frozenset[int] = frozenset()
    join_condition: CompiledExpression | None = None
    loop: CLoop | None = None
    deadlines: tuple[CDeadline, ...] = ()
    tools: tuple[CTool, ...] = ()
    subflow: CSubflow | None = None
    block: CGraph | None = None
    #: runs and completes in one go: nothing to run, no person, loop, deadline or join state
    instant: bool = False
    #: a task that only calls its applications: no person, loop, deadline, attached event,
    #: rival or Start assignment to see to first (the navigator goes straight to the calls)
    plain_task: bool = False
    #: runs as it is created: no person's work first, no rival, no turn to wait for in a
    #: sequential ad-hoc set (the navigator creates it inline; see :mod:`.fast_paths`)
    plain_create: bool = False
    #: a person's activity whose work is offered as it is created: no rival, loop, deadline,
    #: attached event, throw or Start assignment first (see :mod:`.fast_paths`)
    plain_offer: bool = False
    #: the target of :attr:`only_next` when it takes the token as it comes (no join state, no
    #: places tracked, no choice): the navigator queues it at once (see :mod:`.fast_paths`)
    ready_next: CActivity | None = None
    #: a person's work item comes before the activity's own work (a Manual start; for
    #: Implementation No, any Manual mode): see :mod:`wfengine.definition.modes`
    offer_first: bool = False
    #: a person's work item comes after the applications ran (a Tool with an Automatic start
    #: and a Manual finish)
    offer_after: bool = False
    #: not a gateway (no Split, not a Route): when none of its conditions holds, its thread
    #: ends (implicit termination) instead of waiting for an operator
    ends_quietly: bool = False
    reminders: CReminders | None = None
    assignment: CAssignment | None = None
    #: a script task's assignments in order: (field, expression)
    script: tuple[tuple[str, CompiledExpression], ...] = ()
    #: why the engine cannot run the activity (kind UNSUPPORTED): a script's statement that
    #: is no assignment, as validation's ``script-unsupported`` quotes it, or an intermediate
    #: event's trigger, as ``event-trigger`` names it; its incident says so after the place
    unsupported: str | None = None
    #: XPDL 2.x ``Assignments``: made as the activity starts / as it completes (before its
    #: way on is chosen), each group evaluated whole, then applied
    assign_start: tuple[tuple[str, CompiledExpression], ...] = ()
    assign_end: tuple[tuple[str, CompiledExpression], ...] = ()
    #: an intermediate timer event's wait: a duration, a moment, or an expression giving
    #: either (seconds, a timedelta or a datetime), read when the event is reached
    wait: timedelta | datetime | CompiledExpression | None = None
    #: the message an intermediate message catch event or receive task waits for (by Name,
    #: else Id), or a Message start event starts an instance on
    message: str | None = None
    #: the signal an intermediate signal catch event waits for
    signal: str | None = None
    #: what its work item may read and write (every activity a person works on has one)
    access: CDataAccess | None = None
    #: the events attached to it, in definition order
    boundaries: tuple[CBoundary, ...] = ()
    #: an event that throws when reached: (Error | Escalation | Cancel | Signal, code or name)
    throws: tuple[str, str | None] | None = None
    #: a conditional catch event's condition
    condition: CompiledExpression | None = None
    #: a target of an event-based gateway: the indexes of the targets it races (the first
    #: to fire withdraws the others of the same activation of the gateway: see
    #: ``ActivityInstance.activation``)
    rivals: tuple[int, ...] = ()
    #: an event-based gateway: its targets begin together, as one choice (WCP16)
    choice: bool = False
    #: ``wfengine:cancelRemaining``: a Complex join that fires withdraws the branches still
    #: to come; an MI activity whose Complex flow condition holds cancels its other instances
    cancel_remaining: bool = False
    #: what the instance's summaries of who did it (``ProcessInstance.performers`` and
    #: ``co_performers``) key it by: its Id, unless another scope (activity set) of the
    #: process repeats that Id (TIBCO writes such files) and it is in an activity set: then
    #: ``<activity set Id>/<Id>`` (:func:`.compiler.performer_key`). Why not always the Id:
    #: the summaries are instance-wide, and two scopes' ``Review`` shared one entry, so four
    #: eyes in one block read the performer of the other block's; why not always qualified:
    #: stored instances key every activity by its Id, and read the same that way
    key: str = ""

    def __post_init__(self) -> None:
        if not self.key:  # (a stand-in activity of a process that no longer deploys)
            self.key = self.id


@dataclass(frozen=True, slots=True)
class CEventSub:
    """An event sub-process of a scope: the block activity (at ``block`` in the scope's
    graph) that runs it, and its start event's trigger as a :class:`CBoundary` (its
    ``position`` numbers it among the scope's event sub-processes)."""

    block: int
    trigger: CBoundary


@dataclass(frozen=True, slots=True)
class OrReach:
    """What can still reach an Inclusive or Complex join, as bitsets over the graph's activity
    indexes (bit ``i`` for activity ``i``), so the run-time test is a few integer operations.

    ``slots``: per incoming slot, the places from which a token can reach that transition
    without passing the join; ``upstream``: their union; ``later``: the places of the join's
    own cycle from which a token can get back to the loop's entry without passing the join
    (a token there has passed the join, or runs beside it: it reaches the join next time
    round). A live token that can reach an empty slot holds the join up, unless it is a later
    one that can also reach a filled slot (BPMN 2.0's refinement, which keeps an OR-join and a
    join after it in one loop from waiting for each other). In an acyclic graph nothing is
    later: the join waits for every token that can still reach an empty input (WCP37).
    """

    upstream: int
    slots: tuple[int, ...]
    later: int


@dataclass(slots=True, eq=False)
class CGraph:
    """One scope's graph: the process's top level or one activity set."""

    name: str
    activities: tuple[CActivity, ...]
    by_id: dict[str, int]
    starts: tuple[int, ...]
    #: where the scope begins when started by hand (``start_process``, a subflow, a block):
    #: its None start events when it has triggered ones too, else every start activity. Why:
    #: start events are alternative ways in. A Timer, Message, Signal or Conditional start
    #: event beside a None one says when *else* an instance begins (each morning, on an order
    #: arriving: the host's scheduler, ``start_by_message``); starting at it as well would run
    #: the work twice in one instance. A scope with only triggered start events is started at
    #: them when started by hand: the host says "now"
    plain_starts: tuple[int, ...]
    #: True when some join needs the live-place bookkeeping (Inclusive or Complex joins)
    tracks_places: bool
    #: an ad-hoc activity set (``AdHoc="true"``): its activities with no way in all start,
    #: and (``AdHocOrdering="Sequential"``) run one at a time, in the order people take them
    adhoc_sequential: bool = False
    #: ``AdHocCompletionCondition``: once it holds after an activity completes, what is left
    #: is withdrawn and the set is done
    completion: CompiledExpression | None = None
    #: the event sub-processes of this scope: block activities whose set is
    #: ``TriggeredByEvent``, armed while the scope runs, by their start event's trigger
    event_subs: tuple[CEventSub, ...] = ()
    #: what can still reach each Inclusive or Complex join, by its activity index (made by
    #: :func:`.compile_links.or_join_reach`)
    reach: dict[int, OrReach] = field(default_factory=dict)

    def message_starts(self, name: str) -> list[int]:
        """The message start events of this scope that message ``name`` starts: start events
        only (an intermediate catch with no way in, in a scope with no start events, begins
        with the scope and waits; a message does not start an instance there)."""
        return [
            i
            for i in self.starts
            if self.activities[i].message == name and is_triggered_start(self.activities[i].model)
        ]


@dataclass(slots=True, eq=False)
class CompiledProcess:
    process_id: str
    package_id: str
    graph: CGraph
    #: (data field id, initial-value expression) in declaration order, package fields first
    data_fields: tuple[tuple[str, CompiledExpression | None], ...]
    formal_parameters: tuple[FormalParameter, ...]
    #: activity id -> the graph (top level or activity set) that holds it: how an ``invoke``
    #: job, which names only its activity, finds the activity's tools when it runs
    #: (:mod:`wfengine.runtime.tools`)
    activity_graph: dict[str, CGraph] = field(default_factory=dict)
    #: data fields whose values the audit trail masks (``wfengine:sensitive``)
    sensitive_fields: frozenset[str] = frozenset()
    #: what each data field's and formal parameter's values are checked against, and whether
    #: it holds a list (:func:`~wfengine.definition.coercion.coerce`); absent: unchecked
    field_kinds: Mapping[str, tuple[Checked, bool]] = field(default_factory=dict)
    #: the fields a message may be correlated by (``wfengine:correlation`` on the process)
    correlation_keys: tuple[str, ...] = ()
    #: some activity waits for a condition (a conditional catch or boundary event, a
    #: multi-instance activity's Complex flow condition): the navigator tests them when a
    #: command's work runs out
    conditional: bool = False
    #: the activities some activity's work may not go to the performer of
    #: (``DoNotAssignToPerformerOfActivity``), by :attr:`CActivity.key`: only completing one
    #: of them can take work from someone (four eyes), so only they are looked at for it
    four_eyes_of: frozenset[str] = frozenset()
    #: an activity Id that several scopes of the process hold -> the keys of its holders
    #: that are not the Id itself (:attr:`CActivity.key`); empty for nearly every process.
    #: How an instance stored before those keys is carried forward
    #: (:func:`~wfengine.runtime.instance.carry_scoped_keys`)
    scoped_keys: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: the data fields declared ``ReadOnly``: constants no write from outside may change
    #: (:func:`~wfengine.definition.checks.read_only.read_only_fields`; a stored deployment
    #: whose own activities write one leaves that one out, see :mod:`.compiler`). Empty for
    #: most processes, which then pay one truth test per write
    read_only: frozenset[str] = frozenset()
    #: the Names data given from outside may use for a field or formal parameter keyed by
    #: another Id (``Total`` for Bizagi's ``_uT``: :func:`~wfengine.definition.reading.
    #: name_aliases`), by Name -> its Id; a Name several carry -> their Ids (it stands for
    #: none of them). Empty for most processes, which then pay one truth test per check
    field_names: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)
    #: the Names of fields and formal parameters that are no plain identifier (``Days
    #: requested``), by Name -> the Ids carrying it
    #: (:func:`~wfengine.definition.non_identifier_names.non_identifier_names`): data given
    #: under one is refused naming the Id, not stored under a key no condition reads
    unusable_names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: :meth:`messages_caught`, once asked (a correlated message asks every version)
    _caught: frozenset[str] | None = None
    #: activity Id -> its compiled activities, one per :attr:`CActivity.key`: made and kept
    #: by :func:`.activity_holders.holders` once asked (only records naming an Id ask)
    holders_table: dict[str, tuple[CActivity, ...]] | None = None

    def checked(
        self, data: Mapping[str, Any], where: str, *, writing: bool = True
    ) -> Mapping[str, Any]:
        """``data`` checked against the declared types of the fields it writes and converted
        where that loses nothing (``"7"`` for an INTEGER), as an application's answer is;
        :class:`~wfengine.errors.DataTypeError` names the first field that does not fit
        (a sensitive field's value is not shown), or a read-only field it would write
        (:meth:`refuse_read_only`; ``writing=False``: values that are only read, correlation
        keys, are not). A field may be given by its Name (:attr:`field_names`): the value is
        the field's, under its Id, as expressions read it; a Name two fields share, or a
        field given both ways, is refused naming them. Names the process does not declare
        pass: whether they may be written is another rule's, except a field's Name that is
        no plain identifier (``"Days requested"``), refused naming the field's Id to give."""
        if self.unusable_names and not self.unusable_names.keys().isdisjoint(data):
            self._refuse_unusable_names(data, where)
        named = self.field_names
        if named and not named.keys().isdisjoint(data):
            data = self._by_id(data, where)
        if writing and self.read_only and not self.read_only.isdisjoint(data):
            self.refuse_read_only(data, where)
        kinds = self.field_kinds
        out: dict[str, Any] | None = None
        for name, value in data.items():
            found = kinds.get(name)
            if found is None or value is None:
                continue
            try:
                fitted = coerce(value, found[0], found[1])
            except CoercionError as exc:
                shown = exc.hidden if name in self.sensitive_fields else str(exc)
                named_as = [n for n, i in self.field_names.items() if i == name]
                also = f" (Name {named_as[0]!r})" if named_as else ""
                raise DataTypeError(f"{where}: data field {name!r}{also}: {shown}") from None
            # a list converted is a new list (coerce returns the one given when no item
            # changed); it may compare equal all the same ([1.0] == [1]): taken by identity
            if fitted is not value and (
                found[1] or fitted != value or type(fitted) is not type(value)
            ):
                if out is None:
                    out = dict(data)
                out[name] = fitted
        return data if out is None else out

    def _by_id(self, data: Mapping[str, Any], where: str) -> dict[str, Any]:
        """``data`` with the Names in it (:attr:`field_names`) replaced by their fields' Ids.
        Why at the boundary: expressions, the stores and the audit trail know a field by its
        Id; a value kept under its Name would be one no condition reads."""
        out: dict[str, Any] = {}
        for key, value in data.items():
            target = self.field_names.get(key, key)
            if isinstance(target, tuple):
                raise DataTypeError(
                    f"{where}: {key!r} is the Name of several data fields or parameters "
                    f"({', '.join(map(repr, target))}) of process {self.process_id!r}: give "
                    "one's Id; nothing was changed"
                )
            if target != key and target in data:
                raise DataTypeError(
                    f"{where}: data field {target!r} is given twice, by its Id and by its Name "
                    f"{key!r}: give it once; nothing was changed"
                )
            out[target] = value
        return out

    def _refuse_unusable_names(self, data: Mapping[str, Any], where: str) -> None:
        """Raise :class:`~wfengine.errors.DataTypeError` for the first key of ``data`` that is
        the Name of a field or parameter and no plain identifier (:attr:`unusable_names`).
        Why: the value was stored under that undeclared key, silently, and the field kept its
        own value; such a Name is no alias (expressions cannot write it)."""
        for key in data:
            ids = self.unusable_names.get(key)
            if ids:
                whose = ", ".join(map(repr, ids))
                many = len(ids) > 1
                raise DataTypeError(
                    f"{where}: {key!r} is the Name of data field{'s' if many else ''} {whose} "
                    f"in process {self.process_id!r}, which is no plain identifier, so data "
                    f"cannot be given by it: give {'one of the Ids' if many else 'the Id'} "
                    f"{whose}; nothing was changed"
                )

    def refuse_read_only(self, data: Mapping[str, Any] | Iterable[str], where: str) -> None:
        """Raise :class:`~wfengine.errors.DataTypeError` when ``data`` (values by field name,
        or the names alone) would write a read-only field: a constant of the process, whose
        value its definition gives. Why a ``DataTypeError``: it is a value the field does not
        take (none is), refused before anything changed, as a value of another type is; those
        who catch that error for a refused write (WAPI, incident resolution) catch this too."""
        if not self.read_only:
            return
        found = sorted(self.read_only.intersection(data))
        if found:
            many = len(found) > 1
            raise DataTypeError(
                f"{where}: data field{'s' if many else ''} {', '.join(map(repr, found))} "
                f"{'are' if many else 'is'} read-only (declared ReadOnly in process "
                f"{self.process_id!r}: a constant, its initial value); nothing was changed"
            )

    def activity(self, activity_id: str) -> CActivity | None:
        """The compiled activity ``activity_id``, in whichever graph holds it (None when the
        process has none): how records that name only an activity find it."""
        graph = self.activity_graph.get(activity_id)
        return None if graph is None else graph.activities[graph.by_id[activity_id]]

    def graphs(self) -> list[CGraph]:
        """Every graph of the process, once each: the top level, then each activity set's
        as blocks reach it (breadth first). Why not :attr:`activity_graph`'s: it keeps the
        first graph of each Id, so a set whose every Id another set repeats is in none."""
        found = {id(self.graph): self.graph}
        todo = [self.graph]
        while todo:
            for act in todo.pop(0).activities:
                if act.block is not None and id(act.block) not in found:
                    found[id(act.block)] = act.block
                    todo.append(act.block)
        return list(found.values())

    def messages_caught(self) -> frozenset[str]:
        """The message names something in the process can take: intermediate catch events
        and receive tasks, attached events and event sub-processes (a message start event
        starts an instance instead, and is not among them)."""
        if self._caught is not None:
            return self._caught
        found: set[str] = set()
        for graph in self.graphs():
            for ca in graph.activities:
                if ca.message is not None and ca.kind == KIND_MESSAGE:  # (not a start event)
                    found.add(ca.message)
                found.update(
                    b.name for b in ca.boundaries if b.trigger == "Message" and b.name is not None
                )
            found.update(
                e.trigger.name
                for e in graph.event_subs
                if e.trigger.trigger == "Message" and e.trigger.name is not None
            )
        self._caught = frozenset(found)
        return self._caught
