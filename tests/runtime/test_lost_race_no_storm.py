"""The audit of a lost race's calls makes no other engine lose its race.

Why: engine A's command lost a race (engine C changed the instance while A's synchronous call
was in flight). A's call records were then written in a transaction of their own, before A
ran again: a write to the instance that bumped its row version, so engine B, whose command
read the instance after C's commit and was in flight, lost its race too, called its
application again and wrote its own audit: a storm (8 engines completing 8 parallel parts of
one instance: 75 calls instead of 36, and commands failing after 11 lost races). Now the lost
records go into the commit of A's next run: B's command, committed first, does not lose.
"""

from __future__ import annotations

import threading
from pathlib import Path

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.definition.model import Package

_WAIT = 30  # seconds: only a broken engine waits that long (then the test fails, not hangs)


def _package() -> Package:
    b = PackageBuilder("storm")
    b.participant("clerk")
    p = b.process("main")
    p.activity("fork", split="Parallel")
    for i in range(3):
        b.application(f"svc{i}")
        p.activity(f"r{i}", performer="clerk")
        p.activity(f"c{i}", tool=f"svc{i}")
        p.transition("fork", f"r{i}")
        p.transition(f"r{i}", f"c{i}")
    return b.build()


def test_a_lost_race_audited_makes_no_other_command_lose(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    clock = VirtualClock()
    a, b, c = (Engine(db_url=url, clock=clock) for _ in range(3))
    try:
        a.deploy(_package(), check_bindings=False)
        iid = a.start_process("main")
        items = {w.activity_id: w.id for w in a.work_items(instance_id=iid)}
        calls: dict[str, int] = {"svc0": 0, "svc1": 0, "svc2": 0}
        b_reading, a_again, b_done = threading.Event(), threading.Event(), threading.Event()
        errors: list[BaseException] = []

        def svc0() -> None:  # engine A's call
            calls["svc0"] += 1
            if calls["svc0"] == 1:  # C wins the race; B reads after it and is in flight
                c.complete_work_item(items["r2"])
                threading.Thread(target=run_b).start()
                assert b_reading.wait(_WAIT)
            elif calls["svc0"] == 2:  # A runs again: B goes on and commits meanwhile
                a_again.set()
                assert b_done.wait(_WAIT)

        def svc1() -> None:  # engine B's call
            calls["svc1"] += 1
            if calls["svc1"] == 1:
                b_reading.set()
                assert a_again.wait(_WAIT)

        def svc2() -> None:  # engine C's call
            calls["svc2"] += 1

        def run_b() -> None:
            try:
                b.complete_work_item(items["r1"])
            except BaseException as exc:  # (reported below)
                errors.append(exc)
            finally:
                b_done.set()

        for engine in (a, b, c):
            engine.applications.register("svc0", svc0)
            engine.applications.register("svc1", svc1)
            engine.applications.register("svc2", svc2)
        a.complete_work_item(items["r0"])
        assert b_done.wait(_WAIT)
        assert not errors
        # B read the instance after C's commit: nothing A wrote came between its read and
        # its commit (before: A's audit of its lost call did, and B called svc1 again)
        assert calls["svc1"] == 1
        kinds = [e.kind for e in a.audit_events(instance_id=iid)]
        assert kinds.count("application.invoked") == sum(calls.values())
        assert kinds.count("application.discarded") == calls["svc0"] - 1
        assert a.instance_summary(iid).state.value == "closed.completed"
        assert a.verify_audit().ok
    finally:
        for engine in (a, b, c):
            engine.close()
