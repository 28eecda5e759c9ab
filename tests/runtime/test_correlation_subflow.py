"""A message found by correlation when a caller and the subflow it calls share the key: only
the instances whose process catches the message count."""

from __future__ import annotations

import pytest

from wfengine import Engine, IllegalStateError, PackageBuilder, ProcessState


def _order_and_shipping(*, parent_catches: bool = False) -> PackageBuilder:
    pb = PackageBuilder("pkg")
    c = pb.process("shipping", params=[("order_no", "IN", "STRING")])
    c.extended_attribute("wfengine:correlation", "order_no")
    c.intermediate("wait", message="shipped").activity("notify").transition("wait", "notify")
    p = pb.process("order")
    p.data_field("order_no", "STRING")
    p.extended_attribute("wfengine:correlation", "order_no")
    p.intermediate("paid", message="paid")
    p.subflow("ship", process="shipping", args=["order_no"])
    if parent_catches:
        p.intermediate("late", message="shipped")
        p.sequence("paid", "ship", "late")
    else:
        p.activity("close").sequence("paid", "ship", "close")
    return pb


def test_the_subflow_catching_the_message_takes_it(engine: Engine) -> None:
    engine.deploy(_order_and_shipping().build())
    order = engine.start_process("order", {"order_no": "A-1"})
    engine.send_message("paid", correlation={"order_no": "A-1"})
    (shipping,) = [s.id for s in engine.instance_summaries() if s.process_id == "shipping"]
    assert engine.send_message("shipped", correlation={"order_no": "A-1"})
    assert engine.instance(shipping).state is ProcessState.COMPLETED
    assert engine.instance(order).state is ProcessState.COMPLETED


def test_both_catching_it_is_still_ambiguous(engine: Engine) -> None:
    engine.deploy(_order_and_shipping(parent_catches=True).build())
    engine.start_process("order", {"order_no": "A-1"})
    engine.send_message("paid", correlation={"order_no": "A-1"})
    with pytest.raises(IllegalStateError, match="correlated with 2 open instances"):
        engine.send_message("shipped", correlation={"order_no": "A-1"})
