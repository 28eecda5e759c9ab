"""What names a host's command in its calls' keys (``origin_of``): the same for the same
command in every process, different for different commands (see ``command_origin``)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from wfengine.runtime.command_origin import StateOrigin, origin_of


class Commands:
    def complete(self, item: str, data: dict[str, Any] | None) -> Callable[[], object]:
        def body() -> object:
            return self, item, data

        return body


def test_the_same_command_has_one_origin_and_another_command_another() -> None:
    first, second = Commands(), Commands()  # (two engines: objects count by their type)
    data = {"b": {2, 1}, "a": datetime(2027, 1, 4, tzinfo=UTC)}
    same = {"a": datetime(2027, 1, 4, tzinfo=UTC), "b": {1, 2}}  # another order
    origin = origin_of(first.complete("wi-1", data))
    assert isinstance(origin, StateOrigin) and origin.startswith("complete-")
    assert origin == origin_of(second.complete("wi-1", same))
    others = {
        origin_of(first.complete("wi-2", data)),
        origin_of(first.complete("wi-1", None)),
        origin_of(first.complete("wi-1", {**data, "c": 1})),
    }
    assert len(others) == 3 and origin not in others


def test_a_partial_is_named_by_its_function_and_arguments() -> None:
    def reoffer(engine: object, instance_id: str) -> None: ...

    origin = origin_of(functools.partial(reoffer, object(), "pi-1"))
    assert origin.startswith("reoffer-")
    assert origin == origin_of(functools.partial(reoffer, object(), "pi-1"))
    assert origin != origin_of(functools.partial(reoffer, object(), "pi-2"))


def test_marks_start_empty_for_each_command() -> None:
    body = Commands().complete("wi-1", None)
    first, again = origin_of(body), origin_of(body)
    first.marks["pi-1"] = "5"
    assert again.marks == {}
