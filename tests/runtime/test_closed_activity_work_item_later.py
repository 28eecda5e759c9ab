"""A person's activity that closes after the work was done (its applications run after it: a
Manual start whose call failed and was retried, or an asynchronous call) still names the work
item done on it, and one cancelled (sent back, terminated) names the item withdrawn.

Before: ``work_item_id`` was None for them (only an activity closing in the completing command
named its item), so the status, the exports and WAPI could not tell which work was done there.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.runtime.conftest import check_history, store_url
from wfengine import Engine, PackageBuilder, ProcessState, VirtualClock
from wfengine.errors import IllegalStateError


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    with Engine(clock=VirtualClock(), db_url=url) as e:
        yield e
        check_history(e)


def _links(e: Engine, iid: str) -> dict[str, tuple[str, str | None]]:
    return {a.activity_id: (a.state.value, a.work_item_id) for a in e.activity_instances(iid)}


def _manual_start(e: Engine, *, asynchronous: bool) -> None:
    calls: list[float] = []

    def pay(x: float) -> dict[str, object]:
        calls.append(x)
        if len(calls) == 1 and not asynchronous:
            raise RuntimeError("bank down")
        return {}

    e.applications.register("pay", pay, retries=0, asynchronous=asynchronous)
    b = PackageBuilder("pkg")
    b.participant("clerk")
    b.application("pay", params=[("x", "IN", "FLOAT")])
    p = b.process("p")
    p.data_field("amount", "FLOAT", initial="1.0")
    p.activity("a", performer="clerk", tool="pay", args=["amount"], start_mode="Manual")
    p.activity("plain", performer="clerk")
    p.transition("a", "plain")
    e.deploy(b.build())


def test_closed_by_an_incidents_retry_it_names_its_work_item(engine: Engine) -> None:
    _manual_start(engine, asynchronous=False)
    iid = engine.start_process("p")
    (w,) = engine.work_items(iid)
    engine.complete_work_item(w.id)
    (incident,) = engine.incidents(iid)  # the application's first call failed
    assert engine.work_items(iid) == []  # (no one's work is open on it)
    engine.retry_incident(incident.id)
    (w2,) = engine.work_items(iid)
    engine.complete_work_item(w2.id)
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert _links(engine, iid) == {
        "a": ("closed.completed", w.id),  # was None
        "plain": ("closed.completed", w2.id),
    }


def test_closed_by_an_asynchronous_applications_answer_it_names_its_work_item(
    engine: Engine,
) -> None:
    _manual_start(engine, asynchronous=True)
    iid = engine.start_process("p")
    (w,) = engine.work_items(iid)
    engine.complete_work_item(w.id)
    assert _links(engine, iid)["a"][0] == "open.running"  # waiting for its invoke job
    engine.run_due_jobs()
    assert _links(engine, iid)["a"] == ("closed.completed", w.id)  # was None


def test_sent_back_it_names_the_withdrawn_item(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.activity("draft", performer="bob").activity("check", performer="dan")
    p.transition("draft", "check")
    engine.deploy(pb.build())
    iid = engine.start_process("p")
    (draft,) = engine.work_items(iid)
    engine.complete_work_item(draft.id, user="bob")
    (check,) = engine.work_items(iid)
    engine.claim_work_item(check.id, "dan")
    engine.send_back_work_item(check.id, "dan", "draft", "the amount is missing")
    assert engine.work_item(check.id).state.value == "cancelled"
    (closed,) = [a for a in engine.activity_instances(iid) if a.activity_id == "check"]
    assert (closed.state.value, closed.work_item_id) == ("closed.terminated", check.id)
    engine.terminate(iid)
    redo = [a for a in engine.activity_instances(iid) if a.activity_id == "draft"][-1]
    assert redo.state.value == "closed.terminated" and redo.work_item_id is not None
    assert engine.work_item(redo.work_item_id).state.value == "cancelled"


def test_a_sequential_ad_hoc_set_is_still_held_while_the_applications_run(
    engine: Engine,
) -> None:
    engine.applications.register("pay", lambda: {}, asynchronous=True)
    b = PackageBuilder("pkg")
    b.participant("clerk")
    b.application("pay")
    p = b.process("p")
    s = p.activity_set("checks", adhoc="Sequential")
    s.activity("a", performer="clerk", tool="pay", start_mode="Manual")
    s.activity("note", performer="clerk")
    p.block("review", activity_set="checks")
    engine.deploy(b.build())
    iid = engine.start_process("p")
    (a,) = [w for w in engine.work_items(iid) if w.activity_id == "a"]
    (note,) = [w for w in engine.work_items(iid) if w.activity_id == "note"]
    engine.complete_work_item(a.id)  # its application now runs: the set is held
    with pytest.raises(IllegalStateError, match="'a' of its ad-hoc set is in progress"):
        engine.complete_work_item(note.id)
    engine.run_due_jobs()
    assert _links(engine, iid)["a"] == ("closed.completed", a.id)  # (was None in a set)
    engine.complete_work_item(note.id)
    assert engine.instance(iid).state is ProcessState.COMPLETED
