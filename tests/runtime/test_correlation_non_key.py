"""A correlation key the process does not correlate by is refused, naming the keys there are.

``send_message(..., correlation={"order_no": "O-9"})`` where the process correlates by
``case_id`` only once said "no open process instance", as if the case were closed, while an
open instance held ``order_no = "O-9"``. (The CLI refused such a key already.)
"""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.errors import NotFoundError
from wfengine.runtime.states import ProcessState


def _engine() -> tuple[Engine, str]:
    engine = Engine(clock=VirtualClock())
    pb = PackageBuilder("pkg")
    p = pb.process("main").extended_attribute("wfengine:correlation", "case_id")
    p.data_field("case_id", "STRING")
    p.data_field("order_no", "STRING")
    p.activity("a").intermediate("m", message="paid").sequence("a", "m")
    engine.deploy(pb.build())
    return engine, engine.start_process("main", {"case_id": "C-1", "order_no": "O-9"})


def test_a_key_the_catching_process_does_not_correlate_by_is_named() -> None:
    engine, iid = _engine()
    with pytest.raises(NotFoundError) as info:
        engine.send_message("paid", {}, correlation={"order_no": "O-9"})
    message = str(info.value)
    assert "no correlation key 'order_no'" in message and "case_id" in message
    assert "open process instance" not in message
    assert engine.instance(iid).state is ProcessState.RUNNING


def test_a_correlation_key_still_finds_the_instance() -> None:
    engine, iid = _engine()
    assert engine.send_message("paid", {}, correlation={"case_id": "C-1"})
    assert engine.instance(iid).state is ProcessState.COMPLETED
    with pytest.raises(NotFoundError, match="no open process instance"):  # closed now
        engine.send_message("paid", {}, correlation={"case_id": "C-1"})


def test_a_key_only_another_process_correlates_by_is_named_too() -> None:
    # (a key some other process correlated by was let through, and the send said "no open
    # process instance" again)
    engine, iid = _engine()
    pb = PackageBuilder("other")
    q = pb.process("complaints").extended_attribute("wfengine:correlation", "order_no")
    q.data_field("order_no", "STRING")
    q.activity("a").intermediate("m", message="complaint").sequence("a", "m")
    engine.deploy(pb.build())
    with pytest.raises(NotFoundError, match=r"no correlation key 'order_no'.*case_id"):
        engine.send_message("paid", {}, correlation={"order_no": "O-9"})
    assert engine.instance(iid).state is ProcessState.RUNNING
