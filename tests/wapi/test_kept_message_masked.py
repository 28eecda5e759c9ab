"""A message an instance keeps (``InstanceSnapshot.messages``) is shown to a user who may
read only part of the instance as its data is (docs/wapi.md: "only the fields those items may
read, sensitive ones as ``***``"): its data becomes the instance's when a catch takes it, so
it showed a bank's IBAN in clear to a clerk whose item reads only a note."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock, detailed_status
from wfengine.applications.redaction import REDACTED
from wfengine.wapi import connect

IBAN = "DE89370400440532013000"


def _package() -> Any:
    """``fill`` (for clerks) reads ``note`` and the sensitive ``iban``; the instance waits for
    the bank's message after it."""
    b = PackageBuilder("msg")
    b.participant("clerk")
    p = b.process("claim")
    p.data_field("iban", "STRING", extended={"wfengine:sensitive": "true"})
    p.data_field("salary", "INTEGER")
    p.data_field("note", "STRING")
    p.start("s")
    p.activity("fill", performer="clerk", extended={"wfengine:reads": "note,iban"})
    p.intermediate("wait_bank", message="bank_details")
    p.end("e")
    p.sequence("s", "fill", "wait_bank", "e")
    return b.build()


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'db.sqlite'}"
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        e.deploy(_package())
        yield e


def _kept(engine: Engine) -> str:
    """An instance alice created that keeps the bank's message (it came before the catch)."""
    alice = connect(engine, "alice")
    iid = alice.create_process_instance("claim", {"note": "hello"})
    alice.start_process(iid)
    engine.send_message("bank_details", {"iban": IBAN, "salary": 98000}, instance_id=iid)
    return iid


def test_a_partial_reader_sees_a_kept_message_as_the_instances_data(engine: Engine) -> None:
    iid = _kept(engine)
    snapshot = connect(engine, "bob").get_process_instance(iid)
    assert [m.data for m in snapshot.messages] == [{"iban": REDACTED}]
    assert [m.name for m in snapshot.messages] == ["bank_details"]
    status = detailed_status(engine, iid, user="bob").instance
    assert [m.data for m in status.messages] == [{"iban": REDACTED}]


def test_the_creator_and_an_administrator_see_it_whole(engine: Engine) -> None:
    iid = _kept(engine)
    whole = {"iban": IBAN, "salary": 98000}
    for user in ("alice", "root"):
        assert [m.data for m in connect(engine, user).get_process_instance(iid).messages] == [whole]
    assert [m.data for m in detailed_status(engine, iid).instance.messages] == [whole]
