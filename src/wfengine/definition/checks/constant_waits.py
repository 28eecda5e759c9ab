"""A deadline's or a timer's wait that is a constant, judged before any instance waits on it.

A constant is a literal (``PT0S``, ``R/PT0S``, ``2030-01-05``) or an expression that names no
field and does not ask the clock (``0``, ``-5``, ``'PT1H'``): every instance gives it the same
value, so what the engine would do with it is known at validation, and validation says so
rather than leave each instance to stop with an incident:

* ``deadline-duration`` (error): a deadline of zero (it fires at once) or below (no wait);
* ``timer-cycle`` (error): a repeating timer whose interval is not above zero;
* ``expression-syntax`` (error): a deadline, timer cycle or timer date written as a text
  (``'PT1H'``, quoted as tools that write expressions quote it). The engine reads a wait from
  a duration, a number of seconds or a moment, never from text, so every instance reaching it
  stopped with an incident ("deadline gave 'PT1H'; expected seconds..."); the finding says to
  write it without the quotes.

A number is seconds to the engine, which refuses one below zero, so its sign is decided on the
number itself: a timedelta of it may not exist (``-1e14`` is beyond one) or may round to none
(``-0.0000001``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from wfengine.definition.checks.readings import quote
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.durations import parse_duration
from wfengine.definition.event_texts import Timer
from wfengine.definition.iso_moments import iso_datetime
from wfengine.definition.reading import Reading, ReadKind
from wfengine.errors import ExpressionError

#: a wait just below and just above zero: what a constant number of seconds stands for
_BELOW, _ABOVE = -timedelta.resolution, timedelta.resolution
#: a cycle's recurrences written inside the quotes (``'R/PT1H'``)
_REPEAT = re.compile(r"R\d*/", re.IGNORECASE | re.ASCII)


def constant_value(reading: Reading) -> object:
    """A wait's literal, or the number, text or timedelta a constant expression gives (``0``,
    ``-5``, ``'PT1H'``, ``timedelta(0)``); None for anything an instance computes
    (``now().hour * 60``, which asks the clock, is no constant) and for any other value, left
    to the engine to refuse as an instance sets it."""
    expression, asked = reading.expression, []
    if reading.kind is ReadKind.LITERAL or expression is None or expression.names:
        return reading.value

    def clock() -> datetime:
        asked.append(True)
        return datetime.now(UTC)

    try:
        value = expression.evaluate({}, now=clock)
    except (ExpressionError, OverflowError, ValueError):
        return None
    return None if asked or type(value) not in (int, float, str, timedelta) else value


def wait_findings(
    reading: Reading,
    what: str,
    element_id: str | None,
    line: int | None,
    *,
    timer: Timer | None,
    moment: bool,
) -> Iterator[Diagnostic]:
    """The findings for a wait (a deadline's duration: ``timer`` None, ``moment`` False; a
    timer's cycle; a timer's date: ``moment``) read as ``reading``, named ``what``."""
    value = constant_value(reading)
    if isinstance(value, str):
        yield make(
            "expression-syntax",
            f"{what} is {quote(reading.text)}, a text: the engine reads a wait from a duration, "
            "a number of seconds or a moment, never from text, so every instance reaching it "
            f"would stop with an incident; {_unquoted(value, moment, timer is not None)}",
            element_id=element_id,
            line=line,
        )
        return
    wait = _wait_of(value)
    if timer is None and not moment and isinstance(wait, timedelta) and wait <= timedelta(0):
        when = "which fires at once" if not wait else "less than no time, which no instance waits"
        yield make(
            "deadline-duration",
            f"{what} is {quote(reading.text)}, {when}; a deadline must be longer than zero",
            element_id=element_id,
            line=line,
        )
    if timer is not None and timer.refuses(wait):  # (it fires again at once, for ever)
        yield make(
            "timer-cycle",
            f"{what} repeats every {quote(reading.text)}; a repeating timer needs an interval "
            "longer than zero",
            element_id=element_id,
            line=line,
        )


def _wait_of(value: object) -> object:
    """``value`` as the wait the zero checks judge: a number as a wait of its sign; anything
    else as it is."""
    if type(value) not in (int, float):
        return value
    assert isinstance(value, int | float)
    return timedelta(0) if value == 0 else _BELOW if value < 0 else _ABOVE


def _unquoted(value: str, moment: bool, cycle: bool) -> str:
    """What to write for a wait written as the text ``value``: the text itself without its
    quotes when the engine reads that as the wait it says, else what it reads."""
    bare = value.strip()
    if moment:
        try:
            iso_datetime(bare.replace("Z", "+00:00"))
        except ValueError:
            fits = bare.replace(".", "", 1).isdigit()  # (seconds, as a TimeDate reads them)
        else:
            fits = True
    else:
        repeat = _REPEAT.match(bare) if cycle else None
        rest = bare[repeat.end() :] if repeat is not None else bare
        fits = parse_duration(rest) is not None or rest.replace(".", "", 1).isdigit()
    if fits:
        return f"write {bare} without the quotes"
    if moment:
        return (
            "write the date-time without quotes (2030-01-05T09:00:00Z), or an expression giving one"
        )
    return "write the duration without quotes (PT1H, P2D), or a number of seconds"
