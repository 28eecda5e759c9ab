"""Activities and transitions of one container, and the splits and joins they imply.

Shared by processes and activity sets: the keyword methods that make each kind of activity,
the transition methods, and :func:`finish_flow`, which applies the builder's fixed rules (a
Split listing the outgoing transitions in creation order where more than one leaves, a Join
where more than one arrives).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Self, TypedDict, Unpack

from wfengine.definition.build_arguments import (
    BuildError,
    DeadlineSpec,
    ExtendedSpec,
    ToolSpec,
    actual_texts,
    deadline_of,
    enum_value,
    extended_models,
    performers_as_read,
    prose_text,
    reported,
    spec_list,
    strings,
    text,
    tool_call,
    value_text,
    xml_nodes,
)
from wfengine.definition.build_events import EventSpec, canonical_trigger, event_detail, flag
from wfengine.definition.checks.event_throws import misplaced_throw
from wfengine.definition.element_texts import element_value
from wfengine.definition.graph import is_event_gateway
from wfengine.definition.model import (
    Activity,
    ActivityBody,
    BlockActivity,
    Condition,
    ConditionType,
    Event,
    EventPosition,
    Execution,
    ExtendedAttribute,
    GatewayType,
    Join,
    Loop,
    Mode,
    MultiInstanceLoop,
    NoImplementation,
    Route,
    Split,
    StandardLoop,
    SubFlowImplementation,
    TaskImplementation,
    TaskKind,
    ToolCall,
    Transition,
    XmlNode,
)

# --------------------------------------------------------------------------- activities


@dataclass
class PendingTransition:
    """A transition whose id may be generated at build time (numbered across the package)."""

    #: the id the user gave, or None to number it at build time
    id: str | None
    #: the model; its id is a placeholder while ``id`` is None
    model: Transition
    #: creation order within the process, which generated ids follow
    serial: int
    assigned: str | None = None

    def build(self) -> Transition:
        if self.id is not None:
            return self.model
        return self.model.model_copy(update={"id": self.assigned})


@dataclass
class PendingActivity:
    """An activity with the gateway types asked for, applied once its transitions are known."""

    model: Activity
    #: a requested gateway type (applied with computed transition refs), or None
    split: GatewayType | None = None
    join: GatewayType | None = None


@dataclass
class Flow:
    """The activities and transitions of one container: a process or one activity set."""

    where: str
    #: shared by a process and its activity sets, so numbering follows creation order
    serial: Iterator[int]
    activities: list[PendingActivity] = field(default_factory=list)
    transitions: list[PendingTransition] = field(default_factory=list)


SplitSpec = str | GatewayType | Split
JoinSpec = str | GatewayType | Join


class ActivityOptions(TypedDict, total=False):
    """Keyword arguments every activity method accepts (all optional)."""

    name: str
    description: str
    #: participant id(s) or performer expression(s)
    performer: str | Sequence[str]
    start_mode: str | Mode
    finish_mode: str | Mode
    priority: str
    limit: str
    #: a gateway type (transition refs computed) or a ready Split used verbatim
    split: SplitSpec
    #: a gateway type or a ready Join used verbatim
    join: JoinSpec
    loop: Loop
    deadlines: Sequence[DeadlineSpec]
    extended: ExtendedSpec
    #: the data fields a person's work item may read (default: all) and write (default:
    #: none); written as the ``wfengine:reads`` / ``wfengine:writes`` extended attributes
    #: (``reads=[]`` is refused: a list naming no field reads every field)
    reads: Sequence[str]
    writes: Sequence[str]


class EventOptions(ActivityOptions, EventSpec, total=False):
    """The keywords of the event methods: an activity's, and what it waits for or throws."""


class FlowBuilder:
    """Activity and transition methods shared by processes and activity sets."""

    _flow: Flow

    # -- activities ----------------------------------------------------------------------

    def add_activity(
        self, activity: Activity, *, split: SplitSpec | None = None, join: JoinSpec | None = None
    ) -> Self:
        """Add a ready-made activity model; joins and splits are still filled in if absent.

        The escape hatch for what the keyword methods do not cover (graphics, vendor extras,
        non-application tasks with their XML detail, ...); an activity's own data fields,
        which the engine does not provide, are refused by validation (activity-data-field).
        """
        if not isinstance(activity, Activity):
            raise BuildError(
                f"{self._flow.where}: add_activity() takes an Activity model, not {activity!r} "
                f"(the keyword methods activity(), route(), ... take an id)"
            )
        pending = PendingActivity(activity)
        if isinstance(split, Split):
            pending.model = pending.model.model_copy(update={"split": split})
        elif split is not None:
            pending.split = enum_value(GatewayType, split, "split type")
        if isinstance(join, Join):
            pending.model = pending.model.model_copy(update={"join": join})
        elif join is not None:
            pending.join = enum_value(GatewayType, join, "join type")
        if isinstance(activity.body, Route) and activity.body.gateway_type is not None:
            _refuse_second_gateway(pending, activity.body.gateway_type, self._flow.where)
            pending.split = pending.split or activity.body.gateway_type
            pending.join = pending.join or activity.body.gateway_type
        self._flow.activities.append(pending)
        return self

    def _add(self, id: str, body: ActivityBody, options: ActivityOptions) -> Self:
        unknown = set(options) - set(ActivityOptions.__annotations__)
        if unknown:
            raise BuildError(f"activity {id!r}: unknown option(s) {', '.join(sorted(unknown))}")
        start = options.get("start_mode")
        finish = options.get("finish_mode")
        loop = options.get("loop")
        if loop is not None and not isinstance(loop, StandardLoop | MultiInstanceLoop):
            raise BuildError(
                f"activity {id!r}: loop= takes standard_loop(...) or multi_instance(...) "
                f"(from wfengine), not {loop!r}"
            )
        deadlines = spec_list(
            options.get("deadlines", ()),
            f"activity {id!r}: deadlines= is a list of deadlines ((duration, exception) "
            "or deadline(...))",
        )
        activity = Activity(
            id=id,
            name=options.get("name"),
            description=prose_text(options.get("description"), "description"),
            body=body,
            performers=performers_as_read(strings(options.get("performer"), "performer")),
            start_mode=None if start is None else enum_value(Mode, start, "start mode"),
            finish_mode=None if finish is None else enum_value(Mode, finish, "finish mode"),
            priority=value_text(options.get("priority"), "priority"),
            limit=value_text(options.get("limit"), "limit"),
            deadlines=tuple(deadline_of(d) for d in deadlines),
            loop=loop,
            extended_attributes=(
                *extended_models(options.get("extended")),
                *_access_attributes(id, options),
            ),
        )
        return self.add_activity(activity, split=options.get("split"), join=options.get("join"))

    @reported("activity")
    def activity(
        self,
        id: str,
        *,
        tool: str | None = None,
        args: Sequence[str] = (),
        tools: Sequence[ToolSpec] = (),
        script: str | None = None,
        **options: Unpack[ActivityOptions],
    ) -> Self:
        """An activity: a task calling ``tool`` with ``args``, a script task, or (neither) an
        Implementation-No activity, which is manual work when it has a ``performer``.

        ``tools=[("app", ["a", "b"]), ...]`` calls several applications in order (XPDL 1.0
        style); ``tool=``/``args=`` is the one-application shorthand.
        """
        if isinstance(args, str):
            raise BuildError(f"activity {id!r}: args must be a list of expressions, not a string")
        calls = [
            tool_call(t)
            for t in spec_list(
                tools, f"activity {id!r}: tools= is a list of (application, [actual parameters])"
            )
        ]
        if tool is not None:
            actuals = actual_texts(args, "args (the actual parameters)")
            calls.insert(0, ToolCall(application_id=tool, actual_parameters=actuals))
        elif args:
            raise BuildError(f"activity {id!r}: args= given without tool=")
        if calls and script is not None:
            raise BuildError(f"activity {id!r}: give either a tool or a script, not both")
        body: ActivityBody = NoImplementation()
        if calls:
            body = TaskImplementation(task=TaskKind.APPLICATION, tools=tuple(calls))
        elif script is not None:
            body = TaskImplementation(task=TaskKind.SCRIPT, script=value_text(script, "script"))
        return self._add(id, body, options)

    @reported("route")
    def route(
        self,
        id: str,
        *,
        gateway: str | GatewayType | None = None,
        **options: Unpack[ActivityOptions],
    ) -> Self:
        """A Route (gateway); without ``gateway`` it is Exclusive, as XPDL 2.x reads a Route
        with no GatewayType. ``gateway="Parallel"`` also makes its split and join Parallel;
        ``gateway="EventBased"`` is an event-based exclusive gateway (``ExclusiveType="Event"``:
        its ways lead to catch events, and the first event to occur wins). A ``split=`` or
        ``join=`` of another type than ``gateway`` is a :class:`BuildError`: the Route's one
        GatewayType is what the engine runs for both (merge with one route, fork with the
        next); without ``gateway``, ``split=``/``join=`` say each side's type."""
        if isinstance(gateway, str) and gateway.lower() == "eventbased":
            route = Route(
                gateway_type=GatewayType.EXCLUSIVE, extra_attrs=(("ExclusiveType", "Event"),)
            )
            return self._add(id, route, options)
        try:
            gtype = None if gateway is None else enum_value(GatewayType, gateway, "gateway type")
        except BuildError:
            choices = ", ".join([*(g.value for g in GatewayType), "EventBased"])
            raise BuildError(
                f"unknown gateway type {gateway!r}; expected one of: {choices}"
            ) from None
        return self._add(id, Route(gateway_type=gtype), options)

    @reported("subflow")
    def subflow(
        self,
        id: str,
        *,
        process: str,
        args: Sequence[str] = (),
        execution: str | Execution = Execution.SYNCHR,
        package_ref: str | None = None,
        **options: Unpack[ActivityOptions],
    ) -> Self:
        """An activity that runs ``process`` as a sub-process with actual parameters ``args``."""
        if isinstance(args, str):
            raise BuildError(f"subflow {id!r}: args must be a list of expressions, not a string")
        body = SubFlowImplementation(
            process_id=process,
            execution=enum_value(Execution, execution, "subflow execution"),
            actual_parameters=actual_texts(args, "args (the actual parameters)"),
            package_ref=package_ref,
        )
        return self._add(id, body, options)

    @reported("block")
    def block(
        self,
        id: str,
        *,
        activity_set: str,
        start: str | None = None,
        **options: Unpack[ActivityOptions],
    ) -> Self:
        """A block activity running the activity set ``activity_set`` (from ``start`` if given)."""
        body = BlockActivity(activity_set_id=activity_set, start_activity_id=start)
        return self._add(id, body, options)

    @reported("start event")
    def start(
        self,
        id: str,
        *,
        trigger: str = "None",
        detail: Sequence[XmlNode] = (),
        interrupting: bool | None = None,
        **options: Unpack[EventOptions],
    ) -> Self:
        """A start event (trigger None unless told: Message, Timer, ...; ``message="order"``
        makes a Message start event that :meth:`Engine.start_by_message
        <wfengine.runtime.engine.Engine.start_by_message>` starts an instance at).
        ``interrupting=False`` on the start event of an event sub-process lets it run beside
        the rest of its scope."""
        trigger = canonical_trigger(f"start event {id!r}", EventPosition.START, trigger)
        trigger, made = self._event_detail(id, trigger, options, detail)
        body = Event(
            position=EventPosition.START,
            trigger=trigger,
            detail=made,
            interrupting=_maybe_flag(interrupting, "interrupting="),
        )
        return self._add(id, _catching(id, body), options)

    @reported("intermediate event")
    def intermediate(
        self,
        id: str,
        *,
        trigger: str = "None",
        detail: Sequence[XmlNode] = (),
        attached_to: str | None = None,
        interrupting: bool | None = None,
        **options: Unpack[EventOptions],
    ) -> Self:
        """An intermediate event. ``attached_to`` makes it a boundary event of that activity
        (interrupting unless ``interrupting=False``). What it waits for or throws is given by
        one keyword (``timer="PT2H"`` or ``"R/PT1H"``, ``at=``, ``message=``, ``signal=``,
        ``code=`` for an error or escalation, ``condition=``, ``link=``; ``throw=True``), which
        also implies the trigger; ``detail`` carries trigger elements verbatim instead."""
        trigger = canonical_trigger(
            f"intermediate event {id!r}", EventPosition.INTERMEDIATE, trigger
        )
        trigger, made = self._event_detail(id, trigger, options, detail)
        body = Event(
            position=EventPosition.INTERMEDIATE,
            trigger=trigger,
            detail=made,
            target=attached_to,
            interrupting=_maybe_flag(interrupting, "interrupting="),
        )
        return self._add(id, _catching(id, body), options)

    @reported("end event")
    def end(
        self,
        id: str,
        *,
        terminate: bool = False,
        result: str | None = None,
        detail: Sequence[XmlNode] = (),
        **options: Unpack[EventOptions],
    ) -> Self:
        """An end event; ``terminate=True`` ends its scope (Result Terminate): the whole
        instance at the top level, the block inside an activity set (as a BPMN sub-process);
        ``result`` is XPDL's EndEvent Result in any case (written in XPDL's spelling);
        ``result="Error"`` with ``code=`` throws an error to the nearest catch (an attached
        event or exception transition of an enclosing block or calling subflow activity)."""
        flag(terminate, "terminate=")
        if result is not None:
            result = canonical_trigger(f"end event {id!r}", EventPosition.END, result)
        if terminate and result not in (None, "Terminate"):
            raise BuildError(f"end event {id!r}: terminate=True contradicts result={result!r}")
        trigger = "Terminate" if terminate else (result or "None")
        trigger, made = self._event_detail(id, trigger, options, detail)
        body = Event(position=EventPosition.END, trigger=trigger, detail=made)
        return self._add(id, body, options)

    @staticmethod
    def _event_detail(
        id: str, trigger: str, options: EventOptions, detail: Sequence[XmlNode]
    ) -> tuple[str, tuple[XmlNode, ...]]:
        spec: EventSpec = {}
        for key in EventSpec.__annotations__:
            if key in options:
                spec[key] = options.pop(key)  # type: ignore[literal-required, misc]
        nodes = xml_nodes(detail, f"event {id!r}: detail=")
        return event_detail(f"event {id!r}", trigger, spec, nodes)

    # -- transitions ---------------------------------------------------------------------

    @reported("transition", lambda from_, to, **_: f"{from_!r} -> {to!r}")
    def transition(
        self,
        from_: str,
        to: str,
        *,
        id: str | None = None,
        condition: str | None = None,
        otherwise: bool = False,
        exception: str | None = None,
        default_exception: bool = False,
        name: str | None = None,
        description: str | None = None,
        extended: ExtendedSpec | None = None,
    ) -> Self:
        """A transition; at most one of ``condition``, ``otherwise``, ``exception`` (the
        exception name to catch) and ``default_exception``. The id is generated if omitted
        (or given as ``""``).
        """
        if condition is not None:
            condition = text(condition, "condition (an expression)")
        if exception is not None:
            exception = text(exception, "exception (the name of the exception to catch)")
        flag(otherwise, "otherwise=")
        flag(default_exception, "default_exception=")
        given = [
            (ConditionType.CONDITION, condition) if condition is not None else None,
            (ConditionType.OTHERWISE, None) if otherwise else None,
            (ConditionType.EXCEPTION, exception) if exception is not None else None,
            (ConditionType.DEFAULTEXCEPTION, None) if default_exception else None,
        ]
        chosen = [g for g in given if g is not None]
        if len(chosen) > 1:
            kinds = ", ".join(c[0].value for c in chosen)
            raise BuildError(f"transition {from_!r} -> {to!r}: conflicting conditions ({kinds})")
        # the kind is chosen by what was given; its text is kept as the reader reads it (a
        # blank condition is a Condition with no expression, as ``<Condition Type=
        # "CONDITION"/>`` is, which validation reports, not an unconditional transition)
        cond = (
            Condition(type=chosen[0][0], expression=element_value(chosen[0][1])) if chosen else None
        )
        model = Transition(
            id=id or "",
            from_=from_,
            to=to,
            name=name,
            condition=cond,
            description=prose_text(description, "description"),
            extended_attributes=extended_models(extended),
        )
        pending = PendingTransition(id or None, model, next(self._flow.serial))
        self._flow.transitions.append(pending)
        return self

    def add_transition(self, transition: Transition) -> Self:
        """Add a ready-made transition model (its id is kept as given; ``""`` is generated)."""
        if not isinstance(transition, Transition):
            raise BuildError(
                f"{self._flow.where}: add_transition() takes a Transition model, "
                f"not {transition!r} "
                f"(transition(from_, to) takes the two ids)"
            )
        self._flow.transitions.append(
            PendingTransition(transition.id or None, transition, next(self._flow.serial))
        )
        return self

    def sequence(self, *activity_ids: str) -> Self:
        """Unconditional transitions from each activity to the next: ``sequence("a", "b", "c")``."""
        if len(activity_ids) < 2:
            raise BuildError("sequence() needs at least two activity ids")
        for a, b in itertools.pairwise(activity_ids):
            self.transition(a, b)
        return self


def finish_flow(flow: Flow) -> tuple[tuple[Activity, ...], tuple[Transition, ...]]:
    """Check transition ends, and add the splits and joins (transitions already numbered)."""
    transitions = [t.build() for t in flow.transitions]
    activity_ids = [a.model.id for a in flow.activities]
    known = set(activity_ids)
    for t in transitions:
        for end, ref in (("from", t.from_), ("to", t.to)):
            if ref not in known:
                have = ", ".join(activity_ids) or "none"
                raise BuildError(
                    f"transition {t.id!r} in {flow.where} goes {end} unknown activity "
                    f"{ref!r} (activities: {have})"
                )
    outgoing: dict[str, list[str]] = {a: [] for a in activity_ids}
    incoming: dict[str, int] = dict.fromkeys(activity_ids, 0)
    for t in transitions:
        outgoing[t.from_].append(t.id)
        incoming[t.to] += 1
    activities: list[Activity] = []
    for pending in flow.activities:
        a = pending.model
        update: dict[str, Any] = {}
        refs = outgoing[a.id]
        if a.split is None and (pending.split is not None or len(refs) > 1):
            stype = pending.split or GatewayType.EXCLUSIVE
            update["split"] = Split(type=stype, transition_refs=tuple(refs))
        if a.join is None and (pending.join is not None or incoming[a.id] > 1):
            update["join"] = Join(type=pending.join or GatewayType.EXCLUSIVE)
        activities.append(a.model_copy(update=update) if update else a)
    return tuple(activities), tuple(transitions)


def _refuse_second_gateway(pending: PendingActivity, gateway: GatewayType, where: str) -> None:
    """Refuse a Route whose ``split=``/``join=`` names another type than its GatewayType.

    XPDL 2.2 gives a Route one GatewayType, for its split and its join alike, and the engine
    runs that one (:attr:`Activity.split_gateway`), so a Parallel route asked to join
    Exclusive would fork in parallel and wait for every way in: at a loop entry, a deadlock.
    Building it anyway would hand over a model that says one thing and runs another.

    The gateway is named as ``route()`` takes it: an event-based one (an Exclusive Route with
    ``ExclusiveType="Event"``) is ``'EventBased'``, which is what the caller wrote."""
    model = pending.model
    named = "EventBased" if is_event_gateway(model) else gateway.value
    for side, asked in (
        ("split", pending.split or (model.split.type if model.split else None)),
        ("join", pending.join or (model.join.type if model.join else None)),
    ):
        if asked is None or asked is gateway:
            continue
        raise BuildError(
            f"route {model.id!r}: gateway={named!r} contradicts {side}="
            f"{asked.value!r} (in {where}); a Route has one GatewayType, which the engine runs "
            f"for its split and its join alike: give split=/join= only with the gateway's type "
            f"({gateway.value}), "
            "or use two routes (one that joins, then one that splits)"
        )


def free_ids(used: set[str]) -> Iterator[str]:
    """``t1``, ``t2``, ... skipping ids the user gave explicitly."""
    n = 0
    while True:
        n += 1
        candidate = f"t{n}"
        if candidate not in used:
            yield candidate


def _maybe_flag(value: bool | None, what: str) -> bool | None:
    """A flag left unset (None: the model's default) or True or False (see :func:`flag`)."""
    return None if value is None else flag(value, what)


def _catching(id: str, event: Event) -> Event:
    """``event``, refused when it throws where only a catch can stand (a start event, an
    attached one): it would never fire, and validation reports it as ``event-throw``."""
    problem = misplaced_throw(event)
    if problem is not None:
        raise BuildError(
            f'event {id!r}: it {problem}; leave out throw=True (or CatchThrow="THROW" in '
            "detail=), or throw from an intermediate event in the flow or an end event"
        )
    return event


def _access_attributes(id: str, options: ActivityOptions) -> tuple[ExtendedAttribute, ...]:
    """``reads=`` / ``writes=`` as the extended attributes the engine reads them from.

    Why ``reads=[]`` is refused: the engine reads an activity that lists no field to read
    (no ``wfengine:reads``, or one naming none) as one whose work item reads every field, and
    XPDL files already mean that by it, so "reads nothing" cannot be written; built silently,
    the list meant to hide the data would show all of it. ``writes=[]`` is the default it
    says (the item writes nothing), so it is written as that."""
    found = []
    for key, name in (("reads", "wfengine:reads"), ("writes", "wfengine:writes")):
        given = options.get(key)
        names = [n for n in strings(given, f"{key}=") if n.strip()]  # type: ignore[arg-type]
        if key == "reads" and given is not None and not names:
            raise BuildError(
                f"activity {id!r}: reads={given!r} names no field, and an activity that lists "
                "none lets its work item read every field (wfengine cannot limit an item to "
                "reading nothing): list the fields it may read, or leave reads= out to let it "
                "read them all"
            )
        if names:
            found.append(ExtendedAttribute(name=name, value=",".join(names)))
    return tuple(found)
