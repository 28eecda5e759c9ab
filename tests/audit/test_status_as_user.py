"""The detailed status read as a user answers what that user's WAPI session answers
(:mod:`wfengine.worklist.instance_access`): a clerk got fields outside what her work item
may read (``wfengine:reads``), sensitive ones in clear, and the instance's creator, whom the
session lets read it all, was refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.worklist.conftest import ORG
from wfengine import (
    Engine,
    NotAuthorizedError,
    Organisation,
    PackageBuilder,
    VirtualClock,
    connect,
    detailed_status,
    notes_for,
)
from wfengine.applications.redaction import REDACTED


def _package() -> Any:
    """``ticket``: a clerk answers (reading ``note`` and the sensitive ``salary``)."""
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


def test_a_concerned_user_sees_what_their_session_sees(engine: Engine) -> None:
    instance_id = engine.start_process("ticket")
    status = detailed_status(engine, instance_id, user="alice")
    assert status.instance.data == {"note": "", "salary": REDACTED}
    assert status.instance.data == connect(engine, "alice").get_process_instance(instance_id).data
    assert detailed_status(engine, instance_id).instance.data["salary"] == 90000  # the host


def test_the_creator_sees_it_all_with_its_notes(engine: Engine) -> None:
    dan = connect(engine, "dan")
    instance_id = dan.create_process_instance("ticket")
    dan.start_process(instance_id)
    (item,) = engine.work_items(instance_id)
    notes_for(engine).add_comment("alice", instance_id, "on it", work_item_id=item.id)
    status = detailed_status(engine, instance_id, user="dan")
    assert status.instance.data == {"note": "", "amount": 5, "salary": 90000}
    assert [c.text for c in status.comments] == ["on it"]


def test_anyone_else_is_refused_and_recorded(engine: Engine) -> None:
    instance_id = engine.start_process("ticket")
    with pytest.raises(NotAuthorizedError, match="'dan' may not see the status of"):
        detailed_status(engine, instance_id, user="dan")
    refused = [e.detail for e in engine.audit(instance_id) if e.kind == "operation.refused"]
    assert [(r["user"], r["operation"]) for r in refused] == [("dan", "see the status of")]
