"""Why an ISO 8601 date-time whose date is well written is none: its time of day or zone.

A timer's ``TimeDate`` (:func:`~wfengine.definition.reading.read_moment`) and a process's
``ValidFrom`` / ``ValidTo`` (:mod:`~wfengine.definition.validity`) are read by
:mod:`~wfengine.definition.iso_moments` (Python's ``fromisoformat``, every version alike),
which refuses an hour of 24 (xs:dateTime's end of a day), a leap second,
a lowercase ``z``, a zone written as a name (`` UTC``) and an offset of a day or more. The
message for such a text told its writer to "write the month and day with two digits", which
they had: this names the part that is wrong instead, and what to write.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

#: a well-written date, what separates it from a time, and the rest
_DATE_THEN_TIME = re.compile(r"(?P<date>\d{4}-\d{2}-\d{2})[Tt ](?P<rest>.*)", re.DOTALL)
#: a time of day in the extended format (digits counted loosely, to be named), then a zone
_TIME = re.compile(
    r"(?P<h>\d{1,2})(?::(?P<m>\d{1,2})(?::(?P<s>\d{1,2})(?P<f>[.,]\d+)?)?)?(?P<zone>.*)",
    re.DOTALL,
)
#: a UTC offset, its hours and minutes
_OFFSET = re.compile(r"[+-](?P<h>\d{2})(?::?(?P<m>\d{2}))?")


def time_part_problem(text: str) -> str | None:
    """What is wrong with the time or zone of ``text``, a date-time ``fromisoformat`` refused
    whose date (``YYYY-MM-DD``, then ``T`` or a space) is a real day; None when its date is
    not written so (the date is to blame, or it is no date-time at all)."""
    found = _DATE_THEN_TIME.fullmatch(text.strip())
    if found is None:
        return None
    try:
        day = date.fromisoformat(found["date"])
    except ValueError:
        return None
    written = f"{day.isoformat()}T09:00:00Z"
    clock = _TIME.fullmatch(found["rest"])
    if clock is None:
        return f"its time of day is not ISO 8601 hours:minutes:seconds: write {written}"
    return (
        _clock_problem(day, clock)
        or _zone_problem(clock["zone"])
        or (f"its time of day or zone is not ISO 8601: write {written}")
    )


def _clock_problem(day: date, clock: re.Match[str]) -> str | None:
    """What is wrong with the hours, minutes and seconds, if anything."""
    h, m, s = (int(clock[k]) if clock[k] else 0 for k in ("h", "m", "s"))
    if h == 24 and m == s == 0 and not (clock["f"] or "").strip(".,0"):
        try:
            nxt = f"{(day + timedelta(days=1)).isoformat()}T00:00:00"
        except OverflowError:
            return (
                f"24:00, the end of a day, is written as the next day's 00:00, and "
                f"{day.isoformat()} is the last day the engine holds: write "
                f"{day.isoformat()}T23:59:59"
            )
        zone = clock["zone"]
        if zone in ("", "z"):  # (a lowercase z: the Z suggested mends it as well)
            zone = "Z"
        wrong_zone = _zone_problem(zone)
        if wrong_zone is not None:
            # the zone is copied into the text suggested only when it is one that is read:
            # else the writer is told to write what is refused again (' UTC', '+25:00')
            return (
                f"24:00, the end of a day, is written as the next day's 00:00 ({nxt}Z in "
                f"UTC), and {wrong_zone}"
            )
        return f"24:00, the end of a day, is written as the next day's 00:00: {nxt}{zone}"
    if h > 23:
        return f"its hour ({h}) is above 23"
    if m > 59:
        return f"its minute ({m}) is above 59"
    if s == 60:
        return "a leap second (:60) is not read: write :59"
    if s > 60:
        return f"its second ({s}) is above 59"
    if any(clock[k] and len(clock[k]) != 2 for k in ("h", "m", "s")):
        return f"write the hours, minutes and seconds with two digits: {h:02d}:{m:02d}:{s:02d}"
    return None


def _zone_problem(zone: str) -> str | None:
    """What is wrong with the zone after the time, if anything."""
    if zone in ("", "Z"):
        return None
    if zone == "z":
        return "write its zone as an upper-case Z, or +00:00"
    offset = _OFFSET.fullmatch(zone)
    if offset is None:
        return (
            f"its zone ({zone.strip()!r}) is not ISO 8601: write Z for UTC, or an offset such "
            "as +01:00, right after the time"
        )
    if int(offset["h"]) > 23 or int(offset["m"] or 0) > 59:
        return (
            f"its UTC offset ({zone}) is out of range: an offset is less than a day "
            "(the world's zones run from -12:00 to +14:00)"
        )
    return None
