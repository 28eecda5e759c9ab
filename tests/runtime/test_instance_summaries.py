"""``instance_summaries``: the listing of ``instances`` without loading any instance."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import pytest

from tests.runtime.conftest import run
from tests.runtime.test_composition import _bind, _subflow_package
from wfengine.runtime.engine import Engine
from wfengine.runtime.snapshots import InstanceSnapshot, InstanceSummary
from wfengine.runtime.sql import rows as sql_rows
from wfengine.runtime.states import ProcessState

_SUMMARY_FIELDS = [f.name for f in fields(InstanceSummary)]


def _summary(snapshot: InstanceSnapshot) -> InstanceSummary:
    return InstanceSummary(**{name: getattr(snapshot, name) for name in _SUMMARY_FIELDS})


def test_summaries_list_what_instances_lists_without_loading_any(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _bind(engine)
    first = run(engine, _subflow_package())
    second = engine.start_process("main")
    engine.terminate(second)
    [child, _] = engine.instances(process_id="child")
    assert child.parent_instance_id == first and child.parent_activity_instance_id is not None

    expected: dict[tuple[ProcessState | None, str | None], list[InstanceSummary]] = {}
    filters: list[tuple[ProcessState | None, str | None]] = [
        (None, None),
        (ProcessState.RUNNING, None),
        (ProcessState.TERMINATED, None),
        (None, "child"),
        (ProcessState.RUNNING, "main"),
        (ProcessState.COMPLETED, None),
    ]
    for state, process_id in filters:
        full = engine.instances(state=state, process_id=process_id)
        expected[state, process_id] = [_summary(s) for s in full]
    assert [s.id for s in expected[None, None]][:2] == [first, child.id]
    assert expected[ProcessState.COMPLETED, None] == []

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("instance_summaries loaded an instance")

    monkeypatch.setattr(sql_rows, "load_instance", refuse)
    for (state, process_id), summaries in expected.items():
        assert engine.instance_summaries(state=state, process_id=process_id) == summaries
    terminated = engine.instance_summaries(state="closed.terminated")  # a state's value works too
    assert terminated == expected[ProcessState.TERMINATED, None]
    assert second in [s.id for s in terminated]
