"""When a value counts as true, and when two are equal, in the C-like dialects (JavaScript, Java).

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

Equality: in both languages a boolean equals no number (``0 === false`` is false, Java's
``Boolean.equals(1)`` too), where Python's ``True == 1`` holds. :func:`strict_equal` is that
test, for ``==`` and ``!=`` and for every search of a value in a list: ``indexOf``,
``lastIndexOf``, ``includes``, ``contains`` and ``in`` (:func:`strict_in`), so that
``[true, false].indexOf(1)`` is ``-1`` as ``flags[0] === 1`` is false.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Any

from wfengine.expressions.context import EvaluationContext


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


def strict_equal(a: Any, b: Any) -> bool:
    """``a == b``, but a boolean equals only a boolean (``True == 1`` does not hold), at
    every depth: lists item by item, records key by key (``[true] == [1]`` held through
    Python's own list comparison). Other values compare as ``==`` does (``1 == 1.0``, as in
    both languages)."""
    kind = a.__class__
    if kind in (list, tuple) and kind is b.__class__:
        return len(a) == len(b) and all(map(strict_equal, a, b))
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(strict_equal(a[k], b[k]) for k in a)
    return (kind is bool) is (b.__class__ is bool) and bool(a == b)


def strict_in(item: Any, container: Any, ctx: EvaluationContext | None = None) -> bool:
    """``item in container`` with :func:`strict_equal` (and NaN found as NaN): a list is
    scanned item by item; a string holds a substring; a set or record (its keys) is looked
    up by hash, which finds ``1`` for ``True``, so a hit on a boolean or number is confirmed
    among the keys, charged to ``ctx`` as the walk it is."""
    if isinstance(container, list | tuple):
        return any(_same_value(element, item) for element in container)
    if isinstance(container, Set | Mapping) and isinstance(item, int | float):
        if item not in container:
            return False
        if ctx is not None:
            ctx.charge(len(container))
        return any(_same_value(key, item) for key in container)
    return item in container


def _same_value(a: Any, b: Any) -> bool:
    """:func:`strict_equal`, and NaN is NaN: ``[NaN].includes(NaN)`` is true in JavaScript,
    as Java's ``contains`` finds it (Python's ``in`` finds only the same NaN object)."""
    return strict_equal(a, b) or (
        a.__class__ is float and b.__class__ is float and a != a and b != b
    )
