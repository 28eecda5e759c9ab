"""Fixtures for the command-line tests."""

from __future__ import annotations

import functools

import pytest


@pytest.fixture
def fast_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stores give up on an unreachable database after 2 quick attempts, not 6 slow ones."""
    from wfengine.runtime.sql import store
    from wfengine.runtime.sql.retry import RetryPolicy

    fast = functools.partial(RetryPolicy, attempts=2, base_delay=0.001, max_delay=0.002)
    monkeypatch.setattr(store, "RetryPolicy", fast)
