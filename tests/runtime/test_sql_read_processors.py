"""The read path's own processors for SQLite's ``UtcDateTime`` and ``JSON`` columns
(``driver.direct``) give what SQLAlchemy's give, value for value and error for error."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from wfengine.runtime.sql.driver import direct
from wfengine.runtime.sql.schema import UtcDateTime

TIMES = [
    "2027-01-04 09:30:15.123456",
    "2027-01-04 09:30:15",
    "2027-01-04",
    "2027-01-04T09:30:15+02:00",
    "2027-01-04 09:30:15.5-05:30",
    "not a time",
    "",
    5,
    b"2027-01-04 09:30:15",
]
JSONS = [
    '{"a":1,"b":[1.5,"\\u00e9",null],"c":{"$wf":"tuple","v":[]}}',
    '["dept"]',
    "null",
    "5",
    " [1] ",
    "[1] x",
    "[1,",
    "\ufeff[1]",
    "",
    "nul",
    5,
    2.5,
]


def _outcome(process: Any, value: Any) -> Any:
    try:
        found = process(value)
    except Exception as exc:  # the same error: its type and text
        return ("raised", type(exc), str(exc))
    return ("read", found, type(found), getattr(found, "tzinfo", None))


@pytest.mark.parametrize(("kind", "values"), [(UtcDateTime(), TIMES), (sa.JSON(), JSONS)])
def test_each_value_reads_as_sqlalchemy_reads_it(kind: Any, values: list[Any]) -> None:
    dialect = sqlite.dialect()
    made = kind.dialect_impl(dialect).result_processor(dialect, None)
    mine = direct(kind, dialect, made)
    assert mine is not made  # (the fast one is in use)
    for value in values:
        assert _outcome(mine, value) == _outcome(made, value), value


def test_other_dialects_and_kinds_keep_sqlalchemys() -> None:
    pg = postgresql.dialect()
    made = UtcDateTime().dialect_impl(pg).result_processor(pg, None)
    assert direct(UtcDateTime(), pg, made) is made
    lite = sqlite.dialect()
    number = sa.Numeric().dialect_impl(lite).result_processor(lite, None)
    assert direct(sa.Numeric(), lite, number) is number
    assert direct(sa.String(), lite, None) is None


def test_a_host_json_deserializer_keeps_sqlalchemys() -> None:
    dialect = sqlite.dialect(json_deserializer=lambda text: ("host's", text))
    made = sa.JSON().dialect_impl(dialect).result_processor(dialect, None)
    assert direct(sa.JSON(), dialect, made) is made
