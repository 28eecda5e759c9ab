"""An id holding a lone surrogate (``"pi-\\udcff"``: what ``sys.argv`` or ``os.fsdecode``
make of a byte that is not UTF-8) or a NUL, given to an engine command: memory said
NotFoundError, SQLite a bare UnicodeEncodeError or a StoreError saying the instance's row
"cannot be read" (as if the database were damaged), PostgreSQL a driver's error. Now it is a
ValueError naming the command and the argument, worded as the command line's, on every store
alike; and a store asked for such an instance says it has none, as memory did."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.errors import NotFoundError

SURROGATE = "pi-\udcff"

#: (command, argument) -> how to call it with ``bad`` as that argument
CALLS: dict[tuple[str, str], Callable[[Engine, str], object]] = {
    ("start_process", "process_id"): lambda e, bad: e.start_process(bad),
    ("latest", "process_id"): lambda e, bad: e.latest(bad),
    ("instance", "instance_id"): lambda e, bad: e.instance(bad),
    ("start", "instance_id"): lambda e, bad: e.start(bad),
    ("set_data", "instance_id"): lambda e, bad: e.set_data(bad, {"a": 1}),
    ("work_item", "work_item_id"): lambda e, bad: e.work_item(bad),
    ("complete_work_item", "work_item_id"): lambda e, bad: e.complete_work_item(bad),
    ("retry_incident", "incident_id"): lambda e, bad: e.retry_incident(bad),
    ("abandon_job", "job_id"): lambda e, bad: e.abandon_job(bad, "gone"),
    ("run_due_jobs", "instances"): lambda e, bad: e.run_due_jobs(instances=[bad]),
    ("renew_leases", "job_ids"): lambda e, bad: e.renew_leases([bad], owner="w"),
    ("release_jobs", "job_ids"): lambda e, bad: e.release_jobs([bad], "w"),
    ("work_items", "instance_id"): lambda e, bad: e.work_items(instance_id=bad),
    ("jobs", "instance_id"): lambda e, bad: e.jobs(bad),
    ("incidents", "instance_id"): lambda e, bad: e.incidents(bad),
    ("add_mi_instance", "activity_instance_id"): lambda e, bad: e.add_mi_instance(bad),
    ("claim_work_item", "work_item_id"): lambda e, bad: e.claim_work_item(bad, "ann"),
    ("release_work_item", "work_item_id"): lambda e, bad: e.release_work_item(bad, "ann"),
    ("instance_summaries", "after"): lambda e, bad: e.instance_summaries(after=bad),
}


def _deployed(engine: Engine) -> str:
    pb = PackageBuilder("desk")
    pb.process("ticket").activity("answer", performer="clerk")
    engine.deploy(pb.build())
    return engine.start_process("ticket")


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        (SURROGATE, r"holds a byte that is not UTF-8 \(read as a lone surrogate\)"),
        ("pi-\x00", "holds a NUL character"),
    ],
    ids=["surrogate", "NUL"],
)
@pytest.mark.parametrize("call", list(CALLS), ids=lambda c: c[0])
def test_an_id_no_store_can_hold_is_a_value_error_naming_it_on_every_store(
    engine: Engine, call: tuple[str, str], bad: str, says: str
) -> None:
    _deployed(engine)
    before = [(s.id, s.state, engine.instance(s.id).data) for s in engine.instance_summaries()]
    command, name = call
    with pytest.raises(ValueError, match=rf"^{command}: {name} '.*' {says}") as caught:
        CALLS[call](engine, bad)
    assert not isinstance(caught.value, UnicodeEncodeError)
    assert [
        (s.id, s.state, engine.instance(s.id).data) for s in engine.instance_summaries()
    ] == before


def test_a_store_asked_for_an_instance_by_such_an_id_has_none(engine: Engine) -> None:
    """The store alone (as a command not checking its id reaches it) says "no process
    instance", not that a row cannot be read."""
    _deployed(engine)
    for read in (engine.store.instance, engine.store.instance_summary):
        with pytest.raises(NotFoundError, match=r"no process instance 'pi-\\udcff'"):
            read(SURROGATE)


def test_the_ids_the_engine_makes_are_taken_as_before(engine: Engine) -> None:
    iid = _deployed(engine)
    [item] = engine.work_items(iid)
    assert engine.instance(iid).id == iid and engine.work_item(item.id).id == item.id
