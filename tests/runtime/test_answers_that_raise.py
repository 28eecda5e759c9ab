"""An application answer that raises while the engine reads it, and a failure whose
``exception_name`` raises, are failed attempts like any other.

An answer that is a mapping but not a dict (a database row whose cursor has closed, a lazy
proxy) raised from ``__getitem__`` as the engine read it for the audit trail, after the
attempt; an exception whose ``exception_name`` property raised did so as the engine named the
failure. Both escaped ``complete_work_item``/``start_process`` as a bare exception: on the
memory store the person's work item stayed completed and the Tool activity running with no
job and no incident, and an asynchronous call's job became an incident of the job (never
retried, no EXCEPTION transition). Now the answer is read into a dict inside the attempt
(:func:`~wfengine.applications.calling.taken_answer`, for both paths), and the name read
defensively: retried, then the EXCEPTION transition or an incident, on every store.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ActivityState


class ClosedRow(Mapping[str, Any]):
    """A row whose connection closed before it was read: it has keys, no values."""

    def __init__(self, *keys: str) -> None:
        self._keys = keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __getitem__(self, key: str) -> Any:
        raise ConnectionResetError("connection closed before the row was read")


class Row(Mapping[str, Any]):
    """A row read in time: a mapping that is not a dict."""

    def __init__(self, **values: Any) -> None:
        self._values = values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __getitem__(self, key: str) -> Any:
        return self._values[key]


class RemoteError(Exception):
    """An agent's error whose ``exception_name`` (the remote exception) cannot be read."""

    @property
    def exception_name(self) -> str:
        raise RuntimeError("the remote exception's name was not sent")


def _deploy(engine: Engine, *, handled: bool = False) -> str:
    """An instance waiting at ``before`` (a person's), whose next activity calls ``lookup``
    for ``n``; ``handled``: a ConnectionResetError or a RemoteError leads to ``handler``."""
    pb = PackageBuilder("rows")
    pb.application("lookup", params=[("n", "OUT", "INTEGER")])
    p = pb.process("p")
    p.data_field("n", "INTEGER", initial="0")
    p.start("s")
    p.activity("before", performer="clerk")
    p.activity("call", tool="lookup", args=["n"])
    p.end("e")
    p.sequence("s", "before", "call", "e")
    if handled:
        p.activity("handler")
        p.end("e2")
        p.transition("call", "handler", exception="ConnectionResetError")
        p.transition("call", "handler", exception="RemoteError")
        p.sequence("handler", "e2")
    engine.deploy(pb.build())
    return engine.start_process("p")


def _answers(*answers: Any) -> Any:
    """An application giving ``answers`` in turn (raising one that is an exception)."""
    left = list(answers)

    def lookup() -> Any:
        answer = left.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    return lookup


def _attempts(engine: Engine, iid: str) -> list[str]:
    return [
        e.kind
        for e in engine.audit(iid)
        if e.kind in ("application.invoked", "application.failed", "application.returned")
    ]


def _complete_before(engine: Engine, iid: str) -> None:
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id)  # raised ConnectionResetError


@pytest.mark.parametrize("asynchronous", [False, True])
def test_an_answer_that_raises_while_read_is_a_failed_attempt_retried(
    engine: Engine, clock: VirtualClock, asynchronous: bool
) -> None:
    engine.applications.sleep = lambda s: None
    engine.applications.register(
        "lookup", _answers(ClosedRow("n"), Row(n=5)), retries=1, asynchronous=asynchronous
    )
    iid = _deploy(engine)
    _complete_before(engine, iid)
    for _ in range(2):  # the asynchronous call, and its retry when it is due
        due = engine.next_due_at()
        if due is not None:
            clock.set(max(due, clock.now()))
            engine.run_due_jobs()
    assert engine.instance(iid).state.value == "closed.completed"
    assert engine.instance(iid).data["n"] == 5
    assert engine.incidents(iid) == []
    assert _attempts(engine, iid) == [
        "application.invoked",
        "application.failed",
        "application.invoked",
        "application.returned",
    ]
    [failed] = [e for e in engine.audit(iid) if e.kind == "application.failed"]
    assert "ConnectionResetError: connection closed" in failed.detail["error"]


@pytest.mark.parametrize("asynchronous", [False, True])
def test_an_answer_that_raises_while_read_takes_the_exception_transition(
    engine: Engine, asynchronous: bool
) -> None:
    engine.applications.register("lookup", _answers(ClosedRow("n")), asynchronous=asynchronous)
    iid = _deploy(engine, handled=True)
    _complete_before(engine, iid)
    engine.run_due_jobs()
    assert engine.trace(iid) == ["s", "before", "handler", "e2"]
    assert engine.instance(iid).state.value == "closed.completed"
    assert engine.incidents(iid) == []


@pytest.mark.parametrize("asynchronous", [False, True])
def test_an_answer_that_raises_while_read_with_no_route_is_an_incident(
    engine: Engine, asynchronous: bool
) -> None:
    engine.applications.register("lookup", _answers(ClosedRow("n")), asynchronous=asynchronous)
    iid = _deploy(engine)
    _complete_before(engine, iid)
    engine.run_due_jobs()
    [incident] = engine.incidents(iid)
    assert incident.activity_id == "call" and incident.application_id == "lookup"
    assert "ConnectionResetError: connection closed before the row was read" in incident.message
    states = {a.activity_id: a.state for a in engine.activity_instances(iid)}
    assert states["before"] is ActivityState.COMPLETED
    assert engine.jobs(iid) == []  # the call's failure, not a job's


@pytest.mark.parametrize("asynchronous", [False, True])
def test_a_failure_whose_exception_name_raises_is_named_by_its_type(
    engine: Engine, asynchronous: bool
) -> None:
    engine.applications.register(
        "lookup", _answers(RemoteError("refused")), asynchronous=asynchronous
    )
    iid = _deploy(engine, handled=True)
    _complete_before(engine, iid)  # raised RuntimeError
    engine.run_due_jobs()
    assert engine.trace(iid) == ["s", "before", "handler", "e2"]
    assert engine.incidents(iid) == []
