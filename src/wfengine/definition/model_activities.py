"""Activities: what each does (its discriminated ``body``), who and when, loops, joins, splits.

``ActivityBody`` and ``Loop`` are discriminated by ``kind``, so the one ``Activity`` class
covers every XPDL version's way of saying what an activity is (1.0's Tool and Route, 2.x's
Task, SubFlow, Reference, BlockActivity and Event).
"""

from __future__ import annotations

import re
from typing import Annotated, ClassVar, Literal

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from wfengine.definition.model_enums import (
    EventPosition,
    Execution,
    GatewayType,
    MIFlowCondition,
    MIOrdering,
    Mode,
    TaskKind,
    TestTime,
)
from wfengine.definition.model_nodes import Attrs, ExtendedAttribute, Extensible, Node, XmlNode
from wfengine.definition.model_package_parts import DataField


class ToolCall(Node):
    """One application call of a Task/TaskApplication (2.x) or Tool (1.0)."""

    application_id: str
    actual_parameters: tuple[str, ...] = ()
    #: per actual parameter, its expression element's attributes (ScriptType...: the
    #: expression's own language); shorter than ``actual_parameters`` (empty: the default)
    #: where the rest have none, see :func:`actual_attrs`
    actual_parameter_attrs: tuple[Attrs, ...] = ()
    #: 1.0 Tool Type: APPLICATION or PROCEDURE
    tool_type: str | None = None
    description: str | None = None
    extended_attributes: tuple[ExtendedAttribute, ...] = ()
    extras: tuple[XmlNode, ...] = ()
    extra_attrs: Attrs = ()


def actual_attrs(call: ToolCall | SubFlowImplementation, index: int) -> Attrs:
    """The attributes of ``call``'s actual parameter ``index`` (0-based): those of its
    expression element (2.2's FormalExpression, 2.1's ActualParameter), whose ScriptType
    names the expression's own language; () when it has none."""
    attrs = call.actual_parameter_attrs
    return attrs[index] if 0 <= index < len(attrs) else ()


class NoImplementation(Node):
    """Implementation No: the activity does nothing itself (a person or nothing)."""

    kind: Literal["no"] = "no"
    extra_attrs: Attrs = ()


class TaskImplementation(Node):
    """Implementation Task (2.x) / Tool (1.0)."""

    kind: Literal["task"] = "task"
    task: TaskKind = TaskKind.APPLICATION
    tools: tuple[ToolCall, ...] = ()
    #: script text of a TaskScript
    script: str | None = None
    #: the original Task child (TaskUser, TaskService, ...) verbatim, for non-application tasks
    detail: XmlNode | None = None
    extra_attrs: Attrs = ()


class SubFlowImplementation(Node):
    kind: Literal["subflow"] = "subflow"
    process_id: str
    name: str | None = None
    execution: Execution = Execution.SYNCHR
    actual_parameters: tuple[str, ...] = ()
    #: as :attr:`ToolCall.actual_parameter_attrs`
    actual_parameter_attrs: tuple[Attrs, ...] = ()
    package_ref: str | None = None
    instance_data_field: str | None = None
    start_activity_id: str | None = None
    start_activity_set_id: str | None = None
    view: str | None = None
    extras: tuple[XmlNode, ...] = ()
    extra_attrs: Attrs = ()


class ReferenceImplementation(Node):
    kind: Literal["reference"] = "reference"
    activity_id: str
    extra_attrs: Attrs = ()


class Route(Node):
    kind: Literal["route"] = "route"
    #: None: not stated (the activity's join/split decide; 2.x default Exclusive)
    gateway_type: GatewayType | None = None
    extra_attrs: Attrs = ()
    extras: tuple[XmlNode, ...] = ()


class BlockActivity(Node):
    kind: Literal["block"] = "block"
    activity_set_id: str
    start_activity_id: str | None = None
    view: str | None = None
    extra_attrs: Attrs = ()


class Event(Node):
    """A BPMN-style event of XPDL 2.x: start, intermediate or end.

    ``trigger`` is the StartEvent/IntermediateEvent Trigger or the EndEvent Result (None,
    Message, Timer, Error, Terminate, ...). ``detail`` keeps the trigger's child elements
    (TriggerTimer with its TimeDate/TimeCycle, ResultError, ...) verbatim.
    """

    kind: Literal["event"] = "event"
    position: EventPosition
    trigger: str = "None"
    target: str | None = None
    interrupting: bool | None = None
    detail: tuple[XmlNode, ...] = ()
    extra_attrs: Attrs = ()

    @property
    def is_terminate(self) -> bool:
        return self.position is EventPosition.END and self.trigger == "Terminate"

    @property
    def interrupts(self) -> bool:
        """Whether catching it ends what it is attached to (or the scope, for an event
        sub-process's start): unless written ``Interrupting="false"``, and always for an
        Error or Cancel (BPMN: those never let the activity go on)."""
        return self.interrupting is not False or self.trigger in ("Error", "Cancel")


ActivityBody = Annotated[
    NoImplementation
    | TaskImplementation
    | SubFlowImplementation
    | ReferenceImplementation
    | Route
    | BlockActivity
    | Event,
    Field(discriminator="kind"),
]


class Join(Node):
    type: GatewayType = GatewayType.EXCLUSIVE
    #: Complex join condition (XPDL spells the attribute ``IncomingCondtion``)
    incoming_condition: str | None = None
    exclusive_type: str | None = None
    extra_attrs: Attrs = ()


class Split(Node):
    type: GatewayType = GatewayType.EXCLUSIVE
    #: the order in which an Exclusive split evaluates its transitions
    transition_refs: tuple[str, ...] = ()
    outgoing_condition: str | None = None
    exclusive_type: str | None = None
    extra_attrs: Attrs = ()


class Deadline(Node):
    """XPDL allows several per activity; all are kept."""

    duration: str | None = None
    execution: Execution | None = None
    exception_name: str | None = None
    extras: tuple[XmlNode, ...] = ()
    extra_attrs: Attrs = ()
    #: attributes of the DeadlineDuration element (ScriptType, ...)
    duration_attrs: Attrs = ()
    #: elements inside the DeadlineDuration element (its type admits any, for vendors'
    #: notes), verbatim and without their tails: the duration is the text around them
    duration_extras: tuple[XmlNode, ...] = ()


#: an ``xsd:integer``, as XPDL 2.2 types ``LoopCounter``
_INTEGER = re.compile(r"\s*[+-]?[0-9]+\s*")


def counter_field(counter: str | None) -> str | None:
    """The data field a loop's ``counter`` names, which the engine sets to each iteration's
    count (0 first; a multi-instance's index); None when it names none.

    An integer (``LoopCounter="0"``) is XPDL 2.2's own ``LoopCounter``: the count a tool
    recorded, which names no field, so the engine writes none. Any other text is wfengine's
    use of it: the Id of the field (written ``wfe:LoopCounter``, read in either form)."""
    if counter is None or not counter.strip() or _INTEGER.fullmatch(counter) is not None:
        return None
    return counter


class StandardLoop(Node):
    kind: Literal["standard"] = "standard"
    condition: str | None = None
    #: the LoopCondition element's attributes (ScriptType...: the expression's own language)
    condition_attrs: Attrs = ()
    maximum: int | None = None
    test_time: TestTime = TestTime.AFTER
    #: ``LoopCounter``: an integer (XPDL 2.2's, naming no field), or the Id of the data field
    #: the engine counts the iterations in (see :func:`counter_field`)
    counter: str | None = None
    extra_attrs: Attrs = ()

    @property
    def counter_field(self) -> str | None:
        """The data field the engine counts the iterations in, if the counter names one."""
        return counter_field(self.counter)


class MultiInstanceLoop(Node):
    kind: Literal["multi_instance"] = "multi_instance"
    #: expression giving the number of instances
    mi_condition: str | None = None
    #: the MI_Condition element's attributes (ScriptType...)
    mi_condition_attrs: Attrs = ()
    ordering: MIOrdering = MIOrdering.PARALLEL
    flow_condition: MIFlowCondition = MIFlowCondition.ALL
    complex_flow_condition: str | None = None
    #: the ComplexMI_FlowCondition element's attributes (ScriptType...)
    complex_flow_condition_attrs: Attrs = ()
    #: as a standard loop's: an integer, or the field the engine sets to each instance's index
    counter: str | None = None
    extra_attrs: Attrs = ()

    @property
    def counter_field(self) -> str | None:
        """The data field the engine sets to each instance's index, if the counter names one."""
        return counter_field(self.counter)


Loop = Annotated[StandardLoop | MultiInstanceLoop, Field(discriminator="kind")]


class Activity(Extensible):
    _uncompared: ClassVar[frozenset[str]] = Node._uncompared | {"performer_lines"}

    id: str
    name: str | None = None
    description: str | None = None
    body: ActivityBody = Field(default_factory=NoImplementation)
    #: participant ids or performer expressions, in order
    performers: tuple[str, ...] = ()
    #: where each performer was read: (performer, the line of its ``<Performer>``), so a
    #: finding about one points at it rather than at the ``<Activity>`` tag. Bookkeeping like
    #: ``line``: not compared, and not dumped (a deployment's fingerprint and the stored
    #: model's JSON are what they were); pairs, not lines, so a copy given other performers
    #: (a lane's) finds none of theirs here rather than the wrong line. Out of the JSON
    #: schema too, so the model's format (``model_format.MODEL_FORMAT``) is unchanged: a
    #: format change makes every stored deployment's model be read again from its XPDL, in
    #: every engine process, for a field no stored model needs (it reads back empty)
    performer_lines: SkipJsonSchema[tuple[tuple[str, int], ...]] = Field(default=(), exclude=True)
    start_mode: Mode | None = None
    finish_mode: Mode | None = None
    priority: str | None = None
    limit: str | None = None
    deadlines: tuple[Deadline, ...] = ()
    loop: Loop | None = None
    join: Join | None = None
    split: Split | None = None
    data_fields: tuple[DataField, ...] = ()
    #: NodeGraphicsInfos children, verbatim
    graphics: tuple[XmlNode, ...] = ()

    def performer_line(self, performer: str) -> int | None:
        """The line ``performer`` (one of :attr:`performers`) was read at, else the
        activity's own line (an activity built in code, or a performer read from a lane)."""
        for name, line in self.performer_lines:
            if name == performer:
                return line
        return self.line

    @property
    def is_route(self) -> bool:
        return isinstance(self.body, Route)

    @property
    def event(self) -> Event | None:
        return self.body if isinstance(self.body, Event) else None

    @property
    def split_gateway(self) -> GatewayType | None:
        """How the activity chooses among its ways out, as the engine runs it: a Route's
        ``GatewayType`` (the gateway drawn; Global 360 writes an Inclusive one with an
        Exclusive Split), else the Split's ``Type`` (XPDL 1.0's form), else, for a Route,
        Exclusive (the 2.x schemas' default: Bizagi writes a bare ``<Route/>``); None for an
        activity that states nothing."""
        return self._gateway(self.split)

    @property
    def join_gateway(self) -> GatewayType | None:
        """How the activity waits for its ways in, by the rule of :attr:`split_gateway`."""
        return self._gateway(self.join)

    def _gateway(self, restriction: Join | Split | None) -> GatewayType | None:
        body = self.body
        if isinstance(body, Route) and body.gateway_type is not None:
            return body.gateway_type
        if restriction is not None:
            return restriction.type
        return GatewayType.EXCLUSIVE if isinstance(body, Route) else None
