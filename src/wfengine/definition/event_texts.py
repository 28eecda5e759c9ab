"""The texts an event's trigger element holds, found one way for validation and the compiler.

XPDL 2.x keeps what a timer waits for (``TriggerTimer`` with ``TimeDate`` or ``TimeCycle``)
and what a conditional event waits on (``TriggerConditional``) in elements the model keeps
verbatim (:attr:`~wfengine.definition.model.Event.detail`). The runtime compiler reads these
texts as expressions and refuses a process whose text does not parse; validation must report
the same texts before that (``expression-syntax``, ``timer-cycle``), so both find them here and
cannot disagree about which text is read, or as what.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from wfengine.definition.iso_moments import iso_datetime
from wfengine.definition.model import Event, XmlNode

#: a cycle's recurrences (``R/``, ``R3/``; ``r3/`` too, as every other part of a duration
#: reads in either case)
_REPEAT = re.compile(r"^R(\d*)/", re.IGNORECASE | re.ASCII)  # (R３/ is no count: durations.py)

#: the last time the engine keeps: a time at or after it never comes due (a failed job waits
#: at it for its incident's retry: ``wfengine.runtime.jobs.PARKED``), and later than it a
#: database cannot hold it in UTC at all
LAST_MOMENT = datetime(9999, 12, 31, tzinfo=UTC)


#: the first time the engine keeps: earlier than it no datetime holds a time in UTC
FIRST_MOMENT = datetime.min.replace(tzinfo=UTC)


def held(moment: datetime) -> bool:
    """Whether ``moment`` (aware) is a time the engine keeps: before :data:`LAST_MOMENT`
    (``9999-12-31T23:00:00-05:00`` is not: in UTC it is in the year 10000), and not before
    :data:`FIRST_MOMENT` (``0001-01-01T00:30:00+01:00`` is not: in UTC it is in the year 0)."""
    return unheld(moment) is None


def unheld(moment: datetime) -> str | None:
    """Why the engine cannot keep ``moment`` (aware), the end of a sentence naming it; None
    when it can (:func:`held`). Why the two ends are told apart: a time in the year 1 said to
    be "at or after 9999-12-31" sends its writer looking in the wrong place."""
    try:
        if moment.astimezone(UTC) < LAST_MOMENT:
            return None
    except OverflowError:
        if moment.year == 1:  # (only the first and the last year overflow)
            return (
                f"before {FIRST_MOMENT.isoformat()}, where the engine's time begins (in UTC "
                "it falls before the year 1, which no datetime holds)"
            )
    return f"at or after {LAST_MOMENT.isoformat()}, where the engine's time ends"


def trigger_detail(event: Event, name: str) -> XmlNode | None:
    """The event's trigger element called ``name`` (a local name), if it has one."""
    return next((n for n in event.detail if n.local_name == name), None)


def element_text(node: XmlNode) -> str:
    """An element's text, or its nested Expression's (XPDL 2.2 wraps times in one)."""
    found = (node.text or "").strip()
    if not found and node.children:
        found = (node.children[0].text or "").strip()
    return found


@dataclass(frozen=True, slots=True)
class Timer:
    """What a timer event waits for. Exactly one of ``moment`` and ``text`` is set."""

    #: a literal ISO 8601 date-time in ``TimeDate`` (made aware: UTC when it names no zone)
    moment: datetime | None = None
    #: the text to read: a ``TimeDate`` expression giving a moment (``is_date``), else a
    #: ``TimeCycle`` duration (seconds, ISO 8601 or an expression) without its ``R/`` prefix
    #: (but ``R0/``, zero recurrences, which reading refuses)
    text: str = ""
    is_date: bool = False
    #: how often it fires: 1 once, ``n`` for ``Rn/``, 0 without end (``R/``)
    repeat: int = 1

    def refuses(self, value: object) -> bool:
        """Whether ``value``, the literal its cycle text reads as, cannot be this timer's
        interval: a repeating timer needs a positive duration (a moment, or a duration of
        zero, would fire again at once, for ever)."""
        return (
            self.repeat != 1
            and isinstance(value, timedelta | datetime)
            and (not isinstance(value, timedelta) or value <= timedelta(0))
        )


def timer_of(event: Event) -> Timer | None:
    """The timer of a ``Timer`` event; None when it names no time (it fires at once).

    A bare number in ``TimeDate`` (as TIBCO writes) is seconds, as in ``TimeCycle``."""
    timer = trigger_detail(event, "TriggerTimer")
    parts = {} if timer is None else {c.local_name: c for c in timer.children}
    date, cycle = parts.get("TimeDate"), parts.get("TimeCycle")
    if date is not None and element_text(date):
        text = element_text(date)
        try:
            moment = iso_datetime(text.replace("Z", "+00:00"))
        except ValueError:
            if not text.replace(".", "", 1).isdigit():
                return Timer(text=text, is_date=True)
        else:
            moment = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
            if moment.year == 1 and not held(moment):
                # before the engine's time begins: left to reading.read_moment, which
                # refuses it by name (validation and deploy alike)
                return Timer(text=text, is_date=True)
            return Timer(moment=moment)
        cycle = date
    if cycle is None or not element_text(cycle):
        return None
    text = element_text(cycle)
    repeat = 1
    # (a signed count, R-1/, matches no _REPEAT: kept whole, read_duration refuses it by name)
    found = _REPEAT.match(text)
    if found is not None and found.group(1) and int(found.group(1)) == 0:
        # R0: zero recurrences, a timer that never fires; the text keeps its R0/, which
        # reading.read_duration refuses by name (validation and deploy alike)
        return Timer(text=text)
    if found is not None and "/" in text[found.end() :]:
        # R/PT1H/2030-01-01T10:00:00Z: a repeating interval with a start or an end, which
        # the engine does not read; kept whole, so read_duration refuses it by name rather
        # than as an expression dividing a duration by a date
        return Timer(text=text)
    if found is not None:
        repeat = int(found.group(1)) if found.group(1) else 0
        text = text[found.end() :]
    return Timer(text=text, repeat=repeat)


def condition_text(event: Event) -> str:
    """A conditional event's condition: ``TriggerConditional``'s Expression, else its
    ``ConditionName``; empty when it names none."""
    trigger = trigger_detail(event, "TriggerConditional")
    if trigger is None:
        return ""
    expression = next((c for c in trigger.children if c.local_name == "Expression"), None)
    text = element_text(expression) if expression is not None else ""
    return text or dict(trigger.attrs).get("ConditionName", "").strip()
