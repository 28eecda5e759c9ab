"""A binding's timeout bounds the whole attempt of a callable that returns an awaitable (a sync
function handing back a coroutine): its sync part had the whole timeout in its thread, then the
awaitable a whole timeout more, so an attempt of 1.6 s passed a timeout of 1.0 s. The awaitable
now gets what the sync part left, and nothing left is a timeout."""

from __future__ import annotations

import asyncio
import time
import warnings
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from wfengine.applications import calling
from wfengine.applications.calling import ToolFailure, call_application, call_once
from wfengine.applications.registry import make_binding
from wfengine.errors import ApplicationTimeoutError


def _handing_back(sync: float, awaited: float) -> Callable[[], Coroutine[Any, Any, Any]]:
    """A sync application that works ``sync`` seconds, then answers a coroutine that works
    ``awaited`` seconds more."""

    async def later() -> dict[str, int]:
        await asyncio.sleep(awaited)
        return {"y": 1}

    def app() -> Coroutine[Any, Any, Any]:
        time.sleep(sync)
        return later()

    return app


def _once(app: Callable[[], Any], timeout: float) -> Any:
    return call_once(make_binding("app", app, timeout=timeout), {}, "pi-1/t/1")


def _noted(app: Callable[[], Any], timeout: float) -> Any:
    binding = make_binding("app", app, timeout=timeout)
    return call_application(binding, {}, "pi-1/t/1", sleep=lambda s: None, record=lambda e: None)


@pytest.mark.parametrize("call", [_once, _noted])
def test_the_awaitable_gets_only_what_the_sync_part_left(call: Callable[..., Any]) -> None:
    # 0.6 s + 0.6 s is past 1.0 s whatever the machine's speed (slower: the sync part alone is)
    with pytest.raises((ApplicationTimeoutError, ToolFailure), match="no answer within 1 s"):
        call(_handing_back(0.6, 0.6), 1.0)


@pytest.mark.parametrize("call", [_once, _noted])
def test_an_awaitable_answer_within_the_timeout_is_its_answer(call: Callable[..., Any]) -> None:
    assert call(_handing_back(0.01, 0.01), 5.0) == {"y": 1}


def test_nothing_left_is_a_timeout_and_the_coroutine_never_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [0.0]
    ran: list[str] = []

    async def later() -> None:
        ran.append("awaited")

    def app() -> Coroutine[Any, Any, Any]:
        now[0] += 1.0  # the sync part used the whole timeout (a clock of the test's)
        return later()

    monkeypatch.setattr(calling.time, "monotonic", lambda: now[0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "coroutine was never awaited"
        with pytest.raises(ApplicationTimeoutError, match=r"within 1 s: .* not awaited"):
            _once(app, 1.0)
    assert ran == []
