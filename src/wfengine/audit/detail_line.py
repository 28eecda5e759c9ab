"""An audit event's detail as one short line, for the plain-text views of the trail.

The ``audit`` table showed who and where but not what: an ``instance.state`` row did not say
which state the instance went to, an ``application.returned`` row not which application, and a
person reading it had to rerun the listing as JSON. The line keeps to what a person scans for:
a state change first, as ``previous -> state``; then the detail's other entries as
``key=value`` in the order the event recorded them, entries without a value left out and an
application call's idempotency key (``key``, long and of no use when reading) last; values
other than text as JSON. It is cut at a width, ending in ``...``: the whole detail is in the
``csv``, ``jsonl`` and ``xes`` exports, which scripts read. What comes from users and
definitions has its control characters escaped (:func:`~wfengine.one_line.one_line`), as in
every other cell of the table, so a value holding a line break cannot print a forged row.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wfengine.json_text import dumps
from wfengine.one_line import one_line

#: the longest detail line, ``...`` included (the other columns take about 100)
WIDTH = 100

_MORE = "..."

#: entries shown after the others: an application call's idempotency key
_LAST = frozenset({"key"})


def detail_line(detail: Any, width: int = WIDTH) -> str:
    """``detail`` (an event's ``detail``: a mapping, another JSON value, or None) as one line
    of at most ``width`` characters; ``-`` when there is nothing to show."""
    if width < len(_MORE) + 1:
        raise ValueError(f"width must be at least {len(_MORE) + 1}, not {width}")
    if isinstance(detail, Mapping):
        parts = []
        entries = dict(detail)
        state, previous = entries.get("state"), entries.get("previous")
        if isinstance(state, str) and isinstance(previous, str):
            parts.append(f"{previous} -> {state}")
            del entries["state"], entries["previous"]
        shown = [(key, value) for key, value in entries.items() if value is not None]
        shown.sort(key=lambda entry: entry[0] in _LAST)  # (a stable sort keeps the order)
        parts.extend(f"{key}={_value(value)}" for key, value in shown)
        text = one_line(" ".join(parts))
    elif detail is None:
        text = ""
    else:
        text = one_line(_value(detail))
    if not text:
        return "-"
    return text if len(text) <= width else text[: width - len(_MORE)] + _MORE


def _value(value: Any) -> str:
    """A value as a person reads it: text as it is, everything else as compact JSON."""
    if isinstance(value, str):
        return value
    return dumps(value, ensure_ascii=False)
