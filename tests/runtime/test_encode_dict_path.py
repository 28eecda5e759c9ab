"""A plain dict is encoded by its own path (``values._encode_dict``): the same value, and the
same refusal naming the same place, as the general path gives a Mapping that is no dict."""

from __future__ import annotations

from collections import UserDict
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from wfengine.errors import DataNotStorableError
from wfengine.runtime.values import MAX_DEPTH, encode_value

VALUES: list[Any] = [
    {},
    {"a": 1, "b": None, "c": True, "d": "x", "e": 2.5, "f": float("nan")},
    {"$wf": 1, "n": {"$wf": "dict"}},
    {"when": datetime(2027, 1, 4, tzinfo=UTC), "d": Decimal("1.5"), "t": (1, [2, {"x": 3}])},
    {"big": 1 << 5000},
    {1: "one"},
    {"ok": 1, "bad": {2: "two"}},
    {"set": {1, 2}},
    {"deep": [[[[]]]]},
]


def _outcome(value: Any) -> Any:
    try:
        return ("stored", encode_value(value, "here"))
    except DataNotStorableError as exc:
        return ("refused", str(exc))


def _general(value: Any) -> Any:
    """The value with each dict in it a Mapping that is no dict (the general path)."""
    if type(value) is dict:
        return UserDict({k: _general(v) for k, v in value.items()})
    if type(value) is list:
        return [_general(v) for v in value]
    return value


@pytest.mark.parametrize("value", VALUES)
def test_a_dict_is_stored_or_refused_as_any_mapping(value: Any) -> None:
    mine, theirs = _outcome(value), _outcome(_general(value))
    if mine[0] == "stored" and mine[1] != mine[1]:  # (nan: compare the text)
        mine, theirs = repr(mine), repr(theirs)
    assert mine == theirs


def test_the_depth_limit_holds_for_nested_dicts() -> None:
    def nested(levels: int) -> Any:
        value: Any = 1
        for _ in range(levels):
            value = {"k": value}
        return value

    for levels in (MAX_DEPTH + 7, MAX_DEPTH + 8, MAX_DEPTH + 9):
        assert _outcome(nested(levels)) == _outcome(_general(nested(levels))), levels
    assert _outcome(nested(MAX_DEPTH + 9))[0] == "refused"
