"""Compiling calls: the whitelisted functions, ``Class.method`` statics and value methods.

Nothing else can be called: a call of a name looks up the dialect's function table, a call
of ``Name.attr`` its statics, and any other ``x.method()`` its methods, checked at run time to
be called on a value of the right type. Arguments are checked against the signature at
compile time, so a wrong call is a syntax error of the definition, not an incident.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Any, NoReturn

from wfengine.expressions.compile_base import FORBIDDEN
from wfengine.expressions.compile_stored_notes import StoredNotes
from wfengine.expressions.compiled import CONVERTED, Evaluator
from wfengine.expressions.context import EvaluationContext
from wfengine.expressions.dialects import Dialect
from wfengine.expressions.functions import STRING_METHODS, Function
from wfengine.expressions.syntax import KEYWORD_HINTS

_METHOD_LIST = "strings offer the methods " + ", ".join(f"{m}()" for m in STRING_METHODS)

#: Python's keywords that are operators: ``not(x)`` in Java or JavaScript was meant as ``!x``
_OPERATOR_KEYWORDS = frozenset({"not", "and", "or", "is"})


class CallCompiler(StoredNotes):
    """Function, static and method calls."""

    # --- calls -----------------------------------------------------------------------------

    def compile_Call(self, node: ast.Call) -> Evaluator:
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                self.reject(FORBIDDEN[ast.Starred], arg)
        for kw in node.keywords:
            if kw.arg is None:
                self.reject("unpacking with '**' is not allowed", kw)
        func = node.func
        if isinstance(func, ast.Name):
            spec = self.functions.get(func.id)
            if spec is None:
                self.reject_function(func)
            self.check_arguments(spec, node, receiver=False)
            self.note_printing_call(func.id, node, None)
            return self.call(spec, node)
        if isinstance(func, ast.Attribute):
            qualified = self.qualified(func)
            static = self.statics.get(qualified) if qualified is not None else None
            if static is not None:
                self.check_arguments(static, node, receiver=False)
                self.note_stored_math(static.name, node)
                self.note_printing_call(static.name, node, None)
                return self.call(static, node)
            spec = self.methods.get(func.attr)
            if spec is None:
                written = self.renamed_keyword(func.attr) or func.attr  # ``s.from()``
                self.reject(f"method {written!r} is not available; {self.method_list()}", func)
            self.check_arguments(spec, node, receiver=True)
            self.note_stored_method(func.attr, node)
            self.note_printing_call(func.attr, node, func.value)
            return self.method_call(spec, func.value, node)
        self.reject("only the built-in functions can be called", func)

    def reject_function(self, func: ast.Name) -> NoReturn:
        """Refuse the call of ``func``, which is no function, by the name the modeller wrote.

        In Java and JavaScript the lexer renames Python's keywords (``not(x)`` reaches here as
        ``__kw_not``, :data:`.lexer.KEYWORD_NAMES`); the message names ``not`` and, for an
        operator keyword, says what to write, as ``not x`` does (:data:`.syntax.KEYWORD_HINTS`).
        """
        written = self.renamed_keyword(func.id) or func.id
        if written in _OPERATOR_KEYWORDS:
            language = "Java" if self.dialect is Dialect.JAVA else "JavaScript"
            self.reject(
                f"{written!r} is a plain name in {language}, not Python's keyword and no "
                f"function; {KEYWORD_HINTS[written]}",
                func,
            )
        self.reject(
            f"unknown function {written!r}; the functions are "
            + ", ".join(f"{name}()" for name in self.functions),
            func,
        )

    def method_list(self) -> str:
        if self.dialect is Dialect.NATIVE:
            return _METHOD_LIST
        return "the methods are " + ", ".join(f"{m}()" for m in self.methods)

    def check_arguments(self, spec: Function, node: ast.Call, *, receiver: bool) -> None:
        placeholders = [None] * (len(node.args) + receiver)
        # by the names written: no parameter is a Python keyword, so ``max(from=1)`` is refused
        # naming ``from``, not the lexer's renaming of it
        written = {self.renamed_keyword(kw.arg) or kw.arg: None for kw in node.keywords if kw.arg}
        try:
            spec.signature.bind(*placeholders, **written)
        except TypeError as exc:
            self.reject(f"{spec.name}(): {exc}", node)

    def call(self, spec: Function, node: ast.Call) -> Evaluator:
        if spec.uses_context:
            self.uses_context = True
        impl = spec.impl
        args = [self.compile(a) for a in node.args]
        kwargs = {kw.arg: self.compile(kw.value) for kw in node.keywords if kw.arg}
        fail = self.failure(node)

        if not kwargs and len(args) <= 1:
            if not args:

                def call0(v: Mapping[str, Any], c: EvaluationContext) -> Any:
                    try:
                        return impl(c)
                    except CONVERTED as exc:
                        raise fail(exc) from exc

                return call0
            (arg,) = args

            def call1(v: Mapping[str, Any], c: EvaluationContext) -> Any:
                try:
                    return impl(c, arg(v, c))
                except CONVERTED as exc:
                    raise fail(exc) from exc

            return call1

        def call(v: Mapping[str, Any], c: EvaluationContext) -> Any:
            try:
                return impl(
                    c, *[fn(v, c) for fn in args], **{k: fn(v, c) for k, fn in kwargs.items()}
                )
            except CONVERTED as exc:
                raise fail(exc) from exc

        return call

    def method_call(self, spec: Function, receiver_node: ast.expr, node: ast.Call) -> Evaluator:
        if spec.uses_context:
            self.uses_context = True
        impl, name, receivers = spec.impl, spec.name, spec.receivers
        what = (
            "a string method"
            if receivers == (str,)
            else "a method of " + " or ".join(t.__name__ for t in receivers)
        )
        receiver = self.compile(receiver_node)
        args = [self.compile(a) for a in node.args]
        fail = self.failure(node)

        def method(v: Mapping[str, Any], c: EvaluationContext) -> Any:
            try:
                text = receiver(v, c)
                if not isinstance(text, receivers):
                    raise TypeError(
                        f"{name}() is {what}, not available on "
                        f"{'null' if text is None else type(text).__name__}"
                    )
                return impl(c, text, *[fn(v, c) for fn in args])
            except CONVERTED as exc:
                raise fail(exc) from exc

        return method
