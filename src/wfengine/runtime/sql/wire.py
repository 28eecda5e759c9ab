"""The commit's statements, given to the database driver with rows already in its own form.

A command writes several rows per activity it runs (audit events, the activity's mirror row)
and a handful more per command (the instance row, work items, offers, outbox entries).
Through SQLAlchemy's ``execute(statement, rows)`` every value of every row goes through its
column type's bind processing and the parameters are rebuilt per row: on SQLite that was
most of a command's time. :class:`Wire` instead compiles each statement once per store (and
set of columns) with the database dialect's positional parameters, so quoting, casts and
upsert clauses are still SQLAlchemy's, and renders each row once into a tuple in the
statement's parameter order: a time by :meth:`~wfengine.runtime.sql.dialects.Dialect.wire_time`,
a JSON value as its text, everything else as it is (the driver takes strings, integers,
booleans and None). The rows go to the :class:`~wfengine.runtime.sql.driver.Run` of the
commit's batch in one call: the driver's ``executemany`` on its cursor, as SQLAlchemy would
send them (:mod:`~wfengine.runtime.sql.driver`), or on PostgreSQL the libpq batch
(:mod:`~wfengine.runtime.sql.pipeline`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect as SaDialect

from wfengine.runtime.json_one_shot import one_shot
from wfengine.runtime.sql.dialects import Dialect
from wfengine.runtime.sql.driver import Run
from wfengine.runtime.sql.schema import UtcDateTime

#: JSON text as a JSON column stores it (the keys in their order: users see a dict's order)
_JSON_TEXT = json.JSONEncoder(separators=(",", ":"))


_Convert = Callable[[Any], Any] | None
#: how many converted times a Wire keeps (then it forgets them all and starts again)
_TIMES_KEPT = 64
#: a statement that rows are written with: an INSERT, an upsert, an UPDATE or a DELETE
Statement = sa.Insert | sa.Update | sa.Delete


class _Compiled:
    """A statement compiled for one set of row keys, and how a row becomes its parameters.

    Why a function written out per statement (:func:`_renderer`): a command renders about
    fifteen rows, and an ``itemgetter`` of the keys, then a list to convert the two or three
    columns that convert (times, JSON) in and a tuple of it, was most of the rendering; the
    written-out function reads each key and converts where needed in one tuple display."""

    __slots__ = ("convert", "keys", "render", "sql")

    def __init__(self, sql: str, keys: tuple[str, ...], convert: tuple[_Convert, ...]) -> None:
        self.sql = sql
        #: the rows' keys in parameter order
        self.keys = keys
        #: how each value becomes the driver's (None: as it is), in parameter order
        self.convert = convert
        #: ``row``'s values in parameter order, in the driver's form
        self.render: Callable[[Mapping[str, Any]], tuple[Any, ...]] = _renderer(keys, convert)


def _renderer(
    keys: tuple[str, ...], convert: tuple[_Convert, ...]
) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """``lambda row: (row[k0], c1(row[k1]), ...)`` for ``keys`` and their converters (None:
    the value as it is), written out once per compiled statement (see :class:`_Compiled`).
    The keys are the statement's own parameter names, given as literals (``repr``): no text
    from outside becomes code."""
    scope: dict[str, Any] = {}
    parts = []
    for n, (key, conv) in enumerate(zip(keys, convert, strict=True)):
        if conv is None:
            parts.append(f"row[{key!r}]")
        else:
            scope[f"_c{n}"] = conv
            parts.append(f"_c{n}(row[{key!r}])")
    values = "".join(f"{p}, " for p in parts)
    exec(f"def render(row):\n    return ({values})", scope)
    made: Callable[[Mapping[str, Any]], tuple[Any, ...]] = scope["render"]
    return made


class Wire:
    """Renders rows and executes statements in the driver's form (see the module notes)."""

    def __init__(self, dialect: Dialect, sa_dialect: SaDialect) -> None:
        self._dialect = dialect.positional(sa_dialect)
        self._checked = dialect.checked
        wire_time = dialect.wire_time
        #: UTC times converted lately and their forms. Why several: a command's rows hold
        #: a few moments (its own, its commit's, its instance's creation) in turn, and the
        #: one last time kept was another at most conversions. Why UTC only: two equal
        #: times of a named zone may be two instants (a wall time the clocks go back over
        #: equals itself with either fold). (A dict's get and set: safe across threads.)
        seen: dict[datetime, Any] = {}

        def convert_time(value: Any) -> Any:
            if value is None:
                return None
            if type(value) is not datetime or value.tzinfo is not UTC:
                return wire_time(value)
            out = seen.get(value)
            if out is None:
                out = wire_time(value)
                if len(seen) >= _TIMES_KEPT:
                    seen.clear()
                seen[value] = out
            return out

        self._time: _Convert = convert_time
        #: a ``UtcDateTime`` value (or None) in the driver's form, for rows made in it
        #: (:meth:`sql_for`)
        self.time: Callable[[Any], Any] = convert_time
        encode = one_shot(_JSON_TEXT)  # (its C encoder called directly: json_one_shot)

        def convert_json(value: Any) -> Any:
            # (most details are None: the encoder's call costs thirty times the test)
            return "null" if value is None else encode(value)

        self._json: _Convert = convert_json
        #: a JSON column's value as its text, for rows made in the driver's form
        self.json: Callable[[Any], Any] = convert_json
        #: (statement id, row keys) -> compiled; the statement is kept so its id stays its own
        self._cache: dict[tuple[int, tuple[str, ...]], tuple[Statement, _Compiled]] = {}
        #: statement id -> the SQL that :meth:`render` rendered its rows for
        self._rendered_sql: dict[int, str] = {}

    def _compiled(self, statement: Statement, keys: tuple[str, ...]) -> _Compiled:
        found = self._cache.get((id(statement), keys))
        if found is not None:
            return found[1]
        compiled = statement.compile(
            dialect=self._dialect, column_keys=list(keys), for_executemany=True
        )
        order = tuple(compiled.positiontup or ())
        if sorted(order) != sorted(keys):  # a parameter the rows do not give, or the reverse
            raise ValueError(f"{statement}: the statement takes {order}, the rows give {keys}")
        convert = tuple(self._converter(compiled.binds[k].type) for k in order)
        made = _Compiled(compiled.string, order, convert)
        self._cache[(id(statement), keys)] = (statement, made)
        return made

    def _converter(self, kind: sa.types.TypeEngine[Any]) -> _Convert:
        if isinstance(kind, UtcDateTime):
            return self._time
        if isinstance(kind, sa.JSON):
            return self._json
        return None

    def sql_for(
        self,
        statement: Statement,
        keys: tuple[str, ...],
        times: tuple[str, ...] = (),
        jsons: tuple[str, ...] = (),
    ) -> str:
        """The SQL of ``statement`` for rows made as tuples in the driver's form elsewhere
        (:mod:`~wfengine.runtime.sql.audit_writes`), to write with :meth:`many_made`. Raises
        ValueError unless the statement takes exactly ``keys``, in that order, converting
        exactly the ``times`` (by :attr:`time`) and the ``jsons`` (by :attr:`json`): what
        :meth:`many` would have made of the same rows as dicts."""
        compiled = self._compiled(statement, keys)
        convert = dict(zip(compiled.keys, compiled.convert, strict=True))
        wanted = {k: self._time if k in times else self._json if k in jsons else None for k in keys}
        if compiled.keys != keys or convert != wanted:
            raise ValueError(f"{statement}: the statement takes {compiled.keys}, not {keys}")
        return compiled.sql

    def many_made(self, run: Run, sql: str, rows: Sequence[tuple[Any, ...]]) -> None:
        """Execute ``sql`` (from :meth:`sql_for`) by ``run`` once per row of ``rows``, tuples
        already in the driver's form, in one ``executemany``."""
        if rows:
            _execute(run, sql, rows)

    def many(
        self,
        run: Run,
        statement: Statement,
        rows: Sequence[Mapping[str, Any]],
        rendered: Sequence[tuple[Any, ...]] = (),
    ) -> None:
        """Execute ``statement`` by ``run`` once per row of ``rows`` (dicts, every one with the
        same keys), in one ``executemany``; ``rendered``: rows :meth:`render` made earlier,
        written first."""
        if not rows:
            if rendered:
                _execute(run, self._rendered_sql[id(statement)], rendered)
            return
        keys = tuple(rows[0])
        compiled = self._compiled(statement, keys)
        width = len(compiled.keys)
        if any(len(row) != width for row in rows):  # a value would be dropped unseen
            raise ValueError(f"{statement}: rows with other keys than {compiled.keys}")
        render = compiled.render
        out = [render(row) for row in rows]
        if rendered:
            if self._rendered_sql.get(id(statement)) != compiled.sql:
                raise ValueError(f"{statement}: rows rendered with other keys than {keys}")
            out[:0] = rendered
        _execute(run, compiled.sql, out)

    def render(
        self, statement: Statement, rows: Sequence[Mapping[str, Any]]
    ) -> list[tuple[Any, ...]]:
        """``rows`` in the driver's form now, for :meth:`many` to write later (plain tuples of
        strings, numbers and None: nothing the garbage collector has to follow)."""
        if not rows:
            return []
        compiled = self._compiled(statement, tuple(rows[0]))
        known = self._rendered_sql.setdefault(id(statement), compiled.sql)
        if known != compiled.sql:  # rendered rows of one statement share one key set
            raise ValueError(f"{statement}: rows rendered with other keys than before")
        render = compiled.render
        return [render(row) for row in rows]

    def one(
        self,
        run: Run,
        statement: Statement,
        row: Mapping[str, Any],
        *,
        checked: bool = False,
    ) -> Any:
        """Execute ``statement`` with ``row`` by ``run``; what it returns tells how many rows
        it changed (:meth:`~wfengine.runtime.sql.dialects.Dialect.changed`).
        ``checked``: it must change one row for the transaction to commit
        (:meth:`~wfengine.runtime.sql.dialects.Dialect.checked`)."""
        compiled = self._compiled(statement, tuple(row))
        sql = self._checked(compiled.sql) if checked else compiled.sql
        return run(sql, compiled.render(row))


def _execute(run: Run, sql: str, rows: Sequence[tuple[Any, ...]]) -> None:
    # one row is one execute: psycopg runs an executemany as a pipeline of its own, whose
    # set-up and sync cost more than the single statement
    if len(rows) == 1:
        run(sql, rows[0])
    else:
        run(sql, list(rows), many=True)
