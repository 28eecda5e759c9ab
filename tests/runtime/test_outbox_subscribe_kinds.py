"""``outbox.subscribe`` takes one kind as a plain string as well as a list of kinds.

A string is an iterable of strings, so ``subscribe(handler, "work_item.offered")`` was read
letter by letter and refused with "'w' is not a valid OutboxKind"."""

from __future__ import annotations

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.outbox import OutboxKind, OutboxRecord


def test_one_kind_given_as_a_string_subscribes_that_kind() -> None:
    engine = Engine()
    got: list[str] = []

    def offered(record: OutboxRecord) -> None:
        got.append(record.kind)

    engine.outbox.subscribe(offered, "work_item.offered")
    pb = PackageBuilder("pkg")
    pb.process("main").activity("ask", performer="clerk")
    engine.deploy(pb.build())
    engine.start_process("main")
    engine.deliver_outbox()
    assert got == ["work_item.offered"]


def test_one_kind_given_as_an_enum_member_subscribes_that_kind() -> None:
    engine = Engine()
    engine.outbox.subscribe(print, OutboxKind.WORK_ITEM_OFFERED)
    assert engine.outbox.handlers.handlers("work_item.offered") == [print]


def test_a_misspelt_kind_is_refused_naming_the_kinds_there_are() -> None:
    engine = Engine()
    with pytest.raises(
        ValueError, match=r"'work_item\.ofered' is not an outbox kind.*reminder\.due"
    ):
        engine.outbox.subscribe(print, "work_item.ofered")
