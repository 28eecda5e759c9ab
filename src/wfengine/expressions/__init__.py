"""The safe expression language of process definitions.

Transition and loop conditions, performer expressions, actual parameters, deadline durations
and initial values are written in one small, Python-like language. A process definition may
come from someone the host application does not trust, so the language is a whitelist
evaluated by compiled closures: no attribute access, no imports, no calls outside a short list
of functions, bounded cost (see :class:`Limits`). Nothing is ever passed to ``eval``.

::

    expr = parse("amount > 100 and status == 'open'")
    expr.names                                       # frozenset({'amount', 'status'})
    expr.evaluate({"amount": 250, "status": "open"})   # True

The language, in short:

* literals: ints, floats, strings, ``True``/``False``/``None``, lists, tuples, dicts, sets;
* names: data fields and parameters, read from the mapping given to ``evaluate``;
* ``+ - * / // % **`` (``%`` on numbers only), comparisons (chained too), ``in``, ``not in``,
  ``is``/``is not`` against ``None``/``True``/``False``, ``and``, ``or``, ``not``,
  ``a if c else b``, subscripts and slices;
* functions: ``len min max abs round int float str bool sum any all sorted``, ``now()``,
  ``today()``, ``date(y, m, d)``, ``datetime(y, m, d[, h, mi, s, us])`` (UTC) and
  ``timedelta(days, seconds, *, minutes, hours, weeks, milliseconds)``, with date arithmetic;
* string methods: ``lower upper strip lstrip rstrip startswith endswith``.

JavaScript spellings common in XPDL 1.0 files (``&&``, ``||``, ``!``, ``===``, ``!==``,
``true``, ``false``, ``null``, a trailing ``;``) are accepted as spellings of this language's
own operators and literals: ``&&`` is ``and``, ``||`` ``or``, ``!`` ``not`` (binding as tightly
as JavaScript's: ``!a == b`` is ``(not a) == b``), ``===`` is ``==`` and ``!==`` ``!=``. Values
are tested and compared as Python does, not with JavaScript's rules: ``x === 1`` holds for
``True``, ``![]`` is true and ``!NaN`` false; definitions whose Script Type is JavaScript or
Java are read by their dialects (below), which follow those languages. Line breaks and ``#``
comments are allowed anywhere between tokens.

* record fields: ``order.total`` reads the field ``total`` of a record (mapping) value.

``parse(text, dialect=Dialect.JAVASCRIPT)`` (or ``JAVA``) reads the expression forms of those
languages that modelling tools write: ``a.equals("x")``, ``s.indexOf("B") != -1``,
``Integer.parseInt(n) > 3``, ``c ? a : b``, ``"n=" + n`` (see :mod:`.dialects`).
"""

from wfengine.expressions.dialects import Dialect
from wfengine.expressions.expression import Expression
from wfengine.expressions.limits import DEFAULT_LIMITS, Limits
from wfengine.expressions.parser import parse
from wfengine.expressions.script_types import (
    NATIVE_SCRIPT_TYPES,
    Language,
    is_native_script,
    language_of,
)

__all__ = [
    "DEFAULT_LIMITS",
    "NATIVE_SCRIPT_TYPES",
    "Dialect",
    "Expression",
    "Language",
    "Limits",
    "is_native_script",
    "language_of",
    "parse",
]
