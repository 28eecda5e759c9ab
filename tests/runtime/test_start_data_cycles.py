"""start_process and create_instance refuse a cyclic or very deeply nested value as every
other command does: a DataNotStorableError naming the new instance's process and the
field. They copied the data before checking it, and the copy recursed into a bare
RecursionError (while complete_work_item and set_data named the place)."""

from __future__ import annotations

from typing import Any

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.errors import DataNotStorableError
from wfengine.runtime.engine import Engine


def _cyclic_list() -> list[Any]:
    value: list[Any] = []
    value.append(value)
    return value


def _cyclic_dict() -> dict[str, Any]:
    value: dict[str, Any] = {}
    value["me"] = value
    return value


def _deep(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = [value]
    return value


VALUES = {"cyclic list": _cyclic_list, "cyclic dict": _cyclic_dict, "900 deep": lambda: _deep(900)}


@pytest.mark.parametrize("command", ["start_process", "create_instance"])
@pytest.mark.parametrize("make", VALUES.values(), ids=VALUES.keys())
def test_a_cyclic_or_too_deep_value_is_refused_by_name_and_nothing_is_created(
    engine: Engine, command: str, make: Any
) -> None:
    pb = PackageBuilder("pkg")
    proc = pb.process("main")
    proc.start("s").activity("work", performer="clerk").end("e")
    proc.sequence("s", "work", "e")
    engine.deploy(pb.build())
    refused = r"a new instance of process 'main', data\['x'\]"
    with pytest.raises(DataNotStorableError, match=refused):
        getattr(engine, command)("main", {"x": make(), "y": 1})
    assert engine.instance_summaries() == [] and engine.audit_events() == []
    iid = engine.start_process("main", {"y": 2})  # the engine goes on as before
    assert engine.instance(iid).data["y"] == 2
