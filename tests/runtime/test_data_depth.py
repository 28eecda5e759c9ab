"""Instance data may nest 64 levels deep, on every store and through every command.

README: "instance data | JSON-like values nested 64 deep ... (both stores refuse the same
values)". A value is its own depth: the store's wrapping (the instance's data, an audit
event's old and new values, a work item's) adds nothing to it, and what the innermost list
holds (a number, a float, a text) adds no level.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import DataNotStorableError
from wfengine.runtime.engine import Engine

COMMANDS = ["start_process", "set_data", "complete_work_item"]
LEAVES = [1, 2.5, math.inf, "text", None, []]


def nested(levels: int, leaf: Any, kind: type) -> Any:
    value = leaf
    for _ in range(levels):
        value = {"k": value} if kind is dict else kind([value])
    return value


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    proc = pb.process("main")
    proc.start("s").activity("work", performer="clerk").end("e")
    proc.sequence("s", "work", "e")
    return pb


def _give(engine: Engine, command: str, value: Any) -> str:
    """Give ``value`` as field ``x`` through ``command``; the instance's id."""
    if command == "start_process":
        return engine.start_process("main", {"x": value})
    iid = engine.start_process("main", {})
    if command == "set_data":
        engine.set_data(iid, {"x": value})
    else:
        engine.complete_work_item(engine.work_items(iid)[0].id, {"x": value})
    return iid


@pytest.mark.parametrize("leaf", LEAVES, ids=repr)
@pytest.mark.parametrize("kind", [list, tuple, dict], ids=lambda k: k.__name__)
@pytest.mark.parametrize("command", COMMANDS)
def test_data_nested_64_levels_is_kept_by_every_store(
    engine: Engine, command: str, kind: type, leaf: Any
) -> None:
    engine.deploy(_package().build())
    value = nested(64 - (leaf == []), leaf, kind)  # an empty list is a level itself
    iid = _give(engine, command, value)
    assert engine.instance(iid).data["x"] == value


@pytest.mark.parametrize("leaf", LEAVES, ids=repr)
@pytest.mark.parametrize("kind", [list, tuple, dict], ids=lambda k: k.__name__)
@pytest.mark.parametrize("command", COMMANDS)
def test_data_nested_65_levels_is_refused_by_every_store_before_anything_changes(
    engine: Engine, command: str, kind: type, leaf: Any
) -> None:
    run(engine, _package())
    before = engine.instance_summaries()
    value = nested(65 - (leaf == []), leaf, kind)
    with pytest.raises(DataNotStorableError, match="nested deeper than 64 levels"):
        _give(engine, command, value)
    started = len(engine.instance_summaries()) - len(before)
    assert started == (0 if command == "start_process" else 1)
    for summary in engine.instance_summaries():
        assert "x" not in engine.instance(summary.id).data
