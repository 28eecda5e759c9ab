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

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from wfengine.definition.checks.flow import ARMED_TRIGGERS, THROWN
from wfengine.definition.event_texts import condition_text, timer_of, trigger_detail
from wfengine.definition.graph import is_event_gateway as is_event_gateway
from wfengine.definition.model import Activity, Event, EventPosition, XmlNode
from wfengine.definition.reading import read_moment
from wfengine.definition.scripts import activity_assignments
from wfengine.errors import DeployError, ExpressionEvaluationError
from wfengine.runtime.compiled import CBoundary
from wfengine.runtime.evaluation import (
    CompiledExpression,
    ExpressionReader,
    compiled,
    naming_shared,
)

#: the boundary triggers the engine arms (validation's list: one rule)
BOUNDARY_TRIGGERS = ARMED_TRIGGERS

Wait = timedelta | datetime | CompiledExpression


def _epoch() -> datetime:
    """The clock a literal is read with (a literal does not look at it)."""
    return datetime(1970, 1, 1, tzinfo=UTC)


def _throws(node: XmlNode | None) -> bool:
    return node is not None and dict(node.attrs).get("CatchThrow", "CATCH").upper() == "THROW"


def event_wait(exprs: ExpressionReader, where: str, event: Event) -> tuple[Wait, int]:
    """How long a timer event waits, and how often it fires: its ``TimeDate`` (an ISO 8601
    date-time, or an expression giving one; fires once) or ``TimeCycle`` (a duration, a
    number of seconds or an expression as for deadlines; ``R/PT1H`` repeats without end,
    ``R3/PT1H`` three times). A timer that names no time fires at once."""
    timer = timer_of(event)
    if timer is None:
        return timedelta(0), 1
    if timer.moment is not None:
        return timer.moment, 1
    if timer.is_date:
        return _moment(exprs, timer.text, f"{where}, timer date"), 1
    read = exprs.duration(timer.text, f"{where}, timer cycle")
    if read.constant:
        value = read.evaluate({}, _epoch, "deploy")
        if timer.refuses(value):  # validation reports it first, as timer-cycle
            raise DeployError(f"{where}: a repeating timer cycle needs a positive interval")
        if isinstance(value, timedelta | datetime):
            return value, timer.repeat
    return read, timer.repeat


def _moment(exprs: ExpressionReader, text: str, where: str) -> CompiledExpression:
    """A ``TimeDate`` expression, which must give a moment: any other value (a number, as
    ``2030-1-5`` would be; a duration) is an evaluation error, so an incident on the timer,
    not a wait of so many seconds. A date (a ``DATE`` data field) is a moment too: its
    midnight UTC, as the literal ``2030-01-05`` is (the timer puts it so). A text written as
    a date that is no ISO 8601 date refuses the deploy
    (:func:`~wfengine.definition.reading.read_moment`)."""
    reading = read_moment(text, exprs.language, exprs.aliases, exprs.fields)
    read = compiled(reading, where, exprs.shared)
    parsed = reading.expression
    if parsed is None:  # a label or a foreign text: it fails as it is
        return read

    def moment(variables: Mapping[str, Any], now: Callable[[], datetime]) -> Any:
        value = parsed.evaluate(variables, now=now)
        if isinstance(value, date):  # (a datetime is a date too)
            return value
        text_hint = (
            " (a text is not read as one, even written as a date-time: keep the moment in a "
            "DATETIME field, which converts such text where it is given)"
            if isinstance(value, str)
            else ""
        )
        raise ExpressionEvaluationError(
            f"it gave {value!r}, not a date-time{text_hint} (a TimeDate is a moment, or a "
            "date: its midnight UTC; a wait of a length of time is a TimeCycle)",
            source=text,
        )

    # (a Name two fields share fails naming them, as in a script or condition)
    run = naming_shared(moment, read.names, exprs.shared)
    return CompiledExpression(read.text, where, run, read.names, read.kind)


def message_name(activity: Activity, event: Event | None) -> str | None:
    """The message a catch event (or receive task) takes: its Message's Name, else its Id,
    else the activity's own Name or Id; None for a throw (``CatchThrow="THROW"``)."""
    trigger = None if event is None else trigger_detail(event, "TriggerResultMessage")
    if _throws(trigger):
        return None
    return _named_message(activity, trigger)


def _named_message(activity: Activity, trigger: XmlNode | None) -> str:
    """The Name (else Id) of ``trigger``'s Message, else the activity's own Name or Id."""
    if trigger is not None:
        found = next((c for c in trigger.children if c.local_name == "Message"), None)
        if found is not None:
            named = dict(found.attrs)
            given = named.get("Name") or named.get("Id")
            if given:
                return given
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
    trigger = trigger_detail(event, "TriggerResultSignal")
    attrs = {} if trigger is None else dict(trigger.attrs)
    return attrs.get("Name") or activity.name or activity.id, _throws(trigger)


def code_of(event: Event) -> str | None:
    """An error's ``ErrorCode`` or an escalation's ``EscalationCode`` (None: any)."""
    for node, attr in (("ResultError", "ErrorCode"), ("TriggerEscalation", "EscalationCode")):
        found = trigger_detail(event, node)
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
    text = condition_text(event)
    if not text:
        return None
    return exprs.required(text, f"{where}, condition")


def unrunnable_event(event: Event) -> str:
    """Why an instance stops at ``event``, an intermediate event in the flow the engine cannot
    run, and what the operator can do: the exact cause validation's ``event-trigger`` names.
    The navigator puts the instance and activity in front (``CActivity.unsupported``). Why:
    the incident used to list every kind of implementation the engine cannot run, leaving
    the operator to guess which one this was."""
    if event.trigger == "Conditional":
        why = (
            "a Conditional event with no condition (its TriggerConditional has neither an "
            "Expression nor a ConditionName), so the engine cannot tell when to go on"
        )
        fix = "give the event its condition"
    else:
        why = f"an event with trigger {event.trigger!r}, which the engine does not run in the flow"
        fix = "change its trigger"
    return (
        f"it is {why}: skip the incident to go on past it (wfengine incident skip ID), "
        f"or {fix} in the definition"
    )


def boundary(
    exprs: ExpressionReader, where: str, activity: Activity, event: Event, position: int, index: int
) -> CBoundary | None:
    """The boundary event ``activity`` (at ``index`` in its graph) as its target sees it;
    None for a trigger the engine does not arm (validation warns: it never fires)."""
    trigger = event.trigger
    if trigger not in BOUNDARY_TRIGGERS:
        return None
    interrupting = event.interrupts  # (an error or cancel boundary always interrupts)
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


def event_throws(activity: Activity, event: Event) -> tuple[str, str | None] | None:
    """What an event in the flow throws, as :attr:`CActivity.throws` holds it: an error,
    escalation or cancel (with its code), a signal (an end event's, or an intermediate
    ``CatchThrow="THROW"``), a message (likewise: named as a catch names it); None for a
    catch or an attached event. Why a message throw is one: the host delivers it from its
    ``event.thrown`` outbox entry, written with its audit row (a ``TaskSend``'s too), and
    without it nothing said it was thrown."""
    trigger = event.trigger
    if not is_throw_position(event):
        return None
    if trigger in THROWN:
        return trigger, code_of(event)
    end = event.position is EventPosition.END
    if trigger == "Signal":
        name, thrown = signal_name(activity, event)
        return ("Signal", name) if end or thrown else None
    if trigger == "Message":
        detail = trigger_detail(event, "TriggerResultMessage")
        return ("Message", _named_message(activity, detail)) if end or _throws(detail) else None
    return None


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
    target that is no field name refuses the deploy; one that is a field's Name (a package
    keying its fields by generated ids) writes that field, as the Name reads it in an
    expression."""
    start: list[tuple[str, CompiledExpression]] = []
    end: list[tuple[str, CompiledExpression]] = []
    for n, (target, value, at_end, _) in enumerate(activity_assignments(activity)):
        here = f"{where}, assignment {n + 1}"
        if not target.isidentifier():
            raise DeployError(f"{here}: its Target {target!r} is no data field name")
        compiled = exprs.required(value, f"{here} ({target} =)")
        (end if at_end else start).append((exprs.aliases.get(target, target), compiled))
    return tuple(start), tuple(end)
