"""Noting, while a stored deployment is compiled, each text a new version would read otherwise.

A deployment an earlier wfengine stored reads as that wfengine did (:mod:`.stored_reading`):
``Math.max/min/abs`` of text and booleans (:mod:`.c_like_math`), the string methods whose
reading changed (:data:`.dialects.CHANGED_METHODS`), JavaScript's printing of a null in a list
(:func:`.dialects.to_string`) and Java's ``c ? 10 : 7.5`` left unpromoted. Each place where the
two readings can differ is noted, once per text, so that the compiler's warning names the
process and the text and the modeller fixes the next version. Where they cannot differ (a
number literal, ``a.compareTo(b) < 0``) nothing is said: a note nobody can act on teaches
operators to skip the rest. What only the definition knows (a field's type) is left to the
compiler, through the note's fields (:class:`~.stored_reading.StoredNote`).
"""

from __future__ import annotations

import ast

import wfengine.expressions.stored_reading as stored_reading
from wfengine.expressions.c_like_math import LENIENT_WHEN_STORED
from wfengine.expressions.compile_base import CompilerBase
from wfengine.expressions.dialects import CHANGED_METHODS, Dialect

#: the ways of printing a value in JavaScript, beside ``+``
_PRINTING = frozenset({"String", "String.valueOf", "toString"})
#: comparisons against 0 that read the sign alone
_SIGN_TESTS = (ast.Lt, ast.Gt, ast.LtE, ast.GtE, ast.Eq, ast.NotEq)


class StoredNotes(CompilerBase):
    """The notes of a stored deployment's texts (nothing for any other)."""

    def note_stored_math(self, name: str, node: ast.Call) -> None:
        """A ``Math.max/min/abs`` call that may meet text or a boolean: it reads them as the
        wfengine that deployed it did, where a new version's call fails. Not one given only
        number literals; one given only such literals and fields stands unless every field
        is declared a number, date or datetime (the compiler judges)."""
        if not self.stored or name not in LENIENT_WHEN_STORED:
            return
        fields: list[str] = []
        for arg in node.args:
            if type(self.constant(arg)[1]) in (int, float):
                continue
            if not isinstance(arg, ast.Name):
                fields = []  # (anything else may be text: the note stands)
                break
            fields.append(self.variable(arg))
        else:
            if not fields:
                return
        convert = "Double.parseDouble(x)" if self.dialect is Dialect.JAVA else "Number(x)"
        stored_reading.note(
            f"{name} in {self.source!r} takes text and booleans, should it meet them, as the "
            f"wfengine that deployed it did (Python's reading: Math.max('10', '9') is '9', "
            f"Math.abs(true) is 1); a new version takes numbers (or dates and durations) only, an "
            f"incident where it meets another value: convert text first, e.g. {convert}",
            tuple(fields),
            "number-or-time",
        )

    def note_stored_method(self, name: str, node: ast.Call) -> None:
        """A method whose reading changed (:data:`~.dialects.CHANGED_METHODS`), where both
        readings can differ: not ``compareTo`` tested against 0 (the sign is alike), not
        ``indexOf`` without a start or looking for a text that is not empty."""
        if not self.stored or name not in CHANGED_METHODS:
            return
        if name == "compareTo" and id(node) in self.sign_tested:  # (the others differ there)
            return
        if name == "indexOf":
            looked_for = self.constant(node.args[0])[1] if node.args else None
            if len(node.args) < 2 or (isinstance(looked_for, str) and looked_for):
                return
        stored_reading.note(
            f"{name}() in {self.source!r} reads as the wfengine that deployed it read it, "
            f"which {CHANGED_METHODS[name]}; a new version reads it as the language does"
        )

    def note_stored_printing(self, operands: list[ast.expr]) -> None:
        """JavaScript printing a value that may be a list holding null (``'v=' + items``): the
        wfengine that deployed it printed ``null``, a new version prints nothing (``v=,1``).
        Only where an operand may be a list: a field (unless the compiler finds it declared
        a single value), a record's member, an item, ``get`` or a display."""
        if not self.stored or self.dialect is not Dialect.JAVASCRIPT:
            return
        fields: list[str] = []
        unknown = False
        for operand in operands:
            if isinstance(operand, ast.Name):
                fields.append(self.variable(operand))
            elif _may_hold_list(operand):
                unknown = True
        if not fields and not unknown:
            return
        stored_reading.note(
            f"the text of a list in {self.source!r} prints a null item as 'null', as the "
            "wfengine that deployed it did; a new version prints it as JavaScript does, as "
            "nothing ('v=' + [null, 1] is 'v=,1')",
            () if unknown else tuple(fields),
            None if unknown else "single",
        )

    def note_stored_promotion(self, node: ast.IfExp) -> None:
        """Java's ``c ? 10 : 7.5``, whose int branch a new version widens to a double (2.5
        for ``(c ? 10 : 7.5) / 4``, ``10.0`` printed) and the deploying wfengine did not."""
        stored_reading.note(
            f"the conditional in {self.source!r} keeps an int branch an int beside a double "
            "one, as the wfengine that deployed it did ((vip ? 10 : 7.5) / 4 is 2); a new "
            "version widens it to a double, as Java does (2.5, printed 10.0)"
        )

    def note_printing_call(self, name: str, node: ast.Call, receiver: ast.expr | None) -> None:
        """``String(x)``, ``String.valueOf(x)`` or ``x.toString()``: see
        :meth:`note_stored_printing`."""
        if name in _PRINTING:
            self.note_stored_printing([*node.args, *([receiver] if receiver else [])])


def sign_tested(body: ast.expr) -> frozenset[int]:
    """The ids of the calls in ``body`` compared with 0 (``a.compareTo(b) < 0``): only their
    sign is read, alike in both readings."""
    found: set[int] = set()
    for node in ast.walk(body):
        if not isinstance(node, ast.Compare) or len(node.ops) != 1:
            continue
        if not isinstance(node.ops[0], _SIGN_TESTS):
            continue
        left, right = node.left, node.comparators[0]
        for call, other in ((left, right), (right, left)):
            if isinstance(call, ast.Call) and _is_zero(other):
                found.add(id(call))
    return frozenset(found)


def _is_zero(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is int and node.value == 0


def _may_hold_list(node: ast.expr) -> bool:
    """Whether ``node`` may give a list whatever the fields' types: a member or item of a
    value, ``x.get(k)``, or a list or record display."""
    if isinstance(node, ast.Attribute | ast.Subscript | ast.List | ast.Tuple | ast.Dict):
        return True
    if isinstance(node, ast.IfExp):
        return _may_hold_list(node.body) or _may_hold_list(node.orelse)
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
    )
