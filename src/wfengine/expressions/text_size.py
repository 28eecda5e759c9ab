"""How long the text of a container will be, known before the text is built.

``str(x)`` in the native language, ``String(x)``, ``x.toString()`` and ``"" + x`` in the Java
and JavaScript front ends print a whole container. The text can be far larger than the value
in memory: ``[[3**4095] * 447] * 447`` is two lists and one integer, but 390 million
characters of text (each appearance of the 4,095-bit integer prints as 1,954 digits). So the
length of the text is worked out first, without building it, and an evaluation whose budget
it passes is refused before anything is printed.

The length worked out is a *lower bound* of the real one, so nothing that fits is refused,
and a close one, so what passes costs at most a few times the budget to print before the
printed text is charged: an integer by its width (within one digit), a float, a date, a
boolean or None by its own text (short and cheap to make), a string by its length (escapes
in Python's quoting may add to it), the brackets and separators of each container as the
printing form writes them. Each distinct container is measured once (a part repeated n times
is counted n times, measured once), iteratively: no recursion however deep the value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta
from itertools import chain
from typing import Any

from wfengine.expressions.limits import LimitExceeded

#: a little under log10(2), so that digit counts made with it stay lower bounds
_LOG10_2 = 0.301029995

CONTAINERS = (list, tuple, set, frozenset, dict)
#: values whose text is short, bounded and cheap to make: measured by making it
_SHORT = (float, bool, type(None), date, time, timedelta)


def int_digits(value: int) -> int:
    """A lower bound of ``len(str(value))``, at most one short, without converting."""
    bits = value.bit_length()
    digits = 1 if bits <= 1 else int((bits - 1) * _LOG10_2) + 1
    return digits + (value < 0)


@dataclass(frozen=True, slots=True)
class TextStyle:
    """How one printing form writes containers and the values inside them."""

    #: brackets and separators of a container of ``n`` items (a dict's ``n`` is its pairs)
    overhead: Callable[[Any, int], int]
    #: characters a string inside a container adds to its own length (Python's quotes)
    quotes: int
    #: the text of a short value (see ``_SHORT``) inside a container
    short_text: Callable[[Any], str]


def _python_overhead(container: Any, n: int) -> int:
    separators = 2 * max(n - 1, 0)
    if isinstance(container, dict):
        return 2 + separators + 2 * n  # {k: v, ...}
    if isinstance(container, frozenset):
        return 11 + separators  # frozenset({...}) and frozenset()
    if isinstance(container, set):
        return 2 + separators if n else 5  # set()
    if isinstance(container, tuple) and n == 1:
        return 3  # (x,)
    return 2 + separators


#: ``str()`` of the native language: Python's text, with the items inside as ``repr`` writes
PYTHON = TextStyle(_python_overhead, 2, repr)


def c_like_overhead(*, brackets: bool, nulls_printed: bool = False) -> Callable[[Any, int], int]:
    """Java's ``[a, b]`` (``brackets``) or JavaScript's ``a,b`` for lists and tuples; both
    write ``{k=v, ...}`` for a dict, and Python's text for a set. JavaScript's ``join`` prints
    a null item as nothing: the ``null`` counted for it is taken off here, unless
    ``nulls_printed`` (a stored deployment's reading: an earlier wfengine printed ``null``)."""

    def overhead(container: Any, n: int) -> int:
        if isinstance(container, list | tuple):
            if brackets:
                return 2 + 2 * max(n - 1, 0)
            nulls = 0 if nulls_printed else container.count(None)
            return max(n - 1, 0) - len("null") * nulls
        if isinstance(container, dict):
            return 2 + 2 * max(n - 1, 0) + n
        return _python_overhead(container, n)

    return overhead


def check_text_size(value: Any, budget: int, style: TextStyle) -> None:
    """Raise :class:`LimitExceeded` if printing container ``value`` in ``style`` gives more
    than ``budget`` characters; build nothing of the text.

    A container's length is added up child by child and refused as soon as the running
    length passes ``budget``: every child adds to it (a JavaScript list takes the ``null`` of
    each null item off its separators, and the item adds it back), so the first child past
    the budget decides. Adding every child first cost the container's whole length: 2
    seconds for a million items whose first few already passed it. Its children that are
    containers are measured first, then added when it is visited again."""
    sizes: dict[int, int] = {}  # by id: every container measured is held by ``value``
    # (container, the length of its overhead and other children, its unmeasured containers)
    stack: list[tuple[Any, int, list[Any] | None]] = [(value, 0, None)]
    while stack:
        item, size, waiting = stack.pop()
        if waiting is None:
            if id(item) in sizes:
                continue
            size, waiting = _measure(item, budget, style, sizes)
            if waiting:
                stack.append((item, size, waiting))
                stack.extend((c, 0, None) for c in waiting)
                continue
        else:
            for child in waiting:
                size += sizes[id(child)]
                if size > budget:
                    raise _too_long(budget)
        sizes[id(item)] = size


def _measure(
    item: Any, budget: int, style: TextStyle, sizes: dict[int, int]
) -> tuple[int, list[Any]]:
    """The length of ``item``'s brackets and separators and of its children measured
    already, and its children that are containers not yet measured (to add later);
    :class:`LimitExceeded` once that length passes ``budget``."""
    quotes, short_text = style.quotes, style.short_text
    size = style.overhead(item, len(item))
    waiting: list[Any] = []
    for child in chain.from_iterable(item.items()) if isinstance(item, dict) else item:
        if size > budget:
            raise _too_long(budget)
        if isinstance(child, CONTAINERS):
            known = sizes.get(id(child))
            if known is None:
                waiting.append(child)
            else:
                size += known
        elif isinstance(child, str | bytes | bytearray):
            size += len(child) + quotes
        elif isinstance(child, int) and not isinstance(child, bool):
            size += int_digits(child)
        elif isinstance(child, _SHORT):
            size += len(short_text(child))
        else:
            size += 1
    if size > budget:
        raise _too_long(budget)
    return size, waiting


def _too_long(budget: int) -> LimitExceeded:
    """The refusal; with no budget left, it says so rather than "longer than 0 characters"
    (what came before, in the expression or the script, spent it all)."""
    if budget <= 0:
        return LimitExceeded(
            "the text of the value cannot be made: the evaluation's budget is spent (what ran "
            "before it in the expression or script used it all)"
        )
    return LimitExceeded(
        f"the text of the value would be longer than the {budget} characters left in the "
        "evaluation's budget"
    )
