"""The extended attributes that rule a person's work on an activity, read one way for
validation and the runtime compiler.

* Reminders and escalation (wfengine's own): ``wfengine:reminder-after`` (the first reminder),
  ``wfengine:reminder-every`` (the ones after it), ``wfengine:escalate-after`` with
  ``wfengine:escalate-to`` (who is offered the item too): durations that must be above zero
  (a zero interval would remind without end), and a rhythm of at least a minute.
* Assignment to the performer of another activity (Enhydra Shark and JaWE write them):
  ``AssignToPerformerOfActivity`` (one activity Id) and ``DoNotAssignToPerformerOfActivity``
  (repeatable, comma-separated Ids), which must name activities of the process.
* A performer that is neither a name nor an expression that parses (``employee_name +``):
  :func:`unparseable_performer` (validation's ``performer-syntax``).

The compiler refuses a process that breaks these rules; validation reports the same first
(``reminder-duration``, ``performer-activity``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta

from wfengine.definition.durations import (
    counts_months_or_years,
    parse_duration,
    too_long_to_remind,
)
from wfengine.definition.model import Activity, ExtendedAttribute
from wfengine.definition.reading import Reading, ReadKind, read_expression
from wfengine.expressions import Language

REMINDER_AFTER, REMINDER_EVERY = "wfengine:reminder-after", "wfengine:reminder-every"
ESCALATE_AFTER, ESCALATE_TO = "wfengine:escalate-after", "wfengine:escalate-to"
#: the attributes whose value is a duration above zero
REMINDER_DURATIONS = (REMINDER_AFTER, REMINDER_EVERY, ESCALATE_AFTER)
ASSIGN_TO = "AssignToPerformerOfActivity"
NOT_ASSIGN_TO = "DoNotAssignToPerformerOfActivity"
#: a text written as an Id (the characters of an XML name token): ``010``, ``1.10``, ``a:b``
_ID_SHAPED = re.compile(r"[\w.:-]+")


def attribute_values(a: Activity, *names: str) -> list[str]:
    """Every value of the extended attributes ``names`` (repeatable, comma-separated)."""
    return [value for value, _ in attribute_entries(a, *names)]


def attribute_entries(a: Activity, *names: str) -> list[tuple[str, ExtendedAttribute]]:
    """:func:`attribute_values`, each with the extended attribute that gives it: a finding
    about one value points at that element's line, not at the activity's."""
    found: list[tuple[str, ExtendedAttribute]] = []
    for ea in a.extended_attributes:
        if ea.name in names:
            text = ea.value if ea.value is not None else ea.text
            found.extend((v.strip(), ea) for v in (text or "").split(",") if v.strip())
    return found


#: why a duration counting months or years (``P1M``, ``P1Y``) is refused, as a noun phrase
#: ("... 'P1M', which is ..."): their length varies, so no fixed wait can be had from them
MONTHS_VARY = (
    "a length in months or years, which varies, so wfengine does not read it as a duration: "
    "write days or weeks (P30D, P52W)"
)

#: the shortest ``wfengine:reminder-every``: a rhythm below it would flood people with
#: notifications (each reminder is one), which a definition from an untrusted author could ask
MIN_REMINDER_EVERY = timedelta(minutes=1)


def reminder_duration(name: str, text: str) -> timedelta | str:
    """The duration of reminder attribute ``name``, or why ``text`` is not usable: no
    duration above zero, longer than the engine waits (:func:`too_long_to_remind`, the one
    limit deadlines and timers have), or a ``reminder-every`` under :data:`MIN_REMINDER_EVERY`.
    Validation and the runtime compiler both ask this, so they refuse the same texts."""
    too_long = too_long_to_remind(text)
    if too_long is not None:
        return too_long
    found = positive_duration(text)
    if found is None and counts_months_or_years(text):
        # (it is an ISO 8601 duration: "no duration above zero" sent people looking for a
        # typo; say why it is not read, as a deadline's refusal does)
        return MONTHS_VARY
    if found is None:
        return "no duration above zero"
    if name == REMINDER_EVERY and found < MIN_REMINDER_EVERY:
        return "shorter than a minute (reminders that often would flood people)"
    return found


def positive_duration(text: str) -> timedelta | None:
    """``text`` as a duration above zero (ISO 8601, seconds or "3 days"), else None."""
    found = parse_duration(text)
    return found if found is not None and found > timedelta(0) else None


def performer_activities(a: Activity) -> tuple[str | None, tuple[str, ...]]:
    """The activity whose performer ``a``'s item goes to (None: not said) and those whose
    performers it must not go to."""
    to = (a.extended_attribute(ASSIGN_TO) or "").strip() or None
    return to, tuple(attribute_values(a, NOT_ASSIGN_TO))


def unparseable_performer(
    text: str, language: Language, aliases: Mapping[str, str] | None = None
) -> Reading | None:
    """The reading of performer ``text`` (one no participant declares) when it is neither a
    name nor an expression that parses, with the parser's reason; None when it is one of
    them. A name is what is written as an Id (``boss``, ``010``, ``1.10``: a participant of
    another package, a directory's id) or as words and spaces (``Human Resources``, which
    reads as a label); an expression is read in ``language``, the package's, as the
    compiler reads it. Validation (``performer-syntax``) and the compiler both ask this, so
    what one takes for a name the other does too."""
    if _ID_SHAPED.fullmatch(text.strip()):
        return None
    reading = read_expression(text, language, aliases)
    return reading if reading.kind is ReadKind.UNPARSEABLE else None
