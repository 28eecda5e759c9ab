"""Text ids ordered and compared by their characters' codes, on every database alike.

Why: listings order by text ids (``(created_at, length(id), id)`` for instances and work
items, ``(at, instance_id, seq)`` for the audit trail), and the documented order is the one
every store answers in. Memory and SQLite compare strings by code point; PostgreSQL compares
by the database's collation, which ``initdb`` takes from the OS locale (``en_US.UTF-8``):
there ``case-alpha`` came before ``case-B`` before ``case-Zulu``, and keyset pages (``after``)
followed that other order. :func:`bytewise` renders ``COLLATE "C"`` on PostgreSQL (byte order,
which for UTF-8 is code-point order) and the column as it is elsewhere; no schema change.

A ``COLLATE`` in an ORDER BY keeps PostgreSQL from reading the listing indexes (made with the
database's collation) as the whole order: it sorts what shares the keys before the id. So
where a page must be one index range (instance listings), :func:`id_order` collates only on
a database that does not already order text by code point (asked once per database, by
sorting a few strings both ways): a C-collated database (the usual server set-up, and what
the project's tests run on) keeps its plans.
"""

from __future__ import annotations

import weakref
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from wfengine.runtime.sql.database import Database

#: whether the database orders text by code point already, per database (asked once)
_BY_CODE_POINT: weakref.WeakKeyDictionary[Database, bool] = weakref.WeakKeyDictionary()
#: strings whose code-point order every locale collation changes (case, punctuation, digits)
_PROBE = "('a'),('B'),('Z'),('_'),('-'),('a b'),('ab'),('1'),('10'),('9'),('e'),('\u00e9'),('f')"
_SAME_ORDER = (
    'SELECT array_agg(x ORDER BY x) = array_agg(x ORDER BY x COLLATE "C") '
    f"FROM (VALUES {_PROBE}) AS v(x)"
)


class bytewise(FunctionElement[str]):
    """``column`` compared and ordered by code point (see the module notes)."""

    inherit_cache = True
    type = sa.String()
    name = "bytewise"


@compiles(bytewise)
def _as_it_is(element: bytewise, compiler: SQLCompiler, **kw: Any) -> str:
    [column] = element.clauses
    return str(compiler.process(column, **kw))


@compiles(bytewise, "postgresql")
def _c_collation(element: bytewise, compiler: SQLCompiler, **kw: Any) -> str:
    [column] = element.clauses
    return f'{compiler.process(column, **kw)} COLLATE "C"'


def id_order(db: Database, column: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    """``column`` as ``db`` orders it by code point: as it is where the database does so
    already (SQLite; a C-collated PostgreSQL database, whose indexes then serve the order),
    else :class:`bytewise`."""
    if db.dialect.backend != "postgresql":
        return column
    known = _BY_CODE_POINT.get(db)
    if known is None:
        known = bool(db.read(lambda c: c.exec_driver_sql(_SAME_ORDER).scalar()))
        _BY_CODE_POINT[db] = known
    return column if known else bytewise(column)
