"""Write process definitions in Python: a small builder over the frozen definition model.

Why a builder and not the model classes directly: the model is exact and complete, which makes
it verbose for the everyday case. A process needs transition ids, a Split listing its outgoing
transitions whenever more than one leaves an activity, a Join whenever more than one arrives,
and the right body class per activity kind. The builder fills those in by fixed rules, so a
definition written in code is *the same model* the XPDL reader produces for the equivalent
document (equal apart from source lines), and the engine never has to know where a definition
came from.

Rules the builder applies at :meth:`PackageBuilder.build` time:

* Transition ids left out become ``t1``, ``t2``, ... in creation order, numbered across the
  package and skipping every activity id and explicit transition id, so they are unique where
  XPDL 2.2 wants them unique (the package) and stable from run to run.
* An activity with more than one outgoing transition gets a :class:`Split` whose
  ``transition_refs`` list those transitions in creation order; one with more than one incoming
  transition gets a :class:`Join`. The gateway type is the activity's ``split=``/``join=``
  argument when given, else the Route's ``gateway=`` for a route, else Exclusive: XPDL's own
  default, and the one type that can never deadlock. A Parallel join must be asked for.
  A ``split=``/``join=`` given as a model is used verbatim; one given as a type name is honoured
  even with a single transition.
* Type names are accepted as strings (any case) or enum members; a data type may be a basic type
  name, the id of a type declaration of the package, or any model ``DataType``.

Misuse is reported when it can be detected without the rest of the package (an unknown type
name, contradictory arguments) or at build time (duplicate ids, a transition naming an activity
that is not in its process or activity set, a block naming an unknown activity set), always as
:class:`BuildError`. The builder checks structure only: whether a tool names a defined
application or a performer a defined participant is :mod:`validation`'s business, because an
XPDL file can get those wrong too and both must be reported the same way.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Self, TypedDict, TypeVar, Unpack

from wfengine.definition.model import (
    Activity,
    ActivityBody,
    ActivitySet,
    Application,
    BasicType,
    BasicTypeKind,
    BlockActivity,
    Condition,
    ConditionType,
    DataField,
    DataType,
    Deadline,
    DeclaredType,
    Event,
    EventPosition,
    Execution,
    ExtendedAttribute,
    FormalParameter,
    GatewayType,
    Join,
    Loop,
    MIFlowCondition,
    MIOrdering,
    Mode,
    MultiInstanceLoop,
    NoImplementation,
    Package,
    PackageHeader,
    ParameterMode,
    Participant,
    ParticipantKind,
    Pool,
    Route,
    Script,
    Split,
    StandardLoop,
    SubFlowImplementation,
    TaskImplementation,
    TaskKind,
    TestTime,
    ToolCall,
    Transition,
    TypeDeclaration,
    WorkflowProcess,
    XmlNode,
)
from wfengine.errors import DefinitionError

__all__ = [
    "ActivityOptions",
    "ActivitySetBuilder",
    "BuildError",
    "PackageBuilder",
    "ProcessBuilder",
    "deadline",
    "multi_instance",
    "standard_loop",
]


class BuildError(DefinitionError, ValueError):
    """The builder was used in a way that cannot give a well-formed definition.

    A :class:`~wfengine.errors.DefinitionError` like every other definition problem, and a
    ``ValueError`` because it is always a bad argument of the calling code.
    """


# --------------------------------------------------------------------------- argument types

#: a data type: basic type name, declared type id, or any model data type
TypeSpec = str | BasicTypeKind | DataType
#: a formal parameter: ``(id, mode, type)`` or the model itself
ParamSpec = tuple[str, str | ParameterMode, TypeSpec] | FormalParameter
#: extended attributes: ``{name: value}``, ``(name, value)`` pairs, or the models
ExtendedSpec = Mapping[str, str | None] | Iterable[tuple[str, str | None] | ExtendedAttribute]
#: a deadline: ``(duration, exception_name)``, ``(duration, exception_name, execution)``, or model
DeadlineSpec = tuple[str, str] | tuple[str, str, str | Execution] | Deadline
#: a tool call: application id with its actual parameters, or the model
ToolSpec = tuple[str, Sequence[str]] | ToolCall

_E = TypeVar("_E", bound=StrEnum)


def _enum(cls: type[_E], value: str | _E, what: str) -> _E:
    """Accept an enum member or its value, case-insensitively, naming the choices when wrong."""
    if isinstance(value, cls):
        return value
    for member in cls:
        if member.value.lower() == str(value).lower() or member.name.lower() == str(value).lower():
            return member
    choices = ", ".join(m.value for m in cls)
    raise BuildError(f"unknown {what} {value!r}; expected one of: {choices}")


def _extended(spec: ExtendedSpec | None) -> tuple[ExtendedAttribute, ...]:
    if spec is None:
        return ()
    if isinstance(spec, Mapping):
        return tuple(ExtendedAttribute(name=k, value=v) for k, v in spec.items())
    out: list[ExtendedAttribute] = []
    for item in spec:
        if isinstance(item, ExtendedAttribute):
            out.append(item)
        else:
            name, value = item
            out.append(ExtendedAttribute(name=name, value=value))
    return tuple(out)


def _strings(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """One string or several, so ``performer="clerk"`` and ``performer=["a", "b"]`` both work."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


# --------------------------------------------------------------------------- small constructors


def standard_loop(
    condition: str | None = None,
    *,
    test_time: str | TestTime = TestTime.AFTER,
    maximum: int | None = None,
    counter: str | None = None,
) -> StandardLoop:
    """A Standard loop: repeat the activity while ``condition`` holds, at most ``maximum`` times.

    ``test_time="Before"`` is a while-loop (may run zero times); the default ``"After"`` is a
    repeat-until that always runs once, as in XPDL.
    """
    return StandardLoop(
        condition=condition,
        test_time=_enum(TestTime, test_time, "loop test time"),
        maximum=maximum,
        counter=counter,
    )


def multi_instance(
    count: str | None = None,
    *,
    ordering: str | MIOrdering = MIOrdering.PARALLEL,
    flow: str | MIFlowCondition = MIFlowCondition.ALL,
    complex_flow_condition: str | None = None,
    counter: str | None = None,
) -> MultiInstanceLoop:
    """A MultiInstance loop: ``count`` (an expression) instances, in parallel by default."""
    return MultiInstanceLoop(
        mi_condition=count,
        ordering=_enum(MIOrdering, ordering, "multi-instance ordering"),
        flow_condition=_enum(MIFlowCondition, flow, "multi-instance flow condition"),
        complex_flow_condition=complex_flow_condition,
        counter=counter,
    )


def deadline(
    duration: str, exception: str, *, execution: str | Execution = Execution.ASYNCHR
) -> Deadline:
    """A deadline raising ``exception`` after ``duration``; asynchronous unless told otherwise.

    Asynchronous is the default because that is what a reminder or escalation usually is: the
    activity carries on while the exception path runs.
    """
    return Deadline(
        duration=duration,
        exception_name=exception,
        execution=_enum(Execution, execution, "deadline execution"),
    )


def _deadline(spec: DeadlineSpec) -> Deadline:
    if isinstance(spec, Deadline):
        return spec
    if len(spec) == 2:
        return deadline(spec[0], spec[1])
    return deadline(spec[0], spec[1], execution=spec[2])


def _tool(spec: ToolSpec) -> ToolCall:
    if isinstance(spec, ToolCall):
        return spec
    app, args = spec
    if isinstance(args, str):
        raise BuildError(f"actual parameters of tool {app!r} must be a list, not a string")
    return ToolCall(application_id=app, actual_parameters=tuple(args))


# --------------------------------------------------------------------------- type resolution


@dataclass(frozen=True)
class _TypeRef:
    """A data type named by string, resolved at build time against the type declarations.

    Resolution is deferred so declarations may come after the fields that use them.
    """

    name: str


_Type = DataType | _TypeRef


def _type_spec(spec: TypeSpec) -> _Type:
    if isinstance(spec, BasicTypeKind):
        return BasicType(type=spec)
    if isinstance(spec, str):
        for kind in BasicTypeKind:
            if kind.value == spec.upper():
                return BasicType(type=kind)
        return _TypeRef(spec)
    return spec


def _resolve(t: _Type, declared: Iterable[str]) -> DataType:
    if not isinstance(t, _TypeRef):
        return t
    known = set(declared)
    if t.name in known:
        return DeclaredType(id=t.name)
    basics = ", ".join(k.value for k in BasicTypeKind)
    decls = ", ".join(sorted(known)) or "none"
    raise BuildError(
        f"unknown data type {t.name!r}: not a basic type ({basics}) "
        f"and not a type declaration of the package (declared: {decls})"
    )


@dataclass
class _Field:
    """A data field or formal parameter waiting for its type to be resolved."""

    model: DataField | FormalParameter
    type: _Type | None = None

    def resolve(self, declared: Iterable[str]) -> DataField | FormalParameter:
        if self.type is None:
            return self.model
        return self.model.model_copy(update={"data_type": _resolve(self.type, declared)})


_PLACEHOLDER = BasicType(type=BasicTypeKind.STRING)


def _param(spec: ParamSpec) -> _Field:
    if isinstance(spec, FormalParameter):
        return _Field(spec)
    try:
        pid, mode, type_ = spec
    except ValueError:
        raise BuildError(
            f"a formal parameter is (id, mode, type) or a FormalParameter, got {spec!r}"
        ) from None
    model = FormalParameter(
        id=pid, mode=_enum(ParameterMode, mode, "parameter mode"), data_type=_PLACEHOLDER
    )
    return _Field(model, _type_spec(type_))


def _data_field(
    id: str,
    type: TypeSpec,
    *,
    initial: str | None,
    name: str | None,
    description: str | None,
    is_array: bool,
    read_only: bool,
    extended: ExtendedSpec | None,
) -> _Field:
    model = DataField(
        id=id,
        name=name,
        data_type=_PLACEHOLDER,
        initial_value=initial,
        description=description,
        is_array=is_array,
        read_only=read_only,
        extended_attributes=_extended(extended),
    )
    return _Field(model, _type_spec(type))


def _unique(kind: str, ids: Iterable[str], where: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise BuildError(f"duplicate {kind} id {i!r} in {where}")
        seen.add(i)


# --------------------------------------------------------------------------- participants etc.


class _DeclarationsMixin:
    """Participants, applications and data fields: declared alike on packages and processes."""

    _participants: list[Participant]
    _applications: list[tuple[Application, list[_Field]]]
    _data_fields: list[_Field]

    def participant(
        self,
        id: str,
        *,
        type: str | ParticipantKind = ParticipantKind.ROLE,
        name: str | None = None,
        description: str | None = None,
        extended: ExtendedSpec | None = None,
    ) -> Self:
        """Declare a participant (a ROLE unless ``type`` says otherwise)."""
        self._participants.append(
            Participant(
                id=id,
                name=name,
                type=_enum(ParticipantKind, type, "participant type"),
                description=description,
                extended_attributes=_extended(extended),
            )
        )
        return self

    def application(
        self,
        id: str,
        *,
        params: Sequence[ParamSpec] = (),
        name: str | None = None,
        description: str | None = None,
        extended: ExtendedSpec | None = None,
    ) -> Self:
        """Declare an application with formal parameters ``(id, mode, type)``."""
        app = Application(
            id=id, name=name, description=description, extended_attributes=_extended(extended)
        )
        self._applications.append((app, [_param(p) for p in params]))
        return self

    def data_field(
        self,
        id: str,
        type: TypeSpec,
        *,
        initial: str | None = None,
        name: str | None = None,
        description: str | None = None,
        is_array: bool = False,
        read_only: bool = False,
        extended: ExtendedSpec | None = None,
    ) -> Self:
        """Declare a data field; ``initial`` is an expression in the package's script language."""
        self._data_fields.append(
            _data_field(
                id,
                type,
                initial=initial,
                name=name,
                description=description,
                is_array=is_array,
                read_only=read_only,
                extended=extended,
            )
        )
        return self

    def _build_declarations(
        self, declared: Iterable[str], where: str
    ) -> tuple[tuple[Participant, ...], tuple[Application, ...], tuple[DataField, ...]]:
        declared = tuple(declared)
        apps: list[Application] = []
        for app, params in self._applications:
            fps = tuple(p.resolve(declared) for p in params)
            _unique("formal parameter", (p.id for p in fps), f"application {app.id!r}")
            apps.append(app.model_copy(update={"formal_parameters": fps}))
        fields = tuple(f.resolve(declared) for f in self._data_fields)
        assert all(isinstance(f, DataField) for f in fields)
        _unique("participant", (p.id for p in self._participants), where)
        _unique("application", (a.id for a in apps), where)
        _unique("data field", (f.id for f in fields), where)
        return tuple(self._participants), tuple(apps), fields  # type: ignore[return-value]


# --------------------------------------------------------------------------- activities


@dataclass
class _PendingTransition:
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
class _PendingActivity:
    model: Activity
    #: a requested gateway type (applied with computed transition refs), or None
    split: GatewayType | None = None
    join: GatewayType | None = None


@dataclass
class _Flow:
    """The activities and transitions of one container: a process or one activity set."""

    where: str
    #: shared by a process and its activity sets, so numbering follows creation order
    serial: Iterator[int]
    activities: list[_PendingActivity] = field(default_factory=list)
    transitions: list[_PendingTransition] = field(default_factory=list)


_SplitSpec = str | GatewayType | Split
_JoinSpec = str | GatewayType | Join


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
    split: _SplitSpec
    #: a gateway type or a ready Join used verbatim
    join: _JoinSpec
    loop: Loop
    deadlines: Sequence[DeadlineSpec]
    extended: ExtendedSpec


class _FlowBuilder:
    """Activity and transition methods shared by processes and activity sets."""

    _flow: _Flow

    # -- activities ----------------------------------------------------------------------

    def add_activity(
        self, activity: Activity, *, split: _SplitSpec | None = None, join: _JoinSpec | None = None
    ) -> Self:
        """Add a ready-made activity model; joins and splits are still filled in if absent.

        The escape hatch for what the keyword methods do not cover (activity-local data
        fields, graphics, vendor extras, non-application tasks with their XML detail, ...).
        """
        pending = _PendingActivity(activity)
        if isinstance(split, Split):
            pending.model = pending.model.model_copy(update={"split": split})
        elif split is not None:
            pending.split = _enum(GatewayType, split, "split type")
        if isinstance(join, Join):
            pending.model = pending.model.model_copy(update={"join": join})
        elif join is not None:
            pending.join = _enum(GatewayType, join, "join type")
        if isinstance(activity.body, Route) and activity.body.gateway_type is not None:
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
        activity = Activity(
            id=id,
            name=options.get("name"),
            description=options.get("description"),
            body=body,
            performers=_strings(options.get("performer")),
            start_mode=None if start is None else _enum(Mode, start, "start mode"),
            finish_mode=None if finish is None else _enum(Mode, finish, "finish mode"),
            priority=options.get("priority"),
            limit=options.get("limit"),
            deadlines=tuple(_deadline(d) for d in options.get("deadlines", ())),
            loop=options.get("loop"),
            extended_attributes=_extended(options.get("extended")),
        )
        return self.add_activity(activity, split=options.get("split"), join=options.get("join"))

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
        calls = [_tool(t) for t in tools]
        if tool is not None:
            calls.insert(0, ToolCall(application_id=tool, actual_parameters=tuple(args)))
        elif args:
            raise BuildError(f"activity {id!r}: args= given without tool=")
        if calls and script is not None:
            raise BuildError(f"activity {id!r}: give either a tool or a script, not both")
        body: ActivityBody = NoImplementation()
        if calls:
            body = TaskImplementation(task=TaskKind.APPLICATION, tools=tuple(calls))
        elif script is not None:
            body = TaskImplementation(task=TaskKind.SCRIPT, script=script)
        return self._add(id, body, options)

    def route(
        self,
        id: str,
        *,
        gateway: str | GatewayType | None = None,
        **options: Unpack[ActivityOptions],
    ) -> Self:
        """A Route (gateway). ``gateway="Parallel"`` also makes its split and join Parallel."""
        gtype = None if gateway is None else _enum(GatewayType, gateway, "gateway type")
        return self._add(id, Route(gateway_type=gtype), options)

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
            execution=_enum(Execution, execution, "subflow execution"),
            actual_parameters=tuple(args),
            package_ref=package_ref,
        )
        return self._add(id, body, options)

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

    def start(
        self,
        id: str,
        *,
        trigger: str = "None",
        detail: Sequence[XmlNode] = (),
        **options: Unpack[ActivityOptions],
    ) -> Self:
        """A start event (trigger None unless told: Message, Timer, ...)."""
        body = Event(position=EventPosition.START, trigger=trigger, detail=tuple(detail))
        return self._add(id, body, options)

    def intermediate(
        self,
        id: str,
        *,
        trigger: str = "None",
        detail: Sequence[XmlNode] = (),
        **options: Unpack[ActivityOptions],
    ) -> Self:
        """An intermediate event; ``detail`` carries e.g. the TriggerTimer element verbatim."""
        body = Event(position=EventPosition.INTERMEDIATE, trigger=trigger, detail=tuple(detail))
        return self._add(id, body, options)

    def end(
        self,
        id: str,
        *,
        terminate: bool = False,
        result: str | None = None,
        detail: Sequence[XmlNode] = (),
        **options: Unpack[ActivityOptions],
    ) -> Self:
        """An end event; ``terminate=True`` ends the whole instance (Result Terminate)."""
        if terminate and result not in (None, "Terminate"):
            raise BuildError(f"end event {id!r}: terminate=True contradicts result={result!r}")
        trigger = "Terminate" if terminate else (result or "None")
        body = Event(position=EventPosition.END, trigger=trigger, detail=tuple(detail))
        return self._add(id, body, options)

    # -- transitions ---------------------------------------------------------------------

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
        exception name to catch) and ``default_exception``. The id is generated if omitted.
        """
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
        cond = Condition(type=chosen[0][0], expression=chosen[0][1]) if chosen else None
        model = Transition(
            id=id or "",
            from_=from_,
            to=to,
            name=name,
            condition=cond,
            description=description,
            extended_attributes=_extended(extended),
        )
        self._flow.transitions.append(_PendingTransition(id, model, next(self._flow.serial)))
        return self

    def add_transition(self, transition: Transition) -> Self:
        """Add a ready-made transition model (its id is kept as given)."""
        self._flow.transitions.append(
            _PendingTransition(transition.id, transition, next(self._flow.serial))
        )
        return self

    def sequence(self, *activity_ids: str) -> Self:
        """Unconditional transitions from each activity to the next: ``sequence("a", "b", "c")``."""
        if len(activity_ids) < 2:
            raise BuildError("sequence() needs at least two activity ids")
        for a, b in itertools.pairwise(activity_ids):
            self.transition(a, b)
        return self


def _finish_flow(flow: _Flow) -> tuple[tuple[Activity, ...], tuple[Transition, ...]]:
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


def _free_ids(used: set[str]) -> Iterator[str]:
    """``t1``, ``t2``, ... skipping ids the user gave explicitly."""
    n = 0
    while True:
        n += 1
        candidate = f"t{n}"
        if candidate not in used:
            yield candidate


# --------------------------------------------------------------------------- containers


class ActivitySetBuilder(_FlowBuilder):
    """The activities and transitions of one activity set, run by block activities."""

    def __init__(self, process: ProcessBuilder, id: str, name: str | None) -> None:
        self._process = process
        self.id = id
        self._name = name
        self._flow = _Flow(f"activity set {id!r} of process {process.id!r}", process._serial)
        self._default_start: str | None = None

    def default_start(self, activity_id: str) -> Self:
        """Name the activity the set starts at when a block does not say."""
        self._default_start = activity_id
        return self

    def build(self) -> Package:
        """Build the whole package this activity set belongs to."""
        return self._process.build()


class ProcessBuilder(_FlowBuilder, _DeclarationsMixin):
    """One workflow process: its declarations, activities, transitions and activity sets.

    Obtained from :meth:`PackageBuilder.process`; every method but :meth:`activity_set` returns
    the builder itself, so calls chain.
    """

    def __init__(
        self,
        package: PackageBuilder,
        id: str,
        name: str | None,
        params: Sequence[ParamSpec],
        access_level: str | None,
    ) -> None:
        self._package = package
        self.id = id
        self._name = name
        self._access_level = access_level
        self._params = [_param(p) for p in params]
        self._participants = []
        self._applications = []
        self._data_fields = []
        self._serial = package._serial
        self._flow = _Flow(f"process {id!r}", self._serial)
        self._sets: list[ActivitySetBuilder] = []
        self._extended: list[ExtendedAttribute] = []

    def param(self, id: str, mode: str | ParameterMode, type: TypeSpec) -> Self:
        """Add a formal parameter of the process (also settable via ``params=`` up front)."""
        self._params.append(_param((id, mode, type)))
        return self

    def activity_set(
        self, id: str, *, name: str | None = None, default_start: str | None = None
    ) -> ActivitySetBuilder:
        """Start an activity set; add its activities and transitions on the returned builder."""
        s = ActivitySetBuilder(self, id, name)
        if default_start is not None:
            s.default_start(default_start)
        self._sets.append(s)
        return s

    def extended_attribute(
        self, name: str, value: str | None = None, content: Sequence[XmlNode] = ()
    ) -> Self:
        self._extended.append(ExtendedAttribute(name=name, value=value, content=tuple(content)))
        return self

    def build(self) -> Package:
        """Build the whole package: processes are deployed and validated as part of one."""
        return self._package.build()

    def build_process(self) -> WorkflowProcess:
        """Build only this process (declared types resolved against the package)."""
        self._package._number_transitions()
        return self._build(self._package._declared_type_ids())

    def _flows(self) -> list[_Flow]:
        return [self._flow, *(s._flow for s in self._sets)]

    def _build(self, declared: Sequence[str]) -> WorkflowProcess:
        where = f"process {self.id!r}"
        participants, applications, data_fields = self._build_declarations(declared, where)
        params = tuple(p.resolve(declared) for p in self._params)
        _unique("formal parameter", (p.id for p in params), where)
        flows = self._flows()
        _unique("activity", (a.model.id for f in flows for a in f.activities), where)
        _unique("activity set", (s.id for s in self._sets), where)
        _unique("transition", (t.id for f in flows for t in f.transitions if t.id), where)
        activities, transitions = _finish_flow(self._flow)
        sets: list[ActivitySet] = []
        for s in self._sets:
            acts, trans = _finish_flow(s._flow)
            sets.append(
                ActivitySet(
                    id=s.id,
                    name=s._name,
                    activities=acts,
                    transitions=trans,
                    default_start_activity_id=s._default_start,
                )
            )
        set_ids = {s.id for s in self._sets}
        for f in flows:
            for a in f.activities:
                body = a.model.body
                if isinstance(body, BlockActivity) and body.activity_set_id not in set_ids:
                    have = ", ".join(sorted(set_ids)) or "none"
                    raise BuildError(
                        f"block activity {a.model.id!r} in {f.where} runs unknown activity set "
                        f"{body.activity_set_id!r} (activity sets: {have})"
                    )
        return WorkflowProcess(
            id=self.id,
            name=self._name,
            access_level=self._access_level,
            formal_parameters=params,
            data_fields=data_fields,
            participants=participants,
            applications=applications,
            activity_sets=tuple(sets),
            activities=activities,
            transitions=transitions,
            extended_attributes=tuple(self._extended),
        )


class PackageBuilder(_DeclarationsMixin):
    """An XPDL package under construction; :meth:`build` returns the frozen :class:`Package`.

    ``script`` names the expression language of the package (XPDL's ``Script Type``, e.g.
    ``"text/python"``); left out, the package does not say, as in a file without one.
    """

    def __init__(
        self,
        id: str,
        *,
        name: str | None = None,
        script: str | None = None,
        header: PackageHeader | None = None,
    ) -> None:
        self.id = id
        self._name = name
        self._script = script
        self._header = header or PackageHeader()
        self._participants = []
        self._applications = []
        self._data_fields = []
        self._types: list[TypeDeclaration] = []
        self._processes: list[ProcessBuilder] = []
        self._pools: list[Pool] = []
        self._extended: list[ExtendedAttribute] = []
        self._serial = itertools.count(1)

    def type_declaration(
        self,
        id: str,
        data_type: TypeSpec,
        *,
        name: str | None = None,
        description: str | None = None,
    ) -> Self:
        """Declare a named type; data fields and parameters may then use ``id`` as their type."""
        resolved = _type_spec(data_type)
        if isinstance(resolved, _TypeRef):
            resolved = DeclaredType(id=resolved.name)
        self._types.append(
            TypeDeclaration(id=id, name=name, data_type=resolved, description=description)
        )
        return self

    def pool(self, pool: Pool) -> Self:
        """Add a pool (with its lanes) as a model: diagram structure, rarely written by hand."""
        self._pools.append(pool)
        return self

    def extended_attribute(
        self, name: str, value: str | None = None, content: Sequence[XmlNode] = ()
    ) -> Self:
        self._extended.append(ExtendedAttribute(name=name, value=value, content=tuple(content)))
        return self

    def process(
        self,
        id: str,
        *,
        name: str | None = None,
        params: Sequence[ParamSpec] = (),
        access_level: str | None = None,
    ) -> ProcessBuilder:
        """Start a workflow process; it is part of the package from this call on."""
        p = ProcessBuilder(self, id, name, params, access_level)
        self._processes.append(p)
        return p

    def _declared_type_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self._types)

    def _number_transitions(self) -> None:
        """Give id-less transitions ``t1``, ``t2``, ... in creation order across the package.

        Package-wide rather than per process because XPDL 2.2's schema wants activity and
        transition ids unique in the whole package; ids already taken by an activity or an
        explicit transition are skipped.
        """
        flows = [f for p in self._processes for f in p._flows()]
        taken = {t.id for f in flows for t in f.transitions if t.id is not None}
        taken |= {a.model.id for f in flows for a in f.activities}
        pending = sorted(
            (t for f in flows for t in f.transitions if t.id is None), key=lambda t: t.serial
        )
        for t, new_id in zip(pending, _free_ids(taken), strict=False):
            t.assigned = new_id

    def build(self) -> Package:
        """The frozen package. May be called again after further additions."""
        declared = self._declared_type_ids()
        where = f"package {self.id!r}"
        _unique("type declaration", declared, where)
        participants, applications, data_fields = self._build_declarations(declared, where)
        _unique("process", (p.id for p in self._processes), where)
        self._number_transitions()
        return Package(
            id=self.id,
            name=self._name,
            header=self._header,
            script=None if self._script is None else Script(type=self._script),
            type_declarations=tuple(self._types),
            participants=participants,
            applications=applications,
            data_fields=data_fields,
            workflow_processes=tuple(p._build(declared) for p in self._processes),
            pools=tuple(self._pools),
            extended_attributes=tuple(self._extended),
        )
