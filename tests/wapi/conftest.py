"""Fixtures for the agent tests: an engine whose retries never wait."""

from __future__ import annotations

import pytest

from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine


@pytest.fixture
def engine() -> Engine:
    engine = Engine(clock=VirtualClock())
    engine.applications.sleep = lambda seconds: None
    return engine
