"""Duration literals in deadlines: ISO 8601 (``PT10M``) and what people type (``3 days``).

Deadline durations are expressions in XPDL, but tools and people mostly write a literal:
ISO 8601 durations (``P1DT2H30M``, ``PT45S``, ``P2W``) or a quantity with a unit (``3 days``,
``10 s``, ``1h 30min``, ``2 weeks``; the WfMC 1.0 sample writes ``5 days``). Validation and
the engine read them with this one function, so what validation accepts as a duration is
what the engine waits for. Months and years are not durations of fixed length and are not
read here (an expression can compute a date instead).
"""

from __future__ import annotations

import re
from datetime import timedelta

_ISO = re.compile(
    r"P(?:(?P<w>\d+(?:[.,]\d+)?)W)?(?:(?P<d>\d+(?:[.,]\d+)?)D)?"
    r"(?:T(?:(?P<h>\d+(?:[.,]\d+)?)H)?(?:(?P<m>\d+(?:[.,]\d+)?)M)?(?:(?P<s>\d+(?:[.,]\d+)?)S)?)?",
    re.IGNORECASE,
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

_QUANTITY = re.compile(r"(\d+(?:[.,]\d+)?)\s*([A-Za-z]+)")

#: longest duration read (the largest timedelta Python holds is about 2.7 million years)
MAX_DURATION = timedelta(days=365_000)


def parse_duration(text: str) -> timedelta | None:
    """The duration ``text`` writes, or None when it is not a duration literal.

    A literal longer than :data:`MAX_DURATION` is not read as one either.
    """
    text = text.strip()
    if not text or len(text) > 200:
        return None
    try:
        found = _iso(text) if text[0] in "Pp" else _quantities(text)
    except OverflowError:  # more days than a timedelta holds
        return None
    if found is None or found > MAX_DURATION:
        return None
    return found


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
