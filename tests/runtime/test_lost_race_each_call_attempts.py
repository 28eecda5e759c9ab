"""A job whose run lost its race to a suspension after making several synchronous calls: after
the resume, *each* call it makes again is numbered as the next attempt and has only the retries
the lost run left it (:func:`wfengine.runtime.job_claims.made_before`).

Why: the per-call counts of the lost run lived with its command, gone once the job was given
back; the job's claim count then numbered only the first call again (c0 attempt 2), and c1 and
c2 started at attempt 1 with a fresh retry budget.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.definition.model import Package
from wfengine.runtime.sql.store import SqlStore
from wfengine.runtime.store import Store

CALLS = ("c0", "c1", "c2")


def _package() -> Package:
    """One job through three activities, each calling ``app`` with its own name."""
    b = PackageBuilder("att")
    b.application("app", params=[("step", "IN", "STRING")])
    p = b.process("p")
    p.start("s")
    for name in CALLS:
        p.data_field(f"s_{name}", "STRING", initial=f"'{name}'")
        p.activity(name, tool="app", args=[f"s_{name}"])
    p.end("e")
    p.sequence("s", *CALLS, "e")
    return b.build()


@pytest.fixture(params=["sqlite", "postgresql"])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], Store]:
    """What makes the store each of two engines on one database opens. (Not the memory
    store: engines sharing one take turns, a command at a time, so no run loses a race.)"""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'wf.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    return lambda: SqlStore(url)


def _invoked(engine: Engine, iid: str) -> list[tuple[str, int]]:
    return [
        (e.activity_id or "", e.detail["attempt"])
        for e in engine.audit(iid)
        if e.kind == "application.invoked"
    ]


def _suspended_during_c1(
    stores: Callable[[], Store], fails_after_resume: str | None = None
) -> tuple[Engine, str]:
    """Engine A runs the job; during c1 engine B suspends the instance, so A's run loses the
    race and gives the job back; B resumes it and A runs the job again. With
    ``fails_after_resume``, that call fails every time after the resume (``retries=1``)."""
    clock = VirtualClock()
    a, b = Engine(store=stores(), clock=clock), Engine(store=stores(), clock=clock)
    resumed: list[bool] = []
    iid: list[str] = []

    def app(step: str) -> dict[str, str]:
        if step == "c1" and not resumed and not iid[1:]:
            iid.append("suspended")
            b.suspend(iid[0])
        if resumed and step == fails_after_resume:
            raise ConnectionError(f"{step}: service unavailable")
        return {}

    for engine in (a, b):
        engine.applications.register("app", app, retries=1, backoff=0)
    a.deploy(_package())
    iid.append(a.start_process("p", defer=True))
    a.run_due_jobs()
    assert a.instance_summary(iid[0]).state.value == "open.not_running.suspended"
    assert _invoked(a, iid[0]) == [("c0", 1), ("c1", 1), ("c2", 1)]  # made, then discarded
    b.resume(iid[0])
    resumed.append(True)
    a.run_due_jobs()
    return a, iid[0]


def test_each_call_made_again_after_the_resume_is_its_second_attempt(
    stores: Callable[[], Store],
) -> None:
    a, iid = _suspended_during_c1(stores)
    assert a.instance_summary(iid).state.value == "closed.completed"
    assert _invoked(a, iid)[3:] == [("c0", 2), ("c1", 2), ("c2", 2)]


def test_a_later_call_has_only_the_retries_the_lost_run_left(
    stores: Callable[[], Store],
) -> None:
    a, iid = _suspended_during_c1(stores, fails_after_resume="c2")
    # retries=1: two attempts in all, one made by the lost run; no third
    assert _invoked(a, iid)[3:] == [("c0", 2), ("c1", 2), ("c2", 2)]
    (incident,) = a.incidents(iid)
    assert incident.activity_id == "c2"
