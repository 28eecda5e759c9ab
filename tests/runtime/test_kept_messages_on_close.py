"""A message kept on an instance for a catch it has not reached (``message.kept``) goes when
the instance closes: nothing can take it any more, and it stayed stored in the closed
instance for good (on SQL in the instance's row, with its data)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock


def _package() -> object:
    pb = PackageBuilder("k")
    pb.participant("clerk")
    p = pb.process("p")
    p.start("s").activity("w", performer="clerk").intermediate("m", message="go").end("e")
    p.sequence("s", "w", "m", "e")
    return pb.build()


_CLOSE: dict[str, Callable[[Engine, str], None]] = {
    "terminate": lambda e, i: e.terminate(i),
    "abort": lambda e, i: e.abort(i),
}


@pytest.mark.parametrize("close", sorted(_CLOSE))
@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_a_kept_message_goes_with_its_closed_instance(
    tmp_path: Path, store: str, close: str
) -> None:
    db = tmp_path / "wf.db"
    url = None if store == "memory" else f"sqlite:///{db}"
    engine = Engine(clock=VirtualClock(datetime(2026, 1, 5, tzinfo=UTC)), db_url=url)
    engine.deploy(_package())  # type: ignore[arg-type]
    instance_id = engine.start_process("p")
    assert engine.send_message("go", {"payload": "secret" * 10}, instance_id=instance_id) is False
    assert [m[0] for m in engine.store.instance(instance_id).messages] == ["go"]  # kept
    _CLOSE[close](engine, instance_id)
    assert engine.store.instance(instance_id).messages == []
    assert "message.kept" in [e.kind for e in engine.audit(instance_id)]  # the trail keeps it
    engine.close()
    if store == "sqlite":
        with sqlite3.connect(db) as con:
            rows = con.execute("SELECT * FROM process_instances").fetchall()
        assert not any("secret" in str(v) for row in rows for v in row)
