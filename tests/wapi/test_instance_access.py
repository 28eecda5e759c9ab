"""Who may read and control an instance through a WAPI session (:mod:`wfengine.wapi.access`):
administrators everything, its creator controls and reads it, a user its work items concern
reads what those items may read, anyone else (a user the organisation does not know above all)
is refused, and each refusal is in the instance's audit trail."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.worklist.conftest import ORG  # the same people as the worklist tests
from wfengine import Engine, NotAuthorizedError, Organisation, PackageBuilder, VirtualClock
from wfengine.applications.redaction import REDACTED
from wfengine.wapi import Session, connect


def _package() -> Any:
    """``ticket``: a clerk answers (reading only ``note``), then an accountant books it."""
    pb = PackageBuilder("desk")
    p = pb.process("ticket")
    p.data_field("note", "STRING", initial="''")
    p.data_field("amount", "INTEGER", initial="5")
    p.data_field("salary", "INTEGER", initial="90000", extended={"wfengine:sensitive": "true"})
    p.start("s").activity("answer", performer="clerk", reads=["note", "salary"], writes=["note"])
    p.activity("book", performer="accountant").end("e").sequence("s", "answer", "book", "e")
    return pb.build()


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'db.sqlite'}"
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        e.deploy(_package())
        yield e


def _refusals(engine: Engine, instance_id: str) -> list[tuple[str, str, str]]:
    return [
        (e.detail["user"], e.detail["operation"], e.detail["subject"])
        for e in engine.audit(instance_id)
        if e.kind == "operation.refused"
    ]


#: each instance operation of a session, as (name, call)
_READS: list[tuple[str, Callable[[Session, str], Any]]] = [
    ("see", Session.get_process_instance),
    ("see the activities of", Session.open_activity_instances_list),
    ("see the activities of", lambda s, i: s.get_activity_instance(i, f"{i}:1")),
]
_CONTROLS: list[tuple[str, Callable[[Session, str], Any]]] = [
    ("terminate", Session.terminate_process_instance),
    ("change the state of", lambda s, i: s.change_process_instance_state(i, "closed.aborted")),
    (
        "change the state of",
        lambda s, i: s.change_process_instance_state(i, "open.not_running.suspended"),
    ),
    ("assign an attribute of", lambda s, i: s.assign_process_instance_attribute(i, "note", "x")),
    (
        "cancel an activity of",
        lambda s, i: s.change_activity_instance_state(i, f"{i}:2", "closed.aborted"),
    ),
]


@pytest.mark.parametrize(("operation", "call"), _READS + _CONTROLS)
def test_a_user_the_organisation_does_not_know_is_refused_and_recorded(
    engine: Engine, operation: str, call: Callable[[Session, str], Any]
) -> None:
    instance_id = engine.start_process("ticket")
    before = engine.instance(instance_id)
    with pytest.raises(
        NotAuthorizedError, match=r"'ghost' may not .* the organisation does not know"
    ):
        call(connect(engine, "ghost"), instance_id)
    assert _refusals(engine, instance_id) == [
        ("ghost", operation, f"process instance {instance_id!r}")
    ]
    after = engine.instance(instance_id)
    assert (after.state, after.data) == (before.state, before.data)  # nothing changed


def test_a_user_the_organisation_does_not_know_lists_and_creates_nothing(engine: Engine) -> None:
    engine.start_process("ticket")
    ghost = connect(engine, "ghost")
    with pytest.raises(NotAuthorizedError, match="the organisation does not know them"):
        ghost.open_process_instances_list()
    with pytest.raises(NotAuthorizedError, match="may not create an instance of process 'ticket'"):
        ghost.create_process_instance("ticket")
    with pytest.raises(NotAuthorizedError):
        ghost.open_process_definitions_list()
    with pytest.raises(NotAuthorizedError, match="'ghost' may not open a work list"):
        ghost.open_work_list()
    assert len(engine.instances()) == 1


@pytest.mark.parametrize(("operation", "call"), _CONTROLS)
def test_only_administrators_and_the_creator_control_an_instance(
    engine: Engine, operation: str, call: Callable[[Session, str], Any]
) -> None:
    by_host = engine.start_process("ticket")  # no creator: administrators only
    by_alice = connect(engine, "alice").create_process_instance("ticket")
    connect(engine, "alice").start_process(by_alice)
    for user in ("alice", "bob", "carol"):  # alice: concerned (her item), not the creator
        with pytest.raises(NotAuthorizedError, match="only an administrator or the user who"):
            call(connect(engine, user), by_host)
    assert [r[:2] for r in _refusals(engine, by_host)] == [
        ("alice", operation),
        ("bob", operation),
        ("carol", operation),
    ]
    with pytest.raises(NotAuthorizedError):
        call(connect(engine, "bob"), by_alice)
    call(connect(engine, "alice"), by_alice)  # the creator may
    call(connect(engine, "root"), by_host)  # so may an administrator


def test_the_creator_and_administrators_read_the_whole_instance(engine: Engine) -> None:
    instance_id = connect(engine, "dan").create_process_instance("ticket")
    whole = {"note": "", "amount": 5, "salary": 90000}
    assert connect(engine, "dan").get_process_instance(instance_id).data == whole
    assert connect(engine, "root").get_process_instance(instance_id).data == whole
    assert [s.id for s in connect(engine, "dan").open_process_instances_list()] == [instance_id]


def test_a_concerned_user_reads_what_their_items_may_read_sensitive_masked(
    engine: Engine,
) -> None:
    instance_id = engine.start_process("ticket")
    [item] = engine.work_items(instance_id)
    for user in ("alice", "bob", "carol"):  # offered to the clerks; carol supervises them
        seen = connect(engine, user).get_process_instance(instance_id)
        assert seen.data == {"note": "", "salary": REDACTED}  # not 'amount', its item's reads
        assert seen.state is engine.instance(instance_id).state
        assert connect(engine, user).open_activity_instances_list(instance_id)
    with pytest.raises(NotAuthorizedError, match="'dan' may not see process instance"):
        connect(engine, "dan").get_process_instance(instance_id)
    alice = connect(engine, "alice")
    alice.claim_work_item(item.id)
    alice.complete_work_item(item.id, {"note": "done"})
    # her item is closed, she still sees what it read; dan now has one (no reads: all)
    assert alice.get_process_instance(instance_id).data == {"note": "done", "salary": REDACTED}
    assert connect(engine, "dan").get_process_instance(instance_id).data == {
        "note": "done",
        "amount": 5,
        "salary": REDACTED,
    }
    assert _refusals(engine, instance_id) == [("dan", "see", f"process instance {instance_id!r}")]


def test_a_listing_shows_others_only_the_instances_they_may_read(engine: Engine) -> None:
    by_host = engine.start_process("ticket")  # offered to the clerks
    by_dan = connect(engine, "dan").create_process_instance("ticket")  # not started: no item
    unseen = engine.create_instance("ticket")  # nobody's
    assert [s.id for s in connect(engine, "root").open_process_instances_list()] == [
        by_host,
        by_dan,
        unseen,
    ]
    assert [s.id for s in connect(engine, "alice").open_process_instances_list()] == [by_host]
    assert [s.id for s in connect(engine, "dan").open_process_instances_list()] == [by_dan]
    listed = connect(engine, "dan").open_process_instances_list(state="open.running")
    assert listed == []
    assert not any(_refusals(engine, i) for i in (by_host, by_dan, unseen))  # a filter, no refusal


def test_an_engine_without_an_organisation_trusts_its_sessions() -> None:
    with Engine(clock=VirtualClock()) as engine:
        engine.deploy(_package())
        instance_id = engine.start_process("ticket")
        anyone = connect(engine, "anyone")
        assert anyone.get_process_instance(instance_id).data["salary"] == 90000
        assert [s.id for s in anyone.open_process_instances_list()] == [instance_id]
        anyone.assign_process_instance_attribute(instance_id, "note", "x")
        anyone.terminate_process_instance(instance_id)
        assert engine.instance(instance_id).state.value == "closed.terminated"
        assert _refusals(engine, instance_id) == []


def test_change_activity_instance_state_cancels_an_activity(engine: Engine) -> None:
    alice = connect(engine, "alice")
    instance_id = alice.create_process_instance("ticket")
    alice.start_process(instance_id)
    [answer] = [
        a for a in alice.open_activity_instances_list(instance_id) if a.activity_id == "answer"
    ]
    with pytest.raises(ValueError, match=r"state must be aborted or closed\.aborted"):
        alice.change_activity_instance_state(instance_id, answer.id, "closed.completed")
    with pytest.raises(ValueError, match=r"one of aborted, closed\.aborted, not 'abort'"):
        alice.change_activity_instance_state(instance_id, answer.id, "abort")
    alice.change_activity_instance_state(instance_id, answer.id, "closed.aborted")
    assert alice.get_activity_instance(instance_id, answer.id).state.value == "closed.aborted"
    assert engine.work_items(instance_id) == []  # its item withdrawn, its branch ended
