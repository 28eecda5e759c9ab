"""When a value counts as true in the C-like dialects (JavaScript and Java).

JavaScript tests a value as true unless it is ``false``, ``null``, ``0``, ``-0``, ``NaN`` or
``''``: lists and objects (``[]``, ``{}``) are true. Python's ``bool`` says the opposite for
``NaN`` (true) and for empty lists and records (false), so the idioms of definitions written
for a JavaScript engine took the other way: ``parseFloat(discount) || 0`` gave ``NaN`` (the
readers give NaN where there is no number precisely so that such a default applies), and
``items ? 'some' : 'none'`` gave ``'none'`` for an empty list. The front ends use
:func:`c_like_truth` for ``&&``, ``||``, ``!``, ``c ? a : b`` and ``Boolean(x)``, and
:meth:`~wfengine.expressions.Expression.holds` for the result of a condition.

Java applies ``&&``, ``||``, ``!`` and ``?:`` to booleans only, where every rule agrees; for
the other values its front end (which has no type checker to refuse them) follows JavaScript,
so one definition reads the same in both.
"""

from __future__ import annotations

from typing import Any


def c_like_truth(value: Any) -> bool:
    """``value`` as JavaScript's ``Boolean(value)`` gives it: false for ``false``, ``null``,
    zero, ``NaN`` and ``''``; true for every other value, empty lists and records, dates and
    durations included (objects, which JavaScript tests as true)."""
    if value is True:
        return True
    if value is False or value is None:
        return False
    if isinstance(value, int | float):
        return value == value and value != 0  # NaN is the one number unequal to itself
    if isinstance(value, str):
        return value != ""
    return True
