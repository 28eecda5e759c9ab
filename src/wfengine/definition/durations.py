"""Duration literals in deadlines: ISO 8601 (``PT10M``) and what people type (``3 days``).

Deadline durations are expressions in XPDL, but tools and people mostly write a literal:
ISO 8601 durations (``P1DT2H30M``, ``PT45S``, ``P2W``) or a quantity with a unit (``3 days``,
``10 s``, ``1h 30min``, ``2 weeks``; the WfMC 1.0 sample writes ``5 days``). Validation and
the engine read them with this one function, so what validation accepts as a duration is
what the engine waits for. Months and years are not durations of fixed length and are not
read here (an expression can compute a date instead): :func:`counts_months_or_years` tells
such a text (``P1M``, ``P1Y2M``, ``3 months``) apart, so that it is refused by name rather
than read as an expression naming a field ``P1M``.

Digits are ASCII digits only (``re.ASCII``, ``[0-9]``): a regex's digit class matches every
Unicode digit and ``float`` reads them, so ``P`` U+FF11 ``D`` (a full-width 1), typed by an
input method or pasted, was read as a day where every other reader of the text (an XPDL tool, a
person checking it) sees no ISO 8601 duration.
"""

from __future__ import annotations

import re
from datetime import timedelta

_ISO = re.compile(
    r"P(?:(?P<w>\d+(?:[.,]\d+)?)W)?(?:(?P<d>\d+(?:[.,]\d+)?)D)?"
    r"(?:T(?:(?P<h>\d+(?:[.,]\d+)?)H)?(?:(?P<m>\d+(?:[.,]\d+)?)M)?(?:(?P<s>\d+(?:[.,]\d+)?)S)?)?",
    re.IGNORECASE | re.ASCII,
)

_UNITS: dict[str, str] = {}
for _unit, _names in {
    "weeks": ("w", "wk", "wks", "week", "weeks"),
    "days": ("d", "day", "days"),
    "hours": ("h", "hr", "hrs", "hour", "hours"),
    "minutes": ("m", "min", "mins", "minute", "minutes"),
    "seconds": ("s", "sec", "secs", "second", "seconds"),
    "milliseconds": ("ms", "millisecond", "milliseconds"),
}.items():
    _UNITS.update(dict.fromkeys(_names, _unit))

#: a number and its unit (``3 days``, ``1.5h``). A match never starts after a digit: a search
#: tried every digit of a run that was no quantity (``111...1=``) against the rest of the run
#: (quadratic in the run): 19 ms to read one deadline of the 200 characters read, for each
#: deadline of a definition.
#: The matches are the same: where a quantity fails to start at a digit, it fails to start at
#: the next digit too (the rest of the same run, with the same text after it).
_QUANTITY = re.compile(r"(?<![0-9])([0-9]+(?:[.,][0-9]+)?)\s*([A-Za-z]+)")

_N = r"\d+(?:[.,]\d+)?"
#: an ISO 8601 duration that may count years and months (``P1Y2M3DT4H``)
_ISO_CALENDAR = re.compile(
    rf"P(?:(?P<y>{_N})Y)?(?:(?P<mo>{_N})M)?(?:{_N}W)?(?:{_N}D)?"
    rf"(?:T(?:{_N}H)?(?:{_N}M)?(?:{_N}S)?)?",
    re.IGNORECASE | re.ASCII,
)
_CALENDAR_UNITS = frozenset(
    {"mo", "mon", "mons", "month", "months", "y", "yr", "yrs", "year", "years"}
)

#: longest duration read (the largest timedelta Python holds is about 2.7 million years)
MAX_DURATION = timedelta(days=365_000)

#: the longest the engine waits: a deadline or timer, literal or computed, may be at most
#: this long (``RuntimeLimits.max_deadline``'s default; a host may set it lower). A literal
#: deadline or timer cycle that is longer is refused at validation and deploy
#: (:func:`too_long_to_wait`), and so is a reminder or escalation interval
#: (:func:`too_long_to_remind`): one limit on every wait a definition writes
LONGEST_WAIT = timedelta(days=365 * 100)
#: the limit as messages say it
_AT_MOST = f"at most {LONGEST_WAIT.days:,} days, 100 years"


def parse_duration(text: str) -> timedelta | None:
    """The duration ``text`` writes, or None when it is not a duration literal.

    A literal longer than :data:`MAX_DURATION` is not read as one either.
    """
    found = _length(text)
    if found is None or found > MAX_DURATION:
        return None
    return found


def _beyond_longest_wait(text: str) -> timedelta | None:
    """The length ``text``, a duration literal, writes when it is longer than the engine
    waits (:data:`LONGEST_WAIT`), however long (``timedelta.max`` past what a timedelta
    holds); None when it is no duration literal or no longer than that. The one test behind
    :func:`too_long_to_wait` and :func:`too_long_to_remind`."""
    found = _length(text)
    return found if found is not None and found > LONGEST_WAIT else None


def too_long_to_wait(text: str) -> str | None:
    """Why ``text``, a duration literal, is longer than a deadline or timer may wait
    (:data:`LONGEST_WAIT`, 100 years), as a reader refusing it says it; None when it is
    no duration literal or no longer than that.

    Why it is refused by name: a literal longer than :data:`MAX_DURATION` is no duration
    for :func:`parse_duration`, and would be read as an expression naming a field
    ``P3000000D``; one up to it would be waited for, though the same length computed by an
    expression is an incident."""
    found = _beyond_longest_wait(text)
    if found is None:
        return None
    return (
        f"it waits {found.days:,} days, longer than a deadline or timer may ({_AT_MOST}): "
        "for a later moment write an expression giving the date"
    )


def too_long_to_remind(text: str) -> str | None:
    """Why ``text``, a reminder or escalation interval (``wfengine:reminder-after``,
    ``-every``, ``escalate-after``), is longer than the engine waits, in the words that
    follow "which is"; None when it is no duration literal or no longer than
    :data:`LONGEST_WAIT`.

    Why: a reminder is a timer like a deadline's, and the engine waits no longer for one than
    for the other (before, a reminder could wait up to :data:`MAX_DURATION`, 1,000 years,
    and one past that was called "no duration above zero")."""
    found = _beyond_longest_wait(text)
    if found is None:
        return None
    return f"{found.days:,} days, longer than the engine waits ({_AT_MOST}, as for a deadline)"


def _length(text: str) -> timedelta | None:
    """The length a duration literal writes, however long (``timedelta.max`` for one longer
    than a timedelta holds); None when ``text`` is no duration literal."""
    text = text.strip()
    if not text or len(text) > 200:
        return None
    try:
        return _iso(text) if text[0] in "Pp" else _quantities(text)
    except OverflowError:  # more days than a timedelta holds
        return timedelta.max


def counts_months_or_years(text: str) -> bool:
    """Whether ``text`` is a duration that counts months or years (``P1M``, ``P1Y2M10D``,
    ``3 months``, ``1 year 2 days``): one with no fixed length, which is not read."""
    text = text.strip()
    if not text or len(text) > 200:
        return False
    if text[0] in "Pp":
        m = _ISO_CALENDAR.fullmatch(text)
        return m is not None and (m.group("y") is not None or m.group("mo") is not None)
    units = [u.lower() for _, u in _QUANTITY.findall(text)]
    calendar = [u for u in units if u in _CALENDAR_UNITS]
    return bool(calendar) and all(u in _CALENDAR_UNITS or u in _UNITS for u in units)


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _iso(text: str) -> timedelta | None:
    m = _ISO.fullmatch(text)
    if m is None or not any(m.groupdict().values()) or text.upper().endswith("T"):
        return None
    parts = {k: _number(v) for k, v in m.groupdict().items() if v is not None}
    return timedelta(
        weeks=parts.get("w", 0.0),
        days=parts.get("d", 0.0),
        hours=parts.get("h", 0.0),
        minutes=parts.get("m", 0.0),
        seconds=parts.get("s", 0.0),
    )


def _quantities(text: str) -> timedelta | None:
    total: dict[str, float] = {}
    pos = 0
    for m in _QUANTITY.finditer(text):
        if text[pos : m.start()].strip(" ,"):
            return None
        unit = _UNITS.get(m.group(2).lower())
        if unit is None or unit in total:
            return None
        total[unit] = _number(m.group(1))
        pos = m.end()
    if not total or text[pos:].strip():
        return None
    return timedelta(**total)


#: a repeating duration (``R/PT1H``, ``R3/PT1H``): a timer's cycle
_REPEATS = re.compile(r"R\d*/(?P<rest>.*)", re.IGNORECASE | re.DOTALL | re.ASCII)


def length_for_moment(text: str) -> str | None:
    """Why ``text``, a timer's ``TimeDate``, is refused for writing a length of time where a
    moment belongs (``PT2H``, ``2 hours``, ``P1M``, ``R/PT1H``: what a ``TimeCycle`` reads),
    saying what to write; None for any other text.

    Why refused by name: read as an expression, ``PT2H`` names a data field there is none
    of, so validation only warned of an unknown name and every instance then stopped at the
    timer on "unknown variable 'PT2H'"; BPMN modellers often write a wait in the date."""
    text = text.strip()
    repeating = _REPEATS.fullmatch(text)
    length = repeating.group("rest").strip() if repeating is not None else text
    found = _length(length)
    if found is None and not counts_months_or_years(length):
        return None
    where = "it is a length of time, where a moment belongs (a TimeDate is the date-time the timer"
    if found is None or found > LONGEST_WAIT:  # (no TimeCycle waits for it either)
        longer = f"is longer than the engine waits, {_AT_MOST}"
        unread = "counts months or years" if found is None else longer
        return (
            f"{where} waits until), and one no timer waits for (it {unread}): write a "
            "date-time (2030-01-05T09:00:00Z) or an expression giving the date "
            "(datetime(2030, 1, 5))"
        )
    return (
        f"{where} waits until): to wait {length} from when the timer is set, write "
        f"{'it' if repeating is None else text} as the timer's TimeCycle instead; for a moment "
        "write a date-time (2030-01-05T09:00:00Z) or an expression giving one, such as "
        f"now() + {_as_timedelta(found)}"
    )


def _as_timedelta(length: timedelta) -> str:
    """``length`` as the expression call that gives it (``timedelta(days=1, hours=2)``)."""
    hours, rest = divmod(length.seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = {"days": length.days, "hours": hours, "minutes": minutes, "seconds": seconds}
    written = [f"{unit}={count}" for unit, count in parts.items() if count]
    if length.microseconds:
        written = [f"seconds={length.total_seconds():g}"]
    return f"timedelta({', '.join(written) or 'seconds=0'})"
