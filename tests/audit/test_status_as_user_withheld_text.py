"""The detailed status read as a user who may read only part of an instance withholds the
engine's free text about a failure (an incident's ``message``, an application's ``error``):
such text quotes values ("expected INTEGER, got str '98000 EUR gross'") of fields outside the
user's reads, which no rule can mask inside free text. The event stays, with its other keys
(the incident's id, the application, the attempt), and its text says it is withheld; the host,
an administrator and the instance's creator read it whole."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.conftest import STORES, check_history, store_url
from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock, detailed_status
from wfengine.audit.event_values import text_keys
from wfengine.audit.status import WITHHELD
from wfengine.wapi import connect

SECRET = "98000 EUR gross"


def _package() -> Any:
    """A clerk's ``fill`` reads only ``note``; a script then stores the text ``salary_text``
    into the INTEGER ``salary`` (an incident quoting it) and a tool fails quoting it."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    pb.application("payroll", params=[("v", "IN", "STRING")])
    p = pb.process("inc")
    p.data_field("salary_text", "STRING")
    p.data_field("salary", "INTEGER")
    p.data_field("note", "STRING")
    p.activity("fill", performer="clerk", reads=["note"], writes=["note"])
    p.activity("pay", tool="payroll", args=["salary_text"])
    p.activity("compute", script="salary = salary_text")
    p.sequence("fill", "pay", "compute")
    return pb.build()


def _refuse(v: str) -> None:
    raise ValueError(f"payroll refused {v!r}")


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        e.applications.sleep = lambda seconds: None
        e.applications.register("payroll", _refuse)
        e.deploy(_package())
        yield e
        check_history(e)


def _run(engine: Engine) -> str:
    """alice creates it; bob completes ``fill``; the tool fails (an incident), the operator
    skips it, the script fails (another)."""
    alice = connect(engine, "alice")
    iid = alice.create_process_instance("inc", {"salary_text": SECRET, "note": "hi"})
    alice.start_process(iid)
    bob = connect(engine, "bob")
    (item,) = bob.open_work_list()
    bob.complete_work_item(item.id, {"note": "done"})
    (incident,) = engine.incidents(iid)
    engine.skip_incident(incident.id, user="root")
    return iid


def test_a_partial_reader_sees_no_value_in_the_failures_text(engine: Engine) -> None:
    iid = _run(engine)
    trail = engine.audit(iid)
    assert SECRET in json.dumps([e.detail for e in trail], default=str)  # the engine quoted it
    status = detailed_status(engine, iid, user="bob")
    assert status.instance.data == {"note": "done"}
    assert SECRET not in json.dumps(status.as_dict(), default=str) + repr(status.history)
    assert [e.kind for e in status.history] == [e.kind for e in trail]  # withheld, not dropped
    opened = [e.detail for e in status.history if e.kind == "incident.opened"]
    assert len(opened) == 2 and all(d["message"] == WITHHELD for d in opened)
    assert all(d["incident"] for d in opened)  # the incident's id is kept
    failed = [e.detail for e in status.history if e.kind == "application.failed"]
    assert failed and all(d["error"] == WITHHELD and d["application"] == "payroll" for d in failed)


@pytest.mark.parametrize("user", [None, "alice", "root"])
def test_the_host_the_creator_and_an_administrator_read_it_whole(
    engine: Engine, user: str | None
) -> None:
    iid = _run(engine)
    status = detailed_status(engine, iid, user=user)
    assert SECRET in repr(status.history)
    assert WITHHELD not in repr(status.history)


def test_the_withheld_texts_are_read_off_the_catalogue() -> None:
    assert text_keys() == {
        "event.condition_failed": ("message",),
        "activity.exception": ("message",),
        "application.failed": ("error",),
        "application.discarded": ("reason",),
        "deadline.invalid": ("reason",),
        "incident.opened": ("message",),
    }
