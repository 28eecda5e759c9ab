"""XES: an instance's suspension pauses each activity running then (``suspend``), its
resumption resumes them (``resume``), so process-mining tools leave the held time out of the
activity's service time; offered work nobody started has nothing to pause."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.audit.xes_log import xes_events
from wfengine import Engine, PackageBuilder, VirtualClock


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.route("fork", gateway="Parallel")
    p.activity("a", performer="clerk").activity("b", performer="clerk")
    p.route("join", gateway="Parallel")
    p.transition("fork", "a").transition("fork", "b")
    p.transition("a", "join").transition("b", "join")
    return pb


def _steps(engine: Engine, **filters: Any) -> list[tuple[str, str, str | None, str]]:
    """Each event's step and its time:timestamp's HH:MM."""
    return [
        (
            ev["concept:name"],
            ev["lifecycle:transition"],
            ev.get("org:resource"),
            ev["time:timestamp"][11:16],
        )
        for ev in xes_events(engine, **filters)
    ]


def _held(tmp_path: Path, store: str) -> tuple[Engine, str]:
    """An instance whose ``a`` a clerk started at 00:00 and ``b`` is only offered; an
    operator suspends it at 01:00 and resumes it at 03:00."""
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    clock = VirtualClock()
    e = Engine(clock=clock, db_url=url)
    e.deploy(_package().build())
    iid = e.start_process("p")
    a = next(i for i in e.work_items(iid) if i.activity_id == "a")
    e.claim_work_item(a.id, "clerk")
    e.start_work_item(a.id, "clerk")
    clock.advance(timedelta(hours=1))
    e.suspend(iid, user="op")
    clock.advance(timedelta(hours=2))
    e.resume(iid, user="op")
    return e, iid


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_the_running_activity_is_suspended_and_resumed_with_its_instance(
    store: str, tmp_path: Path
) -> None:
    e, iid = _held(tmp_path, store)
    with e:
        a = next(i for i in e.work_items(iid) if i.activity_id == "a")
        e.clock.advance(timedelta(minutes=30))  # type: ignore[attr-defined]
        e.complete_work_item(a.id, user="clerk")
        steps = _steps(e)
    assert [s for s in steps if s[0] == "a"] == [
        ("a", "schedule", None, "00:00"),
        ("a", "assign", "clerk", "00:00"),
        ("a", "start", "clerk", "00:00"),
        ("a", "suspend", "op", "01:00"),
        ("a", "resume", "op", "03:00"),
        ("a", "complete", "clerk", "03:30"),
    ]
    # b was only offered: nothing of it was running to pause
    assert [s[1] for s in steps if s[0] == "b"] == ["schedule"]


def test_an_instance_aborted_while_suspended_closes_the_paused_activity_without_resume(
    tmp_path: Path,
) -> None:
    clock = VirtualClock()
    with Engine(clock=clock) as e:
        e.deploy(_package().build())
        iid = e.start_process("p")
        a = next(i for i in e.work_items(iid) if i.activity_id == "a")
        e.claim_work_item(a.id, "clerk")
        e.start_work_item(a.id, "clerk")
        e.suspend(iid)
        e.abort(iid)
        steps = [s[:3] for s in _steps(e) if s[0] == "a"]
    assert steps[-3:] == [("a", "start", "clerk"), ("a", "suspend", None), ("a", "pi_abort", None)]


def test_the_filters_choose_the_pauses_as_they_choose_other_events(tmp_path: Path) -> None:
    e, _ = _held(tmp_path, "memory")
    with e:
        # the pauses come from the instance.state events: that kind selects just them, and
        # an activity filter or the operator's name keeps each one of its activity or by them
        assert _steps(e, kind="instance.state") == [
            ("a", "suspend", "op", "01:00"),
            ("a", "resume", "op", "03:00"),
        ]
        assert [s[1] for s in _steps(e, activity_id="b")] == ["schedule"]
        assert [s[1] for s in _steps(e, user="op")] == ["suspend", "resume"]
        assert [s[1] for s in _steps(e, activity_id="a", since=e.clock.now())] == ["resume"]


def test_an_instance_suspended_with_nothing_running_writes_no_pause() -> None:
    with Engine() as e:
        e.deploy(_package().build())
        iid = e.start_process("p")
        e.suspend(iid)
        e.resume(iid)
        # (the fork started and completed as the instance started: it was running no more)
        assert [s[:2] for s in _steps(e) if s[0] in "ab"] == [("a", "schedule"), ("b", "schedule")]
