"""Fixtures for the engine tests: an engine on a virtual clock, and a small runner."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()


@pytest.fixture
def engine(clock: VirtualClock) -> Engine:
    return Engine(clock=clock)


def run(
    engine: Engine, pb: PackageBuilder, process: str = "main", data: Mapping[str, Any] | None = None
) -> str:
    """Deploy the builder's package, start ``process`` with ``data``; return the instance id."""
    engine.deploy(pb.build())
    return engine.start_process(process, data)


def complete_all(engine: Engine, instance_id: str, activity_id: str | None = None) -> int:
    """Complete every offered work item of the instance (of one activity), oldest first."""
    done = 0
    for item in engine.work_items(instance_id):
        if activity_id is None or item.activity_id == activity_id:
            engine.complete_work_item(item.id)
            done += 1
    return done
