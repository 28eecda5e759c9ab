"""A synchronous application call made by a command that lost a race counts as an attempt.

Why: engine B runs an instance's automatic work and calls an application; while the call is in
flight engine A (same database) suspends or changes the instance, so B's commit loses the race
and the command runs again. The call was made (audited, then ``application.discarded``), yet
the call made again (by the command's next run, or by its job's run after a resume) was
numbered attempt 1 again, with a fresh retry budget: the trail showed two attempts 1 of one
call, where a job whose host was killed counts each earlier run as one attempt made.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.definition.model import Package


def _package(*, manual_first: bool = False) -> Package:
    b = PackageBuilder("lost")
    b.application("svc", params=[("x", "OUT", "INTEGER")])
    b.participant("clerk")
    p = b.process("main")
    p.data_field("x", "INTEGER", initial="0")
    p.data_field("note", "STRING", initial="''")
    p.start("s")
    if manual_first:
        p.activity("first", performer="clerk")
    p.activity("call", tool="svc", args=["x"])
    p.activity("after", performer="clerk")
    p.end("e")
    p.sequence("s", *(["first"] if manual_first else []), "call", "after", "e")
    return b.build()


def _invoked(engine: Engine, iid: str) -> list[int]:
    """The attempt numbers of the instance's ``application.invoked`` records, in order."""
    return [
        e.detail["attempt"]
        for e in engine.audit_events(instance_id=iid)
        if e.kind == "application.invoked"
    ]


def _engines(
    tmp_path: Path, act: Callable[[Engine, str], None], *, retries: int = 0, fail_first: int = 0
) -> tuple[Engine, Engine, list[str]]:
    """Engines A and B on one SQLite file; ``svc`` answers (after ``fail_first`` failures),
    and during the first call that answers, A does ``act`` on the instance named in the
    returned list (put there by the test)."""
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    clock = VirtualClock()
    a, b = Engine(db_url=url, clock=clock), Engine(db_url=url, clock=clock)
    operator: list[str] = []
    failures = [fail_first]

    def svc() -> dict[str, int]:
        if failures[0]:
            failures[0] -= 1
            raise RuntimeError("service unavailable")
        if operator:  # engine A acts while B's call is in flight
            act(a, operator.pop())
        return {"x": 7}

    for engine in (a, b):
        engine.applications.register("svc", svc, retries=retries, backoff=0)
    return a, b, operator


def test_the_call_after_resume_is_the_second_attempt(tmp_path: Path) -> None:
    a, b, operator = _engines(tmp_path, lambda a, iid: a.suspend(iid))
    with a, b:
        a.deploy(_package())
        iid = a.start_process("main", defer=True)  # the automatic work is left to B
        operator.append(iid)
        b.run_due_jobs()  # B's call: A suspends meanwhile; B's run gives the job back
        assert _invoked(a, iid) == [1]
        a.resume(iid)
        b.run_due_jobs()
        assert _invoked(a, iid) == [1, 2]
        returned = [e for e in a.audit_events(instance_id=iid) if e.kind.endswith(".returned")]
        assert [e.detail["attempt"] for e in returned] == [1, 2]
        assert a.instance_summary(iid).state.value == "open.running"


def test_the_call_made_again_by_the_next_run_of_a_job_counts_on(tmp_path: Path) -> None:
    a, b, operator = _engines(tmp_path, lambda a, iid: a.set_data(iid, {"note": "changed"}))
    with a, b:
        a.deploy(_package())
        iid = a.start_process("main", defer=True)
        operator.append(iid)
        b.run_due_jobs()  # lost once, run again at once on A's data
        assert _invoked(a, iid) == [1, 2]
        assert a.instance(iid).data == {"x": 7, "note": "changed"}


def test_a_lost_run_s_retries_count_too(tmp_path: Path) -> None:
    act = lambda a, iid: a.set_data(iid, {"note": "changed"})  # noqa: E731
    a, b, operator = _engines(tmp_path, act, retries=3, fail_first=1)
    with a, b:
        a.deploy(_package())
        iid = a.start_process("main", defer=True)
        operator.append(iid)
        b.run_due_jobs()  # attempt 1 fails, 2 answers and is lost: the next run makes 3
        assert _invoked(a, iid) == [1, 2, 3]


def test_a_command_outside_a_job_counts_on_and_the_next_command_starts_at_one(
    tmp_path: Path,
) -> None:
    a, b, operator = _engines(tmp_path, lambda a, iid: a.set_data(iid, {"note": "changed"}))
    with a, b:
        a.deploy(_package(manual_first=True))
        iid = a.start_process("main")
        operator.append(iid)
        b.complete_work_item(b.work_items(iid)[0].id)  # B's own command calls, and loses once
        assert _invoked(a, iid) == [1, 2]
        other = a.start_process("main")  # a later command's call is its own first attempt
        b.complete_work_item(b.work_items(other)[0].id)
        assert _invoked(a, other) == [1]
