"""Processes: transitions with their conditions, activity sets, and the workflow process.

A process (and each activity set) is a graph of activities joined by transitions;
``WorkflowProcess.activity`` finds an activity wherever in the process it sits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import Field

from wfengine.definition.model_activities import Activity
from wfengine.definition.model_enums import ConditionType, GatewayType
from wfengine.definition.model_nodes import Attrs, Extensible, Node, XmlNode
from wfengine.definition.model_package_parts import (
    Application,
    DataField,
    FormalParameter,
    Participant,
    RedefinableHeader,
)


class Condition(Node):
    type: ConditionType | None = None
    expression: str | None = None
    extra_attrs: Attrs = ()
    #: attributes of the Expression element (ScriptGrammar, ScriptType, ScriptVersion)
    expression_attrs: Attrs = ()
    #: elements inside the Expression element (its type admits any, for vendors' notes),
    #: verbatim and without their tails: the expression is the text around them
    expression_extras: tuple[XmlNode, ...] = ()


class Transition(Extensible):
    id: str
    from_: str
    to: str
    name: str | None = None
    condition: Condition | None = None
    description: str | None = None
    #: ConnectorGraphicsInfos children, verbatim
    graphics: tuple[XmlNode, ...] = ()


#: condition types of the ways out that handle an exception rather than choose
EXCEPTION_WAYS = (ConditionType.EXCEPTION, ConditionType.DEFAULTEXCEPTION)


def choosing_ways(outgoing: Iterable[Transition]) -> list[Transition]:
    """The transitions among ``outgoing`` (those leaving one activity) that the activity
    chooses among: all but those that handle an exception."""
    return [t for t in outgoing if t.condition is None or t.condition.type not in EXCEPTION_WAYS]


def left_empty(transition: Transition) -> bool:
    """Whether ``transition`` has a CONDITION the modeller left with no expression (as TIBCO
    and Bizagi write a branch whose rule is not written yet). Where it is one of several
    choosing ways, instances stop there for a decision (``condition-empty``)."""
    condition = transition.condition
    return (
        condition is not None
        and condition.type is ConditionType.CONDITION
        and not (condition.expression or "").strip()
    )


def tried_in_order(activity: Activity, outgoing: Sequence[Transition]) -> list[Transition] | None:
    """The ways out of ``activity`` in the order the engine tries them when it takes only the
    first whose condition holds (an Exclusive split), else None (it takes every way that holds,
    or there is one way and no split). ``outgoing``: the transitions leaving it, in document
    order. The order is the Split's TransitionRefs, the transitions they do not list after
    them in document order, else document order.

    One rule for the runtime compiler and validation (``shadowed-transition``), so that a way
    validation calls dead is one the engine never takes. (An event-based gateway is compiled
    Exclusive here and made to wait on every way afterwards, ``runtime/compile_links.py``.)"""
    if activity.split_gateway is not GatewayType.EXCLUSIVE:
        return None
    split = activity.split
    if split is None:
        return None if len(outgoing) <= 1 else list(outgoing)
    if not split.transition_refs:
        return list(outgoing)
    order = {ref: i for i, ref in enumerate(split.transition_refs)}
    return sorted(outgoing, key=lambda t: order.get(t.id, len(order)))


def always_holds(transition: Transition, ways: int) -> bool:
    """Whether ``transition``, one of the ``ways`` (:func:`choosing_ways`, counted) out of its
    activity, is a way of choice the engine always takes when it comes to it: no Condition, or
    one of no Type or Type CONDITION with no expression, unless several ways leave and it is
    :func:`left_empty` (a decision for people). OTHERWISE and the exception ways are none."""
    condition = transition.condition
    if condition is None:
        return True
    if condition.type not in (None, ConditionType.CONDITION):
        return False
    if ways > 1 and left_empty(transition):
        return False
    return not (condition.expression or "").strip()


class ActivitySet(Extensible):
    id: str
    name: str | None = None
    activities: tuple[Activity, ...] = ()
    transitions: tuple[Transition, ...] = ()
    default_start_activity_id: str | None = None


class ProcessHeader(Node):
    created: str | None = None
    description: str | None = None
    priority: str | None = None
    limit: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    duration_unit: str | None = None
    waiting_time: str | None = None
    working_time: str | None = None
    duration: str | None = None
    extras: tuple[XmlNode, ...] = ()
    extra_attrs: Attrs = ()


class WorkflowProcess(Extensible):
    id: str
    name: str | None = None
    access_level: str | None = None
    header: ProcessHeader = Field(default_factory=ProcessHeader)
    redefinable_header: RedefinableHeader | None = None
    formal_parameters: tuple[FormalParameter, ...] = ()
    data_fields: tuple[DataField, ...] = ()
    participants: tuple[Participant, ...] = ()
    applications: tuple[Application, ...] = ()
    activity_sets: tuple[ActivitySet, ...] = ()
    activities: tuple[Activity, ...] = ()
    transitions: tuple[Transition, ...] = ()

    def activity(self, activity_id: str) -> Activity:
        """The top-level or activity-set activity with this Id (KeyError if none)."""
        for a in self.activities:
            if a.id == activity_id:
                return a
        for s in self.activity_sets:
            for a in s.activities:
                if a.id == activity_id:
                    return a
        raise KeyError(f"process {self.id!r} has no activity {activity_id!r}")

    def activity_set(self, set_id: str) -> ActivitySet:
        for s in self.activity_sets:
            if s.id == set_id:
                return s
        raise KeyError(f"process {self.id!r} has no activity set {set_id!r}")
