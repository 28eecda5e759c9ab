"""``close`` waits for an asynchronous application's call in flight in ``run_due_jobs``.

Why: such a call runs outside any command (the invoke job's ``prepare``), and ``close`` waited
for a running command only: it closed the engine under the call, the command applying the
answer was refused (a traceback logged), the job was given back and the application called a
second time, the first answer in no audit. Now ``close`` waits for the run's job to finish and
commit, as it does for a command.
"""

from __future__ import annotations

import threading
from pathlib import Path

from tests.runtime.closing_clock import ClosingClock
from wfengine import Engine, PackageBuilder
from wfengine.definition.model import Package

_WAIT = 30  # seconds: only a broken engine waits that long (then the test fails, not hangs)


def _package() -> Package:
    b = PackageBuilder("close")
    b.participant("clerk")
    p = b.process("main")
    p.data_field("amount", "INTEGER", initial="7")
    p.data_field("receipt", "STRING")
    b.application("charge", params=[("a", "IN", "INTEGER"), ("r", "OUT", "STRING")])
    p.activity("call", tool="charge", args=["amount", "receipt"])
    p.activity("after", performer="clerk")
    p.transition("call", "after")
    return b.build()


def test_close_waits_for_an_asynchronous_call_in_flight(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    clock = ClosingClock()
    engine = Engine(db_url=url, clock=clock)
    in_call, answer = threading.Event(), threading.Event()
    calls: list[str] = []

    def charge(a: int, idempotency_key: str) -> dict[str, str]:
        calls.append(idempotency_key)
        in_call.set()
        assert answer.wait(_WAIT)
        return {"r": f"charged#{len(calls)}"}

    engine.applications.register("charge", charge, asynchronous=True)
    engine.deploy(_package(), check_bindings=False)
    iid = engine.start_process("main")
    ran: list[object] = []

    def work() -> None:
        try:
            ran.append(engine.run_due_jobs())
        except BaseException as exc:  # (reported below)
            ran.append(exc)

    worker = threading.Thread(target=work)
    worker.start()
    assert in_call.wait(_WAIT)
    closer = threading.Thread(target=engine.close)
    closer.start()
    assert clock.closing.wait(_WAIT)  # close has begun while the call is in flight
    answer.set()
    closer.join(_WAIT)
    worker.join(_WAIT)
    assert not closer.is_alive() and not worker.is_alive()
    assert ran == [1]  # the job ran, its answer committed
    with Engine(db_url=url, clock=clock) as after:
        assert after.instance(iid).data["receipt"] == "charged#1"
        assert after.jobs(iid) == []
        kinds = [e.kind for e in after.audit_events(instance_id=iid)]
        assert kinds.count("application.returned") == 1
    assert len(calls) == 1
