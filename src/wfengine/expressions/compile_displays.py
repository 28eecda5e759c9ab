"""Compiling displays: list, tuple, set and dict literals built from sub-expressions."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Any

from wfengine.expressions.compile_base import CompilerBase
from wfengine.expressions.compiled import CONVERTED, Evaluator
from wfengine.expressions.context import EvaluationContext


class DisplayCompiler(CompilerBase):
    """List, tuple, set and dict displays."""

    # --- displays --------------------------------------------------------------------------

    # Every display charges the logical size of what it builds (items counted each time they
    # appear, see :mod:`.context`): ``[x, x, x]`` is three walks of ``x`` to anything that
    # compares or hashes it, however little memory it takes.

    def compile_List(self, node: ast.List) -> Evaluator:
        fns = [self.compile(e) for e in node.elts]
        fail = self.failure(node)
        self.uses_context = True

        # a fresh list each time: the caller may keep and mutate the result
        def list_(v: Mapping[str, Any], c: EvaluationContext) -> list[Any]:
            items = [fn(v, c) for fn in fns]
            try:
                c.charge(1 + sum(c.size_of(i) for i in items))
            except CONVERTED as exc:
                raise fail(exc) from exc
            return items

        return list_

    def compile_Tuple(self, node: ast.Tuple) -> Evaluator:
        fns = [self.compile(e) for e in node.elts]
        fail = self.failure(node)
        self.uses_context = True

        def tuple_(v: Mapping[str, Any], c: EvaluationContext) -> tuple[Any, ...]:
            items = tuple([fn(v, c) for fn in fns])
            try:
                c.charge(1 + sum(c.size_of(i) for i in items))
            except CONVERTED as exc:
                raise fail(exc) from exc
            return items

        return tuple_

    def compile_Set(self, node: ast.Set) -> Evaluator:
        fns = [self.compile(e) for e in node.elts]
        fail = self.failure(node)
        self.uses_context = True

        def set_(v: Mapping[str, Any], c: EvaluationContext) -> set[Any]:
            try:
                items = [fn(v, c) for fn in fns]
                c.charge(1 + sum(c.size_of(i) for i in items))  # hashing walks each item
                return set(items)
            except CONVERTED as exc:
                raise fail(exc) from exc

        return set_

    def compile_Dict(self, node: ast.Dict) -> Evaluator:
        pairs: list[tuple[Evaluator, Evaluator]] = []
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None:
                self.reject("unpacking with '**' is not allowed", value)
            pairs.append((self.compile(key), self.compile(value)))
        fail = self.failure(node)
        self.uses_context = True

        def dict_(v: Mapping[str, Any], c: EvaluationContext) -> dict[Any, Any]:
            try:
                items = [(k(v, c), val(v, c)) for k, val in pairs]
                c.charge(1 + sum(c.size_of(k) + c.size_of(val) for k, val in items))
                return dict(items)
            except CONVERTED as exc:
                raise fail(exc) from exc

        return dict_
