"""The detailed status read as a user who may read only part of an instance: its history
showed every value a completion, a start or an application wrote (the fields outside the
user's ``wfengine:reads`` too), and its open work listed items the user may not see. Now
those values are masked (``***``, as a sensitive value is in the trail), the events kept,
and the open work is what the user may see; the creator and the host still see it all."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock, detailed_status
from wfengine.applications.redaction import REDACTED


def _package() -> Any:
    """``ticket``: an accountant prepares (writing ``secretcode`` and ``amount``), then a
    clerk answers (reading ``note`` only) while an accountant books beside it."""
    pb = PackageBuilder("desk")
    pb.application("lookup", params=[("code", "OUT", "STRING")])
    p = pb.process("ticket")
    p.data_field("note", "STRING", initial="''")
    p.data_field("amount", "INTEGER", initial="5")
    p.data_field("secretcode", "STRING", initial="'HIDDEN'")
    p.activity("prep", performer="accountant", writes=["secretcode", "amount"])
    p.activity("fetch", tool="lookup", args=["secretcode"])
    p.activity("fork", split="Parallel")
    p.activity("answer", performer="clerk", reads=["note"], writes=["note"])
    p.activity("book", performer="accountant")
    p.transition("prep", "fetch")
    p.transition("fetch", "fork")
    p.transition("fork", "answer")
    p.transition("fork", "book")
    return pb.build()


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'db.sqlite'}"
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        e.applications.register("lookup", lambda: {"code": "FROM-THE-TOOL"})
        e.deploy(_package())
        yield e


def _prepared(engine: Engine) -> str:
    instance_id = engine.start_process("ticket", {"amount": 31337})
    (item,) = engine.work_items(instance_id)
    engine.complete_work_item(item.id, {"secretcode": "TOPSECRET", "amount": 914276835}, user="dan")
    return instance_id


def test_a_partial_readers_history_masks_the_values_of_fields_they_may_not_read(
    engine: Engine,
) -> None:
    instance_id = _prepared(engine)
    status = detailed_status(engine, instance_id, user="alice")
    assert status.instance.data == {"note": ""}
    shown = repr(status.history) + repr(status.as_dict())
    # (values that cannot turn up by chance in an id or a call key's hex digest: "777" did,
    # about once in a hundred runs)
    for secret in ("TOPSECRET", "914276835", "31337", "FROM-THE-TOOL"):
        assert secret not in shown
    kinds = [e.kind for e in status.history]
    assert kinds == [e.kind for e in engine.audit(instance_id)]  # masked, not dropped
    (completed,) = (e for e in status.history if e.kind == "work_item.completed")
    assert completed.detail["data"] == {"secretcode": REDACTED, "amount": REDACTED}
    (created,) = (e for e in status.history if e.kind == "instance.created")
    assert created.detail["data"] == {"amount": REDACTED}


def test_a_partial_readers_open_work_is_what_they_may_see(engine: Engine) -> None:
    instance_id = _prepared(engine)
    status = detailed_status(engine, instance_id, user="alice")
    assert [w.item.activity_id for w in status.open_work] == ["answer"]
    everything = detailed_status(engine, instance_id)
    assert sorted(w.item.activity_id for w in everything.open_work) == ["answer", "book"]


def test_the_host_and_an_administrator_still_see_every_value(engine: Engine) -> None:
    instance_id = _prepared(engine)
    for status in (
        detailed_status(engine, instance_id),
        detailed_status(engine, instance_id, user="root"),
    ):
        (completed,) = (e for e in status.history if e.kind == "work_item.completed")
        assert completed.detail["data"] == {"secretcode": "TOPSECRET", "amount": 914276835}
        assert "FROM-THE-TOOL" in repr(status.history)
