"""Compiling access to parts of a value: record fields (``order.total``), subscripts, slices.

A field is a key of a record (a mapping), never a Python attribute: nothing in an expression
can reach an object's internals.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from typing import Any

import wfengine.expressions.operators as operators
from wfengine.errors import ExpressionEvaluationError
from wfengine.expressions.c_like_arithmetic import type_name
from wfengine.expressions.compile_base import CompilerBase
from wfengine.expressions.compiled import CONVERTED, Evaluator, constant_evaluator
from wfengine.expressions.context import EvaluationContext
from wfengine.expressions.dialects import Dialect

_SEQUENCES = (str, list, tuple)


class AccessCompiler(CompilerBase):
    """Record fields, subscripts and slices."""

    # --- record fields ---------------------------------------------------------------------

    def compile_Attribute(self, node: ast.Attribute) -> Evaluator:
        """``order.total``: a field of a record value (a mapping), never a Python attribute.

        In Java and JavaScript, ``text.length`` (a string's or list's length) as well.
        """
        field = node.attr
        if field.startswith("__"):  # (``_id``, ``_links``: common keys of JSON answers)
            field = self.renamed_keyword(field) or ""  # ``route.from`` in JavaScript
            if not field:
                self.reject(f"field names starting with '__' are not allowed ({node.attr!r})", node)
        qualified = self.qualified(node)
        if qualified is not None and qualified in self.statics:
            self.reject(f"{qualified} is a function; call it with ()", node)
        value = self.compile(node.value)
        fail = self.failure(node)
        length = self.dialect is not Dialect.NATIVE and field == "length"

        def member(v: Mapping[str, Any], c: EvaluationContext) -> Any:
            try:
                record = value(v, c)
                if isinstance(record, Mapping):
                    if field not in record:
                        raise LookupError(f"the record has no field {field!r}")
                    return record[field]
                if length and isinstance(record, str | list | tuple):
                    return len(record)
                raise TypeError(f"a {type(record).__name__} value has no field {field!r}")
            except CONVERTED as exc:
                raise fail(exc) from exc

        return member

    # --- subscripts ------------------------------------------------------------------------

    def compile_Subscript(self, node: ast.Subscript) -> Evaluator:
        value = self.compile(node.value)
        fail = self.failure(node)
        c_like = self.dialect is not Dialect.NATIVE
        if isinstance(node.slice, ast.Slice):
            if c_like:
                return _c_like_slice(value, fail)
            return self.slice(value, node.slice, fail)
        known, key = self.constant(node.slice)
        # a literal key that is a text or an index from 0 (``items[0]``) takes the fast way
        if c_like and not (known and (type(key) is str or (type(key) is int and key >= 0))):
            java = self.dialect is Dialect.JAVA
            return _c_like_subscript(value, self.compile(node.slice), fail, java)
        if known:

            def item_constant(v: Mapping[str, Any], c: EvaluationContext) -> Any:
                try:
                    return value(v, c)[key]
                except CONVERTED as exc:
                    raise fail(exc) from exc

            return item_constant

        index = self.compile(node.slice)

        def item(v: Mapping[str, Any], c: EvaluationContext) -> Any:
            try:
                return value(v, c)[index(v, c)]
            except CONVERTED as exc:
                raise fail(exc) from exc

        return item

    def slice(
        self,
        value: Evaluator,
        node: ast.Slice,
        fail: Callable[[BaseException], ExpressionEvaluationError],
    ) -> Evaluator:
        self.uses_context = True
        lower, upper, step = (
            self.compile(n) if n is not None else constant_evaluator(None)
            for n in (node.lower, node.upper, node.step)
        )

        def sliced(v: Mapping[str, Any], c: EvaluationContext) -> Any:
            try:
                result = value(v, c)[slice(lower(v, c), upper(v, c), step(v, c))]
                if isinstance(result, operators.SEQUENCES):
                    c.charge(c.size_of(result))
                return result
            except CONVERTED as exc:
                raise fail(exc) from exc

        return sliced


def _c_like_slice(
    value: Evaluator, fail: Callable[[BaseException], ExpressionEvaluationError]
) -> Evaluator:
    """``s[1:3]`` in Java or JavaScript: no syntax of either, refused where it is reached (an
    incident; Python's slice used to be taken). The operand is evaluated first, so its own
    errors come first, as everywhere else."""

    def sliced(v: Mapping[str, Any], c: EvaluationContext) -> Any:
        try:
            value(v, c)
            raise TypeError(
                "slices (a[1:3]) are Python's, not Java's or JavaScript's; for a text write "
                "s.substring(1, 3)"
            )
        except CONVERTED as exc:
            raise fail(exc) from exc

    return sliced


def _c_like_subscript(
    value: Evaluator,
    index: Evaluator,
    fail: Callable[[BaseException], ExpressionEvaluationError],
    java: bool,
) -> Evaluator:
    """``a[i]`` in Java and JavaScript: a text or list counts from 0 and only from 0.

    Python reads ``a[-1]`` as the last item, so ``approvals[n - 1]`` with ``n`` still 0 read
    the last approval. Java raises (an incident); JavaScript gives undefined, which the
    dialect has no value for: a negative index is an incident in both, as an index past the
    end is, however large (as ``charAt`` and ``substring`` follow each language), each
    naming the length. A boolean is no
    index either (``a[true]`` is ``a[1]`` only in Python). A whole-number double is the index
    it equals in JavaScript, whose numbers are all doubles (``items[n / 2]`` with ``n`` 4 is
    ``items[2]``); a fractional or non-finite one gives undefined there, an incident here.
    Java indexes with an int only (a double index does not compile): an incident naming
    ``Math.round``. Records are looked up by key.
    """

    def item(v: Mapping[str, Any], c: EvaluationContext) -> Any:
        try:
            container = value(v, c)
            key = index(v, c)
            if key.__class__ is not int and isinstance(container, _SEQUENCES):
                key = _c_like_index(key, container, java)
            # (past either end: not Python's "index out of range", nor its "cannot fit 'int'
            # into an index-sized integer" for 2**63 or 1e20)
            if (
                key.__class__ is int
                and isinstance(container, _SEQUENCES)
                and not 0 <= key < len(container)
            ):
                shown = key if key.bit_length() <= 1024 else "of over 300 digits"  # (str limit)
                raise IndexError(
                    f"index {shown} is outside a {type_name(container)} of length "
                    f"{len(container)} (Java and JavaScript count from 0)"
                )
            return container[key]
        except CONVERTED as exc:
            raise fail(exc) from exc

    return item


def _c_like_index(key: Any, container: Any, java: bool) -> Any:
    """The index ``key`` (not an int) stands for in a text or list, or the error to raise."""
    kind = type_name(container)
    if key.__class__ is bool:
        raise TypeError(f"a {kind} index is a number, not boolean")
    if key.__class__ is not float:
        return key  # Python's own error names the type (a text or a list as an index)
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
