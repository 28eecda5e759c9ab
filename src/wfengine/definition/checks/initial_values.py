"""Initial-value checks: a data field's initial value is computed when an instance is created,
from the fields declared before it, and an instance holds it from then on.

So what would keep an instance from being created, or have it hold what the engine refuses
from anyone else, is an error:

* the findings of any expression (:func:`~.readings.reading_findings`), where a name no field
  declared before it has and a label are errors, not warnings;
* ``initial-value-type``: a value that is not a value of the field's type, nor converts to
  one as the engine converts it when an instance is created
  (:func:`~wfengine.definition.coercion.coerce`: ``'2024-01-01'`` for a DATE, ``['7']`` for
  an INTEGER array, ``2.0`` for an INTEGER are taken, as a script or a starter giving them
  is), the type being an XPDL basic type or an enumeration (inline, or declared), whose
  values are its texts as written; for a field that holds a list (``IsArray``, an array or
  list type), a value that is not a list of such values (``7`` where ``[7]`` belongs); and
  a constant expression (one
  naming no field, whose value does not depend on the clock) whose computation fails
  (``1/0``, an integer wider than the engine holds): every instance creation would fail on it.
  An ISO 8601 text the field's type does not take (a DATE written with a time of day, or as
  a midnight at an offset other than UTC's: which date it is depends on the zone) is one
  too, saying why (:attr:`~wfengine.definition.reading.Reading.not_of_type`), not an
  expression that "does not parse"; so is a text quoted at both ends that does not parse
  (over the expression length limit, ``"C:\\docs"`` in Java), which would otherwise be kept
  with its quotes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from wfengine.definition.checks.context import Context
from wfengine.definition.checks.readings import quote, reading_findings
from wfengine.definition.coercion import converts
from wfengine.definition.diagnostics import Diagnostic, make
from wfengine.definition.model import (
    ArrayType,
    BasicType,
    DataField,
    DataType,
    EnumerationType,
    ListType,
)
from wfengine.definition.reading import (
    Reading,
    ReadKind,
    declared_types,
    holds_list,
    read_initial_value,
    resolved_type,
)
from wfengine.errors import ExpressionError

#: what a constant initial value gives when it is not known before an instance is created
UNKNOWN = object()


def constant_value(reading: Reading) -> tuple[Any, ExpressionError | None]:
    """The value ``reading`` gives every instance, or :data:`UNKNOWN`; and, for a constant
    expression whose computation fails, why (it fails for every instance)."""
    if reading.kind is ReadKind.LITERAL:
        return reading.value, None
    if reading.kind is not ReadKind.EXPRESSION:
        return UNKNOWN, None
    assert reading.expression is not None
    if reading.expression.names:
        return UNKNOWN, None
    asked = False

    def epoch() -> datetime:
        nonlocal asked
        asked = True
        return datetime(1970, 1, 1, tzinfo=UTC)

    try:
        return reading.expression.evaluate({}, now=epoch), None
    except ExpressionError as exc:
        # one that asked the clock may fail only at the epoch: the engine says so if it does
        return UNKNOWN, None if asked else exc


def _type_finding(
    field: DataField, value: Any, types: Mapping[str, DataType], what: str, text: str
) -> Iterator[Diagnostic]:
    """``initial-value-type`` when ``value`` is no value of ``field``'s type."""
    if value is None:
        return
    if holds_list(field, types):
        # the field holds a list: one of the right elements (the engine refuses anything else
        # from whoever starts an instance, so an initial value must be one as well)
        data_type = resolved_type(field.data_type, types)
        element = data_type if field.is_array else _element(data_type)
        why = _no_list(value, element, types, 0)
    else:
        why = _not_of(value, resolved_type(field.data_type, types))
    if why is None:
        return
    yield make(
        "initial-value-type",
        f"{what} is {value!r}, {why} (in {quote(text)})",
        element_id=field.id,
        line=field.line,
    )


def _element(data_type: DataType | None) -> DataType | None:
    return data_type.element if isinstance(data_type, ArrayType | ListType) else None


def _not_of(value: Any, data_type: DataType | None) -> str | None:
    """Why ``value`` is no value of ``data_type`` (a basic type or an enumeration); None when
    it is one, or the type is not checked (records, schemas, ...)."""
    if value is None:
        return None
    if isinstance(data_type, EnumerationType) and data_type.values:
        if isinstance(value, str) and value in data_type.values:
            return None
        values = sorted(data_type.values)
        shown = ", ".join(map(repr, values[:5])) + (", ..." if len(values) > 5 else "")
        return f"which is none of its enumeration's values ({shown})"
    if isinstance(data_type, BasicType) and not converts(value, data_type.type):
        name = data_type.type.value
        return f"which is not {_article(name)} {name}, nor converts to one"
    return None


def _article(name: str) -> str:
    return "an" if name[:1] in "AEIOU" else "a"


def _no_list(
    value: Any, element: DataType | None, types: Mapping[str, DataType], depth: int
) -> str | None:
    """Why ``value`` is no list of ``element``s (a list of lists checked at every level, as
    the engine checks what it is given); None when it is one."""
    if value is None:
        return None
    if not isinstance(value, list | tuple):
        return "which is not a list, and the field holds a list (write a list literal: [...])"
    element = resolved_type(element, types) if element is not None else None
    for position, item in enumerate(value):
        if isinstance(element, ArrayType | ListType) and depth < 8:
            why = _no_list(item, _element(element), types, depth + 1)
        else:
            why = _not_of(item, element)
        if why is not None:
            return f"whose item {position} is {item!r}, {why}"
    return None


def initial_value_findings(
    ctx: Context,
    fields: list[DataField],
    aliases: Mapping[str, str],
    shared: Mapping[str, tuple[str, ...]] | None = None,
    unread: Mapping[str, str] | None = None,
) -> Iterator[Diagnostic]:
    """The findings about ``fields``' initial values, in declaration order (the package's
    fields, then a process's); ``shared``: the Names several fields carry, named when an
    initial value uses one; ``unread``: the declarations kept as XML, unread."""
    types = declared_types(ctx.package)
    language = ctx.language
    # an initial value is computed when an instance is created, from the fields before it
    known: set[str] = set()
    for field in fields:
        reading = read_initial_value(field, language, types, aliases)
        if reading is None:
            known.add(field.id)
            continue
        what = f"the initial value of data field {field.id!r}"
        yield from reading_findings(
            reading,
            what,
            field.id,
            field.line,
            known,
            unknown_is_error=True,
            shared=shared,
            unread=unread,
        )
        known.add(field.id)
        value, failure = constant_value(reading)
        if reading.not_of_type is not None:  # an ISO 8601 text the type does not take
            yield make(
                "initial-value-type",
                f"{what} is no value of the field's type: {reading.not_of_type}",
                element_id=field.id,
                line=field.line,
            )
        elif failure is not None:
            yield make(
                "initial-value-type",
                f"{what} cannot be computed: {failure.message} (in {quote(reading.text)}); no "
                "instance could be created",
                element_id=field.id,
                line=field.line,
            )
        elif value is not UNKNOWN:
            yield from _type_finding(field, value, types, what, reading.text)
