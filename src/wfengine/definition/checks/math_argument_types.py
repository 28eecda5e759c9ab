"""``math-argument`` (a warning): a Java or JavaScript ``Math.max``, ``Math.min`` or
``Math.abs`` given what it does not take.

Those functions take numbers only (``max`` and ``min`` also two dates, datetimes or durations
of one kind, wfengine's extension: :mod:`wfengine.expressions.c_like_math`); an earlier
wfengine took text and booleans as Python does (``Math.max('10', '9')`` was ``'9'``), so
definitions written then may give them such values. What the text shows is judged: a constant
that is text, a boolean or null, and a data field or parameter declared STRING or BOOLEAN (a
single value: a list is refused as any other value). A warning, as other texts instances stop
at with an incident are (``assignment-type``): the rest of the process runs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from wfengine.definition.checks.readings import quote
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.model import BasicType, BasicTypeKind, DataField, DataType, FormalParameter
from wfengine.definition.reading import Reading, ReadKind, resolved_type
from wfengine.expressions.dialects import Dialect
from wfengine.expressions.math_arguments import MathArgument, math_arguments

#: the declared types of a field such a function never takes, as a modeller reads them
_REFUSED_KINDS = {BasicTypeKind.STRING: "STRING", BasicTypeKind.BOOLEAN: "BOOLEAN"}


def math_argument_findings(
    reading: Reading,
    where: tuple[str, str, int | None],
    fields: Mapping[str, DataField | FormalParameter],
    types: Mapping[str, DataType],
    aliases: Mapping[str, str],
) -> Iterator[Diagnostic]:
    """One warning per checked call of ``reading`` given a value it refuses; ``where``: what
    the text is, its element's Id and line; ``fields`` by Id, and the names standing for
    them (``aliases``)."""
    expression = reading.expression
    if reading.kind is not ReadKind.EXPRESSION or expression is None:
        return
    refused: dict[tuple[str, str], list[str]] = {}
    for argument in math_arguments(reading.text, expression.dialect, aliases):
        problem = _problem(argument, fields, types)
        if problem is not None:
            refused.setdefault((argument.function, argument.call), []).append(problem)
    what, element_id, line = where
    for (function, call), problems in refused.items():
        convert = "Double.parseDouble(x)" if expression.dialect is Dialect.JAVA else "Number(x)"
        yield make(
            "math-argument",
            f"{what} gives {function} {' and '.join(problems)} (in {quote(call)}), which takes "
            "numbers only (Math.max and Math.min also two dates, datetimes or durations of "
            "one kind, Math.abs a duration); every instance reaching it stops with an "
            "incident; convert text "
            f"first, e.g. {convert}",
            element_id=element_id,
            line=line,
        )


def _problem(
    argument: MathArgument,
    fields: Mapping[str, DataField | FormalParameter],
    types: Mapping[str, DataType],
) -> str | None:
    """What ``argument`` is, when the function refuses it; None when it may take it."""
    if argument.name is None:
        value = argument.value
        if isinstance(value, bool):
            return f"the boolean {str(value).lower()}"
        if value is None:
            return "null"
        return f"the text {value!r}" if isinstance(value, str) else None
    field = fields.get(argument.name)
    if field is None or field.is_array:
        return None
    data_type = resolved_type(field.data_type, types)
    if not isinstance(data_type, BasicType) or data_type.type not in _REFUSED_KINDS:
        return None
    return f"{argument.name!r}, declared {_REFUSED_KINDS[data_type.type]}"
