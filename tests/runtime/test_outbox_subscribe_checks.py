"""``outbox.subscribe`` checks its arguments when called: with them swapped, or something not
callable as the handler, it raised "'function' object is not iterable" or accepted it and then
failed every delivery attempt of the entries (20, over hours)."""

from __future__ import annotations

import pytest

from wfengine.runtime.engine import Engine
from wfengine.runtime.outbox import OutboxRecord


def notify(record: OutboxRecord) -> None:
    """A handler."""


def test_swapped_arguments_are_refused_naming_the_order() -> None:
    engine = Engine()
    with pytest.raises(TypeError, match=r"swapped.*subscribe\(handler, kinds\)"):
        engine.outbox.subscribe("work_item.offered", notify)  # type: ignore[arg-type]
    assert not engine.outbox.handlers.subscribed()


def test_a_handler_that_cannot_be_called_is_refused_at_once() -> None:
    engine = Engine()
    with pytest.raises(TypeError, match=r"'work_item\.offered' \(str\).*not callable"):
        engine.outbox.subscribe("work_item.offered", ["work_item.offered"])  # type: ignore[arg-type]
    assert not engine.outbox.handlers.subscribed()


def test_kinds_that_are_not_kinds_are_refused_naming_what_was_given() -> None:
    engine = Engine()
    with pytest.raises(TypeError, match=r"not 3 \(int\)"):
        engine.outbox.subscribe(notify, 3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"a kind is a string.*<function notify>"):
        engine.outbox.subscribe(notify, [notify])  # type: ignore[list-item]
    assert not engine.outbox.handlers.subscribed()
