"""Work sent back to a zero timer event (``PT0S``) goes on as when the flow reaches it: the
timer fires in the same command and the next person's work is offered. It was left set, due
now, waiting for the virtual clock's next move, ``fire_due_timers`` or a worker: the instance
had nothing offered and looked stuck."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock


def _package() -> object:
    b = PackageBuilder("z", name="z")
    b.participant("clerk")
    p = b.process("main")
    p.start("st")
    p.activity("m", performer="clerk")
    p.intermediate("tz", timer="PT0S")
    p.activity("w", performer="clerk")
    p.end("end")
    p.sequence("st", "m", "tz", "w", "end")
    return b.build()


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_a_send_back_to_a_zero_timer_offers_the_next_work(store: str, tmp_path: Path) -> None:
    clock = VirtualClock(datetime(2030, 1, 1, tzinfo=UTC))
    url = f"sqlite:///{tmp_path / 'z.db'}" if store == "sqlite" else None
    engine = Engine(clock=clock, db_url=url) if url else Engine(clock=clock)
    engine.deploy(_package())  # type: ignore[arg-type]
    iid = engine.start_process("main", {})
    engine.complete_work_item(engine.work_items(iid)[0].id, {})
    (item,) = engine.work_items(iid)
    assert item.activity_id == "w"  # the timer fired as the flow reached it
    engine.claim_work_item(item.id, "clerk")
    engine.send_back_work_item(item.id, "clerk", "tz", "again")
    assert [x.activity_id for x in engine.work_items(iid) if x.state.is_open] == ["w"]
    assert engine.timers(iid) == []
    engine.close()
