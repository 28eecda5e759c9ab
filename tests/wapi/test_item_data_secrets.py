"""A work item's data (``WMGetWorkItemAttributeValue``, ``wfengine workitem show``) shows a
sensitive field in clear only to whoever can act on the open item now, administrators and
the instance's creator; a supervisor overseeing it and its performer once it closed see
``***``, as the instance's data (``get_process_instance``) shows it to them. It showed the
value in clear to all of them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cli.databases import cli, sqlite_url
from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.applications.redaction import REDACTED
from wfengine.wapi import connect


def _package() -> Any:
    """``ticket``: a clerk answers (reading every field), then an accountant books it."""
    pb = PackageBuilder("desk")
    p = pb.process("ticket")
    p.data_field("note", "STRING", initial="'hello'")
    p.data_field("salary", "INTEGER", initial="90000", extended={"wfengine:sensitive": "true"})
    p.start("s").activity("answer", performer="clerk", writes=["note"])
    p.activity("book", performer="accountant").end("e").sequence("s", "answer", "book", "e")
    return pb.build()


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'db.sqlite'}"
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        e.deploy(_package())
        yield e


def _salary(engine: Engine, user: str, item_id: str) -> Any:
    return connect(engine, user).get_work_item_attributes(item_id).values["salary"]


def test_who_sees_a_sensitive_field_of_a_work_item(engine: Engine) -> None:
    instance_id = connect(engine, "dan").create_process_instance("ticket")
    engine.start(instance_id)
    [item] = engine.work_items(instance_id)
    # offered to alice and bob: either may take it and do the work
    assert _salary(engine, "alice", item.id) == 90000
    assert _salary(engine, "bob", item.id) == 90000
    assert _salary(engine, "carol", item.id) == REDACTED  # their supervisor oversees it
    assert _salary(engine, "root", item.id) == 90000  # an administrator
    alice = connect(engine, "alice")
    alice.claim_work_item(item.id)
    assert _salary(engine, "alice", item.id) == 90000  # she holds it
    assert _salary(engine, "bob", item.id) == REDACTED  # claimed by another: not his to do
    alice.delegate_work_item(item.id, "bob")
    assert _salary(engine, "bob", item.id) == 90000  # the delegate does the work
    assert _salary(engine, "alice", item.id) == 90000  # she delegated it, still responsible
    connect(engine, "bob").complete_work_item(item.id, {"note": "done"})
    state = engine.work_item(item.id).state
    assert state.value in ("completed", "allocated")  # (returned to her to confirm, or not)
    if state.value == "allocated":
        alice.complete_work_item(item.id)
    assert _salary(engine, "alice", item.id) == REDACTED  # closed: no work left to do
    assert alice.get_process_instance(instance_id).data["salary"] == REDACTED  # the same
    # the other fields are as they were
    assert alice.get_work_item_attributes(item.id).values["note"] == "done"


def test_workitem_show_masks_it_for_a_supervisor(tmp_path: Path) -> None:
    db = sqlite_url(tmp_path)
    org = tmp_path / "org.json"
    org.write_text(json.dumps(ORG), encoding="utf-8")
    assert cli("org", "load", str(org), "--db", db).exit_code == 0
    with Engine(db_url=db, directory=Organisation.from_data(ORG)) as engine:
        engine.deploy(_package())
        instance_id = engine.start_process("ticket")
        [item] = engine.work_items(instance_id)

    def shown(user: str) -> Any:
        result = cli("workitem", "show", item.id, "--db", db, "--user", user)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)["data"]["salary"]

    assert shown("alice") == 90000
    assert shown("carol") == REDACTED
