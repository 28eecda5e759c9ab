"""A synchronous application call whose command loses a race with another engine is audited.

Why: engine B runs an instance's automatic work and calls an application; while the call is
in flight engine A (same database) terminates, suspends or changes the instance. B's commit
loses the race and the command runs again on fresh state. The call was made (its side effects
happened) but its ``application.invoked`` / ``returned`` records went with the lost commit: the
audit trail said the application was never called (terminate), or showed one call of two
(suspend, then resume: the call is made again). Now the lost call's records are kept, followed
by ``application.discarded`` saying why its answer was not used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.definition.model import Package


def _package() -> Package:
    b = PackageBuilder("lost")
    b.application("svc", params=[("x", "OUT", "INTEGER")])
    b.participant("clerk")
    p = b.process("main")
    p.data_field("x", "INTEGER", initial="0")
    p.data_field("note", "STRING", initial="''")
    p.start("s")
    p.activity("call", tool="svc", args=["x"])
    p.activity("after", performer="clerk")
    p.end("e")
    p.sequence("s", "call", "after", "e")
    return b.build()


def _application_events(engine: Engine, iid: str) -> list[tuple[str, Any, Any]]:
    return [
        (e.kind, (e.detail or {}).get("attempt"), (e.detail or {}).get("key"))
        for e in engine.audit_events(instance_id=iid)
        if e.kind.startswith("application.")
    ]


@pytest.mark.parametrize("operation", ["terminate", "suspend", "set_data"])
def test_a_call_of_a_command_that_lost_a_race_is_audited(tmp_path: Path, operation: str) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    clock = VirtualClock()
    with Engine(db_url=url, clock=clock) as a, Engine(db_url=url, clock=clock) as b:
        calls: list[int] = []
        operator: list[str] = []  # the instance an operator acts on during the first call

        def svc() -> dict[str, int]:
            calls.append(1)
            if operator:  # engine A acts while B's call is in flight
                iid = operator.pop()
                if operation == "set_data":
                    a.set_data(iid, {"note": "changed"})
                else:
                    getattr(a, operation)(iid)
            return {"x": 7}

        for engine in (a, b):
            engine.applications.register("svc", svc)
        a.deploy(_package())
        iid = a.start_process("main", defer=True)  # the automatic work is left to B
        operator.append(iid)
        b.run_due_jobs()
        if operation == "suspend":
            a.resume(iid)
            b.run_due_jobs()

        events = _application_events(a, iid)
        kinds = [kind for kind, _, _ in events]
        lost = ["application.invoked", "application.returned", "application.discarded"]
        made_again = ["application.invoked", "application.returned"]
        assert kinds == (lost if operation == "terminate" else lost + made_again)
        assert len(calls) == kinds.count("application.invoked")
        keys = {key for kind, _, key in events if kind != "application.returned"}
        assert len(keys) == 1  # one call: one idempotency key
        discarded = next(
            e for e in a.audit_events(instance_id=iid) if e.kind == "application.discarded"
        )
        assert discarded.activity_id == "call"
        now = a.instance_summary(iid).state.value
        state = "closed.terminated" if operation == "terminate" else "open.not_running.suspended"
        if operation != "set_data":
            assert f"it is {state} now" in discarded.detail["reason"]
            assert now == ("closed.terminated" if operation == "terminate" else "open.running")
        else:
            assert "it is open.running now" in discarded.detail["reason"]
            assert a.instance(iid).data == {"x": 7, "note": "changed"}
        assert a.verify_audit().ok  # the chain goes on through the kept records
