"""XES: every activity an instance's own termination or abort closed is ``pi_abort``, however
many were open (each open work item's withdrawal is recorded between their closings), not
``ate_abort`` for all but the last (an activity interrupted on its own: test_exports)."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from lxml import etree

from wfengine import Engine, PackageBuilder, VirtualClock, write_xes


def _closings(engine: Engine, instance_id: str) -> list[tuple[str, str]]:
    out = io.BytesIO()
    write_xes(engine, out, instance_id=instance_id)
    found = []
    for event in etree.fromstring(out.getvalue()).iter("event"):
        attrs = {x.get("key"): x.get("value") for x in event}
        if attrs["lifecycle:transition"] in ("ate_abort", "pi_abort"):
            found.append((str(attrs["concept:name"]), str(attrs["lifecycle:transition"])))
    return found


@pytest.mark.parametrize("store", ["memory", "sqlite"])
@pytest.mark.parametrize("verb", ["terminate", "abort"])
def test_each_open_activity_closed_with_its_instance_is_pi_abort(
    store: str, verb: str, tmp_path: Path
) -> None:
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    clock = VirtualClock()
    with Engine(clock=clock, db_url=url) as e:
        pb = PackageBuilder("pkg")
        p = pb.process("p")
        p.route("fork", gateway="Parallel")
        p.activity("a", performer="clerk").activity("b", performer="clerk")
        p.activity("c", performer="clerk")
        p.transition("fork", "a").transition("fork", "b").transition("fork", "c")
        e.deploy(pb.build())
        iid = e.start_process("p")
        assert len(e.work_items(iid)) == 3
        clock.advance(timedelta(hours=1))
        getattr(e, verb)(iid)
        closings = _closings(e, iid)
    assert closings == [("a", "pi_abort"), ("b", "pi_abort"), ("c", "pi_abort")]
