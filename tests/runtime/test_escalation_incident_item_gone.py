"""A ``job`` incident parked on a work item's reminder or escalation job, once the item is
gone. The item's reminder and escalation jobs end with it (completed, or withdrawn by a
re-offer), and retrying the incident committed the deleted job: SQLite refused it for ever
("job 'rm-1' was already carried out ... lost 11 races"), and the memory store kept the
incident resolved by the refused command, with nothing in the trail or the outbox. Now the
retry resolves it (nothing is left to redo), audited and told, the same on every store."""

from __future__ import annotations

from datetime import timedelta

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.worklist.organisation import Organisation

_CLERKS = {
    "users": [{"id": "alice", "roles": ["clerk"], "units": ["desk"]}],
    "units": [{"id": "desk"}],
    "roles": [{"id": "clerk"}],
}


class _Flaky(Organisation):
    """An organisation whose supervision answers nothing while ``down``."""

    down = False

    def supervisors_of(self, user_id: str) -> tuple[str, ...]:
        if self.down:
            raise OSError("directory down")
        return super().supervisors_of(user_id)


def test_retrying_a_job_incident_whose_item_closed_since_resolves_it(
    engine: Engine, clock: VirtualClock
) -> None:
    org = _Flaky.from_data(_CLERKS)
    engine.directory = org
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.start("s").activity("answer", performer="clerk", extended={"wfengine:escalate-after": "PT4H"})
    p.activity("next", performer="clerk").end("e").sequence("s", "answer", "next", "e")
    iid = run(engine, pb)
    org.down = True
    clock.advance(timedelta(hours=4))  # the escalation fails: its job parked behind an incident
    [incident] = engine.incidents(iid)
    assert incident.operation == "job"
    org.down = False
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id, user="alice")  # its escalation job ends with it
    trail = len(engine.audit(iid))
    engine.retry_incident(incident.id)  # was ConcurrencyError (SQL), IllegalStateError (memory)
    assert engine.incidents(iid) == []
    assert [ev.kind for ev in engine.audit(iid)][trail:] == ["incident.retried"]
    told = [
        r.payload["resolution"]
        for r in engine.outbox.entries(instance_id=iid)
        if r.kind == "incident.resolved" and r.payload["incident_id"] == incident.id
    ]
    assert told == ["retried"]
    assert [w.activity_id for w in engine.work_items(iid)] == ["next"]
