"""The trigger elements of an event, from the builder's keywords.

Why a module of its own: XPDL 2.2 writes what an event waits for or throws as a trigger
element (``TriggerTimer`` with ``TimeCycle``/``TimeDate``, ``TriggerResultMessage``,
``TriggerResultSignal``, ``ResultError``, ``TriggerEscalation``, ``TriggerConditional``,
``TriggerResultLink``); the builder's event methods take plain keywords (``timer="R/PT1H"``,
``message="reply"``, ``error="E1"``) and this turns them into those elements, so a process
built in Python is the same as one a modelling tool wrote.
"""

from __future__ import annotations

import re
from typing import TypedDict

from wfengine.definition.build_arguments import BuildError, text
from wfengine.definition.element_texts import node_text
from wfengine.definition.model import EventPosition, XmlNode
from wfengine.definition.namespaces import XPDL22_NS

_X = "{" + XPDL22_NS + "}"


class EventSpec(TypedDict, total=False):
    """What an event waits for or throws (at most one of these, matching its trigger)."""

    #: a Timer's ``TimeCycle``: a duration (``PT2H``), a repeating one (``R/PT1H``,
    #: ``R3/PT1H``), seconds or an expression
    timer: str
    #: a Timer's ``TimeDate``: an ISO 8601 moment or an expression giving one
    at: str
    #: a Message's name
    message: str
    #: a Signal's name
    signal: str
    #: an Error's or Escalation's code (none: any)
    code: str
    #: a Conditional event's condition
    condition: str
    #: a Link's name
    link: str
    #: throw rather than catch (a message, signal or link event)
    throw: bool


def flag(value: object, what: str) -> bool:
    """``value``, refused (:class:`BuildError` naming ``what``) unless it is True or False.

    Why not its truth: a flag read from a configuration file or the environment arrives as
    text, and every text but ``""`` is true, so ``end(terminate="false")`` made a Terminate
    end that ended the whole instance and ``transition(otherwise="false")`` an Otherwise
    transition, with nothing said."""
    if not isinstance(value, bool):
        raise BuildError(f"{what} is True or False, not {value!r}")
    return value


#: XPDL 2.2's values of a StartEvent's and an IntermediateEvent's ``Trigger`` and an EndEvent's
#: ``Result``: the engine and the schema know these spellings only, so the builder writes them
TRIGGERS: dict[EventPosition, tuple[str, ...]] = {
    EventPosition.START: (
        "None",
        "Message",
        "Timer",
        "Error",
        "Escalation",
        "Compensation",
        "Conditional",
        "Signal",
        "Multiple",
        "ParallelMultiple",
    ),
    EventPosition.INTERMEDIATE: (
        "None",
        "Message",
        "Timer",
        "Error",
        "Escalation",
        "Cancel",
        "Conditional",
        "Link",
        "Signal",
        "Compensation",
        "Multiple",
        "ParallelMultiple",
    ),
    EventPosition.END: (
        "None",
        "Message",
        "Error",
        "Escalation",
        "Cancel",
        "Compensation",
        "Signal",
        "Terminate",
        "Multiple",
    ),
}


#: the values XPDL 2.0 has beside 2.2's (its ``Rule`` and ``Link`` start, ``Rule``
#: intermediate and ``Link`` end events), which a file read may hold and the builder never writes
XPDL20_TRIGGERS: dict[EventPosition, tuple[str, ...]] = {
    EventPosition.START: ("Rule", "Link"),
    EventPosition.INTERMEDIATE: ("Rule",),
    EventPosition.END: ("Link",),
}


def known_triggers(position: EventPosition) -> tuple[str, ...]:
    """Every trigger (an end event's: result) XPDL 2.0 to 2.2 spell for ``position``: what a
    file read may hold (2.2's, then 2.0's own)."""
    return TRIGGERS[position] + XPDL20_TRIGGERS[position]


def trigger_spelling(
    position: EventPosition, given: str, allowed: tuple[str, ...] | None = None
) -> str | None:
    """XPDL's spelling of the trigger (an end event's: result) ``given`` in any case, from
    ``allowed`` (default: :func:`known_triggers`); None when it is none of them.

    The one reading of a trigger's spelling, for the builder (:func:`canonical_trigger`) and
    the XPDL reader: the engine matches XPDL's spelling only, so ``Result="terminate"`` read
    as written ran as a None end event, and did not terminate."""
    folded = given.casefold()
    for value in known_triggers(position) if allowed is None else allowed:
        if value.casefold() == folded:
            return value
    return None


def canonical_trigger(where: str, position: EventPosition, given: object) -> str:
    """XPDL 2.2's spelling of the trigger (result, for an end event) ``given`` in any case.

    Why refuse the rest here: the model keeps a trigger as text, so ``result="error"`` would
    build, validate and deploy, and then never throw (the engine matches XPDL's spelling),
    and the dumped file would fail the schema."""
    allowed = TRIGGERS[position]
    what = "result" if position is EventPosition.END else "trigger"
    if isinstance(given, str):
        found = trigger_spelling(position, given, allowed)
        if found is not None:
            return found
    article = "a" if position is EventPosition.START else "an"
    raise BuildError(
        f"{where}: unknown {what} {given!r}; {article} {position.value} event's {what} is one of: "
        f"{', '.join(allowed)}"
    )


#: triggers that throw by where they stand (an end event, an intermediate one in the flow), so
#: ``throw=True`` on them says what is so and writes nothing
_THROWN_BY_PLACE = ("Error", "Escalation", "Cancel")

#: which trigger each keyword belongs to
_TRIGGER_OF = {
    "timer": "Timer",
    "at": "Timer",
    "message": "Message",
    "signal": "Signal",
    "condition": "Conditional",
    "link": "Link",
}


def event_detail(
    where: str, trigger: str, spec: EventSpec, detail: tuple[XmlNode, ...] = ()
) -> tuple[str, tuple[XmlNode, ...]]:
    """The trigger (inferred from the keyword when ``trigger`` is "None") and the trigger
    element ``spec`` describes, or ``detail`` when given; raises :class:`BuildError` for
    keywords that contradict or that would be dropped (with ``detail``, ``throw=True`` on a
    trigger that has no throwing form here)."""
    given = [k for k, v in spec.items() if k != "throw" or v]
    if detail and given:
        raise BuildError(
            f"{where}: give detail= or {', '.join(f'{k}=' for k in given)}, not both "
            f"(detail= is the trigger element they would make)"
        )
    for key, value in spec.items():
        if key == "throw":
            flag(value, f"{where}: throw=")
        else:
            text(value, f"{where}: {key}=")
    named = [k for k in spec if k not in ("throw", "code")]
    if len(named) > 1:
        raise BuildError(f"{where}: give one of {', '.join(named)}, not several")
    for key in named:
        wanted = _TRIGGER_OF[key]
        if trigger == "None":
            trigger = wanted
        elif trigger != wanted:
            raise BuildError(f"{where}: {key}= belongs to a {wanted} event, not {trigger}")
    if "code" in spec and trigger not in ("Error", "Escalation"):
        raise BuildError(f"{where}: code= belongs to an Error or Escalation event")
    if spec.get("throw") and trigger not in ("Message", "Signal", "Link", *_THROWN_BY_PLACE):
        raise BuildError(
            f"{where}: throw=True belongs to a Message, Signal or Link event (an Error, "
            f"Escalation or Cancel event throws where it stands in the flow), not {trigger}"
        )
    throw = {"CatchThrow": "THROW"} if spec.get("throw") else {}
    node: XmlNode | None = None
    if trigger == "Timer" and named:
        part = "TimeDate" if "at" in spec else "TimeCycle"
        when = node_text(spec.get("at") or spec.get("timer"))
        node = XmlNode(tag=_X + "TriggerTimer", children=(XmlNode(tag=_X + part, text=when),))
    elif trigger == "Message":
        children: tuple[XmlNode, ...] = ()
        if "message" in spec:
            name = spec["message"]
            ident = re.sub(r"[^\w.-]", "_", name)  # the schema wants an Id as well
            children = (XmlNode(tag=_X + "Message", attrs=(("Id", ident), ("Name", name))),)
        node = XmlNode(
            tag=_X + "TriggerResultMessage", attrs=tuple(throw.items()), children=children
        )
    elif trigger == "Signal":
        attrs = {**({"Name": spec["signal"]} if "signal" in spec else {}), **throw}
        node = XmlNode(tag=_X + "TriggerResultSignal", attrs=tuple(attrs.items()))
    elif trigger == "Error":
        code = (("ErrorCode", spec["code"]),) if "code" in spec else ()
        node = XmlNode(tag=_X + "ResultError", attrs=code)
    elif trigger == "Escalation":
        code = (("EscalationCode", spec["code"]),) if "code" in spec else ()
        node = XmlNode(tag=_X + "TriggerEscalation", attrs=code)
    elif trigger == "Conditional" and "condition" in spec:
        expression = XmlNode(tag=_X + "Expression", text=node_text(spec["condition"]))
        node = XmlNode(tag=_X + "TriggerConditional", children=(expression,))
    elif trigger == "Link":
        attrs = {**({"Name": spec["link"]} if "link" in spec else {}), **throw}
        node = XmlNode(tag=_X + "TriggerResultLink", attrs=tuple(attrs.items()))
    if detail:
        return trigger, detail
    return trigger, (() if node is None else (node,))
