"""The cost limits that keep a hostile expression from hanging or exhausting the host.

Expressions come from process definitions, and a definition may come from someone the host
application does not trust. Every limit here closes one way of making a small text expensive:

* ``max_source_length`` bounds everything the parser does;
* ``max_nesting`` (brackets, checked on tokens *before* Python's parser runs) and ``max_depth``
  (the syntax tree, checked before compiling) keep both the parser and the compiled evaluator
  far from the interpreter's recursion limit;
* ``max_nodes`` bounds how many operations one evaluation performs: there are no loops or
  comprehensions, so each node runs at most once per evaluation;
* ``max_int_bits`` stops ``9 ** 9 ** 9`` and repeated squaring before the big-integer
  arithmetic starts;
* ``max_work`` is a per-evaluation budget of elements and characters the expression creates
  or walks: values it builds (displays, ``'a' * 10 ** 10``, ``s + s``, slices, ``sorted(x)``,
  ``str(x)``, string methods), charged before the memory is allocated where the size is known
  in advance, and the walks Python makes over containers (comparing two lists, ``in`` a
  list, hashing a tuple, ``sum``, ``min``, ``max``, ``any``, ``all``, ``sorted``). Sizes are
  *logical*: a part that appears n times counts n times (``[[0] * 1000] * 1000`` is a million
  elements, though two lists in memory), so nested repetition cannot make the work grow
  exponentially (:mod:`.context`). A script's statements are several evaluations that one
  command runs: they draw on one budget together (:mod:`.shared_budget`; the runtime's
  ``RuntimeLimits.max_script_work``, this budget by default), each within its own as well.

Comparisons of scalars (the hot path of conditions: ``amount > 100``, ``status == 'open'``)
and membership in a constant list (``x in ['a', 'b']``) cost nothing extra. A value in the
variables is charged like one the expression built, whoever put it there: instance data can
come from a definition's own initial values, which may be untrusted.
"""

from __future__ import annotations

from dataclasses import dataclass

from wfengine.errors import ExpressionSyntaxError


@dataclass(frozen=True, slots=True)
class Limits:
    """Cost limits for parsing and evaluating one expression (frozen, hashable)."""

    #: longest expression text accepted, in characters
    max_source_length: int = 10_000
    #: deepest nesting of ``()``, ``[]`` and ``{}``
    max_nesting: int = 50
    #: deepest syntax tree (operators nest without brackets: ``not not not x``)
    max_depth: int = 100
    #: most syntax-tree nodes (sub-expressions) in one expression
    max_nodes: int = 2_000
    #: widest integer an operation may produce (4096 bits is about 1233 decimal digits)
    max_int_bits: int = 4_096
    #: elements plus characters one evaluation may create or iterate over
    max_work: int = 1_000_000


DEFAULT_LIMITS = Limits()


class ExpressionLimitError(ExpressionSyntaxError):
    """A text over one of the parsing limits (its length, brackets or conditionals nested
    too deep, a syntax tree too deep or too large).

    Why a class of its own: in Java or JavaScript a text that does not parse may be more of
    its language than wfengine's front ends read (a warning, ``expression-foreign``), but a
    text over a limit is refused whatever it is written in, and rewriting it in wfengine's
    own language would not help: the definition's reader refuses it in every dialect, as the
    native language's syntax error (:mod:`wfengine.definition.reading`)."""


#: largest ``ndigits`` accepted by ``round``: ``round(5, -10**9)`` would compute 10**(10**9)
MAX_ROUND_DIGITS = 1_000


class LimitExceeded(Exception):
    """Internal: an evaluation hit a cost limit.

    Raised deep inside operators and functions that do not know where they sit in the
    expression; the compiled node that called them turns it into an
    :class:`~wfengine.errors.ExpressionEvaluationError` carrying the offset.
    """
