"""Compiling operators: ``and``/``or``/``not``, unary and binary arithmetic, ``a if c else b``.

In the Java and JavaScript dialects ``&&``, ``||``, ``!`` and ``c ? a : b`` test values as
JavaScript does (:mod:`.c_like`: NaN is false, empty lists and records true), not as Python;
in Java an int branch of ``c ? a : b`` beside a double one is widened, as there
(:meth:`OperatorCompiler.java_double`), but in a deployment an earlier wfengine stored, which
keeps its reading (noted: :mod:`.compile_stored_notes`).

Arithmetic that can build large values (``+`` and ``*`` on sequences, ``**``) goes through the
guarded operators of :mod:`.operators` (or a dialect's), which charge the work budget; a plain
operator is used where a constant operand shows nothing large can come of it. An integer that
``+``, ``-``, ``*`` or ``**`` makes wider than ``max_int_bits`` is an evaluation error, as is
one the guards refuse before computing it: no expression yields an integer the stores refuse.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from typing import Any

import wfengine.expressions.c_like_arithmetic as c_like_arithmetic
import wfengine.expressions.dialects as dialects
import wfengine.expressions.instants as instants
import wfengine.expressions.operators as operators
from wfengine.errors import ExpressionEvaluationError
from wfengine.expressions.c_like import c_like_truth
from wfengine.expressions.compile_stored_notes import StoredNotes
from wfengine.expressions.compiled import CONVERTED, Evaluator
from wfengine.expressions.context import EvaluationContext
from wfengine.expressions.dialects import Dialect
from wfengine.expressions.limits import LimitExceeded

_UNSUPPORTED_OPERATORS: dict[type[ast.AST], str] = {
    ast.BitOr: "'|' is not supported (for a logical or, write 'or' or '||')",
    ast.BitAnd: "'&' is not supported (for a logical and, write 'and' or '&&')",
    ast.BitXor: "'^' is not supported",
    ast.LShift: "'<<' is not supported",
    ast.RShift: "'>>' is not supported",
    ast.MatMult: "'@' is not supported",
    ast.Invert: "'~' is not supported",
}

#: ``-``, ``/``, ``//`` and ``%`` of Java (``True``) and JavaScript: numbers only
_C_LIKE_PLAIN: dict[type[ast.operator], Callable[[bool], operators.PlainOperator]] = {
    ast.Sub: lambda java: c_like_arithmetic.make_plain("-", java, instants.minus),
    ast.Div: lambda java: c_like_arithmetic.make_plain(
        "/", java, dialects.java_divide if java else operator.truediv
    ),
    ast.FloorDiv: lambda java: c_like_arithmetic.make_plain("//", java, operator.floordiv),
    ast.Mod: lambda java: c_like_arithmetic.make_plain("%", java, dialects.remainder),
}

#: the operators whose integer result can be wider than their operands
_WIDENING = (ast.Add, ast.Sub, ast.Mult, ast.Pow)


class OperatorCompiler(StoredNotes):
    """Boolean, unary, binary and conditional operators."""

    def compile_BoolOp(self, node: ast.BoolOp) -> Evaluator:
        fns = [self.compile(value) for value in node.values]
        if self.dialect is not Dialect.NATIVE:
            return _c_like_bool_op(fns, isinstance(node.op, ast.And))
        if isinstance(node.op, ast.And):
            if len(fns) == 2:
                first, second = fns

                def and2(v: Mapping[str, Any], c: EvaluationContext) -> Any:
                    a = first(v, c)
                    return second(v, c) if a else a

                return and2

            def and_(v: Mapping[str, Any], c: EvaluationContext) -> Any:
                result = None
                for fn in fns:
                    result = fn(v, c)
                    if not result:
                        return result
                return result

            return and_
        if len(fns) == 2:
            first, second = fns

            def or2(v: Mapping[str, Any], c: EvaluationContext) -> Any:
                a = first(v, c)
                return a if a else second(v, c)

            return or2

        def or_(v: Mapping[str, Any], c: EvaluationContext) -> Any:
            result = None
            for fn in fns:
                result = fn(v, c)
                if result:
                    return result
            return result

        return or_

    def compile_UnaryOp(self, node: ast.UnaryOp) -> Evaluator:
        operand = self.compile(node.operand)
        if isinstance(node.op, ast.Not):
            if self.dialect is not Dialect.NATIVE:

                def c_like_not(v: Mapping[str, Any], c: EvaluationContext) -> bool:
                    return not c_like_truth(operand(v, c))

                return c_like_not

            def not_(v: Mapping[str, Any], c: EvaluationContext) -> bool:
                return not operand(v, c)

            return not_
        if isinstance(node.op, ast.Invert):
            self.reject(_UNSUPPORTED_OPERATORS[ast.Invert], node)
        op = operator.neg if isinstance(node.op, ast.USub) else operator.pos
        fail = self.failure(node)

        def unary(v: Mapping[str, Any], c: EvaluationContext) -> Any:
            try:
                return op(operand(v, c))
            except CONVERTED as exc:
                raise fail(exc) from exc

        return unary

    def compile_BinOp(self, node: ast.BinOp) -> Evaluator:
        kind = type(node.op)
        if kind in _UNSUPPORTED_OPERATORS:
            self.reject(_UNSUPPORTED_OPERATORS[kind], node)
        left, right = self.compile(node.left), self.compile(node.right)
        fail = self.failure(node)
        guarded: operators.GuardedOperator | None = None
        plain: operators.PlainOperator
        c_like = self.dialect is not Dialect.NATIVE
        java = self.dialect is Dialect.JAVA
        if kind is ast.Add:
            if c_like:
                guarded = dialects.make_add(self.dialect, self.stored)  # "n=" + 5 concatenates
                self.note_stored_printing([node.left, node.right])
            elif self.numeric_constant(node.left) or self.numeric_constant(node.right):
                plain = operator.add  # a number plus anything is never a long sequence
            else:
                guarded = operators.add
        elif kind is ast.Mult:
            if c_like:  # numbers only: never Python's repetition of text or lists
                guarded = c_like_arithmetic.make_multiply(java, self.multiply)
            elif self.float_constant(node.left) or self.float_constant(node.right):
                plain = operator.mul  # nothing repeats a float number of times
            else:
                guarded = self.multiply
        elif kind is ast.Pow:
            plain = self.power
        elif c_like:
            plain = _C_LIKE_PLAIN[kind](java)
        elif kind is ast.Sub and self.numeric_constant(node.right):
            plain = operator.sub  # (no date-time less a number: nothing to take by instant)
        else:
            plain = operators.PLAIN[kind.__name__]

        if guarded is not None:
            self.uses_context = True
            op3 = guarded
            max_bits = self.limits.max_int_bits

            def binop_guarded(v: Mapping[str, Any], c: EvaluationContext) -> Any:
                try:
                    result = op3(left(v, c), right(v, c), c)
                    if result.__class__ is int and result.bit_length() > max_bits:
                        raise LimitExceeded(f"integer result wider than {max_bits} bits")
                    return result
                except CONVERTED as exc:
                    raise fail(exc) from exc

            return binop_guarded

        op2 = plain
        if kind in _WIDENING:
            max_bits = self.limits.max_int_bits

            def binop_widening(v: Mapping[str, Any], c: EvaluationContext) -> Any:
                try:
                    result = op2(left(v, c), right(v, c))
                    if result.__class__ is int and result.bit_length() > max_bits:
                        raise LimitExceeded(f"integer result wider than {max_bits} bits")
                    return result
                except CONVERTED as exc:
                    raise fail(exc) from exc

            return binop_widening

        def binop(v: Mapping[str, Any], c: EvaluationContext) -> Any:
            try:
                return op2(left(v, c), right(v, c))
            except CONVERTED as exc:
                raise fail(exc) from exc

        return binop

    def float_constant(self, node: ast.expr) -> bool:
        known, value = self.constant(node)
        return known and type(value) is float

    def numeric_constant(self, node: ast.expr) -> bool:
        known, value = self.constant(node)
        return known and type(value) in (int, float, bool)

    def compile_IfExp(self, node: ast.IfExp) -> Evaluator:
        if self.dialect is not Dialect.NATIVE and self.map.start(node.test) > self.map.start(
            node.body
        ):  # (``c ? a : b`` and ``if (c) {a} else {b}`` are read with the test first)
            language = "Java" if self.dialect is Dialect.JAVA else "JavaScript"
            self.reject(
                f"'a if c else b' is Python's conditional, not {language}'s; write 'c ? a : b'",
                node,
            )
        test, body, orelse = (self.compile(n) for n in (node.test, node.body, node.orelse))
        if self.dialect is Dialect.JAVA:  # an int branch beside a double one is a double
            body_double, orelse_double = self.java_double(node.body), self.java_double(node.orelse)
            if self.stored and (body_double is None) != (orelse_double is None):
                self.note_stored_promotion(node)  # (read as the deploying wfengine did)
            elif orelse_double is not None and body_double is None:
                body = _promoted(body, orelse_double, self.failure(node.body))
            elif body_double is not None and orelse_double is None:
                orelse = _promoted(orelse, body_double, self.failure(node.orelse))
        if self.dialect is not Dialect.NATIVE:

            def c_like_if(v: Mapping[str, Any], c: EvaluationContext) -> Any:
                return body(v, c) if c_like_truth(test(v, c)) else orelse(v, c)

            return c_like_if

        def if_(v: Mapping[str, Any], c: EvaluationContext) -> Any:
            return body(v, c) if test(v, c) else orelse(v, c)

        return if_

    def java_double(self, node: ast.expr) -> frozenset[str] | None:
        """When ``node`` is a ``double`` in Java, as far as the text tells: None when it may
        not be one, else the fields that must hold numbers for it to be one (none: it always
        is). A double is a literal such as ``7.5``, a call that always gives one
        (``Math.floor``, ``Double.parseDouble``), ``-``, ``*``, ``/`` or ``%`` with such an
        operand, a ``+`` of one to numbers (:meth:`java_double_sum`), a conditional with such
        a branch, and ``Math.max``, ``min`` or ``abs`` of one. A field alone is never taken
        as one (the expression is compiled without the definition), so ``c ? n : x`` of an
        INTEGER and a FLOAT field gives the value of the branch taken as it is."""
        known, value = self.constant(node)
        if known:
            return _ALWAYS if type(value) is float else None
        if isinstance(node, ast.UnaryOp):
            return self.java_double(node.operand)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.java_double_sum(node)
        if isinstance(node, ast.BinOp):
            return _either(self.java_double(node.left), self.java_double(node.right))
        if isinstance(node, ast.IfExp):
            return _either(self.java_double(node.body), self.java_double(node.orelse))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = self.qualified(node.func)
            if name in _JAVA_DOUBLE_CALLS:
                return _ALWAYS
            if name in _JAVA_WIDENING_CALLS:
                return _either(*map(self.java_double, node.args))
        return None

    def java_double_sum(self, node: ast.BinOp) -> frozenset[str] | None:
        """When the ``+`` of ``node`` adds numbers to a ``double`` (``0.1 + 0.2``, ``x + 0.5``
        of a number ``x``) rather than joining text (``"a" + 1.5``, ``x + 0.5`` of a STRING
        ``x``): an operand is a double and neither is text."""
        numbers = _both(self.java_not_text(node.left), self.java_not_text(node.right))
        return _both(numbers, _either(self.java_double(node.left), self.java_double(node.right)))

    def java_not_text(self, node: ast.expr) -> frozenset[str] | None:
        """When ``node`` is no text, as far as the text tells: None when it may be text
        whatever the fields hold (a string literal, a call or method such as ``s.trim()``, a
        member or element), else the fields that must hold numbers (a field alone: its type
        is not known when compiling). A sign (``-n``) and other arithmetic than ``+`` take
        numbers only; a ``+`` or conditional is no text when its operands are not."""
        known, value = self.constant(node)
        if known:
            return None if isinstance(value, str) else _ALWAYS
        if isinstance(node, ast.Name):
            return frozenset({self.variable(node)})
        if isinstance(node, ast.UnaryOp) or (
            isinstance(node, ast.BinOp) and not isinstance(node.op, ast.Add)
        ):
            return _ALWAYS
        if isinstance(node, ast.BinOp):
            return _both(self.java_not_text(node.left), self.java_not_text(node.right))
        if isinstance(node, ast.IfExp):
            return _both(self.java_not_text(node.body), self.java_not_text(node.orelse))
        return self.java_double(node)


#: a double whatever the fields hold
_ALWAYS: frozenset[str] = frozenset()


def _either(*conditions: frozenset[str] | None) -> frozenset[str] | None:
    """A double when any of ``conditions`` holds: the one asking least (any one is enough,
    so widening on it never widens where Java would not)."""
    known = [c for c in conditions if c is not None]
    return min(known, key=len) if known else None


def _both(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    return None if a is None or b is None else a | b


#: Java calls that give a ``double`` whatever their argument
_JAVA_DOUBLE_CALLS = frozenset(
    {"Math.floor", "Math.ceil", "Double.parseDouble", "Double.valueOf", "Float.parseFloat"}
)
#: Java calls that give a ``double`` when an argument is one
_JAVA_WIDENING_CALLS = frozenset({"Math.max", "Math.min", "Math.abs"})


def _promoted(
    branch: Evaluator,
    numbers: frozenset[str],
    fail: Callable[[BaseException], ExpressionEvaluationError],
) -> Evaluator:
    """``branch``, its int value widened to a double: Java's ``c ? 10 : 7.5`` is a double
    whichever branch is taken (JLS 15.25), so ``(vip ? 10 : 7.5) / 4`` is 2.5 and ``"rate=" +
    (vip ? 10 : 7.5)`` is ``rate=10.0``, where an int divided as integers and printed as 10.
    Only when the fields ``numbers`` hold numbers: ``vip ? 1 : x + 0.5`` is a double for a
    number ``x``, but joins text for a STRING one, and Java then keeps the int. Those fields
    are read, never the other branch evaluated (it may fail, or cost, where not taken)."""

    def promoted(v: Mapping[str, Any], c: EvaluationContext) -> Any:
        value = branch(v, c)
        if value.__class__ is not int:
            return value
        if any(v.get(name).__class__ not in (int, float) for name in numbers):
            return value  # (a field the other branch adds to a double is no number now)
        try:
            return float(value)
        except OverflowError as exc:  # (wider than any Java number)
            raise fail(exc) from exc

    return promoted


def _c_like_bool_op(fns: list[Evaluator], conjunction: bool) -> Evaluator:
    """``&&`` and ``||`` of JavaScript and Java: the operand that decides, tested as those
    languages test a value (:func:`~wfengine.expressions.c_like.c_like_truth`: ``NaN || 0``
    is ``0``, ``[] && x`` is ``x``)."""
    if len(fns) == 2:
        first, second = fns
        if conjunction:

            def c_like_and2(v: Mapping[str, Any], c: EvaluationContext) -> Any:
                a = first(v, c)
                return second(v, c) if c_like_truth(a) else a

            return c_like_and2

        def c_like_or2(v: Mapping[str, Any], c: EvaluationContext) -> Any:
            a = first(v, c)
            return a if c_like_truth(a) else second(v, c)

        return c_like_or2

    def c_like_chain(v: Mapping[str, Any], c: EvaluationContext) -> Any:
        result = None
        for fn in fns:
            result = fn(v, c)
            if c_like_truth(result) is not conjunction:
                return result
        return result

    return c_like_chain
