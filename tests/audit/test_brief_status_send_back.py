"""The brief status after work was sent back: the steps being redone are no milestone an
outsider sees until they are done again, and then each is shown once, when it was redone;
a loop that runs a step again still shows each turn."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock, brief_status


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    directory = Organisation.from_data(ORG)
    with Engine(clock=VirtualClock(), db_url=url, directory=directory) as e:
        yield e


def _shown(engine: Engine, iid: str) -> list[tuple[str, datetime]]:
    return [(m.label, m.reached_at) for m in brief_status(engine, iid).milestones]


def _do(engine: Engine, iid: str, activity: str) -> datetime:
    """Complete ``activity``'s open work as alice, a minute on; when it was done."""
    assert isinstance(engine.clock, VirtualClock)
    engine.clock.advance(timedelta(minutes=1))
    (item,) = [w for w in engine.work_items(iid) if w.activity_id == activity]
    engine.complete_work_item(item.id, user="alice")
    return engine.clock.now()


def test_work_sent_back_is_shown_once_when_it_has_been_redone(engine: Engine) -> None:
    """check -> review (a block: assess) -> approve; approve sends the case back to check:
    Checked and Assessed are withdrawn while they are redone, then shown once each."""
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.participant("clerk")
    inner = p.activity_set("inner")
    inner.activity("assess", performer="clerk", extended={"wfengine:milestone": "Assessed"})
    p.activity("check", performer="clerk", extended={"wfengine:milestone": "Checked"})
    p.block("review", activity_set="inner")
    p.activity("approve", performer="clerk", extended={"wfengine:milestone": "Approved"})
    p.transition("check", "review").transition("review", "approve")
    engine.deploy(pb.build())
    iid = engine.start_process("p")
    checked = _do(engine, iid, "check")
    assessed = _do(engine, iid, "assess")
    assert _shown(engine, iid) == [("Checked", checked), ("Assessed", assessed)]
    (approve,) = engine.work_items(iid)
    engine.claim_work_item(approve.id, "alice")
    engine.send_back_work_item(approve.id, "alice", "check", "the amount is wrong")
    assert _shown(engine, iid) == []  # being redone: nothing shown as reached
    checked = _do(engine, iid, "check")
    assert _shown(engine, iid) == [("Checked", checked)]
    assessed = _do(engine, iid, "assess")
    approved = _do(engine, iid, "approve")
    assert _shown(engine, iid) == [
        ("Checked", checked),
        ("Assessed", assessed),
        ("Approved", approved),
    ]
    assert brief_status(engine, iid).state == "completed"


def test_a_loop_shows_each_turn_and_a_send_back_into_it_withdraws_only_the_last(
    engine: Engine,
) -> None:
    """write -> review (again?) -> write ... -> sign. Each turn of the loop was reached (it is
    no redo); work sent back from sign to write withdraws the last turn only."""
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.participant("clerk")
    p.data_field("again", "BOOLEAN", initial="true")
    p.activity("begin")
    p.activity(
        "write", performer="clerk", join="Exclusive", extended={"wfengine:milestone": "Written"}
    )
    p.activity(
        "review",
        performer="clerk",
        writes=["again"],
        split="Exclusive",
        extended={"wfengine:milestone": "Reviewed"},
    )
    p.activity("sign", performer="clerk")
    p.transition("begin", "write").transition("write", "review")
    p.transition("review", "write", condition="again").transition("review", "sign", otherwise=True)
    engine.deploy(pb.build())
    iid = engine.start_process("p")
    turns = []
    for again in (True, False):
        written = _do(engine, iid, "write")
        assert isinstance(engine.clock, VirtualClock)
        engine.clock.advance(timedelta(minutes=1))
        (review,) = engine.work_items(iid)
        engine.complete_work_item(review.id, {"again": again}, user="alice")
        turns += [("Written", written), ("Reviewed", engine.clock.now())]
    assert _shown(engine, iid) == turns
    (sign,) = engine.work_items(iid)
    engine.claim_work_item(sign.id, "alice")
    engine.send_back_work_item(sign.id, "alice", "write", "sign the right version")
    assert _shown(engine, iid) == turns[:2]
    written = _do(engine, iid, "write")
    assert _shown(engine, iid) == [*turns[:2], ("Written", written)]
