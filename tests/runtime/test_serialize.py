"""Instance data as the SQL store writes it: tagged JSON that reads back to equal values."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from wfengine.errors import DataNotStorableError
from wfengine.runtime.sql.serialize import decode_value, encode_data, encode_value

VALUES: list[Any] = [
    None,
    True,
    -3,
    2.5,
    float("inf"),
    "text",
    [1, "two", [3.0]],
    (1, (2, 3)),
    {"nested": {"deep": [1, 2]}},
    {"$wf": "looks like a tag", "v": 1},
    datetime(2024, 2, 29, 12, 30, tzinfo=UTC),
    datetime(2024, 2, 29, 12, 30, tzinfo=timezone(timedelta(hours=2))),
    datetime(2024, 2, 29, 12, 30),
    date(2024, 2, 29),
    time(8, 15, 1, 5),
    timedelta(days=-1, seconds=5, microseconds=7),
    Decimal("12.3400"),
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_values_survive_a_round_trip_through_json(value: Any) -> None:
    stored = json.loads(json.dumps(encode_value(value, "x"), allow_nan=False))
    back = decode_value(stored)
    assert back == value
    assert type(back) is type(value)


def test_nan_round_trips_as_nan() -> None:
    back = decode_value(json.loads(json.dumps(encode_value(float("nan"), "x"), allow_nan=False)))
    assert back != back


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ({"blob": b"bytes"}, r"data\['blob'\]: a bytes value"),
        ({"items": [1, {2}]}, r"data\['items'\]\[1\]: a set value"),
        ({"map": {1: "one"}}, r"data\['map'\]: a dict key must be a str, not int 1"),
        ({"thing": object()}, r"data\['thing'\]: a object value"),
    ],
)
def test_values_without_json_form_are_named(data: dict[str, Any], where: str) -> None:
    with pytest.raises(DataNotStorableError, match=r"instance 'pi-1', " + where):
        encode_data(data, "pi-1")
