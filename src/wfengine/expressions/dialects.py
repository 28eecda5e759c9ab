"""Dialect front ends: the Java and JavaScript expression forms modelling tools write.

JaWE and Enhydra Shark write conditions in JavaScript (``whereToGo.indexOf('B') != -1``),
Bonita and Shark's Java agents in Java (``status.equals("OK")``), TIBCO in JavaScript with a
trailing ``;``. These front ends map those forms onto the one sandboxed language: the same
parser, the same limits, the same whitelist. Nothing is evaluated as JavaScript or Java;
each form below is a function of :mod:`.functions`' kind, called by the compiled tree.

What a dialect adds to the native language:

* syntax (in :mod:`.lexer`): ``c ? a : b``, ``//`` and ``/* */`` comments (``#`` is not one);
* string concatenation: ``"n=" + 5`` is ``"n=5"`` (``true``, ``null`` and numbers as those
  languages print them, :mod:`.number_text`: JavaScript prints ``2.0`` as ``2`` and
  ``0.00001`` as ``0.00001``, Java as ``2.0`` and ``1.0E-5``);
* Java's integer arithmetic: ``7 / 2`` is ``3`` and ``-7 % 2`` is ``-1`` between integers
  (JavaScript: ``3.5``; both keep the sign of the dividend for ``%``);
* methods on strings (and lists where they have them): ``equals``, ``equalsIgnoreCase``,
  ``compareTo``, ``compareToIgnoreCase``, ``length()``, ``isEmpty``, ``indexOf``,
  ``lastIndexOf``, ``startsWith``, ``endsWith``, ``contains``, ``includes``, ``toUpperCase``,
  ``toLowerCase``, ``trim``, ``substring``, ``charAt``, ``concat``, ``toString``, ``size``,
  ``get``; the property ``s.length``; out of range JavaScript's ``substring`` clamps its
  bounds and ``charAt`` gives ``''`` (:mod:`.js_strings`), where Java's raise (an incident);
  an argument a method does not take (null, a number for a text) is an incident worded one
  way for every method (:func:`.c_like_arithmetic.argument_error`), never Python's;
* static helpers: ``Integer.parseInt``, ``Integer.valueOf``, ``Long.parseLong``,
  ``Double.parseDouble``, ``Float.parseFloat``, ``Boolean.parseBoolean`` (as strict as Java's:
  :mod:`.java_numbers`), ``String.valueOf``,
  ``Math.abs/min/max/round/floor/ceil`` (numbers only, :mod:`.c_like_math`; in Java ``floor``
  and ``ceil`` give a double, as ``min`` and ``max`` do when either argument is one); in
  JavaScript also ``parseInt``,
  ``parseFloat``, ``Number``, ``String``, ``Boolean`` and ``isNaN``.

Deliberate differences: ``==`` compares values without JavaScript's type coercion (``"1" ==
1`` and ``0 == false`` are false), as ``===`` does; ``equals`` on two values of different
types is false; dividing by zero (``/`` or ``%``) is an error, an incident on the instance
(retried once the data is mended), where JavaScript, and Java between floating-point numbers,
give Infinity or NaN: a zero divisor in an instance's data is most often a value not yet
filled in, and Infinity would silently take a way (``total / count > 5`` would hold); there is
no ``new``, no assignment and no statement other than one expression with an optional ``;``;
arithmetic takes numbers only (``"5" * 2`` and ``[1] + [2]`` are errors, and booleans too in
Java: :mod:`.c_like_arithmetic`), never Python's repetition or list sums.

Python's readings do not leak in: Python's keywords other than ``if``, ``else``, ``in``,
``yield`` and ``await`` are plain names (a field ``from``, ``pass`` or ``None``: :mod:`.lexer`),
and only ``true``, ``false`` and ``null`` are literals; ordering a comparison's result
(``0 <= n <= 100``) is refused, equality chains fold left (:mod:`.compile_comparisons`); a
negative index and a slice are errors (:mod:`.compile_access`); adjacent string literals are
not joined.

Every dialect also reads record fields as ``order.total`` (a mapping lookup, never an
attribute of a Python object) and, in the native language, ``datetime.timedelta(...)``,
``datetime.datetime(...)`` and ``datetime.date(...)`` as the functions of those names.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

import wfengine.expressions.c_like_arithmetic as c_like_arithmetic
import wfengine.expressions.c_like_math as c_like_math
import wfengine.expressions.java_numbers as java_numbers
import wfengine.expressions.java_strings as java_strings
import wfengine.expressions.js_numbers as js_numbers
import wfengine.expressions.js_strings as js_strings
import wfengine.expressions.operators as operators
from wfengine.expressions.c_like import c_like_truth, strict_equal, strict_in
from wfengine.expressions.context import (
    FREE_TEXT,
    EvaluationContext,
    charge_affix,
    is_container,
)
from wfengine.expressions.functions import Function, make_function
from wfengine.expressions.instants import instants
from wfengine.expressions.limits import Limits
from wfengine.expressions.number_text import java_double_text, javascript_number_text
from wfengine.expressions.text_size import CONTAINERS, TextStyle, c_like_overhead, check_text_size


class Dialect(StrEnum):
    NATIVE = "native"
    JAVASCRIPT = "javascript"
    JAVA = "java"


_SEQUENCES = (str, list, tuple)
_ANY = (object,)


# --------------------------------------------------------------------------- printing values


def to_string(value: Any, dialect: Dialect, stored: bool = False) -> str:
    """``value`` as JavaScript's ``String(value)`` or Java's ``String.valueOf(value)`` gives it;
    ``stored``: as a stored deployment prints it (an earlier wfengine printed a null item of a
    JavaScript list as ``null``: its instances keep the texts they compared then)."""
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _float_text(value, dialect)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        if dialect is Dialect.JAVASCRIPT:  # join() prints null as nothing: [null, 1] is ",1"
            blank = "null" if stored else ""
            return ",".join(blank if v is None else to_string(v, dialect, stored) for v in value)
        return "[" + ", ".join(to_string(v, dialect, stored) for v in value) + "]"
    if isinstance(value, Mapping):
        pairs = (
            f"{to_string(k, dialect, stored)}={to_string(v, dialect, stored)}"
            for k, v in value.items()
        )
        return "{" + ", ".join(pairs) + "}"
    return str(value)


def _float_text(value: float, dialect: Dialect) -> str:
    if dialect is Dialect.JAVASCRIPT:
        return javascript_number_text(value)
    if dialect is Dialect.JAVA:
        return java_double_text(value)
    return repr(value)


def _text_style(dialect: Dialect, stored: bool) -> TextStyle:
    """How ``to_string`` prints containers, for working out their text's length first."""
    return TextStyle(
        c_like_overhead(brackets=dialect is not Dialect.JAVASCRIPT, nulls_printed=stored),
        0,
        lambda value: to_string(value, dialect, stored),
    )


_TEXT_STYLES = {
    (d, stored): _text_style(d, stored)
    for d in (Dialect.JAVASCRIPT, Dialect.JAVA)
    for stored in (False, True)
}


def _charged_text(ctx: EvaluationContext, value: Any, dialect: Dialect, stored: bool) -> str:
    """``to_string``, refused before printing if a container's text is longer than the
    budget left (:mod:`.text_size`), and charged to the budget."""
    if isinstance(value, CONTAINERS):
        check_text_size(value, ctx.remaining, _TEXT_STYLES[dialect, stored])
    text = to_string(value, dialect, stored)
    ctx.charge(len(text))
    return text


# --------------------------------------------------------------------------- operators


def make_add(dialect: Dialect, stored: bool = False) -> operators.GuardedOperator:
    """``+``: concatenation as soon as one side is a string, else a sum of numbers; ``stored``:
    a stored deployment's, printing values as an earlier wfengine did (:func:`to_string`)."""
    java = dialect is Dialect.JAVA

    def add(a: Any, b: Any, ctx: EvaluationContext) -> Any:
        if isinstance(a, str) or isinstance(b, str):
            left = a if isinstance(a, str) else _charged_text(ctx, a, dialect, stored)
            right = b if isinstance(b, str) else _charged_text(ctx, b, dialect, stored)
            ctx.charge(len(left) + len(right))
            return left + right
        return c_like_arithmetic.numeric_add(java, a, b, ctx)  # [1] + [2] is refused

    return add


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def java_divide(a: Any, b: Any) -> Any:
    """Java's ``/``: integer division truncating toward zero between integers."""
    if _is_int(a) and _is_int(b):
        if b == 0:
            raise ZeroDivisionError("division by zero")
        quotient = abs(a) // abs(b)
        return quotient if (a >= 0) == (b >= 0) else -quotient
    return operators.PLAIN["Div"](a, b)


def remainder(a: Any, b: Any) -> Any:
    """``%`` of Java and JavaScript: the remainder takes the sign of the dividend. By zero it
    is an error, as ``/`` by zero is (a deliberate difference: see the module notes)."""
    if isinstance(a, _SEQUENCES):
        raise TypeError("'%' formatting of strings is not supported; use '+'")
    if _is_int(a) and _is_int(b):
        if b == 0:
            raise ZeroDivisionError("division by zero")
        r = abs(a) % abs(b)
        return -r if a < 0 else r
    if b == 0:  # (math.fmod would say only "math domain error")
        raise ZeroDivisionError("division by zero")
    return math.fmod(a, b)


# --------------------------------------------------------------------------- methods
#
# Methods that walk a list charge the budget as the native operators making the same walk do
# (``==``, ``in``, ``min``: :mod:`.compile_comparisons`, :mod:`.functions`); on strings and
# scalars they cost nothing extra, as there, but for the copies ``lastIndexOf`` makes of the
# strings to search a long one in linear time.


def _charge_scan(ctx: EvaluationContext, a: Any) -> None:
    """A search through a list or tuple compares each item: charge its logical size (``in``);
    one through a long text, its length (:func:`~wfengine.expressions.context.charge_text`)."""
    if isinstance(a, list | tuple):
        ctx.charge(ctx.size_of(a))
    elif a.__class__ is str and len(a) > FREE_TEXT:
        ctx.charge(len(a))


def _charge_hash(ctx: EvaluationContext, key: Any) -> None:
    """Looking a container up in a mapping hashes it, which walks it (``in`` a dict)."""
    if is_container(key):
        ctx.charge(ctx.size_of(key))


def _equals(ctx: EvaluationContext, a: Any, b: Any, /) -> bool:
    if type(a) is not type(b):
        return False
    if is_container(a):  # comparing walks both, as far as the shorter (as ``==`` charges)
        ctx.charge(min(ctx.size_of(a), ctx.size_of(b)))
    elif a.__class__ is str and len(a) > FREE_TEXT < len(b):
        ctx.charge(min(len(a), len(b)))  # (both over FREE_TEXT)
    elif isinstance(a, datetime):
        a, b = instants(a, b)  # (the same instant, not the same wall time)
    return bool(a == b)


def _length(ctx: EvaluationContext, a: Any, /) -> int:
    return len(a)


def _is_empty(ctx: EvaluationContext, a: Any, /) -> bool:
    return len(a) == 0


def _start(method: str, start: Any) -> int:
    """The start of a search, an integer (a float or null was Python's ``'>' not supported``
    or ``slice indices must be integers``)."""
    if not _is_int(start):
        raise c_like_arithmetic.argument_error(method, "an integer as its start", start)
    return int(start)


def _index_of(ctx: EvaluationContext, a: Any, item: Any, start: int = 0, /) -> int:
    start = _start("indexOf", start)
    if isinstance(a, str):
        if not isinstance(item, str):
            raise c_like_arithmetic.argument_error("indexOf", "a string", item)
        _charge_scan(ctx, a)  # a start past the end is the end: ''.indexOf('', 9) is 0
        return a.find(item, min(max(start, 0), len(a)))
    _charge_scan(ctx, a)
    for i in range(max(start, 0), len(a)):
        if strict_equal(a[i], item):  # [true].indexOf(1) is -1
            return i
    return -1


def _earlier_index_of(ctx: EvaluationContext, a: Any, item: Any, start: int = 0, /) -> int:
    """``indexOf`` as a stored deployment reads it: Python's ``find`` from ``start``, so past
    the end nothing is found, not even ``''`` (``'abc'.indexOf('', 10)`` is -1)."""
    if isinstance(a, str) and isinstance(item, str):
        _charge_scan(ctx, a)
        return a.find(item, max(_start("indexOf", start), 0))
    return _index_of(ctx, a, item, start)


#: longest string ``lastIndexOf`` leaves to Python's ``rfind``, which may compare every
#: character of it at every place in the text: ``("a" * 400000).rfind("a" * 100000 + "b" +
#: "a" * 100000)`` runs for seconds (Python's ``find`` has a linear algorithm, ``rfind`` not)
_SHORT_NEEDLE = 8


def _last_index_of(ctx: EvaluationContext, a: Any, item: Any, /) -> int:
    if isinstance(a, str):
        if not isinstance(item, str):
            raise c_like_arithmetic.argument_error("lastIndexOf", "a string", item)
        if len(item) <= _SHORT_NEEDLE:
            _charge_scan(ctx, a)
            return a.rfind(item)
        # the first place of the reversed string in the reversed text, found in linear time;
        # the two reversed copies are charged as the values they are
        ctx.charge(len(a) + len(item))
        found = a[::-1].find(item[::-1])
        return found if found < 0 else len(a) - len(item) - found
    _charge_scan(ctx, a)
    for i in range(len(a) - 1, -1, -1):
        if strict_equal(a[i], item):
            return i
    return -1


def _starts_with(ctx: EvaluationContext, a: str, prefix: str, /) -> bool:
    if not isinstance(prefix, str):  # (Python's startswith would take a tuple)
        raise c_like_arithmetic.argument_error("startsWith", "a string", prefix)
    charge_affix(ctx, a, prefix)
    return a.startswith(prefix)


def _ends_with(ctx: EvaluationContext, a: str, suffix: str, /) -> bool:
    if not isinstance(suffix, str):
        raise c_like_arithmetic.argument_error("endsWith", "a string", suffix)
    charge_affix(ctx, a, suffix)
    return a.endswith(suffix)


def _make_contains(name: str) -> Callable[..., bool]:
    """``contains`` (Java) or ``includes`` (JavaScript), named as written in its errors."""

    def contains(ctx: EvaluationContext, a: Any, item: Any, /) -> bool:
        if isinstance(a, str) and not isinstance(item, str):
            raise c_like_arithmetic.argument_error(name, "a string", item)
        _charge_scan(ctx, a)
        return strict_in(item, a)  # [1, 2].contains(true) is false

    return contains


def _key(method: str, key: Any) -> Any:
    """``key`` if a record can hold it: a list or record is no key (Python's ``unhashable
    type: 'list'``)."""
    if isinstance(key, list | dict | set):
        raise c_like_arithmetic.argument_error(method, "a text or number as the key", key)
    return key


def _contains_key(ctx: EvaluationContext, a: Mapping[Any, Any], key: Any, /) -> bool:
    _charge_hash(ctx, key)
    return _key("containsKey", key) in a


def _to_upper(ctx: EvaluationContext, a: str, /) -> str:
    ctx.charge(len(a))
    return a.upper()


def _to_lower(ctx: EvaluationContext, a: str, /) -> str:
    ctx.charge(len(a))
    return a.lower()


def _substring(ctx: EvaluationContext, a: str, begin: int, end: int | None = None, /) -> str:
    for bound in (begin, end) if end is not None else (begin,):
        if not _is_int(bound):  # (not "substring('1', None) is outside a string")
            raise c_like_arithmetic.argument_error("substring", "integers", bound)
    stop = len(a) if end is None else end
    if not 0 <= begin <= stop <= len(a):
        raise IndexError(f"substring({begin!r}, {end!r}) is outside a string of length {len(a)}")
    ctx.charge(stop - begin)
    return a[begin:stop]


def _char_at(ctx: EvaluationContext, a: str, index: int, /) -> str:
    if not _is_int(index):  # (not "charAt(None) is outside a string")
        raise c_like_arithmetic.argument_error("charAt", "an integer", index)
    if not 0 <= index < len(a):
        raise IndexError(f"charAt({index!r}) is outside a string of length {len(a)}")
    return a[index]


def _concat(ctx: EvaluationContext, a: str, b: str, /) -> str:
    if not isinstance(b, str):
        raise c_like_arithmetic.argument_error("concat", "a string", b)
    ctx.charge(len(a) + len(b))
    return a + b


def c_like_item(container: Any, key: Any, java: bool) -> Any:
    """``container[key]`` (``a[i]``, ``a.get(i)``) as Java and JavaScript index a text or list:
    from 0 only, an index past either end an incident naming the length (Python read
    ``items[n - 1]`` with ``n`` 0 as the last item; JavaScript's undefined has no value here),
    a boolean none; a whole-number double is its int in JavaScript, an incident naming
    ``Math.round`` in Java (where it does not compile). Records are looked up by key."""
    if isinstance(container, _SEQUENCES):
        key = key if key.__class__ is int else _c_like_index(key, container, java)
        if key.__class__ is int and not 0 <= key < len(container):  # (not Python's messages)
            shown = key if key.bit_length() <= 1024 else "of over 300 digits"  # (str limit)
            kind = c_like_arithmetic.type_name(container)
            raise IndexError(
                f"index {shown} is outside a {kind} of length {len(container)} (Java and "
                "JavaScript count from 0)"
            )
    return container[key]


def _c_like_index(key: Any, container: Any, java: bool) -> Any:
    """The index ``key`` (not an int) stands for in a text or list, or the error to raise."""
    kind = c_like_arithmetic.type_name(container)
    if key.__class__ is not float:  # (Python's "list indices must be integers" named none)
        hint = c_like_arithmetic.NULL_HINT if key is None else ""
        raise TypeError(f"a {kind} index is a number, not {c_like_arithmetic.type_name(key)}{hint}")
    shown = "NaN" if key != key else repr(key).replace("inf", "Infinity")  # as both print it
    if java:
        raise TypeError(
            f"a {kind} index in Java is an int, not the double {shown} (a double index does "
            "not compile there); convert it, e.g. Math.round(i)"
        )
    if key.is_integer():
        return int(key)
    raise IndexError(
        f"index {shown} is not a whole number, so a {kind} has no item there (JavaScript "
        "gives undefined); round it first, e.g. Math.floor(i)"
    )


def _get(ctx: EvaluationContext, a: Any, key: Any, java: bool) -> Any:
    """``map.get(key)`` (null when absent); ``list.get(i)`` as ``list[i]`` (:func:`c_like_item`:
    ``items.get(n - 1)`` with ``n`` 0 read the last item)."""
    if isinstance(a, Mapping):
        _charge_hash(ctx, key)
        return a.get(_key("get", key))
    return c_like_item(a, key, java)


def _methods(dialect: Dialect, stored: bool) -> dict[str, Function]:
    """Where the languages differ out of range (``substring``, ``charAt``), each its own;
    ``stored``: as a stored deployment reads them (:func:`_earlier_methods`)."""
    js = dialect is Dialect.JAVASCRIPT
    to_text: Callable[..., str] = lambda ctx, a, /: _charged_text(  # noqa: E731
        ctx, a, dialect, stored
    )
    get: Callable[..., Any] = lambda ctx, a, key, /: _get(ctx, a, key, not js)  # noqa: E731
    listing = (list, tuple)
    comparable = (str, int, float, date, timedelta)
    table = [
        make_function("equals", _equals, receivers=_ANY),
        make_function("equalsIgnoreCase", java_strings.equals_ignore_case, uses_context=True),
        make_function("compareTo", java_strings.compare_to, receivers=comparable),
        make_function(
            "compareToIgnoreCase", java_strings.compare_to_ignore_case, uses_context=True
        ),
        make_function("length", _length, receivers=(str, list, tuple)),
        make_function("isEmpty", _is_empty, receivers=(str, list, tuple, dict)),
        make_function("size", _length, receivers=(list, tuple, dict)),
        make_function("indexOf", _index_of, receivers=(str, *listing)),
        make_function("lastIndexOf", _last_index_of, receivers=(str, *listing)),
        make_function("startsWith", _starts_with),
        make_function("endsWith", _ends_with),
        make_function("contains", _make_contains("contains"), receivers=(str, *listing)),
        make_function("includes", _make_contains("includes"), receivers=(str, *listing)),
        make_function("containsKey", _contains_key, receivers=(dict,)),
        make_function("get", get, receivers=(dict, *listing)),
        make_function("toUpperCase", _to_upper, uses_context=True),
        make_function("toLowerCase", _to_lower, uses_context=True),
        make_function("trim", java_strings.make_trim(java=not js), uses_context=True),
        make_function("substring", js_strings.substring if js else _substring, uses_context=True),
        make_function("charAt", js_strings.char_at if js else _char_at),
        make_function("concat", _concat, uses_context=True),
        make_function("toString", to_text, uses_context=True, receivers=_ANY),
    ]
    found = {f.name: f for f in table}
    if stored:
        found.update({f.name: f for f in _earlier_methods(comparable, listing)})
    return found


def _earlier_methods(comparable: tuple[type, ...], listing: tuple[type, ...]) -> list[Function]:
    """The methods whose reading changed, as the wfengine that stored a deployment read them
    (:data:`CHANGED_METHODS`): its running instances keep the branches they took."""
    return [
        make_function(
            "equalsIgnoreCase", java_strings.earlier_equals_ignore_case, uses_context=True
        ),
        make_function("compareTo", java_strings.earlier_compare_to, receivers=comparable),
        make_function(
            "compareToIgnoreCase", java_strings.earlier_compare_to_ignore_case, uses_context=True
        ),
        make_function("indexOf", _earlier_index_of, receivers=(str, *listing)),
        make_function("trim", java_strings.earlier_trim, uses_context=True),
    ]


#: the methods a stored deployment reads as an earlier wfengine did, and what changed
CHANGED_METHODS: dict[str, str] = {
    "equalsIgnoreCase": "folded whole texts as Python's casefold() ('Straße' equals "
    "'STRASSE'), where Java compares character by character",
    "compareTo": "gave only the sign of a text comparison (-1, 0 or 1), where Java gives the "
    "difference of the first characters that differ ('c'.compareTo('a') is 2)",
    "compareToIgnoreCase": "gave only the sign, of whole texts folded as Python's casefold() "
    "does, where Java gives the difference of characters compared one by one",
    "indexOf": "found nothing from a start past the end, not even '' ('abc'.indexOf('', 10) "
    "was -1; now 3)",
    "trim": "stripped every Unicode space, where Java strips the characters up to U+0020 and "
    "JavaScript its own set (with U+FEFF)",
}

METHODS: dict[Dialect, dict[str, Function]] = {
    Dialect.JAVASCRIPT: _methods(Dialect.JAVASCRIPT, False),
    Dialect.JAVA: _methods(Dialect.JAVA, False),
}
_STORED_METHODS: dict[Dialect, dict[str, Function]] = {
    Dialect.JAVASCRIPT: _methods(Dialect.JAVASCRIPT, True),
    Dialect.JAVA: _methods(Dialect.JAVA, True),
}


def methods(dialect: Dialect, stored: bool = False) -> dict[str, Function]:
    """The value methods of ``dialect`` (none of its own for the native language);
    ``stored``: as a stored deployment reads them."""
    return (_STORED_METHODS if stored else METHODS).get(dialect, {})


# --------------------------------------------------------------------------- static helpers


def _js_boolean(ctx: EvaluationContext, value: Any, /) -> bool:
    return c_like_truth(value)  # Boolean(NaN) is false, Boolean([]) and Boolean({}) true


def _statics(dialect: Dialect, limits: Limits, stored: bool) -> dict[str, Function]:
    """The static helpers of Java's classes (JavaScript reads them too), and ``Math``'s
    (:mod:`.c_like_math`)."""
    java = dialect is Dialect.JAVA
    to_text: Callable[..., str] = lambda ctx, a, /: _charged_text(  # noqa: E731
        ctx, a, dialect, stored
    )
    table = {
        **{
            name: make_function(name, java_numbers.make_parse_int(limits, name))
            for name in ("Integer.parseInt", "Integer.valueOf", "Long.parseLong", "Long.valueOf")
        },
        **{
            name: make_function(name, java_numbers.make_parse_double(name))
            for name in ("Double.parseDouble", "Double.valueOf", "Float.parseFloat")
        },
        "Boolean.parseBoolean": make_function("Boolean.parseBoolean", java_numbers.parse_boolean),
        "String.valueOf": make_function("String.valueOf", to_text, uses_context=True),
    }
    for name, impl in c_like_math.math_functions(java, stored).items():
        table[name] = make_function(name, impl)
    return table


def _globals(dialect: Dialect, limits: Limits, stored: bool) -> dict[str, Function]:
    """Plain function names a dialect adds to the native ones."""
    if dialect is not Dialect.JAVASCRIPT:
        return {}
    to_text: Callable[..., str] = lambda ctx, a, /: _charged_text(  # noqa: E731
        ctx, a, dialect, stored
    )
    table = [
        make_function("parseInt", js_numbers.make_parse_int(limits)),
        make_function("parseFloat", js_numbers.parse_float),
        make_function("Number", js_numbers.number),
        make_function("String", to_text, uses_context=True),
        make_function("Boolean", _js_boolean),
        make_function("isNaN", js_numbers.is_nan),
    ]
    return {f.name: f for f in table}


def statics(dialect: Dialect, limits: Limits, stored: bool = False) -> dict[str, Function]:
    """``Class.method`` helpers by qualified name (the native language has datetime's);
    ``stored``: as a stored deployment reads them (:func:`.c_like_math.math_functions`)."""
    if dialect is Dialect.NATIVE:
        return {}
    return _statics(dialect, limits, stored)


def extra_functions(dialect: Dialect, limits: Limits, stored: bool = False) -> dict[str, Function]:
    """Plain functions ``dialect`` adds; ``stored``: as a stored deployment reads them."""
    return _globals(dialect, limits, stored)


#: qualified names the native language reads as its own functions (as Python files write)
NATIVE_ALIASES: dict[str, str] = {
    "datetime.timedelta": "timedelta",
    "datetime.datetime": "datetime",
    "datetime.date": "date",
}
