"""Rows read undecoded, then decoded one by one, so that one row that cannot be is that
row's problem, not the whole read's.

SQLAlchemy decodes a result's columns (JSON text, a SQLite time kept as text) as it builds
each row: a value edited by hand that is not what the engine writes (``'[1,2'`` in a JSON
column, ``'garbage'`` in a time) failed the statement, and with it every other row: a worker's
claim (no instance's job ran), the open incidents (none listed). A read that must go on past
such a row selects its columns with :func:`undecoded` and decodes each row with
:func:`decoded` under :data:`~wfengine.runtime.sql.rows.UNREADABLE`: the same result
processors the driver would have run (on PostgreSQL, whose columns hold only what their types
take, nearly none), found once per read by :func:`processors`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.types import NullType

#: (column name, result processor) of the columns of a row that :func:`decoded` decodes
Processors = tuple[tuple[str, Callable[[Any], Any]], ...]

T = TypeVar("T")


def undecoded(columns: Iterable[sa.ColumnElement[Any]]) -> tuple[sa.Label[Any], ...]:
    """``columns`` read as the driver hands them over, to be decoded row by row
    (:func:`decoded`): a row that cannot be is then that row's problem, not the whole read's
    (the driver's result processing fails the statement at its first bad row)."""
    return tuple(sa.type_coerce(c, NullType()).label(c.name) for c in columns)


def processors(columns: Iterable[sa.ColumnElement[Any]], dialect: sa.Dialect) -> Processors:
    """(name, result processor) of those of ``columns`` that have one on ``dialect``: what
    the driver's result processing would have done with them."""
    found = []
    for c in columns:
        process = c.type.dialect_impl(dialect).result_processor(dialect, None)
        if process is not None:
            found.append((c.name, process))
    return tuple(found)


def decoded(row: Mapping[Any, Any], decoders: Processors) -> dict[str, Any]:
    """``row`` with its columns decoded (``ValueError`` and the like when one cannot be)."""
    out = dict(row)
    for name, process in decoders:
        value = out[name]
        if value is not None:
            out[name] = process(value)
    return out


def each_readable(
    found: Iterable[Mapping[str, Any]],
    columns: Iterable[sa.ColumnElement[Any]],
    dialect: sa.Dialect,
    build: Callable[[dict[str, Any]], T],
    unreadable: tuple[type[Exception], ...],
    skipped: Callable[[Any, Exception], None],
) -> list[T]:
    """What ``build`` makes of each of the rows ``found`` (read :func:`undecoded`, of
    ``columns``), decoded; a row that cannot be decoded or built (one of ``unreadable``) is
    left out and given to ``skipped`` with its ``id`` and why, the others read."""
    decoders = processors(columns, dialect)
    out: list[T] = []
    for row in found:
        try:
            out.append(build(decoded(row, decoders)))
        except unreadable as exc:
            skipped(row["id"], exc)
    return out
