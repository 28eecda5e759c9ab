"""Turning a checked syntax tree into nested Python closures, once.

Why closures: the engine evaluates transition conditions hundreds of thousands of times per
second. Walking the syntax tree on every evaluation would pay for type dispatch at every node
every time; compiling pays for it once. Each closure takes the variables mapping and the
evaluation context and returns a value; operands that are names or constants are inlined into
their parent where it matters (``amount > 100``).

Why a whitelist: everything the compiler does not know is refused with a
:class:`~wfengine.errors.ExpressionSyntaxError` naming the construct and its offset. In
particular there is no attribute access (only calls of a few string methods, checked to be
strings at run time), no call of anything but the functions in :mod:`.functions`, no
comprehensions or lambdas (they would bring loops, scopes and multiplicative cost; ``any``,
``all``, ``sum``, ``min`` and ``max`` cover what conditions need), no assignment (``:=``;
expressions read process data, they never write it) and no f-strings (their format specs are a
second language with its own ways to allocate; ``str()`` and ``+`` suffice).

Errors at run time: each closure that can fail converts the Python exception into an
:class:`~wfengine.errors.ExpressionEvaluationError` carrying the offset and text of the
sub-expression that failed. ``try`` costs nothing in CPython 3.11+ until something raises.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NoReturn

from wfengine.errors import ExpressionEvaluationError, ExpressionSyntaxError
from wfengine.expressions import dialects, operators
from wfengine.expressions.context import EvaluationContext, is_container
from wfengine.expressions.dialects import Dialect
from wfengine.expressions.functions import STRING_METHODS, Function, functions
from wfengine.expressions.limits import LimitExceeded, Limits
from wfengine.expressions.positions import SourceMap

Evaluator = Callable[[Mapping[str, Any], EvaluationContext], Any]

#: what an expression can make Python raise; converted to ExpressionEvaluationError
CONVERTED: tuple[type[BaseException], ...] = (
    ArithmeticError,
    LookupError,
    TypeError,
    ValueError,
    RecursionError,
    MemoryError,
    LimitExceeded,
)

_CONSTANT_TYPES = (int, float, str, bool, type(None))

_METHOD_LIST = "strings offer the methods " + ", ".join(f"{m}()" for m in STRING_METHODS)

_FORBIDDEN: dict[type[ast.AST], str] = {
    ast.Lambda: "lambda functions are not allowed",
    ast.ListComp: "comprehensions are not allowed; use any(), all(), sum(), min() or max()",
    ast.SetComp: "comprehensions are not allowed; use any(), all(), sum(), min() or max()",
    ast.DictComp: "comprehensions are not allowed; use any(), all(), sum(), min() or max()",
    ast.GeneratorExp: "comprehensions are not allowed; use any(), all(), sum(), min() or max()",
    ast.NamedExpr: "assignment (:=) is not allowed: expressions cannot change process data",
    ast.JoinedStr: "f-strings are not supported; use str() and '+'",
    ast.FormattedValue: "f-strings are not supported; use str() and '+'",
    ast.Starred: "unpacking with '*' is not allowed",
    ast.Await: "'await' is not allowed",
    ast.Yield: "'yield' is not allowed",
    ast.YieldFrom: "'yield' is not allowed",
    ast.Slice: "a slice is only allowed inside a subscript",
}

_UNSUPPORTED_OPERATORS: dict[type[ast.AST], str] = {
    ast.BitOr: "'|' is not supported (for a logical or, write 'or' or '||')",
    ast.BitAnd: "'&' is not supported (for a logical and, write 'and' or '&&')",
    ast.BitXor: "'^' is not supported",
    ast.LShift: "'<<' is not supported",
    ast.RShift: "'>>' is not supported",
    ast.MatMult: "'@' is not supported",
    ast.Invert: "'~' is not supported",
}


def _in(a: Any, b: Any) -> bool:
    return a in b


def _not_in(a: Any, b: Any) -> bool:
    return a not in b


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


@dataclass(frozen=True, slots=True)
class Compiled:
    """The compiled form of one expression."""

    evaluator: Evaluator
    #: free variable names the expression reads
    names: frozenset[str]
    #: whether evaluation needs a fresh :class:`EvaluationContext` (budget or clock)
    uses_context: bool


def describe(exc: BaseException) -> str:
    """A short message for a Python exception raised while evaluating."""
    if isinstance(exc, ZeroDivisionError):
        return "division by zero"
    if isinstance(exc, RecursionError):
        return "expression nests too deeply to evaluate"
    if isinstance(exc, MemoryError):
        return "out of memory"
    if isinstance(exc, OverflowError):
        return f"numeric overflow: {exc.args[-1] if exc.args else exc}"
    if isinstance(exc, KeyError) and exc.args:
        return f"key {exc.args[0]!r} not found"
    text = str(exc)
    return text if text else type(exc).__name__


@dataclass(frozen=True, slots=True)
class _Tables:
    """What a dialect may call: plain functions, ``Class.method`` statics, value methods."""

    functions: dict[str, Function]
    statics: dict[str, Function]
    methods: dict[str, Function]


@lru_cache(maxsize=16)
def _tables(limits: Limits, dialect: Dialect) -> _Tables:
    plain = functions(limits)
    statics = dialects.statics(dialect, limits)
    if dialect is Dialect.NATIVE:
        statics = {q: plain[name] for q, name in dialects.NATIVE_ALIASES.items()}
    return _Tables(
        functions={**plain, **dialects.extra_functions(dialect, limits)},
        statics=statics,
        methods={**STRING_METHODS, **dialects.METHODS.get(dialect, {})},
    )


def compile_expression(
    body: ast.expr,
    source: str,
    source_map: SourceMap,
    limits: Limits,
    dialect: Dialect = Dialect.NATIVE,
    aliases: Mapping[str, str] | None = None,
) -> Compiled:
    """Compile the body of a parsed (and size-checked) expression.

    ``aliases`` maps names the text may use onto the variable each stands for (a data field
    referred to by its Name where the variables are keyed by Id).
    """
    compiler = _Compiler(source, source_map, limits, dialect, aliases or {})
    evaluator = compiler.compile(body)
    return Compiled(evaluator, frozenset(compiler.names), compiler.uses_context)


class _Compiler:
    def __init__(
        self,
        source: str,
        source_map: SourceMap,
        limits: Limits,
        dialect: Dialect,
        aliases: Mapping[str, str],
    ) -> None:
        self.source = source
        self.map = source_map
        self.limits = limits
        self.dialect = dialect
        self.aliases = aliases
        tables = _tables(limits, dialect)
        self.functions = tables.functions
        self.statics = tables.statics
        self.methods = tables.methods
        self.multiply = operators.make_multiply(limits)
        self.power = operators.make_power(limits)
        self.names: set[str] = set()
        self.uses_context = False

    # --- helpers ---------------------------------------------------------------------------

    def reject(self, message: str, node: ast.expr | ast.keyword) -> NoReturn:
        raise ExpressionSyntaxError(message, source=self.source, offset=self.map.start(node))

    def failure(self, node: ast.expr) -> Callable[[BaseException], ExpressionEvaluationError]:
        """Build the converter from a Python exception to an error pointing at ``node``."""
        source = self.source
        start, end = self.map.start(node), self.map.end(node)
        segment = source[start:end]
        whole = segment.strip() == source.strip()

        def fail(exc: BaseException) -> ExpressionEvaluationError:
            message = describe(exc)
            if not whole:
                message = f"{message} (evaluating {segment!r})"
            return ExpressionEvaluationError(message, source=source, offset=start)

        return fail

    def constant(self, node: ast.expr) -> tuple[bool, Any]:
        """``(True, value)`` if ``node`` is a literal (signed numbers and tuples included)."""
        if isinstance(node, ast.Constant):
            return True, self.literal(node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            known, value = self.constant(node.operand)
            if known and type(value) in (int, float):
                return True, -value if isinstance(node.op, ast.USub) else +value
        if isinstance(node, ast.Tuple):
            items = [self.constant(e) for e in node.elts]
            if all(known for known, _ in items):
                return True, tuple(value for _, value in items)
        return False, None

    def literal(self, node: ast.Constant) -> Any:
        value = node.value
        if type(value) not in _CONSTANT_TYPES:
            kind = {complex: "complex numbers", bytes: "bytes literals"}.get(type(value))
            self.reject(f"{kind or repr(value)} not supported", node)
        if type(value) is int and value.bit_length() > self.limits.max_int_bits:
            self.reject(f"integer literal wider than {self.limits.max_int_bits} bits", node)
        return value

    # --- dispatch --------------------------------------------------------------------------

    def compile(self, node: ast.expr) -> Evaluator:
        known, value = self.constant(node)
        if known:
            return _constant(value)
        method: Callable[[Any], Evaluator] | None = getattr(
            self, "compile_" + type(node).__name__, None
        )
        if method is None:
            message = _FORBIDDEN.get(type(node), f"{type(node).__name__} is not supported")
            self.reject(message, node)
        return method(node)

    # --- leaves ----------------------------------------------------------------------------

    def compile_Name(self, node: ast.Name) -> Evaluator:
        if node.id.startswith("__"):
            self.reject(f"names starting with '__' are reserved ({node.id!r})", node)
        name = self.aliases.get(node.id, node.id)
        self.names.add(name)
        source, offset = self.source, self.map.start(node)

        def load(v: Mapping[str, Any], c: EvaluationContext) -> Any:
            try:
                return v[name]
            except KeyError:
                raise ExpressionEvaluationError(
                    f"unknown variable {name!r}", source=source, offset=offset
                ) from None

        return load

    # --- operators -------------------------------------------------------------------------

    def compile_BoolOp(self, node: ast.BoolOp) -> Evaluator:
        fns = [self.compile(value) for value in node.values]
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
        if kind is ast.Add:
            if c_like:
                guarded = dialects.make_add(self.dialect)  # "n=" + 5 concatenates
            elif self.numeric_constant(node.left) or self.numeric_constant(node.right):
                plain = operator.add  # a number plus anything is never a long sequence
            else:
                guarded = operators.add
        elif kind is ast.Mult:
            if self.float_constant(node.left) or self.float_constant(node.right):
                plain = operator.mul  # nothing repeats a float number of times
            else:
                guarded = self.multiply
        elif kind is ast.Pow:
            plain = self.power
        elif kind is ast.Div and self.dialect is Dialect.JAVA:
            plain = dialects.java_divide
        elif kind is ast.Mod and c_like:
            plain = dialects.remainder
        else:
            plain = operators.PLAIN[kind.__name__]

        if guarded is not None:
            self.uses_context = True
            op3 = guarded

            def binop_guarded(v: Mapping[str, Any], c: EvaluationContext) -> Any:
                try:
                    return op3(left(v, c), right(v, c), c)
                except CONVERTED as exc:
                    raise fail(exc) from exc

            return binop_guarded

        op2 = plain

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

    def compile_Compare(self, node: ast.Compare) -> Evaluator:
        ops: list[Callable[[Any, Any, EvaluationContext], Any]] = []
        rights: list[Evaluator] = []
        left_node = node.left
        for cmpop, right_node in zip(node.ops, node.comparators, strict=True):
            if isinstance(cmpop, ast.Is | ast.IsNot):
                self.check_identity(left_node, right_node)
            plain = _COMPARISONS[type(cmpop)]
            if isinstance(cmpop, ast.In | ast.NotIn):
                right, constant = self.container(right_node)
                rights.append(right)
                ops.append(_uncharged(plain) if constant else _charged_membership(plain))
            elif isinstance(cmpop, ast.Is | ast.IsNot):
                rights.append(self.compile(right_node))
                ops.append(_uncharged(plain))
            else:
                rights.append(self.compile(right_node))
                ops.append(_charged_comparison(plain))
            left_node = right_node
        fail = self.failure(node)

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
            name = self.aliases.get(node.left.id, node.left.id)

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
                return _constant(built), True
        known, _ = self.constant(node)
        return self.compile(node), known

    def compile_IfExp(self, node: ast.IfExp) -> Evaluator:
        test, body, orelse = (self.compile(n) for n in (node.test, node.body, node.orelse))

        def if_(v: Mapping[str, Any], c: EvaluationContext) -> Any:
            return body(v, c) if test(v, c) else orelse(v, c)

        return if_

    # --- record fields ---------------------------------------------------------------------

    def compile_Attribute(self, node: ast.Attribute) -> Evaluator:
        """``order.total``: a field of a record value (a mapping), never a Python attribute.

        In Java and JavaScript, ``text.length`` (a string's or list's length) as well.
        """
        field = node.attr
        if field.startswith("_"):
            self.reject(f"field names starting with '_' are not allowed ({field!r})", node)
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

    def qualified(self, node: ast.Attribute) -> str | None:
        """``Math.max`` for an attribute of a bare name, else None."""
        if isinstance(node.value, ast.Name):
            return f"{node.value.id}.{node.attr}"
        return None

    # --- subscripts ------------------------------------------------------------------------

    def compile_Subscript(self, node: ast.Subscript) -> Evaluator:
        value = self.compile(node.value)
        fail = self.failure(node)
        if isinstance(node.slice, ast.Slice):
            return self.slice(value, node.slice, fail)
        known, key = self.constant(node.slice)
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
            self.compile(n) if n is not None else _constant(None)
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

    # --- calls -----------------------------------------------------------------------------

    def compile_Call(self, node: ast.Call) -> Evaluator:
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                self.reject(_FORBIDDEN[ast.Starred], arg)
        for kw in node.keywords:
            if kw.arg is None:
                self.reject("unpacking with '**' is not allowed", kw)
        func = node.func
        if isinstance(func, ast.Name):
            spec = self.functions.get(func.id)
            if spec is None:
                self.reject(
                    f"unknown function {func.id!r}; the functions are "
                    + ", ".join(f"{name}()" for name in self.functions),
                    func,
                )
            self.check_arguments(spec, node, receiver=False)
            return self.call(spec, node)
        if isinstance(func, ast.Attribute):
            qualified = self.qualified(func)
            static = self.statics.get(qualified) if qualified is not None else None
            if static is not None:
                self.check_arguments(static, node, receiver=False)
                return self.call(static, node)
            spec = self.methods.get(func.attr)
            if spec is None:
                self.reject(f"method {func.attr!r} is not available; {self.method_list()}", func)
            self.check_arguments(spec, node, receiver=True)
            return self.method_call(spec, func.value, node)
        self.reject("only the built-in functions can be called", func)

    def method_list(self) -> str:
        if self.dialect is Dialect.NATIVE:
            return _METHOD_LIST
        return "the methods are " + ", ".join(f"{m}()" for m in self.methods)

    def check_arguments(self, spec: Function, node: ast.Call, *, receiver: bool) -> None:
        placeholders = [None] * (len(node.args) + receiver)
        try:
            spec.signature.bind(*placeholders, **{kw.arg: None for kw in node.keywords if kw.arg})
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


def _uncharged(
    op: Callable[[Any, Any], Any],
) -> Callable[[Any, Any, EvaluationContext], Any]:
    def compare(a: Any, b: Any, c: EvaluationContext) -> Any:
        return op(a, b)

    return compare


def _charged_comparison(
    op: Callable[[Any, Any], Any],
) -> Callable[[Any, Any, EvaluationContext], Any]:
    """``==``, ``<``...: comparing two containers walks them (through shared parts)."""

    def compare(a: Any, b: Any, c: EvaluationContext) -> Any:
        if is_container(a) and is_container(b):
            c.charge(min(c.size_of(a), c.size_of(b)))
        return op(a, b)

    return compare


def _charged_membership(
    op: Callable[[Any, Any], Any],
) -> Callable[[Any, Any, EvaluationContext], Any]:
    """``in``: a list or tuple is scanned (comparing each item); a set or dict hashes the
    item looked for, which walks it when it is a container."""

    def member(a: Any, b: Any, c: EvaluationContext) -> Any:
        if isinstance(b, list | tuple):
            c.charge(c.size_of(b))
        elif is_container(a):
            c.charge(c.size_of(a))
        return op(a, b)

    return member


def _constant(value: Any) -> Evaluator:
    def constant(v: Mapping[str, Any], c: EvaluationContext) -> Any:
        return value

    return constant
