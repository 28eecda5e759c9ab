"""Compiling comparisons: chains, ``in``/``not in``, ``is`` against None/True/False.

Chains are Python's in the native language (``0 <= n <= 100`` is a range test). Java and
JavaScript have no chains: their relational operators (``<``, ``<=``, ``>``, ``>=``, ``in``)
bind tighter than ``==`` and ``!=``, and each level reads left to right, so ``approved ==
amount > 100`` is ``approved == (amount > 100)`` there (:meth:`ComparisonCompiler.c_like_chain`);
ordering the true or false of a comparison is refused
(:meth:`ComparisonCompiler.check_c_like_ordering`).

Comparing or looking up containers walks them, so those comparisons charge the work budget by
the size of what they walk; comparing scalars stays free (see :mod:`.context`).
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from wfengine.expressions.c_like import strict_equal, strict_in
from wfengine.expressions.c_like_arithmetic import type_name, zones_message
from wfengine.expressions.compile_base import CompilerBase
from wfengine.expressions.compiled import CONVERTED, Evaluator, constant_evaluator
from wfengine.expressions.context import (
    FREE_TEXT,
    EvaluationContext,
    is_container,
)
from wfengine.expressions.dialects import Dialect
from wfengine.expressions.instants import instants


def _in(a: Any, b: Any) -> bool:
    return a in b


def _not_in(a: Any, b: Any) -> bool:
    return a not in b


def _strict_ne(a: Any, b: Any) -> bool:
    return not strict_equal(a, b)


#: the equalities of the Java and JavaScript dialects, where a boolean equals no number
#: (``0 === false`` is false; Python's ``0 == False`` is true): :mod:`.c_like`, whose
#: :func:`strict_in` is their ``in`` (:func:`_c_like_membership`). The native language's are
#: Python's.
_STRICT: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: strict_equal,
    ast.NotEq: _strict_ne,
}

#: the ordering operators, which take numbers, texts or dates (never a comparison's result
#: in the C-like dialects)
_ORDERING: dict[type[ast.cmpop], str] = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}

_SYMBOLS: dict[type[ast.cmpop], str] = {
    **_ORDERING,
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
}

#: the operators of the equality level in Java and JavaScript, below the relational ones (``is``
#: comes only from a text refused as Python's: :attr:`.syntax.Tree.keyword_problem`)
_EQUALITY = (ast.Eq, ast.NotEq, ast.Is, ast.IsNot)

_LANGUAGE = {Dialect.JAVASCRIPT: "JavaScript", Dialect.JAVA: "Java", Dialect.NATIVE: "Python"}

_COMPARISONS: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: _in,
    ast.NotIn: _not_in,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
}


class ComparisonCompiler(CompilerBase):
    """Comparison chains, membership and identity."""

    def compile_Compare(self, node: ast.Compare) -> Evaluator:
        if self.dialect is not Dialect.NATIVE:
            self.check_c_like_ordering(node)
        ops: list[Callable[[Any, Any, EvaluationContext], Any]] = []
        rights: list[Evaluator] = []
        left_node = node.left
        for cmpop, right_node in zip(node.ops, node.comparators, strict=True):
            if isinstance(cmpop, ast.Is | ast.IsNot):
                self.check_identity(left_node, right_node)
            plain = _COMPARISONS[type(cmpop)]
            if self.dialect is not Dialect.NATIVE:
                plain = _STRICT.get(type(cmpop), plain)
            if isinstance(cmpop, ast.In | ast.NotIn):
                right, constant = self.container(right_node)
                rights.append(right)
                if self.dialect is not Dialect.NATIVE:
                    ops.append(_c_like_membership(isinstance(cmpop, ast.NotIn), constant))
                else:
                    ops.append(_uncharged(plain) if constant else _charged_membership(plain))
            elif isinstance(cmpop, ast.Is | ast.IsNot):
                rights.append(self.compile(right_node))
                ops.append(_uncharged(plain))
            else:
                rights.append(self.compile(right_node))
                symbol = _ORDERING.get(type(cmpop))
                sides = _Sides(
                    _SYMBOLS[type(cmpop)],
                    self.dialect,
                    self.operand(left_node),
                    self.operand(right_node),
                )
                if symbol is not None and self.dialect is not Dialect.NATIVE:
                    ops.append(_c_like_ordering(plain, sides))
                else:
                    ops.append(_charged_comparison(plain, sides))
            left_node = right_node
        fail = self.failure(node)

        if len(ops) > 1 and self.dialect is not Dialect.NATIVE:
            return self.c_like_chain(node, ops, rights, fail)
        if len(ops) > 1:
            first = self.compile(node.left)

            def chain(v: Mapping[str, Any], c: EvaluationContext) -> Any:
                try:
                    a = first(v, c)
                    result: Any = True
                    for compare_op, right_fn in zip(ops, rights, strict=True):
                        b = right_fn(v, c)
                        result = compare_op(a, b, c)
                        if not result:
                            return result
                        a = b
                    return result
                except CONVERTED as exc:
                    raise fail(exc) from exc

            return chain

        op, right = ops[0], rights[0]
        if isinstance(node.left, ast.Name):
            # the shape of most conditions: ``amount > 100``, ``status == 'open'``
            load = self.compile(node.left)
            name = self.variable(node.left)

            def compare_name(v: Mapping[str, Any], c: EvaluationContext) -> Any:
                try:
                    a = v[name]
                except KeyError:
                    a = load(v, c)  # raises the unknown-variable error
                try:
                    return op(a, right(v, c), c)
                except CONVERTED as exc:
                    raise fail(exc) from exc

            return compare_name

        left = self.compile(node.left)

        def compare(v: Mapping[str, Any], c: EvaluationContext) -> Any:
            try:
                return op(left(v, c), right(v, c), c)
            except CONVERTED as exc:
                raise fail(exc) from exc

        return compare

    def c_like_chain(
        self,
        node: ast.Compare,
        ops: list[Callable[[Any, Any, EvaluationContext], Any]],
        rights: list[Evaluator],
        fail: Callable[[BaseException], Exception],
    ) -> Evaluator:
        """A Java or JavaScript comparison of more than one operator, as those languages read it.

        Python's parser gives one chain for ``x > 0 == y > 0``; in Java and JavaScript the
        relational operators bind tighter than ``==`` and ``!=`` (ECMA-262, JLS 15.20-15.21),
        so the chain is cut at each equality: every run of relational operators folds left
        (``a < b in xs`` is ``(a < b) in xs``; ordering a result is refused at compile time,
        :meth:`check_c_like_ordering`), then the equalities fold left over the runs' results:
        ``(x > 0) == (y > 0)``, ``flag == (x in xs)``, ``(a == b) == true``. The dialect's
        ``in`` (no Java operator: the front ends' membership test) binds as JavaScript's.
        """
        operands = [self.compile(node.left), *rights]
        runs: list[Evaluator] = []
        equalities: list[Callable[[Any, Any, EvaluationContext], Any]] = []
        start = 0
        for i, cmpop in enumerate(node.ops):
            if isinstance(cmpop, _EQUALITY):
                runs.append(_run(operands[start], ops[start:i], operands[start + 1 : i + 1]))
                equalities.append(ops[i])
                start = i + 1
        runs.append(_run(operands[start], ops[start:], operands[start + 1 :]))
        return _folded(runs[0], equalities, runs[1:], fail)

    def check_c_like_ordering(self, node: ast.Compare) -> None:
        """Refuse ``<``, ``<=``, ``>``, ``>=`` given the boolean result of a comparison.

        Comparisons do not chain in Java or JavaScript: ``0 <= amount <= 100`` is
        ``(0 <= amount) <= 100``. Java does not compile it (a boolean has no order); JavaScript
        compares ``true`` or ``false`` as 1 or 0 with 100, so the test holds for every amount,
        and Python's chaining (a range test) would be a third meaning. Such a text was meant as
        a range test, which it is in neither language: it is refused (``expression-foreign``
        at deploy time) naming the form that tests the range, rather than silently taking the
        way one of the readings gives. The same holds for an explicit ``(a < b) < c``.
        An ordering operator after ``==`` or ``!=`` takes no comparison's result (the
        relational operators bind tighter: :meth:`c_like_chain`), so ``approved == amount >
        100`` and ``x > 0 == y > 0`` are well-formed, as in both languages.
        """
        language = _LANGUAGE[self.dialect]
        left = node.left
        start = 0  # where the current run of relational operators starts
        for i, (cmpop, right) in enumerate(zip(node.ops, node.comparators, strict=True)):
            if isinstance(cmpop, _EQUALITY):
                start = i + 1
            symbol = _ORDERING.get(type(cmpop))
            if symbol is not None:
                if i > start:
                    self.reject_range(node, start, i, language)
                for operand in (left, right):
                    if isinstance(operand, ast.Compare):
                        self.reject(
                            f"'{symbol}' in {language} does not order the true or false of "
                            f"{self.segment(operand)!r}; compare numbers, texts "
                            "or dates, and join tests with && or ||",
                            operand,
                        )
            left = right

    def reject_range(self, node: ast.Compare, start: int, i: int, language: str) -> None:
        """Refuse the run of relational operators from ``node.ops[start]`` whose operator
        ``i`` orders the result of the ones before it, naming what the text reads as."""
        end = start + 1
        while end < len(node.ops) and not isinstance(node.ops[end], _EQUALITY):
            end += 1
        operands = (node.left, *node.comparators)[start : end + 1]
        words = [self.segment(e) for e in operands]
        for k, op in enumerate(node.ops[start:end]):
            words.insert(2 * k + 1, _SYMBOLS[type(op)])
        cut = 2 * (i - start) + 1
        message = (
            f"comparisons do not chain in {language}: {' '.join(words)!r} reads as "
            f"({' '.join(words[:cut])}) {' '.join(words[cut:])}, which orders true or false"
        )
        if all(type(op) in _ORDERING for op in node.ops[start:end]):
            ranges = [" ".join(words[k : k + 3]) for k in range(0, len(words) - 1, 2)]
            message += f"; for a range write {' && '.join(ranges)!r}"
        else:
            message += "; compare numbers, texts or dates, and join tests with && or ||"
        self.reject(message, node)

    def operand(self, node: ast.expr) -> str:
        """How a message names the operand ``node``: its text, shortened when long."""
        text = " ".join(self.segment(node).split())
        return text if len(text) <= 40 else text[:37] + "..."

    def segment(self, node: ast.expr) -> str:
        """The modeller's text of ``node`` (without brackets around it)."""
        return self.source[self.map.start(node) : self.map.end(node)]

    def check_identity(self, left: ast.expr, right: ast.expr) -> None:
        """``is`` only against ``None``, ``True`` and ``False``, where identity is equality."""
        for side in (right, left):
            known, value = self.constant(side)
            if known and value in (None, True, False) and type(value) in (bool, type(None)):
                return
        self.reject(
            "'is' compares identity; use '==' (only 'is None', 'is True' and 'is False' "
            "are allowed)",
            right,
        )

    def container(self, node: ast.expr) -> tuple[Evaluator, bool]:
        """The right operand of ``in``: a literal list or set of constants is built once (and
        is small: its walk is not charged); True when it is such a constant."""
        if isinstance(node, ast.List | ast.Set):
            items = [self.constant(e) for e in node.elts]
            if all(known for known, _ in items):
                values = [value for _, value in items]
                # constants are hashable, and membership means the same in both
                built = frozenset(values) if isinstance(node, ast.Set) else tuple(values)
                return constant_evaluator(built), True
        known, _ = self.constant(node)
        return self.compile(node), known


def _run(
    first: Evaluator,
    ops: list[Callable[[Any, Any, EvaluationContext], Any]],
    rights: list[Evaluator],
) -> Evaluator:
    """One level of a Java or JavaScript comparison, left to right: ``a < b in xs`` is ``(a <
    b) in xs``. Errors are converted by the :func:`_folded` around it."""
    if not ops:
        return first
    if len(ops) == 1:
        op, right = ops[0], rights[0]

        def compare(v: Mapping[str, Any], c: EvaluationContext) -> Any:
            return op(first(v, c), right(v, c), c)

        return compare

    def run(v: Mapping[str, Any], c: EvaluationContext) -> Any:
        result = first(v, c)
        for compare_op, right_fn in zip(ops, rights, strict=True):
            result = compare_op(result, right_fn(v, c), c)
        return result

    return run


def _folded(
    first: Evaluator,
    ops: list[Callable[[Any, Any, EvaluationContext], Any]],
    rights: list[Evaluator],
    fail: Callable[[BaseException], Exception],
) -> Evaluator:
    """A Java or JavaScript comparison level, left to right as those languages read it: ``a ==
    b == true`` is ``(a == b) == true``; the operands are the relational runs of
    :meth:`ComparisonCompiler.c_like_chain`."""

    def folded(v: Mapping[str, Any], c: EvaluationContext) -> Any:
        try:
            result = first(v, c)
            for compare_op, right_fn in zip(ops, rights, strict=True):
                result = compare_op(result, right_fn(v, c), c)
            return result
        except CONVERTED as exc:
            raise fail(exc) from exc

    return folded


def _uncharged(
    op: Callable[[Any, Any], Any],
) -> Callable[[Any, Any, EvaluationContext], Any]:
    def compare(a: Any, b: Any, c: EvaluationContext) -> Any:
        return op(a, b)

    return compare


@dataclass(frozen=True, slots=True)
class _Sides:
    """A comparison as its messages name it: the operator, the language, both operands."""

    symbol: str
    dialect: Dialect
    left: str
    right: str


def _charged_comparison(
    op: Callable[[Any, Any], Any], sides: _Sides
) -> Callable[[Any, Any, EvaluationContext], Any]:
    """``==``, ``<``...: comparing two containers walks them (through shared parts); two
    times of day, one with an offset and one without, are refused (:func:`_offsets_message`);
    two date-times compare by instant (:func:`~wfengine.expressions.instants.instants`)."""

    def compare(a: Any, b: Any, c: EvaluationContext) -> Any:
        if is_container(a) and is_container(b):
            c.charge(min(c.size_of(a), c.size_of(b)))
        elif a.__class__ is str and b.__class__ is str and len(a) > FREE_TEXT < len(b):
            c.charge(min(len(a), len(b)))  # (both over FREE_TEXT)
        elif a.__class__ is time and b.__class__ is time and _offsets_differ(a, b):
            raise TypeError(_offsets_message(sides, a))
        elif isinstance(a, datetime) and isinstance(b, datetime):
            a, b = instants(a, b)  # (by instant, not a zone's wall clock)
        try:
            return op(a, b)
        except TypeError:
            if sides.symbol not in _ORDERING.values():
                raise
            raise TypeError(_ordering_message(sides, a, b)) from None

    return compare


def _offsets_differ(a: time, b: time) -> bool:
    return (a.utcoffset() is None) is not (b.utcoffset() is None)


def _offsets_message(sides: _Sides, left: time) -> str:
    """Why two times of day, one with an offset and one without, do not compare, naming both
    operands and what to write. Why refused and not Python's answer: ordering them was
    Python's "can't compare offset-naive and offset-aware times", quoted raw in the incident,
    and ``==`` silently false (``09:00Z == 09:00``): a TIME keeps the offset it is given, or
    none (a time in a named zone has none either: its offset depends on the date)."""
    naive, aware = (
        (sides.left, sides.right) if left.utcoffset() is None else (sides.right, sides.left)
    )
    ordering = sides.symbol in _ORDERING.values()
    return (
        f"'{sides.symbol}' in {_LANGUAGE[sides.dialect]} cannot "
        f"{'order' if ordering else 'compare'} {sides.left} {'against' if ordering else 'with'} "
        f"{sides.right}: {aware} is a time of day with an offset and {naive} one without; give "
        "both with an offset (e.g. '09:00Z' for UTC) or both without"
    )


def _c_like_ordering(
    op: Callable[[Any, Any], Any], sides: _Sides
) -> Callable[[Any, Any, EvaluationContext], Any]:
    """``<``, ``<=``, ``>``, ``>=`` of Java and JavaScript, charged as
    :func:`_charged_comparison`; refused between values that have no common order (null and a
    number, text and a number) with a message in the language's words, as ``+`` words its own
    (:func:`~wfengine.expressions.dialects.make_add`), not Python's ``'NoneType' and 'int'``.
    """

    def compare(a: Any, b: Any, c: EvaluationContext) -> Any:
        if is_container(a) and is_container(b):
            c.charge(min(c.size_of(a), c.size_of(b)))
        elif a.__class__ is str and b.__class__ is str and len(a) > FREE_TEXT < len(b):
            c.charge(min(len(a), len(b)))  # (both over FREE_TEXT)
        elif a.__class__ is time and b.__class__ is time and _offsets_differ(a, b):
            raise TypeError(_offsets_message(sides, a))
        elif isinstance(a, datetime) and isinstance(b, datetime):
            a, b = instants(a, b)  # (by instant, not a zone's wall clock)
        try:
            return op(a, b)
        except TypeError:
            raise TypeError(_ordering_message(sides, a, b)) from None

    return compare


#: how each language tests for a field with no value, and converts text to a number
_C_LIKE_NULL_TEST = "a field with no value is null: test it first, e.g. x != null && x > 0"
_NULL_TEST = {
    Dialect.JAVASCRIPT: _C_LIKE_NULL_TEST,
    Dialect.JAVA: _C_LIKE_NULL_TEST,
    Dialect.NATIVE: "a field with no value is None: test it first, e.g. x is not None and x > 0",
}
_CONVERT = {
    Dialect.JAVASCRIPT: "Number(x) or parseInt(x)",
    Dialect.JAVA: "Integer.parseInt(x)",
    Dialect.NATIVE: "int(x) or float(x)",
}


def _ordering_message(sides: _Sides, a: Any, b: Any) -> str:
    """Why ``a symbol b`` has no answer, and what to write instead: in every language, where
    the native one quoted Python's ``'<' not supported between instances of 'str' and
    'NoneType'`` and ``can't compare offset-naive and offset-aware datetimes``. Only reached
    once Python has refused the pair, so the comparisons that have an answer pay nothing."""
    symbol, dialect = sides.symbol, sides.dialect
    what = f"'{symbol}' in {_LANGUAGE[dialect]}"
    if (zones := zones_message(what, sides.left, sides.right, a, b)) is not None:
        return zones
    if _date_against_datetime(a, b):
        # both are dates to the modeller (``due < today()``, a DATETIME field): say which
        # is which and what compares, as the language has no function taking a date part
        kinds = ("a date-time", "a date") if isinstance(a, datetime) else ("a date", "a date-time")
        return (
            f"'{symbol}' in {_LANGUAGE[dialect]} cannot order {kinds[0]} against {kinds[1]}: "
            "compare a DATETIME value with now() or datetime(y, m, d), a DATE value with "
            "today() or date(y, m, d)"
        )
    native = dialect is Dialect.NATIVE
    left, right = ("None" if native and v is None else type_name(v) for v in (a, b))
    message = f"{what} compares two numbers, two texts or two dates, not {left} and {right}"
    if a is None or b is None:
        return f"{message}; {_NULL_TEST[dialect]}"
    if {type_name(a), type_name(b)} in ({"text", "integer"}, {"text", "number"}):
        return message + f"; convert text first, e.g. {_CONVERT[dialect]}"
    return message


def _date_against_datetime(a: Any, b: Any) -> bool:
    """Whether one of ``a`` and ``b`` is a date-time and the other a date without time
    (Python's ``datetime`` is a ``date``: the types are looked at, not ``isinstance``)."""
    kinds = {a.__class__, b.__class__}
    return date in kinds and any(issubclass(k, datetime) for k in kinds)


def _charged_membership(
    op: Callable[[Any, Any], Any],
) -> Callable[[Any, Any, EvaluationContext], Any]:
    """``in``: a list or tuple is scanned (comparing each item); a set or dict hashes the
    item looked for, which walks it when it is a container."""

    def member(a: Any, b: Any, c: EvaluationContext) -> Any:
        if isinstance(b, list | tuple):
            c.charge(c.size_of(b))
        elif b.__class__ is str and len(b) > FREE_TEXT:  # a substring searched for in the text
            c.charge(len(b))
        elif is_container(a):
            c.charge(c.size_of(a))
        return op(a, b)

    return member


def _c_like_membership(
    negated: bool, constant: bool
) -> Callable[[Any, Any, EvaluationContext], Any]:
    """``in`` of the Java and JavaScript dialects (:func:`~wfengine.expressions.c_like.
    strict_in`: ``1 in [true]`` is false), charged as :func:`_charged_membership` unless the
    container is a small constant."""

    def member(a: Any, b: Any, c: EvaluationContext) -> Any:
        if not constant:
            if isinstance(b, list | tuple):
                c.charge(c.size_of(b))
            elif b.__class__ is str and len(b) > FREE_TEXT:
                c.charge(len(b))
            elif is_container(a):
                c.charge(c.size_of(a))
        return strict_in(a, b, None if constant else c) is not negated

    return member
