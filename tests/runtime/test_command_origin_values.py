"""Different data never makes one command origin (and so one idempotency key).

Why: the origin digested a reduced form of a command's arguments, in which different values
read alike: data passed as a mapping proxy counted by its type alone, differences nested
deeper than 8 levels were cut, and a timedelta read as its text, a tuple as a list, bytes as
their hex text. Completing one work item with other data (a host re-run with a corrected
decision) then called the application with the first attempt's key, and the service
answered the new request with the old one's result. Now the digest is of one canonical,
type-tagged encoding of every value, at any depth.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import pytest

from wfengine.runtime.command_origin import origin_of


def _complete(item: str, data: Any) -> Callable[[], object]:
    def body() -> object:
        return item, data

    return body


def _deep(leaf: Any, levels: int) -> Any:
    value = leaf
    for _ in range(levels):
        value = {"x": [value]}
    return value


_DIFFERENT = {
    "mapping proxy": (MappingProxyType({"d": "approve"}), MappingProxyType({"d": "reject"})),
    "deep": (_deep("approve", 20), _deep("reject", 20)),
    "deep in a proxy": (MappingProxyType(_deep("a", 12)), MappingProxyType(_deep("b", 12))),
    "timedelta and its text": ({"w": timedelta(days=1)}, {"w": str(timedelta(days=1))}),
    "timedeltas": ({"w": timedelta(days=1)}, {"w": timedelta(days=30)}),
    "tuple and list": ({"t": (1, 2)}, {"t": [1, 2]}),
    "bytes and hex text": ({"b": b"ab"}, {"b": "6162"}),
    "int and text keys": ({1: "a"}, {"1": "a"}),
    "a tag and a tuple": ({"$wf": "tuple", "v": [1]}, (1,)),
    "decimal and text": (Decimal("1.5"), "decimal:1.5"),
    "one and true": ({"n": 1}, {"n": True}),
    "one and one point zero": ({"n": 1}, {"n": 1.0}),
    "zones": (
        datetime(2027, 1, 4, tzinfo=UTC),
        datetime(2027, 1, 4, tzinfo=UTC).astimezone(UTC).replace(tzinfo=None),
    ),
    "set and list": ({1, 2}, [1, 2]),
}


@pytest.mark.parametrize("what", _DIFFERENT)
def test_different_data_makes_different_origins(what: str) -> None:
    first, second = _DIFFERENT[what]
    assert origin_of(_complete("wi-1", first)) != origin_of(_complete("wi-1", second))


def test_equal_data_makes_one_origin_whatever_its_container_or_order() -> None:
    data = {"b": [1, (2, 3)], "a": {"x": {4, 5}}, "c": _deep("leaf", 30)}
    same = {"c": _deep("leaf", 30), "a": {"x": {5, 4}}, "b": [1, (2, 3)]}
    origin = origin_of(_complete("wi-1", data))
    assert origin == origin_of(_complete("wi-1", same))
    assert origin == origin_of(_complete("wi-1", MappingProxyType(same)))
