"""From text to :class:`Expression`: the entry point every caller uses.

``parse`` checks its arguments and hands them, in hashable form, to the cached build_expression in
:mod:`.expression`; :mod:`.syntax` reads and checks the text and :mod:`.compiler` turns the
tree into closures. Nothing is ever executed.
"""

from __future__ import annotations

from collections.abc import Mapping

from wfengine.expressions.dialects import Dialect
from wfengine.expressions.expression import Aliases, Expression, build_expression, reparse
from wfengine.expressions.limits import DEFAULT_LIMITS, Limits

#: ``reparse`` stays importable here: pickles of an Expression written before it moved to
#: :mod:`.expression` name it as ``wfengine.expressions.parser.reparse``.
__all__ = ["parse", "reparse"]


def parse(
    text: str,
    *,
    limits: Limits = DEFAULT_LIMITS,
    dialect: Dialect = Dialect.NATIVE,
    aliases: Mapping[str, str] | None = None,
) -> Expression:
    """Parse and compile ``text``; raise :class:`ExpressionSyntaxError` if it is not allowed.

    ``dialect`` reads Java or JavaScript forms (see :mod:`wfengine.expressions.dialects`);
    ``aliases`` maps names the text may use onto the variables they stand for. Results are
    cached: the validator and the engine parse the same conditions of a definition.
    """
    if not isinstance(text, str):
        raise TypeError(f"expression text must be a str, not {type(text).__name__}")
    frozen: Aliases = tuple(sorted(aliases.items())) if aliases else ()
    return build_expression(text, limits, Dialect(dialect), frozen)
