"""XPDL basic types: which values pass, which are converted, which are refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from wfengine.applications.coercion import coerce
from wfengine.applications.redaction import audit_values
from wfengine.definition.model import BasicTypeKind as T


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        (T.STRING, "x", "x"),
        (T.STRING, 12, "12"),
        (T.INTEGER, 3, 3),
        (T.INTEGER, 3.0, 3),
        (T.INTEGER, " -42 ", -42),
        (T.FLOAT, 2, 2.0),
        (T.FLOAT, "2.5", 2.5),
        (T.BOOLEAN, "TRUE", True),
        (T.BOOLEAN, False, False),
        (
            T.DATETIME,
            "2024-05-01T10:00:00+00:00",
            datetime.fromisoformat("2024-05-01T10:00:00+00:00"),
        ),
        # without an offset: UTC, as a literal is (it compares with now())
        (T.DATETIME, "2024-05-01T10:00:00", datetime(2024, 5, 1, 10, tzinfo=UTC)),
        (T.DATETIME, datetime(2024, 5, 1, 10), datetime(2024, 5, 1, 10, tzinfo=UTC)),
        (T.DATE, "2024-05-01", date(2024, 5, 1)),
        (T.TIME, "10:30", time(10, 30)),
        (T.REFERENCE, {"any": "thing"}, {"any": "thing"}),
        (T.PERFORMER, "alice", "alice"),
        (T.INTEGER, None, None),
    ],
)
def test_accepted_values(kind: T, value: Any, expected: Any) -> None:
    got = coerce(value, kind)
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (T.STRING, True),
        (T.STRING, {"a": 1}),
        (T.INTEGER, True),
        (T.INTEGER, 2.5),
        (T.INTEGER, "2.5"),
        (T.FLOAT, "abc"),
        (T.FLOAT, 10**400),  # beyond a float: was an OverflowError
        (T.BOOLEAN, 1),
        (T.BOOLEAN, "yes"),
        (T.DATETIME, "tomorrow"),
        (T.DATE, datetime(2024, 5, 1, 10)),
        (T.TIME, 10),
        (T.PERFORMER, 7),
    ],
)
def test_refused_values_say_what_was_expected(kind: T, value: Any) -> None:
    with pytest.raises(ValueError, match=rf"expected {kind.value}.*got {type(value).__name__}"):
        coerce(value, kind)


def test_arrays_are_checked_element_by_element() -> None:
    assert coerce(["1", 2], T.INTEGER, is_array=True) == [1, 2]
    with pytest.raises(ValueError, match="expected a list of INTEGER"):
        coerce(1, T.INTEGER, is_array=True)
    with pytest.raises(ValueError, match="expected INTEGER"):
        coerce([1, "x"], T.INTEGER, is_array=True)


def test_audit_values_are_plain_and_redacted() -> None:
    shown = audit_values(
        {"when": date(2024, 1, 2), "pw": "s3cret", "obj": object(), "n": [time(1, 2)]}, {"pw"}
    )
    assert shown["when"] == "2024-01-02" and shown["pw"] == "***" and shown["n"] == ["01:02:00"]
    assert shown["obj"].startswith("<object object")
