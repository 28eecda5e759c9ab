"""Compiling events: what an intermediate, boundary or end event waits for or throws.

Why a module of its own: XPDL 2.x spreads an event's meaning over its trigger attribute and a
trigger element (``TriggerTimer`` with ``TimeDate``/``TimeCycle``, ``TriggerResultMessage``,
``TriggerResultSignal``, ``ResultError``, ``TriggerEscalation``, ``TriggerConditional``,
``TriggerResultLink``), each with its own attributes. Reading them is one job, kept apart from
compiling an activity's other parts (:mod:`.compile_activity`) and a graph's
(:mod:`.compiler`, which attaches boundary events to their activities, joins link events and
marks an event-based gateway's rivals).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from wfengine.definition.checks.flow import ARMED_TRIGGERS
from wfengine.definition.graph import is_event_gateway as is_event_gateway
from wfengine.definition.model import Activity, Event, EventPosition, XmlNode
from wfengine.errors import DeployError
from wfengine.runtime.compiled import CBoundary
from wfengine.runtime.evaluation import CompiledExpression, ExpressionReader

#: the boundary triggers the engine arms (validation's list: one rule)
BOUNDARY_TRIGGERS = ARMED_TRIGGERS
#: the end and intermediate throw results that travel up to a catching boundary event
THROWN = frozenset({"Error", "Escalation", "Cancel"})

_REPEAT = re.compile(r"^R(\d*)/")

Wait = timedelta | datetime | CompiledExpression


def _epoch() -> datetime:
    """The clock a literal is read with (a literal does not look at it)."""
    return datetime(1970, 1, 1, tzinfo=UTC)


def _detail(event: Event, name: str) -> XmlNode | None:
    return next((n for n in event.detail if n.local_name == name), None)


def _text(node: XmlNode) -> str:
    """An element's text, or its nested Expression's (XPDL 2.2 wraps times in one)."""
    found = (node.text or "").strip()
    if not found and node.children:
        found = (node.children[0].text or "").strip()
    return found


def _throws(node: XmlNode | None) -> bool:
    return node is not None and dict(node.attrs).get("CatchThrow", "CATCH").upper() == "THROW"


def event_wait(exprs: ExpressionReader, where: str, event: Event) -> tuple[Wait, int]:
    """How long a timer event waits, and how often it fires: its ``TimeDate`` (an ISO 8601
    date-time, or an expression giving one; fires once) or ``TimeCycle`` (a duration, a
    number of seconds or an expression as for deadlines; ``R/PT1H`` repeats without end,
    ``R3/PT1H`` three times). A timer that names no time fires at once."""
    timer = _detail(event, "TriggerTimer")
    parts = {} if timer is None else {c.local_name: c for c in timer.children}
    date, cycle = parts.get("TimeDate"), parts.get("TimeCycle")
    if date is not None and _text(date):
        text = _text(date)
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            if not text.replace(".", "", 1).isdigit():
                return exprs.required(text, f"{where}, timer date"), 1
        else:
            return (moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)), 1
        cycle = date  # a bare number in TimeDate (as TIBCO writes): seconds
    if cycle is None or not _text(cycle):
        return timedelta(0), 1
    text = _text(cycle)
    repeat = 1
    found = _REPEAT.match(text)
    if found is not None:
        repeat = int(found.group(1)) if found.group(1) else 0
        text = text[found.end() :]
    read = exprs.duration(text, f"{where}, timer cycle")
    if read.constant:
        value = read.evaluate({}, _epoch, "deploy")
        if isinstance(value, timedelta | datetime):
            if repeat != 1 and (not isinstance(value, timedelta) or value <= timedelta(0)):
                raise DeployError(f"{where}: a repeating timer cycle needs a positive interval")
            return value, repeat
    return read, repeat


def message_name(activity: Activity, event: Event | None) -> str | None:
    """The message a catch event (or receive task) takes: its Message's Name, else its Id,
    else the activity's own Name or Id; None for a throw (``CatchThrow="THROW"``)."""
    trigger = None if event is None else _detail(event, "TriggerResultMessage")
    if _throws(trigger):
        return None
    if trigger is not None:
        found = next((c for c in trigger.children if c.local_name == "Message"), None)
        if found is not None:
            named = dict(found.attrs)
            if named.get("Name") or named.get("Id"):
                return named.get("Name") or named.get("Id")
    return activity.name or activity.id


def task_message_name(activity: Activity, detail: XmlNode | None) -> str:
    """The message a ``TaskReceive`` waits for (its Message's Name, else Id, else the
    task's own Name or Id)."""
    found = None
    if detail is not None:
        found = next((c for c in detail.children if c.local_name == "Message"), None)
    if found is not None:
        named = dict(found.attrs)
        if named.get("Name") or named.get("Id"):
            return named.get("Name") or named.get("Id") or ""
    return activity.name or activity.id


def signal_name(activity: Activity, event: Event) -> tuple[str, bool]:
    """The signal an event catches or throws (its ``TriggerResultSignal``'s Name, else the
    activity's Name or Id), and whether it throws."""
    trigger = _detail(event, "TriggerResultSignal")
    attrs = {} if trigger is None else dict(trigger.attrs)
    return attrs.get("Name") or activity.name or activity.id, _throws(trigger)


def code_of(event: Event) -> str | None:
    """An error's ``ErrorCode`` or an escalation's ``EscalationCode`` (None: any)."""
    for node, attr in (("ResultError", "ErrorCode"), ("TriggerEscalation", "EscalationCode")):
        found = _detail(event, node)
        if found is not None:
            code = dict(found.attrs).get(attr, "").strip()
            return code or None
    return None


def condition_of(
    exprs: ExpressionReader, where: str, activity: Activity, event: Event
) -> CompiledExpression | None:
    """A conditional event's condition: ``TriggerConditional``'s Expression, else its
    ``ConditionName`` read as an expression; None when it names none (such a catch event
    cannot run: an incident when reached; such a boundary event never fires)."""
    trigger = _detail(event, "TriggerConditional")
    text = ""
    if trigger is not None:
        expression = next((c for c in trigger.children if c.local_name == "Expression"), None)
        text = _text(expression) if expression is not None else ""
        text = text or dict(trigger.attrs).get("ConditionName", "").strip()
    if not text:
        return None
    return exprs.required(text, f"{where}, condition")


def boundary(
    exprs: ExpressionReader, where: str, activity: Activity, event: Event, position: int, index: int
) -> CBoundary | None:
    """The boundary event ``activity`` (at ``index`` in its graph) as its target sees it;
    None for a trigger the engine does not arm (validation warns: it never fires)."""
    trigger = event.trigger
    if trigger not in BOUNDARY_TRIGGERS:
        return None
    interrupting = event.interrupting is not False
    if trigger in ("Error", "Cancel"):
        interrupting = True  # BPMN: an error or cancel boundary always interrupts
    wait: Wait | None = None
    repeat = 1
    name: str | None = None
    condition = None
    if trigger == "Timer":
        wait, repeat = event_wait(exprs, f"{where}, boundary event {activity.id!r}", event)
    elif trigger == "Message":
        name = message_name(activity, event)
    elif trigger == "Signal":
        name = signal_name(activity, event)[0]
    elif trigger == "Conditional":
        condition = condition_of(exprs, where, activity, event)
    else:
        name = code_of(event)
    return CBoundary(
        position=position,
        event=index,
        trigger=trigger,
        interrupting=interrupting,
        name=name,
        wait=wait,
        repeat=repeat,
        condition=condition,
    )


def is_throw_position(event: Event) -> bool:
    """An end event, or an intermediate event in the flow (not attached)."""
    return event.position is EventPosition.END or (
        event.position is EventPosition.INTERMEDIATE and event.target is None
    )


def assignments(
    exprs: ExpressionReader, where: str, activity: Activity
) -> tuple[tuple[tuple[str, CompiledExpression], ...], tuple[tuple[str, CompiledExpression], ...]]:
    """An activity's XPDL 2.x ``Assignments`` (kept among its extras), split by
    ``AssignTime`` (``Start``, the default, or ``End``): (field, expression) in order. A
    target that is no field name refuses the deploy."""
    start: list[tuple[str, CompiledExpression]] = []
    end: list[tuple[str, CompiledExpression]] = []
    for node in activity.extras:
        if node.local_name != "Assignments":
            continue
        for n, assignment in enumerate(c for c in node.children if c.local_name == "Assignment"):
            parts = {c.local_name: c for c in assignment.children}
            target = _text(parts["Target"]) if "Target" in parts else ""
            here = f"{where}, assignment {n + 1}"
            if not target.isidentifier():
                raise DeployError(f"{here}: its Target {target!r} is no data field name")
            value = _text(parts["Expression"]) if "Expression" in parts else ""
            compiled = exprs.required(value, f"{here} ({target} =)")
            time = dict(assignment.attrs).get("AssignTime", "Start")
            (end if time == "End" else start).append((target, compiled))
    return tuple(start), tuple(end)
