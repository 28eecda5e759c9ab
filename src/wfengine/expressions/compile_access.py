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
from wfengine.expressions.compile_base import CompilerBase
from wfengine.expressions.compiled import CONVERTED, Evaluator, constant_evaluator
from wfengine.expressions.context import EvaluationContext
from wfengine.expressions.dialects import Dialect, c_like_item


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
        if c_like:  # (a literal index past the end said only "list index out of range")
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
    """``a[i]`` in Java and JavaScript: a text or list counts from 0 and only from 0, each
    index out of range an incident naming the length (:func:`~.dialects.c_like_item`)."""

    def item(v: Mapping[str, Any], c: EvaluationContext) -> Any:
        try:
            return c_like_item(value(v, c), index(v, c), java)
        except CONVERTED as exc:
            raise fail(exc) from exc

    return item
